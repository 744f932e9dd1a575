// replicated_merge_tree.cpp — replication of Replicated*MergeTree tables through ZooKeeper (see
// replicated_merge_tree.h for the layout and the flow).
#include "replication/replicated_merge_tree.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <set>

#include "cluster/cluster.h"
#include "cluster/zookeeper.h"
#include "common/city_hash.h"
#include "common/exception.h"
#include "interpreter/context.h"
#include "replication/part_exchange.h"

namespace fs = std::filesystem;

namespace basalt {

using Coordination::Op;
using CreateMode = Coordination::CreateMode;

namespace {

int64_t nowSeconds() { return int64_t(time(nullptr)); }
int64_t steadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// replication_deduplication_window: the newest block ids kept (ClickHouse's default).
constexpr size_t kDeduplicationWindow = 1000;
// Log entries kept behind the slowest replica (ClickHouse's min_replicated_logs_to_keep is 10).
constexpr int64_t kLogsToKeep = 10;

std::string hex64(uint64_t v) {
    static const char* d = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4) s[size_t(i)] = d[v & 15];
    return s;
}

std::string keyValue(const std::string& text, const std::string& key) {
    size_t p = 0;
    while (p < text.size()) {
        size_t nl = text.find('\n', p);
        std::string line = text.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
        if (line.rfind(key + ": ", 0) == 0) return line.substr(key.size() + 2);
        if (nl == std::string::npos) break;
        p = nl + 1;
    }
    return "";
}

bool intersects(const MergeTreePartInfo& a, const std::string& pid, int64_t min_block, int64_t max_block) {
    return a.partition_id == pid && a.min_block <= max_block && a.max_block >= min_block;
}

}  // namespace

int64_t ReplicatedMergeTree::sequenceNumber(const std::string& node) {
    size_t dash = node.rfind('-');
    if (dash == std::string::npos) return -1;
    try {
        return std::stoll(node.substr(dash + 1));
    } catch (...) {
        return -1;
    }
}

ReplicatedMergeTree::ReplicatedMergeTree(StorageMergeTree& storage, std::string zookeeper_path, std::string replica_name, std::string database,
                                         std::string table)
    : storage_(storage),
      zk_path_(std::move(zookeeper_path)),
      replica_name_(std::move(replica_name)),
      replica_path_(zk_path_ + "/replicas/" + replica_name_),
      database_(std::move(database)),
      table_(std::move(table)) {
    char host[256] = {0};
    gethostname(host, sizeof(host) - 1);
    identity_ = std::string(host) + ":" + storage_.tableDirectory();
}

ReplicatedMergeTree::~ReplicatedMergeTree() { shutdown(); }

std::string ReplicatedMergeTree::hostText() const {
    auto c = clusterConfig();
    std::string host = c && !c->interserver_http_host.empty() ? c->interserver_http_host : (c && !c->self_host.empty() && c->self_host != "0.0.0.0" && c->self_host != "::" ? c->self_host : "localhost");
    return "host: " + host + "\nport: " + std::to_string(c ? c->interserver_http_port : 0) + "\ntcp_port: " + std::to_string(c ? c->self_tcp_port : 0) +
           "\ndatabase: " + database_ + "\ntable: " + table_ + "\nscheme: http\n";
}

std::string ReplicatedMergeTree::metadataText() const {
    std::string engine = storage_.engineName();
    return "metadata format version: 1\nengine: " + engine.substr(engine.rfind("Replicated", 0) == 0 ? 10 : 0) +
           "\nindex granularity: " + std::to_string(storage_.settings().index_granularity) + "\nsorting key: " + storage_.sortingKeyDescription() +
           "\nprimary key: " + storage_.primaryKeyDescription() + "\npartition key: " + storage_.partitionKeyDescription() + "\n";
}

std::string ReplicatedMergeTree::columnsText() const { return formatColumnsTxt(storage_.schema().columns); }

ZooKeeperPtr ReplicatedMergeTree::session() const {
    std::lock_guard lock(mutex_);
    if (!zk_ || zk_->expired())
        throw Exception(ErrorCodes::TABLE_IS_READ_ONLY, "Table is in readonly mode (replica path: " + replica_path_ + ")");
    return zk_;
}

void ReplicatedMergeTree::checkWritable() const { session(); }

// ---------------------------------------------------------------- lifecycle
void ReplicatedMergeTree::startup() {
    registerReplicaEndpoint(replica_path_, std::weak_ptr<StorageMergeTree>(storage_.shared_from_this()));
    try {
        activate();
    } catch (const Exception& e) {
        // A replica set that refuses us is an error of the CREATE; an unreachable ZooKeeper is not:
        // the table starts read-only and the thread keeps trying.
        if (e.code() == ErrorCodes::METADATA_MISMATCH || e.code() == ErrorCodes::REPLICA_IS_ALREADY_ACTIVE ||
            e.code() == ErrorCodes::REPLICA_ALREADY_EXISTS) {
            unregisterReplicaEndpoint(replica_path_);
            throw;
        }
        std::lock_guard lock(mutex_);
        last_exception_ = e.displayText();
        std::cerr << "Replicated table " << database_ << "." << table_ << " starts read-only: " << e.displayText() << "\n";
    }
    thread_ = std::thread([this] { run(); });
}

void ReplicatedMergeTree::shutdown() {
    if (stop_.exchange(true)) return;
    {
        std::lock_guard lock(wakeup_->mutex);
        wakeup_->pending = true;
    }
    wakeup_->cv.notify_all();
    if (thread_.joinable()) thread_.join();
    unregisterReplicaEndpoint(replica_path_);
    ZooKeeperPtr zk;
    {
        std::lock_guard lock(mutex_);
        zk = zk_;
        zk_.reset();
        readonly_ = true;
    }
    // Leave the active replicas now rather than when the (process-wide) session ends.
    if (zk && !zk->expired()) {
        try {
            zk->tryRemove(replica_path_ + "/is_active");
            if (!leader_node_.empty()) zk->tryRemove(leader_node_);
        } catch (...) {
        }
    }
}

void ReplicatedMergeTree::drop() {
    ZooKeeperPtr zk;
    try {
        zk = getZooKeeper();
    } catch (const Exception& e) {
        std::cerr << "DROP of replicated table " << database_ << "." << table_ << ": its nodes stay in ZooKeeper: " << e.displayText() << "\n";
        return;
    }
    try {
        zk->tryRemoveRecursive(replica_path_);
        std::vector<std::string> left;
        if (zk->tryGetChildren(zk_path_ + "/replicas", left) == Coordination::ZOK && left.empty()) {
            // The last replica takes the table with it (ClickHouse: dropTableIfLastReplica).
            zk->tryRemoveRecursive(zk_path_);
        }
    } catch (const Exception& e) {
        std::cerr << "DROP of replicated table " << database_ << "." << table_ << ": " << e.displayText() << "\n";
    }
}

void ReplicatedMergeTree::wake() {
    {
        std::lock_guard lock(wakeup_->mutex);
        wakeup_->pending = true;
    }
    wakeup_->cv.notify_all();
}

void ReplicatedMergeTree::restartReplica() {
    deactivate("SYSTEM RESTART REPLICA");
    activate();
    wake();
}

void ReplicatedMergeTree::deactivate(const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (zk_) std::cerr << "Replicated table " << database_ << "." << table_ << " is read-only: " << reason << "\n";
    zk_.reset();
    readonly_ = true;
    is_leader_ = false;
    queue_.clear();
    last_exception_ = reason;
}

void ReplicatedMergeTree::activate() {
    ZooKeeperPtr zk = getZooKeeper();
    createTableIfNeeded(*zk);
    checkMetadata(*zk);
    bool created = createReplicaIfNeeded(*zk);
    std::string active = replica_path_ + "/is_active";
    if (auto v = zk->tryGet(active)) {
        // Our own node from a session that died with the previous process goes; another server's
        // means two servers claim the same replica.
        if (*v != identity_)
            throw Exception(ErrorCodes::REPLICA_IS_ALREADY_ACTIVE, "Replica " + replica_path_ + " appears to be already active (" + *v + ")");
        zk->tryRemove(active);
    }
    zk->create(active, identity_, CreateMode::Ephemeral);
    zk->set(replica_path_ + "/host", hostText());
    std::vector<std::string> candidates;
    zk->tryGetChildren(zk_path_ + "/leader_election", candidates);
    for (auto& c : candidates)
        if (auto v = zk->tryGet(zk_path_ + "/leader_election/" + c); v && *v == identity_) zk->tryRemove(zk_path_ + "/leader_election/" + c);
    std::string leader_node = zk->create(zk_path_ + "/leader_election/leader_election-", identity_, CreateMode::EphemeralSequential);
    if (created) cloneReplica(*zk);
    {
        std::lock_guard lock(mutex_);
        leader_node_ = leader_node;
        queue_.clear();
    }
    loadQueue(*zk);
    reconcileParts(*zk);
    resolveUnknownStatusParts(*zk);
    {
        std::lock_guard lock(mutex_);
        zk_ = zk;
        readonly_ = false;
        last_exception_.clear();
    }
    {
        std::lock_guard lock(wakeup_->mutex);
        wakeup_->log_watch_set = false;   // watches of an older session are gone
    }
}

void ReplicatedMergeTree::createTableIfNeeded(ZooKeeper& zk) {
    if (zk.exists(zk_path_ + "/metadata")) return;
    zk.createAncestors(zk_path_);
    zk.createIfNotExists(zk_path_);
    int rc = zk.tryCreate(zk_path_ + "/metadata", metadataText(), CreateMode::Persistent);
    if (rc == Coordination::ZOK) zk.tryCreate(zk_path_ + "/columns", columnsText(), CreateMode::Persistent);
    for (const char* child : {"log", "blocks", "block_numbers", "leader_election", "replicas", "merge_seq", "mutations", "temp"})
        zk.createIfNotExists(zk_path_ + "/" + child);
}

void ReplicatedMergeTree::checkMetadata(ZooKeeper& zk) {
    std::string md = zk.get(zk_path_ + "/metadata");
    if (md != metadataText())
        throw Exception(ErrorCodes::METADATA_MISMATCH, "Existing table metadata in ZooKeeper differs from local table metadata (" + zk_path_ +
                                                           "/metadata):\n" + md + "local:\n" + metadataText());
    auto cols = zk.tryGet(zk_path_ + "/columns");
    if (cols && *cols != columnsText())
        throw Exception(ErrorCodes::METADATA_MISMATCH, "Table columns structure in ZooKeeper is different from local table structure (" + zk_path_ + "/columns)");
}

bool ReplicatedMergeTree::createReplicaIfNeeded(ZooKeeper& zk) {
    if (zk.exists(replica_path_)) return false;
    std::vector<Op> ops{Op::create(replica_path_, ""),
                        Op::create(replica_path_ + "/host", hostText()),
                        Op::create(replica_path_ + "/log_pointer", ""),
                        Op::create(replica_path_ + "/queue", ""),
                        Op::create(replica_path_ + "/parts", ""),
                        Op::create(replica_path_ + "/is_lost", "0"),
                        Op::create(replica_path_ + "/metadata", metadataText()),
                        Op::create(replica_path_ + "/columns", columnsText())};
    std::vector<Coordination::OpResult> results;
    int rc = zk.tryMulti(ops, results);
    if (rc == Coordination::ZNODEEXISTS) throw Exception(ErrorCodes::REPLICA_ALREADY_EXISTS, "Replica " + replica_path_ + " already exists");
    if (rc != Coordination::ZOK) throw Exception(ErrorCodes::KEEPER_EXCEPTION, std::string("Cannot create replica: ") + Coordination::errorMessage(rc));
    return true;
}

void ReplicatedMergeTree::cloneReplica(ZooKeeper& zk) {
    // A new replica starts from a peer's state: its parts (as GET_PART entries), its queue, and
    // its log pointer — consistent because the peer's log pointer is checked unchanged at commit.
    std::vector<std::string> replicas;
    zk.tryGetChildren(zk_path_ + "/replicas", replicas);
    std::sort(replicas.begin(), replicas.end());
    std::string source;
    for (auto& r : replicas) {
        if (r == replica_name_) continue;
        if (source.empty() || zk.exists(zk_path_ + "/replicas/" + r + "/is_active")) source = r;
    }
    if (source.empty()) return;
    std::string src = zk_path_ + "/replicas/" + source;
    for (int attempt = 0; attempt < 10; ++attempt) {
        ZooKeeper::Stat pointer_stat;
        std::string pointer = zk.get(src + "/log_pointer", &pointer_stat);
        std::vector<std::string> parts, queue;
        zk.tryGetChildren(src + "/parts", parts);
        zk.tryGetChildren(src + "/queue", queue);
        std::sort(queue.begin(), queue.end());
        std::vector<MergeTreePartInfo> infos;
        for (auto& p : parts)
            if (auto i = MergeTreePartInfo::parse(p)) infos.push_back(*i);
        std::sort(infos.begin(), infos.end());
        std::vector<Op> ops;
        for (auto& i : infos) {
            bool covered = std::any_of(infos.begin(), infos.end(), [&](auto& o) { return o.contains(i); });
            if (covered) continue;
            ReplicationLogEntry e;
            e.type = ReplicationLogEntry::Type::GetPart;
            e.source_replica = source;
            e.new_part_name = i.name();
            e.create_time = nowSeconds();
            ops.push_back(Op::create(replica_path_ + "/queue/queue-", e.toText(), CreateMode::PersistentSequential));
        }
        for (auto& q : queue)
            if (auto v = zk.tryGet(src + "/queue/" + q)) ops.push_back(Op::create(replica_path_ + "/queue/queue-", *v, CreateMode::PersistentSequential));
        ops.push_back(Op::set(replica_path_ + "/log_pointer", pointer));
        ops.push_back(Op::check(src + "/log_pointer", pointer_stat.version));
        std::vector<Coordination::OpResult> results;
        if (ops.size() <= 1000) {
            if (zk.tryMulti(ops, results) == Coordination::ZOK) return;
            continue;   // the peer moved on meanwhile: read it again
        }
        // Too many for one transaction: the entries first, then the pointer if the peer stood still.
        for (size_t i = 0; i + 2 < ops.size(); ++i) zk.create(ops[i].path, ops[i].data, CreateMode::PersistentSequential);
        if (zk.tryMulti({ops[ops.size() - 2], ops.back()}, results) == Coordination::ZOK) return;
    }
    throw Exception(ErrorCodes::KEEPER_EXCEPTION, "Cannot clone replica " + src + ": it keeps changing");
}

void ReplicatedMergeTree::loadQueue(ZooKeeper& zk) {
    std::vector<std::string> nodes;
    zk.tryGetChildren(replica_path_ + "/queue", nodes);
    std::sort(nodes.begin(), nodes.end());
    std::deque<QueueItem> items;
    for (auto& n : nodes) {
        auto v = zk.tryGet(replica_path_ + "/queue/" + n);
        if (!v) continue;
        QueueItem item;
        item.node = n;
        try {
            item.entry = ReplicationLogEntry::parse(*v);
        } catch (const Exception& e) {
            std::cerr << "Replicated table " << database_ << "." << table_ << ": dropping unreadable queue entry " << n << ": " << e.displayText() << "\n";
            zk.tryRemove(replica_path_ + "/queue/" + n);
            continue;
        }
        items.push_back(std::move(item));
    }
    auto pointer = zk.get(replica_path_ + "/log_pointer");
    std::lock_guard lock(mutex_);
    queue_ = std::move(items);
    log_pointer_ = pointer.empty() ? 0 : std::stoll(pointer);
}

void ReplicatedMergeTree::reconcileParts(ZooKeeper& zk) {
    // What this replica has on disk against what ZooKeeper says it has (ClickHouse's checkParts):
    // parts ZooKeeper lists but the disk lacks are fetched again; parts on disk that nobody knows
    // (an insert whose commit never reached ZooKeeper) are set aside as detached/unexpected_*.
    std::vector<std::string> listed;
    zk.tryGetChildren(replica_path_ + "/parts", listed);
    std::set<std::string> listed_set(listed.begin(), listed.end());
    std::set<std::string> produced;   // parts the queue will make or fetch
    {
        std::lock_guard lock(mutex_);
        for (auto& q : queue_) produced.insert(q.entry.new_part_name);
    }
    auto local = storage_.parts();
    for (auto& name : listed) {
        auto info = MergeTreePartInfo::parse(name);
        if (!info) continue;
        if (storage_.activePartCovering(*info)) continue;
        ReplicationLogEntry e;
        e.type = ReplicationLogEntry::Type::GetPart;
        e.source_replica = replica_name_;
        e.new_part_name = name;
        e.create_time = nowSeconds();
        std::vector<Coordination::OpResult> results = zk.multi({Op::create(replica_path_ + "/queue/queue-", e.toText(), CreateMode::PersistentSequential),
                                                                Op::remove(replica_path_ + "/parts/" + name)});
        std::cerr << "Replicated table " << database_ << "." << table_ << ": part " << name << " is missing locally, queued for fetching\n";
        QueueItem item;
        item.entry = e;
        item.node = results[0].path_created.substr(results[0].path_created.rfind('/') + 1);
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(item));
    }
    for (auto& p : *local) {
        if (listed_set.count(p->name) || produced.count(p->name)) continue;
        bool covers_listed = false;
        for (auto& name : listed)
            if (auto info = MergeTreePartInfo::parse(name); info && p->info.contains(*info)) covers_listed = true;
        if (covers_listed) {
            // A merge result whose registration did not happen: register it now.
            registerLocalPart(zk, p->name, {});
            continue;
        }
        std::cerr << "Replicated table " << database_ << "." << table_ << ": unexpected part " << p->name << " detached as unexpected_" << p->name << "\n";
        storage_.detachUnexpectedPart(p->name);
    }
}

void ReplicatedMergeTree::resolveUnknownStatusParts(ZooKeeper& zk) {
    std::vector<std::string> parts;
    {
        std::lock_guard lock(mutex_);
        parts.swap(unknown_status_parts_);
    }
    for (auto& name : parts) storage_.resolveUncommittedPart(name, zk.exists(replica_path_ + "/parts/" + name));
}

// ---------------------------------------------------------------- inserts
int64_t ReplicatedMergeTree::allocateBlockNumber(const std::string& partition_id) {
    auto zk = session();
    std::string dir = zk_path_ + "/block_numbers/global";
    try {
        zk->createIfNotExists(dir);
        std::string lock_path = zk->create(dir + "/block-", identity_, CreateMode::EphemeralSequential);
        int64_t n = sequenceNumber(lock_path);
        std::lock_guard lock(mutex_);
        block_locks_[{partition_id, n}] = lock_path;
        return n;
    } catch (const Exception& e) {
        if (zk->expired()) {
            wake();
            throw Exception(ErrorCodes::TABLE_IS_READ_ONLY, "Table is in readonly mode (replica path: " + replica_path_ + "): " + e.what());
        }
        throw;
    }
}

void ReplicatedMergeTree::releaseBlockNumber(const std::string& partition_id, int64_t number) noexcept {
    std::string path;
    ZooKeeperPtr zk;
    {
        std::lock_guard lock(mutex_);
        auto it = block_locks_.find({partition_id, number});
        if (it == block_locks_.end()) return;
        path = it->second;
        block_locks_.erase(it);
        zk = zk_;
    }
    try {
        if (zk && !zk->expired()) zk->tryRemove(path);
    } catch (...) {
        // The lock is ephemeral: it goes with the session at the latest.
    }
}

bool ReplicatedMergeTree::commitInsertedPart(const MergeTreeDataPart& part, bool deduplicate, const std::string& token, size_t index) {
    auto zk = session();
    // The block id: the partition and a hash of what the part holds — the checksums of its files,
    // equal for equal data — or of the user's insert_deduplication_token.
    std::string material;
    if (!token.empty()) {
        material = token + "_" + std::to_string(index);
    } else {
        for (auto& [file, sum] : part.checksums) material += file + ":" + std::to_string(sum.size) + ":" + sum.hex() + "\n";
    }
    Hash128 h = city::cityHash128(material.data(), material.size());
    std::string block_id = part.info.partition_id + "_" + hex64(h.low) + hex64(h.high);
    std::string lock_path;
    {
        std::lock_guard lock(mutex_);
        auto it = block_locks_.find({part.info.partition_id, part.info.min_block});
        if (it != block_locks_.end()) lock_path = it->second;
    }
    ReplicationLogEntry e;
    e.type = ReplicationLogEntry::Type::GetPart;
    e.source_replica = replica_name_;
    e.new_part_name = part.name;
    e.block_id = deduplicate ? block_id : "";
    e.create_time = nowSeconds();
    std::vector<Op> ops;
    if (deduplicate) ops.push_back(Op::create(zk_path_ + "/blocks/" + block_id, part.name));
    if (!lock_path.empty()) ops.push_back(Op::remove(lock_path));
    ops.push_back(Op::create(zk_path_ + "/log/log-", e.toText(), CreateMode::PersistentSequential));
    ops.push_back(Op::create(replica_path_ + "/parts/" + part.name, ""));
    std::vector<Coordination::OpResult> results;
    int rc;
    try {
        rc = zk->tryMulti(ops, results);
    } catch (const Exception& ex) {
        // The transaction may or may not have happened: the part waits on disk for the answer,
        // the client must retry (a retry of a committed block is deduplicated).
        {
            std::lock_guard lock(mutex_);
            unknown_status_parts_.push_back(part.name);
            block_locks_.erase({part.info.partition_id, part.info.min_block});
        }
        wake();
        throw Exception(ErrorCodes::UNKNOWN_STATUS_OF_INSERT, std::string("Unknown status, client must retry. Reason: ") + ex.what());
    }
    {
        std::lock_guard lock(mutex_);
        block_locks_.erase({part.info.partition_id, part.info.min_block});
    }
    if (rc == Coordination::ZOK) {
        wake();
        return true;
    }
    if (!lock_path.empty()) zk->tryRemove(lock_path);
    if (deduplicate && !results.empty() && results[0].error == Coordination::ZNODEEXISTS) {
        std::cerr << "Replicated table " << database_ << "." << table_ << ": block with ID " << block_id << " already exists; ignoring it\n";
        return false;
    }
    throw Exception(ErrorCodes::KEEPER_EXCEPTION, std::string("Cannot commit part ") + part.name + ": " + Coordination::errorMessage(rc));
}

// ---------------------------------------------------------------- the replication thread
void ReplicatedMergeTree::run() {
    while (!stop_) {
        bool did_work = false;
        ZooKeeperPtr zk;
        try {
            if (readonly_) activate();
            zk = session();
            registerReplacedParts(*zk);
            pullMutations(*zk);
            pullLogToQueue(*zk);
            did_work = executeQueue(*zk);
            if (isLeader(*zk)) {
                size_t merges = 0;
                {
                    std::lock_guard lock(mutex_);
                    for (auto& q : queue_) merges += q.entry.type == ReplicationLogEntry::Type::MergeParts;
                }
                if (merges < 2 && !storage_.mergesStopped() && assignMerge(*zk, false, std::nullopt, false)) did_work = true;
                if (steadyMs() - last_cleanup_ms_ > 30000) {
                    last_cleanup_ms_ = steadyMs();
                    cleanupLog(*zk);
                }
            }
        } catch (const std::exception& e) {
            std::string what = e.what();
            bool dead = !zk || zk->expired();
            if (dead && !readonly_) deactivate(what);
            else {
                std::lock_guard lock(mutex_);
                last_exception_ = what;
            }
        }
        if (stop_) break;
        std::unique_lock lock(wakeup_->mutex);
        if (!did_work) wakeup_->cv.wait_for(lock, std::chrono::milliseconds(readonly_ ? 1000 : 500), [&] { return wakeup_->pending || stop_.load(); });
        wakeup_->pending = false;
    }
}

bool ReplicatedMergeTree::isLeader(ZooKeeper& zk) {
    std::vector<std::string> nodes;
    zk.tryGetChildren(zk_path_ + "/leader_election", nodes);
    std::sort(nodes.begin(), nodes.end());
    std::lock_guard lock(mutex_);
    is_leader_ = !nodes.empty() && !leader_node_.empty() && zk_path_ + "/leader_election/" + nodes.front() == leader_node_;
    return is_leader_;
}

void ReplicatedMergeTree::pullLogToQueue(ZooKeeper& zk) {
    std::lock_guard pull(pull_mutex_);
    std::string pointer_text = zk.get(replica_path_ + "/log_pointer");
    int64_t pointer = pointer_text.empty() ? 0 : std::stoll(pointer_text);
    bool set_watch = false;
    {
        std::lock_guard lock(wakeup_->mutex);
        if (!wakeup_->log_watch_set) set_watch = wakeup_->log_watch_set = true;
    }
    Coordination::WatchCallback watch;
    if (set_watch) {
        std::weak_ptr<Wakeup> w = wakeup_;
        watch = [w](const Coordination::WatchEvent&) {
            if (auto s = w.lock()) {
                {
                    std::lock_guard lock(s->mutex);
                    s->pending = true;
                    s->log_watch_set = false;
                }
                s->cv.notify_all();
            }
        };
    }
    std::vector<std::string> children = zk.getChildren(zk_path_ + "/log", nullptr, watch);
    std::vector<std::pair<int64_t, std::string>> fresh;
    for (auto& c : children)
        if (int64_t n = sequenceNumber(c); n >= pointer) fresh.push_back({n, c});
    std::sort(fresh.begin(), fresh.end());
    for (size_t begin = 0; begin < fresh.size(); begin += 100) {
        size_t end = std::min(fresh.size(), begin + 100);
        std::vector<Op> ops;
        std::vector<std::pair<ReplicationLogEntry, int64_t>> entries;
        for (size_t i = begin; i < end; ++i) {
            auto v = zk.tryGet(zk_path_ + "/log/" + fresh[i].second);
            if (!v) continue;   // cleaned up: every replica had it already
            try {
                entries.push_back({ReplicationLogEntry::parse(*v), fresh[i].first});
            } catch (const Exception& e) {
                std::cerr << "Replicated table " << database_ << "." << table_ << ": skipping unreadable log entry " << fresh[i].second << "\n";
                continue;
            }
            ops.push_back(Op::create(replica_path_ + "/queue/queue-", *v, CreateMode::PersistentSequential));
        }
        ops.push_back(Op::set(replica_path_ + "/log_pointer", std::to_string(fresh[end - 1].first + 1)));
        auto results = zk.multi(ops);
        std::lock_guard lock(mutex_);
        for (size_t i = 0; i < entries.size(); ++i) {
            QueueItem item;
            item.entry = std::move(entries[i].first);
            item.log_index = entries[i].second;
            item.node = results[i].path_created.substr(results[i].path_created.rfind('/') + 1);
            queue_.push_back(std::move(item));
        }
        log_pointer_ = fresh[end - 1].first + 1;
    }
    std::lock_guard lock(mutex_);
    if (fresh.empty()) log_pointer_ = pointer;
    last_queue_update_ = nowSeconds();
}

bool ReplicatedMergeTree::executeQueue(ZooKeeper& zk) {
    bool did_work = false;
    std::vector<std::string> nodes;
    {
        std::lock_guard lock(mutex_);
        for (auto& q : queue_) nodes.push_back(q.node);
    }
    for (auto& node : nodes) {
        if (stop_) break;
        QueueItem item;
        {
            std::lock_guard lock(mutex_);
            auto it = std::find_if(queue_.begin(), queue_.end(), [&](auto& q) { return q.node == node; });
            if (it == queue_.end() || it->retry_after_ms > steadyMs()) continue;
            it->executing = true;
            it->last_attempt_time = nowSeconds();
            item = *it;
        }
        std::string postpone;
        bool done = false;
        std::string error;
        try {
            done = executeEntry(zk, item, postpone);
        } catch (const std::exception& e) {
            error = e.what();
            if (zk.expired()) {
                std::lock_guard lock(mutex_);
                for (auto& q : queue_) q.executing = false;
                throw;
            }
        }
        if (done) zk.tryRemove(replica_path_ + "/queue/" + node);
        std::lock_guard lock(mutex_);
        auto it = std::find_if(queue_.begin(), queue_.end(), [&](auto& q) { return q.node == node; });
        if (it == queue_.end()) continue;
        it->executing = false;
        if (done) {
            queue_.erase(it);
            did_work = true;
            continue;
        }
        int64_t attempts = 0;
        if (!error.empty()) {
            attempts = ++it->num_tries;
            it->last_exception = error;
            it->last_exception_time = nowSeconds();
        } else {
            attempts = ++it->num_postponed;
            it->postpone_reason = postpone;
            it->last_postpone_time = nowSeconds();
        }
        // Back off: 100 ms doubling up to 5 s between attempts of the same entry.
        it->retry_after_ms = steadyMs() + std::min<int64_t>(5000, int64_t(100) << std::min<int64_t>(attempts, 6));
    }
    return did_work;
}

void ReplicatedMergeTree::registerLocalPart(ZooKeeper& zk, const std::string& name, const std::vector<std::string>& gone) {
    if (!name.empty()) zk.tryCreate(replica_path_ + "/parts/" + name, "", CreateMode::Persistent);
    for (auto& g : gone) zk.tryRemove(replica_path_ + "/parts/" + g);
}

bool ReplicatedMergeTree::executeEntry(ZooKeeper& zk, const QueueItem& item, std::string& postpone) {
    const auto& e = item.entry;
    auto info = MergeTreePartInfo::parse(e.new_part_name);
    if (!info) throw Exception(ErrorCodes::BAD_DATA_PART_NAME, "Unexpected part name: " + e.new_part_name);
    switch (e.type) {
        case ReplicationLogEntry::Type::GetPart: {
            if (auto have = storage_.activePartCovering(*info)) {
                if (have->name == e.new_part_name) registerLocalPart(zk, have->name, {});
                return true;
            }
            return fetchPart(zk, *info, postpone);
        }
        case ReplicationLogEntry::Type::MergeParts: {
            if (auto have = storage_.activePartCovering(*info)) {
                registerLocalPart(zk, have->name == e.new_part_name ? have->name : "", e.source_parts);
                return true;
            }
            if (storage_.mergesStopped()) {
                postpone = "Merges are stopped";
                return false;
            }
            QueryContext ctx;
            switch (storage_.mergeExactly(e.source_parts, e.new_part_name, ctx)) {
                case StorageMergeTree::ExactMerge::Done:
                case StorageMergeTree::ExactMerge::Covered: {
                    auto have = storage_.activePartCovering(*info);
                    registerLocalPart(zk, have && have->name == e.new_part_name ? have->name : "", e.source_parts);
                    return true;
                }
                case StorageMergeTree::ExactMerge::Busy:
                    postpone = "Some source part of " + e.new_part_name + " is being merged";
                    return false;
                case StorageMergeTree::ExactMerge::Missing:
                    // Not all sources are here: take the result from a replica that made it.
                    if (fetchPart(zk, *info, postpone)) {
                        registerLocalPart(zk, "", e.source_parts);
                        return true;
                    }
                    postpone = "Not all source parts of " + e.new_part_name + " are here and no active replica has it";
                    return false;
            }
            return false;
        }
        case ReplicationLogEntry::Type::DropRange: {
            auto dropped = storage_.dropPartsInRange(*info, e.detach);
            registerLocalPart(zk, "", dropped);
            // Entries before this one that make parts inside the range are obsolete.
            std::vector<std::string> obsolete;
            {
                std::lock_guard lock(mutex_);
                for (auto& q : queue_) {
                    if (q.node == item.node) break;
                    auto qi = MergeTreePartInfo::parse(q.entry.new_part_name);
                    if (qi && q.entry.type != ReplicationLogEntry::Type::DropRange && !q.executing && (info->contains(*qi) || *info == *qi))
                        obsolete.push_back(q.node);
                }
                queue_.erase(std::remove_if(queue_.begin(), queue_.end(), [&](auto& q) {
                                 return std::find(obsolete.begin(), obsolete.end(), q.node) != obsolete.end();
                             }),
                             queue_.end());
            }
            for (auto& n : obsolete) zk.tryRemove(replica_path_ + "/queue/" + n);
            return true;
        }
    }
    return false;
}

std::optional<std::pair<ReplicatedMergeTree::ReplicaHost, std::string>> ReplicatedMergeTree::findReplicaWithPart(ZooKeeper& zk,
                                                                                                               const MergeTreePartInfo& info) {
    std::vector<std::string> replicas;
    zk.tryGetChildren(zk_path_ + "/replicas", replicas);
    std::optional<std::pair<ReplicaHost, std::string>> best;
    for (auto& r : replicas) {
        if (r == replica_name_) continue;
        std::string path = zk_path_ + "/replicas/" + r;
        if (!zk.exists(path + "/is_active")) continue;
        std::vector<std::string> parts;
        zk.tryGetChildren(path + "/parts", parts);
        std::string found;
        for (auto& p : parts) {
            auto pi = MergeTreePartInfo::parse(p);
            if (!pi || !(*pi == info || pi->contains(info))) continue;
            if (found.empty() || *pi == info) found = p;   // the exact part is preferred
        }
        if (found.empty()) continue;
        auto host_text = zk.tryGet(path + "/host");
        if (!host_text) continue;
        ReplicaHost h;
        h.name = r;
        h.host = keyValue(*host_text, "host");
        std::string port = keyValue(*host_text, "port");
        h.port = uint16_t(port.empty() ? 0 : std::stoul(port));
        if (!h.port) continue;
        if (!best || found == info.name()) best = std::make_pair(h, found);
    }
    return best;
}

bool ReplicatedMergeTree::fetchPart(ZooKeeper& zk, const MergeTreePartInfo& info, std::string& postpone) {
    auto source = findReplicaWithPart(zk, info);
    if (!source) {
        postpone = "No active replica has part " + info.name() + " or covering part";
        return false;
    }
    auto& [replica, name] = *source;
    auto fetched = MergeTreePartInfo::parse(name);
    std::string tmp = storage_.tableDirectory() + "tmp_fetch_" + name + "/";
    try {
        fetchPartFiles(replica.host, replica.port, zk_path_ + "/replicas/" + replica.name, name, tmp, 300);
        auto replaced = storage_.attachPartFromDirectory(tmp, *fetched);
        registerLocalPart(zk, name, replaced);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    return true;
}

// ---------------------------------------------------------------- merges, cleanup
std::optional<int64_t> ReplicatedMergeTree::assignMerge(ZooKeeper& zk, bool aggressive, const std::optional<std::string>& partition,
                                                        bool whole_partition_fallback) {
    // Order matters (see the header): merge_seq version, then the block-number locks of inserts
    // in flight, then the log. A part committed after the lock listing got its number later than
    // every part we can see, so no range chosen here can cover it.
    ZooKeeper::Stat seq_stat;
    zk.get(zk_path_ + "/merge_seq", &seq_stat);
    // (One number sequence for all partitions: a lock of any partition inside the range blocks it.)
    std::vector<int64_t> locks;
    std::vector<std::string> lock_nodes;
    zk.tryGetChildren(zk_path_ + "/block_numbers/global", lock_nodes);
    for (auto& n : lock_nodes) locks.push_back(sequenceNumber(n));
    pullLogToQueue(zk);
    std::vector<MergeTreePartInfo> pending;
    {
        std::lock_guard lock(mutex_);
        for (auto& q : queue_)
            if (auto i = MergeTreePartInfo::parse(q.entry.new_part_name)) pending.push_back(*i);
    }
    StorageMergeTree::RangeFilter allowed = [&](const MergeTreePartInfo& first, const MergeTreePartInfo& last) {
        for (int64_t n : locks)
            if (n >= first.min_block && n <= last.max_block) return false;
        for (auto& p : pending)
            if (intersects(p, first.partition_id, first.min_block, last.max_block)) return false;
        return true;
    };
    auto sources = storage_.selectMergeForReplication(aggressive, partition, allowed);
    if (sources.empty() && whole_partition_fallback) {
        // OPTIMIZE without FINAL merges what the background selector would leave (as for MergeTree).
        std::map<std::string, std::vector<DataPartPtr>> by_partition;
        for (auto snap = storage_.parts(); auto& p : *snap)
            if (!partition || p->info.partition_id == *partition) by_partition[p->info.partition_id].push_back(p);
        for (auto& [pid, list] : by_partition)
            if (list.size() >= 2 && allowed(list.front()->info, list.back()->info)) {
                sources = list;
                break;
            }
    }
    if (sources.empty() || (sources.size() < 2 && !aggressive)) return std::nullopt;
    MergeTreePartInfo result;
    result.partition_id = sources.front()->info.partition_id;
    result.min_block = sources.front()->info.min_block;
    result.max_block = sources.back()->info.max_block;
    for (auto& p : sources) {
        result.level = std::max(result.level, p->info.level);
        result.mutation = std::max(result.mutation, p->info.mutation);
    }
    result.level += 1;
    ReplicationLogEntry e;
    e.type = ReplicationLogEntry::Type::MergeParts;
    e.source_replica = replica_name_;
    e.new_part_name = result.name();
    for (auto& p : sources) e.source_parts.push_back(p->name);
    e.create_time = nowSeconds();
    std::vector<Coordination::OpResult> results;
    int rc = zk.tryMulti({Op::check(zk_path_ + "/merge_seq", seq_stat.version), Op::set(zk_path_ + "/merge_seq", ""),
                          Op::create(zk_path_ + "/log/log-", e.toText(), CreateMode::PersistentSequential)},
                         results);
    if (rc != Coordination::ZOK) return std::nullopt;   // another assignment came first: look again later
    return sequenceNumber(results[2].path_created);
}

void ReplicatedMergeTree::cleanupLog(ZooKeeper& zk) {
    // Log entries every replica has copied (minus a few), and block ids beyond the deduplication window.
    std::vector<std::string> replicas;
    zk.tryGetChildren(zk_path_ + "/replicas", replicas);
    int64_t min_pointer = INT64_MAX;
    for (auto& r : replicas) {
        auto v = zk.tryGet(zk_path_ + "/replicas/" + r + "/log_pointer");
        int64_t p = v && !v->empty() ? std::stoll(*v) : 0;
        min_pointer = std::min(min_pointer, p);
    }
    if (min_pointer != INT64_MAX) {
        std::vector<std::string> log;
        zk.tryGetChildren(zk_path_ + "/log", log);
        for (auto& l : log)
            if (sequenceNumber(l) < min_pointer - kLogsToKeep) zk.tryRemove(zk_path_ + "/log/" + l);
    }
    std::vector<std::string> mutations;
    zk.tryGetChildren(zk_path_ + "/mutations", mutations);
    std::sort(mutations.begin(), mutations.end());
    // The newest 100 mutations stay (ClickHouse's finished_mutations_to_keep); replicas that
    // registered them keep their own state.
    for (size_t i = 0; i + 100 < mutations.size(); ++i) zk.tryRemove(zk_path_ + "/mutations/" + mutations[i]);
    std::vector<std::string> blocks;
    zk.tryGetChildren(zk_path_ + "/blocks", blocks);
    if (blocks.size() > kDeduplicationWindow + 100) {
        std::vector<std::pair<int64_t, std::string>> by_age;
        for (auto& b : blocks) {
            ZooKeeper::Stat st;
            if (zk.exists(zk_path_ + "/blocks/" + b, &st)) by_age.push_back({st.czxid, b});
        }
        std::sort(by_age.begin(), by_age.end());
        for (size_t i = 0; i + kDeduplicationWindow < by_age.size(); ++i) zk.tryRemove(zk_path_ + "/blocks/" + by_age[i].second);
    }
}

// ---------------------------------------------------------------- statements
void ReplicatedMergeTree::waitForLogIndex(int64_t index, int64_t timeout_s, const char* what) {
    auto deadline = steadyMs() + timeout_s * 1000;
    wake();
    while (true) {
        {
            std::lock_guard lock(mutex_);
            bool queued = std::any_of(queue_.begin(), queue_.end(), [&](auto& q) { return q.log_index >= 0 && q.log_index <= index; });
            if (log_pointer_ > index && !queued) return;
            if (readonly_) throw Exception(ErrorCodes::TABLE_IS_READ_ONLY, "Table is in readonly mode (replica path: " + replica_path_ + ")");
        }
        if (steadyMs() > deadline)
            throw Exception(ErrorCodes::TIMEOUT_EXCEEDED, std::string(what) + " " + database_ + "." + table_ + ": command timed out. See the 'receive_timeout' setting");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        wake();
    }
}

void ReplicatedMergeTree::syncReplica(QueryContext& ctx) {
    auto zk = session();
    std::vector<std::string> log;
    zk->tryGetChildren(zk_path_ + "/log", log);
    int64_t max_index = -1;
    for (auto& l : log) max_index = std::max(max_index, sequenceNumber(l));
    pullLogToQueue(*zk);
    std::set<std::string> waiting;
    {
        std::lock_guard lock(mutex_);
        for (auto& q : queue_) waiting.insert(q.node);
    }
    int64_t timeout = int64_t(ctx.settings.receive_timeout);
    auto deadline = steadyMs() + timeout * 1000;
    wake();
    while (true) {
        {
            std::lock_guard lock(mutex_);
            bool left = std::any_of(queue_.begin(), queue_.end(), [&](auto& q) { return waiting.count(q.node) > 0; });
            if (!left && log_pointer_ > max_index) return;
            if (readonly_) throw Exception(ErrorCodes::TABLE_IS_READ_ONLY, "Table is in readonly mode (replica path: " + replica_path_ + ")");
        }
        if (steadyMs() > deadline)
            throw Exception(ErrorCodes::TIMEOUT_EXCEEDED, "SYNC REPLICA " + database_ + "." + table_ + ": command timed out. See the 'receive_timeout' setting");
        ctx.checkLimits();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        wake();
    }
}

bool ReplicatedMergeTree::optimize(const std::optional<std::string>& partition_id, bool final, QueryContext& ctx) {
    auto zk = session();
    std::vector<std::optional<std::string>> targets;
    if (final && !partition_id) {
        std::set<std::string> ids;
        for (auto snap = storage_.parts(); auto& p : *snap) ids.insert(p->info.partition_id);
        for (auto& id : ids) targets.push_back(id);
    } else {
        targets.push_back(partition_id);
    }
    bool assigned_any = false;
    int64_t timeout = int64_t(ctx.settings.receive_timeout);
    for (auto& target : targets) {
        std::optional<int64_t> index;
        // Entries in flight for the partition (inserts being fetched, merges) must land first.
        for (int attempt = 0; attempt < 100 && !index; ++attempt) {
            index = assignMerge(*zk, final, target, !final);
            if (index) break;
            bool pending;
            {
                std::lock_guard lock(mutex_);
                pending = std::any_of(queue_.begin(), queue_.end(), [&](auto& q) {
                    auto i = MergeTreePartInfo::parse(q.entry.new_part_name);
                    return i && (!target || i->partition_id == *target);
                });
            }
            if (!pending) break;
            wake();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            ctx.checkLimits();
        }
        if (!index) continue;
        assigned_any = true;
        if (ctx.settings.replication_alter_partitions_sync > 0) waitForLogIndex(*index, timeout, "OPTIMIZE");
    }
    return assigned_any;
}

int64_t ReplicatedMergeTree::logDropRanges(ZooKeeper& zk, const std::vector<std::string>& partitions, bool detach) {
    // Each range ends at a block number taken now: every part committed before (by any replica)
    // is inside it; an insert still in flight lands after the drop.
    int64_t last_index = -1;
    for (auto& pid : partitions) {
        int64_t n = allocateBlockNumber(pid);
        std::string lock_path;
        {
            std::lock_guard lock(mutex_);
            lock_path = block_locks_[{pid, n}];
            block_locks_.erase({pid, n});
        }
        MergeTreePartInfo range;
        range.partition_id = pid;
        range.min_block = 0;
        range.max_block = n;
        range.level = 999999999;
        ReplicationLogEntry e;
        e.type = ReplicationLogEntry::Type::DropRange;
        e.detach = detach;
        e.source_replica = replica_name_;
        e.new_part_name = range.name();
        e.create_time = nowSeconds();
        auto results = zk.multi({Op::create(zk_path_ + "/log/log-", e.toText(), CreateMode::PersistentSequential), Op::remove(lock_path)});
        last_index = std::max(last_index, sequenceNumber(results[0].path_created));
    }
    return last_index;
}

void ReplicatedMergeTree::truncate(QueryContext& ctx) {
    auto zk = session();
    // Every partition any replica has (a part not fetched here yet must go too).
    std::set<std::string> partitions;
    for (auto snap = storage_.parts(); auto& p : *snap) partitions.insert(p->info.partition_id);
    std::vector<std::string> replicas;
    zk->tryGetChildren(zk_path_ + "/replicas", replicas);
    for (auto& r : replicas) {
        std::vector<std::string> parts;
        zk->tryGetChildren(zk_path_ + "/replicas/" + r + "/parts", parts);
        for (auto& p : parts)
            if (auto i = MergeTreePartInfo::parse(p)) partitions.insert(i->partition_id);
    }
    int64_t last_index = logDropRanges(*zk, std::vector<std::string>(partitions.begin(), partitions.end()), false);
    if (last_index >= 0 && ctx.settings.replication_alter_partitions_sync > 0)
        waitForLogIndex(last_index, int64_t(ctx.settings.receive_timeout), "TRUNCATE");
}

void ReplicatedMergeTree::dropPartition(const std::string& partition_id, bool detach, QueryContext& ctx) {
    auto zk = session();
    int64_t index = logDropRanges(*zk, {partition_id}, detach);
    if (ctx.settings.replication_alter_partitions_sync > 0) waitForLogIndex(index, int64_t(ctx.settings.receive_timeout), "DROP PARTITION");
}

std::string ReplicatedMergeTree::mutate(const std::string& command, QueryContext& ctx, bool wait) {
    auto zk = session();
    // The version is a block number of the one sequence all inserts use: parts of blocks numbered
    // below it are mutated on every replica, later ones are not.
    int64_t version = allocateBlockNumber("");
    std::string lock_path;
    {
        std::lock_guard lock(mutex_);
        lock_path = block_locks_[{"", version}];
        block_locks_.erase({"", version});
    }
    int64_t now = nowSeconds();
    std::string text = "format version: 1\ncreate time: " + std::to_string(now) + "\nsource replica: " + replica_name_ +
                       "\nversion: " + std::to_string(version) + "\ncommands: " + command + "\n";
    auto results = zk->multi({Op::create(zk_path_ + "/mutations/mutation-", text, CreateMode::PersistentSequential), Op::remove(lock_path)});
    std::string node = results[0].path_created.substr(results[0].path_created.rfind('/') + 1);
    pullMutations(*zk);   // registers it here unless an earlier block number is still in flight
    wake();
    if (!wait) return node;
    // mutations_sync 1 and 2: this replica has applied it.
    auto deadline = steadyMs() + int64_t(ctx.settings.receive_timeout) * 1000;
    while (!storage_.hasMutation(version)) {
        if (steadyMs() > deadline)
            throw Exception(ErrorCodes::TIMEOUT_EXCEEDED, "Mutation " + node + " of " + database_ + "." + table_ + " was not registered in time");
        ctx.checkLimits();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        wake();
    }
    storage_.waitForMutation(version, ctx);
    return node;
}

void ReplicatedMergeTree::pullMutations(ZooKeeper& zk) {
    // Mutations must be registered in version order on every replica (a part mutated under a
    // newer version is never touched by an older one). A mutation whose version is above a block
    // number still locked (an insert or another mutation in flight) waits: the lower one may not
    // have its node yet. Locks are listed first, then the mutations, so any mutation below the
    // smallest lock is already visible.
    std::vector<std::string> lock_nodes;
    zk.tryGetChildren(zk_path_ + "/block_numbers/global", lock_nodes);
    int64_t min_lock = INT64_MAX;
    for (auto& n : lock_nodes) min_lock = std::min(min_lock, sequenceNumber(n));
    std::vector<std::string> nodes;
    zk.tryGetChildren(zk_path_ + "/mutations", nodes);
    struct Pending { int64_t version; std::string node, command; int64_t created; };
    std::vector<Pending> pending;
    for (auto& n : nodes) {
        {
            std::lock_guard lock(mutex_);
            if (seen_mutations_.count(n)) continue;
        }
        auto text = zk.tryGet(zk_path_ + "/mutations/" + n);
        if (!text) continue;
        std::string version = keyValue(*text, "version"), command = keyValue(*text, "commands"), created = keyValue(*text, "create time");
        if (version.empty() || command.empty()) continue;
        pending.push_back({std::stoll(version), n, command, created.empty() ? nowSeconds() : std::stoll(created)});
    }
    std::sort(pending.begin(), pending.end(), [](auto& a, auto& b) { return a.version < b.version; });
    for (auto& m : pending) {
        if (m.version > min_lock) break;
        storage_.registerReplicatedMutation(m.version, m.command, m.created);
        std::lock_guard lock(mutex_);
        seen_mutations_.insert(m.node);
    }
}

void ReplicatedMergeTree::partReplaced(const std::string& old_name, const std::string& new_name) noexcept {
    try {
        std::lock_guard lock(mutex_);
        replaced_parts_.push_back({old_name, new_name});
    } catch (...) {
        // Out of memory: the next start's reconciliation registers the part.
    }
    wake();
}

void ReplicatedMergeTree::registerReplacedParts(ZooKeeper& zk) {
    std::vector<std::pair<std::string, std::string>> todo;
    {
        std::lock_guard lock(mutex_);
        todo.swap(replaced_parts_);
    }
    for (size_t i = 0; i < todo.size(); ++i) {
        try {
            registerLocalPart(zk, todo[i].second, {todo[i].first});
        } catch (...) {
            std::lock_guard lock(mutex_);
            replaced_parts_.insert(replaced_parts_.begin(), todo.begin() + long(i), todo.end());
            throw;
        }
    }
}

// ---------------------------------------------------------------- system tables
ReplicatedMergeTree::Status ReplicatedMergeTree::status() const {
    Status s;
    ZooKeeperPtr zk;
    {
        std::lock_guard lock(mutex_);
        zk = zk_;
        s.is_leader = is_leader_;
        s.is_readonly = readonly_;
        s.is_session_expired = !zk_ || zk_->expired();
        s.queue_size = int64_t(queue_.size());
        for (auto& q : queue_) {
            int64_t t = q.entry.create_time;
            if (!s.queue_oldest_time || t < s.queue_oldest_time) s.queue_oldest_time = t;
            if (q.entry.type == ReplicationLogEntry::Type::GetPart) {
                ++s.inserts_in_queue;
                if (!s.inserts_oldest_time || t < s.inserts_oldest_time) s.inserts_oldest_time = t;
            } else if (q.entry.type == ReplicationLogEntry::Type::MergeParts) {
                ++s.merges_in_queue;
                if (!s.merges_oldest_time || t < s.merges_oldest_time) s.merges_oldest_time = t;
            }
        }
        s.log_pointer = log_pointer_;
        s.last_queue_update = last_queue_update_;
        s.last_queue_update_exception = last_exception_;
    }
    // ClickHouse's absolute_delay: how far behind the newest data this replica is — the age of
    // the oldest entry still to fetch.
    if (s.inserts_oldest_time) s.absolute_delay = std::max<int64_t>(0, nowSeconds() - s.inserts_oldest_time);
    if (zk && !zk->expired()) {
        try {
            std::vector<std::string> log, replicas;
            zk->tryGetChildren(zk_path_ + "/log", log);
            for (auto& l : log) s.log_max_index = std::max(s.log_max_index, sequenceNumber(l));
            zk->tryGetChildren(zk_path_ + "/replicas", replicas);
            s.total_replicas = int64_t(replicas.size());
            for (auto& r : replicas) s.active_replicas += zk->exists(zk_path_ + "/replicas/" + r + "/is_active") ? 1 : 0;
        } catch (const Exception& e) {
            s.zookeeper_exception = e.displayText();
        }
    }
    return s;
}

std::vector<ReplicatedMergeTree::QueueRow> ReplicatedMergeTree::queue() const {
    std::lock_guard lock(mutex_);
    std::vector<QueueRow> rows;
    for (auto& q : queue_) {
        QueueRow r;
        r.entry = q.entry;
        r.node_name = q.node;
        r.executing = q.executing;
        r.num_tries = q.num_tries;
        r.num_postponed = q.num_postponed;
        r.last_exception = q.last_exception;
        r.postpone_reason = q.postpone_reason;
        r.last_exception_time = q.last_exception_time;
        r.last_attempt_time = q.last_attempt_time;
        r.last_postpone_time = q.last_postpone_time;
        rows.push_back(std::move(r));
    }
    return rows;
}

std::unique_ptr<ReplicatedMergeTree> makeReplicatedMergeTree(StorageMergeTree& storage, const std::string& database, const std::string& table,
                                                             const std::string& uuid, bool uuid_given) {
    std::string path = storage.replicatedPathArgument().empty() ? "/clickhouse/tables/{uuid}/{shard}" : storage.replicatedPathArgument();
    std::string replica = storage.replicaNameArgument().empty() ? "{replica}" : storage.replicaNameArgument();
    // A generated UUID differs on every replica: the path would too (ClickHouse's rule).
    if (!uuid_given && (path.find("{uuid}") != std::string::npos || replica.find("{uuid}") != std::string::npos))
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Macro 'uuid' in engine arguments is only supported when the UUID is explicitly specified, used "
                                                   "within an ON CLUSTER query, or when using the Replicated database engine.");
    auto config = clusterConfig();
    if (!config || config->zookeeper.empty())
        throw Exception(ErrorCodes::NO_ZOOKEEPER, "Can't create replicated table without ZooKeeper");
    std::map<std::string, std::string> extra{{"database", database}, {"table", table}, {"uuid", uuid}};
    path = expandMacros(path, extra);
    replica = expandMacros(replica, extra);
    if (path.empty() || path[0] != '/') path = "/" + path;
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    if (replica.empty() || replica.find('/') != std::string::npos)
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Replica name must be a non-empty name without '/', got '" + replica + "'");
    return std::make_unique<ReplicatedMergeTree>(storage, path, replica, database, table);
}

}  // namespace basalt
