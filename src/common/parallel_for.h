// parallel_for.h — runs fn(i) for i in [0, n) on up to `threads` threads (the caller's included,
// the others from the worker pool), handing out indexes one at a time; the first exception stops
// further work and is rethrown. For coarse work items (a part to sort, a stream of blocks), not
// for per-row loops. With a busy pool the caller may end up running every index itself.
#pragma once
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

#include "common/worker_pool.h"

namespace basalt {

template <typename Fn>
void parallelFor(size_t n, size_t threads, Fn&& fn) {
    threads = std::max<size_t>(1, std::min(threads, n));
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&] {
        while (!failed.load(std::memory_order_relaxed)) {
            size_t i = next.fetch_add(1);
            if (i >= n) return;
            try {
                fn(i);
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
                failed = true;
            }
        }
    };
    if (threads == 1) work();
    else runOnWorkers(threads - 1, work);
    if (error) std::rethrow_exception(error);
}

}  // namespace basalt
