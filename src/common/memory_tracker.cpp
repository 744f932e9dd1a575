// memory_tracker.cpp — see memory_tracker.h.
#include "common/memory_tracker.h"

#include <sys/mman.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "common/exception.h"

namespace basalt {

static std::string formatReadableSize(int64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) { v /= 1024; ++u; }
    char buf[64];
    snprintf(buf, sizeof(buf), "%.2f %s", v, units[u]);
    return buf;
}

void MemoryTracker::alloc(int64_t bytes) {
    int64_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    int64_t limit = limit_.load(std::memory_order_relaxed);
    if (limit > 0 && now > limit && bytes > 0) {
        used_.fetch_sub(bytes, std::memory_order_relaxed);
        throw Exception(ErrorCodes::MEMORY_LIMIT_EXCEEDED,
                        std::string(level_) + " memory limit exceeded: would use " + formatReadableSize(now) +
                            " (attempt to allocate chunk of " + std::to_string(bytes) +
                            " bytes), maximum: " + formatReadableSize(limit));
    }
    if (parent_) {
        try {
            parent_->alloc(bytes);
        } catch (...) {
            used_.fetch_sub(bytes, std::memory_order_relaxed);
            throw;
        }
    }
    int64_t p = peak_.load(std::memory_order_relaxed);
    while (now > p && !peak_.compare_exchange_weak(p, now, std::memory_order_relaxed)) {}
}

MemoryTracker*& currentMemoryTracker() {
    thread_local MemoryTracker* t = nullptr;
    return t;
}

namespace {
constexpr size_t kHeader = 16;  // keeps 16-byte alignment of the payload
// Big blocks are 2 MiB-aligned so that hash tables can ask for transparent huge pages
// (adviseHugePages): random access into a 64 MiB hash table otherwise pays a TLB miss per probe.
// Columns do not: they are written sequentially, and a huge-page fault zeroes 2 MiB at once — for a
// large INSERT that made page clearing a third of the CPU time.
constexpr size_t kHugeThreshold = size_t(4) << 20;
constexpr size_t kHugePage = size_t(2) << 20;

// Freed big blocks kept for reuse, up to kCacheLimit bytes: hash tables and big buffers come back in
// the same power-of-two sizes query after query, and fresh memory costs a kernel page clear on first
// touch (a fifth of a 1M-group GROUP BY). Off under AddressSanitizer, which must see every free.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kCacheLimit = 0;
#else
constexpr size_t kCacheLimit = size_t(256) << 20;
#endif
struct BigBlockCache {
    std::mutex mutex;
    std::multimap<size_t, void*> blocks;
    size_t bytes = 0;
};
BigBlockCache& bigBlockCache() {
    static BigBlockCache* cache = new BigBlockCache;   // never destroyed: frees may come during exit
    return *cache;
}

size_t roundedHuge(size_t total) { return (total + kHugePage - 1) / kHugePage * kHugePage; }
// Blocks of 1-4 MiB (result columns of a million-group aggregation) are cached too, rounded to
// 64 KiB: glibc's per-thread heaps give them back to the kernel when freed, and the next query's
// page faults then zero them again.
constexpr size_t kCacheThreshold = size_t(1) << 20;
size_t roundedCached(size_t total) {
    if (total >= kHugeThreshold) return roundedHuge(total);
    constexpr size_t kStep = size_t(64) << 10;
    return (total + kStep - 1) / kStep * kStep;
}

char* rawAlloc(size_t total) {
    if (total < kCacheThreshold || (!kCacheLimit && total < kHugeThreshold)) return static_cast<char*>(std::malloc(total));
    size_t rounded = roundedCached(total);
    if (kCacheLimit) {
        auto& c = bigBlockCache();
        std::lock_guard lock(c.mutex);
        auto it = c.blocks.find(rounded);
        if (it != c.blocks.end()) {
            void* p = it->second;
            c.blocks.erase(it);
            c.bytes -= rounded;
            return static_cast<char*>(p);
        }
    }
    if (total < kHugeThreshold) return static_cast<char*>(std::malloc(rounded));
    return static_cast<char*>(std::aligned_alloc(kHugePage, rounded));
}

// `total`: the size the block was allocated with (rawAlloc's argument).
void rawFree(char* base, size_t total) {
    if (total < kCacheThreshold || (!kCacheLimit && total < kHugeThreshold)) { std::free(base); return; }
    size_t rounded = roundedCached(total);
    if (kCacheLimit && rounded <= kCacheLimit / 4) {
        auto& c = bigBlockCache();
        std::vector<void*> evicted;
        {
            std::lock_guard lock(c.mutex);
            // Full: the smallest blocks make room (cheapest to fault in again), so sizes that
            // stopped coming back do not keep the cache full for good.
            while (c.bytes + rounded > kCacheLimit && !c.blocks.empty()) {
                c.bytes -= c.blocks.begin()->first;
                evicted.push_back(c.blocks.begin()->second);
                c.blocks.erase(c.blocks.begin());
            }
            c.blocks.emplace(rounded, base);
            c.bytes += rounded;
        }
        for (void* p : evicted) std::free(p);
        return;
    }
    std::free(base);
}
}

void adviseHugePages(void* p, size_t bytes) {
    if (bytes < kHugeThreshold) return;
    uintptr_t b = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
    uintptr_t e = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHugePage - 1);
    if (e > b) madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
}

// glibc serves blocks above 128 KiB-32 MiB with mmap and returns them with munmap, so a query that
// allocates a 512 KiB column per block page-faults on every block (and shoots down TLBs). Keep
// such blocks in the heap instead.
static const bool kMallocTuned = [] {
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return true;
}();

void* trackedAlloc(size_t bytes) {
    MemoryTracker* t = currentMemoryTracker();
    if (t) t->alloc(int64_t(bytes));
    char* p = rawAlloc(bytes + kHeader);
    if (!p) {
        if (t) t->free(int64_t(bytes));
        throw std::bad_alloc();
    }
    if (t) t->ref();
    std::memcpy(p, &t, sizeof(t));
    return p + kHeader;
}

void* trackedRealloc(void* ptr, size_t old_bytes, size_t new_bytes) {
    if (!ptr) return trackedAlloc(new_bytes);
    char* base = static_cast<char*>(ptr) - kHeader;
    MemoryTracker* owner;
    std::memcpy(&owner, base, sizeof(owner));
    if (owner && new_bytes > old_bytes) owner->alloc(int64_t(new_bytes - old_bytes));
    char* p;
    if (new_bytes + kHeader >= kCacheThreshold || old_bytes + kHeader >= kCacheThreshold) {
        p = rawAlloc(new_bytes + kHeader);
        if (p) {
            std::memcpy(p, base, std::min(old_bytes, new_bytes) + kHeader);
            rawFree(base, old_bytes + kHeader);
        }
    } else {
        p = static_cast<char*>(std::realloc(base, new_bytes + kHeader));
    }
    if (!p) {
        if (owner && new_bytes > old_bytes) owner->free(int64_t(new_bytes - old_bytes));
        throw std::bad_alloc();
    }
    if (owner && new_bytes < old_bytes) owner->free(int64_t(old_bytes - new_bytes));
    return p + kHeader;
}

void trackedFree(void* ptr, size_t bytes) {
    if (!ptr) return;
    char* base = static_cast<char*>(ptr) - kHeader;
    MemoryTracker* owner;
    std::memcpy(&owner, base, sizeof(owner));
    rawFree(base, bytes + kHeader);
    if (owner) { owner->free(int64_t(bytes)); owner->unref(); }
}

}  // namespace basalt
