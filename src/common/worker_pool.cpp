// worker_pool.cpp — see worker_pool.h.
#include "common/worker_pool.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "common/memory_tracker.h"

namespace basalt {

namespace {

class WorkerPool {
public:
    static WorkerPool& instance() {
        static WorkerPool* pool = new WorkerPool;   // never destroyed: workers may outlive static destruction
        return *pool;
    }

    void submit(std::function<void()> task) {
        std::unique_lock lock(mutex_);
        tasks_.push_back(std::move(task));
        if (idle_ >= tasks_.size()) {
            wake_.notify_one();
            return;
        }
        lock.unlock();
        std::thread([this] { loop(); }).detach();
    }

private:
    void loop() {
        std::unique_lock lock(mutex_);
        while (true) {
            ++idle_;
            bool got = wake_.wait_for(lock, std::chrono::seconds(60), [&] { return !tasks_.empty(); });
            --idle_;
            if (!got) return;
            auto task = std::move(tasks_.front());
            tasks_.pop_front();
            lock.unlock();
            {
                // Each task starts untracked, as on a fresh thread.
                MemoryTrackerScope untracked(nullptr);
                task();
            }
            lock.lock();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    size_t idle_ = 0;
};

// What the caller and its helpers share; outlives the call for helpers that start late.
struct Gate {
    std::mutex mutex;
    std::condition_variable done;
    size_t running = 0;
    bool closed = false;
    std::exception_ptr error;
};

}  // namespace

void runOnWorkers(size_t helpers, const std::function<void()>& body) {
    if (helpers == 0) {
        body();
        return;
    }
    auto gate = std::make_shared<Gate>();
    const std::function<void()>* shared_body = &body;
    for (size_t i = 0; i < helpers; ++i)
        WorkerPool::instance().submit([gate, shared_body] {
            {
                std::lock_guard lock(gate->mutex);
                if (gate->closed) return;   // the caller is done: `body` may be gone
                ++gate->running;
            }
            std::exception_ptr error;
            try {
                (*shared_body)();
            } catch (...) {
                error = std::current_exception();
            }
            std::lock_guard lock(gate->mutex);
            if (error && !gate->error) gate->error = error;
            if (--gate->running == 0) gate->done.notify_all();
        });
    std::exception_ptr error;
    try {
        body();
    } catch (...) {
        error = std::current_exception();
    }
    std::unique_lock lock(gate->mutex);
    gate->closed = true;
    gate->done.wait(lock, [&] { return gate->running == 0; });
    if (!error) error = gate->error;
    lock.unlock();
    if (error) std::rethrow_exception(error);
}

}  // namespace basalt
