// distributed_query.h — how a SELECT over a Distributed table is split between the shards and the
// initiator (ClickHouse's two-phase processing):
//   aggregation   shards run `SELECT keys AS _k1.., fState(args) AS _a1.. FROM local WHERE ..
//                 GROUP BY keys` (partial aggregate states); the initiator runs the original
//                 query over those rows with keys → _kN and f(args) → fMerge(_aN), so HAVING,
//                 ORDER BY and LIMIT apply to merged groups.
//   ORDER BY + LIMIT n (no aggregation): shards return their first offset+n rows in order; the
//                 initiator sorts those and applies the LIMIT.
//   distributed_group_by_no_merge = 1: shards run the whole query; the initiator concatenates.
// Anything else (joins, ARRAY JOIN, window functions, DISTINCT aggregates, ...) reads the rows
// through StorageDistributed::read (filter and columns pushed down) and runs locally.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sql/ast.h"
#include "storage/storage.h"

namespace basalt {

class StorageDistributed;
struct QueryContext;

// Temporary tables sent with a shard query: name → blocks (the first carries the structure).
using ExternalTables = std::vector<std::pair<std::string, std::vector<Block>>>;

struct DistributedPlan {
    ASTPtr outer;                  // ASTSelectQuery run by the initiator
    std::string override_key;      // "db.table" under which `shards` is read by `outer`
    StoragePtr shards;             // the shards' partial results
    std::string shard_query;       // what each shard runs (EXPLAIN, tests)
    ExternalTables external;       // GLOBAL IN subquery results sent with it
};

// GLOBAL IN / GLOBAL NOT IN (subquery) in `ast`: each subquery runs here, once, and becomes an
// external table sent with the shard query (`x GLOBAL IN (SELECT ...)` → `x IN _global_subquery_N`).
// Returns the rewritten copy (or `ast` itself when it has none).
ASTPtr materializeGlobalSubqueries(const ASTPtr& ast, QueryContext& ctx, ExternalTables& external);

// nullopt: read plainly. `from_alias`: the FROM alias of the Distributed table, if any.
std::optional<DistributedPlan> planDistributedSelect(const ASTSelectQuery& q, const std::shared_ptr<StorageDistributed>& table, QueryContext& ctx);

}  // namespace basalt
