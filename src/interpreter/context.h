// context.h — QueryContext: everything one statement needs while it runs (settings, catalog, current
// database, memory tracker, deadline and cancellation), owned by the session that runs it.
#pragma once
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/memory_tracker.h"
#include "formats/format.h"
#include "functions/function.h"
#include "interpreter/settings.h"

namespace basalt {

class Catalog;
class IStorage;

struct QueryContext {
    Settings settings;
    Catalog* catalog = nullptr;
    std::string current_database = "default";
    std::string current_user = "default";
    std::shared_ptr<MemoryTracker> memory = MemoryTracker::create();
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::atomic<bool> cancelled{false};
    int subquery_depth = 0;
    // Materialized-view triggers: "db.table" read as these storages (the inserted block) instead.
    std::map<std::string, std::shared_ptr<IStorage>> table_overrides;
    // Values of {name:Type} query parameters, as text (parameterized views, HTTP param_name).
    std::map<std::string, std::string> query_parameters;
    // CREATE VIEW: tables read as empty (only the result's header is wanted).
    bool empty_sources = false;
    bool saw_query_parameters = false;   // set by the analyzer under empty_sources (a parameterized view)
    bool explain_indexes = false;   // EXPLAIN indexes = 1: list index analysis per table read
    // EXPLAIN ESTIMATE: per MergeTree table read, (database, table, parts, rows, marks) selected.
    struct ReadEstimate { std::string database, table; uint64_t parts = 0, rows = 0, marks = 0; };
    std::vector<ReadEstimate>* estimates = nullptr;
    // What the statement did (system.query_log): rows/bytes read from storages, written by INSERTs.
    // Shards a Distributed read skipped under skip_unavailable_shards ("2, 3"): the result is partial.
    std::string skipped_shards;
    std::atomic<uint64_t> read_rows{0}, read_bytes{0}, written_rows{0}, written_bytes{0};

    FormatSettings formatSettings() const;
    FunctionContext functionContext() const;
    // Throws TIMEOUT_EXCEEDED (159) past max_execution_time and QUERY_WAS_CANCELLED (394) when cancelled.
    void checkLimits() const;
    size_t threads() const { return settings.effectiveThreads(); }
    double elapsedSeconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
};

}  // namespace basalt
