// cluster.h — clusters of shards of replicas, as the server configuration declares them
// (`remote_servers`), the server's macros ({shard}, {replica}) and ZooKeeper hosts, and how a query
// reaches a shard: one healthy replica chosen by the load-balancing setting, with failover.
// Also the address patterns of the remote() table function ('host{1,2}:9000', 'a|b').
//
// The configuration is process-wide (one server per process), installed once at startup by the
// server (setClusterConfig) before tables are loaded; readers take a shared_ptr snapshot.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace basalt {

class NativeConnection;
struct Settings;

struct ClusterReplica {
    std::string host;
    uint16_t port = 9000;
    std::string user = "default", password;
    uint32_t replica_num = 1;   // 1-based within its shard
    std::string address() const { return host + ":" + std::to_string(port); }
};

struct ClusterShard {
    uint32_t shard_num = 1;   // 1-based
    uint64_t weight = 1;
    bool internal_replication = false;   // INSERT goes to one replica (the table replicates itself)
    std::vector<ClusterReplica> replicas;
};

struct Cluster {
    std::string name;
    std::vector<ClusterShard> shards;
    uint64_t totalWeight() const;
    // ClickHouse's routing: the sharding key value modulo the total weight picks a slot; shard i
    // owns weight_i consecutive slots, in shard order.
    std::vector<uint32_t> slotToShard() const;
};

struct ZooKeeperConfig {
    std::vector<std::string> hosts;   // "host:port"
    std::string root;                 // chroot prefix for every path
    uint64_t session_timeout_ms = 30000;
    bool empty() const { return hosts.empty(); }
};

struct ClusterConfig {
    std::map<std::string, Cluster> clusters;
    std::map<std::string, std::string> macros;   // shard → "01", replica → "r1", ...
    ZooKeeperConfig zookeeper;
    std::string interserver_http_host;
    uint16_t interserver_http_port = 0;   // 0: no interserver endpoint
    // This server's own native endpoint (for system.clusters is_local and ON CLUSTER host matching).
    std::string self_host;
    uint16_t self_tcp_port = 0;
    bool isLocal(const ClusterReplica& r) const;
};

std::shared_ptr<const ClusterConfig> clusterConfig();
void setClusterConfig(std::shared_ptr<const ClusterConfig> config);
// The named cluster; CLUSTER_DOESNT_EXIST (701) when the configuration has none.
const Cluster& findCluster(const ClusterConfig& config, const std::string& name);
// Replaces {name} macros in `text` with the server's values; BAD_ARGUMENTS (36) for an unknown macro
// (except those in `keep`, left as written).
std::string expandMacros(const std::string& text, const std::map<std::string, std::string>& extra = {});

// remote()'s address list: ',' separates shards, '|' separates replicas; '{a,b}' expands to one
// shard per alternative, '{a|b}' to replicas, '{1..3}' / '{01..03}' to ranges. Each address is
// host[:port] ([v6]:port too), default_port when the port is missing.
Cluster parseRemoteAddresses(const std::string& pattern, uint16_t default_port, const std::string& user, const std::string& password);

// Connects to one healthy replica of `shard`: replicas in the order load_balancing gives (replicas
// with fewer recent errors first), each tried up to connections_with_failover_max_tries times with
// connect_timeout_with_failover_ms. ALL_CONNECTION_TRIES_FAILED (279) with every attempt's error.
std::unique_ptr<NativeConnection> connectToShard(const ClusterShard& shard, const Settings& settings, const std::string& database = "");
// Connects to a given replica (INSERT without internal replication writes to every replica);
// reads wait at most `receive_timeout_seconds` (0: no limit).
std::unique_ptr<NativeConnection> connectToReplica(const ClusterReplica& replica, const Settings& settings, const std::string& database = "",
                                                   double receive_timeout_seconds = 300);

}  // namespace basalt
