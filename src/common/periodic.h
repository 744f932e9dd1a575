// periodic.h — one background thread per process that calls registered tasks about once a second:
// refreshable materialized views, Buffer table flushes and dictionary lifetime reloads. A task
// lives as long as its owner (a weak_ptr): once the owner is gone the task is dropped. Tasks run
// one after another on that thread, so a task must not block for long on another task.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace basalt {

// Wall-clock unix seconds: what periodic tasks compare their due times against.
inline int64_t unixSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class PeriodicRunner {
public:
    static PeriodicRunner& instance();
    // Calls `tick` about every second while `owner` is alive.
    void add(std::weak_ptr<const void> owner, std::function<void()> tick);

private:
    PeriodicRunner();
    ~PeriodicRunner();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace basalt
