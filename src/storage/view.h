// view.h — View and MaterializedView table engines.
//   View: a stored SELECT; reading it runs the SELECT as a subquery (the SELECT executor expands it).
//   MaterializedView: an insert trigger. Every block inserted into its source table is run through
//   its SELECT (the source replaced by just that block) and the result is inserted into its target:
//   the `TO db.table` table, or an inner table it owns (ENGINE = ... in its definition, data in
//   the view's own directory). Reads and INSERTs addressed to the view go to the target. The
//   interpreter (interpreter/insert_pipeline.cpp) runs the triggers and publishes the source rows
//   and every view's rows together.
#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "storage/storage.h"

namespace basalt {

struct ASTSelectWithUnion;

class StorageView final : public IStorage {
public:
    StorageView(TableMetadata md, std::shared_ptr<ASTSelectWithUnion> query);
    std::string engineName() const override { return "View"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    const std::shared_ptr<ASTSelectWithUnion>& query() const { return query_; }

private:
    std::shared_ptr<ASTSelectWithUnion> query_;
};

class StorageMaterializedView final : public IStorage, public std::enable_shared_from_this<StorageMaterializedView> {
public:
    // inner: the owned target (ENGINE = ...), or null with target_database/target_table (TO ...).
    StorageMaterializedView(TableMetadata md, std::shared_ptr<ASTSelectWithUnion> query, std::string source_database, std::string source_table,
                            std::string target_database, std::string target_table, StoragePtr inner);
    std::string engineName() const override { return "MaterializedView"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    void truncate() override;
    void drop() override;
    void shutdown() override;
    std::optional<uint64_t> totalRows() const override;
    std::optional<uint64_t> totalBytes() const override;

    std::shared_ptr<ASTSelectWithUnion> query() const;
    std::string sourceDatabase() const;
    std::string sourceTable() const;
    // ALTER TABLE mv MODIFY QUERY: the new SELECT and its source table (for INSERTs that start after).
    void setQuery(std::shared_ptr<ASTSelectWithUnion> query, std::string source_database, std::string source_table);
    bool hasInnerTable() const { return inner_ != nullptr; }
    // The table rows go to (throws UNKNOWN_TABLE when a TO table is gone).
    StoragePtr target(QueryContext& ctx) const;
    std::string targetName() const { return target_database_ + "." + target_table_; }
    // The name INSERTs into the target go by: the TO table, or the view itself for an inner table
    // (whose own views are looked up under the view's name).
    std::pair<std::string, std::string> insertTarget(const std::string& view_database, const std::string& view_name) const {
        if (inner_) return {view_database, view_name};
        return {target_database_, target_table_};
    }

    // ---- refreshable views (REFRESH EVERY|AFTER): the whole SELECT re-run on a schedule; its
    // result replaces the target's rows at once (APPEND: is inserted). Not insert triggers.
    struct RefreshSpec {
        bool every = true;          // EVERY: at multiples of the period (+ offset); AFTER: period after the last refresh
        int64_t period = 0, offset = 0;   // seconds
        bool append = false;
    };
    struct RefreshState {
        std::string status = "Scheduled";   // Scheduled, Running, Disabled
        std::optional<int64_t> last_success_time, last_success_duration_ms, last_refresh_time, next_refresh_time;
        std::string exception;
        uint64_t retry = 0;
        std::optional<uint64_t> written_rows;
    };
    // Runs the SELECT (the view's current one) into the target; returns rows written.
    using Refresher = std::function<uint64_t(const std::shared_ptr<ASTSelectWithUnion>& query)>;
    void setRefresh(RefreshSpec spec, Refresher run);
    bool refreshable() const { return refresh_ != nullptr; }
    void refreshNow();        // in the calling thread (CREATE, SYSTEM REFRESH VIEW); errors recorded, not thrown
    void refreshIfDue();      // the scheduler's tick
    void setRefreshStopped(bool stopped);
    void waitRefresh();       // SYSTEM WAIT VIEW: returns once no refresh is running
    RefreshState refreshState() const;

private:
    mutable std::mutex query_mutex_;   // query_ and the source, replaced by MODIFY QUERY
    struct Refresh {
        RefreshSpec spec;
        Refresher run;
        mutable std::mutex mutex;   // state below
        std::mutex running;         // one refresh at a time
        RefreshState state;
        bool stopped = false;
        bool shut_down = false;   // no refresh after shutdown() (guarded by mutex)
    };
    std::unique_ptr<Refresh> refresh_;
    int64_t nextRefreshAfter(int64_t now) const;

    std::shared_ptr<ASTSelectWithUnion> query_;
    std::string source_database_, source_table_;
    std::string target_database_, target_table_;
    StoragePtr inner_;
};

}  // namespace basalt
