// distributed_ddl.h — `... ON CLUSTER name` statements: the statement (without the clause) runs on
// every host of the cluster, and the initiator returns one status row per host, as ClickHouse's
// distributed DDL does (host, port, status, error, num_hosts_remaining, num_hosts_active).
//
// With ZooKeeper configured the statement goes through the DDL queue (ddl_worker.h: hosts that are
// down run it when they return). Without ZooKeeper, hosts are reached directly over the native
// protocol, in parallel, each within distributed_ddl_task_timeout; a host that is down then does
// not get it later: the statement fails (re-run it, e.g. with IF NOT EXISTS).
#pragma once
#include <string>

#include <vector>

#include "columns/block.h"
#include "storage/storage.h"

namespace basalt {

struct QueryContext;

// Throws the first host's error (its code, "There was an error on [host:port]: ...") when any
// host failed; otherwise the status rows.
// The status rows' columns: host, port, status, error, num_hosts_remaining, num_hosts_active.
std::vector<ColumnDescription> ddlStatusColumns();

Block executeOnCluster(const std::string& cluster_name, const std::string& query, QueryContext& ctx);

}  // namespace basalt
