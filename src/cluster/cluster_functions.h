// cluster_functions.h — entry points from the interpreter and catalog into the cluster module:
// ENGINE = Distributed, the remote()/cluster()/clusterAllReplicas() table functions, and the
// cluster system tables (system.clusters, system.macros, system.distribution_queue).
#pragma once
#include <memory>
#include <string>

#include "sql/ast.h"
#include "storage/storage.h"

namespace basalt {

class Catalog;
struct QueryContext;

bool isClusterTableFunction(const std::string& name);
std::shared_ptr<IStorage> createClusterTableFunction(const ASTFunction& fn, QueryContext& ctx);
// ENGINE = Distributed(cluster, db, table[, sharding_key[, policy]]): 42 for a wrong argument count,
// 701 for an unknown cluster, 53 for a non-integer sharding key.
std::shared_ptr<IStorage> createDistributedStorage(const std::shared_ptr<ASTCreateQuery>& q, TableMetadata md, QueryContext& ctx);
void registerClusterSystemTables(Catalog& catalog);

}  // namespace basalt
