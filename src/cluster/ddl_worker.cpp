// ddl_worker.cpp — the distributed DDL queue on ZooKeeper (see ddl_worker.h).
#include "cluster/ddl_worker.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>
#include <vector>

#include "cluster/cluster.h"
#include "cluster/distributed_ddl.h"
#include "cluster/zookeeper.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "interpreter/context.h"
#include "interpreter/interpreter.h"
#include "storage/system_tables.h"

namespace basalt {

namespace {

struct Entry {
    std::string database, query;
    std::vector<std::string> hosts;
};

std::string encodeEntry(const Entry& e) {
    std::string hosts;
    for (auto& h : e.hosts) hosts += (hosts.empty() ? "" : ",") + h;
    return "version: 1\ndatabase: " + e.database + "\nhosts: " + hosts + "\nquery: " + e.query;
}

std::optional<Entry> decodeEntry(const std::string& text) {
    Entry e;
    size_t pos = 0;
    auto line = [&](const char* key) -> std::optional<std::string> {
        std::string prefix = std::string(key) + ": ";
        if (text.compare(pos, prefix.size(), prefix) != 0) return std::nullopt;
        size_t end = std::string(key) == "query" ? text.size() : text.find('\n', pos);
        if (end == std::string::npos) return std::nullopt;
        std::string v = text.substr(pos + prefix.size(), end - pos - prefix.size());
        pos = end + 1;
        return v;
    };
    auto version = line("version");
    auto db = line("database");
    auto hosts = line("hosts");
    auto query = line("query");
    if (!version || *version != "1" || !db || !hosts || !query) return std::nullopt;
    e.database = *db;
    e.query = *query;
    size_t start = 0;
    while (start <= hosts->size()) {
        size_t comma = hosts->find(',', start);
        std::string h = hosts->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!h.empty()) e.hosts.push_back(h);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return e;
}

// "host:port" of this server among `hosts`, or "" when the entry is not for it.
std::string selfAmong(const std::vector<std::string>& hosts, const ClusterConfig& config) {
    for (auto& h : hosts) {
        size_t colon = h.rfind(':');
        if (colon == std::string::npos) continue;
        ClusterReplica r;
        r.host = h.substr(0, colon);
        try { r.port = uint16_t(std::stoul(h.substr(colon + 1))); } catch (...) { continue; }
        if (config.isLocal(r)) return h;
    }
    return "";
}

}  // namespace

Block enqueueDistributedDDL(const std::string& cluster_name, const std::string& query, QueryContext& ctx) {
    auto config = clusterConfig();
    const Cluster& cluster = findCluster(*config, cluster_name);
    Entry e;
    e.database = ctx.current_database;
    e.query = query;
    std::set<std::string> seen;
    for (auto& s : cluster.shards)
        for (auto& r : s.replicas)
            if (seen.insert(r.address()).second) e.hosts.push_back(r.address());
    auto zk = getZooKeeper();
    zk->createAncestors(std::string(kDDLQueuePath) + "/x");
    zk->createIfNotExists(kDDLQueuePath);
    std::string path = zk->create(std::string(kDDLQueuePath) + "/query-", encodeEntry(e), ZooKeeper::CreateMode::PersistentSequential);
    zk->createIfNotExists(path + "/finished");
    zk->createIfNotExists(path + "/active");

    // Wait for every host, collecting their outcomes in the order they finish.
    RowBuilder rb(ddlStatusColumns());
    std::set<std::string> done;
    int first_code = 0;
    std::string first_error;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(ctx.settings.distributed_ddl_task_timeout);
    while (done.size() < e.hosts.size() && ctx.settings.distributed_ddl_task_timeout > 0) {
        ctx.checkLimits();
        auto finished = zk->getChildren(path + "/finished");
        std::sort(finished.begin(), finished.end());
        std::vector<std::string> active;
        zk->tryGetChildren(path + "/active", active);
        for (auto& host : finished) {
            if (done.count(host) || !seen.count(host)) continue;
            done.insert(host);
            std::string status = zk->tryGet(path + "/finished/" + host).value_or("0\n");
            size_t nl = status.find('\n');
            int code = 0;
            try { code = std::stoi(status.substr(0, nl)); } catch (...) {}
            std::string message = nl == std::string::npos ? "" : status.substr(nl + 1);
            if (code && !first_code) { first_code = code; first_error = "There was an error on [" + host + "]: Code: " + std::to_string(code) + ". DB::Exception: " + message; }
            size_t colon = host.rfind(':');
            rb.add({host.substr(0, colon), uint64_t(std::stoul(host.substr(colon + 1))), int64_t(code), code ? message : "",
                    uint64_t(e.hosts.size() - done.size()), uint64_t(active.size())});
        }
        if (done.size() == e.hosts.size()) break;
        if (std::chrono::steady_clock::now() >= deadline) {
            size_t remaining = e.hosts.size() - done.size();
            throw Exception(ErrorCodes::TIMEOUT_EXCEEDED, "Distributed DDL task " + path + " is not finished on " + std::to_string(remaining) + " of " +
                                                              std::to_string(e.hosts.size()) + " hosts (" + std::to_string(active.size()) +
                                                              " of them are currently executing the task). They are going to execute the query in background");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (first_code) throw Exception(first_code, first_error);
    return rb.build();
}

DDLWorker::DDLWorker(Catalog& catalog) : catalog_(catalog) {
    thread_ = std::thread([this] { loop(); });
}

DDLWorker::~DDLWorker() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stop = true;
    }
    state_->wake.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DDLWorker::loop() {
    while (true) {
        {
            std::unique_lock lock(state_->mutex);
            state_->wake.wait_for(lock, std::chrono::seconds(1), [&] { return state_->stop || state_->changed; });
            if (state_->stop) return;
            state_->changed = false;
        }
        bool ok = false;
        try {
            ok = processQueue();
        } catch (const std::exception& e) {
            std::cerr << "DDLWorker: " << e.what() << "\n";
        }
        if (!ok) {
            // ZooKeeper is away: look again in a second (the wait above).
            std::lock_guard lock(state_->mutex);
            state_->changed = false;
        }
    }
}

bool DDLWorker::processQueue() {
    auto config = clusterConfig();
    ZooKeeperPtr zk;
    try {
        zk = getZooKeeper();
    } catch (const Exception&) {
        return false;
    }
    std::vector<std::string> entries;
    auto notify = [state = std::weak_ptr<State>(state_)](const Coordination::WatchEvent&) {
        auto s = state.lock();
        if (!s) return;
        {
            std::lock_guard lock(s->mutex);
            s->changed = true;
        }
        s->wake.notify_all();
    };
    if (zk->tryGetChildren(kDDLQueuePath, entries, nullptr, notify) != Coordination::ZOK) {
        // No queue yet: watch for its creation.
        zk->exists(kDDLQueuePath, nullptr, notify);
        return true;
    }
    std::sort(entries.begin(), entries.end());
    for (auto& name : entries) {
        {
            std::lock_guard lock(state_->mutex);
            if (state_->stop) return true;
        }
        std::string path = std::string(kDDLQueuePath) + "/" + name;
        auto text = zk->tryGet(path);
        if (!text) continue;
        auto entry = decodeEntry(*text);
        if (!entry) continue;
        std::string me = selfAmong(entry->hosts, *config);
        if (me.empty() || zk->exists(path + "/finished/" + me)) continue;
        zk->createIfNotExists(path + "/finished");
        zk->createIfNotExists(path + "/active");
        zk->tryCreate(path + "/active/" + me, "", ZooKeeper::CreateMode::Ephemeral);
        int code = 0;
        std::string message;
        try {
            Session session(catalog_);
            session.execute("USE " + backQuote(entry->database));
            session.execute(entry->query);
        } catch (const Exception& e) {
            code = e.code();
            message = e.what();
        } catch (const std::exception& e) {
            code = ErrorCodes::UNKNOWN_EXCEPTION;
            message = e.what();
        }
        // The outcome is recorded once; a crash before this line runs the statement again on
        // restart (as ClickHouse: DDL on a host is at-least-once; IF NOT EXISTS makes it harmless).
        zk->tryCreate(path + "/finished/" + me, std::to_string(code) + "\n" + message, ZooKeeper::CreateMode::Persistent);
        zk->tryRemove(path + "/active/" + me);
    }
    return true;
}

}  // namespace basalt
