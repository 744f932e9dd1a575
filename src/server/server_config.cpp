// server_config.cpp — YAML configuration of `basalt server` (yaml-cpp), with checked values.
#include "server/server_config.h"

#include <yaml-cpp/yaml.h>

#include "common/exception.h"
#include "common/sha256.h"

namespace basalt {

namespace {

std::string scalarText(const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " must be a scalar value");
    return n.Scalar();
}

uint64_t unsignedValue(const YAML::Node& n, const std::string& key) {
    std::string s = scalarText(n, key);
    try {
        size_t pos = 0;
        uint64_t v = std::stoull(s, &pos);
        if (pos == s.size()) return v;
    } catch (...) {}
    throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " must be a non-negative integer, got '" + s + "'");
}

bool boolValue(const YAML::Node& n, const std::string& key) {
    std::string s = scalarText(n, key);
    if (s == "true" || s == "1" || s == "yes") return true;
    if (s == "false" || s == "0" || s == "no") return false;
    throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " must be true or false, got '" + s + "'");
}

// A key whose value may be one mapping or a list of them (ClickHouse's YAML for repeated XML tags).
std::vector<YAML::Node> listOf(const YAML::Node& n, const std::string& key) {
    std::vector<YAML::Node> out;
    if (n.IsSequence()) for (auto it = n.begin(); it != n.end(); ++it) out.push_back(*it);
    else if (n.IsMap()) out.push_back(n);
    else throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " must be a mapping or a list of mappings");
    return out;
}

uint16_t portValue(const YAML::Node& n, const std::string& key) {
    uint64_t p = unsignedValue(n, key);
    if (p == 0 || p > 65535) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " is not a port number: " + std::to_string(p));
    return uint16_t(p);
}

Cluster parseCluster(const std::string& name, const YAML::Node& node) {
    Cluster c;
    c.name = name;
    std::string prefix = "remote_servers." + name;
    if (!node.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + prefix + " must be a mapping");
    for (auto it = node.begin(); it != node.end(); ++it) {
        std::string key = it->first.as<std::string>();
        if (key != "shard" && key != "shards") throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key " + prefix + "." + key);
        for (auto& sn : listOf(it->second, prefix + "." + key)) {
            ClusterShard shard;
            shard.shard_num = uint32_t(c.shards.size() + 1);
            for (auto f = sn.begin(); f != sn.end(); ++f) {
                std::string fk = f->first.as<std::string>(), path = prefix + ".shard." + fk;
                if (fk == "internal_replication") shard.internal_replication = boolValue(f->second, path);
                else if (fk == "weight") shard.weight = unsignedValue(f->second, path);
                else if (fk == "replica" || fk == "replicas") {
                    for (auto& rn : listOf(f->second, path)) {
                        ClusterReplica r;
                        r.replica_num = uint32_t(shard.replicas.size() + 1);
                        for (auto g = rn.begin(); g != rn.end(); ++g) {
                            std::string rk = g->first.as<std::string>(), rpath = path + "." + rk;
                            if (rk == "host") r.host = scalarText(g->second, rpath);
                            else if (rk == "port") r.port = portValue(g->second, rpath);
                            else if (rk == "user") r.user = scalarText(g->second, rpath);
                            else if (rk == "password") r.password = scalarText(g->second, rpath);
                            else throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key " + rpath);
                        }
                        if (r.host.empty()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + path + " needs a host");
                        shard.replicas.push_back(r);
                    }
                } else throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key " + path);
            }
            if (shard.replicas.empty()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Shard " + std::to_string(shard.shard_num) + " of cluster " + name + " has no replicas");
            c.shards.push_back(shard);
        }
    }
    if (c.shards.empty()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Cluster " + name + " has no shards");
    if (c.totalWeight() == 0) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Cluster " + name + " has total weight 0");
    return c;
}

ZooKeeperConfig parseZooKeeper(const YAML::Node& node) {
    ZooKeeperConfig z;
    if (!node.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key zookeeper must be a mapping");
    for (auto it = node.begin(); it != node.end(); ++it) {
        std::string key = it->first.as<std::string>(), path = "zookeeper." + key;
        if (key == "node" || key == "nodes") {
            for (auto& n : listOf(it->second, path)) {
                std::string host;
                uint16_t port = 2181;
                for (auto f = n.begin(); f != n.end(); ++f) {
                    std::string fk = f->first.as<std::string>();
                    if (fk == "host") host = scalarText(f->second, path + ".host");
                    else if (fk == "port") port = portValue(f->second, path + ".port");
                    else throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key " + path + "." + fk);
                }
                if (host.empty()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + path + " needs a host");
                z.hosts.push_back(host + ":" + std::to_string(port));
            }
        } else if (key == "root") z.root = scalarText(it->second, path);
        else if (key == "session_timeout_ms") z.session_timeout_ms = unsignedValue(it->second, path);
        else throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key " + path);
    }
    return z;
}

}  // namespace

ServerConfig ServerConfig::load(const std::string& file) {
    ServerConfig c;
    c.profiles["default"] = {};
    if (file.empty()) {
        c.users["default"] = UserConfig{"default", "", true, "default"};
        return c;
    }
    YAML::Node root;
    try {
        root = YAML::LoadFile(file);
    } catch (const YAML::Exception& e) {
        throw Exception(ErrorCodes::CANNOT_LOAD_CONFIG, "Cannot load config " + file + ": " + e.what());
    }
    if (!root.IsMap() && !root.IsNull()) throw Exception(ErrorCodes::CANNOT_LOAD_CONFIG, "Config " + file + " must be a YAML mapping");
    for (auto it = root.begin(); root.IsMap() && it != root.end(); ++it) {
        std::string key = it->first.as<std::string>();
        YAML::Node v = it->second;
        auto port = [&](uint16_t& out) {
            uint64_t p = unsignedValue(v, key);
            if (p > 65535) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key " + key + " is not a port number: " + std::to_string(p));
            out = uint16_t(p);
        };
        if (key == "listen_host") c.listen_host = scalarText(v, key);
        else if (key == "http_port") port(c.http_port);
        else if (key == "tcp_port") port(c.tcp_port);
        else if (key == "path") c.path = scalarText(v, key);
        else if (key == "display_name") c.display_name = scalarText(v, key);
        else if (key == "max_concurrent_queries") c.max_concurrent_queries = unsignedValue(v, key);
        else if (key == "max_connections") c.max_connections = unsignedValue(v, key);
        else if (key == "max_request_body_bytes") c.max_request_body_bytes = unsignedValue(v, key);
        else if (key == "shutdown_timeout_seconds") c.shutdown_timeout_seconds = unsignedValue(v, key);
        else if (key == "keep_alive_timeout_seconds") c.keep_alive_timeout_seconds = unsignedValue(v, key);
        else if (key == "logger") {
            if (!v.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key logger must be a mapping");
            for (auto l = v.begin(); l != v.end(); ++l) {
                std::string lk = l->first.as<std::string>();
                if (lk == "level") c.log_level = scalarText(l->second, "logger.level");
                else if (lk == "log") c.log_file = scalarText(l->second, "logger.log");
                else if (lk == "console") c.log_console = boolValue(l->second, "logger.console");
                else throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key logger." + lk);
            }
            static const char* levels[] = {"trace", "debug", "information", "warning", "error", "none"};
            bool known = false;
            for (auto* l : levels) known = known || c.log_level == l;
            if (!known) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Unknown logger.level " + c.log_level);
        } else if (key == "profiles") {
            if (!v.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key profiles must be a mapping");
            for (auto p = v.begin(); p != v.end(); ++p) {
                auto& settings = c.profiles[p->first.as<std::string>()];
                if (p->second.IsNull()) continue;
                if (!p->second.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Profile " + p->first.as<std::string>() + " must be a mapping");
                for (auto s = p->second.begin(); s != p->second.end(); ++s) settings[s->first.as<std::string>()] = scalarText(s->second, s->first.as<std::string>());
            }
        } else if (key == "users") {
            if (!v.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key users must be a mapping");
            for (auto u = v.begin(); u != v.end(); ++u) {
                UserConfig user;
                user.name = u->first.as<std::string>();
                bool has_password = false;
                for (auto f = u->second.begin(); u->second.IsMap() && f != u->second.end(); ++f) {
                    std::string fk = f->first.as<std::string>();
                    if (fk == "password") {
                        // A plain-text password in the config is kept only as its hash.
                        user.password_sha256_hex = sha256Hex(scalarText(f->second, "password"));
                        user.no_password = scalarText(f->second, "password").empty();
                        has_password = true;
                    } else if (fk == "password_sha256_hex") {
                        user.password_sha256_hex = scalarText(f->second, fk);
                        for (auto& ch : user.password_sha256_hex) ch = char(std::tolower(static_cast<unsigned char>(ch)));
                        if (user.password_sha256_hex.size() != 64)
                            throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "password_sha256_hex of user " + user.name + " must be 64 hex digits");
                        has_password = true;
                    } else if (fk == "profile") {
                        user.profile = scalarText(f->second, fk);
                    } else {
                        throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key users." + user.name + "." + fk);
                    }
                }
                if (!has_password) user.no_password = true;
                c.users[user.name] = user;
            }
        } else if (key == "remote_servers") {
            if (!v.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key remote_servers must be a mapping");
            for (auto cl = v.begin(); cl != v.end(); ++cl) {
                std::string name = cl->first.as<std::string>();
                c.cluster.clusters[name] = parseCluster(name, cl->second);
            }
        } else if (key == "macros") {
            if (!v.IsMap()) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "Config key macros must be a mapping");
            for (auto m = v.begin(); m != v.end(); ++m) c.cluster.macros[m->first.as<std::string>()] = scalarText(m->second, "macros." + m->first.as<std::string>());
        } else if (key == "zookeeper") {
            c.cluster.zookeeper = parseZooKeeper(v);
        } else if (key == "interserver_http_port") {
            c.cluster.interserver_http_port = portValue(v, key);
        } else if (key == "interserver_http_host") {
            c.cluster.interserver_http_host = scalarText(v, key);
        } else {
            throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_CONFIG, "Unknown config key " + key + " in " + file);
        }
    }
    if (c.users.empty()) c.users["default"] = UserConfig{"default", "", true, "default"};
    c.cluster.self_host = c.listen_host;
    c.cluster.self_tcp_port = c.tcp_port;
    for (auto& [n, u] : c.users)
        if (!c.profiles.count(u.profile)) throw Exception(ErrorCodes::INVALID_CONFIG_PARAMETER, "User " + n + " refers to unknown profile " + u.profile);
    return c;
}

}  // namespace basalt
