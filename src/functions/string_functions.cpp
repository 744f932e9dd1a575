// string_functions.cpp — ClickHouse's plain (non-regex) string functions: length/empty family, case
// mapping, reverse, concat/concatWithSeparator, substring/left/right (+UTF8), position/locate family,
// startsWith/endsWith, trim, pad, repeat, space, format, hex/unhex, base64, toValidUTF8, ascii, char,
// countSubstrings, initcap, arrayStringConcat.
// Regex and pattern functions (like, match, extract*, replace*, split*) live in string_regex.cpp.
//
// Every kernel reads arguments through StrArg / IntArg views that hide the const / full / FixedString
// layouts behind one inlined accessor, and writes ColumnString chars + offsets directly.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "common/exception.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "functions/string_args.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// ---------------------------------------------------------------------------------------------
// Argument views

using namespace string_args;

struct IntArg {
    PODArray<int64_t> v;
    bool is_const = false;
    int64_t operator[](size_t i) const { return v[is_const ? 0 : i]; }
};

IntArg intArg(const ColumnPtr& c, const DataTypePtr& type) {
    IntArg r;
    const IColumn* col = c.get();
    r.is_const = col->isConst();
    if (r.is_const) col = &static_cast<const ColumnConst&>(*col).getDataColumn();
    r.v.resize(col->size());
    bool ok = dispatchNumber(removeLowCardinality(type)->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        auto& d = static_cast<const ColumnVector<T>&>(*col).getData();
        for (size_t i = 0; i < d.size(); ++i) r.v[i] = static_cast<int64_t>(d[i]);
    });
    if (!ok) throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Illegal column of integer argument");
    return r;
}

// repeat/space: ClickHouse caps the repeat count at 1000000 (TOO_LARGE_STRING_SIZE); a UInt64 count
// of 2^63 or more arrives here as a negative int64 and must fail too, not act like 0.
void checkRepeatTimes(int64_t k, const DataTypePtr& type) {
    bool huge_unsigned = k < 0 && removeLowCardinality(type)->id == TypeId::UInt64;
    if (k > 1000000 || huge_unsigned)
        throw Exception(ErrorCodes::TOO_LARGE_STRING_SIZE, "Too many times to repeat (" +
                        (huge_unsigned ? std::to_string(uint64_t(k)) : std::to_string(k)) + "), maximum is: 1000000");
}

bool isInt(const DataTypePtr& t) { auto b = removeLowCardinality(t); return b->isInteger() || b->id == TypeId::Bool; }

void requireInt(const std::string& fn, const ColumnsWithTypeAndName& a, size_t i) {
    if (!isInt(a[i].type)) {
        static const char* ord[] = {"first", "second", "third", "fourth"};
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + a[i].type->name() + " of " + (i < 4 ? ord[i] : "an") +
                                                                  " argument of function " + fn + ", expected (U)Int*");
    }
}

// A constant String argument's value (trim characters, format pattern, separators).

// Converts any argument to a String column the way toString does (concat, format, arrayStringConcat).
ColumnPtr toStringColumn(const ColumnWithTypeAndName& a, const FunctionContext& ctx) {
    if (isStr(a.type)) return a.column;
    return castColumn(a.column, a.type, stringType(), ctx);
}


// ---------------------------------------------------------------------------------------------
// UTF-8 helpers. Invalid bytes count as one code point each (as ClickHouse's byte-length table does).

inline size_t utf8SeqLen(unsigned char c) {
    if (c < 0x80) return 1;
    if (c < 0xC0) return 1;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    if (c < 0xF8) return 4;
    return 1;
}

inline size_t utf8Count(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// Byte offset after skipping k code points from the start of s (clamped to s.size()).
inline size_t utf8Skip(std::string_view s, size_t k) {
    size_t pos = 0;
    while (k > 0 && pos < s.size()) {
        pos += utf8SeqLen(static_cast<unsigned char>(s[pos]));
        --k;
    }
    return std::min(pos, s.size());
}

// Decodes one code point at s[pos]; returns its length through len. Malformed input yields the byte.
inline uint32_t utf8Decode(std::string_view s, size_t pos, size_t& len) {
    unsigned char c = static_cast<unsigned char>(s[pos]);
    size_t l = utf8SeqLen(c);
    if (l == 1 || pos + l > s.size()) { len = 1; return c; }
    uint32_t cp = l == 2 ? (c & 0x1F) : l == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < l; ++i) {
        unsigned char d = static_cast<unsigned char>(s[pos + i]);
        if ((d & 0xC0) != 0x80) { len = 1; return c; }
        cp = (cp << 6) | (d & 0x3F);
    }
    len = l;
    return cp;
}

inline void utf8Encode(uint32_t cp, ColumnString::Chars& out) {
    if (cp < 0x80) out.push_back(char(cp));
    else if (cp < 0x800) { out.push_back(char(0xC0 | (cp >> 6))); out.push_back(char(0x80 | (cp & 0x3F))); }
    else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12))); out.push_back(char(0x80 | ((cp >> 6) & 0x3F))); out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18))); out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F))); out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

// Simple case mapping for the scripts users meet most (Latin-1, Latin Extended-A, Greek, Cyrillic).
// ClickHouse uses ICU; outside these blocks code points are left unchanged.
uint32_t lowerCp(uint32_t c) {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
    if (c >= 0x100 && c <= 0x137) return c | 1;
    if (c >= 0x139 && c <= 0x148) return (c & 1) ? c + 1 : c;
    if (c >= 0x14A && c <= 0x177) return c | 1;
    if (c == 0x178) return 0xFF;
    if (c >= 0x179 && c <= 0x17E) return (c & 1) ? c + 1 : c;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 0x20;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    return c;
}

uint32_t upperCp(uint32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
    if (c == 0xFF) return 0x178;
    if (c == 0xB5) return 0x39C;
    if (c >= 0x100 && c <= 0x137) return c & ~1u;
    if (c >= 0x139 && c <= 0x148) return (c & 1) ? c : c - 1;
    if (c >= 0x14A && c <= 0x177) return c & ~1u;
    if (c >= 0x179 && c <= 0x17E) return (c & 1) ? c : c - 1;
    if (c == 0x3C2) return 0x3A3;
    if (c >= 0x3B1 && c <= 0x3CB) return c - 0x20;
    if (c >= 0x430 && c <= 0x44F) return c - 0x20;
    if (c >= 0x450 && c <= 0x45F) return c - 0x50;
    return c;
}

void lowerUTF8Into(std::string_view s, ColumnString::Chars& out) {
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) { out.push_back(char((c >= 'A' && c <= 'Z') ? c + 32 : c)); ++i; continue; }
        size_t len;
        uint32_t cp = utf8Decode(s, i, len);
        if (len == 1) out.push_back(s[i]);
        else utf8Encode(lowerCp(cp), out);
        i += len;
    }
}

void upperUTF8Into(std::string_view s, ColumnString::Chars& out) {
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) { out.push_back(char((c >= 'a' && c <= 'z') ? c - 32 : c)); ++i; continue; }
        size_t len;
        uint32_t cp = utf8Decode(s, i, len);
        if (len == 1) out.push_back(s[i]);
        else if (cp == 0xDF) { out.push_back('S'); out.push_back('S'); }   // ß has no single upper case
        else utf8Encode(upperCp(cp), out);
        i += len;
    }
}

inline char asciiUpper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 32) : c; }

// ---------------------------------------------------------------------------------------------
// Generic registration of String -> String maps.

// fn(std::string_view in, ColumnString::Chars& out) appends the result of one row. When keep_fixed is
// set a FixedString argument yields FixedString of the same width (fn must preserve length).
template <typename F>
void registerStringMap(FunctionFactory& f, const std::string& name, F fn, bool keep_fixed, FunctionProperties props = {}) {
    f.registerFunction(name, [name, fn, keep_fixed](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount(name, a, 1, 1);
        requireStr(name, a, 0);
        DataTypePtr base = removeLowCardinality(a[0].type);
        DataTypePtr rt = keep_fixed && base->id == TypeId::FixedString ? base : stringType();
        return makeFunction(name, rt, [fn, rt](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column);
            if (rt->id == TypeId::FixedString) {
                auto res = std::make_shared<ColumnFixedString>(rt->n);
                auto& chars = res->getChars();
                chars.reserve(rows * rt->n);
                for (size_t i = 0; i < rows; ++i) fn(s[i], chars);
                return res;
            }
            auto res = ColumnString::create();
            auto& chars = res->getChars();
            auto& offs = res->getOffsets();
            offs.reserve(rows);
            chars.reserve(s.is_const ? s.cval.size() * rows : (s.fixed ? s.fixed * rows : (rows ? s.offs[rows - 1] : 0)));
            for (size_t i = 0; i < rows; ++i) {
                fn(s[i], chars);
                offs.push_back(chars.size());
            }
            return res;
        });
    }, props);
}

// ---------------------------------------------------------------------------------------------
// length / empty

void registerLengthFunctions(FunctionFactory& f) {
    f.registerFunction("length", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("length", a, 1, 1);
        DataTypePtr t = removeLowCardinality(a[0].type);
        if (!(t->isStringOrFixed() || t->id == TypeId::Array || t->id == TypeId::Map)) throwIllegalType("length", a[0].type, 0);
        return makeFunction("length", makeType(TypeId::UInt64), [t](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            auto res = ColumnUInt64::create(rows);
            auto& r = res->getData();
            if (t->isStringOrFixed()) {
                StrArg s = strArg(x[0].column);
                for (size_t i = 0; i < rows; ++i) r[i] = s[i].size();
            } else {
                ColumnPtr c = materialize(x[0].column);
                auto& arr = static_cast<const ColumnArray&>(*c);
                for (size_t i = 0; i < rows; ++i) r[i] = arr.sizeAt(i);
            }
            return res;
        });
    }, {.case_insensitive = true});

    f.registerFunction("lengthUTF8", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("lengthUTF8", a, 1, 1);
        requireStr("lengthUTF8", a, 0);
        return makeFunction("lengthUTF8", makeType(TypeId::UInt64), [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            auto res = ColumnUInt64::create(rows);
            StrArg s = strArg(x[0].column);
            for (size_t i = 0; i < rows; ++i) res->getData()[i] = utf8Count(s[i]);
            return res;
        });
    });
    f.registerAlias("char_length", "lengthUTF8", true);
    f.registerAlias("character_length", "lengthUTF8", true);

    for (bool negate : {false, true}) {
        std::string name = negate ? "notEmpty" : "empty";
        f.registerFunction(name, [name, negate](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 1, 1);
            DataTypePtr t = removeLowCardinality(a[0].type);
            if (!(t->isStringOrFixed() || t->id == TypeId::Array || t->id == TypeId::Map || t->id == TypeId::UUID))
                throwIllegalType(name, a[0].type, 0);
            return makeFunction(name, makeType(TypeId::UInt8), [t, negate](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                auto res = ColumnUInt8::create(rows);
                auto& r = res->getData();
                if (t->id == TypeId::String) {
                    StrArg s = strArg(x[0].column);
                    for (size_t i = 0; i < rows; ++i) r[i] = s[i].empty() != negate;
                } else if (t->id == TypeId::FixedString) {
                    // A FixedString is empty when all its bytes are zero.
                    StrArg s = strArg(x[0].column);
                    for (size_t i = 0; i < rows; ++i) {
                        auto v = s[i];
                        bool e = std::all_of(v.begin(), v.end(), [](char c) { return c == 0; });
                        r[i] = e != negate;
                    }
                } else if (t->id == TypeId::UUID) {
                    ColumnPtr c = materialize(x[0].column);
                    auto& d = static_cast<const ColumnVector<UInt128>&>(*c).getData();
                    for (size_t i = 0; i < rows; ++i) r[i] = (d[i] == UInt128{}) != negate;
                } else {
                    ColumnPtr c = materialize(x[0].column);
                    auto& arr = static_cast<const ColumnArray&>(*c);
                    for (size_t i = 0; i < rows; ++i) r[i] = (arr.sizeAt(i) == 0) != negate;
                }
                return res;
            });
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Case mapping, reverse, simple per-row maps

void registerCaseAndMaps(FunctionFactory& f) {
    registerStringMap(f, "lower", [](std::string_view s, ColumnString::Chars& out) {
        size_t at = out.size();
        out.resize(at + s.size());
        for (size_t i = 0; i < s.size(); ++i) out[at + i] = asciiLower(s[i]);
    }, true, {.case_insensitive = true});
    registerStringMap(f, "upper", [](std::string_view s, ColumnString::Chars& out) {
        size_t at = out.size();
        out.resize(at + s.size());
        for (size_t i = 0; i < s.size(); ++i) out[at + i] = asciiUpper(s[i]);
    }, true, {.case_insensitive = true});
    f.registerAlias("lcase", "lower", true);
    f.registerAlias("ucase", "upper", true);
    registerStringMap(f, "lowerUTF8", lowerUTF8Into, false);
    registerStringMap(f, "upperUTF8", upperUTF8Into, false);

    registerStringMap(f, "reverseUTF8", [](std::string_view s, ColumnString::Chars& out) {
        size_t at = out.size();
        out.resize(at + s.size());
        char* dst = out.data() + at + s.size();
        for (size_t i = 0; i < s.size();) {
            size_t len = std::min(utf8SeqLen(static_cast<unsigned char>(s[i])), s.size() - i);
            dst -= len;
            std::memcpy(dst, s.data() + i, len);
            i += len;
        }
    }, false);

    // initcap: upper-cases the first letter of each alphanumeric word, lower-cases the rest (ASCII).
    registerStringMap(f, "initcap", [](std::string_view s, ColumnString::Chars& out) {
        bool prev_alnum = false;
        for (char c : s) {
            bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
            out.push_back(alnum && !prev_alnum ? asciiUpper(c) : asciiLower(c));
            prev_alnum = alnum;
        }
    }, false);

    // reverse works on strings (bytes), FixedString and arrays.
    f.registerFunction("reverse", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("reverse", a, 1, 1);
        DataTypePtr t = removeLowCardinality(a[0].type);
        if (t->id == TypeId::Array) {
            return makeFunction("reverse", t, [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                ColumnPtr c = materialize(x[0].column);
                auto& arr = static_cast<const ColumnArray&>(*c);
                Permutation perm(arr.getData().size());
                for (size_t i = 0; i < rows; ++i) {
                    size_t b = arr.offsetAt(i), e = arr.getOffsets()[i];
                    for (size_t j = b; j < e; ++j) perm[j] = uint32_t(e - 1 - (j - b));
                }
                ColumnPtr data = arr.getData().permute(perm, 0);
                return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
            });
        }
        if (!t->isStringOrFixed()) throwIllegalType("reverse", a[0].type, 0);
        DataTypePtr rt = t->id == TypeId::FixedString ? t : stringType();
        return makeFunction("reverse", rt, [rt](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column);
            auto write = [&](ColumnString::Chars& chars, std::string_view v) {
                size_t at = chars.size();
                chars.resize(at + v.size());
                std::reverse_copy(v.begin(), v.end(), chars.data() + at);
            };
            if (rt->id == TypeId::FixedString) {
                auto res = std::make_shared<ColumnFixedString>(rt->n);
                for (size_t i = 0; i < rows; ++i) write(res->getChars(), s[i]);
                return res;
            }
            auto res = ColumnString::create();
            res->getOffsets().reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                write(res->getChars(), s[i]);
                res->getOffsets().push_back(res->getChars().size());
            }
            return res;
        });
    }, {.case_insensitive = true});
}

// ---------------------------------------------------------------------------------------------
// concat, concatWithSeparator, format, arrayStringConcat

void registerConcat(FunctionFactory& f) {
    // concat(...): any argument types; non-strings are converted as toString does.
    f.registerFunction("concat", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
        return makeFunction("concat", stringType(), [ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            std::vector<StrArg> args;
            size_t bytes = 0;
            for (auto& c : x) {
                args.push_back(strArg(toStringColumn(c, ctx)));
                auto& s = args.back();
                bytes += s.is_const ? s.cval.size() * rows : s.fixed ? s.fixed * rows : (rows ? s.offs[rows - 1] : 0);
            }
            auto res = ColumnString::create();
            auto& chars = res->getChars();
            auto& offs = res->getOffsets();
            chars.reserve(bytes);
            offs.reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                for (auto& s : args) appendTo(chars, s[i]);
                offs.push_back(chars.size());
            }
            return res;
        });
    }, {.case_insensitive = true});
    f.registerAlias("concatAssumeInjective", "concat");

    f.registerFunction("concatWithSeparator", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
        if (a.empty()) throwArgumentCount("concatWithSeparator", 0, "at least 1");
        requireStr("concatWithSeparator", a, 0);
        return makeFunction("concatWithSeparator", stringType(), [ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg sep = strArg(x[0].column);
            std::vector<StrArg> args;
            for (size_t k = 1; k < x.size(); ++k) args.push_back(strArg(toStringColumn(x[k], ctx)));
            auto res = ColumnString::create();
            auto& chars = res->getChars();
            res->getOffsets().reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                for (size_t k = 0; k < args.size(); ++k) {
                    if (k) appendTo(chars, sep[i]);
                    appendTo(chars, args[k][i]);
                }
                res->getOffsets().push_back(chars.size());
            }
            return res;
        });
    }, {.case_insensitive = true});
    f.registerAlias("concat_ws", "concatWithSeparator", true);
    f.registerAlias("concatWithSeparatorAssumeInjective", "concatWithSeparator");

    // format(pattern, args...): {} takes the next argument, {N} argument N (0-based), {{ and }} escape.
    f.registerFunction("format", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
        if (a.empty()) throwArgumentCount("format", 0, "at least 1");
        std::string pattern = constStr("format", a[0], 0);
        // Pre-parse into literal pieces and argument references (-1 = literal).
        std::vector<std::pair<int, std::string>> pieces;
        std::string lit;
        size_t next = 0;
        bool explicit_idx = false, implicit_idx = false;
        for (size_t i = 0; i < pattern.size(); ++i) {
            char c = pattern[i];
            if (c == '{') {
                if (i + 1 < pattern.size() && pattern[i + 1] == '{') { lit += '{'; ++i; continue; }
                size_t close = pattern.find('}', i);
                if (close == std::string::npos) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Invalid format string: unmatched '{'");
                std::string inner = pattern.substr(i + 1, close - i - 1);
                size_t idx;
                if (inner.empty()) { idx = next++; implicit_idx = true; }
                else {
                    if (!std::all_of(inner.begin(), inner.end(), [](char d) { return d >= '0' && d <= '9'; }))
                        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Not a number in curly braces at position " + std::to_string(i));
                    idx = std::stoul(inner);
                    explicit_idx = true;
                }
                if (explicit_idx && implicit_idx)
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Cannot switch from automatic field numbering to manual field specification");
                if (idx + 1 >= a.size()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Argument is too big for formatting");
                if (!lit.empty()) { pieces.push_back({-1, lit}); lit.clear(); }
                pieces.push_back({int(idx + 1), ""});
                i = close;
            } else if (c == '}') {
                if (i + 1 < pattern.size() && pattern[i + 1] == '}') { lit += '}'; ++i; continue; }
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Unbalanced curly braces in format string");
            } else {
                lit += c;
            }
        }
        if (!lit.empty()) pieces.push_back({-1, lit});
        return makeFunction("format", stringType(), [pieces, ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            std::vector<StrArg> args(x.size());
            for (size_t k = 1; k < x.size(); ++k) args[k] = strArg(toStringColumn(x[k], ctx));
            auto res = ColumnString::create();
            auto& chars = res->getChars();
            res->getOffsets().reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                for (auto& [idx, text] : pieces) appendTo(chars, idx < 0 ? std::string_view(text) : args[idx][i]);
                res->getOffsets().push_back(chars.size());
            }
            return res;
        });
    });

    // arrayStringConcat(arr[, sep]): elements converted to String; NULL elements are skipped.
    f.registerFunction("arrayStringConcat", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("arrayStringConcat", a, 1, 2);
        DataTypePtr t = removeLowCardinality(a[0].type);
        if (t->id != TypeId::Array) throwIllegalType("arrayStringConcat", a[0].type, 0);
        std::string sep;
        if (a.size() == 2) sep = constStr("arrayStringConcat", a[1], 1);
        DataTypePtr elem = t->nested[0];
        return makeFunction("arrayStringConcat", stringType(), [sep, elem, ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            ColumnPtr c = materialize(x[0].column);
            auto& arr = static_cast<const ColumnArray&>(*c);
            ColumnPtr data = arr.getDataPtr();
            const PODArray<uint8_t>* null_map = nullptr;
            DataTypePtr et = elem;
            if (et->id == TypeId::Nullable) {
                auto& nc = static_cast<const ColumnNullable&>(*data);
                null_map = &nc.getNullMap();
                data = nc.getNestedPtr();
                et = et->nested[0];
            }
            if (et->id == TypeId::Nothing) data = nullptr;
            else data = toStringColumn({data, et, ""}, ctx);
            auto res = ColumnString::create();
            auto& chars = res->getChars();
            res->getOffsets().reserve(rows);
            StrArg s;
            if (data) s = strArg(data);
            for (size_t i = 0; i < rows; ++i) {
                bool first = true;
                for (size_t j = arr.offsetAt(i); j < arr.getOffsets()[i]; ++j) {
                    if (!data || (null_map && (*null_map)[j])) continue;
                    if (!first) appendTo(chars, sep);
                    first = false;
                    appendTo(chars, s[j]);
                }
                res->getOffsets().push_back(chars.size());
            }
            return res;
        });
    });
}

// ---------------------------------------------------------------------------------------------
// substring, left, right

// Resolves ClickHouse's substring(s, offset[, length]) rules into a [begin, end) range over `size`
// units (bytes or code points). offset is 1-based, negative counts from the end, 0 gives ''; a
// negative length stops that many units before the end.
inline void substringRange(int64_t size, int64_t offset, bool has_len, int64_t length, int64_t& b, int64_t& e) {
    if (offset == 0) { b = e = 0; return; }
    __int128 start = offset > 0 ? __int128(offset) - 1 : __int128(size) + offset;
    __int128 end;
    if (!has_len) end = size;
    else if (length >= 0) end = start + length;
    else end = __int128(size) + length;
    if (start < 0) start = 0;
    if (end > size) end = size;
    if (start >= end) { b = e = 0; return; }
    b = int64_t(start);
    e = int64_t(end);
}

// Emits the [b, e) range of s in bytes or code points.
inline std::string_view sliceUnits(std::string_view s, bool utf8, int64_t b, int64_t e) {
    if (b >= e) return {};
    if (!utf8) return s.substr(size_t(b), size_t(e - b));
    size_t pb = utf8Skip(s, size_t(b));
    size_t pe = pb + utf8Skip(s.substr(pb), size_t(e - b));
    return s.substr(pb, pe - pb);
}

void registerSubstring(FunctionFactory& f) {
    for (bool utf8 : {false, true}) {
        std::string name = utf8 ? "substringUTF8" : "substring";
        f.registerFunction(name, [name, utf8](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 3);
            requireStr(name, a, 0);
            requireInt(name, a, 1);
            if (a.size() == 3) requireInt(name, a, 2);
            DataTypes types;
            for (auto& x : a) types.push_back(x.type);
            return makeFunction(name, stringType(), [utf8, types](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column);
                IntArg off = intArg(x[1].column, types[1]);
                bool has_len = x.size() == 3;
                IntArg len;
                if (has_len) len = intArg(x[2].column, types[2]);
                auto res = ColumnString::create();
                auto& chars = res->getChars();
                res->getOffsets().reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view v = s[i];
                    int64_t size = utf8 ? int64_t(utf8Count(v)) : int64_t(v.size());
                    int64_t b, e;
                    substringRange(size, off[i], has_len, has_len ? len[i] : 0, b, e);
                    appendTo(chars, sliceUnits(v, utf8, b, e));
                    res->getOffsets().push_back(chars.size());
                }
                return res;
            });
        }, {.case_insensitive = !utf8});
    }
    f.registerAlias("substr", "substring", true);
    f.registerAlias("mid", "substring", true);
    f.registerAlias("byteSlice", "substring");

    // left(s, n) / right(s, n) and UTF-8 variants; a negative n drops |n| units from the other end.
    for (int variant = 0; variant < 4; ++variant) {
        bool is_left = variant % 2 == 0, utf8 = variant >= 2;
        std::string name = std::string(is_left ? "left" : "right") + (utf8 ? "UTF8" : "");
        f.registerFunction(name, [name, is_left, utf8](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 2);
            requireStr(name, a, 0);
            requireInt(name, a, 1);
            DataTypePtr nt = a[1].type;
            return makeFunction(name, stringType(), [is_left, utf8, nt](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column);
                IntArg n = intArg(x[1].column, nt);
                auto res = ColumnString::create();
                auto& chars = res->getChars();
                res->getOffsets().reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view v = s[i];
                    int64_t size = utf8 ? int64_t(utf8Count(v)) : int64_t(v.size());
                    int64_t k = n[i], b, e;
                    if (is_left) {
                        b = 0;
                        e = k >= 0 ? std::min(k, size) : std::max<int64_t>(0, size + std::max(k, -size));
                    } else {
                        e = size;
                        b = k >= 0 ? std::max<int64_t>(0, size - std::min(k, size)) : std::min(size, -std::max(k, -size));
                    }
                    appendTo(chars, sliceUnits(v, utf8, b, e));
                    res->getOffsets().push_back(chars.size());
                }
                return res;
            });
        }, {.case_insensitive = !utf8});
    }
}

// ---------------------------------------------------------------------------------------------
// position / locate / countSubstrings / startsWith / endsWith


enum class SearchMode { Bytes, CaseInsensitive, UTF8, CaseInsensitiveUTF8 };

void registerPosition(FunctionFactory& f) {
    struct Def { const char* name; SearchMode mode; bool swapped; };
    static const Def defs[] = {
        {"position", SearchMode::Bytes, false},
        {"positionCaseInsensitive", SearchMode::CaseInsensitive, false},
        {"positionUTF8", SearchMode::UTF8, false},
        {"positionCaseInsensitiveUTF8", SearchMode::CaseInsensitiveUTF8, false},
        {"locate", SearchMode::Bytes, true},   // MySQL argument order: locate(needle, haystack)
    };
    for (const Def& d : defs) {
        std::string name = d.name;
        SearchMode mode = d.mode;
        bool swapped = d.swapped;
        f.registerFunction(name, [name, mode, swapped](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 3);
            requireStr(name, a, 0);
            requireStr(name, a, 1);
            if (a.size() == 3) requireInt(name, a, 2);
            DataTypePtr st = a.size() == 3 ? a[2].type : nullptr;
            return makeFunction(name, makeType(TypeId::UInt64), [mode, swapped, st](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg hay = strArg(x[swapped ? 1 : 0].column);
                StrArg needle = strArg(x[swapped ? 0 : 1].column);
                IntArg start;
                if (st) start = intArg(x[2].column, st);
                auto res = ColumnUInt64::create(rows);
                auto& r = res->getData();
                bool utf8 = mode == SearchMode::UTF8 || mode == SearchMode::CaseInsensitiveUTF8;
                ColumnString::Chars lh, ln;
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view h = hay[i], n = needle[i];
                    if (mode == SearchMode::CaseInsensitiveUTF8) {
                        lh.clear(); ln.clear();
                        lowerUTF8Into(h, lh);
                        lowerUTF8Into(n, ln);
                        h = {lh.data(), lh.size()};
                        n = {ln.data(), ln.size()};
                    }
                    // A start position below 1 behaves as 1; an empty needle is found at the start position.
                    int64_t sp = st ? std::max<int64_t>(start[i], 1) : 1;
                    int64_t units = utf8 ? int64_t(utf8Count(h)) : int64_t(h.size());
                    if (n.empty()) {
                        r[i] = sp <= units + 1 ? uint64_t(sp) : 0;
                        continue;
                    }
                    if (sp > units) { r[i] = 0; continue; }
                    size_t from = utf8 ? utf8Skip(h, size_t(sp - 1)) : size_t(sp - 1);
                    size_t p = mode == SearchMode::CaseInsensitive ? findCaseInsensitive(h, n, from) : h.find(n, from);
                    if (p == std::string_view::npos) r[i] = 0;
                    else r[i] = utf8 ? utf8Count(h.substr(0, p)) + 1 : p + 1;
                }
                return res;
            });
        }, {.case_insensitive = name == "position" || name == "locate"});
    }

    for (bool ci : {false, true}) {
        std::string name = ci ? "countSubstringsCaseInsensitive" : "countSubstrings";
        f.registerFunction(name, [name, ci](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 3);
            requireStr(name, a, 0);
            requireStr(name, a, 1);
            if (a.size() == 3) requireInt(name, a, 2);
            DataTypePtr st = a.size() == 3 ? a[2].type : nullptr;
            return makeFunction(name, makeType(TypeId::UInt64), [ci, st](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg hay = strArg(x[0].column), needle = strArg(x[1].column);
                IntArg start;
                if (st) start = intArg(x[2].column, st);
                auto res = ColumnUInt64::create(rows);
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view h = hay[i], n = needle[i];
                    uint64_t cnt = 0;
                    int64_t sp = st ? std::max<int64_t>(start[i], 1) : 1;
                    if (!n.empty() && size_t(sp - 1) <= h.size()) {
                        size_t p = size_t(sp - 1);
                        while (true) {
                            p = ci ? findCaseInsensitive(h, n, p) : h.find(n, p);
                            if (p == std::string_view::npos) break;
                            ++cnt;
                            p += n.size();
                        }
                    }
                    res->getData()[i] = cnt;
                }
                return res;
            });
        });
    }

    for (bool ends : {false, true}) {
        std::string name = ends ? "endsWith" : "startsWith";
        f.registerFunction(name, [name, ends](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 2);
            requireStr(name, a, 0);
            requireStr(name, a, 1);
            return makeFunction(name, makeType(TypeId::UInt8), [ends](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column), p = strArg(x[1].column);
                auto res = ColumnUInt8::create(rows);
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view v = s[i], q = p[i];
                    res->getData()[i] = q.empty() || (q.size() <= v.size() &&
                                        std::memcmp(v.data() + (ends ? v.size() - q.size() : 0), q.data(), q.size()) == 0);
                }
                return res;
            });
        });
    }

    // hasToken(haystack, token): the token occurs bounded by separators (anything but ASCII
    // alphanumerics and non-ASCII bytes) or the string ends — what tokenbf_v1 indexes.
    for (bool ci : {false, true}) {
        std::string name = ci ? "hasTokenCaseInsensitive" : "hasToken";
        f.registerFunction(name, [name, ci](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 2);
            requireStr(name, a, 0);
            std::string token = constStr(name, a[1], 1);
            auto isTokenChar = [](unsigned char c) { return c >= 0x80 || std::isalnum(c); };
            for (unsigned char c : token)
                if (!isTokenChar(c)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Needle must not contain whitespace or separator characters");
            return makeFunction(name, makeType(TypeId::UInt8), [token, ci, isTokenChar](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column);
                auto res = ColumnUInt8::create(rows);
                std::string_view n = token;
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view h = s[i];
                    bool found = false;
                    for (size_t p = 0; !n.empty() && !found;) {
                        p = ci ? findCaseInsensitive(h, n, p) : h.find(n, p);
                        if (p == std::string_view::npos) break;
                        bool left = p == 0 || !isTokenChar(uint8_t(h[p - 1]));
                        bool right = p + n.size() == h.size() || !isTokenChar(uint8_t(h[p + n.size()]));
                        found = left && right;
                        ++p;
                    }
                    res->getData()[i] = found;
                }
                return res;
            });
        });
    }
}

// ---------------------------------------------------------------------------------------------
// trim, pad, repeat, space

void registerTrimPad(FunctionFactory& f) {
    struct Def { const char* name; bool left, right; };
    static const Def defs[] = {{"trimLeft", true, false}, {"trimRight", false, true}, {"trimBoth", true, true}};
    for (const Def& d : defs) {
        std::string name = d.name;
        bool tl = d.left, tr = d.right;
        f.registerFunction(name, [name, tl, tr](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 1, 2);
            requireStr(name, a, 0);
            std::string set = a.size() == 2 ? constStr(name, a[1], 1) : std::string(" ");
            bool table[256] = {};
            for (unsigned char c : set) table[c] = true;
            std::vector<bool> tbl(table, table + 256);
            return makeFunction(name, stringType(), [tl, tr, tbl](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column);
                auto res = ColumnString::create();
                res->getOffsets().reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view v = s[i];
                    size_t b = 0, e = v.size();
                    if (tl) while (b < e && tbl[static_cast<unsigned char>(v[b])]) ++b;
                    if (tr) while (e > b && tbl[static_cast<unsigned char>(v[e - 1])]) --e;
                    appendTo(res->getChars(), v.substr(b, e - b));
                    res->getOffsets().push_back(res->getChars().size());
                }
                return res;
            });
        });
    }
    f.registerAlias("ltrim", "trimLeft", true);
    f.registerAlias("rtrim", "trimRight", true);
    f.registerAlias("trim", "trimBoth", true);

    // leftPad/rightPad(s, length[, pad]): pad cyclically to length units; longer strings are cut.
    for (int variant = 0; variant < 4; ++variant) {
        bool is_left = variant % 2 == 0, utf8 = variant >= 2;
        std::string name = std::string(is_left ? "leftPad" : "rightPad") + (utf8 ? "UTF8" : "");
        f.registerFunction(name, [name, is_left, utf8](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(name, a, 2, 3);
            requireStr(name, a, 0);
            requireInt(name, a, 1);
            if (a.size() == 3) requireStr(name, a, 2);
            DataTypePtr lt = a[1].type;
            return makeFunction(name, stringType(), [is_left, utf8, lt](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
                StrArg s = strArg(x[0].column);
                IntArg len = intArg(x[1].column, lt);
                StrArg pad;
                bool has_pad = x.size() == 3;
                if (has_pad) pad = strArg(x[2].column);
                auto res = ColumnString::create();
                auto& chars = res->getChars();
                res->getOffsets().reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    std::string_view v = s[i];
                    std::string_view p = has_pad ? pad[i] : std::string_view(" ");
                    int64_t target = len[i];
                    if (target < 0) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "New padded length (" + std::to_string(target) + ") is negative");
                    if (target > 1000000)
                        throw Exception(ErrorCodes::TOO_LARGE_STRING_SIZE, "New padded length (" + std::to_string(target) + ") is too big, maximum is: 1000000");
                    int64_t size = utf8 ? int64_t(utf8Count(v)) : int64_t(v.size());
                    if (size >= target) {
                        appendTo(chars, sliceUnits(v, utf8, 0, target));
                    } else {
                        int64_t need = target - size;
                        auto emitPad = [&] {
                            if (p.empty()) return;
                            int64_t punits = utf8 ? int64_t(utf8Count(p)) : int64_t(p.size());
                            while (need >= punits) { appendTo(chars, p); need -= punits; }
                            appendTo(chars, sliceUnits(p, utf8, 0, need));
                        };
                        if (is_left) { emitPad(); appendTo(chars, v); }
                        else { appendTo(chars, v); emitPad(); }
                    }
                    res->getOffsets().push_back(chars.size());
                }
                return res;
            });
        });
    }
    f.registerAlias("lpad", "leftPad", true);
    f.registerAlias("rpad", "rightPad", true);

    f.registerFunction("repeat", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("repeat", a, 2, 2);
        requireStr("repeat", a, 0);
        requireInt("repeat", a, 1);
        DataTypePtr nt = a[1].type;
        return makeFunction("repeat", stringType(), [nt](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column);
            IntArg n = intArg(x[1].column, nt);
            auto res = ColumnString::create();
            res->getOffsets().reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                std::string_view v = s[i];
                int64_t k = n[i];
                checkRepeatTimes(k, nt);
                if (k > 0 && uint64_t(k) * v.size() > (uint64_t(1) << 30))
                    throw Exception(ErrorCodes::TOO_LARGE_STRING_SIZE, "Too large string size in function repeat");
                for (int64_t j = 0; j < k; ++j) appendTo(res->getChars(), v);
                res->getOffsets().push_back(res->getChars().size());
            }
            return res;
        });
    }, {.case_insensitive = true});

    f.registerFunction("space", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("space", a, 1, 1);
        requireInt("space", a, 0);
        DataTypePtr nt = a[0].type;
        return makeFunction("space", stringType(), [nt](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            IntArg n = intArg(x[0].column, nt);
            auto res = ColumnString::create();
            res->getOffsets().reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                int64_t k = n[i];
                checkRepeatTimes(k, nt);
                if (k > 0) res->getChars().resize_fill(res->getChars().size() + size_t(k), ' ');
                res->getOffsets().push_back(res->getChars().size());
            }
            return res;
        });
    }, {.case_insensitive = true});
}

// ---------------------------------------------------------------------------------------------
// hex / unhex / base64 / toValidUTF8 / ascii / char

const char kHex[] = "0123456789ABCDEF";

inline int unhexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
}

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64EncodeInto(std::string_view s, ColumnString::Chars& out) {
    size_t i = 0;
    for (; i + 3 <= s.size(); i += 3) {
        uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
        out.push_back(kB64[v >> 18]); out.push_back(kB64[(v >> 12) & 63]); out.push_back(kB64[(v >> 6) & 63]); out.push_back(kB64[v & 63]);
    }
    size_t rest = s.size() - i;
    if (rest) {
        uint32_t v = uint8_t(s[i]) << 16;
        if (rest == 2) v |= uint8_t(s[i + 1]) << 8;
        out.push_back(kB64[v >> 18]);
        out.push_back(kB64[(v >> 12) & 63]);
        out.push_back(rest == 2 ? kB64[(v >> 6) & 63] : '=');
        out.push_back('=');
    }
}

// Strict RFC 4648 decoding (padding required); false on malformed input with `out` restored.
bool base64DecodeInto(std::string_view s, ColumnString::Chars& out) {
    static const auto table = [] {
        std::array<int8_t, 256> t{};
        t.fill(-1);
        for (int i = 0; i < 64; ++i) t[uint8_t(kB64[i])] = int8_t(i);
        return t;
    }();
    if (s.size() % 4 != 0) return false;
    size_t at = out.size();
    for (size_t i = 0; i < s.size(); i += 4) {
        int pad = 0;
        uint32_t v = 0;
        for (size_t j = 0; j < 4; ++j) {
            char c = s[i + j];
            if (c == '=') {
                if (i + 4 != s.size() || j < 2) { out.resize(at); return false; }
                ++pad;
                v <<= 6;
                continue;
            }
            if (pad) { out.resize(at); return false; }
            int d = table[uint8_t(c)];
            if (d < 0) { out.resize(at); return false; }
            v = (v << 6) | uint32_t(d);
        }
        out.push_back(char(v >> 16));
        if (pad < 2) out.push_back(char((v >> 8) & 0xFF));
        if (pad < 1) out.push_back(char(v & 0xFF));
    }
    return true;
}

// Replaces every malformed UTF-8 sequence with U+FFFD.
void toValidUTF8Into(std::string_view s, ColumnString::Chars& out) {
    static const char repl[] = "\xEF\xBF\xBD";
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) { out.push_back(char(c)); ++i; continue; }
        size_t len = 0;
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) len = 3;
        else if (c >= 0xF0 && c <= 0xF4) len = 4;
        // An invalid sequence (bad lead byte plus the continuation bytes after it) becomes one U+FFFD;
        // a sequence cut off by the end of the value swallows the rest.
        auto skipBad = [&] {
            out.append(repl, 3);
            ++i;
            while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
        };
        if (len == 0) { skipBad(); continue; }
        if (i + len > s.size()) { out.append(repl, 3); break; }
        bool ok = true;
        for (size_t j = 1; j < len && ok; ++j) {
            unsigned char d = static_cast<unsigned char>(s[i + j]);
            if ((d & 0xC0) != 0x80) ok = false;
            if (j == 1) {
                if (c == 0xE0 && d < 0xA0) ok = false;
                if (c == 0xED && d > 0x9F) ok = false;
                if (c == 0xF0 && d < 0x90) ok = false;
                if (c == 0xF4 && d > 0x8F) ok = false;
            }
        }
        if (!ok) { skipBad(); continue; }
        out.append(s.data() + i, len);
        i += len;
    }
}

void registerEncodings(FunctionFactory& f) {
    // hex: integers as big-endian bytes without leading zero bytes; floats as their in-memory bytes;
    // strings byte by byte.
    f.registerFunction("hex", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("hex", a, 1, 1);
        DataTypePtr t = removeLowCardinality(a[0].type);
        if (t->id == TypeId::AggregateFunction) t = makeType(TypeId::String);   // the serialized state's bytes
        bool ok = t->isStringOrFixed() || t->isInteger() || t->isFloat() || t->id == TypeId::Bool || t->id == TypeId::Date ||
                  t->id == TypeId::DateTime || t->isDecimal() || t->id == TypeId::UUID || t->id == TypeId::Date32;
        if (!ok || t->id == TypeId::UInt256 || t->id == TypeId::Int256 || t->id == TypeId::Decimal256) throwIllegalType("hex", a[0].type, 0);
        return makeFunction("hex", stringType(), [t](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            auto res = ColumnString::create();
            auto& chars = res->getChars();
            res->getOffsets().reserve(rows);
            if (t->isStringOrFixed()) {
                StrArg s = strArg(x[0].column);
                for (size_t i = 0; i < rows; ++i) {
                    for (unsigned char c : s[i]) { chars.push_back(kHex[c >> 4]); chars.push_back(kHex[c & 15]); }
                    res->getOffsets().push_back(chars.size());
                }
                return res;
            }
            ColumnPtr c = materialize(x[0].column);
            const char* raw = c->rawData();
            size_t w = c->valueSizeOfFixed();
            bool is_float = t->isFloat() || t->isDecimal();
            bool full_width = t->id == TypeId::UUID;   // printed as in its text form: all 16 bytes
            for (size_t i = 0; i < rows; ++i) {
                const unsigned char* v = reinterpret_cast<const unsigned char*>(raw + i * w);
                if (is_float) {
                    for (size_t k = 0; k < w; ++k) { chars.push_back(kHex[v[k] >> 4]); chars.push_back(kHex[v[k] & 15]); }
                } else {
                    size_t k = w;
                    while (!full_width && k > 1 && v[k - 1] == 0) --k;   // skip leading zero bytes (little-endian storage)
                    for (; k > 0; --k) { chars.push_back(kHex[v[k - 1] >> 4]); chars.push_back(kHex[v[k - 1] & 15]); }
                }
                res->getOffsets().push_back(chars.size());
            }
            return res;
        });
    }, {.case_insensitive = true});

    registerStringMap(f, "unhex", [](std::string_view s, ColumnString::Chars& out) {
        size_t i = 0;
        if (s.size() % 2) { out.push_back(char(unhexDigit(s[0]))); i = 1; }
        for (; i + 1 < s.size(); i += 2) out.push_back(char(unhexDigit(s[i]) * 16 + unhexDigit(s[i + 1])));
    }, false, {.case_insensitive = true});

    registerStringMap(f, "base64Encode", base64EncodeInto, false);
    registerStringMap(f, "base64Decode", [](std::string_view s, ColumnString::Chars& out) {
        if (!base64DecodeInto(s, out))
            throw Exception(ErrorCodes::INCORRECT_DATA, "Invalid base64Decode value (" + std::string(s) + "), cannot be decoded");
    }, false);
    registerStringMap(f, "tryBase64Decode", [](std::string_view s, ColumnString::Chars& out) { base64DecodeInto(s, out); }, false);
    f.registerAlias("TO_BASE64", "base64Encode", true);
    f.registerAlias("FROM_BASE64", "base64Decode", true);

    registerStringMap(f, "toValidUTF8", toValidUTF8Into, false);

    f.registerFunction("ascii", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("ascii", a, 1, 1);
        requireStr("ascii", a, 0);
        return makeFunction("ascii", makeType(TypeId::Int32), [](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            StrArg s = strArg(x[0].column);
            auto res = ColumnInt32::create(rows);
            for (size_t i = 0; i < rows; ++i) {
                auto v = s[i];
                res->getData()[i] = v.empty() ? 0 : static_cast<unsigned char>(v[0]);
            }
            return res;
        });
    }, {.case_insensitive = true});

    // char(n, ...): one byte per numeric argument (value modulo 256).
    f.registerFunction("char", [](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
        if (a.empty()) throwArgumentCount("char", 0, "at least 1");
        DataTypes types;
        for (size_t i = 0; i < a.size(); ++i) {
            DataTypePtr t = removeLowCardinality(a[i].type);
            if (!(t->isNumber() || t->id == TypeId::Bool)) throwIllegalType("char", a[i].type, i);
            types.push_back(t);
        }
        return makeFunction("char", stringType(), [types](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            std::vector<IntArg> args;
            for (size_t k = 0; k < x.size(); ++k) args.push_back(intArg(x[k].column, types[k]));
            auto res = ColumnString::create();
            res->getOffsets().reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                for (auto& v : args) res->getChars().push_back(char(uint8_t(v[i])));
                res->getOffsets().push_back(res->getChars().size());
            }
            return res;
        });
    }, {.case_insensitive = true});
}

}  // namespace

void registerStringRegexFunctions(FunctionFactory& f);   // string_regex.cpp

void registerStringFunctions(FunctionFactory& f) {
    registerLengthFunctions(f);
    registerCaseAndMaps(f);
    registerConcat(f);
    registerSubstring(f);
    registerPosition(f);
    registerTrimPad(f);
    registerEncodings(f);
    registerStringRegexFunctions(f);
}

}  // namespace basalt
