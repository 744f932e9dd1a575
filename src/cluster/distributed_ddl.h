// distributed_ddl.h — `... ON CLUSTER name` statements: the statement (without the clause) runs on
// every host of the cluster, and the initiator returns one status row per host, as ClickHouse's
// distributed DDL does (host, port, status, error, num_hosts_remaining, num_hosts_active).
//
// Hosts are reached directly over the native protocol, in parallel, each within
// distributed_ddl_task_timeout. Unlike ClickHouse's ZooKeeper task queue, a host that is down
// when the statement runs does not get it later: its row reports the error and the statement
// fails (the caller re-runs it, e.g. with IF NOT EXISTS).
#pragma once
#include <string>

#include "columns/block.h"

namespace basalt {

struct QueryContext;

// Throws the first host's error (its code, "There was an error on [host:port]: ...") when any
// host failed; otherwise the status rows.
Block executeOnCluster(const std::string& cluster_name, const std::string& query, QueryContext& ctx);

}  // namespace basalt
