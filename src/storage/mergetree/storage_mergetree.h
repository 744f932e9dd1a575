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
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>

#include "storage/mergetree/key_condition.h"
#include "storage/mergetree/merging.h"
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
    uint64_t merge_with_ttl_timeout = 14400;   // seconds between TTL merges of one partition
    bool assign_part_uuids = false;
    bool allow_dimensions_outside_sorting_key = false;   // AggregatingMergeTree: plain columns outside the key
    std::map<std::string, std::string> other;   // accepted ClickHouse settings without effect here

    // UNKNOWN_SETTING (115) for names ClickHouse's MergeTree does not have.
    void apply(const std::string& name, const Field& value);
};

class StorageMergeTree;

// What a Replicated*MergeTree table (replication/replicated_merge_tree.h) changes in the engine:
// block numbers and the commit of inserted parts go through ZooKeeper, and merges are agreed
// through the replication log instead of being chosen locally. Installed before startup().
class MergeTreeReplication {
public:
    virtual ~MergeTreeReplication() = default;
    virtual void startup() = 0;    // the local parts are loaded: join the replica set
    virtual void shutdown() = 0;   // stop the replication thread, leave the active replicas
    virtual void drop() = 0;       // DROP TABLE: remove this replica (and the table, if last) from ZooKeeper
    // TABLE_IS_READ_ONLY (242) while the replica has no ZooKeeper session.
    virtual void checkWritable() const = 0;
    // A block number for a new part of `partition_id`, held (as a lock in ZooKeeper) until the
    // part is committed or releaseBlockNumber is called.
    virtual int64_t allocateBlockNumber(const std::string& partition_id) = 0;
    virtual void releaseBlockNumber(const std::string& partition_id, int64_t number) noexcept = 0;
    // Registers an inserted part already renamed into place (not yet visible): false when the
    // block is a duplicate of one inserted before (the caller removes the part).
    // UNKNOWN_STATUS_OF_INSERT (319) when ZooKeeper went away mid-commit: the part stays on disk
    // and is kept or removed once the outcome is known.
    virtual bool commitInsertedPart(const MergeTreeDataPart& part, bool deduplicate, const std::string& token, size_t index) = 0;
    virtual void wake() = 0;   // something changed locally (insert, START MERGES): look at the queue
    virtual bool optimize(const std::optional<std::string>& partition_id, bool final, QueryContext& ctx) = 0;
    virtual void truncate(QueryContext& ctx) = 0;
    // ALTER UPDATE / DELETE: the mutation goes to ZooKeeper with a block number as its version;
    // every replica registers it (registerReplicatedMutation) and applies it to its parts.
    virtual std::string mutate(const std::string& command, QueryContext& ctx, bool wait) = 0;
    // A local mutation replaced part `old_name` by `new_name` ("" when every row was deleted).
    virtual void partReplaced(const std::string& old_name, const std::string& new_name) noexcept = 0;
    // DROP / DETACH PARTITION: a DROP_RANGE entry through the log.
    virtual void dropPartition(const std::string& partition_id, bool detach, QueryContext& ctx) = 0;
};

// What one read selected (for EXPLAIN indexes and system.query_log).
struct MergeTreeReadStats {
    size_t parts_total = 0, parts_after_partition = 0, parts_selected = 0;
    size_t granules_total = 0, granules_after_partition = 0, granules_selected = 0;
    size_t rows_selected = 0;
    // Per skip index the filter could use, in declaration order: what was left before and after it.
    struct Skip {
        std::string name, description;
        size_t parts_before = 0, parts_after = 0, granules_before = 0, granules_after = 0;
    };
    std::vector<Skip> skip;
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
    void shutdown() override;
    // SYSTEM STOP/START MERGES: background merges pause (OPTIMIZE still merges).
    void setMergesStopped(bool stopped);
    // SYSTEM STOP/START MERGES without a table: every table, including ones created later.
    static void setAllMergesStopped(bool stopped);

    std::string engineName() const override;
    // The family member's merging mode (ReplacingMergeTree, SummingMergeTree, ...; see merging.h).
    const MergingParams& mergingParams() const { return merging_params_; }
    bool supportsFinal() const override { return !merging_params_.ordinary(); }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    Sources read(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t num_streams) override;
    // optimize_read_in_order: one stream returning rows ordered by the first `prefix` sorting-key
    // expressions (descending: reversed), merging the parts' granules lazily, so ORDER BY key
    // LIMIT n reads about n rows per part instead of the table.
    Sources readInOrder(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t prefix, bool descending);
    // The sorting key expressions (ORDER BY of the table).
    const std::vector<ASTPtr>& sortingKey() const { return sorting_key_; }
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    std::unique_ptr<PreparedWrite> prepareWrite(std::vector<Block> blocks, QueryContext& ctx) override;
    std::unique_ptr<PreparedWrite> prepareReplace(std::vector<Block> blocks, QueryContext& ctx) override;
    void truncate() override;
    void drop() override;
    void truncateLocal();   // removes every part here (no replication log)
    std::optional<uint64_t> totalRows() const override;
    std::optional<uint64_t> totalBytes() const override;

    // OPTIMIZE TABLE [PARTITION id] [FINAL] [DEDUPLICATE [BY ...]]: merges parts now; true if
    // something was merged. `deduplicate`: positions (in schema().columns) of the columns whose
    // equal values make rows duplicates (all columns when empty), applied to the merges it runs.
    bool optimize(const std::optional<std::string>& partition_id, bool final, QueryContext& ctx,
                  const std::vector<size_t>* deduplicate = nullptr);
    // ---- replication (Replicated*MergeTree)
    // The engine's ZooKeeper path and replica name arguments as written (macros unexpanded; empty
    // when the engine was given none: ClickHouse's defaults apply).
    bool isReplicatedEngine() const { return replicated_engine_; }
    const std::string& replicatedPathArgument() const { return replicated_path_arg_; }
    const std::string& replicaNameArgument() const { return replica_name_arg_; }
    void setReplication(std::unique_ptr<MergeTreeReplication> r) { replication_ = std::move(r); }
    MergeTreeReplication* replication() const { return replication_.get(); }
    bool mergesStopped() const;
    // Merges exactly the active parts `sources` into the part named `result` (what a MERGE_PARTS
    // entry of the replication log asks): Done, Covered (this replica has the result or a part
    // covering it already), Missing (some source is not active here) or Busy (a source is merging).
    enum class ExactMerge { Done, Covered, Missing, Busy };
    ExactMerge mergeExactly(const std::vector<std::string>& sources, const std::string& result, QueryContext& ctx);
    // Merge selection for the replication leader: like the background selector (aggressive: as
    // OPTIMIZE FINAL of `partition`), among ranges `allowed` accepts; nothing is reserved.
    using RangeFilter = std::function<bool(const MergeTreePartInfo& first, const MergeTreePartInfo& last)>;
    std::vector<DataPartPtr> selectMergeForReplication(bool aggressive, const std::optional<std::string>& partition, const RangeFilter& allowed);
    // The active part equal to `info` or covering it; null if none.
    DataPartPtr activePartCovering(const MergeTreePartInfo& info) const;
    // Verifies (checksums) the part in `dir` (a temporary directory under the table's), renames it
    // into place and makes it active, replacing the active parts it covers; returns their names.
    std::vector<std::string> attachPartFromDirectory(const std::string& dir, const MergeTreePartInfo& info);
    // Removes the active parts inside `range` (a DROP_RANGE entry; `detach`: hard links of them
    // go to detached/ first); returns their names.
    std::vector<std::string> dropPartsInRange(const MergeTreePartInfo& range, bool detach = false);
    // Moves an active part this replica has but the replica set does not know to detached/unexpected_<name>.
    void detachUnexpectedPart(const std::string& name);
    // A part directory that was renamed into place but never made active (an insert whose commit
    // had an unknown outcome): activated (true) or removed (false).
    void resolveUncommittedPart(const std::string& name, bool keep);
    const std::string& tableDirectory() const { return dir_; }
    // A mutation of the replication log, applied here from now on under `version` (no-op if known).
    void registerReplicatedMutation(int64_t version, const std::string& command, int64_t create_time);
    bool hasMutation(int64_t version) const;
    void waitForMutation(int64_t version, QueryContext& ctx) { waitMutation(version, ctx); }

    // The partition ID a PARTITION expression names (a value or tuple of the partition key types).
    std::string partitionIdFromAST(const ASTPtr& partition, QueryContext& ctx) const;
    // One background merge step: selects and merges one range of parts; false if nothing to do.
    bool mergeStep();

    // ---- ALTER TABLE (metadata already validated and rebuilt by the interpreter)
    // Mutations: rewrite each active part (of `partition`, if given) through `transform` — which
    // maps a block of the current columns to a block of the new ones and may drop rows — or, where
    // `affects(part)` is false, hard-link it unchanged under the new mutation version.
    struct Mutation {
        std::string command;                                   // the ALTER command as SQL (system.mutations, mutation_N.txt)
        std::optional<std::string> partition;
        std::function<bool(const DataPartPtr&)> affects;       // null: every part is rewritten
        std::function<Block(Block)> transform;                 // null: hard-link clone only
        std::map<std::string, std::string> renamed_from;       // new column name -> old (RENAME COLUMN)
        std::set<std::string> cleared_indexes;                 // CLEAR INDEX: clones drop these index files
    };
    // Applies a new table definition (ADD/DROP/MODIFY/RENAME COLUMN, settings, comments) and, if
    // given, the mutation that brings existing parts to it — atomically for readers. Waits for
    // pending data mutations first (they were built against the old structure).
    void alter(TableMetadata md, std::shared_ptr<ASTCreateQuery> q, const Mutation* mutation, QueryContext& ctx);
    // Data mutations (ALTER DELETE / UPDATE, MATERIALIZE INDEX / TTL, CLEAR COLUMN / INDEX), as
    // ClickHouse runs them: the mutation takes a block number as its version, is persisted as
    // mutation_<version>.txt and applied part by part in the background to every part whose data
    // version (mutation, else min_block) is below it — parts inserted later are not touched.
    // `wait` (mutations_sync > 0) returns once every such part is rewritten, or throws UNFINISHED
    // (341) when a part fails. Returns the mutation id.
    std::string mutate(const Mutation& m, QueryContext& ctx, bool wait);
    // Rebuilds a Mutation from its command SQL (after a restart); installed by the interpreter.
    using MutationBuilder = std::function<Mutation(StorageMergeTree&, const std::string& command, QueryContext&)>;
    static void setMutationBuilder(MutationBuilder builder);
    // KILL MUTATION: forgets a mutation (parts already rewritten stay so); false if unknown.
    bool killMutation(const std::string& mutation_id);
    // Evaluates `ast` (a predicate or expression over the table's columns) on blocks of this table.
    ExprNodePtr analyzeOverColumns(const ASTPtr& ast, QueryContext& ctx) const;

    // ---- partitions and parts
    void dropPartition(const std::optional<std::string>& partition_id, bool detach, QueryContext& ctx);
    void dropPart(const std::string& name, bool detach);
    // Attaches parts from detached/ (all of a partition, or one part by name) under new block numbers.
    size_t attachDetached(const std::optional<std::string>& partition_id, const std::optional<std::string>& part_name);
    // ATTACH PARTITION ... FROM src (replace = REPLACE PARTITION: drop our partition in the same swap).
    void attachPartitionFrom(StorageMergeTree& src, const std::string& partition_id, bool replace, QueryContext& ctx);
    // FREEZE: hard links of the active parts (of a partition) under shadow_dir.
    size_t freeze(const std::optional<std::string>& partition_id, const std::string& shadow_dir);
    bool sameStructure(const StorageMergeTree& o) const;

    // One row of system.mutations.
    struct MutationEntry {
        std::string id, command, partition_id;
        int64_t create_time = 0;
        int64_t version = 0;
        std::vector<std::string> parts_to_do;
        bool is_done = false;
        std::string fail_reason, failed_part;
        int64_t fail_time = 0;
    };
    std::vector<MutationEntry> mutations() const;

    // A merge in progress (system.merges).
    struct MergeEntry {
        std::string result_part, partition_id;
        std::vector<std::string> sources;
        int64_t start_us = 0;
        uint64_t total_rows = 0, total_bytes = 0;
        std::shared_ptr<std::atomic<uint64_t>> rows_read = std::make_shared<std::atomic<uint64_t>>(0);
    };
    std::vector<MergeEntry> runningMerges() const {
        std::lock_guard lock(mutex_);
        return running_merges_;
    }

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
    class InOrderSource;
    class FinalSource;
    class PreparedParts;
    // Renames prepared parts into place and swaps them into the active set, all at once.
    void publishParts(const std::vector<MutableDataPartPtr>& parts, bool replace = false, const std::string& outer_intent = "");
    // insert_intent_<block>.txt listing `parts` (durable); startup rolls back the parts of any left.
    std::string writeInsertIntent(const std::vector<MutableDataPartPtr>& parts);
    void removeInsertIntent(const std::string& intent) noexcept;
    friend class Source;
    friend class InOrderSource;

    std::unique_ptr<KeyEvaluator> makeEvaluator(QueryContext& ctx) const;
    // The primary-key columns (evaluated key expressions) of a block of the table's columns.
    Block primaryKeyColumns(const KeyEvaluator& ev, const Block& block) const;
    Block primaryKeyColumns(const Block& block, QueryContext& ctx) const;
    // Appends the skip-index expression columns of `input` (the evaluator's input columns) to keys.
    void appendSkipIndexColumns(const KeyEvaluator& ev, const Block& input, Block& keys) const;
    std::string partitionId(const Block& partition_row) const;
    std::vector<std::pair<DataPartPtr, std::vector<std::pair<size_t, size_t>>>> selectRanges(
        const std::shared_ptr<const std::vector<DataPartPtr>>& snap, const ASTPtr& filter, QueryContext& ctx, MergeTreeReadStats* stats,
        bool allow_skip_indexes = true, std::vector<std::vector<bool>>* exact = nullptr) const;
    // SELECT ... FINAL: parts merged in sorting-key order through the engine's merging mode.
    Sources readFinal(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t num_streams);
    // The table's schema and constant fills now, and `columns` resolved in it (NO_SUCH_COLUMN_IN_TABLE).
    struct ReadSnapshot {
        PartSchema schema;
        std::map<std::string, ColumnPtr> fill;
        std::vector<NameAndType> columns;
    };
    ReadSnapshot snapshotForRead(const std::vector<std::string>& columns) const;
    // Names of the columns the sorting key is computed from.
    std::vector<std::string> sortingKeySources() const;
    void checkPartsToThrow(const std::vector<MutableDataPartPtr>& adding) const;
    MutableDataPartPtr mergeParts(const std::vector<DataPartPtr>& parts, QueryContext& ctx, const std::vector<size_t>* deduplicate = nullptr);
    bool commitMerge(const std::vector<DataPartPtr>& sources, MutableDataPartPtr merged);
    std::vector<DataPartPtr> selectPartsToMerge(bool aggressive, const std::optional<std::string>& partition, const RangeFilter* allowed = nullptr);
    // Replicated tables: commit of the inserted parts through the replication (see PreparedParts).
    void publishReplicatedParts(std::vector<MutableDataPartPtr>& written, bool deduplicate, const std::string& token);
    // Throws NOT_IMPLEMENTED (48) for operations Replicated tables do not support yet.
    void requireNotReplicated(const char* what) const;
    // Drops parts whose every row's TTL has passed, without reading them; true if any went.
    bool dropExpiredParts();

    // A registered data mutation. Finished ones are kept (the last 100) for system.mutations.
    struct MutationState {
        int64_t version = 0;
        std::string command;
        std::optional<std::string> partition;
        int64_t create_time = 0;
        std::shared_ptr<const Mutation> mutation;   // null until rebuilt from `command` after a restart
        std::string fail_reason, failed_part;
        int64_t fail_time = 0;
        int64_t retry_after_ms = 0;                 // steady clock: backoff after a failure
        int64_t failures = 0;
        bool structural = false;                    // an ALTER's column rewrite: done when the ALTER returns
    };
    static std::string mutationId(int64_t version) { return "mutation_" + std::to_string(version) + ".txt"; }
    // True if `p` still needs mutation `m` (callers hold mutex_).
    static bool needsMutation(const MergeTreeDataPart& p, const MutationState& m);
    bool needsAnyMutation(const MergeTreeDataPart& p) const;
    bool hasPendingParts(const MutationState& m) const;   // some active part needs m (callers hold mutex_)
    // Applies the oldest mutation some free part needs (versions <= up_to) to one part; false if
    // there was nothing to do. Failures are recorded on the mutation, not thrown.
    bool mutationStep(QueryContext& ctx, int64_t up_to);
    MutableDataPartPtr mutatePart(const DataPartPtr& part, const Mutation& m, int64_t version, QueryContext& ctx);
    void waitMutation(int64_t version, QueryContext& ctx);
    void loadMutations();
    void forgetOldMutations();
    void scheduleMerges();

    std::string dir_;
    MergeTreeSettings settings_;
    PartSchema schema_;
    std::vector<ASTPtr> sorting_key_, primary_key_, partition_key_;
    MergingParams merging_params_;
    std::vector<std::string> minmax_columns_;

    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<DataPartPtr>> parts_;   // active parts, sorted by info
    std::set<std::string> merging_;                           // names of parts in a running merge
    std::atomic<int64_t> next_block_{1};
    std::atomic<bool> shutdown_{false};
    // mergeSteps in progress: shutdown() waits for them, including the release of the parts they
    // replaced (whose destructors delete directories).
    std::atomic<int> merge_steps_{0};
    std::atomic<bool> merges_stopped_{false};
    std::mutex write_mutex_;                                  // serializes INSERT commits and ALTERs
    // Table structure: INSERTs, merges and mutations hold it shared for their whole run; a change
    // of columns (ALTER) holds it exclusively, so no part is ever written with a stale structure.
    mutable std::shared_mutex structure_mutex_;
    std::vector<std::string> broken_;
    std::map<int64_t, MutationState> mutations_;              // by version
    std::condition_variable mutation_cv_;                     // a mutation step finished (with mutex_)
    std::map<std::string, int64_t> last_ttl_merge_;           // partition -> time of its last TTL merge
    std::vector<MergeEntry> running_merges_;
    std::map<std::string, ColumnPtr> fill_;                   // constant DEFAULTs of columns added by ALTER
    bool replicated_engine_ = false;
    std::string replicated_path_arg_, replica_name_arg_;
    std::unique_ptr<MergeTreeReplication> replication_;       // Replicated*MergeTree only

    std::vector<DataPartPtr> reserveParts(const std::optional<std::string>& partition, QueryContext& ctx);
    void releaseParts(const std::vector<DataPartPtr>& parts);
    void replaceParts(const std::vector<DataPartPtr>& removed, const std::vector<MutableDataPartPtr>& added);
    void rebuildSchema(QueryContext& ctx);
    void validateTTL(QueryContext& ctx) const;
};

// The process-wide merge pool (background_pool_size threads): tables ask to be looked at after an
// insert; a worker runs mergeStep() on them while it finds work.
class BackgroundMergePool {
public:
    static BackgroundMergePool& instance();
    void schedule(const std::weak_ptr<StorageMergeTree>& table);
    // Tables revisited every few seconds even without inserts (TTL expiry, mutation retries).
    void registerTable(const std::weak_ptr<StorageMergeTree>& table);
    void stop();
    ~BackgroundMergePool();

private:
    BackgroundMergePool();
    void worker();
    bool isQueued(const std::weak_ptr<StorageMergeTree>& table) const;   // callers hold mutex_
    void dropExpiredRegistrations();                                      // callers hold mutex_
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::weak_ptr<StorageMergeTree>> queue_;
    std::vector<std::weak_ptr<StorageMergeTree>> registered_;
    std::chrono::steady_clock::time_point last_tick_ = std::chrono::steady_clock::now();
    std::vector<std::thread> threads_;
    bool stop_ = false;
};

}  // namespace basalt
