// window.h — window functions over one whole block (the SELECT's result before its ORDER BY): the
// block is stably sorted once per distinct (PARTITION BY, ORDER BY) pair, partitions and peer groups
// are found by comparing adjacent rows, and each function runs over the partitions of the sorted
// rows. Aggregate functions keep one state per function: a frame whose start did not move gets only
// its new tail rows added (UNBOUNDED PRECEDING frames are one incremental pass), a frame whose start
// moved is recomputed, as ClickHouse's WindowTransform does.
#pragma once
#include <string>
#include <vector>

#include "aggregates/aggregate_function.h"
#include "columns/block.h"
#include "exec/block_ops.h"

namespace basalt {

struct WindowFrame {
    enum class Type { Rows, Range };
    enum class Bound { Unbounded, Current, Offset };
    Type type = Type::Range;
    Bound begin = Bound::Unbounded;
    Bound end = Bound::Current;
    bool begin_preceding = true;
    bool end_preceding = false;
    uint64_t begin_offset = 0;
    uint64_t end_offset = 0;

    bool isOffsetRange() const { return type == Type::Range && (begin == Bound::Offset || end == Bound::Offset); }
};

enum class WindowFunctionKind { Aggregate, RowNumber, Rank, DenseRank, PercentRank, CumeDist, Ntile, LagInFrame, LeadInFrame, NthValue };

struct WindowFunctionDesc {
    WindowFunctionKind kind = WindowFunctionKind::Aggregate;
    AggregateFunctionPtr aggregate;          // Aggregate
    std::vector<size_t> arguments;           // positions in the input block (Lag/Lead: value[, default])
    uint64_t param = 0;                      // ntile buckets; lag/lead offset; nth_value n
    bool has_default = false;                // Lag/Lead: arguments[1] is the default (already of the result type)
    DataTypePtr result_type;
    WindowFrame frame;
    std::string name;                        // output column name
};

// One (PARTITION BY, ORDER BY) pair and the functions computed over it.
struct WindowSpec {
    std::vector<size_t> partition_by;        // positions in the input block
    std::vector<SortColumn> order_by;        // positions in the input block
    std::vector<WindowFunctionDesc> functions;
};

// Returns `block` with one column per function appended (specs in order, functions in order); the
// rows come out sorted by the last spec (stable sorts, so rows equal under it keep earlier order).
Block computeWindowFunctions(const Block& block, const std::vector<WindowSpec>& specs);

// row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lagInFrame, leadInFrame, nth_value:
// functions that exist only with OVER. Sets `kind` when given.
bool isWindowOnlyFunctionName(const std::string& name, WindowFunctionKind* kind = nullptr);

// Whether a RANGE frame with offsets can run over this ORDER BY type (numbers, dates, their Nullable).
bool windowRangeOffsetSupported(const DataType& type);

}  // namespace basalt
