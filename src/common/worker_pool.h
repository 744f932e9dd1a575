// worker_pool.h — the process-wide pool of worker threads that parallel query steps run on.
// Starting a thread per step cost 0.05-3 ms of latency on this kind of VM (the new thread waits to
// be scheduled, its stack mapped), several times per query; pooled workers wait on a condition
// variable instead. A worker is started whenever no idle one is free, so a task never queues
// behind a blocked one; idle workers exit after a minute.
#pragma once
#include <cstddef>
#include <functional>

namespace basalt {

// Runs `body` on the calling thread and on up to `helpers` pooled workers at once; returns when the
// caller's copy and every copy that started have returned. Copies not yet started by then are
// dropped (they never run), so `body` must be work-sharing (each copy takes items until none are
// left) and nested use cannot deadlock. The first exception thrown by any copy is rethrown here.
void runOnWorkers(size_t helpers, const std::function<void()>& body);

}  // namespace basalt
