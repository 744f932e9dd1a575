// server_config.h — `basalt server`'s configuration: a YAML file (every key optional; defaults make
// `basalt server` alone serve HTTP on localhost:8123 and native TCP on localhost:9000 with data in
// ./data) and the users / profiles it declares.
//
//   listen_host: 127.0.0.1          http_port: 8123        tcp_port: 9000
//   path: ./data                    display_name: basalt   max_concurrent_queries: 100
//   max_connections: 1024           max_request_body_bytes: 1073741824
//   shutdown_timeout_seconds: 30    keep_alive_timeout_seconds: 10
//   logger: { level: information, log: /path/basalt.log, console: true }
//   profiles: { default: {}, readonly: { readonly: 1, max_memory_usage: 10000000000 } }
//   users:
//     default: { password: "", profile: default }
//     alice:   { password_sha256_hex: "<hex>", profile: readonly }
//   remote_servers:                  # clusters for Distributed tables / cluster() / ON CLUSTER
//     events_cluster:
//       shard:
//         - internal_replication: true
//           weight: 1
//           replica: [ { host: 127.0.0.1, port: 9101 }, { host: 127.0.0.1, port: 9102 } ]
//   macros: { shard: "01", replica: "r1" }
//   zookeeper: { node: [ { host: 127.0.0.1, port: 2181 } ], session_timeout_ms: 30000, root: /basalt }
//   interserver_http_host: 127.0.0.1  interserver_http_port: 9009
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cluster/cluster.h"

namespace basalt {

struct UserConfig {
    std::string name;
    std::string password_sha256_hex;   // lower-case hex of SHA-256(password); "" with no_password
    bool no_password = false;
    std::string profile = "default";
    bool readonly = false;   // SQL users created with SETTINGS readonly = 1
};

struct ServerConfig {
    std::string listen_host = "127.0.0.1";
    uint16_t http_port = 8123;
    uint16_t tcp_port = 9000;
    std::string path = "./data";
    std::string display_name = "basalt";
    uint64_t max_concurrent_queries = 100;
    uint64_t max_connections = 1024;
    uint64_t max_request_body_bytes = uint64_t(1) << 30;
    uint64_t shutdown_timeout_seconds = 30;
    uint64_t keep_alive_timeout_seconds = 10;
    std::string log_level = "information";   // trace, debug, information, warning, error
    std::string log_file;
    bool log_console = true;
    // Profile name → settings (name → value as text).
    std::map<std::string, std::map<std::string, std::string>> profiles;
    std::map<std::string, UserConfig> users;
    ClusterConfig cluster;   // remote_servers, macros, zookeeper, interserver_http_*

    // Reads `file` ("" = defaults only). Throws CANNOT_LOAD_CONFIG (573) / INVALID_CONFIG_PARAMETER (318).
    static ServerConfig load(const std::string& file);
};


}  // namespace basalt
