// join.h — the hash join operator of SELECT ... JOIN.
//
// The right side is read whole (one Block, plus one default row used for "no match"), indexed by
// its equi-join keys, and then probed by the left side's blocks from all SELECT streams at once
// (the index is immutable after the build; the only shared mutable state is one atomic flag per
// right row, for RIGHT/FULL outputs and ANY one-to-one rules). Every strictness of ClickHouse is
// covered: ALL, ANY, SEMI, ANTI and ASOF (equi keys + one inequality, answered by binary search in
// the key's rows sorted by the ASOF column). ON conditions other than key equalities are evaluated
// over candidate pairs (the "residual"); a join without equalities pairs every row with every row
// (CROSS JOIN, comma joins, ON t1.a < t2.b). A large right side is indexed by several threads
// (hash-partitioned tables); SwappedHashJoin indexes the left side of an ALL join instead when the
// right one is much larger.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/expression.h"
#include "columns/block.h"
#include "functions/function.h"

namespace basalt {

enum class JoinKind;
enum class JoinStrictness;

enum class AsofInequality { GreaterOrEquals, Greater, LessOrEquals, Less };   // left <op> right

struct JoinDescription {
    JoinKind kind;
    JoinStrictness strictness;             // resolved: All, Any, Semi, Anti or Asof
    std::vector<ExprNodePtr> left_keys;    // over the left block
    std::vector<ExprNodePtr> right_keys;   // over the right block
    DataTypes key_types;                   // common type per key (no Nullable, no LowCardinality)
    std::vector<bool> null_safe;           // per key: `<=>` (NULL matches NULL)
    ExprNodePtr left_asof, right_asof;     // ASOF: the two sides of the inequality
    DataTypePtr asof_type;
    AsofInequality asof_inequality = AsofInequality::GreaterOrEquals;
    ExprNodePtr residual;                  // other ON conditions, over the output layout
    ExprNodePtr left_filter, right_filter; // ASOF: one-side ON conditions (filter that side first)
    bool use_nulls = false;                // join_use_nulls
    // Output = left block columns (types `left_types`, Nullable under join_use_nulls for RIGHT/FULL),
    // then the right block's columns `right_columns` named `right_names`.
    DataTypes left_types;
    std::vector<size_t> right_columns;
    std::vector<std::string> right_names;
    // USING: the key's merged value (left value for rows with a left side, right value for
    // right-only rows) of type `type` replaces the left column at `left_position`, or with `append`
    // (RIGHT / FULL, where the left column keeps its own values) follows the right columns.
    struct UsingColumn {
        size_t left_position;
        size_t key;
        DataTypePtr type;
        bool append = false;
    };
    std::vector<UsingColumn> using_columns;
};

// Type of a column on the given side in a join's output.
DataTypePtr joinedColumnType(const DataTypePtr& type, bool nullable_side, bool use_nulls);
// Whether the join emits right rows nobody matched after all probes (RIGHT / FULL, RIGHT ANTI).
bool joinHasNonJoinedRows(JoinKind kind, JoinStrictness strictness);

class HashJoin {
public:
    // `threads` > 1: a large right side is indexed by that many threads (partitioned hash tables).
    HashJoin(JoinDescription d, const Block& right, const FunctionContext& fctx, size_t threads = 1);
    ~HashJoin();

    // Joins one left block; appends the result blocks (several when one left block has very many
    // matches) to `out`. Safe to call from several threads at once.
    void join(const Block& left, std::vector<Block>& out) const;
    // Clears mask[i] for left rows whose keys have no right row (such rows never reach the output
    // of an INNER / RIGHT / SEMI LEFT join): lets a later, selective join filter rows early.
    void keepMatching(const Block& left, PODArray<uint8_t>& mask) const;
    // RIGHT / FULL / RIGHT ANTI: the right rows no probe matched (left columns default or NULL).
    // Call once, after every join() has returned.
    Block nonJoined(const Block& left_header) const;

    // Per-row hash of one side's join keys (the same for equal keys on both sides; rows with a
    // NULL key get 0): how grace hash joins assign rows to buckets.
    static void keyHashes(const JoinDescription& d, const FunctionContext& fctx, bool right_side, const Block& block, PODArray<uint64_t>& hashes);

    size_t rightRows() const { return right_rows_; }
    size_t bytes() const;

private:
    struct Index;
    struct Prepared;
    Prepared prepareKeys(const std::vector<ExprNodePtr>& nodes, const Block& block) const;
    static Prepared prepare(const JoinDescription& d, const FunctionContext& fctx, const std::vector<ExprNodePtr>& nodes, const Block& block);
    Block assemble(const Block& left, const Permutation& li, const Permutation& ri, bool right_only) const;
    ColumnPtr mergedUsing(const Block& left, size_t u, const Permutation& li, const Permutation& ri, bool right_only) const;

    JoinDescription d_;
    FunctionContext fctx_;
    size_t right_rows_ = 0;
    std::vector<ColumnPtr> right_out_;         // output right columns, right_rows_ + 1 rows (last: no match)
    DataTypes right_out_types_;
    std::vector<ColumnPtr> right_using_keys_;  // USING: right key values, right_rows_ + 1 rows
    std::unique_ptr<Index> index_;
    std::unique_ptr<std::atomic<uint8_t>[]> flags_;   // per right row: matched / used
    mutable std::atomic<size_t> paste_offset_{0};     // PASTE JOIN: right rows consumed
};

// An ALL join indexed on its left side instead (the right side being much larger): join() takes
// blocks of the right side (the columns HashJoin's right block would have) and yields what
// HashJoin::join would for the matching left rows — the left columns (typed `left_types`, USING
// keys merged), then the right output columns — in the right side's row order. INNER (residual ON
// conditions applied to the pairs), LEFT (no residual: the left rows nothing matched come from
// nonJoined() after every join() call) and RIGHT (no residual, no USING: right rows nothing
// matched come out of join() itself). Internally it is the mirrored join (right JOIN left, kinds
// LEFT and RIGHT exchanged) with the columns put back in order.
class SwappedHashJoin {
public:
    static bool supported(const JoinDescription& d);
    SwappedHashJoin(const JoinDescription& d, const Block& left, const Block& right_header, const FunctionContext& fctx, size_t threads = 1);
    ~SwappedHashJoin();
    void join(const Block& right, std::vector<Block>& out) const;
    // LEFT: the left rows no right row matched, with default / NULL right columns.
    Block nonJoined() const;
    bool hasNonJoined() const;
    size_t leftRows() const { return mirror_->rightRows(); }

private:
    Block restore(const Block& mirrored) const;

    JoinDescription d_;
    FunctionContext fctx_;
    size_t left_width_ = 0;
    Block right_header_;
    std::unique_ptr<HashJoin> mirror_;   // right JOIN left: keys and output columns swapped
};

}  // namespace basalt
