// date_time_test.cpp — calendar math, the zone cache, canonical printing/parsing and best-effort
// parsing (expected values from ClickHouse 26.7 parseDateTimeBestEffort / toDateTime).
#include <gtest/gtest.h>

#include <thread>

#include "common/date_time.h"
#include "common/exception.h"

using namespace basalt;

TEST(DateTime, CivilRoundTrip) {
    EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
    EXPECT_EQ(daysFromCivil(2024, 1, 2), 19724);
    EXPECT_EQ(daysFromCivil(1900, 1, 1), -25567);
    for (int32_t d = -200000; d < 200000; d += 37) {
        CivilDate c = civilFromDays(d);
        ASSERT_EQ(daysFromCivil(c.year, c.month, c.day), d);
    }
    CivilDate c = civilFromDays(19724);
    EXPECT_EQ(c.year, 2024);
    EXPECT_EQ(c.month, 1);
    EXPECT_EQ(c.day, 2);
}

TEST(DateTime, ZonesAndPrinting) {
    const TimeZone& utc = getTimeZone("UTC");
    const TimeZone& msk = getTimeZone("Europe/Moscow");
    EXPECT_EQ(&getTimeZone("Europe/Moscow"), &msk);  // cached
    EXPECT_EQ(timeZoneName(msk), "Europe/Moscow");
    std::string s;
    appendDateTime(s, 1534576936, utc);
    EXPECT_EQ(s, "2018-08-18 07:22:16");
    s.clear();
    appendDateTime(s, 1534576936, msk);
    EXPECT_EQ(s, "2018-08-18 10:22:16");
    EXPECT_EQ(utcOffset(1534576936, msk), 3 * 3600);
    s.clear();
    appendDate(s, 19724);
    EXPECT_EQ(s, "2024-01-02");
    s.clear();
    appendDateTime64(s, -1, 3, utc);
    EXPECT_EQ(s, "1969-12-31 23:59:59.999");
    s.clear();
    appendDateTime64(s, 1704164645123, 3, utc);
    EXPECT_EQ(s, "2024-01-02 03:04:05.123");
    // Berlin: 02:30 on 2024-03-31 does not exist; ClickHouse maps it to 01:30 CET (1711845000).
    const TimeZone& ber = getTimeZone("Europe/Berlin");
    EXPECT_EQ(fromCivil(CivilDateTime{2024, 3, 31, 2, 30, 0}, ber), 1711845000);
    CivilDateTime c = toCivil(1711846800, ber);
    EXPECT_EQ(c.hour, 3);
    try {
        getTimeZone("Mars/Olympus");
        FAIL();
    } catch (const Exception& e) {
        EXPECT_EQ(e.code(), ErrorCodes::BAD_ARGUMENTS);
        EXPECT_STREQ(e.what(), "Invalid time zone: Mars/Olympus");
    }
}

TEST(DateTime, ZoneCacheIsThreadSafe) {
    std::vector<std::thread> ts;
    std::vector<const TimeZone*> got(8);
    for (int i = 0; i < 8; ++i) ts.emplace_back([&, i] { got[i] = &getTimeZone("America/New_York"); });
    for (auto& t : ts) t.join();
    for (auto* p : got) EXPECT_EQ(p, got[0]);
}

TEST(DateTime, StrictParsers) {
    const TimeZone& utc = getTimeZone("UTC");
    int32_t days;
    size_t used;
    ASSERT_TRUE(parseDate("2024-01-02", days, used));
    EXPECT_EQ(days, 19724);
    EXPECT_EQ(used, 10u);
    ASSERT_TRUE(parseDate("20240102", days, used));
    EXPECT_EQ(days, 19724);
    EXPECT_FALSE(parseDate("xx", days, used));
    int64_t t;
    ASSERT_TRUE(parseDateTime("2024-01-02 03:04:05", utc, t, used));
    EXPECT_EQ(t, 1704164645);
    ASSERT_TRUE(parseDateTime("1700000000", utc, t, used));
    EXPECT_EQ(t, 1700000000);
    EXPECT_FALSE(parseDateTime("bad", utc, t, used));
    int64_t v;
    ASSERT_TRUE(parseDateTime64("2024-01-02 03:04:05.1", 3, utc, v, used));
    EXPECT_EQ(v, 1704164645100);
    ASSERT_TRUE(parseDateTime64("1700000000.5", 1, utc, v, used));
    EXPECT_EQ(v, 17000000005);
}

TEST(DateTime, BestEffortMatchesClickHouse) {
    const TimeZone& utc = getTimeZone("UTC");
    struct Case { const char* in; int64_t out; };
    // SELECT toUnixTimestamp(parseDateTimeBestEffort(x, 'UTC')) in ClickHouse 26.7.
    const Case cases[] = {
        {"2018-08-18T07:22:16Z", 1534576936},
        {"2018-08-18T07:22:16+03:00", 1534566136},
        {"2018-08-18 07:22:16.123", 1534576936},
        {"2018-08-18", 1534550400},
        {"20180818072216", 1534576936},
        {"1534576936", 1534576936},
        {"Sat, 18 Aug 2018 07:22:16 GMT", 1534576936},
        {"18/08/2018 07:22:16", 1534576936},
        {"18 Aug 2018 07:22", 1534576920},
        {"Aug 18 2018 07:22:16", 1534576936},
        {"2018-08-18T07:22:16-0530", 1534596736},
        {"18.08.2018", 1534550400},
        {"2018/08/18 07:22:16", 1534576936},
        {"20180818", 1534550400},
        {"August 18, 2018 7:22:16 PM", 1534620136},
    };
    for (auto& c : cases) {
        int64_t t = 0;
        EXPECT_TRUE(parseDateTimeBestEffort(c.in, utc, t)) << c.in;
        EXPECT_EQ(t, c.out) << c.in;
    }
    int64_t t = 0, sub = 0;
    ASSERT_TRUE(parseDateTimeBestEffort("2018-08-18 07:22:16.123456", utc, t, 3, &sub));
    EXPECT_EQ(sub, 123);
    ASSERT_TRUE(parseDateTimeBestEffort("2018-08-18 07:22:16", getTimeZone("Europe/Moscow"), t));
    EXPECT_EQ(t, 1534566136);
    EXPECT_FALSE(parseDateTimeBestEffort("not a date", utc, t));
    EXPECT_FALSE(parseDateTimeBestEffort("", utc, t));
}
