// query_log.h — system.query_log: one entry per finished statement (QueryFinish) or failed one
// (ExceptionWhileProcessing), with what it read, wrote and returned, so users can see what a query
// touched (e.g. how many rows partition and primary-key pruning let through). Kept in memory by
// the catalog (bounded ring of the most recent entries); SYSTEM FLUSH LOGS is accepted for
// compatibility and has nothing to do.
#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace basalt {

struct QueryLogEntry {
    std::string type;              // QueryFinish / ExceptionWhileProcessing
    int64_t event_time = 0;        // unix seconds
    int64_t event_time_us = 0;
    int64_t query_start_time_us = 0;
    uint64_t query_duration_ms = 0;
    uint64_t read_rows = 0, read_bytes = 0;
    uint64_t written_rows = 0, written_bytes = 0;
    uint64_t result_rows = 0, result_bytes = 0;
    int64_t memory_usage = 0;
    std::string query, query_kind, current_database, query_id, exception;
    std::string user, address, interface, client_name;
    int32_t exception_code = 0;
};

class QueryLog {
public:
    explicit QueryLog(size_t capacity = 100000) : capacity_(capacity) {}
    void add(QueryLogEntry e) {
        std::lock_guard lock(mutex_);
        entries_.push_back(std::move(e));
        while (entries_.size() > capacity_) entries_.pop_front();
    }
    std::vector<QueryLogEntry> snapshot() const {
        std::lock_guard lock(mutex_);
        return {entries_.begin(), entries_.end()};
    }

private:
    mutable std::mutex mutex_;
    std::deque<QueryLogEntry> entries_;
    size_t capacity_;
};

}  // namespace basalt
