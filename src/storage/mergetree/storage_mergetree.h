// storage_mergetree.h — the MergeTree table engine: a set of immutable sorted parts per partition
// (part.h), written one per INSERT block and partition, merged in the background, read through
// partition pruning and the sparse primary index (key_condition.h).
//
// Ownership and concurrency: the table owns its active part list, published as an immutable
// snapshot (shared_ptr) under mutex_. Readers take a snapshot and never block writers; a merge or
// INSERT builds its parts outside the lock and swaps them in under it. Superseded parts are
// flagged and their directories removed when the last snapshot holding them is released.
#pragma once
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "storage/mergetree/key_condition.h"
#include "storage/mergetree/part.h"
#include "storage/storage.h"

namespace basalt {

struct ExprNode;
using ExprNodePtr = std::shared_ptr<ExprNode>;

struct MergeTreeSettings {
    uint64_t index_granularity = 8192;
    uint64_t parts_to_throw_insert = 3000;
    uint64_t parts_to_delay_insert = 1000;
    uint64_t max_parts_to_merge_at_once = 100;
    uint64_t min_compress_block_size = 65536;
    uint64_t max_compress_block_size = 1048576;
    uint64_t merge_max_block_size = 8192;
    bool assign_part_uuids = false;
    std::map<std::string, std::string> other;   // accepted ClickHouse settings without effect here

    // UNKNOWN_SETTING (115) for names ClickHouse's MergeTree does not have.
    void apply(const std::string& name, const Field& value);
};

// What one read selected (for EXPLAIN indexes and system.query_log).
struct MergeTreeReadStats {
    size_t parts_total = 0, parts_after_partition = 0, parts_selected = 0;
    size_t granules_total = 0, granules_after_partition = 0, granules_selected = 0;
};

class StorageMergeTree final : public IStorage, public std::enable_shared_from_this<StorageMergeTree> {
public:
    // Validates the engine clauses (keys over known columns, codecs, settings). `attach`: the
    // table already exists on disk (server start) — its parts are loaded by startup().
    StorageMergeTree(TableMetadata md, std::shared_ptr<ASTCreateQuery> q, std::string data_dir, QueryContext& ctx);
    ~StorageMergeTree() override;

    // Loads parts from disk (removing temporary leftovers, rolling back unacknowledged inserts,
    // setting broken parts aside in detached/) and schedules background merges.
    void startup();
    void shutdown();
    // SYSTEM STOP/START MERGES: background merges pause (OPTIMIZE still merges).
    void setMergesStopped(bool stopped);
    // SYSTEM STOP/START MERGES without a table: every table, including ones created later.
    static void setAllMergesStopped(bool stopped);

    std::string engineName() const override { return "MergeTree"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    Sources read(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    void truncate() override;
    void drop() override;
    std::optional<uint64_t> totalRows() const override;
    std::optional<uint64_t> totalBytes() const override;

    // OPTIMIZE TABLE [PARTITION id] [FINAL]: merges parts now; true if something was merged.
    bool optimize(const std::optional<std::string>& partition_id, bool final, QueryContext& ctx);
    // The partition ID a PARTITION expression names (a value or tuple of the partition key types).
    std::string partitionIdFromAST(const ASTPtr& partition, QueryContext& ctx) const;
    // One background merge step: selects and merges one range of parts; false if nothing to do.
    bool mergeStep();

    std::shared_ptr<const std::vector<DataPartPtr>> parts() const {
        std::lock_guard lock(mutex_);
        return parts_;
    }
    std::vector<std::string> brokenParts() const;
    const std::string& dataDir() const { return dir_; }
    const MergeTreeSettings& settings() const { return settings_; }
    const PartSchema& schema() const { return schema_; }
    std::string sortingKeyDescription() const;
    std::string partitionKeyDescription() const;
    std::string primaryKeyDescription() const;
    // Part/granule selection a filter gives (EXPLAIN indexes = 1).
    MergeTreeReadStats analyzeRead(const ASTPtr& filter, QueryContext& ctx) const;

private:
    struct KeyEvaluator;
    struct ReadTask;
    class Source;
    friend class Source;

    std::unique_ptr<KeyEvaluator> makeEvaluator(QueryContext& ctx) const;
    std::string partitionId(const Block& partition_row) const;
    std::vector<std::pair<DataPartPtr, std::vector<std::pair<size_t, size_t>>>> selectRanges(
        const std::shared_ptr<const std::vector<DataPartPtr>>& snap, const ASTPtr& filter, QueryContext& ctx, MergeTreeReadStats* stats) const;
    void checkPartsToThrow(const std::vector<MutableDataPartPtr>& adding) const;
    MutableDataPartPtr mergeParts(const std::vector<DataPartPtr>& parts, QueryContext& ctx);
    bool commitMerge(const std::vector<DataPartPtr>& sources, MutableDataPartPtr merged);
    std::vector<DataPartPtr> selectPartsToMerge(bool aggressive, const std::optional<std::string>& partition);
    void scheduleMerges();

    std::string dir_;
    MergeTreeSettings settings_;
    PartSchema schema_;
    std::vector<ASTPtr> sorting_key_, primary_key_, partition_key_;
    std::vector<std::string> minmax_columns_;

    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<DataPartPtr>> parts_;   // active parts, sorted by info
    std::set<std::string> merging_;                           // names of parts in a running merge
    std::atomic<int64_t> next_block_{1};
    std::atomic<bool> shutdown_{false};
    std::atomic<bool> merges_stopped_{false};
    std::mutex write_mutex_;                                  // serializes INSERT commits
    std::vector<std::string> broken_;
};

// The process-wide merge pool (background_pool_size threads): tables ask to be looked at after an
// insert; a worker runs mergeStep() on them while it finds work.
class BackgroundMergePool {
public:
    static BackgroundMergePool& instance();
    void schedule(const std::weak_ptr<StorageMergeTree>& table);
    void stop();
    ~BackgroundMergePool();

private:
    BackgroundMergePool();
    void worker();
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::weak_ptr<StorageMergeTree>> queue_;
    std::vector<std::thread> threads_;
    bool stop_ = false;
};

}  // namespace basalt
