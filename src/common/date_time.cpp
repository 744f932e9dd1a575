// date_time.cpp — owns calendar arithmetic, the process-wide time-zone cache (cctz) and the text
// parsers/printers for Date/DateTime/DateTime64 (strict canonical forms and best-effort parsing).
// UTC takes arithmetic fast paths everywhere because it is the default session zone and cctz's
// lookup, while cheap, is still a binary search per call.
#include "common/date_time.h"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <chrono>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/exception.h"

namespace basalt {

class TimeZone {
public:
    std::string name;
    cctz::time_zone zone;
    bool is_utc = false;
};

// Howard Hinnant's days_from_civil: exact for the whole proleptic Gregorian range we use.
int32_t daysFromCivil(int32_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int32_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int32_t(doe) - 719468;
}

CivilDate civilFromDays(int32_t z) {
    z += 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int32_t y = int32_t(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return CivilDate{y + (m <= 2), uint8_t(m), uint8_t(d)};
}

const TimeZone& getTimeZone(const std::string& name) {
    // Zones are never evicted, so references handed out stay valid for the process lifetime.
    static std::mutex mu;
    static std::unordered_map<std::string, std::unique_ptr<TimeZone>> cache;
    static const TimeZone* utc = [] {
        auto* tz = new TimeZone{"UTC", cctz::utc_time_zone(), true};
        return tz;
    }();
    if (name.empty() || name == "UTC") return *utc;
    std::lock_guard lock(mu);
    auto it = cache.find(name);
    if (it != cache.end()) return *it->second;
    auto tz = std::make_unique<TimeZone>();
    tz->name = name;
    if (!cctz::load_time_zone(name, &tz->zone))
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Invalid time zone: " + name);
    // "Etc/UTC", "UCT", "Zulu" ... behave as UTC; keep their name but take the fast path.
    tz->is_utc = tz->zone == cctz::utc_time_zone() || name == "Etc/UTC" || name == "UCT" || name == "Zulu" ||
                 name == "Universal" || name == "Etc/Universal" || name == "Etc/Zulu" || name == "GMT" ||
                 name == "Etc/GMT";
    auto* raw = tz.get();
    cache.emplace(name, std::move(tz));
    return *raw;
}

const std::string& timeZoneName(const TimeZone& tz) { return tz.name; }

namespace {
using Seconds = std::chrono::time_point<std::chrono::system_clock, cctz::seconds>;

inline int64_t floorDiv(int64_t a, int64_t b) { int64_t q = a / b; return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q; }

CivilDateTime utcCivil(int64_t t) {
    int64_t days = floorDiv(t, 86400);
    int64_t rem = t - days * 86400;
    CivilDate d = civilFromDays(int32_t(days));
    return CivilDateTime{d.year, d.month, d.day, uint8_t(rem / 3600), uint8_t(rem / 60 % 60), uint8_t(rem % 60)};
}
}  // namespace

CivilDateTime toCivil(int64_t t, const TimeZone& tz) {
    if (tz.is_utc) return utcCivil(t);
    auto cs = cctz::convert(Seconds(cctz::seconds(t)), tz.zone);
    return CivilDateTime{int32_t(cs.year()), uint8_t(cs.month()), uint8_t(cs.day()),
                         uint8_t(cs.hour()), uint8_t(cs.minute()), uint8_t(cs.second())};
}

int64_t fromCivil(const CivilDateTime& c, const TimeZone& tz) {
    if (tz.is_utc)
        return int64_t(daysFromCivil(c.year, c.month, c.day)) * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
    // cctz normalizes out-of-range fields (Feb 30 -> Mar 1/2).
    cctz::civil_second cs(c.year, c.month, c.day, c.hour, c.minute, c.second);
    auto cl = tz.zone.lookup(cs);
    // A local time inside a DST gap maps, as in ClickHouse, using the offset after the transition
    // (02:30 on a spring-forward day in Berlin becomes 01:30 CET); repeated times take the first.
    if (cl.kind == cctz::time_zone::civil_lookup::SKIPPED) return cl.post.time_since_epoch().count();
    return cl.pre.time_since_epoch().count();
}

int32_t utcOffset(int64_t t, const TimeZone& tz) {
    if (tz.is_utc) return 0;
    return tz.zone.lookup(Seconds(cctz::seconds(t))).offset;
}

namespace {
inline void put2(std::string& out, unsigned v) { out += char('0' + v / 10 % 10); out += char('0' + v % 10); }
inline void putYear(std::string& out, int32_t y) {
    if (y < 0) { out += '-'; y = -y; }
    if (y >= 10000) { out += std::to_string(y); return; }
    out += char('0' + y / 1000); out += char('0' + y / 100 % 10); out += char('0' + y / 10 % 10); out += char('0' + y % 10);
}
void appendCivil(std::string& out, const CivilDateTime& c) {
    putYear(out, c.year); out += '-'; put2(out, c.month); out += '-'; put2(out, c.day);
    out += ' '; put2(out, c.hour); out += ':'; put2(out, c.minute); out += ':'; put2(out, c.second);
}
const int64_t kPow10[19] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                            10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL, 100000000000000LL,
                            1000000000000000LL, 10000000000000000LL, 100000000000000000LL, 1000000000000000000LL};
}  // namespace

void appendDate(std::string& out, int32_t days) {
    CivilDate d = civilFromDays(days);
    putYear(out, d.year); out += '-'; put2(out, d.month); out += '-'; put2(out, d.day);
}

void appendDateTime(std::string& out, int64_t t, const TimeZone& tz) { appendCivil(out, toCivil(t, tz)); }

void appendDateTime64(std::string& out, int64_t value, uint32_t scale, const TimeZone& tz) {
    if (scale > 18) scale = 18;
    int64_t mul = kPow10[scale];
    int64_t whole = floorDiv(value, mul);
    int64_t frac = value % mul;  // not value - whole * mul: that overflows near INT64_MIN
    if (frac < 0) frac += mul;
    appendCivil(out, toCivil(whole, tz));
    if (scale) {
        out += '.';
        char buf[20];
        for (int i = int(scale) - 1; i >= 0; --i) { buf[i] = char('0' + frac % 10); frac /= 10; }
        out.append(buf, scale);
    }
}

namespace {
inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool iequalsAscii(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k)
        if (std::tolower((unsigned char)a[k]) != std::tolower((unsigned char)b[k])) return false;
    return true;
}

// Reads 1..max_len digits at s[i]; returns false if none.
bool readNum(std::string_view s, size_t& i, size_t max_len, int& v) {
    size_t start = i;
    v = 0;
    while (i < s.size() && i - start < max_len && isDigit(s[i])) v = v * 10 + (s[i++] - '0');
    return i > start;
}

// Date part "YYYY-MM-DD" (any single non-digit separators, 1-2 digit month/day) or "YYYYMMDD".
bool parseDatePart(std::string_view s, size_t& i, int& y, int& m, int& d) {
    size_t start = i;
    size_t nd = 0;
    while (i + nd < s.size() && isDigit(s[i + nd])) ++nd;
    if (nd == 8) {
        readNum(s, i, 4, y); readNum(s, i, 2, m); readNum(s, i, 2, d);
        return true;
    }
    if (nd != 4) { i = start; return false; }
    readNum(s, i, 4, y);
    if (i >= s.size() || isDigit(s[i])) { i = start; return false; }
    ++i;
    if (!readNum(s, i, 2, m)) { i = start; return false; }
    if (i >= s.size() || isDigit(s[i])) { i = start; return false; }
    ++i;
    if (!readNum(s, i, 2, d)) { i = start; return false; }
    return true;
}

// ClickHouse maps impossible dates (month 13, day 0) to the epoch instead of failing.
int32_t daysOrZero(int y, int m, int d) {
    if (m < 1 || m > 12 || d < 1 || d > 31) return 0;
    return daysFromCivil(y, unsigned(m), unsigned(d));
}

bool parseTimePart(std::string_view s, size_t& i, int& h, int& mi, int& sec) {
    if (!readNum(s, i, 2, h)) return false;
    if (i >= s.size() || s[i] != ':') return false;
    ++i;
    if (!readNum(s, i, 2, mi)) return false;
    if (i >= s.size() || s[i] != ':') return false;
    ++i;
    if (!readNum(s, i, 2, sec)) return false;
    return true;
}

// Reads ".ddd" into ticks of 10^-scale (truncating extra digits, padding missing ones).
void parseFraction(std::string_view s, size_t& i, uint32_t scale, int64_t& frac) {
    frac = 0;
    if (i >= s.size() || s[i] != '.') return;
    ++i;
    uint32_t n = 0;
    while (i < s.size() && isDigit(s[i])) {
        if (n < scale) frac = frac * 10 + (s[i] - '0');
        ++n; ++i;
    }
    for (; n < scale; ++n) frac *= 10;
}

// Shared core of parseDateTime/parseDateTime64: date, optional [ T]time, or unix timestamp.
bool parseDateTimeCore(std::string_view s, const TimeZone& tz, int64_t& t, size_t& consumed, bool& is_timestamp) {
    size_t i = 0;
    is_timestamp = false;
    int y, m, d;
    // A unix timestamp is recognised the way ClickHouse does: no separator after the 4th char.
    size_t nd = 0;
    while (nd < s.size() && isDigit(s[nd])) ++nd;
    if (nd == 0) return false;
    if (nd != 4 && nd != 8) {
        if (nd > 19) return false;
        int64_t v = 0;
        for (size_t k = 0; k < nd; ++k) v = v * 10 + (s[k] - '0');
        t = v;
        consumed = nd;
        is_timestamp = true;
        return true;
    }
    if (nd == 8 && (s.size() == 8 || !isDigit(s[8]))) {
        // YYYYMMDD alone is a timestamp for DateTime in ClickHouse (only 4-digit year + separator is a date).
        int64_t v = 0;
        for (size_t k = 0; k < nd; ++k) v = v * 10 + (s[k] - '0');
        t = v; consumed = nd; is_timestamp = true;
        return true;
    }
    if (!parseDatePart(s, i, y, m, d)) return false;
    int h = 0, mi = 0, sec = 0;
    if (i < s.size() && (s[i] == ' ' || s[i] == 'T') && i + 1 < s.size() && isDigit(s[i + 1])) {
        size_t j = i + 1;
        if (!parseTimePart(s, j, h, mi, sec)) return false;
        i = j;
    }
    if (m < 1 || m > 12 || d < 1 || d > 31) { t = 0; consumed = i; return true; }
    t = fromCivil(CivilDateTime{y, uint8_t(m), uint8_t(d), uint8_t(h), uint8_t(mi), uint8_t(sec)}, tz);
    consumed = i;
    return true;
}
}  // namespace

bool parseDate(std::string_view s, int32_t& days, size_t& consumed) {
    size_t i = 0;
    int y, m, d;
    if (!parseDatePart(s, i, y, m, d)) return false;
    days = daysOrZero(y, m, d);
    consumed = i;
    return true;
}

bool parseDateTime(std::string_view s, const TimeZone& tz, int64_t& t, size_t& consumed) {
    bool ts;
    return parseDateTimeCore(s, tz, t, consumed, ts);
}

bool parseDateTime64(std::string_view s, uint32_t scale, const TimeZone& tz, int64_t& value, size_t& consumed) {
    if (scale > 18) return false;
    bool ts;
    int64_t t;
    size_t used;
    bool neg = !s.empty() && s[0] == '-';
    if (neg) {
        if (!parseDateTimeCore(s.substr(1), tz, t, used, ts) || !ts) return false;
        ++used;
        t = -t;
    } else if (!parseDateTimeCore(s, tz, t, used, ts)) {
        return false;
    }
    int64_t frac = 0;
    parseFraction(s, used, scale, frac);
    // Out of the DateTime64 range for this scale (e.g. year 2300 at scale 9): not representable.
    if (__builtin_mul_overflow(t, kPow10[scale], &value) || __builtin_add_overflow(value, neg ? -frac : frac, &value)) return false;
    consumed = used;
    return true;
}

// ---------------------------------------------------------------------------------------------
// Best effort: a token scanner that assigns numbers to date/time fields by their shape and the
// separators around them, close to ClickHouse's parseDateTimeBestEffort for the documented forms.
namespace {
int monthFromName(std::string_view w) {
    static const char* names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    static const char* full[] = {"january", "february", "march", "april", "may", "june", "july",
                                 "august", "september", "october", "november", "december"};
    std::string l;
    for (char c : w) l += char(std::tolower((unsigned char)c));
    for (int k = 0; k < 12; ++k)
        if (l == names[k] || l == full[k] || (k == 8 && l == "sept")) return k + 1;
    return 0;
}
bool isWeekday(std::string_view w) {
    static const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday",
                                  "wednesday", "thursday", "friday", "saturday", "sunday", "tues", "thur", "thurs"};
    std::string l;
    for (char c : w) l += char(std::tolower((unsigned char)c));
    for (auto* n : names) if (l == n) return true;
    return false;
}
}  // namespace

bool parseDateTimeBestEffort(std::string_view s, const TimeZone& tz, int64_t& epoch_seconds, uint32_t scale,
                             int64_t* subsecond) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    if (s.empty()) return false;
    if (scale > 18) scale = 18;
    int64_t frac = 0;

    // All digits (optionally with a fraction): compact date forms or a unix timestamp.
    {
        size_t nd = 0;
        while (nd < s.size() && isDigit(s[nd])) ++nd;
        bool only = nd == s.size() || (s[nd] == '.' && nd > 0 && [&] {
                        for (size_t k = nd + 1; k < s.size(); ++k) if (!isDigit(s[k])) return false;
                        return true;
                    }());
        if (nd > 0 && only) {
            auto num = [&](size_t a, size_t n) { int v = 0; for (size_t k = a; k < a + n; ++k) v = v * 10 + (s[k] - '0'); return v; };
            int y = 0, m = 1, d = 1, h = 0, mi = 0, sec = 0;
            bool civil = true;
            if (nd == 8 && nd == s.size()) { y = num(0, 4); m = num(4, 2); d = num(6, 2); }
            else if (nd == 14) { y = num(0, 4); m = num(4, 2); d = num(6, 2); h = num(8, 2); mi = num(10, 2); sec = num(12, 2); }
            else if (nd == 12) { y = num(0, 4); m = num(4, 2); d = num(6, 2); h = num(8, 2); mi = num(10, 2); }
            else if (nd == 6 && nd == s.size()) { y = num(0, 4); m = num(4, 2); }
            else civil = false;
            size_t i = nd;
            if (!civil) {
                if (nd > 18) return false;
                int64_t v = 0;
                for (size_t k = 0; k < nd; ++k) v = v * 10 + (s[k] - '0');
                parseFraction(s, i, scale, frac);
                epoch_seconds = v;
                if (subsecond) *subsecond = frac;
                return true;
            }
            if (m < 1 || m > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
            parseFraction(s, i, scale, frac);
            epoch_seconds = fromCivil(CivilDateTime{y, uint8_t(m), uint8_t(d), uint8_t(h), uint8_t(mi), uint8_t(sec)}, tz);
            if (subsecond) *subsecond = frac;
            return true;
        }
    }

    int year = -1, month = -1, day = -1, hour = -1, minute = 0, second = 0;
    bool has_offset = false, pm = false, am = false;
    int offset_sec = 0;
    size_t i = 0;
    const size_t n = s.size();
    while (i < n) {
        char c = s[i];
        if (isDigit(c)) {
            size_t st = i;
            while (i < n && isDigit(s[i])) ++i;
            size_t len = i - st;
            auto val = [&] { int v = 0; for (size_t k = st; k < st + len && k < st + 9; ++k) v = v * 10 + (s[k] - '0'); return v; };
            char next = i < n ? s[i] : '\0';
            if (next == ':' && hour < 0 && len <= 2) {
                // hh:mm[:ss[.frac]]
                hour = val();
                ++i;
                int v;
                if (!readNum(s, i, 2, v)) return false;
                minute = v;
                if (i < n && s[i] == ':') {
                    ++i;
                    if (!readNum(s, i, 2, v)) return false;
                    second = v;
                    parseFraction(s, i, scale, frac);
                }
                continue;
            }
            if (len == 8 && year < 0 && month < 0) {  // YYYYMMDD followed by a time part
                year = (s[st] - '0') * 1000 + (s[st + 1] - '0') * 100 + (s[st + 2] - '0') * 10 + (s[st + 3] - '0');
                month = (s[st + 4] - '0') * 10 + (s[st + 5] - '0');
                day = (s[st + 6] - '0') * 10 + (s[st + 7] - '0');
                continue;
            }
            if (len == 6 && hour < 0 && year >= 0) {  // hhmmss after a date
                hour = val() / 10000; minute = val() / 100 % 100; second = val() % 100;
                continue;
            }
            if (len == 4 && year < 0) {
                year = val();
                if ((next == '-' || next == '/' || next == '.') && i + 1 < n && isDigit(s[i + 1]) && month < 0) {
                    // YYYY-MM-DD / YYYY/MM/DD / YYYY.MM.DD
                    char sep = next;
                    ++i;
                    int v;
                    readNum(s, i, 2, v);
                    month = v;
                    if (i < n && s[i] == sep) {
                        ++i;
                        if (!readNum(s, i, 2, v)) return false;
                        day = v;
                    } else day = 1;
                }
                continue;
            }
            if (len <= 2) {
                int v = val();
                if ((next == '/' || next == '-' || next == '.') && i + 1 < n && isDigit(s[i + 1]) && day < 0 && month < 0) {
                    // DD/MM/YYYY (or MM/DD when the first number cannot be a day... ClickHouse reads day first)
                    char sep = next;
                    ++i;
                    int v2;
                    readNum(s, i, 2, v2);
                    day = v; month = v2;
                    if (i < n && s[i] == sep && i + 1 < n && isDigit(s[i + 1])) {
                        ++i;
                        size_t ys = i;
                        int yv;
                        readNum(s, i, 4, yv);
                        year = (i - ys == 2) ? 2000 + yv : yv;
                    }
                    continue;
                }
                if (day < 0) day = v;
                else if (year < 0 && month >= 0) year = 2000 + v;
                else return false;
                continue;
            }
            return false;
        }
        if (std::isalpha((unsigned char)c)) {
            size_t st = i;
            while (i < n && std::isalpha((unsigned char)s[i])) ++i;
            std::string_view w = s.substr(st, i - st);
            if (w.size() == 1 && (w[0] == 'T' || w[0] == 't')) continue;
            if (w == "Z" || w == "z" || iequalsAscii(w, "UTC") || iequalsAscii(w, "GMT") || iequalsAscii(w, "UT")) {
                has_offset = true;
                continue;
            }
            if (iequalsAscii(w, "AM")) { am = true; continue; }
            if (iequalsAscii(w, "PM")) { pm = true; continue; }
            if (int m = monthFromName(w)) { month = m; continue; }
            if (isWeekday(w)) continue;
            return false;
        }
        if ((c == '+' || c == '-') && (hour >= 0 || (year >= 0 && month >= 0 && day >= 0 && c == '+'))) {
            // numeric offset: +hh, +hhmm, +hh:mm
            int sign = c == '-' ? -1 : 1;
            ++i;
            size_t st = i;
            int oh = 0, om = 0;
            while (i < n && isDigit(s[i])) ++i;
            size_t len = i - st;
            if (len == 4) { oh = (s[st] - '0') * 10 + (s[st + 1] - '0'); om = (s[st + 2] - '0') * 10 + (s[st + 3] - '0'); }
            else if (len == 2 || len == 1) {
                oh = len == 2 ? (s[st] - '0') * 10 + (s[st + 1] - '0') : s[st] - '0';
                if (i < n && s[i] == ':') { ++i; int v; if (!readNum(s, i, 2, v)) return false; om = v; }
            } else return false;
            has_offset = true;
            offset_sec = sign * (oh * 3600 + om * 60);
            continue;
        }
        if (c == ' ' || c == ',' || c == '-' || c == '/' || c == '.' || c == '\t' || c == '(' || c == ')') { ++i; continue; }
        return false;
    }
    if (year < 0 && month < 0 && day < 0) {
        if (hour < 0) return false;
        year = 2000; month = 1; day = 1;  // time only: ClickHouse uses today; we cannot depend on "now" here
    }
    if (year < 0) return false;
    if (month < 0) month = 1;
    if (day < 0) day = 1;
    if (hour < 0) hour = 0;
    if (pm && hour < 12) hour += 12;
    if (am && hour == 12) hour = 0;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
    CivilDateTime c{year, uint8_t(month), uint8_t(day), uint8_t(hour), uint8_t(minute), uint8_t(second)};
    if (has_offset) {
        epoch_seconds = int64_t(daysFromCivil(year, month, day)) * 86400 + hour * 3600 + minute * 60 + second - offset_sec;
    } else {
        epoch_seconds = fromCivil(c, tz);
    }
    if (subsecond) *subsecond = frac;
    return true;
}

}  // namespace basalt
