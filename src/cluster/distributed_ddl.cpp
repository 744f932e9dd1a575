// distributed_ddl.cpp — ON CLUSTER fan-out (see distributed_ddl.h).
#include "cluster/distributed_ddl.h"

#include <algorithm>
#include <set>
#include <thread>

#include "client/connection.h"
#include "cluster/cluster.h"
#include "cluster/ddl_worker.h"
#include "common/exception.h"
#include "interpreter/context.h"
#include "storage/system_tables.h"

namespace basalt {

std::vector<ColumnDescription> ddlStatusColumns() {
    return {col("host", TypeId::String), col("port", TypeId::UInt16), col("status", TypeId::Int64), col("error", TypeId::String),
            col("num_hosts_remaining", TypeId::UInt64), col("num_hosts_active", TypeId::UInt64)};
}

Block executeOnCluster(const std::string& cluster_name, const std::string& query, QueryContext& ctx) {
    auto config = clusterConfig();
    const Cluster& cluster = findCluster(*config, cluster_name);
    // With ZooKeeper: the durable DDL queue (hosts that are down run it when they return).
    if (!config->zookeeper.empty()) return enqueueDistributedDDL(cluster_name, query, ctx);
    std::vector<ClusterReplica> hosts;
    std::set<std::string> seen;
    for (auto& s : cluster.shards)
        for (auto& r : s.replicas)
            if (seen.insert(r.address()).second) hosts.push_back(r);

    struct Outcome { int code = 0; std::string error; };
    std::vector<Outcome> outcomes(hosts.size());
    const Settings& settings = ctx.settings;
    double timeout = double(settings.distributed_ddl_task_timeout);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < hosts.size(); ++i)
        threads.emplace_back([&, i] {
            try {
connectToReplica(hosts[i], settings, ctx.current_database, timeout)->execute(query);   // timeout 0: no limit
            } catch (const Exception& e) {
                outcomes[i] = {e.code(), e.what()};
            } catch (const std::exception& e) {
                outcomes[i] = {ErrorCodes::UNKNOWN_EXCEPTION, e.what()};
            }
        });
    for (auto& t : threads) t.join();

    for (size_t i = 0; i < hosts.size(); ++i)
        if (outcomes[i].code)
            throw Exception(outcomes[i].code, "There was an error on [" + hosts[i].address() + "]: Code: " + std::to_string(outcomes[i].code) +
                                                  ". DB::Exception: " + outcomes[i].error);
    RowBuilder rb(ddlStatusColumns());
    for (size_t i = 0; i < hosts.size(); ++i)
        rb.add({hosts[i].host, uint64_t(hosts[i].port), int64_t(0), "", uint64_t(hosts.size() - i - 1), uint64_t(0)});
    return rb.build();
}

}  // namespace basalt
