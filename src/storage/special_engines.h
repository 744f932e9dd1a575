// special_engines.h — small table engines ClickHouse users reach for around pipelines:
//   Null           discards writes (materialized views on it still run), reads nothing
//   Set            the rows of a set kept in memory, for `x IN set_table` (not readable, as ClickHouse)
//   Join(strictness, kind, keys...)  rows kept in memory with a key index, for joinGet('j', 'col', keys...)
//                  (ANY: the first row of a key wins; the index is a Dictionary over the rows)
//   Merge(db, regexp)  reads the union of the tables of `db` whose names match `regexp`
// Set and Join keep data in RAM only (ClickHouse persists them; a restart empties them here).
#pragma once
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/block_log.h"
#include "storage/storage.h"

namespace basalt {

class Dictionary;
class Catalog;

class StorageNull final : public IStorage {
public:
    explicit StorageNull(TableMetadata md) { metadata_ = std::move(md); }
    std::string engineName() const override { return "Null"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block>, QueryContext&) override {}
    std::optional<uint64_t> totalRows() const override { return 0; }
};

class StorageSet final : public IStorage {
public:
    // `data_dir`: where the rows persist ("" = RAM only, `SETTINGS persistent = 0`).
    StorageSet(TableMetadata md, const std::string& data_dir);
    std::string engineName() const override { return "Set"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    void truncate() override;
    std::optional<uint64_t> totalRows() const override;
    // Every row written so far (the right side of IN).
    std::shared_ptr<const std::vector<Block>> rows() const;

private:
    StoredBlocks blocks_;
};

class StorageJoin final : public IStorage {
public:
    // keys: the Join(...) key columns; any: ANY strictness (first row of a key wins).
    StorageJoin(TableMetadata md, std::string database, std::string name, std::vector<std::string> keys, bool any, const std::string& data_dir,
                bool use_nulls = false);
    std::string engineName() const override { return "Join"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    void truncate() override;
    std::optional<uint64_t> totalRows() const override;
    // The key -> row index over the rows (joinGet looks up through it).
    const std::shared_ptr<Dictionary>& index() const { return index_; }
    // The engine's JOIN it serves: a SELECT ... JOIN must use the same strictness, kind, keys and
    // join_use_nulls (INCOMPATIBLE_TYPE_OF_JOIN otherwise).
    struct Spec { std::string strictness, kind; std::vector<std::string> keys; bool use_nulls = false; };
    void setSpec(Spec s) { spec_ = std::move(s); }
    const Spec& spec() const { return spec_; }

private:
    StoredBlocks blocks_;
    std::shared_ptr<Dictionary> index_;
    Spec spec_;
};

// Buffer(db, table, layers, min_time, max_time, min_rows, max_rows, min_bytes, max_bytes): INSERTs
// collect in RAM and are flushed to db.table (as an INSERT there, its views included) when a max
// threshold is passed or all min thresholds are, every second by time, on OPTIMIZE and DROP. Reads
// return the buffered rows and the destination's. Unflushed rows are lost on a crash (as in ClickHouse).
class StorageBuffer final : public IStorage, public std::enable_shared_from_this<StorageBuffer> {
public:
    struct Thresholds { int64_t min_time = 0, max_time = 0; uint64_t min_rows = 0, max_rows = 0, min_bytes = 0, max_bytes = 0; };
    using Flusher = std::function<void(std::vector<Block>)>;   // INSERT into the destination
    StorageBuffer(TableMetadata md, std::string dest_database, std::string dest_table, Thresholds t, Catalog* catalog, Flusher flusher);
    std::string engineName() const override { return "Buffer"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    void drop() override { flush(); }
    void truncate() override;
    std::optional<uint64_t> totalRows() const override;
    void flush();          // OPTIMIZE TABLE, DROP; throws the destination's error (rows stay buffered)
    void flushIfDue();     // background tick
    void flushBeforeShutdown() override { flush(); }
    void shutdown() override;   // no background flush after it (waits for one in flight)

private:
    void flushImpl(bool background);
    std::string dest_database_, dest_table_;
    Thresholds t_;
    Catalog* catalog_;
    Flusher flusher_;
    mutable std::mutex mutex_;
    std::mutex flush_mutex_;
    std::vector<Block> blocks_;
    uint64_t rows_ = 0, bytes_ = 0;
    int64_t first_write_ = 0;
    bool shut_down_ = false;   // guarded by flush_mutex_
};

class StorageMerge final : public IStorage {
public:
    StorageMerge(TableMetadata md, std::string database, std::string regexp, Catalog* catalog);
    std::string engineName() const override { return "Merge"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    Sources read(const std::vector<std::string>& columns, const SelectQueryInfo& info, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    std::vector<std::pair<std::string, DataTypePtr>> virtualColumns() const override;   // _table
    // Names of the tables read now (matching, not this table, not other Merge tables).
    std::vector<std::pair<std::string, StoragePtr>> tables() const;

private:
    std::string database_, regexp_;
    Catalog* catalog_;
};

}  // namespace basalt
