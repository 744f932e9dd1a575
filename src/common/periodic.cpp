// periodic.cpp — see periodic.h.
#include "common/periodic.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace basalt {

struct PeriodicRunner::Impl {
    struct Task {
        std::weak_ptr<const void> owner;
        std::function<void()> tick;
    };
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<Task> tasks;
    std::thread thread;
    bool stop = false;

    void loop() {
        std::unique_lock lock(mutex);
        while (!stop) {
            cv.wait_for(lock, std::chrono::seconds(1));
            if (stop) break;
            std::vector<std::pair<std::shared_ptr<const void>, std::function<void()>>> due;
            std::vector<Task> keep;
            for (auto& t : tasks)
                if (auto o = t.owner.lock()) { due.push_back({o, t.tick}); keep.push_back(t); }
            tasks = std::move(keep);
            lock.unlock();
            for (auto& [o, f] : due) {
                try {
                    f();
                } catch (...) {
                    // Tasks record their own errors; nothing may escape the thread.
                }
            }
            due.clear();
            lock.lock();
        }
    }
};

PeriodicRunner& PeriodicRunner::instance() {
    static PeriodicRunner r;
    return r;
}

PeriodicRunner::PeriodicRunner() : impl_(std::make_unique<Impl>()) {}

PeriodicRunner::~PeriodicRunner() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stop = true;
    }
    impl_->cv.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
}

void PeriodicRunner::add(std::weak_ptr<const void> owner, std::function<void()> tick) {
    std::lock_guard lock(impl_->mutex);
    impl_->tasks.push_back({std::move(owner), std::move(tick)});
    if (!impl_->thread.joinable()) impl_->thread = std::thread([this] { impl_->loop(); });
}

}  // namespace basalt
