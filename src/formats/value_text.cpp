// value_text.cpp — owns the text form of single values of every type in every TextStyle: printing
// (byte-identical to ClickHouse 26.x defaults, e.g. decimals without trailing zeros) and parsing
// (strict, with ClickHouse's error codes and its wrap-around behaviour on integer overflow).
// Formats call these per value; composite values recurse with the element style ClickHouse uses
// (Quoted inside arrays/tuples/maps, JSON inside JSON).
#include "formats/value_text.h"

#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "columns/column_low_cardinality.h"
#include "common/date_time.h"
#include "common/exception.h"
#include "common/wide_integer.h"
#include "common/string_utils.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// Codes basalt's ErrorCodes enum does not list yet; values are ClickHouse's.
constexpr int ATTEMPT_TO_READ_AFTER_EOF = 32;
constexpr int CANNOT_PARSE_IPV4 = 675;
constexpr int CANNOT_PARSE_IPV6 = 676;
constexpr int UNKNOWN_ELEMENT_OF_ENUM = 691;

const TimeZone& zoneOf(const DataType& t, const FormatSettings& s) {
    return getTimeZone(t.timezone.empty() ? s.session_timezone : t.timezone);
}

template <typename U>
void appendUnsigned(std::string& out, U v) {
    char buf[48];
    char* p = buf + sizeof(buf);
    do { *--p = char('0' + unsigned(v % 10)); v /= 10; } while (v);
    out.append(p, buf + sizeof(buf) - p);
}

void appendInt128(std::string& out, Int128 v) {
    if (v < 0) { out += '-'; appendUnsigned(out, UInt128(0) - UInt128(v)); }
    else appendUnsigned(out, UInt128(v));
}

// ClickHouse (output_format_decimal_trailing_zeros = 0) prints the shortest exact form: 1.5, 3, 0.01.
void appendDecimal(std::string& out, Int128 v, uint32_t scale) {
    bool neg = v < 0;
    UInt128 u = neg ? UInt128(0) - UInt128(v) : UInt128(v);
    UInt128 mul = 1;
    for (uint32_t i = 0; i < scale; ++i) mul *= 10;
    UInt128 whole = u / mul, frac = u % mul;
    if (neg) out += '-';
    appendUnsigned(out, whole);
    if (frac == 0 || scale == 0) return;
    char buf[48];
    for (int i = int(scale) - 1; i >= 0; --i) { buf[i] = char('0' + unsigned(frac % 10)); frac /= 10; }
    int len = int(scale);
    while (len > 0 && buf[len - 1] == '0') --len;
    out += '.';
    out.append(buf, len);
}

// Decimal256: the digits of the magnitude split at the scale, trailing zeros dropped.
void appendDecimal256(std::string& out, const Int256& v, uint32_t scale) {
    std::string digits = magnitude(v).toString();
    if (v.isNegative()) out += '-';
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    size_t whole = digits.size() - scale;
    out.append(digits, 0, whole);
    size_t len = scale;
    while (len > 0 && digits[whole + len - 1] == '0') --len;
    if (len) { out += '.'; out.append(digits, whole, len); }
}

void appendUUID(std::string& out, UInt128 v) {
    static const char* hex = "0123456789abcdef";
    uint64_t hi = uint64_t(v >> 64), lo = uint64_t(v);
    char buf[32];
    for (int i = 0; i < 16; ++i) buf[i] = hex[(hi >> (60 - 4 * i)) & 15];
    for (int i = 0; i < 16; ++i) buf[16 + i] = hex[(lo >> (60 - 4 * i)) & 15];
    out.append(buf, 8); out += '-'; out.append(buf + 8, 4); out += '-'; out.append(buf + 12, 4); out += '-';
    out.append(buf + 16, 4); out += '-'; out.append(buf + 20, 12);
}

void appendIPv4(std::string& out, uint32_t v) {
    appendUnsigned(out, (v >> 24) & 255); out += '.'; appendUnsigned(out, (v >> 16) & 255); out += '.';
    appendUnsigned(out, (v >> 8) & 255); out += '.'; appendUnsigned(out, v & 255);
}

void appendIPv6(std::string& out, UInt128 v) {
    unsigned char b[16];
    std::memcpy(b, &v, 16);
    char buf[INET6_ADDRSTRLEN];
    // inet_ntop follows RFC 5952 (longest zero run compressed, ::ffff:a.b.c.d), as ClickHouse does.
    if (inet_ntop(AF_INET6, b, buf, sizeof(buf))) out += buf;
}

std::string_view enumName(const DataType& t, int16_t v, std::string& tmp) {
    for (auto& [name, val] : t.enum_values) if (val == v) return name;
    tmp = std::to_string(v);
    return tmp;
}

// Text of a "scalar rendered as text" type (dates, UUID, IP, enum) for quoting by the caller.
void appendTextualScalar(const DataType& t, const IColumn& c, size_t row, std::string& out, const FormatSettings& s) {
    switch (t.id) {
        case TypeId::Date: appendDate(out, static_cast<const ColumnUInt16&>(c).getData()[row]); break;
        case TypeId::Date32: appendDate(out, static_cast<const ColumnInt32&>(c).getData()[row]); break;
        case TypeId::DateTime: appendDateTime(out, static_cast<const ColumnUInt32&>(c).getData()[row], zoneOf(t, s)); break;
        case TypeId::DateTime64:
            appendDateTime64(out, static_cast<const ColumnInt64&>(c).getData()[row], t.scale, zoneOf(t, s));
            break;
        case TypeId::UUID: appendUUID(out, static_cast<const ColumnVector<UInt128>&>(c).getData()[row]); break;
        case TypeId::IPv4: appendIPv4(out, static_cast<const ColumnUInt32&>(c).getData()[row]); break;
        case TypeId::IPv6: appendIPv6(out, static_cast<const ColumnVector<UInt128>&>(c).getData()[row]); break;
        case TypeId::Enum8: { std::string tmp; out += enumName(t, static_cast<const ColumnInt8&>(c).getData()[row], tmp); break; }
        case TypeId::Enum16: { std::string tmp; out += enumName(t, static_cast<const ColumnInt16&>(c).getData()[row], tmp); break; }
        default: break;
    }
}

bool isTextualScalar(TypeId id) {
    switch (id) {
        case TypeId::Date: case TypeId::Date32: case TypeId::DateTime: case TypeId::DateTime64:
        case TypeId::UUID: case TypeId::IPv4: case TypeId::IPv6: case TypeId::Enum8: case TypeId::Enum16: return true;
        default: return false;
    }
}

// Appends a number; returns false if `t` is not numeric. `json` applies JSON rules (null for
// nan/inf, quoting of 64-bit+ integers).
bool appendNumber(const DataType& t, const IColumn& c, size_t row, std::string& out, bool json, const FormatSettings& s) {
    bool quote64 = json && s.json_quote_64bit_integers;
    auto ints = [&](auto v, bool big) {
        if (big && quote64) out += '"';
        using V = decltype(v);
        if constexpr (std::is_same_v<V, Int256> || std::is_same_v<V, UInt256>) out += v.toString();
        else if constexpr (std::is_same_v<V, Int128>) appendInt128(out, v);
        else if constexpr (std::is_same_v<V, UInt128>) appendUnsigned(out, v);
        else if constexpr (std::is_signed_v<V>) appendInt128(out, Int128(v));
        else appendUnsigned(out, uint64_t(v));
        if (big && quote64) out += '"';
    };
    auto floats = [&](auto v) {
        if (json && !std::isfinite(v)) {
            if (s.json_quote_denormals) { out += '"'; if constexpr (std::is_same_v<decltype(v), float>) appendFloat32(out, v); else appendFloat(out, v); out += '"'; }
            else out += "null";
            return;
        }
        if constexpr (std::is_same_v<decltype(v), float>) appendFloat32(out, v); else appendFloat(out, v);
    };
    switch (t.id) {
        case TypeId::UInt8: ints(static_cast<const ColumnUInt8&>(c).getData()[row], false); return true;
        case TypeId::UInt16: ints(static_cast<const ColumnUInt16&>(c).getData()[row], false); return true;
        case TypeId::UInt32: ints(static_cast<const ColumnUInt32&>(c).getData()[row], false); return true;
        case TypeId::UInt64: ints(static_cast<const ColumnUInt64&>(c).getData()[row], true); return true;
        case TypeId::Int8: ints(static_cast<const ColumnInt8&>(c).getData()[row], false); return true;
        case TypeId::Int16: ints(static_cast<const ColumnInt16&>(c).getData()[row], false); return true;
        case TypeId::Int32: ints(static_cast<const ColumnInt32&>(c).getData()[row], false); return true;
        case TypeId::Int64: ints(static_cast<const ColumnInt64&>(c).getData()[row], true); return true;
        case TypeId::Interval: ints(static_cast<const ColumnInt64&>(c).getData()[row], false); return true;
        case TypeId::UInt128: ints(static_cast<const ColumnVector<UInt128>&>(c).getData()[row], true); return true;
        case TypeId::Int128: ints(static_cast<const ColumnVector<Int128>&>(c).getData()[row], true); return true;
        case TypeId::UInt256: ints(static_cast<const ColumnVector<UInt256>&>(c).getData()[row], true); return true;
        case TypeId::Int256: ints(static_cast<const ColumnVector<Int256>&>(c).getData()[row], true); return true;
        case TypeId::Float32: floats(static_cast<const ColumnFloat32&>(c).getData()[row]); return true;
        case TypeId::Float64: floats(static_cast<const ColumnFloat64&>(c).getData()[row]); return true;
        case TypeId::Bool: out += static_cast<const ColumnUInt8&>(c).getData()[row] ? "true" : "false"; return true;
        case TypeId::Decimal32: appendDecimal(out, static_cast<const ColumnInt32&>(c).getData()[row], t.scale); return true;
        case TypeId::Decimal64: appendDecimal(out, static_cast<const ColumnInt64&>(c).getData()[row], t.scale); return true;
        case TypeId::Decimal128: appendDecimal(out, static_cast<const ColumnVector<Int128>&>(c).getData()[row], t.scale); return true;
        case TypeId::Decimal256: appendDecimal256(out, static_cast<const ColumnVector<Int256>&>(c).getData()[row], t.scale); return true;
        default: return false;
    }
}

void serializeImpl(const DataType& t, const IColumn& c, size_t row, std::string& out, TextStyle style,
                   const FormatSettings& s);

// [..], (..), {..} with elements in Quoted style (or JSON style for JSON).
void serializeComposite(const DataType& t, const IColumn& c, size_t row, std::string& out, bool json,
                        const FormatSettings& s) {
    TextStyle es = json ? TextStyle::JSON : TextStyle::Quoted;
    switch (t.id) {
        case TypeId::Array: {
            auto& a = static_cast<const ColumnArray&>(c);
            out += '[';
            for (size_t i = a.offsetAt(row), e = a.getOffsets()[row]; i < e; ++i) {
                if (i != a.offsetAt(row)) out += ',';
                serializeImpl(*t.nested[0], a.getData(), i, out, es, s);
            }
            out += ']';
            return;
        }
        case TypeId::Tuple: {
            auto& tu = static_cast<const ColumnTuple&>(c);
            bool obj = json && !t.element_names.empty();
            out += json ? (obj ? '{' : '[') : '(';
            for (size_t i = 0; i < t.nested.size(); ++i) {
                if (i) out += ',';
                if (obj) { appendJSONString(out, t.element_names[i]); out += ':'; }
                serializeImpl(*t.nested[i], tu.getColumn(i), row, out, es, s);
            }
            out += json ? (obj ? '}' : ']') : ')';
            return;
        }
        case TypeId::Map: {
            auto& a = static_cast<const ColumnArray&>(c);
            auto& kv = static_cast<const ColumnTuple&>(a.getData());
            out += '{';
            for (size_t i = a.offsetAt(row), e = a.getOffsets()[row]; i < e; ++i) {
                if (i != a.offsetAt(row)) out += ',';
                if (json) {
                    // JSON object keys are always strings: print the key as text, then JSON-quote it.
                    std::string key;
                    serializeImpl(*t.nested[0], kv.getColumn(0), i, key, TextStyle::Raw, s);
                    appendJSONString(out, key);
                } else {
                    serializeImpl(*t.nested[0], kv.getColumn(0), i, out, es, s);
                }
                out += ':';
                serializeImpl(*t.nested[1], kv.getColumn(1), i, out, es, s);
            }
            out += '}';
            return;
        }
        default: return;
    }
}

void serializeImpl(const DataType& t, const IColumn& c0, size_t row, std::string& out, TextStyle style,
                   const FormatSettings& s) {
    const IColumn* cp = &c0;
    if (cp->isConst()) { cp = &static_cast<const ColumnConst&>(c0).getDataColumn(); row = 0; }
    const IColumn& c = *cp;
    auto writeNull = [&] {
        switch (style) {
            case TextStyle::Escaped: case TextStyle::CSV: out += "\\N"; break;
            case TextStyle::JSON: out += "null"; break;
            default: out += "NULL";
        }
    };
    switch (t.id) {
        case TypeId::Nothing: writeNull(); return;
        case TypeId::Nullable: {
            auto& n = static_cast<const ColumnNullable&>(c);
            if (n.isNullAt(row)) { writeNull(); return; }
            serializeImpl(*t.nested[0], n.getNested(), row, out, style, s);
            return;
        }
        case TypeId::LowCardinality:
            if (c.isLowCardinality()) {
                auto& lc = static_cast<const ColumnLowCardinality&>(c);
                serializeImpl(*t.nested[0], lc.getDictionaryValues(), lc.indexAt(row), out, style, s);
            } else {
                serializeImpl(*t.nested[0], c, row, out, style, s);
            }
            return;
        case TypeId::String: case TypeId::FixedString: case TypeId::AggregateFunction: {
            std::string_view v = t.id != TypeId::FixedString ? static_cast<const ColumnString&>(c).getView(row)
                                                        : static_cast<const ColumnFixedString&>(c).getView(row);
            switch (style) {
                case TextStyle::Escaped: appendEscapedTSV(out, v); break;
                case TextStyle::Quoted: appendQuotedString(out, v); break;
                case TextStyle::CSV: appendCSVString(out, v); break;
                case TextStyle::JSON: appendJSONString(out, v); break;
                case TextStyle::Raw: out += v; break;
            }
            return;
        }
        case TypeId::Array: case TypeId::Map: case TypeId::Tuple: {
            if (style == TextStyle::CSV) {
                if (t.id == TypeId::Tuple) {
                    // CSV spreads tuple elements over separate fields.
                    auto& tu = static_cast<const ColumnTuple&>(c);
                    for (size_t i = 0; i < t.nested.size(); ++i) {
                        if (i) out += s.csv_delimiter;
                        serializeImpl(*t.nested[i], tu.getColumn(i), row, out, TextStyle::CSV, s);
                    }
                    return;
                }
                std::string tmp;
                serializeComposite(t, c, row, tmp, false, s);
                appendCSVString(out, tmp);
                return;
            }
            // In TSV the quoted element text already escapes tabs/newlines, so it is written as is.
            serializeComposite(t, c, row, out, style == TextStyle::JSON, s);
            return;
        }
        default: break;
    }
    if (isTextualScalar(t.id)) {
        switch (style) {
            case TextStyle::Quoted: {
                out += '\'';
                size_t st = out.size();
                appendTextualScalar(t, c, row, out, s);
                if (t.isEnum()) { std::string v = out.substr(st); out.resize(st - 1); appendQuotedString(out, v); return; }
                out += '\'';
                return;
            }
            case TextStyle::CSV: case TextStyle::JSON: {
                std::string v;
                appendTextualScalar(t, c, row, v, s);
                if (style == TextStyle::CSV) appendCSVString(out, v); else appendJSONString(out, v);
                return;
            }
            case TextStyle::Escaped:
                if (t.isEnum()) { std::string v; appendTextualScalar(t, c, row, v, s); appendEscapedTSV(out, v); return; }
                appendTextualScalar(t, c, row, out, s);
                return;
            case TextStyle::Raw: appendTextualScalar(t, c, row, out, s); return;
        }
    }
    if (appendNumber(t, c, row, out, style == TextStyle::JSON, s)) return;
    throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Text serialization of type " + t.name() + " is not supported");
}

// ===================================== parsing ================================================

[[noreturn]] void throwParse(int code, std::string msg) { throw Exception(code, std::move(msg)); }

inline bool isWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
void skipWs(ReadBuffer& in) { while (!in.eof() && isWs(*in.pos)) ++in.pos; }

std::string syntaxMsg(std::string_view text, std::string_view type, size_t pos) {
    std::string m = "Cannot parse string '" + std::string(text) + "' as " + std::string(type) + ": syntax error ";
    if (pos == 0) m += "at begin of string";
    else m += "at position " + std::to_string(pos) + " (parsed just '" + std::string(text.substr(0, pos)) + "')";
    return m;
}

template <typename T>
void parseInteger(std::string_view text, const DataType& t, T& out) {
    size_t i = 0;
    bool neg = false;
    if (text.empty()) throwParse(ATTEMPT_TO_READ_AFTER_EOF, "Attempt to read after eof: Cannot parse " + t.name() + " from String, because value is too short");
    if (text[0] == '-' || text[0] == '+') {
        neg = text[0] == '-';
        if (neg && !std::is_signed_v<T> && !std::is_same_v<T, Int128> && !std::is_same_v<T, Int256>)
            throwParse(ErrorCodes::CANNOT_PARSE_NUMBER, "Unsigned type must not contain '-' symbol: Cannot parse " + t.name() + " from String");
        ++i;
    }
    size_t digits_start = i;
    // Accumulate with wrap-around: ClickHouse keeps the low bits on overflow (CAST('300' AS UInt8) = 44).
    using Acc = std::conditional_t<(sizeof(T) > 16), UInt256, std::conditional_t<(sizeof(T) > 8), UInt128, uint64_t>>;
    Acc v = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') v = v * 10 + Acc(text[i++] - '0');
    if (i == digits_start) throwParse(ErrorCodes::CANNOT_PARSE_TEXT, syntaxMsg(text, t.name(), 0));
    if (i != text.size()) throwParse(ErrorCodes::CANNOT_PARSE_TEXT, syntaxMsg(text, t.name(), i));
    if (neg) v = Acc(0) - v;
    out = T(v);
}

template <typename F>
void parseFloat(std::string_view text, const DataType& t, F& out) {
    std::string_view s = text;
    if (s.empty()) throwParse(ATTEMPT_TO_READ_AFTER_EOF, "Attempt to read after eof: Cannot parse " + t.name() + " from String, because value is too short");
    if (s[0] == '+') s.remove_prefix(1);
    double d = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec == std::errc::result_out_of_range) {
        // from_chars reports overflow/underflow; ClickHouse yields inf / 0 then.
        d = std::strtod(std::string(s).c_str(), nullptr);
    } else if (r.ec != std::errc()) {
        throwParse(ErrorCodes::CANNOT_PARSE_TEXT, syntaxMsg(text, t.name(), 0));
    }
    size_t used = size_t(r.ptr - s.data()) + (text.size() - s.size());
    if (r.ec == std::errc() && used != text.size()) throwParse(ErrorCodes::CANNOT_PARSE_TEXT, syntaxMsg(text, t.name(), used));
    out = F(d);
}

// S: the signed storage (Int128 for Decimal32..128, Int256 for Decimal256); U: its unsigned twin.
template <typename S = Int128, typename U = UInt128>
S parseDecimal(std::string_view text, const DataType& t) {
    size_t i = 0;
    bool neg = false;
    if (text.empty()) throwParse(ATTEMPT_TO_READ_AFTER_EOF, "Attempt to read after eof: Cannot parse " + t.name() + " from String, because value is too short");
    if (text[0] == '-' || text[0] == '+') { neg = text[0] == '-'; ++i; }
    U v = 0;
    int int_digits = 0, frac_digits = 0;
    bool any = false;
    while (i < text.size() && std::isdigit((unsigned char)text[i])) {
        if (v != 0 || text[i] != '0') ++int_digits;
        v = v * 10 + unsigned(text[i++] - '0');
        any = true;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit((unsigned char)text[i])) {
            // Extra fractional digits are truncated, as ClickHouse does.
            if (frac_digits < int(t.scale)) { v = v * 10 + unsigned(text[i] - '0'); ++frac_digits; }
            ++i;
            any = true;
        }
    }
    if (!any) throwParse(ErrorCodes::CANNOT_PARSE_TEXT, syntaxMsg(text, t.name(), 0));
    int exp = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        size_t st = i++;
        bool eneg = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) eneg = text[i++] == '-';
        size_t ds = i;
        while (i < text.size() && std::isdigit((unsigned char)text[i]) && i - ds < 4) exp = exp * 10 + (text[i++] - '0');
        if (i == ds) throwParse(ErrorCodes::CANNOT_PARSE_TEXT, syntaxMsg(text, t.name(), st));
        if (eneg) exp = -exp;
    }
    if (i != text.size()) throwParse(ErrorCodes::CANNOT_PARSE_TEXT, syntaxMsg(text, t.name(), i));
    for (int k = frac_digits; k < int(t.scale); ++k) v *= 10;
    for (; exp > 0; --exp) { v *= 10; ++int_digits; }
    for (; exp < 0; ++exp) { v /= 10; --int_digits; }
    if (int_digits > int(t.precision - t.scale))
        throwParse(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Too many digits (" + std::to_string(int_digits + int(t.scale)) + " > " +
                   std::to_string(t.precision) + ") in decimal value");
    return neg ? -S(v) : S(v);
}

bool parseBoolText(std::string_view s, bool& b) {
    static const char* yes[] = {"true", "t", "y", "yes", "on", "enable", "enabled", "1"};
    static const char* no[] = {"false", "f", "n", "no", "off", "disable", "disabled", "0"};
    for (auto* w : yes) if (iequals(s, w)) { b = true; return true; }
    for (auto* w : no) if (iequals(s, w)) { b = false; return true; }
    return false;
}

bool parseUUIDText(std::string_view s, UInt128& out) {
    std::string hex;
    if (s.size() == 36) {
        if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
        for (size_t i = 0; i < 36; ++i) if (i != 8 && i != 13 && i != 18 && i != 23) hex += s[i];
    } else if (s.size() == 32) hex = s;
    else return false;
    UInt128 v = 0;
    for (char c : hex) {
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return false;
        v = (v << 4) | UInt128(d);
    }
    out = v;
    return true;
}

bool parseIPv4Text(std::string_view s, uint32_t& out) {
    uint32_t v = 0;
    size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (part) { if (i >= s.size() || s[i] != '.') return false; ++i; }
        size_t st = i;
        unsigned x = 0;
        while (i < s.size() && std::isdigit((unsigned char)s[i]) && i - st < 3) x = x * 10 + unsigned(s[i++] - '0');
        if (i == st || x > 255) return false;
        v = (v << 8) | x;
    }
    if (i != s.size()) return false;
    out = v;
    return true;
}

// Parses the plain text of a non-composite value and appends it. `text` is already unescaped.
void parseScalar(const DataType& t, IColumn& c, std::string_view text, const FormatSettings& s) {
    switch (t.id) {
        case TypeId::String: case TypeId::AggregateFunction: static_cast<ColumnString&>(c).insertData(text); return;
        case TypeId::FixedString:
            if (text.size() > t.n)
                throwParse(ErrorCodes::TOO_LARGE_STRING_SIZE, "String too long for type FixedString(" + std::to_string(t.n) + ")");
            static_cast<ColumnFixedString&>(c).insertData(text);
            return;
        case TypeId::Bool: {
            bool b;
            if (!parseBoolText(text, b))
                throwParse(ErrorCodes::CANNOT_PARSE_BOOL, "Cannot parse boolean value here: '" + std::string(text) +
                           "', should be 'true' or 'false' controlled by setting bool_true_representation and "
                           "bool_false_representation or one of True/False/T/F/Y/N/Yes/No/On/Off/Enable/Disable/"
                           "Enabled/Disabled/1/0");
            static_cast<ColumnUInt8&>(c).insertValue(b);
            return;
        }
        case TypeId::Float32: { float v; parseFloat(text, t, v); static_cast<ColumnFloat32&>(c).insertValue(v); return; }
        case TypeId::Float64: { double v; parseFloat(text, t, v); static_cast<ColumnFloat64&>(c).insertValue(v); return; }
        case TypeId::Decimal32: static_cast<ColumnInt32&>(c).insertValue(int32_t(parseDecimal(text, t))); return;
        case TypeId::Decimal64: static_cast<ColumnInt64&>(c).insertValue(int64_t(parseDecimal(text, t))); return;
        case TypeId::Decimal128: static_cast<ColumnVector<Int128>&>(c).insertValue(parseDecimal(text, t)); return;
        case TypeId::Decimal256: static_cast<ColumnVector<Int256>&>(c).insertValue(parseDecimal<Int256, UInt256>(text, t)); return;
        case TypeId::Date: case TypeId::Date32: {
            int32_t days;
            size_t used;
            if (!parseDate(text, days, used) || used != text.size()) {
                int64_t secs;
                // A DateTime-looking value is accepted for Date (time part dropped), as ClickHouse does.
                if (!(parseDateTime(text, getTimeZone("UTC"), secs, used) && used == text.size() && used > 10))
                    throwParse(ErrorCodes::CANNOT_PARSE_DATE, "Cannot parse date: value is too short: Cannot parse " + t.name() + " from String '" + std::string(text) + "'");
                days = int32_t(secs / 86400);
            }
            if (t.id == TypeId::Date) {
                // Out-of-range dates saturate to the type's range.
                days = std::clamp(days, 0, 65535);
                static_cast<ColumnUInt16&>(c).insertValue(uint16_t(days));
            } else {
                days = std::clamp(days, daysFromCivil(1900, 1, 1), daysFromCivil(2299, 12, 31));
                static_cast<ColumnInt32&>(c).insertValue(days);
            }
            return;
        }
        case TypeId::DateTime: {
            int64_t secs;
            size_t used = 0;
            bool ok = s.date_time_input_best_effort ? parseDateTimeBestEffort(text, zoneOf(t, s), secs)
                                                    : (parseDateTime(text, zoneOf(t, s), secs, used) && used == text.size());
            if (!ok && !s.date_time_input_best_effort) ok = parseDateTimeBestEffort(text, zoneOf(t, s), secs) && text.size() > 19 && text.find_first_of("TZ+") != std::string_view::npos;
            if (!ok) throwParse(ErrorCodes::CANNOT_PARSE_DATETIME, "Cannot parse DateTime from String '" + std::string(text) + "'");
            secs = std::clamp<int64_t>(secs, 0, 4294967295LL);
            static_cast<ColumnUInt32&>(c).insertValue(uint32_t(secs));
            return;
        }
        case TypeId::DateTime64: {
            int64_t v;
            size_t used = 0;
            bool ok = !s.date_time_input_best_effort && parseDateTime64(text, t.scale, zoneOf(t, s), v, used) && used == text.size();
            if (!ok) {
                int64_t secs, sub = 0;
                ok = parseDateTimeBestEffort(text, zoneOf(t, s), secs, t.scale, &sub);
                if (ok) {
                    int64_t mul = 1;
                    for (uint32_t k = 0; k < t.scale; ++k) mul *= 10;
                    v = secs * mul + sub;
                }
            }
            if (!ok) throwParse(ErrorCodes::CANNOT_PARSE_DATETIME, "Cannot parse DateTime64(" + std::to_string(t.scale) + ") from String '" + std::string(text) + "'");
            static_cast<ColumnInt64&>(c).insertValue(v);
            return;
        }
        case TypeId::UUID: {
            UInt128 v;
            if (!parseUUIDText(text, v)) throwParse(ErrorCodes::CANNOT_PARSE_UUID, "Cannot parse uuid " + std::string(text) + ": Cannot parse UUID from String");
            static_cast<ColumnVector<UInt128>&>(c).insertValue(v);
            return;
        }
        case TypeId::IPv4: {
            uint32_t v;
            if (!parseIPv4Text(text, v)) throwParse(CANNOT_PARSE_IPV4, "Invalid IPv4 value");
            static_cast<ColumnUInt32&>(c).insertValue(v);
            return;
        }
        case TypeId::IPv6: {
            unsigned char b[16];
            std::string z(text);
            uint32_t v4;
            if (parseIPv4Text(text, v4)) {
                std::memset(b, 0, 16);
                b[10] = b[11] = 0xff;
                b[12] = uint8_t(v4 >> 24); b[13] = uint8_t(v4 >> 16); b[14] = uint8_t(v4 >> 8); b[15] = uint8_t(v4);
            } else if (inet_pton(AF_INET6, z.c_str(), b) != 1) {
                throwParse(CANNOT_PARSE_IPV6, "Invalid IPv6 value");
            }
            UInt128 v;
            std::memcpy(&v, b, 16);
            static_cast<ColumnVector<UInt128>&>(c).insertValue(v);
            return;
        }
        case TypeId::Enum8: case TypeId::Enum16: {
            int64_t val = 0;
            bool found = false;
            for (auto& [name, v] : t.enum_values) if (name == text) { val = v; found = true; break; }
            if (!found && !text.empty()) {
                // A number is accepted if it is one of the enum's values.
                int64_t num;
                auto r = std::from_chars(text.data(), text.data() + text.size(), num);
                if (r.ec == std::errc() && r.ptr == text.data() + text.size())
                    for (auto& [name, v] : t.enum_values) if (v == num) { val = v; found = true; break; }
            }
            if (!found) {
                std::string names;
                for (auto& [name, v] : t.enum_values) { if (!names.empty()) names += ", "; names += "'" + name + "'"; }
                throwParse(UNKNOWN_ELEMENT_OF_ENUM, "Unknown element '" + std::string(text) + "' for enum, maybe you meant: [" + names + "]");
            }
            if (t.id == TypeId::Enum8) static_cast<ColumnInt8&>(c).insertValue(int8_t(val));
            else static_cast<ColumnInt16&>(c).insertValue(int16_t(val));
            return;
        }
        case TypeId::Nothing: static_cast<ColumnUInt8&>(c).insertValue(0); return;
        default: break;
    }
    bool done = false;
    switch (t.id) {
        case TypeId::UInt128: { UInt128 v; parseInteger(text, t, v); static_cast<ColumnVector<UInt128>&>(c).insertValue(v); return; }
        case TypeId::Int128: { Int128 v; parseInteger(text, t, v); static_cast<ColumnVector<Int128>&>(c).insertValue(v); return; }
        case TypeId::UInt256: { UInt256 v; parseInteger(text, t, v); static_cast<ColumnVector<UInt256>&>(c).insertValue(v); return; }
        case TypeId::Int256: { Int256 v; parseInteger(text, t, v); static_cast<ColumnVector<Int256>&>(c).insertValue(v); return; }
        default: break;
    }
    dispatchFixed(t.id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_integral_v<T>) {
            T v;
            parseInteger(text, t, v);
            static_cast<ColumnVector<T>&>(c).insertValue(v);
            done = true;
        }
    });
    if (!done) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Text parsing of type " + t.name() + " is not supported");
}

bool isComposite(const DataType& t) { return t.id == TypeId::Array || t.id == TypeId::Tuple || t.id == TypeId::Map; }
const DataType& stripLC(const DataType& t) { return t.id == TypeId::LowCardinality ? stripLC(*t.nested[0]) : t; }

// A LowCardinality column: parse one value into a column of the dictionary type, then insert it
// (input formats parse whole blocks as the dictionary type and convert once instead).
template <typename F>
bool parseViaDictionary(const DataType& t0, IColumn& c, F&& parse) {
    if (t0.id != TypeId::LowCardinality || !c.isLowCardinality()) return false;
    auto tmp = createColumn(*t0.nested[0]);
    parse(*t0.nested[0], *tmp);
    c.insertFrom(*tmp, 0);
    return true;
}

// Inserts NULL into a nullable column or the default into a plain one (input_format_null_as_default).
void insertNullOrDefault(const DataType& t, IColumn& c, const FormatSettings& s) {
    if (t.id == TypeId::Nullable) { static_cast<ColumnNullable&>(c).insertNull(); return; }
    if (t.id == TypeId::Nothing) { c.insertDefault(); return; }
    if (!s.null_as_default)
        throwParse(ErrorCodes::CANNOT_INSERT_ALL_DATA, "Cannot insert NULL value into a column of type '" + t.name() + "'");
    c.insertDefault();
}

// Reads 'string' with backslash escapes (and '' doubling). Throws CANNOT_PARSE_QUOTED_STRING.
void readQuotedString(ReadBuffer& in, std::string& out) {
    if (in.eof() || *in.pos != '\'') throwParse(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse quoted string: expected opening quote ''', got '" + std::string(1, in.peek()) + "'");
    ++in.pos;
    while (true) {
        if (in.eof()) throwParse(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse quoted string: expected closing quote");
        char ch = *in.pos++;
        if (ch == '\'') {
            if (!in.eof() && *in.pos == '\'') { out += '\''; ++in.pos; continue; }
            return;
        }
        if (ch == '\\') {
            if (in.eof()) throwParse(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse quoted string: expected closing quote");
            char e = *in.pos++;
            switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case '0': out += '\0'; break;
                case 'a': out += '\a'; break;
                case 'v': out += '\v'; break;
                case 'x': {
                    int v = 0, k = 0;
                    while (k < 2 && !in.eof() && std::isxdigit((unsigned char)*in.pos)) {
                        char h = *in.pos++;
                        v = v * 16 + (std::isdigit((unsigned char)h) ? h - '0' : (std::tolower(h) - 'a' + 10));
                        ++k;
                    }
                    out += char(v);
                    break;
                }
                default: out += e;
            }
            continue;
        }
        out += ch;
    }
}

// JSON string with \uXXXX (surrogate pairs) decoded to UTF-8.
void readJSONString(ReadBuffer& in, std::string& out) {
    if (in.eof() || *in.pos != '"') throwParse(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse JSON string: expected opening quote");
    ++in.pos;
    auto hex4 = [&](unsigned& v) {
        v = 0;
        for (int k = 0; k < 4; ++k) {
            if (in.eof() || !std::isxdigit((unsigned char)*in.pos)) throwParse(ErrorCodes::CANNOT_PARSE_ESCAPE_SEQUENCE, "Cannot parse escape sequence in JSON string");
            char h = *in.pos++;
            v = v * 16 + unsigned(std::isdigit((unsigned char)h) ? h - '0' : (std::tolower(h) - 'a' + 10));
        }
    };
    while (true) {
        // Runs of plain characters are appended at once (strings rarely hold escapes).
        const char* run = in.pos;
        while (run < in.end && *run != '"' && *run != '\\') ++run;
        out.append(in.pos, size_t(run - in.pos));
        in.pos = run;
        if (in.eof()) throwParse(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse JSON string: expected closing quote");
        char ch = *in.pos++;
        if (ch == '"') return;
        if (in.eof()) throwParse(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse JSON string: expected closing quote");
        char e = *in.pos++;
        switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'u': {
                unsigned cp;
                hex4(cp);
                if (cp >= 0xD800 && cp < 0xDC00 && in.end - in.pos >= 6 && in.pos[0] == '\\' && in.pos[1] == 'u') {
                    in.pos += 2;
                    unsigned lo;
                    hex4(lo);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                if (cp < 0x80) out += char(cp);
                else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 63)); }
                else if (cp < 0x10000) { out += char(0xE0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 63)); out += char(0x80 | (cp & 63)); }
                else { out += char(0xF0 | (cp >> 18)); out += char(0x80 | ((cp >> 12) & 63)); out += char(0x80 | ((cp >> 6) & 63)); out += char(0x80 | (cp & 63)); }
                break;
            }
            default: out += e;
        }
    }
}

// A bare token (number, NULL, true) up to a structural character.
std::string_view readBareToken(ReadBuffer& in) {
    const char* st = in.pos;
    while (!in.eof()) {
        char ch = *in.pos;
        if (ch == ',' || ch == ')' || ch == ']' || ch == '}' || ch == ':' || isWs(ch) || ch == '\'' || ch == '"') break;
        ++in.pos;
    }
    return {st, size_t(in.pos - st)};
}

void expectChar(ReadBuffer& in, char ch) {
    skipWs(in);
    if (in.eof() || *in.pos != ch)
        throwParse(ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED,
                   std::string("Cannot parse input: expected '") + ch + "' before: '" + std::string(in.pos, std::min<size_t>(in.end - in.pos, 20)) + "'");
    ++in.pos;
}

bool checkChar(ReadBuffer& in, char ch) {
    skipWs(in);
    if (!in.eof() && *in.pos == ch) { ++in.pos; return true; }
    return false;
}

bool checkWordNull(ReadBuffer& in) {
    skipWs(in);
    if (in.end - in.pos >= 4 && iequals(std::string_view(in.pos, 4), "null")) {
        const char* after = in.pos + 4;
        if (after == in.end || !(std::isalnum((unsigned char)*after) || *after == '_')) { in.pos = after; return true; }
    }
    return false;
}

void readValue(const DataType& t, IColumn& c, ReadBuffer& in, bool json, const FormatSettings& s, int depth);
void parseFieldText(const DataType& t0, IColumn& c, std::string_view text, bool null_marker, const FormatSettings& s);

// Array / Tuple / Map in Quoted (json=false) or JSON syntax; the column is unchanged on error.
void readComposite(const DataType& t, IColumn& c, ReadBuffer& in, bool json, const FormatSettings& s, int depth) {
    if (depth > 100) throwParse(ErrorCodes::TOO_DEEP_RECURSION, "Maximum parse depth exceeded");
    switch (t.id) {
        case TypeId::Array: {
            auto& a = static_cast<ColumnArray&>(c);
            size_t before = a.getData().size();
            try {
                expectChar(in, '[');
                size_t n = 0;
                if (!checkChar(in, ']')) {
                    do { readValue(*t.nested[0], a.getData(), in, json, s, depth + 1); ++n; } while (checkChar(in, ','));
                    expectChar(in, ']');
                }
                a.getOffsets().push_back(before + n);
            } catch (...) {
                if (a.getData().size() > before) a.getData().popBack(a.getData().size() - before);
                throw;
            }
            return;
        }
        case TypeId::Map: {
            auto& a = static_cast<ColumnArray&>(c);
            auto& kv = static_cast<ColumnTuple&>(a.getData());
            IColumn& keys = *kv.getColumnPtr(0);
            IColumn& vals = *kv.getColumnPtr(1);
            size_t before = keys.size();
            try {
                expectChar(in, '{');
                size_t n = 0;
                if (!checkChar(in, '}')) {
                    do {
                        skipWs(in);
                        if (json) {
                            // JSON keys are strings holding the key's text.
                            std::string key;
                            readJSONString(in, key);
                            parseFieldText(*t.nested[0], keys, key, false, s);
                        } else {
                            readValue(*t.nested[0], keys, in, false, s, depth + 1);
                        }
                        expectChar(in, ':');
                        readValue(*t.nested[1], vals, in, json, s, depth + 1);
                        ++n;
                    } while (checkChar(in, ','));
                    expectChar(in, '}');
                }
                // keep the tuple's row count in step with its element columns
                a.getOffsets().push_back(before + n);
            } catch (...) {
                if (keys.size() > before) keys.popBack(keys.size() - before);
                if (vals.size() > before) vals.popBack(vals.size() - before);
                throw;
            }
            return;
        }
        case TypeId::Tuple: {
            auto& tu = static_cast<ColumnTuple&>(c);
            size_t k = 0;
            try {
                skipWs(in);
                if (json && !in.eof() && *in.pos == '{') {
                    // Named tuple as a JSON object: fields by name, missing ones get defaults.
                    ++in.pos;
                    std::vector<bool> seen(t.nested.size());
                    size_t before = tu.size();
                    try {
                        if (!checkChar(in, '}')) {
                            do {
                                skipWs(in);
                                std::string key;
                                readJSONString(in, key);
                                expectChar(in, ':');
                                size_t idx = t.nested.size();
                                for (size_t i = 0; i < t.element_names.size(); ++i) if (t.element_names[i] == key) idx = i;
                                if (idx == t.nested.size() || seen[idx])
                                    throwParse(ErrorCodes::INCORRECT_DATA, "Unknown or duplicate field '" + key + "' in named tuple");
                                readValue(*t.nested[idx], *tu.getColumnPtr(idx), in, true, s, depth + 1);
                                seen[idx] = true;
                            } while (checkChar(in, ','));
                            expectChar(in, '}');
                        }
                        for (size_t i = 0; i < seen.size(); ++i) if (!seen[i]) tu.getColumnPtr(i)->insertDefault();
                    } catch (...) {
                        for (size_t i = 0; i < seen.size(); ++i) {
                            auto& col = *tu.getColumnPtr(i);
                            if (col.size() > before) col.popBack(col.size() - before);
                        }
                        throw;
                    }
                    return;
                }
                expectChar(in, json ? '[' : '(');
                for (; k < t.nested.size(); ++k) {
                    if (k) expectChar(in, ',');
                    readValue(*t.nested[k], *tu.getColumnPtr(k), in, json, s, depth + 1);
                }
                expectChar(in, json ? ']' : ')');
            } catch (...) {
                for (size_t i = 0; i < k; ++i) tu.getColumnPtr(i)->popBack(1);
                throw;
            }
            return;
        }
        default: return;
    }
}

// Skips one JSON value of any shape (used for String columns receiving objects/arrays as text).
std::string_view readRawJSONValue(ReadBuffer& in) {
    skipWs(in);
    const char* st = in.pos;
    if (in.eof()) return {};
    if (*in.pos == '{' || *in.pos == '[') {
        int d = 0;
        bool str = false;
        while (!in.eof()) {
            char ch = *in.pos++;
            if (str) { if (ch == '\\' && !in.eof()) ++in.pos; else if (ch == '"') str = false; continue; }
            if (ch == '"') str = true;
            else if (ch == '{' || ch == '[') ++d;
            else if (ch == '}' || ch == ']') { if (--d == 0) break; }
        }
        return {st, size_t(in.pos - st)};
    }
    return readBareToken(in);
}

// One value in Quoted or JSON syntax.
void readValue(const DataType& t0, IColumn& c, ReadBuffer& in, bool json, const FormatSettings& s, int depth) {
    if (parseViaDictionary(t0, c, [&](const DataType& t, IColumn& x) { readValue(t, x, in, json, s, depth); })) return;
    const DataType& t = stripLC(t0);
    skipWs(in);
    if (t.id == TypeId::Nullable || t.id == TypeId::Nothing) {
        if (checkWordNull(in)) { insertNullOrDefault(t, c, s); return; }
        if (t.id == TypeId::Nothing) throwParse(ErrorCodes::CANNOT_PARSE_TEXT, "Cannot parse value of type Nothing");
        auto& n = static_cast<ColumnNullable&>(c);
        readValue(*t.nested[0], n.getNested(), in, json, s, depth);
        n.getNullMap().push_back(0);
        return;
    }
    if (checkWordNull(in)) {
        // A NULL literal for a non-Nullable type, e.g. 'null' in JSON: becomes the default.
        insertNullOrDefault(t, c, s);
        return;
    }
    if (isComposite(t)) { readComposite(t, c, in, json, s, depth); return; }
    if (json && t.id == TypeId::String && !in.eof() && *in.pos == '"') {
        // A JSON string without escapes goes into the column straight from the input.
        const char* q = in.pos + 1;
        while (q < in.end && *q != '"' && *q != '\\') ++q;
        if (q < in.end && *q == '"') {
            static_cast<ColumnString&>(c).insertData(std::string_view(in.pos + 1, size_t(q - in.pos - 1)));
            in.pos = q + 1;
            return;
        }
    }
    std::string buf;
    if (!in.eof() && ((json && *in.pos == '"') || (!json && *in.pos == '\''))) {
        if (json) readJSONString(in, buf); else readQuotedString(in, buf);
        parseScalar(t, c, buf, s);
        return;
    }
    if (t.isStringOrFixed()) {
        if (json) {
            // ClickHouse reads numbers/bools/objects into String columns as their JSON text.
            auto raw = readRawJSONValue(in);
            if (raw.empty()) throwParse(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse JSON string: expected opening quote");
            parseScalar(t, c, raw, s);
            return;
        }
        readQuotedString(in, buf);  // throws the ClickHouse error for a missing quote
        return;
    }
    std::string_view tok = readBareToken(in);
    if (tok.empty()) throwParse(ErrorCodes::CANNOT_PARSE_TEXT, "Cannot parse " + t.name() + ": expected a value before: '" + std::string(in.pos, std::min<size_t>(in.end - in.pos, 20)) + "'");
    parseScalar(t, c, tok, s);
}

// TSV unescaping of a field (\t \n \\ \N \xHH ...).
void unescapeTSV(std::string_view raw, std::string& out) {
    for (size_t i = 0; i < raw.size(); ++i) {
        char ch = raw[i];
        if (ch != '\\' || i + 1 == raw.size()) { out += ch; continue; }
        char e = raw[++i];
        switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case '0': out += '\0'; break;
            case 'a': out += '\a'; break;
            case 'v': out += '\v'; break;
            case 'x':
                if (i + 2 < raw.size() && std::isxdigit((unsigned char)raw[i + 1]) && std::isxdigit((unsigned char)raw[i + 2])) {
                    auto h = [](char x) { return std::isdigit((unsigned char)x) ? x - '0' : std::tolower(x) - 'a' + 10; };
                    out += char(h(raw[i + 1]) * 16 + h(raw[i + 2]));
                    i += 2;
                } else out += 'x';
                break;
            default: out += e;
        }
    }
}

// Parses a composite from `text` (Quoted syntax), requiring that all of it is used.
void parseCompositeWhole(const DataType& t, IColumn& c, std::string_view text, const FormatSettings& s) {
    ReadBuffer sub(text);
    size_t before = c.size();
    readComposite(t, c, sub, false, s, 0);
    skipWs(sub);
    if (!sub.eof()) {
        c.popBack(c.size() - before);
        throwParse(ErrorCodes::CANNOT_PARSE_TEXT, "Cannot parse string '" + std::string(text) + "' as " + t.name() +
                   ": syntax error at position " + std::to_string(sub.pos - text.data()));
    }
}

// A field whose text is final (TSV unescaped / CSV unquoted): NULL markers, composites, scalars.
void parseFieldText(const DataType& t0, IColumn& c, std::string_view text, bool null_marker, const FormatSettings& s) {
    if (parseViaDictionary(t0, c, [&](const DataType& t, IColumn& x) { parseFieldText(t, x, text, null_marker, s); })) return;
    const DataType& t = stripLC(t0);
    if (t.id == TypeId::Nullable) {
        if (null_marker) { static_cast<ColumnNullable&>(c).insertNull(); return; }
        auto& n = static_cast<ColumnNullable&>(c);
        parseFieldText(*t.nested[0], n.getNested(), text, false, s);
        n.getNullMap().push_back(0);
        return;
    }
    if (null_marker) { insertNullOrDefault(t, c, s); return; }
    if (isComposite(t)) { parseCompositeWhole(t, c, text, s); return; }
    parseScalar(t, c, text, s);
}

void readCSVField(ReadBuffer& in, char delim, std::string& out, bool& quoted) {
    quoted = false;
    if (!in.eof() && (*in.pos == '"' || *in.pos == '\'')) {
        char q = *in.pos++;
        quoted = true;
        while (true) {
            if (in.eof()) throwParse(ErrorCodes::CANNOT_PARSE_QUOTED_STRING, "Cannot parse CSV: expected closing quote");
            char ch = *in.pos++;
            if (ch == q) {
                if (!in.eof() && *in.pos == q) { out += q; ++in.pos; continue; }
                break;
            }
            out += ch;
        }
        return;
    }
    const char* st = in.pos;
    while (!in.eof() && *in.pos != delim && *in.pos != '\n' && *in.pos != '\r') ++in.pos;
    out.append(st, in.pos - st);
}

void readCSVValue(const DataType& t0, IColumn& c, ReadBuffer& in, const FormatSettings& s) {
    if (parseViaDictionary(t0, c, [&](const DataType& t, IColumn& x) { readCSVValue(t, x, in, s); })) return;
    const DataType& t = stripLC(t0);
    if (t.id == TypeId::Tuple) {
        auto& tu = static_cast<ColumnTuple&>(c);
        size_t k = 0;
        try {
            for (; k < t.nested.size(); ++k) {
                if (k) expectChar(in, s.csv_delimiter);
                readCSVValue(*t.nested[k], *tu.getColumnPtr(k), in, s);
            }
        } catch (...) {
            for (size_t i = 0; i < k; ++i) tu.getColumnPtr(i)->popBack(1);
            throw;
        }
        return;
    }
    std::string buf;
    bool quoted;
    readCSVField(in, s.csv_delimiter, buf, quoted);
    std::string_view text = buf;
    bool is_null = false;
    if (!quoted) {
        if (!t.isStringOrFixed() && !(t.id == TypeId::Nullable && stripLC(*t.nested[0]).isStringOrFixed())) {
            while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
            while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
        }
        is_null = text == "\\N" || (t.id == TypeId::Nullable && (text.empty() || text == "NULL"));
        // Empty unquoted field: the column default (input_format_csv_empty_as_default).
        if (text.empty() && !is_null && !t.isStringOrFixed()) { c.insertDefault(); return; }
    }
    parseFieldText(t, c, text, is_null, s);
}

void readEscapedValue(const DataType& t, IColumn& c, ReadBuffer& in, const FormatSettings& s) {
    if (parseViaDictionary(t, c, [&](const DataType& dt, IColumn& x) { readEscapedValue(dt, x, in, s); })) return;
    const char* st = in.pos;
    bool has_escape = false;
    {
        // Field end: the next tab or newline, 8 bytes at a time (SWAR), noting any backslash.
        const char* p = in.pos;
        const char* end = in.end;
        constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
        auto hasByte = [](uint64_t x, uint64_t pattern) { uint64_t y = x ^ pattern; return (y - ones) & ~y & highs; };
        while (end - p >= 8) {
            uint64_t w;
            std::memcpy(&w, p, 8);
            if (hasByte(w, ones * '\t') | hasByte(w, ones * '\n')) break;
            if (hasByte(w, ones * '\\')) has_escape = true;
            p += 8;
        }
        while (p < end && *p != '\t' && *p != '\n') {
            has_escape |= *p == '\\';
            ++p;
        }
        in.pos = p;
    }
    std::string_view raw(st, in.pos - st);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);  // tolerate CRLF line ends
    bool is_null = raw == "\\N";
    if (raw.empty() && s.tsv_empty_as_default && !stripLC(t).isStringOrFixed()) { c.insertDefault(); return; }
    const DataType& base = stripLC(t.id == TypeId::Nullable ? *t.nested[0] : t);
    if (isComposite(base) && !is_null) {
        // Composite fields are in Quoted syntax already; unescaping first would double-decode '\\'.
        if (t.id == TypeId::Nullable) {
            auto& n = static_cast<ColumnNullable&>(c);
            parseCompositeWhole(base, n.getNested(), raw, s);
            n.getNullMap().push_back(0);
        } else {
            parseCompositeWhole(base, c, raw, s);
        }
        return;
    }
    if (!has_escape) {   // nothing to unescape: parse in place
        parseFieldText(t, c, raw, is_null, s);
        return;
    }
    thread_local std::string buf;
    buf.clear();
    unescapeTSV(raw, buf);
    parseFieldText(t, c, buf, is_null, s);
}

}  // namespace

void serializeText(const DataType& type, const IColumn& column, size_t row, std::string& out, TextStyle style,
                   const FormatSettings& settings) {
    serializeImpl(type, column, row, out, style, settings);
}

void deserializeText(const DataType& type, IColumn& column, ReadBuffer& in, TextStyle style,
                     const FormatSettings& settings) {
    const char* start = in.pos;
    try {
        switch (style) {
            case TextStyle::Escaped: case TextStyle::Raw: readEscapedValue(type, column, in, settings); break;
            case TextStyle::CSV: readCSVValue(type, column, in, settings); break;
            case TextStyle::Quoted: readValue(type, column, in, false, settings, 0); break;
            case TextStyle::JSON: readValue(type, column, in, true, settings, 0); break;
        }
    } catch (...) {
        in.pos = start;
        throw;
    }
}

void deserializeWholeText(const DataType& type, IColumn& column, std::string_view text, const FormatSettings& settings) {
    if (parseViaDictionary(type, column, [&](const DataType& t, IColumn& x) { deserializeWholeText(t, x, text, settings); })) return;
    const DataType& t = stripLC(type);
    if (t.id == TypeId::Nullable) {
        if (text.empty() || text == "\\N" || iequals(text, "null")) { static_cast<ColumnNullable&>(column).insertNull(); return; }
        auto& n = static_cast<ColumnNullable&>(column);
        deserializeWholeText(*t.nested[0], n.getNested(), text, settings);
        n.getNullMap().push_back(0);
        return;
    }
    if (isComposite(t)) { parseCompositeWhole(t, column, text, settings); return; }
    parseScalar(t, column, text, settings);
}

void readJSONStringText(ReadBuffer& in, std::string& out) { readJSONString(in, out); }

}  // namespace basalt
