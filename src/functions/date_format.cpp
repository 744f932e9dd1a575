// date_format.cpp — owns the text side of the date functions: formatDateTime (MySQL-style %
// specifiers as ClickHouse renders them) and the parseDateTime[64]BestEffort[OrNull|OrZero] family.
// The format string is compiled once per query into a list of literal/field instructions, so the
// per-row work is appending digits.
#include <cstring>

#include "common/exception.h"
#include "functions/date_common.h"
#include "types/create_column.h"

namespace basalt {

using namespace datefn;

namespace {

inline int64_t floorDiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

const char* const kMonthNames[] = {"January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December"};
const char* const kDayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

inline void put2(std::string& s, int64_t v) { s += char('0' + v / 10 % 10); s += char('0' + v % 10); }
inline void putN(std::string& s, int64_t v, int width) {
    char buf[24];
    int n = 0;
    bool neg = v < 0;
    uint64_t u = neg ? uint64_t(-v) : uint64_t(v);
    do { buf[n++] = char('0' + u % 10); u /= 10; } while (u);
    if (neg) s += '-';
    for (int k = n; k < width; ++k) s += '0';
    while (n) s += buf[--n];
}

// All fields a specifier may need for one row.
struct Parts {
    int64_t days, sod, frac;
    int32_t year; int month, day;
    int offset;
};

using Op = char;   // the specifier letter; 0 = literal

struct Instr { Op op; std::string lit; };

std::vector<Instr> compileFormat(const std::string& fmt, const std::string& fn) {
    std::vector<Instr> out;
    std::string lit;
    auto flush = [&] { if (!lit.empty()) { out.push_back({0, lit}); lit.clear(); } };
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%') { lit += fmt[i]; continue; }
        if (i + 1 >= fmt.size())
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect syntax '" + fmt + "', symbol is not supported '%' for function " + fn);
        char c = fmt[++i];
        switch (c) {
            case '%': lit += '%'; break;
            case 'n': lit += '\n'; break;
            case 't': lit += '\t'; break;
            case 'a': case 'b': case 'c': case 'C': case 'd': case 'D': case 'e': case 'f': case 'F': case 'G': case 'g':
            case 'h': case 'H': case 'i': case 'I': case 'j': case 'k': case 'l': case 'm': case 'M': case 'p': case 'Q':
            case 'r': case 'R': case 's': case 'S': case 'T': case 'u': case 'V': case 'w': case 'W': case 'y': case 'Y': case 'z':
                flush();
                out.push_back({c, {}});
                break;
            case 'v': case 'U': case 'x': case 'X':
                throw Exception(ErrorCodes::NOT_IMPLEMENTED, std::string("format is not supported for ") +
                                                                 (c == 'v' || c == 'U' ? "WEEK (Mon-Sun)" : "YEAR for week (Mon-Sun)"));
            default:
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect syntax '" + fmt + "', symbol is not supported '" + std::string(1, c) +
                                                               "' for function " + fn);
        }
    }
    flush();
    return out;
}

inline int weekdayMon1(int64_t days) { return int(((days + 3) % 7 + 7) % 7) + 1; }

void isoWeek(int64_t days, int& iso_year, int& week) {
    int wd = weekdayMon1(days);
    int64_t thursday = days - wd + 4;
    CivilDate tc = civilFromDays(int32_t(thursday));
    iso_year = tc.year;
    week = int((thursday - daysFromCivil(tc.year, 1, 1)) / 7) + 1;
}

void render(std::string& s, const std::vector<Instr>& prog, const Parts& p, uint32_t scale) {
    for (const Instr& in : prog) {
        int64_t h = p.sod / 3600, mi = p.sod / 60 % 60, sec = p.sod % 60;
        int64_t h12 = h % 12 == 0 ? 12 : h % 12;
        switch (in.op) {
            case 0: s += in.lit; break;
            case 'a': s.append(kDayNames[weekdayMon1(p.days) - 1], 3); break;
            case 'W': s += kDayNames[weekdayMon1(p.days) - 1]; break;
            case 'b': s.append(kMonthNames[p.month - 1], 3); break;
            case 'M': s += kMonthNames[p.month - 1]; break;
            case 'c': case 'm': put2(s, p.month); break;
            case 'C': put2(s, p.year / 100); break;
            case 'd': put2(s, p.day); break;
            case 'e': putN(s, p.day, 1); break;
            case 'D': put2(s, p.month); s += '/'; put2(s, p.day); s += '/'; put2(s, p.year % 100); break;
            case 'f': {
                // Always microseconds (6 digits), whatever the scale.
                int64_t us = p.frac;
                if (scale < 6) for (uint32_t k = scale; k < 6; ++k) us *= 10;
                else for (uint32_t k = 6; k < scale; ++k) us /= 10;
                putN(s, us, 6);
                break;
            }
            case 'F': putN(s, p.year, 4); s += '-'; put2(s, p.month); s += '-'; put2(s, p.day); break;
            case 'G': case 'g': {
                int y, w;
                isoWeek(p.days, y, w);
                if (in.op == 'G') putN(s, y, 4); else put2(s, y % 100);
                break;
            }
            case 'V': { int y, w; isoWeek(p.days, y, w); put2(s, w); break; }
            case 'h': case 'I': case 'l': put2(s, h12); break;
            case 'H': case 'k': put2(s, h); break;
            case 'i': put2(s, mi); break;
            case 'j': putN(s, p.days - daysFromCivil(p.year, 1, 1) + 1, 3); break;
            case 'p': s += h < 12 ? "AM" : "PM"; break;
            case 'Q': s += char('0' + (p.month - 1) / 3 + 1); break;
            case 'r': put2(s, h12); s += ':'; put2(s, mi); s += h < 12 ? " AM" : " PM"; break;
            case 'R': put2(s, h); s += ':'; put2(s, mi); break;
            case 's': case 'S': put2(s, sec); break;
            case 'T': put2(s, h); s += ':'; put2(s, mi); s += ':'; put2(s, sec); break;
            case 'u': s += char('0' + weekdayMon1(p.days)); break;
            case 'w': s += char('0' + weekdayMon1(p.days) % 7); break;
            case 'y': put2(s, p.year % 100); break;
            case 'Y': putN(s, p.year, 4); break;
            case 'z': {
                int off = p.offset;
                s += off < 0 ? '-' : '+';
                off = off < 0 ? -off : off;
                put2(s, off / 3600);
                put2(s, off / 60 % 60);
                break;
            }
            default: break;
        }
    }
}

FunctionPtr buildFormatDateTime(const std::string& fn, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount(fn, args, 2, 3);
    DataTypePtr t = args[0].type;
    if (!isTemporal(t))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of first argument of function " + fn +
                                                                  ". Should be a date or a date with time");
    if (!args[1].type->isStringOrFixed()) throwIllegalType(fn, args[1].type, 1);
    std::string fmt = constStringArg(args, 1, fn);
    std::vector<Instr> prog = compileFormat(fmt, fn);
    const TimeZone* tz = args.size() == 3 ? &getTimeZone(constStringArg(args, 2, fn)) : &zoneOf(t, ctx);
    bool need_offset = false;
    for (auto& in : prog) need_offset |= in.op == 'z';
    return makeFunction(fn, makeType(TypeId::String), [prog, tz, need_offset](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        TimeReader r(a[0], *tz);
        auto res = ColumnString::create();
        res->reserve(rows);
        std::string buf;
        bool is_date = r.id == TypeId::Date || r.id == TypeId::Date32;
        r.forEach(rows, [&](size_t, int64_t local, int64_t t, int64_t frac) {
            Parts p;
            p.days = floorDiv(local, 86400);
            p.sod = local - p.days * 86400;
            p.frac = frac;
            CivilDate c = civilFromDays(int32_t(p.days));
            p.year = c.year; p.month = c.month; p.day = c.day;
            p.offset = need_offset && !is_date ? int(local - t) : 0;
            if (need_offset && is_date) p.offset = 0;
            buf.clear();
            render(buf, prog, p, r.scale);
            res->insertData(buf);
        });
        return res;
    });
}

// parseDateTime[64]BestEffort[OrNull|OrZero](s [, scale] [, tz])
enum class ParseMode { Throw, OrNull, OrZero };

FunctionPtr buildBestEffort(const std::string& fn, bool dt64, ParseMode mode, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount(fn, args, 1, dt64 ? 3 : 2);
    if (!args[0].type->isStringOrFixed()) throwIllegalType(fn, args[0].type, 0);
    uint32_t scale = 0;
    size_t tz_idx = 1;
    if (dt64) {
        scale = 3;
        if (args.size() >= 2) {
            scale = uint32_t(constIntArg(args, 1, fn));
            if (scale > 9) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Scale " + std::to_string(scale) + " is out of bounds");
            tz_idx = 2;
        }
    }
    std::string tzname = args.size() > tz_idx ? constStringArg(args, tz_idx, fn) : "";
    const TimeZone* tz = &getTimeZone(tzname.empty() ? ctx.session_timezone : tzname);
    DataTypePtr base = dt64 ? makeDateTime64(scale, tzname) : makeDateTime(tzname);
    DataTypePtr rt = mode == ParseMode::OrNull ? makeNullable(base) : base;
    return makeFunction(fn, rt, [=](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto get = [&](size_t i) -> std::string_view {
            if (auto* s = dynamic_cast<const ColumnString*>(c.get())) return s->getView(i);
            auto& fs = static_cast<const ColumnFixedString&>(*c);
            std::string_view v = fs.getView(i);
            while (!v.empty() && v.back() == '\0') v.remove_suffix(1);
            return v;
        };
        auto nulls = ColumnUInt8::create(rows);
        auto* nm = nulls->getData().data();
        if (rows) std::memset(nm, 0, rows);
        MutableColumnPtr out;
        int64_t mul = pow10i(scale);
        auto parse = [&](size_t i, int64_t& v) -> bool {
            std::string_view s = get(i);
            int64_t secs = 0, sub = 0;
            if (!parseDateTimeBestEffort(s, *tz, secs, scale, &sub)) {
                if (mode == ParseMode::Throw)
                    throw Exception(ErrorCodes::CANNOT_PARSE_DATETIME, "Cannot read DateTime: unexpected word: while parsing '" + std::string(s) + "'");
                nm[i] = 1;
                v = 0;
                return false;
            }
            v = dt64 ? secs * mul + sub : secs;
            return true;
        };
        if (dt64) {
            auto col = ColumnInt64::create(rows);
            for (size_t i = 0; i < rows; ++i) parse(i, col->getData()[i]);
            out = col;
        } else {
            auto col = ColumnUInt32::create(rows);
            for (size_t i = 0; i < rows; ++i) {
                int64_t v;
                parse(i, v);
                col->getData()[i] = v < 0 ? 0 : v > 0xFFFFFFFFLL ? 0xFFFFFFFFu : uint32_t(v);
            }
            out = col;
        }
        if (mode == ParseMode::OrNull) return std::make_shared<ColumnNullable>(out, nulls);
        return out;
    });
}

}  // namespace

void registerDateFormatFunctions(FunctionFactory& f) {
    f.registerFunction("formatDateTime", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildFormatDateTime("formatDateTime", a, c); });
    f.registerAlias("DATE_FORMAT", "formatDateTime", true);
    for (bool dt64 : {false, true}) {
        for (ParseMode m : {ParseMode::Throw, ParseMode::OrNull, ParseMode::OrZero}) {
            std::string name = std::string(dt64 ? "parseDateTime64BestEffort" : "parseDateTimeBestEffort") +
                               (m == ParseMode::OrNull ? "OrNull" : m == ParseMode::OrZero ? "OrZero" : "");
            f.registerFunction(name, [name, dt64, m](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildBestEffort(name, dt64, m, a, c); });
        }
    }
    f.registerAlias("parseDateTime32BestEffort", "parseDateTimeBestEffort");
    f.registerAlias("parseDateTime32BestEffortOrNull", "parseDateTimeBestEffortOrNull");
    f.registerAlias("parseDateTime32BestEffortOrZero", "parseDateTimeBestEffortOrZero");
}

}  // namespace basalt
