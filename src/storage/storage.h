// storage.h — the table-engine interface (IStorage), sources of blocks (ISource), table metadata.
// Engines: Memory (memory.cpp), system tables (system_tables.cpp), table functions such as
// numbers/zeros/values/format/file (table_functions.cpp). MergeTree arrives in the storage issue
// behind the same interface.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "columns/block.h"
#include "sql/ast.h"

namespace basalt {

struct QueryContext;

struct ColumnDescription {
    std::string name;
    DataTypePtr type;
    std::string default_kind;   // "", DEFAULT, MATERIALIZED, ALIAS, EPHEMERAL
    ASTPtr default_expr;
    std::string codec;
    std::string comment;
};

struct ConstraintDescription {
    std::string name;
    ASTPtr expr;
};

struct TableMetadata {
    std::vector<ColumnDescription> columns;
    std::vector<ConstraintDescription> constraints;
    std::string comment;

    const ColumnDescription* find(const std::string& name) const {
        for (auto& c : columns) if (c.name == name) return &c;
        return nullptr;
    }
    // Columns a SELECT * returns (not MATERIALIZED/ALIAS/EPHEMERAL).
    std::vector<const ColumnDescription*> ordinary() const {
        std::vector<const ColumnDescription*> r;
        for (auto& c : columns)
            if (c.default_kind.empty() || c.default_kind == "DEFAULT") r.push_back(&c);
        return r;
    }
};

// A stream of blocks; read() returns an empty block (no columns, zero rows) at the end.
class ISource {
public:
    virtual ~ISource() = default;
    virtual Block read() = 0;
    // Rows and bytes the source read but did not return (filtered by PREWHERE inside the storage):
    // added to the query's read_rows / read_bytes.
    uint64_t filtered_rows = 0, filtered_bytes = 0;
};
using SourcePtr = std::unique_ptr<ISource>;
using Sources = std::vector<SourcePtr>;

// What a SELECT tells the storage beyond the column list, so it can skip data: the WHERE and
// PREWHERE conditions (alias-expanded, ANDed), when they refer to table columns only.
// Top-N dynamic filter for `ORDER BY column [DESC] LIMIT n` (ClickHouse's top-K dynamic filtering):
// while the query runs, the executor publishes the n-th best value of `column` among rows that
// passed the WHERE clause; a storage may then drop rows strictly worse, which cannot be in the
// result — before reading their other columns. Values are compared as doubles: rounding is
// monotonic, so the test only ever keeps a superset of the rows it must keep.
struct TopKThreshold {
    std::string column;
    bool descending = false;
    std::atomic<double> bound;
    explicit TopKThreshold(std::string c, bool desc)
        : column(std::move(c)), descending(desc), bound(desc ? -__builtin_inf() : __builtin_inf()) {}
    bool keeps(double v, double b) const { return descending ? v >= b : v <= b; }
    // Tightens the bound to `v` if it is better.
    void offer(double v) {
        double cur = bound.load(std::memory_order_relaxed);
        while ((descending ? v > cur : v < cur) && !bound.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {}
    }
};

// Whether a column of this type can drive a TopKThreshold (integers, Date, DateTime, Decimal32/64,
// Enums: no NULLs, no NaN), and its values as doubles for rows [0, column.size()).
bool topKComparable(const DataType& type);
void topKValues(const DataType& type, const IColumn& column, double* out);

struct SelectQueryInfo {
    ASTPtr filter;
    std::shared_ptr<TopKThreshold> topk;
    // Set by a storage that returns only rows satisfying `filter` exactly (MergeTree's PREWHERE):
    // the executor then does not filter again.
    mutable bool filter_applied = false;
    // Requested columns the query reads only to evaluate `filter`: where a storage that applies
    // the filter knows every row matches (MergeTree's exact index ranges), it need not read them
    // and returns constant defaults in their place.
    std::vector<std::string> filter_only_columns;
    bool final = false;   // FROM t FINAL (storages that support it merge rows by their engine's rules)
};

class IStorage {
public:
    virtual ~IStorage() = default;
    virtual std::string engineName() const = 0;
    virtual bool supportsFinal() const { return false; }
    // Columns readable by name but not part of the table (`_table` of Merge): not in SELECT *.
    virtual std::vector<std::pair<std::string, DataTypePtr>> virtualColumns() const { return {}; }
    const TableMetadata& metadata() const { return metadata_; }
    TableMetadata& metadata() { return metadata_; }

    // Up to num_streams sources producing blocks with exactly `columns` (in this order). An empty
    // column list means only the row count matters (count()).
    virtual Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) = 0;
    // Same, with the query's filter: engines with indexes (MergeTree) prune with it; rows that do not
    // match may still be returned (the executor filters again).
    virtual Sources read(const std::vector<std::string>& columns, const SelectQueryInfo&, QueryContext& ctx, size_t num_streams) {
        return read(columns, ctx, num_streams);
    }
    // Appends blocks atomically (all rows become visible at once, or none on error). Blocks carry
    // every physical column, already converted to the table types and checked.
    virtual void write(std::vector<Block> blocks, QueryContext& ctx);
    // Two-phase form of write (an INSERT and the materialized views it triggers publish together):
    // prepare does everything that can fail (for MergeTree: writes the parts to temporary
    // directories), commit() makes the rows visible; destroying an uncommitted write discards it.
    // Several prepared writes publish together (an INSERT and its views) in three steps:
    // prepareCommit() on all (MergeTree: an insert_intent file listing the new parts, so a crash
    // before the end rolls them back at startup), commit() on all, finishCommit() on all (the intent
    // files go). A crash anywhere before the last finishCommit leaves every table rolled back.
    class PreparedWrite {
    public:
        virtual ~PreparedWrite() = default;
        virtual void prepareCommit() {}
        virtual void commit() = 0;
        virtual void finishCommit() noexcept {}
    };
    virtual std::unique_ptr<PreparedWrite> prepareWrite(std::vector<Block> blocks, QueryContext& ctx);
    // Like prepareWrite, but commit() makes `blocks` the table's whole content (a refreshable view's
    // target); the default truncates and writes.
    virtual std::unique_ptr<PreparedWrite> prepareReplace(std::vector<Block> blocks, QueryContext& ctx);
    virtual void truncate();
    virtual std::optional<uint64_t> totalRows() const { return std::nullopt; }
    virtual std::optional<uint64_t> totalBytes() const { return std::nullopt; }
    virtual bool isSystem() const { return false; }
    // Called when the table is dropped (release data / files).
    virtual void drop() {}
    // Stops background work on the table and waits for what runs (the catalog's destructor).
    virtual void shutdown() {}
    // Called for every table before any is shut down: write out what lives only in RAM and has a
    // durable destination (Buffer tables flush into theirs).
    virtual void flushBeforeShutdown() {}

    // The CREATE statement the table was made with (SHOW CREATE TABLE, persistence).
    std::shared_ptr<ASTCreateQuery> create_query;

protected:
    TableMetadata metadata_;
};
using StoragePtr = std::shared_ptr<IStorage>;

// A source over already materialized blocks (subquery results, Memory snapshots).
class BlocksSource final : public ISource {
public:
    explicit BlocksSource(std::vector<Block> blocks, std::vector<size_t> positions = {}) : blocks_(std::move(blocks)), positions_(std::move(positions)) {}
    Block read() override;

private:
    std::vector<Block> blocks_;
    std::vector<size_t> positions_;   // columns to project (empty = all)
    size_t next_ = 0;
};

// Splits blocks round-robin into n sources sharing the list.
Sources splitBlocks(std::shared_ptr<const std::vector<Block>> blocks, const std::vector<size_t>& positions, size_t n, size_t total_rows_hint);

}  // namespace basalt
