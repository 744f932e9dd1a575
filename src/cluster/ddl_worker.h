// ddl_worker.h — ClickHouse's distributed DDL queue on ZooKeeper: `... ON CLUSTER c` statements
// become entries under /clickhouse/task_queue/ddl; every server runs a DDLWorker that executes the
// entries naming it (in queue order, each once: finished/<host:port> records the outcome), so a
// host that was down runs the statements it missed when it returns. The initiator waits up to
// distributed_ddl_task_timeout for every host and returns one status row per host.
//
// Entry (query-NNNNNNNNNN, text):  "version: 1\ndatabase: <db>\nhosts: <h:p>,<h:p>\nquery: <sql>"
// Children: finished/<host:port> = "<code>\n<message>", active/<host:port> while running.
#pragma once
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "columns/block.h"

namespace basalt {

class Catalog;
struct QueryContext;

inline constexpr const char* kDDLQueuePath = "/clickhouse/task_queue/ddl";

// Enqueues `query` (ON CLUSTER clause removed) for every host of the cluster and waits for them
// (distributed_ddl_task_timeout seconds; 0 = don't wait). TIMEOUT_EXCEEDED (159) when some host has
// not finished — it will run the statement when it can; a host's error is rethrown with its code.
Block enqueueDistributedDDL(const std::string& cluster_name, const std::string& query, QueryContext& ctx);

// The server's executor of queue entries addressed to it. Started by the server when ZooKeeper
// is configured; the destructor stops and joins its thread.
class DDLWorker {
public:
    explicit DDLWorker(Catalog& catalog);
    ~DDLWorker();
    DDLWorker(const DDLWorker&) = delete;
    DDLWorker& operator=(const DDLWorker&) = delete;

private:
    void loop();
    // Runs every pending entry for this host; false when ZooKeeper failed (retry later).
    bool processQueue();

    // Shared with ZooKeeper watch callbacks, which may fire after the worker is gone.
    struct State {
        std::mutex mutex;
        std::condition_variable wake;
        bool stop = false, changed = true;
    };
    Catalog& catalog_;
    std::shared_ptr<State> state_ = std::make_shared<State>();
    std::thread thread_;
};

}  // namespace basalt
