// cluster.cpp — cluster configuration snapshot, macros, remote() address patterns, and replica
// choice with failover (see cluster.h).
#include "cluster/cluster.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <random>

#include "client/connection.h"
#include "common/exception.h"
#include "interpreter/settings.h"

namespace basalt {

namespace {

std::mutex g_config_mutex;
std::shared_ptr<const ClusterConfig> g_config = std::make_shared<ClusterConfig>();

// Recent connection errors per replica address: replicas that failed lately are tried last
// (ClickHouse's error counts, halved every minute there; here forgotten after a minute).
struct ErrorLog {
    std::mutex mutex;
    std::map<std::string, std::pair<uint64_t, std::chrono::steady_clock::time_point>> errors;
    uint64_t count(const std::string& address) {
        std::lock_guard lock(mutex);
        auto it = errors.find(address);
        if (it == errors.end()) return 0;
        if (std::chrono::steady_clock::now() - it->second.second > std::chrono::minutes(1)) {
            errors.erase(it);
            return 0;
        }
        return it->second.first;
    }
    void add(const std::string& address) {
        std::lock_guard lock(mutex);
        auto& e = errors[address];
        ++e.first;
        e.second = std::chrono::steady_clock::now();
    }
};
ErrorLog g_errors;
std::atomic<uint64_t> g_round_robin{0};

bool isLoopbackName(const std::string& h) { return h == "localhost" || h == "127.0.0.1" || h == "::1" || h == "[::1]"; }

// Splits at `sep` outside braces.
std::vector<std::string> splitTopLevel(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    for (char c : s) {
        if (c == '{') ++depth;
        if (c == '}') --depth;
        if (c == sep && depth == 0) { out.push_back(cur); cur.clear(); continue; }
        cur += c;
    }
    out.push_back(cur);
    return out;
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The alternatives of one {...} group and whether they are replicas ('|') or shards (',' / '..').
std::vector<std::string> braceAlternatives(const std::string& body, bool& replicas) {
    replicas = body.find('|') != std::string::npos;
    if (replicas) return splitTopLevel(body, '|');
    size_t dots = body.find("..");
    if (dots != std::string::npos && body.find(',') == std::string::npos) {
        std::string a = trim(body.substr(0, dots)), b = trim(body.substr(dots + 2));
        auto digits = [](const std::string& x) { return !x.empty() && std::all_of(x.begin(), x.end(), ::isdigit); };
        if (!digits(a) || !digits(b)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Bad range in address pattern: {" + body + "}");
        uint64_t from = std::stoull(a), to = std::stoull(b);
        if (to < from || to - from > 1000) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Bad range in address pattern: {" + body + "}");
        size_t width = (a.size() > 1 && a[0] == '0') ? a.size() : 0;   // {01..03} keeps leading zeros
        std::vector<std::string> out;
        for (uint64_t i = from; i <= to; ++i) {
            std::string n = std::to_string(i);
            if (n.size() < width) n = std::string(width - n.size(), '0') + n;
            out.push_back(n);
        }
        return out;
    }
    return splitTopLevel(body, ',');
}

// One comma-separated piece → shards of replica addresses.
std::vector<std::vector<std::string>> expandPiece(const std::string& piece) {
    auto parts = splitTopLevel(piece, '|');
    if (parts.size() > 1) {
        std::vector<std::string> replicas;
        for (auto& p : parts)
            for (auto& shard : expandPiece(p))
                for (auto& r : shard) replicas.push_back(r);
        return {replicas};
    }
    size_t open = piece.find('{');
    if (open == std::string::npos) return {{trim(piece)}};
    int depth = 0;
    size_t close = std::string::npos;
    for (size_t i = open; i < piece.size(); ++i) {
        if (piece[i] == '{') ++depth;
        if (piece[i] == '}' && --depth == 0) { close = i; break; }
    }
    if (close == std::string::npos) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Unbalanced braces in address pattern: " + piece);
    bool as_replicas = false;
    auto alts = braceAlternatives(piece.substr(open + 1, close - open - 1), as_replicas);
    std::vector<std::vector<std::string>> out;
    std::vector<std::string> replicas;
    for (auto& a : alts) {
        auto sub = expandPiece(piece.substr(0, open) + trim(a) + piece.substr(close + 1));
        if (as_replicas) for (auto& s : sub) for (auto& r : s) replicas.push_back(r);
        else for (auto& s : sub) out.push_back(s);
    }
    if (as_replicas) out.push_back(replicas);
    return out;
}

ClusterReplica parseAddress(const std::string& address, uint16_t default_port) {
    ClusterReplica r;
    r.port = default_port;
    std::string a = trim(address);
    if (a.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Empty address in remote() pattern");
    size_t colon = std::string::npos;
    if (a[0] == '[') {
        size_t close = a.find(']');
        if (close == std::string::npos) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Bad IPv6 address: " + a);
        r.host = a.substr(1, close - 1);
        if (close + 1 < a.size() && a[close + 1] == ':') colon = close + 1;
    } else {
        colon = a.rfind(':');
        if (colon != std::string::npos && a.find(':') != colon) colon = std::string::npos;   // bare IPv6
        r.host = colon == std::string::npos ? a : a.substr(0, colon);
    }
    if (colon != std::string::npos) {
        std::string p = a.substr(colon + 1);
        if (p.empty() || !std::all_of(p.begin(), p.end(), ::isdigit) || std::stoul(p) > 65535)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Bad port in address: " + a);
        r.port = uint16_t(std::stoul(p));
    }
    return r;
}

}  // namespace

uint64_t Cluster::totalWeight() const {
    uint64_t w = 0;
    for (auto& s : shards) w += s.weight;
    return w;
}

std::vector<uint32_t> Cluster::slotToShard() const {
    std::vector<uint32_t> slots;
    for (uint32_t i = 0; i < shards.size(); ++i)
        for (uint64_t w = 0; w < shards[i].weight; ++w) slots.push_back(i);
    return slots;
}

bool ClusterConfig::isLocal(const ClusterReplica& r) const {
    if (!self_tcp_port || r.port != self_tcp_port) return false;
    return r.host == self_host || (isLoopbackName(r.host) && (isLoopbackName(self_host) || self_host == "0.0.0.0" || self_host == "::"));
}

std::shared_ptr<const ClusterConfig> clusterConfig() {
    std::lock_guard lock(g_config_mutex);
    return g_config;
}

void setClusterConfig(std::shared_ptr<const ClusterConfig> config) {
    std::lock_guard lock(g_config_mutex);
    g_config = std::move(config);
}

const Cluster& findCluster(const ClusterConfig& config, const std::string& name) {
    auto it = config.clusters.find(name);
    if (it == config.clusters.end()) throw Exception(ErrorCodes::CLUSTER_DOESNT_EXIST, "Requested cluster '" + name + "' not found");
    return it->second;
}

std::string expandMacros(const std::string& text, const std::map<std::string, std::string>& extra) {
    auto config = clusterConfig();
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '{') { out += text[i]; continue; }
        size_t close = text.find('}', i);
        if (close == std::string::npos) { out += text.substr(i); break; }
        std::string name = text.substr(i + 1, close - i - 1);
        if (auto it = extra.find(name); it != extra.end()) out += it->second;
        else if (auto m = config->macros.find(name); m != config->macros.end()) out += m->second;
        else throw Exception(ErrorCodes::BAD_ARGUMENTS, "No macro '" + name + "' in config while processing substitutions in '" + text + "'");
        i = close;
    }
    return out;
}

Cluster parseRemoteAddresses(const std::string& pattern, uint16_t default_port, const std::string& user, const std::string& password) {
    Cluster c;
    c.name = pattern;
    std::vector<std::vector<std::string>> shards;
    for (auto& piece : splitTopLevel(pattern, ','))
        for (auto& s : expandPiece(piece)) shards.push_back(s);
    if (shards.size() > 10000) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Too many shards in address pattern " + pattern);
    for (auto& s : shards) {
        ClusterShard shard;
        shard.shard_num = uint32_t(c.shards.size() + 1);
        for (auto& a : s) {
            ClusterReplica r = parseAddress(a, default_port);
            r.user = user;
            r.password = password;
            r.replica_num = uint32_t(shard.replicas.size() + 1);
            shard.replicas.push_back(r);
        }
        c.shards.push_back(shard);
    }
    return c;
}

std::unique_ptr<NativeConnection> connectToReplica(const ClusterReplica& replica, const Settings& settings, const std::string& database,
                                                   double receive_timeout_seconds) {
    NativeConnection::Options o;
    o.host = replica.host;
    o.port = replica.port;
    o.user = replica.user;
    o.password = replica.password;
    o.database = database;
    o.client_name = "basalt server";
    o.compression = true;
    o.connect_timeout_seconds = std::max<double>(0.001, double(settings.connect_timeout_with_failover_ms) / 1000.0);
    o.receive_timeout_seconds = receive_timeout_seconds;
    o.send_timeout_seconds = 300;
    return std::make_unique<NativeConnection>(o);
}

std::unique_ptr<NativeConnection> connectToShard(const ClusterShard& shard, const Settings& settings, const std::string& database) {
    if (shard.replicas.empty()) throw Exception(ErrorCodes::NO_REMOTE_SHARD_AVAILABLE, "Shard " + std::to_string(shard.shard_num) + " has no replicas");
    std::vector<size_t> order(shard.replicas.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    const std::string& lb = settings.load_balancing;
    if (lb == "random" || lb == "first_or_random") {
        thread_local std::mt19937_64 rng(std::random_device{}());
        std::shuffle(order.begin() + (lb == "first_or_random" ? 1 : 0), order.end(), rng);
    } else if (lb == "round_robin") {
        std::rotate(order.begin(), order.begin() + long(g_round_robin++ % order.size()), order.end());
    }
    std::vector<uint64_t> errors(order.size());
    for (size_t i = 0; i < order.size(); ++i) errors[i] = g_errors.count(shard.replicas[i].address());
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return errors[a] < errors[b]; });
    std::string log;
    uint64_t tries = std::max<uint64_t>(1, settings.connections_with_failover_max_tries);
    for (uint64_t attempt = 0; attempt < tries; ++attempt) {
        for (size_t i : order) {
            try {
                return connectToReplica(shard.replicas[i], settings, database);
            } catch (const Exception& e) {
                g_errors.add(shard.replicas[i].address());
                if (e.code() != ErrorCodes::NETWORK_ERROR && e.code() != ErrorCodes::SOCKET_TIMEOUT) throw;   // e.g. bad credentials
                log += "\nCode: " + std::to_string(e.code()) + ". " + e.what();
            }
        }
    }
    throw Exception(ErrorCodes::ALL_CONNECTION_TRIES_FAILED, "All connection tries failed. Log: \n" + log + "\n");
}

}  // namespace basalt
