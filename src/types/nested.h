// nested.h — Nested data structures, as ClickHouse stores them (flatten_nested = 1): a declaration
// `n Nested(a T1, b T2)` is the columns `n.a Array(T1)` and `n.b Array(T2)`, whose arrays have equal
// sizes in every row. This file owns the flattening of declarations and the equal-sizes check.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "types/data_type.h"

namespace basalt {

class Block;

// Whether a declared type text is `Nested(...)`.
bool isNestedTypeText(std::string_view type_text);
// `Nested(a T1, b T2)` declared as column `name` → {("name.a", Array(T1)), ("name.b", Array(T2))}.
// Throws BAD_ARGUMENTS for an element without a name.
std::vector<std::pair<std::string, DataTypePtr>> flattenNestedType(const std::string& name, std::string_view type_text);
// "n.a" → "n"; "" when the name has no dot.
std::string nestedTableName(std::string_view column_name);
// Array columns of one Nested structure (same name before the first dot) must have equal sizes in
// every row: SIZES_OF_ARRAYS_DONT_MATCH (190) otherwise, as ClickHouse checks at INSERT.
void validateNestedArraySizes(const Block& block);

}  // namespace basalt
