// merging.h — the MergeTree family's merging modes: what happens to rows with equal sorting keys
// when parts merge, when an INSERT block is written (optimize_on_insert) and in SELECT ... FINAL.
//   Replacing([ver[, is_deleted]])  one row per key: the highest version, the last inserted on ties
//                                   (FINAL also drops it when its is_deleted is set)
//   Summing([cols])                 numeric columns summed in their own type (wrapping), other
//                                   columns from the first row; all-zero sums drop the row.
//                                   Nested maps — Array columns `<x>Map.<a>` — are summed per key:
//                                   the first column (and any named *ID, *Key, *Type) is the key,
//                                   the others are summed; entries whose sums are all zero vanish,
//                                   and a table with a nested map keeps all-zero rows (as ClickHouse).
//                                   Map(K, V) columns are not summed (ClickHouse 26 keeps the first).
//   Aggregating                     AggregateFunction states merged, SimpleAggregateFunction columns
//                                   combined with their function, other columns from the first row
//   Collapsing(sign)                +1/-1 pairs cancel: ClickHouse's first-negative/last-positive rule
//                                   (FINAL shows only the positive row)
//   VersionedCollapsing(sign, ver)  the version is the last sorting-key column; +1/-1 rows of one
//                                   key and version cancel pairwise in any order
// Rows arrive sorted by the sorting key, older parts first among equal keys (merges are stable).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "columns/block.h"
#include "storage/mergetree/part.h"

namespace basalt {

struct ASTFunction;

struct MergingParams {
    enum class Mode { Ordinary, Replacing, Summing, Aggregating, Collapsing, VersionedCollapsing };
    Mode mode = Mode::Ordinary;
    std::string sign_column;
    std::string version_column;
    std::string is_deleted_column;
    std::vector<std::string> columns_to_sum;   // Summing(cols); empty = every numeric non-key column
    // Summing: the nested maps found in the table's columns. (A FINAL read sums only the columns it
    // reads: `SELECT count() FROM t FINAL` does not drop all-zero rows, as in ClickHouse.)
    struct NestedMap {
        std::vector<std::string> keys, values;   // column names, table order
    };
    std::vector<NestedMap> nested_maps;

    bool ordinary() const { return mode == Mode::Ordinary; }
    // Parses `ENGINE = <variant>MergeTree(args)` and checks the arguments against the table's columns
    // with ClickHouse's errors (NO_SUCH_COLUMN_IN_TABLE, BAD_TYPE_OF_FIELD, NUMBER_OF_ARGUMENTS_DOESNT_MATCH).
    static MergingParams fromEngine(const ASTFunction& engine, const std::vector<NameAndType>& columns);
    // Columns the algorithm reads besides the sorting key (FINAL must read them).
    std::vector<std::string> requiredColumns() const;
};

// Collapses a stream of blocks sorted by the sorting key. A key group may continue in the next
// block, so the trailing group of each block is held back until the next push (or `last`).
class SortedGroupMerger {
public:
    // columns: the block layout pushed (names and types); key_sources: names of columns the sorting
    // key is computed from (never summed); final: SELECT ... FINAL semantics.
    SortedGroupMerger(const MergingParams& params, std::vector<NameAndType> columns, const std::vector<std::string>& key_sources, bool final);
    ~SortedGroupMerger();
    // `keys` are the evaluated sorting-key columns of `block`. Returns the merged rows of the
    // complete groups (possibly none).
    Block push(Block block, Block keys, bool last);

private:
    Block mergeGroups(const Block& block, const Block& keys) const;
    struct Impl;
    MergingParams params_;
    std::vector<NameAndType> columns_;
    bool final_;
    std::unique_ptr<Impl> impl_;
    Block pending_, pending_keys_;
};

}  // namespace basalt
