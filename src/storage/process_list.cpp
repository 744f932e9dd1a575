// process_list.cpp — see process_list.h.
#include "storage/process_list.h"

#include "interpreter/context.h"

namespace basalt {

std::unique_ptr<ProcessList::Handle> ProcessList::add(Info info, QueryContext& ctx) {
    std::lock_guard lock(mutex_);
    uint64_t id = next_id_++;
    entries_.emplace(id, Entry{std::move(info), &ctx});
    return std::make_unique<Handle>(*this, id);
}

void ProcessList::remove(uint64_t id) {
    std::lock_guard lock(mutex_);
    entries_.erase(id);
}

std::vector<ProcessList::Row> ProcessList::snapshot() const {
    std::lock_guard lock(mutex_);
    std::vector<Row> rows;
    auto now = std::chrono::steady_clock::now();
    for (auto& [id, e] : entries_) {
        Row r;
        r.info = e.info;
        r.elapsed = std::chrono::duration<double>(now - e.info.start).count();
        r.read_rows = e.ctx->read_rows;
        r.read_bytes = e.ctx->read_bytes;
        r.written_rows = e.ctx->written_rows;
        r.written_bytes = e.ctx->written_bytes;
        r.memory_usage = e.ctx->memory->used();
        r.peak_memory_usage = e.ctx->memory->peak();
        r.cancelled = e.ctx->cancelled;
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<std::string> ProcessList::cancel(const std::vector<std::string>& query_ids) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> found;
    for (auto& [id, e] : entries_)
        for (auto& q : query_ids)
            if (e.info.query_id == q) {
                e.ctx->cancelled = true;
                found.push_back(q);
            }
    return found;
}

bool ProcessList::running(const std::string& query_id) const {
    std::lock_guard lock(mutex_);
    for (auto& [id, e] : entries_)
        if (e.info.query_id == query_id) return true;
    return false;
}

std::shared_ptr<MemoryTracker> ProcessList::userMemory(const std::string& user, int64_t limit) {
    std::lock_guard lock(mutex_);
    bool user_running = false;
    for (auto& [id, e] : entries_) user_running = user_running || e.info.user == user;
    // Called before the statement registers. With none of the user's statements running, a fresh
    // tracker: what an earlier one left allocated (rows kept in a Memory table) no longer counts.
    std::shared_ptr<MemoryTracker> t = user_running ? user_memory_[user].lock() : nullptr;
    if (!t) {
        t = MemoryTracker::create(0, "User");
        user_memory_[user] = t;
    }
    for (auto it = user_memory_.begin(); it != user_memory_.end();) it = it->second.expired() ? user_memory_.erase(it) : std::next(it);
    if (limit >= 0) t->setLimit(limit);
    return t;
}

}  // namespace basalt
