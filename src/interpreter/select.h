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
    size_t rows() const { size_t n = 0; for (auto& b : blocks) n += b.rows(); return n; }
};

// Runs a SelectWithUnion (or a single SelectQuery) to completion.
QueryResult executeSelect(const ASTPtr& query, QueryContext& ctx);
// Result header only (DESCRIBE (SELECT ...), CREATE TABLE AS SELECT, INSERT column matching).
Block selectHeader(const ASTPtr& query, QueryContext& ctx);
// EXPLAIN PLAN text, one step per line.
std::vector<std::string> explainSelect(const ASTPtr& query, QueryContext& ctx);

// Resolves a table function call (numbers, zeros, values, format, file, ...) into a storage.
class IStorage;
std::shared_ptr<IStorage> createTableFunction(const ASTFunction& fn, QueryContext& ctx);

}  // namespace basalt
