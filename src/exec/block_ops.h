// block_ops.h — whole-block operations shared by the executors: concatenation, filtering by a
// predicate column, sorting with top-N, DISTINCT, LIMIT BY, LIMIT/OFFSET.
#pragma once
#include <vector>

#include "columns/block.h"

namespace basalt {

Block concatBlocks(const std::vector<Block>& blocks, const Block& header);
// Keeps rows where `predicate` (UInt8/Bool/Nullable(UInt8), possibly const) is non-zero.
Block filterBlock(const Block& block, const ColumnPtr& predicate);
// Converts a predicate column to a Filter (NULL = 0).
void predicateToFilter(const ColumnPtr& predicate, size_t rows, Filter& out, size_t& kept);
// Filters only the columns whose positions are in `used` (others become cheap constant
// placeholders of the right length: nothing downstream reads them).
Block filterBlock(const Block& block, const ColumnPtr& predicate, const std::vector<bool>& used);

struct SortColumn {
    size_t position;
    bool descending = false;
    int nulls_direction = 1;   // where NULLs/NaNs go in the output: 1 = last, -1 = first (either direction)
};
// Sorts rows of `block` by `columns`; keeps only the first `limit` rows when limit > 0.
Block sortBlock(const Block& block, const std::vector<SortColumn>& columns, size_t limit);
// First occurrence of each distinct row over `positions` (all columns when empty).
Block distinctBlock(const Block& block, const std::vector<size_t>& positions);
// At most `length` rows per distinct key of `positions`, after skipping `offset` of each key.
Block limitByBlock(const Block& block, const std::vector<size_t>& positions, size_t length, size_t offset);
Block cutBlock(const Block& block, size_t offset, size_t length);

}  // namespace basalt
