// date_functions.cpp — owns the calendar functions over Date/Date32/DateTime/DateTime64:
// component extraction (toYear ... toSecond, toDayOfWeek, toISOWeek, toYYYYMMDD, toRelative*Num),
// truncation (toStartOf*, toMonday, toStartOfInterval, date_trunc), arithmetic (add*/subtract*,
// dateAdd/dateSub, dateDiff, age), intervals (toInterval*), construction (makeDate, makeDateTime,
// fromUnixTimestamp, toUnixTimestamp) and zone helpers (toTimeZone, timezone, now64, yesterday).
// Text formatting/parsing (formatDateTime, parseDateTimeBestEffort) lives in date_format.cpp.
//
// Every temporal value is reduced per row to "local seconds": the wall-clock time in the relevant
// zone expressed as seconds since 1970-01-01 00:00 (a Date is days * 86400). Components are then
// plain integer arithmetic, and only functions that return a DateTime convert back to UTC. The zone
// is resolved once per block; UTC skips the per-row offset lookup entirely.
#include "functions/date_common.h"

#include <chrono>
#include <thread>
#include <cmath>

#include "common/exception.h"
#include "common/string_utils.h"
#include "functions/cast.h"
#include "types/create_column.h"

namespace basalt {

namespace datefn {

bool isUtcZone(const TimeZone& tz) {
    const std::string& n = timeZoneName(tz);
    return n == "UTC" || n == "Etc/UTC" || n == "GMT" || n == "Etc/GMT" || n == "UCT" || n == "Universal" || n == "Zulu" ||
           n == "Etc/Universal" || n == "Etc/Zulu";
}

std::string constStringArg(const ColumnsWithTypeAndName& args, size_t i, const std::string& fn) {
    const auto& a = args[i];
    if (!a.column || !a.column->isConst() || !removeNullable(a.type)->isStringOrFixed())
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Argument " + std::to_string(i + 1) + " of function " + fn +
                                                        " must be a constant string");
    Field f = a.column->get(0);
    return f.isNull() ? std::string() : f.get<std::string>();
}

int64_t constIntArg(const ColumnsWithTypeAndName& args, size_t i, const std::string& fn) {
    const auto& a = args[i];
    if (!a.column || !a.column->isConst() || !(a.type->isInteger() || a.type->id == TypeId::Bool))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i + 1) + " of function " + fn +
                                                                  " must be a constant integer");
    Field f = a.column->get(0);
    if (f.is<int64_t>()) return f.get<int64_t>();
    if (f.is<uint64_t>()) return int64_t(f.get<uint64_t>());
    if (f.is<bool>()) return f.get<bool>();
    return 0;
}

const TimeZone& zoneOf(const DataTypePtr& t, const FunctionContext& ctx) {
    return getTimeZone(t->timezone.empty() ? ctx.session_timezone : t->timezone);
}

bool isTemporal(const DataTypePtr& t) { return t->isDateOrDateTime(); }

// Reads a temporal column as (utc seconds, sub-second ticks) per row; Date kinds give day numbers.
TimeReader::TimeReader(const ColumnWithTypeAndName& a, const TimeZone& zone) : tz(&zone) {
    id = a.type->id;
    scale = id == TypeId::DateTime64 ? a.type->scale : 0;
    mul = pow10i(scale);
    utc = isUtcZone(zone);
    col = materialize(a.column);
    raw = col->rawData();
}

int64_t pow10i(uint32_t s) {
    int64_t r = 1;
    for (uint32_t i = 0; i < s && i < 18; ++i) r *= 10;
    return r;
}

std::string normalizeUnit(const std::string& unit_in) {
    std::string u = toLower(unit_in);
    static const std::pair<const char*, const char*> kMap[] = {
        {"nanosecond", "nanosecond"}, {"nanoseconds", "nanosecond"}, {"ns", "nanosecond"},
        {"microsecond", "microsecond"}, {"microseconds", "microsecond"}, {"us", "microsecond"}, {"u", "microsecond"},
        {"millisecond", "millisecond"}, {"milliseconds", "millisecond"}, {"ms", "millisecond"},
        {"second", "second"}, {"seconds", "second"}, {"ss", "second"}, {"s", "second"},
        {"minute", "minute"}, {"minutes", "minute"}, {"mi", "minute"}, {"n", "minute"},
        {"hour", "hour"}, {"hours", "hour"}, {"hh", "hour"}, {"h", "hour"},
        {"day", "day"}, {"days", "day"}, {"dd", "day"}, {"d", "day"},
        {"week", "week"}, {"weeks", "week"}, {"wk", "week"}, {"ww", "week"},
        {"month", "month"}, {"months", "month"}, {"mm", "month"}, {"m", "month"},
        {"quarter", "quarter"}, {"quarters", "quarter"}, {"qq", "quarter"}, {"q", "quarter"},
        {"year", "year"}, {"years", "year"}, {"yyyy", "year"}, {"yy", "year"},
    };
    for (auto& [k, v] : kMap)
        if (u == k) return v;
    return "";
}

}  // namespace datefn

using namespace datefn;

namespace {

constexpr int64_t kDay = 86400;

inline int64_t floorDiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Monday = 1 ... Sunday = 7 for a day number (1970-01-01 was a Thursday).
inline int weekdayMon1(int64_t days) { return int(((days + 3) % 7 + 7) % 7) + 1; }

int32_t daysInMonth(int32_t y, int m) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2) return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28;
    return kDays[m - 1];
}

// ISO 8601 week-numbering year and week of a day number.
void isoWeek(int64_t days, int& iso_year, int& week) {
    CivilDate c = civilFromDays(int32_t(days));
    int wd = weekdayMon1(days);
    int64_t thursday = days - wd + 4;   // the Thursday of this ISO week decides its year
    CivilDate tc = civilFromDays(int32_t(thursday));
    iso_year = tc.year;
    int64_t jan1 = daysFromCivil(tc.year, 1, 1);
    week = int((thursday - jan1) / 7) + 1;
    (void)c;
}

// MySQL/ClickHouse toWeek modes 0..9: bit 0 = Monday first, bit 1 = range 1..53 (else 0..53),
// bit 2 = week 1 is the first week with 4+ days (else the week containing the first start day).
struct WeekResult { int year; int week; };
WeekResult weekOfMode(int64_t days, int mode, bool year_week) {
    mode &= 7;
    bool monday_first = mode & 1;
    bool range1 = (mode & 2) || year_week;
    bool first_week_4days = !(mode & 4) ? monday_first : !monday_first;
    // MySQL: with mode bit 0 set week starts Monday; "first week" rule is 4-day when the week starts
    // on Monday for modes 1,3 and on Sunday for modes 4,6.
    first_week_4days = (mode == 1 || mode == 3 || mode == 4 || mode == 6);
    CivilDate c = civilFromDays(int32_t(days));
    int year = c.year;
    auto weekStart = [&](int64_t d) { return monday_first ? d - (weekdayMon1(d) - 1) : d - (weekdayMon1(d) % 7); };
    auto firstWeekStart = [&](int y) {
        int64_t jan1 = daysFromCivil(y, 1, 1);
        int64_t ws = weekStart(jan1);
        if (first_week_4days) {
            if (jan1 - ws >= 4) ws += 7;   // fewer than 4 days of the year in that week
        } else if (ws != jan1) {
            ws += 7;   // week 1 starts at the first start-day of the year
        }
        return ws;
    };
    int64_t fws = firstWeekStart(year);
    if (days < fws) {
        if (!range1) return {year, 0};
        --year;
        fws = firstWeekStart(year);
    }
    int week = int((days - fws) / 7) + 1;
    if (range1 && week >= 53) {
        int64_t next = firstWeekStart(year + 1);
        if (days >= next) { ++year; week = 1; }
    }
    return {year, week};
}

// Local seconds -> the DateTime (UTC) it denotes in `tz` (midnight-based truncations).
inline int64_t localToUtc(int64_t local, const TimeZone& tz, bool utc) {
    if (utc) return local;
    int64_t d = floorDiv(local, kDay);
    int64_t sod = local - d * kDay;
    CivilDate c = civilFromDays(int32_t(d));
    return fromCivil(CivilDateTime{c.year, c.month, c.day, uint8_t(sod / 3600), uint8_t(sod / 60 % 60), uint8_t(sod % 60)}, tz);
}

inline uint16_t clampDate(int64_t d) { return d < 0 ? 0 : d > 65535 ? 65535 : uint16_t(d); }
inline uint32_t clampDateTime(int64_t t) { return t < 0 ? 0 : t > 0xFFFFFFFFLL ? 0xFFFFFFFFu : uint32_t(t); }

const TimeZone& zoneForArgs(const ColumnsWithTypeAndName& args, size_t tz_idx, const FunctionContext& ctx, const std::string& fn,
                            std::string* explicit_name = nullptr) {
    if (args.size() > tz_idx) {
        std::string n = constStringArg(args, tz_idx, fn);
        if (explicit_name) *explicit_name = n;
        return getTimeZone(n.empty() ? ctx.session_timezone : n);
    }
    return zoneOf(args[0].type, ctx);
}

// ---- component extraction ------------------------------------------------------------------

enum class Comp {
    Year, Quarter, Month, DayOfYear, DayOfMonth, DayOfWeek, Hour, Minute, Second, Millisecond,
    YYYYMM, YYYYMMDD, YYYYMMDDhhmmss, ISOWeek, ISOYear, Week, YearWeek,
    RelDay, RelWeek, RelMonth, RelQuarter, RelYear, RelHour, RelMinute, RelSecond,
};

struct CompInfo { const char* name; Comp c; TypeId result; bool time_only; };
const CompInfo kComps[] = {
    {"toYear", Comp::Year, TypeId::UInt16, false},
    {"toQuarter", Comp::Quarter, TypeId::UInt8, false},
    {"toMonth", Comp::Month, TypeId::UInt8, false},
    {"toDayOfYear", Comp::DayOfYear, TypeId::UInt16, false},
    {"toDayOfMonth", Comp::DayOfMonth, TypeId::UInt8, false},
    {"toDayOfWeek", Comp::DayOfWeek, TypeId::UInt8, false},
    {"toHour", Comp::Hour, TypeId::UInt8, true},
    {"toMinute", Comp::Minute, TypeId::UInt8, true},
    {"toSecond", Comp::Second, TypeId::UInt8, true},
    {"toMillisecond", Comp::Millisecond, TypeId::UInt16, true},
    {"toYYYYMM", Comp::YYYYMM, TypeId::UInt32, false},
    {"toYYYYMMDD", Comp::YYYYMMDD, TypeId::UInt32, false},
    {"toYYYYMMDDhhmmss", Comp::YYYYMMDDhhmmss, TypeId::UInt64, false},
    {"toISOWeek", Comp::ISOWeek, TypeId::UInt8, false},
    {"toISOYear", Comp::ISOYear, TypeId::UInt16, false},
    {"toWeek", Comp::Week, TypeId::UInt8, false},
    {"toYearWeek", Comp::YearWeek, TypeId::UInt32, false},
    {"toRelativeDayNum", Comp::RelDay, TypeId::UInt32, false},
    {"toRelativeWeekNum", Comp::RelWeek, TypeId::UInt32, false},
    {"toRelativeMonthNum", Comp::RelMonth, TypeId::UInt32, false},
    {"toRelativeQuarterNum", Comp::RelQuarter, TypeId::UInt32, false},
    {"toRelativeYearNum", Comp::RelYear, TypeId::UInt16, false},
    {"toRelativeHourNum", Comp::RelHour, TypeId::UInt32, false},
    {"toRelativeMinuteNum", Comp::RelMinute, TypeId::UInt32, false},
    {"toRelativeSecondNum", Comp::RelSecond, TypeId::UInt32, false},
};

// Relative hour/minute numbers count absolute time shifted by the zone's offset at the epoch, so
// they advance exactly once per hour even across DST changes (ClickHouse's "stable" numbering).
template <Comp C>
inline uint64_t component(int64_t local, int64_t utc_shifted, int64_t frac, int64_t mul, int mode) {
    int64_t days = floorDiv(local, kDay);
    int64_t sod = local - days * kDay;
    if constexpr (C == Comp::Hour) return uint64_t(sod / 3600);
    else if constexpr (C == Comp::Minute) return uint64_t(sod / 60 % 60);
    else if constexpr (C == Comp::Second) return uint64_t(sod % 60);
    else if constexpr (C == Comp::Millisecond) return mul >= 1000 ? uint64_t(frac / (mul / 1000)) : uint64_t(frac * (1000 / mul));
    else if constexpr (C == Comp::DayOfWeek) {
        int wd = weekdayMon1(days);   // 1..7 Monday-first
        switch (mode) {
            case 1: return uint64_t(wd - 1);                  // Monday = 0
            case 2: return uint64_t(wd % 7);                  // Sunday = 0
            case 3: return uint64_t(wd % 7 + 1);              // Sunday = 1
            default: return uint64_t(wd);                     // Monday = 1
        }
    } else if constexpr (C == Comp::RelDay) return uint64_t(days);
    else if constexpr (C == Comp::RelWeek) return uint64_t(floorDiv(days + 3, 7));
    else if constexpr (C == Comp::RelHour) return uint64_t(floorDiv(utc_shifted, 3600));
    else if constexpr (C == Comp::RelMinute) return uint64_t(floorDiv(utc_shifted, 60));
    else if constexpr (C == Comp::RelSecond) return uint64_t(local);
    else if constexpr (C == Comp::ISOWeek || C == Comp::ISOYear) {
        int y, w;
        isoWeek(days, y, w);
        return C == Comp::ISOWeek ? uint64_t(w) : uint64_t(y);
    } else if constexpr (C == Comp::Week) return uint64_t(weekOfMode(days, mode, false).week);
    else if constexpr (C == Comp::YearWeek) {
        auto r = weekOfMode(days, mode, true);
        return uint64_t(r.year) * 100 + uint64_t(r.week);
    } else {
        CivilDate c = civilFromDays(int32_t(days));
        if constexpr (C == Comp::Year || C == Comp::RelYear) return uint64_t(c.year);
        else if constexpr (C == Comp::Quarter) return uint64_t((c.month - 1) / 3 + 1);
        else if constexpr (C == Comp::Month) return c.month;
        else if constexpr (C == Comp::DayOfMonth) return c.day;
        else if constexpr (C == Comp::DayOfYear) return uint64_t(days - daysFromCivil(c.year, 1, 1) + 1);
        else if constexpr (C == Comp::YYYYMM) return uint64_t(c.year) * 100 + c.month;
        else if constexpr (C == Comp::YYYYMMDD) return uint64_t(c.year) * 10000 + c.month * 100 + c.day;
        else if constexpr (C == Comp::YYYYMMDDhhmmss)
            return (uint64_t(c.year) * 10000 + c.month * 100 + c.day) * 1000000 + uint64_t(sod / 3600 * 10000 + sod / 60 % 60 * 100 + sod % 60);
        else if constexpr (C == Comp::RelMonth) return uint64_t(c.year) * 12 + c.month;
        else if constexpr (C == Comp::RelQuarter) return uint64_t(c.year) * 4 + (c.month - 1) / 3;
        else return 0;
    }
}

template <Comp C, typename Out>
ColumnPtr runComponent(const ColumnWithTypeAndName& a, const TimeZone& tz, int mode, size_t rows) {
    TimeReader r(a, tz);
    auto res = ColumnVector<Out>::create(rows);
    Out* out = res->getData().data();
    bool is_date = r.id == TypeId::Date || r.id == TypeId::Date32;
    int64_t epoch_off = is_date ? 0 : utcOffset(0, tz);
    r.forEach(rows, [&](size_t i, int64_t local, int64_t utc, int64_t frac) {
        out[i] = Out(component<C>(local, is_date ? local : utc + epoch_off, frac, r.mul, mode));
    });
    return res;
}

template <Comp C>
ColumnPtr dispatchComponent(TypeId rid, const ColumnWithTypeAndName& a, const TimeZone& tz, int mode, size_t rows) {
    switch (rid) {
        case TypeId::UInt8: return runComponent<C, uint8_t>(a, tz, mode, rows);
        case TypeId::UInt16: return runComponent<C, uint16_t>(a, tz, mode, rows);
        case TypeId::UInt32: return runComponent<C, uint32_t>(a, tz, mode, rows);
        default: return runComponent<C, uint64_t>(a, tz, mode, rows);
    }
}

using ComponentRunner = ColumnPtr (*)(TypeId, const ColumnWithTypeAndName&, const TimeZone&, int, size_t);

ComponentRunner componentRunner(Comp c) {
    switch (c) {
#define BASALT_COMP(X) case Comp::X: return &dispatchComponent<Comp::X>;
        BASALT_COMP(Year) BASALT_COMP(Quarter) BASALT_COMP(Month) BASALT_COMP(DayOfYear) BASALT_COMP(DayOfMonth)
        BASALT_COMP(DayOfWeek) BASALT_COMP(Hour) BASALT_COMP(Minute) BASALT_COMP(Second) BASALT_COMP(Millisecond)
        BASALT_COMP(YYYYMM) BASALT_COMP(YYYYMMDD) BASALT_COMP(YYYYMMDDhhmmss) BASALT_COMP(ISOWeek) BASALT_COMP(ISOYear)
        BASALT_COMP(Week) BASALT_COMP(YearWeek) BASALT_COMP(RelDay) BASALT_COMP(RelWeek) BASALT_COMP(RelMonth)
        BASALT_COMP(RelQuarter) BASALT_COMP(RelYear) BASALT_COMP(RelHour) BASALT_COMP(RelMinute) BASALT_COMP(RelSecond)
#undef BASALT_COMP
    }
    return nullptr;
}

void registerComponents(FunctionFactory& f) {
    for (const CompInfo& info : kComps) {
        CompInfo ci = info;
        f.registerFunction(ci.name, [ci](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
            std::string fn = ci.name;
            bool has_mode = ci.c == Comp::DayOfWeek || ci.c == Comp::Week || ci.c == Comp::YearWeek;
            checkArgumentCount(fn, args, 1, has_mode ? 3 : 2);
            DataTypePtr t = args[0].type;
            if (!isTemporal(t))
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of argument of function " + fn +
                                                                          ". Should be Date, Date32, DateTime or DateTime64");
            if (ci.time_only && (t->id == TypeId::Date || t->id == TypeId::Date32))
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal argument of type " + t->name() + " for function " + fn);
            if (ci.c == Comp::Millisecond && t->id != TypeId::DateTime64 && t->id != TypeId::DateTime) throwIllegalType(fn, t, 0);
            int mode = 0;
            size_t tz_idx = 1;
            if (has_mode && args.size() >= 2) {
                if (args[1].type->isStringOrFixed() && args.size() == 2) tz_idx = 1;
                else { mode = int(constIntArg(args, 1, fn)); tz_idx = 2; }
            }
            if (ci.c == Comp::DayOfWeek && (mode < 0 || mode > 3)) mode &= 3;
            const TimeZone* tz = &zoneForArgs(args, tz_idx, ctx, fn);
            ComponentRunner run = componentRunner(ci.c);
            TypeId rid = ci.result;
            return makeFunction(fn, makeType(rid), [run, rid, tz, mode](const ColumnsWithTypeAndName& a, size_t rows) {
                return run(rid, a[0], *tz, mode, rows);
            });
        });
    }
    f.registerAlias("YEAR", "toYear", true);
    f.registerAlias("QUARTER", "toQuarter", true);
    f.registerAlias("MONTH", "toMonth", true);
    f.registerAlias("DAYOFYEAR", "toDayOfYear", true);
    f.registerAlias("DAY", "toDayOfMonth", true);
    f.registerAlias("DAYOFMONTH", "toDayOfMonth", true);
    f.registerAlias("DAYOFWEEK", "toDayOfWeek", true);
    f.registerAlias("HOUR", "toHour", true);
    f.registerAlias("MINUTE", "toMinute", true);
    f.registerAlias("SECOND", "toSecond", true);
}

// ---- truncation --------------------------------------------------------------------------------

enum class Trunc { Year, Quarter, Month, Week, Day, Hour, Minute, Second, Millisecond, Microsecond, Nanosecond };

// Truncates local day number to the start of the containing unit, in multiples of n units.
int64_t truncDays(int64_t days, Trunc u, int64_t n, int week_mode) {
    switch (u) {
        case Trunc::Day: return n == 1 ? days : floorDiv(days, n) * n;
        case Trunc::Week: {
            if (n == 1) {
                bool monday = week_mode & 1;
                int wd = weekdayMon1(days);
                return days - (monday ? wd - 1 : wd % 7);
            }
            // Multi-week buckets are counted from the first Monday after the epoch (1970-01-05).
            return 4 + floorDiv(days - 4, 7 * n) * 7 * n;
        }
        case Trunc::Month: case Trunc::Quarter: case Trunc::Year: {
            CivilDate c = civilFromDays(int32_t(days));
            int64_t months = int64_t(c.year) * 12 + (c.month - 1);
            int64_t step = u == Trunc::Month ? n : u == Trunc::Quarter ? 3 * n : 12 * n;
            if (u == Trunc::Year) months = floorDiv(int64_t(c.year), n) * n * 12;
            else months = floorDiv(months, step) * step;
            return daysFromCivil(int32_t(floorDiv(months, 12)), unsigned(months - floorDiv(months, 12) * 12 + 1), 1);
        }
        default: return days;
    }
}

// Result kind of a truncation.
enum class TruncOut { Date, DateTime, DateTime64 };

struct TruncSpec {
    Trunc unit;
    int64_t n = 1;
    int week_mode = 0;
    bool utc_floor = false;   // sub-hour intervals floor the epoch seconds (zone offsets are whole minutes)
};

// Runs a truncation producing `out` kind; `tz` gives the wall clock.
ColumnPtr runTrunc(const ColumnWithTypeAndName& a, const TimeZone& tz, const TruncSpec& s, TruncOut out, uint32_t out_scale,
                   const FunctionContext& ctx, size_t rows) {
    ColumnWithTypeAndName arg = a;
    // A Date truncated to a time unit denotes local midnight in tz.
    TimeReader r(arg, tz);
    bool utc = r.utc;
    if (out == TruncOut::Date) {
        auto res = ColumnUInt16::create(rows);
        auto* o = res->getData().data();
        r.forEach(rows, [&](size_t i, int64_t local, int64_t, int64_t) { o[i] = clampDate(truncDays(floorDiv(local, kDay), s.unit, s.n, s.week_mode)); });
        return res;
    }
    (void)ctx;
    int64_t unit_secs = s.unit == Trunc::Hour ? 3600 : s.unit == Trunc::Minute ? 60 : 1;
    if (out == TruncOut::DateTime && utc && s.n == 1 && (s.unit == Trunc::Day || s.unit == Trunc::Hour || s.unit == Trunc::Minute) &&
        a.type->id == TypeId::DateTime && !a.column->isConst() && !a.column->isNullable()) {
        // UTC DateTime to the start of its day/hour/minute: whole seconds since the epoch, no
        // calendar (the dashboard case: toStartOfDay(ts) over a column). Vectorizes.
        const uint32_t step = s.unit == Trunc::Day ? uint32_t(kDay) : uint32_t(unit_secs);
        const auto& in = static_cast<const ColumnUInt32&>(*a.column).getData();
        auto res = ColumnUInt32::create(rows);
        auto* o = res->getData().data();
        for (size_t i = 0; i < rows; ++i) o[i] = in[i] - in[i] % step;
        return res;
    }
    if (out == TruncOut::DateTime) {
        auto res = ColumnUInt32::create(rows);
        auto* o = res->getData().data();
        bool is_date = a.type->id == TypeId::Date || a.type->id == TypeId::Date32;
        r.forEach(rows, [&](size_t i, int64_t local, int64_t t, int64_t) {
            int64_t v;
            if (s.unit <= Trunc::Day) {
                v = localToUtc(truncDays(floorDiv(local, kDay), s.unit, s.n, s.week_mode) * kDay, tz, utc);
            } else if (s.utc_floor && !is_date) {
                int64_t step = unit_secs * s.n;
                v = floorDiv(t, step) * step;
            } else {
                int64_t step = unit_secs * s.n;
                int64_t tl = floorDiv(local, step) * step;
                v = is_date ? localToUtc(tl, tz, utc) : t - (local - tl);
            }
            o[i] = clampDateTime(v);
        });
        return res;
    }
    // DateTime64: sub-second truncation keeps the input scale.
    auto res = ColumnInt64::create(rows);
    auto* o = res->getData().data();
    int64_t omul = pow10i(out_scale);
    r.forEach(rows, [&](size_t i, int64_t local, int64_t t, int64_t frac) {
        int64_t ticks = t * r.mul + frac;   // in input scale
        int64_t v;
        if (s.unit >= Trunc::Second) {
            int64_t per = s.unit == Trunc::Second ? r.mul : s.unit == Trunc::Millisecond ? r.mul / 1000 : s.unit == Trunc::Microsecond ? r.mul / 1000000 : r.mul / 1000000000;
            if (per <= 0) per = 1;
            int64_t step = per * s.n;
            v = floorDiv(ticks, step) * step;
        } else if (s.unit <= Trunc::Day) {
            v = localToUtc(truncDays(floorDiv(local, kDay), s.unit, s.n, s.week_mode) * kDay, tz, utc) * r.mul;
        } else {
            int64_t step = unit_secs * s.n;
            int64_t tl = floorDiv(local, step) * step;
            v = (t - (local - tl)) * r.mul;
        }
        o[i] = r.mul == omul ? v : v / r.mul * omul;
    });
    return res;
}

DataTypePtr dateTimeLike(const DataTypePtr& in, const std::string& tzname) { return makeDateTime(tzname.empty() ? in->timezone : tzname); }

void registerTruncations(FunctionFactory& f) {
    struct Def { const char* name; Trunc unit; int64_t n; TruncOut out; };
    static const Def kDefs[] = {
        {"toStartOfYear", Trunc::Year, 1, TruncOut::Date},
        {"toStartOfQuarter", Trunc::Quarter, 1, TruncOut::Date},
        {"toStartOfMonth", Trunc::Month, 1, TruncOut::Date},
        {"toMonday", Trunc::Week, 1, TruncOut::Date},
        {"toStartOfWeek", Trunc::Week, 1, TruncOut::Date},
        {"toStartOfDay", Trunc::Day, 1, TruncOut::DateTime},
        {"toStartOfHour", Trunc::Hour, 1, TruncOut::DateTime},
        {"toStartOfMinute", Trunc::Minute, 1, TruncOut::DateTime},
        {"toStartOfFiveMinutes", Trunc::Minute, 5, TruncOut::DateTime},
        {"toStartOfTenMinutes", Trunc::Minute, 10, TruncOut::DateTime},
        {"toStartOfFifteenMinutes", Trunc::Minute, 15, TruncOut::DateTime},
        {"toStartOfSecond", Trunc::Second, 1, TruncOut::DateTime64},
        {"toStartOfMillisecond", Trunc::Millisecond, 1, TruncOut::DateTime64},
        {"toStartOfMicrosecond", Trunc::Microsecond, 1, TruncOut::DateTime64},
        {"toStartOfNanosecond", Trunc::Nanosecond, 1, TruncOut::DateTime64},
    };
    for (const Def& d0 : kDefs) {
        Def d = d0;
        f.registerFunction(d.name, [d](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
            std::string fn = d.name;
            bool week = fn == "toStartOfWeek";
            checkArgumentCount(fn, args, 1, week ? 3 : 2);
            DataTypePtr t = args[0].type;
            if (!isTemporal(t))
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of argument of function " + fn +
                                                                          ". Should be a date or a date with time");
            bool is_date = t->id == TypeId::Date || t->id == TypeId::Date32;
            if (d.unit > Trunc::Day && is_date)
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal argument of type " + t->name() + " for function " + fn);
            if (d.out == TruncOut::DateTime64 && t->id != TypeId::DateTime64)
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of argument for function " + fn);
            TruncSpec s{d.unit, d.n, 0, false};
            size_t tz_idx = 1;
            if (week && args.size() >= 2) { s.week_mode = int(constIntArg(args, 1, fn)); tz_idx = 2; }
            if (fn == "toMonday") s.week_mode = 1;
            std::string tzname;
            const TimeZone* tz = &zoneForArgs(args, tz_idx, ctx, fn, &tzname);
            DataTypePtr rt;
            uint32_t scale = t->scale;
            if (d.out == TruncOut::Date) rt = makeType(TypeId::Date);
            else if (d.out == TruncOut::DateTime) rt = dateTimeLike(t, tzname);
            else rt = makeDateTime64(scale, tzname.empty() ? t->timezone : tzname);
            TruncOut out = d.out;
            return makeFunction(fn, rt, [tz, s, out, scale, ctx](const ColumnsWithTypeAndName& a, size_t rows) {
                return runTrunc(a[0], *tz, s, out, scale, ctx, rows);
            });
        });
    }
    f.registerAlias("toStartOfFiveMinute", "toStartOfFiveMinutes");

    // toLastDayOfMonth: the last day of the containing month.
    f.registerFunction("toLastDayOfMonth", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("toLastDayOfMonth", args, 1, 2);
        if (!isTemporal(args[0].type)) throwIllegalType("toLastDayOfMonth", args[0].type, 0);
        const TimeZone* tz = &zoneForArgs(args, 1, ctx, "toLastDayOfMonth");
        return makeFunction("toLastDayOfMonth", makeType(TypeId::Date), [tz](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            TimeReader r(a[0], *tz);
            auto res = ColumnUInt16::create(rows);
            auto* o = res->getData().data();
            r.forEach(rows, [&](size_t i, int64_t local, int64_t, int64_t) {
                CivilDate c = civilFromDays(int32_t(floorDiv(local, kDay)));
                o[i] = clampDate(daysFromCivil(c.year, c.month, unsigned(daysInMonth(c.year, c.month))));
            });
            return res;
        });
    });
    f.registerAlias("LAST_DAY", "toLastDayOfMonth", true);

    // toStartOfInterval(t, INTERVAL n unit [, tz])
    f.registerFunction("toStartOfInterval", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        const std::string fn = "toStartOfInterval";
        checkArgumentCount(fn, args, 2, 3);
        DataTypePtr t = args[0].type;
        if (!isTemporal(t)) throwIllegalType(fn, t, 0);
        if (args[1].type->id != TypeId::Interval)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + args[1].type->name() + " of argument of function " + fn +
                                                                      ". Should be an interval of time");
        if (!args[1].column || !args[1].column->isConst())
            throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Illegal column for second argument of function " + fn + ", must be constant");
        int64_t n = args[1].column->get(0).is<int64_t>() ? args[1].column->get(0).get<int64_t>() : int64_t(args[1].column->get(0).get<uint64_t>());
        if (n <= 0) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Value for second argument of function " + fn + " must be positive");
        IntervalKind k = args[1].type->interval_kind;
        bool is_date = t->id == TypeId::Date || t->id == TypeId::Date32;
        if (is_date && k < IntervalKind::Day)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal interval kind for argument data type " + t->name());
        if (t->id != TypeId::DateTime64 && k < IntervalKind::Second)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal interval kind for argument data type " + t->name());
        std::string tzname;
        const TimeZone* tz = &zoneForArgs(args, 2, ctx, fn, &tzname);
        TruncSpec s{Trunc::Day, n, 1, false};
        TruncOut out = TruncOut::DateTime;
        switch (k) {
            case IntervalKind::Nanosecond: s.unit = Trunc::Nanosecond; out = TruncOut::DateTime64; break;
            case IntervalKind::Microsecond: s.unit = Trunc::Microsecond; out = TruncOut::DateTime64; break;
            case IntervalKind::Millisecond: s.unit = Trunc::Millisecond; out = TruncOut::DateTime64; break;
            case IntervalKind::Second: s.unit = Trunc::Second; s.utc_floor = true; break;
            case IntervalKind::Minute: s.unit = Trunc::Minute; s.utc_floor = true; break;
            case IntervalKind::Hour: s.unit = Trunc::Hour; break;
            case IntervalKind::Day: s.unit = Trunc::Day; break;
            case IntervalKind::Week: s.unit = Trunc::Week; out = TruncOut::Date; break;
            case IntervalKind::Month: s.unit = Trunc::Month; out = TruncOut::Date; break;
            case IntervalKind::Quarter: s.unit = Trunc::Quarter; out = TruncOut::Date; break;
            case IntervalKind::Year: s.unit = Trunc::Year; out = TruncOut::Date; break;
        }
        uint32_t scale = t->scale;
        if (out == TruncOut::DateTime64 && scale < 3) scale = k == IntervalKind::Millisecond ? 3 : k == IntervalKind::Microsecond ? 6 : 9;
        DataTypePtr rt = out == TruncOut::Date ? makeType(TypeId::Date)
                       : out == TruncOut::DateTime ? dateTimeLike(t, tzname)
                                                   : makeDateTime64(t->scale, tzname.empty() ? t->timezone : tzname);
        uint32_t in_scale = t->scale;
        return makeFunction(fn, rt, [tz, s, out, in_scale, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            TruncSpec sp = s;
            if (out == TruncOut::DateTime && sp.unit == Trunc::Second && a[0].type->id == TypeId::DateTime64) {
                // Sub-minute steps on DateTime64 keep seconds granularity.
            }
            return runTrunc(a[0], *tz, sp, out, in_scale, ctx, rows);
        });
    }, {.case_insensitive = true});
    f.registerAlias("time_bucket", "toStartOfInterval", true);

    // date_trunc(unit, t [, tz]) maps onto the toStartOf* family.
    f.registerFunction("dateTrunc", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        const std::string fn = "dateTrunc";
        checkArgumentCount(fn, args, 2, 3);
        std::string unit = normalizeUnit(constStringArg(args, 0, fn));
        DataTypePtr t = args[1].type;
        if (!isTemporal(t)) throwIllegalType(fn, t, 1);
        std::string target;
        bool identity = false;
        if (unit == "year") target = "toStartOfYear";
        else if (unit == "quarter") target = "toStartOfQuarter";
        else if (unit == "month") target = "toStartOfMonth";
        else if (unit == "week") target = "toMonday";
        else if (unit == "day") target = "toStartOfDay";
        else if (unit == "hour") target = "toStartOfHour";
        else if (unit == "minute") target = "toStartOfMinute";
        else if (unit == "second") { if (t->id == TypeId::DateTime64) target = "toStartOfSecond"; else identity = true; }
        else throw Exception(ErrorCodes::BAD_ARGUMENTS, "Illegal value of first argument of function " + fn);
        ColumnsWithTypeAndName inner_args(args.begin() + 1, args.end());
        if (identity) {
            DataTypePtr rt = t;
            return makeFunction(fn, rt, [](const ColumnsWithTypeAndName& a, size_t) { return a[1].column; });
        }
        if ((unit == "hour" || unit == "minute" || unit == "day") && (t->id == TypeId::Date || t->id == TypeId::Date32)) {
            // Dates truncated to a time unit are first read as midnight.
            if (unit != "day") throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of argument of function " + fn);
        }
        FunctionPtr inner = FunctionFactory::instance().build(target, inner_args, ctx);
        DataTypePtr rt = inner->result_type;
        // ClickHouse keeps DateTime64 as DateTime64(0) for sub-day units.
        bool to_dt64 = t->id == TypeId::DateTime64 && (unit == "hour" || unit == "minute" || unit == "day");
        if (to_dt64) rt = makeDateTime64(0, rt->timezone);
        DataTypePtr inner_t = inner->result_type;
        return makeFunction(fn, rt, [inner, to_dt64, inner_t, rt, ctx](const ColumnsWithTypeAndName& a, size_t rows) {
            ColumnsWithTypeAndName x(a.begin() + 1, a.end());
            ColumnPtr r = inner->execute(x, rows);
            if (to_dt64) r = castColumn(r, inner_t, rt, ctx);
            return r;
        });
    }, {.case_insensitive = true});
    f.registerAlias("date_trunc", "dateTrunc", true);
}

// ---- arithmetic ----------------------------------------------------------------------------------

// Adds n months to a day number, clamping the day of month (Jan 31 + 1 month = Feb 29 in 2020).
inline int64_t addMonthsToDays(int64_t days, int64_t n) {
    CivilDate c = civilFromDays(int32_t(days));
    int64_t m = int64_t(c.year) * 12 + (c.month - 1) + n;
    int32_t y = int32_t(floorDiv(m, 12));
    int mm = int(m - int64_t(y) * 12) + 1;
    int dd = std::min<int>(c.day, daysInMonth(y, mm));
    return daysFromCivil(y, unsigned(mm), unsigned(dd));
}

enum class AddUnit { Nanosecond, Microsecond, Millisecond, Second, Minute, Hour, Day, Week, Month, Quarter, Year };

const char* addUnitName(AddUnit u) {
    static const char* k[] = {"Nanoseconds", "Microseconds", "Milliseconds", "Seconds", "Minutes", "Hours", "Days", "Weeks", "Months", "Quarters", "Years"};
    return k[int(u)];
}

FunctionPtr buildAdd(AddUnit unit, bool subtract, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = std::string(subtract ? "subtract" : "add") + addUnitName(unit);
    checkArgumentCount(fn, args, 2, 2);
    DataTypePtr t = args[0].type, nt = args[1].type;
    if (t->isStringOrFixed()) {
        // A string is read as DateTime64(3), as ClickHouse does for these functions.
        DataTypePtr dt = makeDateTime64(3);
        ColumnsWithTypeAndName inner_args = args;
        inner_args[0] = {nullptr, dt, ""};
        FunctionPtr inner = buildAdd(unit, subtract, inner_args, ctx);
        return makeFunction(fn, inner->result_type, [inner, t, dt, ctx](const ColumnsWithTypeAndName& a, size_t rows) {
            ColumnsWithTypeAndName x = a;
            x[0] = {castColumn(a[0].column, t, dt, ctx), dt, ""};
            return inner->execute(x, rows);
        });
    }
    if (!isTemporal(t)) {
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of first argument of function " + fn +
                                                                  ". Should be a date or a date with time");
    }
    if (!(nt->isNumber() || nt->id == TypeId::Bool || nt->id == TypeId::Interval))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + nt->name() + " of second argument of function " + fn +
                                                                  ". Should be number");
    bool sub_day = unit <= AddUnit::Hour;
    bool sub_second = unit <= AddUnit::Millisecond;
    uint32_t unit_scale = unit == AddUnit::Millisecond ? 3 : unit == AddUnit::Microsecond ? 6 : unit == AddUnit::Nanosecond ? 9 : 0;
    // Result type.
    DataTypePtr rt;
    TypeId in = t->id;
    if (sub_second) {
        uint32_t sc = std::max(in == TypeId::DateTime64 ? t->scale : 0u, unit_scale);
        rt = makeDateTime64(sc, t->timezone);
    } else if (sub_day) {
        if (in == TypeId::Date) rt = makeDateTime();
        else if (in == TypeId::Date32) rt = makeDateTime64(3);
        else rt = t;
    } else {
        rt = t;
    }
    // Work on a DateTime-like input when the result has time (a Date becomes midnight in the session zone).
    DataTypePtr work_t = t;
    if (sub_day && (in == TypeId::Date || in == TypeId::Date32)) work_t = rt;
    if (sub_second && in != TypeId::DateTime64) work_t = makeDateTime64(0, t->timezone);
    const TimeZone* tz = &zoneOf(work_t, ctx);
    int64_t sign = subtract ? -1 : 1;
    return makeFunction(fn, rt, [=](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = a[0].column;
        if (!work_t->equals(*t)) x = castColumn(x, t, work_t, ctx);
        ColumnPtr nc = materialize(castColumn(a[1].column, a[1].type->id == TypeId::Interval ? makeType(TypeId::Int64) : a[1].type,
                                              makeType(TypeId::Int64), ctx));
        const int64_t* n = static_cast<const ColumnInt64&>(*nc).getData().data();
        ColumnWithTypeAndName w{x, work_t, ""};
        TimeReader r(w, *tz);
        TypeId wid = work_t->id;
        if (wid == TypeId::Date || wid == TypeId::Date32) {
            // Day-granular arithmetic on dates; Date wraps like ClickHouse's UInt16 storage.
            auto calc = [&](int64_t days, int64_t k) -> int64_t {
                k *= sign;
                switch (unit) {
                    case AddUnit::Day: return days + k;
                    case AddUnit::Week: return days + 7 * k;
                    case AddUnit::Month: return addMonthsToDays(days, k);
                    case AddUnit::Quarter: return addMonthsToDays(days, 3 * k);
                    case AddUnit::Year: return addMonthsToDays(days, 12 * k);
                    default: return days;
                }
            };
            if (wid == TypeId::Date) {
                auto res = ColumnUInt16::create(rows);
                auto* o = res->getData().data();
                r.forEach(rows, [&](size_t i, int64_t local, int64_t, int64_t) { o[i] = uint16_t(calc(floorDiv(local, kDay), n[i])); });
                return res;
            }
            auto res = ColumnInt32::create(rows);
            auto* o = res->getData().data();
            r.forEach(rows, [&](size_t i, int64_t local, int64_t, int64_t) { o[i] = int32_t(calc(floorDiv(local, kDay), n[i])); });
            return res;
        }
        // DateTime / DateTime64: seconds arithmetic for time units, civil arithmetic for calendar units.
        uint32_t out_scale = rt->id == TypeId::DateTime64 ? rt->scale : 0;
        int64_t omul = pow10i(out_scale);
        int64_t rescale = omul / r.mul;
        auto calc = [&](int64_t local, int64_t t, int64_t frac, int64_t k) -> int64_t {   // returns ticks in out scale
            k *= sign;
            switch (unit) {
                case AddUnit::Nanosecond: case AddUnit::Microsecond: case AddUnit::Millisecond: {
                    int64_t per = omul / pow10i(unit_scale);
                    return (t * r.mul + frac) * rescale + k * per;
                }
                case AddUnit::Second: return (t + k) * omul + frac * rescale;
                case AddUnit::Minute: return (t + 60 * k) * omul + frac * rescale;
                case AddUnit::Hour: return (t + 3600 * k) * omul + frac * rescale;
                default: break;
            }
            int64_t days = floorDiv(local, kDay), sod = local - days * kDay;
            int64_t nd = days;
            switch (unit) {
                case AddUnit::Day: nd = days + k; break;
                case AddUnit::Week: nd = days + 7 * k; break;
                case AddUnit::Month: nd = addMonthsToDays(days, k); break;
                case AddUnit::Quarter: nd = addMonthsToDays(days, 3 * k); break;
                case AddUnit::Year: nd = addMonthsToDays(days, 12 * k); break;
                default: break;
            }
            int64_t nt = r.utc ? nd * kDay + sod : localToUtc(nd * kDay + sod, *tz, false);
            return nt * omul + frac * rescale;
        };
        if (rt->id == TypeId::DateTime) {
            auto res = ColumnUInt32::create(rows);
            auto* o = res->getData().data();
            r.forEach(rows, [&](size_t i, int64_t local, int64_t t, int64_t frac) { o[i] = uint32_t(calc(local, t, frac, n[i])); });
            return res;
        }
        auto res = ColumnInt64::create(rows);
        auto* o = res->getData().data();
        r.forEach(rows, [&](size_t i, int64_t local, int64_t t, int64_t frac) { o[i] = calc(local, t, frac, n[i]); });
        return res;
    });
}

// dateDiff / age: difference of b - a in whole units; `age` counts only fully elapsed units.
FunctionPtr buildDateDiff(bool age, const std::string& fn, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount(fn, args, 3, 4);
    std::string unit_text = constStringArg(args, 0, fn);
    std::string unit = normalizeUnit(unit_text);
    if (unit.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Function " + fn + " does not support '" + unit_text + "' unit");
    for (size_t i = 1; i <= 2; ++i)
        if (!isTemporal(args[i].type))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string(i == 1 ? "Second" : "Third") + " argument for function " + fn +
                                                                      " must be Date, Date32, DateTime or DateTime64");
    // Zone: explicit, else the first DateTime argument's zone.
    const TimeZone* tz;
    if (args.size() == 4) tz = &getTimeZone(constStringArg(args, 3, fn));
    else if (!(args[1].type->id == TypeId::Date || args[1].type->id == TypeId::Date32)) tz = &zoneOf(args[1].type, ctx);
    else tz = &zoneOf(args[2].type, ctx);
    return makeFunction(fn, makeType(TypeId::Int64), [=](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        // Both sides as DateTime64(9)-like (seconds + nanoseconds) plus local seconds.
        auto read = [&](const ColumnWithTypeAndName& c, std::vector<int64_t>& loc, std::vector<int64_t>& utc, std::vector<int64_t>& ns) {
            ColumnWithTypeAndName x = c;
            bool is_date = c.type->id == TypeId::Date || c.type->id == TypeId::Date32;
            if (is_date) {
                DataTypePtr dt = makeDateTime64(0, timeZoneName(*tz));
                x = {castColumn(c.column, c.type, dt, ctx), dt, ""};
            }
            TimeReader r(x, *tz);
            loc.resize(rows); utc.resize(rows); ns.resize(rows);
            int64_t to_ns = 1000000000 / r.mul;
            r.forEach(rows, [&](size_t i, int64_t l, int64_t t, int64_t frac) { loc[i] = l; utc[i] = t; ns[i] = frac * to_ns; });
        };
        std::vector<int64_t> la, ua, na, lb, ub, nb;
        int64_t epoch_off = utcOffset(0, *tz);
        read(a[1], la, ua, na);
        read(a[2], lb, ub, nb);
        auto res = ColumnInt64::create(rows);
        auto* o = res->getData().data();
        for (size_t i = 0; i < rows; ++i) {
            int64_t d = 0;
            __int128 ta = __int128(ua[i]) * 1000000000 + na[i], tb = __int128(ub[i]) * 1000000000 + nb[i];
            if (unit == "nanosecond") d = int64_t(tb - ta);
            else if (unit == "microsecond") d = age ? int64_t((tb - ta) / 1000) : int64_t(floorDiv(int64_t(tb / 1), 1) / 1000 - int64_t(ta) / 1000);
            else if (unit == "millisecond") d = age ? int64_t((tb - ta) / 1000000) : int64_t(tb / 1000000 - ta / 1000000);
            else if (unit == "second") d = age ? int64_t((tb - ta) / 1000000000) : ub[i] - ua[i];
            else if (unit == "minute") d = age ? int64_t((tb - ta) / 60000000000LL) : floorDiv(ub[i] + epoch_off, 60) - floorDiv(ua[i] + epoch_off, 60);
            else if (unit == "hour") d = age ? int64_t((tb - ta) / 3600000000000LL) : floorDiv(ub[i] + epoch_off, 3600) - floorDiv(ua[i] + epoch_off, 3600);
            else {
                int64_t da = floorDiv(la[i], kDay), db = floorDiv(lb[i], kDay);
                if (unit == "day" || unit == "week") {
                    d = db - da;
                    if (age) {
                        // Only whole days: the time of day of b must have reached that of a.
                        int64_t sa = la[i] - da * kDay, sb = lb[i] - db * kDay;
                        if (d > 0 && (sb < sa || (sb == sa && nb[i] < na[i]))) --d;
                        else if (d < 0 && (sb > sa || (sb == sa && nb[i] > na[i]))) ++d;
                        if (unit == "week") d /= 7;
                    } else if (unit == "week") {
                        d = floorDiv(db + 3, 7) - floorDiv(da + 3, 7);
                    }
                } else {
                    CivilDate ca = civilFromDays(int32_t(da)), cb = civilFromDays(int32_t(db));
                    int64_t ma = int64_t(ca.year) * 12 + ca.month - 1, mb = int64_t(cb.year) * 12 + cb.month - 1;
                    if (age) {
                        int64_t m = mb - ma;
                        // Compare (day, time of day) within the month to see whether the last month completed.
                        auto key = [](const CivilDate& c, int64_t sod, int64_t ns) { return (__int128(c.day) * kDay + sod) * 1000000000 + ns; };
                        __int128 ka = key(ca, la[i] - da * kDay, na[i]), kb = key(cb, lb[i] - db * kDay, nb[i]);
                        if (m > 0 && kb < ka) --m;
                        else if (m < 0 && kb > ka) ++m;
                        d = unit == "month" ? m : unit == "quarter" ? m / 3 : m / 12;
                    } else {
                        if (unit == "month") d = mb - ma;
                        else if (unit == "quarter") d = floorDiv(mb, 3) - floorDiv(ma, 3);
                        else d = int64_t(cb.year) - ca.year;
                    }
                }
            }
            o[i] = d;
        }
        return res;
    });
}

// dateAdd(date, interval) / dateAdd(unit, n, date) and the subtracting twins.
FunctionPtr buildDateAddGeneric(bool subtract, const std::string& fn, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount(fn, args, 2, 3);
    auto& ff = FunctionFactory::instance();
    if (args.size() == 2) {
        const ColumnWithTypeAndName* date = &args[0];
        const ColumnWithTypeAndName* iv = &args[1];
        bool swapped = false;
        if (args[0].type->id == TypeId::Interval) { std::swap(date, iv); swapped = true; }
        if (iv->type->id != TypeId::Interval) throwIllegalType(fn, iv->type, 1);
        std::string target = std::string(subtract ? "subtract" : "add") + intervalKindName(iv->type->interval_kind) + "s";
        ColumnWithTypeAndName n = *iv;
        n.type = makeType(TypeId::Int64);
        FunctionPtr inner = ff.build(target, {*date, n}, ctx);
        return makeFunction(fn, inner->result_type, [inner, swapped](const ColumnsWithTypeAndName& a, size_t rows) {
            ColumnsWithTypeAndName x = swapped ? ColumnsWithTypeAndName{a[1], a[0]} : a;
            x[1].type = makeType(TypeId::Int64);
            return inner->execute(x, rows);
        });
    }
    std::string unit = normalizeUnit(constStringArg(args, 0, fn));
    if (unit.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Illegal unit of function " + fn);
    std::string u = unit;
    u[0] = char(std::toupper(u[0]));
    std::string target = std::string(subtract ? "subtract" : "add") + u + "s";
    FunctionPtr inner = ff.build(target, {args[2], args[1]}, ctx);
    return makeFunction(fn, inner->result_type, [inner](const ColumnsWithTypeAndName& a, size_t rows) {
        return inner->execute({a[2], a[1]}, rows);
    });
}

void registerArithmetic(FunctionFactory& f) {
    for (int u = 0; u <= int(AddUnit::Year); ++u) {
        for (bool sub : {false, true}) {
            AddUnit unit = AddUnit(u);
            std::string name = std::string(sub ? "subtract" : "add") + addUnitName(unit);
            f.registerFunction(name, [unit, sub](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildAdd(unit, sub, a, c); });
        }
    }
    for (auto [name, sub] : {std::pair{"dateAdd", false}, std::pair{"dateSub", true}, std::pair{"timestampAdd", false}, std::pair{"timestampSub", true}}) {
        std::string n = name;
        bool s = sub;
        f.registerFunction(n, [n, s](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildDateAddGeneric(s, n, a, c); },
                           {.case_insensitive = true});
    }
    f.registerAlias("date_add", "dateAdd", true);
    f.registerAlias("date_sub", "dateSub", true);
    f.registerAlias("timestamp_add", "timestampAdd", true);
    f.registerAlias("timestamp_sub", "timestampSub", true);
    f.registerFunction("dateDiff", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildDateDiff(false, "dateDiff", a, c); },
                       {.case_insensitive = true});
    f.registerAlias("date_diff", "dateDiff", true);
    f.registerAlias("timestampDiff", "dateDiff", true);
    f.registerAlias("timestamp_diff", "dateDiff", true);
    f.registerFunction("age", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildDateDiff(true, "age", a, c); });

    // toInterval<Unit>(n): the value as Int64 with an Interval type.
    for (int k = 0; k <= int(IntervalKind::Year); ++k) {
        IntervalKind kind = IntervalKind(k);
        std::string name = std::string("toInterval") + intervalKindName(kind);
        f.registerFunction(name, [kind, name](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
            checkArgumentCount(name, a, 1, 1);
            DataTypePtr t = a[0].type;
            if (!(t->isNumber() || t->id == TypeId::Bool || t->isDecimal() || t->isStringOrFixed())) throwIllegalType(name, t, 0);
            return makeFunction(name, makeInterval(kind), [t, ctx](const ColumnsWithTypeAndName& x, size_t) -> ColumnPtr {
                return castColumn(x[0].column, t, makeType(TypeId::Int64), ctx);
            });
        });
    }
}

// ---- construction and zones ---------------------------------------------------------------------

void registerConstruction(FunctionFactory& f) {
    // toUnixTimestamp(x [, tz]): DateTime -> seconds; String parsed as DateTime in tz; Date -> midnight.
    f.registerFunction("toUnixTimestamp", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("toUnixTimestamp", args, 1, 2);
        DataTypePtr t = args[0].type;
        if (!isTemporal(t) && !t->isStringOrFixed()) throwIllegalType("toUnixTimestamp", t, 0);
        std::string tzname = args.size() == 2 ? constStringArg(args, 1, "toUnixTimestamp") : t->timezone;
        if (!tzname.empty()) getTimeZone(tzname);
        return makeFunction("toUnixTimestamp", makeType(TypeId::UInt32), [t, tzname, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            if (t->id == TypeId::DateTime64) {
                ColumnPtr c = materialize(a[0].column);
                auto& v = static_cast<const ColumnInt64&>(*c).getData();
                int64_t mul = pow10i(t->scale);
                auto res = ColumnUInt32::create(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = uint32_t(v[i] / mul);   // truncates toward zero
                return res;
            }
            DataTypePtr dt = makeDateTime(tzname);
            ColumnPtr c = castColumn(a[0].column, t, dt, ctx);
            return castColumn(c, dt, makeType(TypeId::UInt32), ctx);
        });
    });

    // fromUnixTimestamp(ts [, tz]) -> DateTime; fromUnixTimestamp(ts, format [, tz]) -> String.
    f.registerFunction("fromUnixTimestamp", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        const std::string fn = "fromUnixTimestamp";
        checkArgumentCount(fn, args, 1, 3);
        DataTypePtr t = args[0].type;
        if (!(t->isInteger() || t->isFloat() || t->isDecimal() || isTemporal(t))) throwIllegalType(fn, t, 0);
        if (args.size() >= 2) {
            // Formatting form, delegated to formatDateTime after reading the number as DateTime.
            ColumnsWithTypeAndName fa = args;
            DataTypePtr dt = makeDateTime(args.size() == 3 ? constStringArg(args, 2, fn) : "");
            fa[0] = {nullptr, dt, ""};
            FunctionPtr inner = FunctionFactory::instance().build("formatDateTime", fa, ctx);
            return makeFunction(fn, inner->result_type, [inner, t, dt, ctx](const ColumnsWithTypeAndName& a, size_t rows) {
                ColumnsWithTypeAndName x = a;
                x[0] = {castColumn(a[0].column, t, dt, ctx), dt, ""};
                return inner->execute(x, rows);
            });
        }
        DataTypePtr dt = makeDateTime();
        return makeFunction(fn, dt, [t, dt, ctx](const ColumnsWithTypeAndName& a, size_t) { return castColumn(a[0].column, t, dt, ctx); });
    });
    f.registerAlias("FROM_UNIXTIME", "fromUnixTimestamp", true);

    // makeDate(y, m, d) / makeDate(y, day_of_year); invalid or out-of-range dates give the epoch.
    for (auto [name, date32] : {std::pair{"makeDate", false}, std::pair{"makeDate32", true}}) {
        std::string n = name;
        bool d32 = date32;
        f.registerFunction(n, [n, d32](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
            checkArgumentCount(n, args, 2, 3);
            for (size_t i = 0; i < args.size(); ++i)
                if (!(args[i].type->isNumber() || args[i].type->isDecimal())) throwIllegalType(n, args[i].type, i);
            DataTypePtr rt = makeType(d32 ? TypeId::Date32 : TypeId::Date);
            return makeFunction(n, rt, [d32, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                std::vector<ColumnPtr> v;
                for (auto& x : a) v.push_back(materialize(castColumn(x.column, x.type, makeType(TypeId::Float64), ctx)));
                auto get = [&](size_t k, size_t i) { return static_cast<const ColumnFloat64&>(*v[k]).getData()[i]; };
                int64_t lo = d32 ? daysFromCivil(1900, 1, 1) : 0;
                int64_t hi = d32 ? daysFromCivil(2299, 12, 31) : 65535;
                auto compute = [&](size_t i) -> int64_t {
                    double y = get(0, i);
                    if (!std::isfinite(y) || y < 0 || y > 9999) return d32 ? lo : 0;
                    int64_t days;
                    if (a.size() == 2) {
                        double doy = get(1, i);
                        if (!std::isfinite(doy) || doy < 1 || doy > 366 * 10000) return d32 ? lo : 0;
                        days = daysFromCivil(int32_t(y), 1, 1) + int64_t(doy) - 1;
                    } else {
                        double m = get(1, i), d = get(2, i);
                        if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31)) return d32 ? lo : 0;
                        int mm = int(m), dd = int(d);
                        // Days past the month's end roll over (Feb 29 2021 -> Mar 1), as in ClickHouse.
                        days = daysFromCivil(int32_t(y), unsigned(mm), 1) + dd - 1;
                    }
                    if (days < lo) return lo;
                    if (days > hi) return d32 ? hi : lo;
                    return days;
                };
                if (d32) {
                    auto res = ColumnInt32::create(rows);
                    for (size_t i = 0; i < rows; ++i) res->getData()[i] = int32_t(compute(i));
                    return res;
                }
                auto res = ColumnUInt16::create(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = uint16_t(compute(i));
                return res;
            });
        });
    }

    // makeDateTime(y, m, d, h, mi, s [, tz])
    f.registerFunction("makeDateTime", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        const std::string fn = "makeDateTime";
        checkArgumentCount(fn, args, 6, 7);
        for (size_t i = 0; i < 6; ++i)
            if (!(args[i].type->isNumber() || args[i].type->isDecimal())) throwIllegalType(fn, args[i].type, i);
        std::string tzname = args.size() == 7 ? constStringArg(args, 6, fn) : "";
        const TimeZone* tz = &getTimeZone(tzname.empty() ? ctx.session_timezone : tzname);
        return makeFunction(fn, makeDateTime(tzname), [tz, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            std::vector<ColumnPtr> v;
            for (size_t k = 0; k < 6; ++k) v.push_back(materialize(castColumn(a[k].column, a[k].type, makeType(TypeId::Float64), ctx)));
            auto res = ColumnUInt32::create(rows);
            for (size_t i = 0; i < rows; ++i) {
                double p[6];
                for (int k = 0; k < 6; ++k) p[k] = static_cast<const ColumnFloat64&>(*v[k]).getData()[i];
                bool ok = p[0] >= 1970 && p[0] <= 2106 && p[1] >= 1 && p[1] <= 12 && p[2] >= 1 && p[2] <= 31 && p[3] >= 0 && p[3] <= 23 &&
                          p[4] >= 0 && p[4] <= 59 && p[5] >= 0 && p[5] <= 59;
                if (ok && int(p[2]) > daysInMonth(int32_t(p[0]), int(p[1]))) ok = false;
                int64_t t = ok ? fromCivil(CivilDateTime{int32_t(p[0]), uint8_t(p[1]), uint8_t(p[2]), uint8_t(p[3]), uint8_t(p[4]), uint8_t(p[5])}, *tz) : 0;
                res->getData()[i] = clampDateTime(t);
            }
            return res;
        });
    });

    // toTimeZone(dt, tz): same instant, different display zone.
    f.registerFunction("toTimeZone", [](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("toTimeZone", args, 2, 2);
        DataTypePtr t = args[0].type;
        if (t->id != TypeId::DateTime && t->id != TypeId::DateTime64)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of argument of function toTimeZone. Should be DateTime or DateTime64");
        std::string tzname = constStringArg(args, 1, "toTimeZone");
        getTimeZone(tzname);
        DataTypePtr rt = t->id == TypeId::DateTime ? makeDateTime(tzname) : makeDateTime64(t->scale, tzname);
        return makeFunction("toTimeZone", rt, [](const ColumnsWithTypeAndName& a, size_t) { return a[0].column; });
    });
    f.registerAlias("toTimezone", "toTimeZone");

    f.registerFunction("timezone", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("timezone", args, 0, 0);
        std::string tz = ctx.session_timezone.empty() ? "UTC" : ctx.session_timezone;
        return makeFunction("timezone", makeType(TypeId::String), [tz](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto c = ColumnString::create();
            c->insertData(tz);
            return std::make_shared<ColumnConst>(c, rows);
        });
    }, {.case_insensitive = true});
    f.registerAlias("timeZone", "timezone");

    // currentDatabase(): the statement's current database (constant per query).
    f.registerFunction("currentDatabase", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("currentDatabase", args, 0, 0);
        std::string db = ctx.current_database;
        return makeFunction("currentDatabase", makeType(TypeId::String), [db](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto c = ColumnString::create();
            c->insertData(db);
            return std::make_shared<ColumnConst>(c, rows);
        });
    });
    // currentUser(): the user running the statement.
    f.registerFunction("currentUser", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("currentUser", args, 0, 0);
        std::string user = ctx.current_user;
        return makeFunction("currentUser", makeType(TypeId::String), [user](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto c = ColumnString::create();
            c->insertData(user);
            return std::make_shared<ColumnConst>(c, rows);
        });
    });
    f.registerAlias("user", "currentUser", true);
    f.registerAlias("current_user", "currentUser");
    // sleep(s) / sleepEachRow(s): pause the block (once / per row), at most 3 seconds per block as
    // ClickHouse (function_sleep_max_microseconds_per_block); return 0. Not constant-folded.
    for (bool each_row : {false, true}) {
        const char* name = each_row ? "sleepEachRow" : "sleep";
        f.registerFunction(name, [name, each_row](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, args, 1, 1);
            // As ClickHouse: UInt* or Float* (43 otherwise), a constant (44), at most 3 s a block (160).
            const DataType& t = *args[0].type;
            if (!t.isUnsignedInteger() && !t.isFloat())
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("A value of illegal type was provided as 1st argument 'seconds' to function '") +
                                                                          name + "'. Expected: UInt* or Float*, got: " + t.name());
            if (!args[0].column) throw Exception(ErrorCodes::ILLEGAL_COLUMN, std::string("The argument of function ") + name + " must be constant");
            Field v = args[0].column->get(0);
            double seconds = v.is<double>() ? v.get<double>() : double(v.get<uint64_t>());
            auto tooSlow = [name](double total, size_t rows, bool per_block) {
                std::string msg = "The maximum sleep time is 3000000 microseconds. Requested: " + std::to_string(uint64_t(total * 1e6)) + " microseconds";
                if (per_block) msg += " per block (of size " + std::to_string(rows) + ")";
                return Exception(ErrorCodes::TOO_SLOW, msg + " (" + name + ")");
            };
            if (seconds > 3) throw tooSlow(seconds, 1, false);
            auto fn = makeFunction(name, makeType(TypeId::UInt8), [seconds, each_row, tooSlow](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
                double total = each_row ? seconds * double(rows) : (rows ? seconds : 0);
                if (total > 3) throw tooSlow(total, rows, each_row);
                if (total > 0) std::this_thread::sleep_for(std::chrono::microseconds(uint64_t(total * 1e6)));
                auto zero = ColumnUInt8::create(0);
                zero->insertDefault();   // the function returns 0
                return std::make_shared<ColumnConst>(std::move(zero), rows);
            });
            std::const_pointer_cast<IExecutableFunction>(fn)->deterministic = false;
            return fn;
        }, {.deterministic = false});
    }
    f.registerAlias("DATABASE", "currentDatabase", true);
    f.registerAlias("current_database", "currentDatabase");
    f.registerAlias("serverTimezone", "timezone");
    f.registerAlias("serverTimeZone", "timezone");

    // now64([scale [, tz]]) — wall clock, not constant-foldable.
    f.registerFunction("now64", [](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("now64", args, 0, 2);
        uint32_t scale = args.empty() ? 3 : uint32_t(constIntArg(args, 0, "now64"));
        if (scale > 9) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Scale for now64 must be at most 9");
        std::string tz = args.size() == 2 ? constStringArg(args, 1, "now64") : "";
        auto fn = makeFunction("now64", makeDateTime64(scale, tz), [scale](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
            auto c = ColumnInt64::create(1);
            c->getData()[0] = int64_t(ns / pow10i(9 - scale));
            return std::make_shared<ColumnConst>(c, rows);
        });
        std::const_pointer_cast<IExecutableFunction>(fn)->deterministic = false;
        return fn;
    }, {.deterministic = false});

    f.registerFunction("yesterday", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("yesterday", args, 0, 0);
        const TimeZone* tz = &getTimeZone(ctx.session_timezone);
        auto fn = makeFunction("yesterday", makeType(TypeId::Date), [tz](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
            int64_t local = now + utcOffset(now, *tz);
            auto c = ColumnUInt16::create(1);
            c->getData()[0] = uint16_t(floorDiv(local, kDay) - 1);
            return std::make_shared<ColumnConst>(c, rows);
        });
        std::const_pointer_cast<IExecutableFunction>(fn)->deterministic = false;
        return fn;
    }, {.deterministic = false});
}

}  // namespace

void registerDateFormatFunctions(FunctionFactory& f);

void registerDateFunctions(FunctionFactory& f) {
    registerComponents(f);
    registerTruncations(f);
    registerArithmetic(f);
    registerConstruction(f);
    registerDateFormatFunctions(f);
}

}  // namespace basalt
