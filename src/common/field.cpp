// field.cpp — SQL literal rendering of Field values.
#include "common/field.h"

#include <charconv>

#include "common/string_utils.h"

namespace basalt {

std::string Field::toSQL() const {
    return std::visit([](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, NullField>) return "NULL";
        else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<T, uint64_t> || std::is_same_v<T, int64_t>) return std::to_string(v);
        else if constexpr (std::is_same_v<T, double>) return formatFloat(v);
        else if constexpr (std::is_same_v<T, std::string>) return quoteString(v);
        else if constexpr (std::is_same_v<T, FieldArray>) {
            std::string s = "[";
            for (size_t i = 0; i < v.items.size(); ++i) { if (i) s += ", "; s += v.items[i].toSQL(); }
            return s + "]";
        } else {
            std::string s = "(";
            for (size_t i = 0; i < v.items.size(); ++i) { if (i) s += ", "; s += v.items[i].toSQL(); }
            return s + ")";
        }
    }, value);
}

}  // namespace basalt
