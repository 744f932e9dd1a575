// memory_tracker.cpp — see memory_tracker.h.
#include "common/memory_tracker.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

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
    if (limit_ > 0 && now > limit_ && bytes > 0) {
        used_.fetch_sub(bytes, std::memory_order_relaxed);
        throw Exception(ErrorCodes::MEMORY_LIMIT_EXCEEDED,
                        "Query memory limit exceeded: would use " + formatReadableSize(now) +
                            " (attempt to allocate chunk of " + std::to_string(bytes) +
                            " bytes), maximum: " + formatReadableSize(limit_));
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
}

void* trackedAlloc(size_t bytes) {
    MemoryTracker* t = currentMemoryTracker();
    if (t) t->alloc(int64_t(bytes));
    char* p = static_cast<char*>(std::malloc(bytes + kHeader));
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
    char* p = static_cast<char*>(std::realloc(base, new_bytes + kHeader));
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
    std::free(base);
    if (owner) { owner->free(int64_t(bytes)); owner->unref(); }
}

}  // namespace basalt
