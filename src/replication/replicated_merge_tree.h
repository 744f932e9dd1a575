// replicated_merge_tree.h — the replication of a Replicated*MergeTree table: how the replicas of
// one table, each a StorageMergeTree on its own server, agree on one sequence of parts through
// ZooKeeper, as ClickHouse's StorageReplicatedMergeTree does.
//
// ZooKeeper layout under the engine's path P (ClickHouse's names):
//   P/metadata, P/columns          table structure; a replica with a different one is refused (342)
//   P/log/log-N                    the replication log: GET_PART (an insert), MERGE_PARTS, DROP_RANGE
//   P/blocks/<block_id>            ids of inserted blocks (partition + hash of the part's checksums,
//                                  or of insert_deduplication_token): a retried block is skipped
//   P/block_numbers/global/block-N ephemeral locks: block numbers of inserts (and mutation
//                                  versions) in flight — one sequence for every partition, so a
//                                  mutation's version orders it against inserts in all of them
//   P/mutations/mutation-N         ALTER UPDATE / DELETE: version and command, applied by each replica
//   P/leader_election/...          ephemeral sequential; the first one's replica assigns merges
//   P/merge_seq                    version-checked by every merge assignment (one at a time)
//   P/replicas/<r>/host            interserver address of the replica (parts are fetched from it)
//   P/replicas/<r>/is_active       ephemeral: the replica's session is alive
//   P/replicas/<r>/log_pointer     next log entry to copy into its queue
//   P/replicas/<r>/queue/queue-N   entries still to execute on this replica
//   P/replicas/<r>/parts/<name>    the parts the replica has
//
// The flow: an INSERT writes its part locally, then one ZooKeeper transaction creates the block
// id, the GET_PART log entry and the replica's part node and releases the block-number lock; only
// then is the part visible. The replication thread of every replica copies new log entries to
// its queue and executes them: GET_PART fetches the part from a replica that has it (interserver
// HTTP, part_exchange.h), MERGE_PARTS merges the same source parts into the same result (or
// fetches the result), DROP_RANGE removes parts (TRUNCATE). Merges are chosen by the leader only
// where no insert is in flight and no queued entry touches the range, so replicas converge to
// identical part sets. Without a ZooKeeper session the table is read-only (242) and the thread
// reconnects; a replica that comes back compares its parts with its list in ZooKeeper (missing
// ones are fetched, unknown ones detached as unexpected_), and a new replica copies a peer's parts.
#pragma once
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "replication/log_entry.h"
#include "storage/mergetree/storage_mergetree.h"

namespace basalt {

class ZooKeeper;
using ZooKeeperPtr = std::shared_ptr<ZooKeeper>;
struct QueryContext;

class ReplicatedMergeTree final : public MergeTreeReplication {
public:
    ReplicatedMergeTree(StorageMergeTree& storage, std::string zookeeper_path, std::string replica_name, std::string database, std::string table);
    ~ReplicatedMergeTree() override;

    // MergeTreeReplication
    void startup() override;
    void shutdown() override;
    void drop() override;
    void checkWritable() const override;
    int64_t allocateBlockNumber(const std::string& partition_id) override;
    void releaseBlockNumber(const std::string& partition_id, int64_t number) noexcept override;
    bool commitInsertedPart(const MergeTreeDataPart& part, bool deduplicate, const std::string& token, size_t index) override;
    void wake() override;
    bool optimize(const std::optional<std::string>& partition_id, bool final, QueryContext& ctx) override;
    void truncate(QueryContext& ctx) override;
    std::string mutate(const std::string& command, QueryContext& ctx, bool wait) override;
    void partReplaced(const std::string& old_name, const std::string& new_name) noexcept override;
    void dropPartition(const std::string& partition_id, bool detach, QueryContext& ctx) override;

    const std::string& zookeeperPath() const { return zk_path_; }
    const std::string& replicaName() const { return replica_name_; }
    const std::string& replicaPath() const { return replica_path_; }

    // One row of system.replicas (the totals read from ZooKeeper when it is reachable).
    struct Status {
        bool is_leader = false, is_readonly = true, is_session_expired = true;
        int64_t queue_size = 0, inserts_in_queue = 0, merges_in_queue = 0;
        int64_t queue_oldest_time = 0, inserts_oldest_time = 0, merges_oldest_time = 0;
        int64_t log_max_index = 0, log_pointer = 0, last_queue_update = 0, absolute_delay = 0;
        int64_t total_replicas = 0, active_replicas = 0;
        std::string last_queue_update_exception, zookeeper_exception;
    };
    Status status() const;
    // One row of system.replication_queue.
    struct QueueRow {
        ReplicationLogEntry entry;
        std::string node_name;
        bool executing = false;
        int64_t num_tries = 0, num_postponed = 0;
        std::string last_exception, postpone_reason;
        int64_t last_exception_time = 0, last_attempt_time = 0, last_postpone_time = 0;
    };
    std::vector<QueueRow> queue() const;

    // SYSTEM SYNC REPLICA: copies the whole current log into the queue and waits until every
    // entry queued at that moment is executed; TIMEOUT_EXCEEDED (159) after receive_timeout.
    void syncReplica(QueryContext& ctx);
    // SYSTEM RESTART REPLICA: drops the replica's session state and joins the replica set again.
    void restartReplica();

private:
    struct QueueItem {
        ReplicationLogEntry entry;
        std::string node;            // queue-N
        int64_t log_index = -1;      // the log entry it was copied from (-1: cloned or re-queued)
        bool executing = false;
        int64_t num_tries = 0, num_postponed = 0;
        std::string last_exception, postpone_reason;
        int64_t last_exception_time = 0, last_attempt_time = 0, last_postpone_time = 0;
        int64_t retry_after_ms = 0;  // steady clock
    };
    // What watch callbacks may touch (they can outlive this object).
    struct Wakeup {
        std::mutex mutex;
        std::condition_variable cv;
        bool pending = false;
        bool log_watch_set = false;
    };
    struct ReplicaHost {
        std::string name, host;
        uint16_t port = 0;
    };

    ZooKeeperPtr session() const;   // TABLE_IS_READ_ONLY without one
    void run();                     // the replication thread
    void activate();
    void deactivate(const std::string& reason);
    void createTableIfNeeded(ZooKeeper& zk);
    bool createReplicaIfNeeded(ZooKeeper& zk);
    void checkMetadata(ZooKeeper& zk);
    void cloneReplica(ZooKeeper& zk);
    void loadQueue(ZooKeeper& zk);
    void reconcileParts(ZooKeeper& zk);
    void resolveUnknownStatusParts(ZooKeeper& zk);
    // Copies new log entries into this replica's queue (serialized by pull_mutex_).
    void pullLogToQueue(ZooKeeper& zk);
    bool executeQueue(ZooKeeper& zk);
    // True when done; false (with `postpone`) when it must wait.
    bool executeEntry(ZooKeeper& zk, const QueueItem& item, std::string& postpone);
    bool fetchPart(ZooKeeper& zk, const MergeTreePartInfo& info, std::string& postpone);
    std::optional<std::pair<ReplicaHost, std::string>> findReplicaWithPart(ZooKeeper& zk, const MergeTreePartInfo& info);
    void registerLocalPart(ZooKeeper& zk, const std::string& name, const std::vector<std::string>& gone);
    bool isLeader(ZooKeeper& zk);
    // Writes a MERGE_PARTS entry for parts the local selector picks; the log index, if one was made.
    std::optional<int64_t> assignMerge(ZooKeeper& zk, bool aggressive, const std::optional<std::string>& partition, bool whole_partition_fallback);
    void cleanupLog(ZooKeeper& zk);
    // Registers mutations of <zk_path>/mutations this replica has not seen yet.
    void pullMutations(ZooKeeper& zk);
    // Brings this replica's part list in ZooKeeper up to date with local mutations.
    void registerReplacedParts(ZooKeeper& zk);
    // DROP_RANGE entries (one per partition) up to a block number taken now; the last log index.
    int64_t logDropRanges(ZooKeeper& zk, const std::vector<std::string>& partitions, bool detach);
    // Waits until the entry at log index `index` is executed here (159 after `timeout_s`).
    void waitForLogIndex(int64_t index, int64_t timeout_s, const char* what);
    std::string hostText() const;
    std::string metadataText() const;
    std::string columnsText() const;
    static int64_t sequenceNumber(const std::string& node);

    StorageMergeTree& storage_;
    const std::string zk_path_, replica_name_, replica_path_, database_, table_;
    std::string identity_;   // value of is_active: tells this server's stale nodes from another's

    std::shared_ptr<Wakeup> wakeup_ = std::make_shared<Wakeup>();
    mutable std::mutex mutex_;          // everything below
    ZooKeeperPtr zk_;                   // the session this replica is active in; null: read-only
    std::deque<QueueItem> queue_;
    bool is_leader_ = false;
    std::string leader_node_;
    int64_t log_pointer_ = 0;
    int64_t last_queue_update_ = 0;
    std::string last_exception_;
    std::vector<std::string> unknown_status_parts_;
    std::map<std::pair<std::string, int64_t>, std::string> block_locks_;   // (partition, number) -> lock node
    std::set<std::string> seen_mutations_;                                  // mutation nodes registered locally
    std::vector<std::pair<std::string, std::string>> replaced_parts_;       // (old, new) to write to ZooKeeper

    std::mutex pull_mutex_;             // one log pull at a time (the thread, SYNC REPLICA, OPTIMIZE)
    std::atomic<bool> stop_{false};
    std::atomic<bool> readonly_{true};
    std::thread thread_;
    int64_t last_cleanup_ms_ = 0;
};

// The replication of a Replicated*MergeTree table: engine arguments with macros expanded
// ({shard}, {replica}, {database}, {table}, {uuid}) or ClickHouse's defaults
// ('/clickhouse/tables/{uuid}/{shard}', '{replica}'; {uuid} only with `uuid_given`: an explicit
// or stored UUID, else BAD_ARGUMENTS). NO_ZOOKEEPER (225) without ZooKeeper hosts.
std::unique_ptr<ReplicatedMergeTree> makeReplicatedMergeTree(StorageMergeTree& storage, const std::string& database, const std::string& table,
                                                             const std::string& uuid, bool uuid_given);

}  // namespace basalt
