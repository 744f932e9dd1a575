// memory_tracker.h — per-query memory accounting. Big allocations (column arrays, hash tables,
// arenas) go through trackedAlloc/trackedFree, which charge the MemoryTracker bound to the current
// thread; past max_memory_usage the allocation throws MEMORY_LIMIT_EXCEEDED (241) and the query
// unwinds while the process lives on.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace basalt {

// Trackers are reference counted: the query holds one reference and every live allocation holds
// one, so a column that outlives its query (a Memory table's data, a cached result) can still
// un-charge its tracker when freed. A tracker may charge a parent too (a query's tracker charges
// its user's: max_memory_usage_for_user), which lives as long as any child.
class MemoryTracker {
public:
    static std::shared_ptr<MemoryTracker> create(int64_t limit = 0, const char* level = "Query") {
        return std::shared_ptr<MemoryTracker>(new MemoryTracker(limit, level), [](MemoryTracker* t) { t->unref(); });
    }
    void ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
    void unref() { if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this; }
    void alloc(int64_t bytes);   // throws MEMORY_LIMIT_EXCEEDED past this or a parent's limit (and un-charges)
    void free(int64_t bytes) {
        used_.fetch_sub(bytes, std::memory_order_relaxed);
        if (parent_) parent_->free(bytes);
    }
    int64_t used() const { return used_.load(std::memory_order_relaxed); }
    int64_t peak() const { return peak_.load(std::memory_order_relaxed); }
    void setLimit(int64_t l) { limit_.store(l, std::memory_order_relaxed); }
    // Set before the tracker is charged (query start); not changed afterwards.
    void setParent(std::shared_ptr<MemoryTracker> parent) { parent_ = std::move(parent); }

private:
    MemoryTracker(int64_t limit, const char* level) : limit_(limit), level_(level) {}
    std::atomic<int64_t> refs_{1};
    std::atomic<int64_t> used_{0};
    std::atomic<int64_t> peak_{0};
    std::atomic<int64_t> limit_;
    const char* level_;   // "Query", "User": the error names the limit that was hit
    std::shared_ptr<MemoryTracker> parent_;
};

// The tracker charged by allocations on this thread (nullptr = untracked).
MemoryTracker*& currentMemoryTracker();

// Binds a tracker to the current thread for a scope (query threads bind the query's tracker).
struct MemoryTrackerScope {
    MemoryTracker* saved;
    explicit MemoryTrackerScope(MemoryTracker* t) : saved(currentMemoryTracker()) { currentMemoryTracker() = t; }
    ~MemoryTrackerScope() { currentMemoryTracker() = saved; }
};

// The tracker pointer is stored in a header before each block so frees un-charge the tracker that
// was charged, even when a column outlives its query or is freed on another thread.
void* trackedAlloc(size_t bytes);
void* trackedRealloc(void* p, size_t old_bytes, size_t new_bytes);
void trackedFree(void* p, size_t bytes);
// Asks for transparent huge pages over the whole 2 MiB pages inside [p, p + bytes) (big hash
// tables, randomly accessed); a no-op for small blocks.
void adviseHugePages(void* p, size_t bytes);

}  // namespace basalt
