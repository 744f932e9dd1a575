// select.h — executes SELECT ... [UNION ...] queries: resolves the source, analyzes expressions,
// runs the per-stream pipeline (read -> filter -> partial aggregate | project) on max_threads
// threads, then merges, sorts, deduplicates and limits.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "columns/block.h"
#include "interpreter/context.h"
#include "sql/ast.h"

namespace basalt {

struct QueryResult {
    Block header;                  // names and types (columns with zero rows)
    std::vector<Block> blocks;
    std::optional<Block> totals;   // WITH TOTALS
    size_t rows_read = 0;
    size_t bytes_read = 0;
    bool streamed = false;         // the rows went to the ResultSink as they were produced (blocks empty)
    size_t rows() const { size_t n = 0; for (auto& b : blocks) n += b.rows(); return n; }
};

// Where a streamed result goes: begin() once with the header, then write() for each non-empty
// block in result order, never from two threads at once. A sink may throw (a client that went
// away, a result-size limit): the query stops with that exception.
class ResultSink {
public:
    virtual ~ResultSink() = default;
    virtual void begin(const Block& header) = 0;
    virtual void write(const Block& block) = 0;
    virtual void writeTotals(const Block&) {}
};

// Runs a SelectWithUnion (or a single SelectQuery) to completion. With a sink, a query whose rows
// need no final step (no aggregation, ORDER BY, DISTINCT, LIMIT BY; LIMIT/OFFSET are fine) sends
// its blocks to the sink as the reading threads produce them and returns with `streamed` set;
// any other result is returned whole, the sink untouched.
QueryResult executeSelect(const ASTPtr& query, QueryContext& ctx, ResultSink* sink = nullptr);
// Result header only (DESCRIBE (SELECT ...), CREATE TABLE AS SELECT, INSERT column matching).
Block selectHeader(const ASTPtr& query, QueryContext& ctx);
// EXPLAIN PLAN text, one step per line.
std::vector<std::string> explainSelect(const ASTPtr& query, QueryContext& ctx);

// Resolves a table function call (numbers, zeros, values, format, file, ...) into a storage.
class IStorage;
std::shared_ptr<IStorage> createTableFunction(const ASTFunction& fn, QueryContext& ctx);

}  // namespace basalt
