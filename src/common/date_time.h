// date_time.h — calendar and time-zone arithmetic for Date/Date32/DateTime/DateTime64, built on
// cctz (IANA zones from tzdata). Dates are days since 1970-01-01; DateTime is seconds since the
// epoch (UTC). Functions are cheap enough for per-value use outside the hottest loops; callers that
// process blocks should hoist zone lookups (getTimeZone) out of loops.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

struct CivilDate { int32_t year; uint8_t month; uint8_t day; };
struct CivilDateTime { int32_t year; uint8_t month, day, hour, minute, second; };

int32_t daysFromCivil(int32_t y, unsigned m, unsigned d);   // proleptic Gregorian
CivilDate civilFromDays(int32_t days);

class TimeZone;   // opaque; owned by a process-wide cache
// Throws BAD_ARGUMENTS (36) for an unknown zone name: "Invalid time zone: X".
const TimeZone& getTimeZone(const std::string& name);
const std::string& timeZoneName(const TimeZone& tz);

CivilDateTime toCivil(int64_t epoch_seconds, const TimeZone& tz);
int64_t fromCivil(const CivilDateTime& c, const TimeZone& tz);   // local time -> epoch seconds
int32_t utcOffset(int64_t epoch_seconds, const TimeZone& tz);

// "YYYY-MM-DD" and "YYYY-MM-DD hh:mm:ss" (+ ".fff" for DateTime64 with scale digits).
void appendDate(std::string& out, int32_t days);
void appendDateTime(std::string& out, int64_t epoch_seconds, const TimeZone& tz);
void appendDateTime64(std::string& out, int64_t value, uint32_t scale, const TimeZone& tz);

// Strict parsers of the canonical text forms (and the forms ClickHouse accepts for them: YYYY-MM-DD,
// YYYYMMDD for Date; 'YYYY-MM-DD hh:mm:ss', 'YYYY-MM-DD', unix timestamp for DateTime). Return false
// on malformed text. `consumed` receives the number of characters used.
bool parseDate(std::string_view s, int32_t& days, size_t& consumed);
bool parseDateTime(std::string_view s, const TimeZone& tz, int64_t& epoch_seconds, size_t& consumed);
bool parseDateTime64(std::string_view s, uint32_t scale, const TimeZone& tz, int64_t& value, size_t& consumed);
// parseDateTimeBestEffort: ISO 8601 with T/Z/offsets, RFC 2822, "DD/MM/YYYY", unix timestamps, ...
bool parseDateTimeBestEffort(std::string_view s, const TimeZone& tz, int64_t& epoch_seconds, uint32_t scale = 0,
                             int64_t* subsecond = nullptr);

}  // namespace basalt
