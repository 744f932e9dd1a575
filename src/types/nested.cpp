// nested.cpp — Nested(...) declarations flattened into Array columns, and the equal-sizes check.
#include "types/nested.h"

#include <cctype>
#include <map>

#include "columns/block.h"
#include "columns/column.h"
#include "common/exception.h"

namespace basalt {

bool isNestedTypeText(std::string_view t) {
    size_t i = 0;
    while (i < t.size() && t[i] == ' ') ++i;
    std::string_view head = t.substr(i, 6);
    if (head.size() < 6) return false;
    for (size_t k = 0; k < 6; ++k)
        if (std::tolower(static_cast<unsigned char>(head[k])) != "nested"[k]) return false;
    i += 6;
    while (i < t.size() && t[i] == ' ') ++i;
    return i < t.size() && t[i] == '(';
}

std::vector<std::pair<std::string, DataTypePtr>> flattenNestedType(const std::string& name, std::string_view type_text) {
    // Nested(a T1, b T2) has the grammar of a named Tuple: parse it as one.
    size_t open = type_text.find('(');
    auto tuple = parseDataType("Tuple" + std::string(type_text.substr(open)));
    if (tuple->element_names.size() != tuple->nested.size())
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Elements of Nested data structure " + name + " must have names");
    std::vector<std::pair<std::string, DataTypePtr>> out;
    for (size_t i = 0; i < tuple->nested.size(); ++i) out.emplace_back(name + "." + tuple->element_names[i], makeArray(tuple->nested[i]));
    return out;
}

std::string nestedTableName(std::string_view column_name) {
    size_t dot = column_name.find('.');
    return dot == std::string_view::npos || dot == 0 ? std::string() : std::string(column_name.substr(0, dot));
}

void validateNestedArraySizes(const Block& block) {
    std::map<std::string, size_t> first;   // nested structure → position of its first array column
    for (size_t i = 0; i < block.columns(); ++i) {
        const auto& c = block.at(i);
        if (!c.type || c.type->id != TypeId::Array) continue;
        std::string table = nestedTableName(c.name);
        if (table.empty()) continue;
        auto [it, inserted] = first.emplace(table, i);
        if (inserted) continue;
        ColumnPtr a = c.column->convertToFullColumn(c.column);
        ColumnPtr b = block.at(it->second).column;
        b = b->convertToFullColumn(b);
        const auto& oa = static_cast<const ColumnArray&>(*a).getOffsets();
        const auto& ob = static_cast<const ColumnArray&>(*b).getOffsets();
        for (size_t r = 0; r < oa.size() && r < ob.size(); ++r)
            if (oa[r] != ob[r])
                throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Elements '" + block.at(it->second).name + "' and '" + c.name +
                                                                            "' of Nested data structure '" + table +
                                                                            "' (Array columns) have different array sizes.");
    }
}

}  // namespace basalt
