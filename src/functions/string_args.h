// string_args.h — uniform read access to string arguments of functions (String, FixedString, or a
// constant of either) for the string, regex, JSON and URL function files: one accessor per block
// instead of a type switch per row.
#pragma once
#include <string>
#include <string_view>

#include "columns/column.h"
#include "common/exception.h"
#include "functions/function.h"
#include "types/data_type.h"

namespace basalt::string_args {

// A view of one string argument: operator[](row) returns the row's bytes.
struct StrArg {
    const char* chars = nullptr;
    const uint64_t* offs = nullptr;
    size_t fixed = 0;   // FixedString width, 0 for String
    bool is_const = false;
    std::string_view cval;
    ColumnPtr hold;     // keeps the column alive while the view is used
    std::string_view operator[](size_t i) const {
        if (is_const) return cval;
        if (fixed) return {chars + i * fixed, fixed};
        uint64_t b = i ? offs[i - 1] : 0;
        return {chars + b, offs[i] - b};
    }
};

inline StrArg strArg(const ColumnPtr& c) {
    StrArg s;
    s.hold = c;
    const IColumn* col = c.get();
    bool k = col->isConst();
    if (k) col = &static_cast<const ColumnConst&>(*col).getDataColumn();
    if (auto* cs = dynamic_cast<const ColumnString*>(col)) {
        s.chars = cs->getChars().data();
        s.offs = cs->getOffsets().data();
    } else if (auto* fs = dynamic_cast<const ColumnFixedString*>(col)) {
        s.chars = fs->getChars().data();
        s.fixed = fs->getN();
    } else {
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, std::string("Illegal column ") + col->familyName() + " of string argument");
    }
    if (k) {
        s.cval = s[0];
        s.is_const = true;
    }
    return s;
}

inline bool isStr(const DataTypePtr& t) { return removeLowCardinality(t)->isStringOrFixed(); }
inline DataTypePtr stringType() { return makeType(TypeId::String); }
inline void requireStr(const std::string& fn, const ColumnsWithTypeAndName& a, size_t i) {
    if (!isStr(a[i].type)) throwIllegalType(fn, a[i].type, i);
}
inline std::string constStr(const std::string& fn, const ColumnWithTypeAndName& a, size_t idx) {
    if (!a.column || !a.column->isConst() || !isStr(a.type))
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Argument " + std::to_string(idx + 1) + " of function " + fn + " must be a constant string");
    return a.column->get(0).get<std::string>();
}
inline void appendTo(ColumnString::Chars& chars, std::string_view s) { chars.append(s.data(), s.size()); }
inline char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

// ASCII case-insensitive search of needle in hay from `from`; npos if absent.
inline size_t findCaseInsensitive(std::string_view hay, std::string_view needle, size_t from) {
    if (needle.size() > hay.size()) return std::string_view::npos;
    for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
        size_t j = 0;
        while (j < needle.size() && asciiLower(hay[i + j]) == asciiLower(needle[j])) ++j;
        if (j == needle.size()) return i;
    }
    return std::string_view::npos;
}

}  // namespace basalt::string_args
