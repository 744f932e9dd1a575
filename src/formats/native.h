// native.h — ClickHouse's Native block encoding: the column-oriented binary form of a Block that the
// native TCP protocol exchanges (Data / Totals / Extremes packets) and that `FORMAT Native` writes.
//
//   [BlockInfo: field 1 is_overflows UInt8, field 2 bucket_num Int32, 0]   (protocol only)
//   VarUInt columns, VarUInt rows, per column: String name, String type, data (only when rows > 0)
//
// Column data is bulk and type-directed: fixed-width values as little-endian arrays, String as
// VarUInt length + bytes, Nullable = null map then values, Array/Map = cumulative UInt64 offsets
// then elements, Tuple = elements one after another, LowCardinality = a UInt64 version prefix (1)
// ahead of all data, then per column a flags word, the keys used, and one index per row.
// Reading never trusts declared sizes: rows, columns, string and array lengths are bounded and
// memory grows only as bytes actually arrive.
#pragma once
#include <string>

#include "columns/block.h"
#include "storage/mergetree/serialization.h"

namespace basalt {

struct NativeLimits {
    uint64_t max_columns = 100000;
    uint64_t max_rows = uint64_t(1) << 32;
};

// Appends `block` in Native form to out (with BlockInfo when `block_info`).
void writeNativeBlock(const Block& block, std::string& out, bool block_info);
// Reads one Native block. Types are parsed from their names; errors: UNKNOWN_TYPE (50),
// CANNOT_READ_ALL_DATA (33) for truncated data, INCORRECT_DATA (117) for malformed values.
Block readNativeBlock(InStream& in, bool block_info, const NativeLimits& limits = {});

}  // namespace basalt
