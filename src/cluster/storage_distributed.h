// storage_distributed.h — the Distributed table engine and the remote()/cluster() table functions:
// a table whose data lives in a local table on every shard of a cluster.
//
// SELECT: each shard's query runs on one healthy replica (cluster.h: load balancing, failover);
// read() sends `SELECT cols FROM db.table WHERE <pushed filter>` and streams one source per shard.
// Aggregations and ORDER BY ... LIMIT are rewritten before they get here (distributed_query.h) so
// that shards aggregate and sort, and the initiator only merges.
// INSERT: rows are routed by the sharding key (value % total weight → shard slot, as ClickHouse);
// with distributed_foreground_insert the INSERT waits for every shard, otherwise each shard's rows
// go to a durable queue file (temp file, fsync, rename; checksummed) that a background sender
// delivers and deletes — acknowledged rows survive a restart. SYSTEM FLUSH DISTRIBUTED drains it.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/cluster.h"
#include "storage/storage.h"

namespace basalt {

class Analyzer;
struct ExprNode;
using ExprNodePtr = std::shared_ptr<ExprNode>;

class StorageDistributed final : public IStorage, public std::enable_shared_from_this<StorageDistributed> {
public:
    // ENGINE = Distributed(cluster, db, table[, sharding_key]): the cluster is looked up by name at
    // each use. `data_dir` holds the insert queue ("" = no queue: inserts are synchronous).
    StorageDistributed(TableMetadata md, std::string cluster_name, std::string remote_database, std::string remote_table,
                       ASTPtr sharding_key, std::string data_dir);
    // remote() / cluster() / clusterAllReplicas(): a fixed cluster.
    StorageDistributed(TableMetadata md, std::shared_ptr<const Cluster> cluster, std::string remote_database, std::string remote_table);
    ~StorageDistributed() override;

    // Starts the queue sender (files left by a previous run are sent too).
    void startup();
    void shutdown() override;
    void drop() override;

    std::string engineName() const override { return "Distributed"; }
    std::vector<std::pair<std::string, DataTypePtr>> virtualColumns() const override;
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    Sources read(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;

    // Runs `query_text` on one replica of every shard; one source per shard producing blocks shaped
    // like `header` (cast by position where the shard's types differ). A shard with no reachable
    // replica fails the query, or is skipped under skip_unavailable_shards. `shard_num_pos`: where
    // header has the _shard_num column the shards do not send (SIZE_MAX: none); `count_only`: the
    // query is a `SELECT count()` whose value becomes rows.
    // `external`: temporary tables sent with the query (GLOBAL IN subquery results).
    using ExternalTables = std::vector<std::pair<std::string, std::vector<Block>>>;
    Sources readQuery(const std::string& query_text, const Block& header, QueryContext& ctx, size_t shard_num_pos = SIZE_MAX, bool count_only = false,
                      const ExternalTables& external = {});
    // The result header of `query_text` as the first shard reports it (a LIMIT 0 run).
    Block remoteHeader(const std::string& query_text, QueryContext& ctx, const ExternalTables& external = {});

    // SYSTEM FLUSH DISTRIBUTED: sends every queued block now; throws the first delivery error.
    void flushQueue();
    // SYSTEM STOP / START DISTRIBUTED SENDS.
    void setSendsStopped(bool stopped);
    // Queued files and bytes not yet delivered (system.distribution_queue).
    struct QueueStatus { std::string destination; uint64_t files = 0, bytes = 0; std::string last_error; };
    std::vector<QueueStatus> queueStatus() const;

    std::shared_ptr<const Cluster> cluster() const;
    const std::string& clusterName() const { return cluster_name_; }
    const std::string& remoteDatabase() const { return remote_database_; }
    const std::string& remoteTable() const { return remote_table_; }
    std::string remoteTableSQL() const;   // `db`.`table`, quoted
    bool hasShardingKey() const { return sharding_key_ != nullptr; }
    // TYPE_MISMATCH (53) unless the sharding key is an integer expression over `header`'s columns.
    void checkShardingKey(const Block& header, QueryContext& ctx) const;

private:
    ExprNodePtr analyzeShardingKey(Analyzer& analyzer, const Block& block) const;
    // Rows of `blocks` split per shard (index into cluster().shards).
    std::vector<std::vector<Block>> splitByShard(const Cluster& cluster, std::vector<Block> blocks, QueryContext& ctx) const;
    void sendToShard(const ClusterShard& shard, const std::vector<Block>& blocks, const Settings& settings) const;
    void enqueue(const std::string& destination, const std::vector<Block>& blocks);
    // Sends the queued files of every destination; false when a delivery failed.
    bool sendQueued(std::string* first_error);
    void senderLoop();

    std::string cluster_name_;
    std::shared_ptr<const Cluster> fixed_cluster_;
    std::string remote_database_, remote_table_;
    ASTPtr sharding_key_;
    std::string data_dir_;

    mutable std::mutex queue_mutex_;     // guards seq_, last_errors_; held while sending (one sender at a time)
    std::mutex send_mutex_;
    std::condition_variable wake_;
    bool stop_ = false, sends_stopped_ = false, pending_ = false;   // pending_: new files since the sender last looked
    uint64_t seq_ = 0;
    std::map<std::string, std::string> last_errors_;
    std::thread sender_;
};

}  // namespace basalt
