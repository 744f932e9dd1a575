// process_list.h — the statements running right now, across all sessions of the process
// (system.processes, KILL QUERY, the server's max_concurrent_queries). An entry lives exactly as
// long as its statement: Session::execute adds it and the returned handle removes it; the list's
// mutex makes KILL's cancel and the removal mutually exclusive, so a killed context is never gone.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/memory_tracker.h"

namespace basalt {

struct QueryContext;

class ProcessList {
public:
    struct Info {
        std::string query_id, user, address, interface, query, current_database;
        std::chrono::steady_clock::time_point start;
    };
    struct Row {
        Info info;
        double elapsed = 0;
        uint64_t read_rows = 0, read_bytes = 0, written_rows = 0, written_bytes = 0;
        int64_t memory_usage = 0, peak_memory_usage = 0;
        bool cancelled = false;
    };

    class Handle {
    public:
        Handle(ProcessList& list, uint64_t id) : list_(list), id_(id) {}
        ~Handle() { list_.remove(id_); }
        Handle(const Handle&) = delete;
        Handle& operator=(const Handle&) = delete;
    private:
        ProcessList& list_;
        uint64_t id_;
    };

    // Registers a running statement; `ctx` must outlive the handle.
    std::unique_ptr<Handle> add(Info info, QueryContext& ctx);
    std::vector<Row> snapshot() const;
    // Cancels the statements with these query ids; returns the ids found.
    std::vector<std::string> cancel(const std::vector<std::string>& query_ids);
    // Whether a statement with this id is still running.
    bool running(const std::string& query_id) const;
    // The memory tracker all running statements of `user` charge (max_memory_usage_for_user):
    // shared while any of them runs, fresh once none does; `limit` (0 = none) replaces its limit
    // unless negative.
    std::shared_ptr<MemoryTracker> userMemory(const std::string& user, int64_t limit);

private:
    void remove(uint64_t id);
    struct Entry {
        Info info;
        QueryContext* ctx;
    };
    mutable std::mutex mutex_;
    std::map<uint64_t, Entry> entries_;
    std::map<std::string, std::weak_ptr<MemoryTracker>> user_memory_;
    uint64_t next_id_ = 1;
};

}  // namespace basalt
