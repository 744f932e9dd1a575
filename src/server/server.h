// server.h — `basalt server`: one process serving ClickHouse's HTTP interface (http_handler.cpp)
// and native TCP protocol (tcp_handler.cpp) over one catalog. ServerContext is the state the
// connection handlers share: configuration, catalog, users, the query-slot limit, HTTP sessions and
// the log; it owns all of them, handlers borrow it for their lifetime.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "interpreter/interpreter.h"
#include "server/server_config.h"
#include "cluster/ddl_worker.h"
#include "storage/catalog.h"

namespace Poco::Net { class Socket; }

namespace basalt {

enum class LogLevel { Trace, Debug, Information, Warning, Error, None };

class ServerLog {
public:
    void configure(const ServerConfig& c);
    void write(LogLevel level, const std::string& message);
    bool enabled(LogLevel level) const { return level >= level_; }

private:
    std::mutex mutex_;
    LogLevel level_ = LogLevel::Information;
    bool console_ = true;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, &std::fclose};
};

// A session kept across HTTP requests (session_id): its Session and the lock that makes a second
// concurrent request fail with SESSION_IS_LOCKED.
struct HttpSession {
    explicit HttpSession(Catalog& c) : session(c) {}
    Session session;
    std::string user;
    std::mutex in_use;
    std::chrono::steady_clock::time_point expires;
    std::chrono::seconds timeout{60};
};

class ServerContext {
public:
    explicit ServerContext(ServerConfig config);
    ~ServerContext();

    const ServerConfig config;
    ServerLog log;
    std::unique_ptr<Catalog> catalog;
    // Runs ON CLUSTER statements from the ZooKeeper queue (when ZooKeeper is configured); declared
    // after the catalog so it stops first.
    std::unique_ptr<DDLWorker> ddl_worker;
    std::atomic<bool> shutting_down{false};

    // Checks user and password (AUTHENTICATION_FAILED, 516, for both an unknown user and a wrong
    // password, as ClickHouse) and returns the user.
    UserConfig authenticate(const std::string& user, const std::string& password) const;
    // A session for `user` with its profile's settings applied.
    void initSession(Session& session, const UserConfig& user, const std::string& address, const std::string& interface) const;

    // One running query: held while a statement executes; TOO_MANY_SIMULTANEOUS_QUERIES (202)
    // past max_concurrent_queries.
    class QuerySlot {
    public:
        explicit QuerySlot(ServerContext& ctx);
        ~QuerySlot();
        QuerySlot(const QuerySlot&) = delete;
        QuerySlot& operator=(const QuerySlot&) = delete;
    private:
        ServerContext& ctx_;
    };
    size_t runningQueries() const { return running_queries_.load(); }

    // What a connection's watcher saw while its statement runs (`watch` blocks up to ~50 ms, less
    // when the statement ends: it is given the worker's wake-up descriptor).
    enum class ClientWatch { Connected, Gone, StopWatching };
    // Runs `stmt` in `session` on a worker thread, under a query slot (KILL QUERY takes none: it is
    // how a saturated server is relieved), while the calling thread calls `watch`: Gone cancels the
    // statement (it stops at its next block with QUERY_WAS_CANCELLED) and sets *cancelled;
    // StopWatching just waits for the end. The result set goes to `sink` (Session::execute), from
    // the worker thread; an INSERT with `insert_data` reads its rows from it (Session::insertFrom).
    StatementOutput executeWatched(Session& session, const ParsedStatement& stmt, ResultSink* sink, InsertDataSource* insert_data,
                                   const std::function<ClientWatch(int wake_fd)>& watch, bool* cancelled = nullptr);
    // For watchers: waits up to `timeout_ms` for `socket` to become readable (true) or for the
    // statement to end (`wake_fd`, false), whichever comes first.
    static bool waitReadable(Poco::Net::Socket& socket, int wake_fd, int timeout_ms);
    // Waits until no query runs or `timeout` passes; true when drained.
    bool waitForQueries(std::chrono::seconds timeout);

    // HTTP sessions: the session `id` of `user`, created when missing (unless `check`: then
    // SESSION_NOT_FOUND, 372). Expired sessions are dropped on access.
    std::shared_ptr<HttpSession> httpSession(const std::string& id, const UserConfig& user, std::chrono::seconds timeout, bool check,
                                             const std::string& address);

private:
    std::atomic<size_t> running_queries_{0};
    std::mutex queries_mutex_;
    std::condition_variable queries_done_;
    std::mutex sessions_mutex_;
    std::map<std::string, std::shared_ptr<HttpSession>> sessions_;
};

// The ClickHouse HTTP status for an error code (400 bad request, 401 authentication, 403 access,
// 404 unknown object, 413, 501, 500 otherwise).
int httpStatusForErrorCode(int code);

int serverMain(int argc, char** argv);

}  // namespace basalt
