// server.cpp — ServerContext (users, query slots, HTTP sessions, log) and `basalt server`'s main:
// config, catalog, the HTTP and TCP listeners (Poco::Net), and the SIGTERM drain.
#include "server/server.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketImpl.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/ThreadPool.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <ctime>
#include <optional>
#include <thread>
#include <filesystem>
#include <iostream>

#include "common/exception.h"
#include "common/sha256.h"
#include "cluster/ddl_worker.h"
#include "replication/part_exchange.h"
#include "server/http_handler.h"
#include "server/tcp_handler.h"

namespace basalt {

// ---------------------------------------------------------------- log
void ServerLog::configure(const ServerConfig& c) {
    static const std::pair<const char*, LogLevel> names[] = {{"trace", LogLevel::Trace}, {"debug", LogLevel::Debug},
                                                             {"information", LogLevel::Information}, {"warning", LogLevel::Warning},
                                                             {"error", LogLevel::Error}, {"none", LogLevel::None}};
    for (auto& [n, l] : names) if (c.log_level == n) level_ = l;
    console_ = c.log_console;
    if (!c.log_file.empty()) {
        file_.reset(std::fopen(c.log_file.c_str(), "a"));
        if (!file_) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "Cannot open log file " + c.log_file);
    }
}

void ServerLog::write(LogLevel level, const std::string& message) {
    if (!enabled(level) || level == LogLevel::None) return;
    static const char* names[] = {"Trace", "Debug", "Information", "Warning", "Error"};
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char ts[32];
    std::strftime(ts, sizeof ts, "%Y.%m.%d %H:%M:%S", &tm);
    std::string line = std::string(ts) + " <" + names[int(level)] + "> " + message + "\n";
    std::lock_guard lock(mutex_);
    if (console_) std::cerr << line << std::flush;
    if (file_) {
        std::fwrite(line.data(), 1, line.size(), file_.get());
        std::fflush(file_.get());
    }
}

// ---------------------------------------------------------------- context
ServerContext::ServerContext(ServerConfig c) : config(std::move(c)) {
    log.configure(config);
    std::filesystem::create_directories(config.path);
    // Before the catalog loads tables: Distributed and Replicated tables look their cluster up.
    setClusterConfig(std::make_shared<ClusterConfig>(config.cluster));
    catalog = openCatalog(config.path);
    if (!config.cluster.zookeeper.empty()) ddl_worker = std::make_unique<DDLWorker>(*catalog);
}

ServerContext::~ServerContext() = default;

UserConfig ServerContext::authenticate(const std::string& user, const std::string& password) const {
    auto it = config.users.find(user.empty() ? "default" : user);
    if (it == config.users.end()) {
        // A user created with CREATE USER (its grants are checked statement by statement).
        if (auto sql_user = catalog->access().authenticate(user, password)) {
            UserConfig u;
            u.name = sql_user->name;
            u.readonly = sql_user->readonly;
            return u;
        }
    }
    bool ok = it != config.users.end() && passwordMatches(password, it->second.no_password ? "" : it->second.password_sha256_hex);
    if (!ok)
        throw Exception(ErrorCodes::AUTHENTICATION_FAILED,
                        (user.empty() ? std::string("default") : user) + ": Authentication failed: password is incorrect, or there is no user with such name.");
    return it->second;
}

void ServerContext::initSession(Session& session, const UserConfig& user, const std::string& address, const std::string& interface) const {
    auto it = config.profiles.find(user.profile);
    if (it != config.profiles.end())
        for (auto& [name, value] : it->second) session.settings().set(name, Field(value));
    if (user.readonly) session.settings().readonly = true;
    session.clientInfo().user = user.name;
    session.clientInfo().address = address;
    session.clientInfo().interface = interface;
}

ServerContext::QuerySlot::QuerySlot(ServerContext& ctx) : ctx_(ctx) {
    size_t n = ++ctx_.running_queries_;
    if (ctx_.config.max_concurrent_queries && n > ctx_.config.max_concurrent_queries) {
        --ctx_.running_queries_;
        throw Exception(ErrorCodes::TOO_MANY_SIMULTANEOUS_QUERIES,
                        "Too many simultaneous queries. Maximum: " + std::to_string(ctx_.config.max_concurrent_queries));
    }
}

ServerContext::QuerySlot::~QuerySlot() {
    std::lock_guard lock(ctx_.queries_mutex_);
    if (--ctx_.running_queries_ == 0) ctx_.queries_done_.notify_all();
}

StatementOutput ServerContext::executeWatched(Session& session, const ParsedStatement& stmt, ResultSink* sink, InsertDataSource* insert_data,
                                              const std::function<ClientWatch(int)>& watch, bool* cancelled) {
    std::optional<QuerySlot> slot;
    if (!stmt.ast->as<ASTKillQuery>()) slot.emplace(*this);
    StatementOutput out;
    std::exception_ptr error;
    std::atomic<bool> done{false};
    // The worker signals its end here, so a watcher waiting on the socket wakes at once instead of
    // at its next timeout (that wait was part of every short query's latency).
    int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake < 0) throw Exception(ErrorCodes::CANNOT_OPEN_FILE, "eventfd failed");
    struct CloseFd { int fd; ~CloseFd() { ::close(fd); } } close_wake{wake};
    std::thread worker([&] {
        try {
            out = insert_data ? session.insertFrom(stmt, *insert_data) : session.execute(stmt, sink);
        } catch (...) {
            error = std::current_exception();
        }
        done = true;
        uint64_t one = 1;
        (void)!::write(wake, &one, sizeof one);
    });
    while (!done) {
        ClientWatch w = watch(wake);
        if (w == ClientWatch::Connected) continue;
        if (w == ClientWatch::Gone) {
            session.cancel();
            if (cancelled) *cancelled = true;
        }
        break;
    }
    worker.join();
    if (error) std::rethrow_exception(error);
    return out;
}

bool ServerContext::waitReadable(Poco::Net::Socket& socket, int wake_fd, int timeout_ms) {
    pollfd fds[2] = {{socket.impl()->sockfd(), POLLIN, 0}, {wake_fd, POLLIN, 0}};
    int n = ::poll(fds, 2, timeout_ms);
    if (n <= 0) return false;
    if (fds[1].revents) return false;
    return fds[0].revents != 0;   // data, hang-up or error: the caller reads to see which
}

bool ServerContext::waitForQueries(std::chrono::seconds timeout) {
    std::unique_lock lock(queries_mutex_);
    return queries_done_.wait_for(lock, timeout, [&] { return running_queries_.load() == 0; });
}

std::shared_ptr<HttpSession> ServerContext::httpSession(const std::string& id, const UserConfig& user, std::chrono::seconds timeout, bool check,
                                                        const std::string& address) {
    std::lock_guard lock(sessions_mutex_);
    auto now = std::chrono::steady_clock::now();
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = it->second->expires < now && it->second.use_count() == 1 ? sessions_.erase(it) : std::next(it);
    auto key = user.name + "\n" + id;
    auto it = sessions_.find(key);
    if (it == sessions_.end()) {
        if (check) throw Exception(ErrorCodes::SESSION_NOT_FOUND, "Session " + id + " not found");
        auto s = std::make_shared<HttpSession>(*catalog);
        s->user = user.name;
        initSession(s->session, user, address, "HTTP");
        it = sessions_.emplace(key, s).first;
    }
    it->second->timeout = timeout;
    it->second->expires = now + timeout;
    return it->second;
}

int httpStatusForErrorCode(int code) {
    switch (code) {
        case ErrorCodes::AUTHENTICATION_FAILED: case ErrorCodes::UNKNOWN_USER: return 401;
        case ErrorCodes::ACCESS_DENIED: case ErrorCodes::READONLY: return 403;
        case ErrorCodes::UNKNOWN_TABLE: case ErrorCodes::UNKNOWN_FUNCTION: case ErrorCodes::UNKNOWN_IDENTIFIER: case ErrorCodes::UNKNOWN_TYPE:
        case ErrorCodes::UNKNOWN_STORAGE: case ErrorCodes::UNKNOWN_DATABASE: case ErrorCodes::UNKNOWN_SETTING: case ErrorCodes::UNKNOWN_AGGREGATE_FUNCTION:
        case ErrorCodes::UNKNOWN_FORMAT: case ErrorCodes::UNKNOWN_DATABASE_ENGINE: case ErrorCodes::SESSION_NOT_FOUND: case ErrorCodes::NO_SUCH_COLUMN_IN_TABLE:
            return 404;
        case ErrorCodes::CANNOT_PARSE_TEXT: case ErrorCodes::CANNOT_PARSE_ESCAPE_SEQUENCE: case ErrorCodes::CANNOT_PARSE_QUOTED_STRING:
        case ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED: case ErrorCodes::CANNOT_PARSE_DATE: case ErrorCodes::CANNOT_PARSE_DATETIME:
        case ErrorCodes::CANNOT_PARSE_NUMBER: case ErrorCodes::CANNOT_PARSE_UUID: case ErrorCodes::CANNOT_PARSE_BOOL: case ErrorCodes::SYNTAX_ERROR:
        case ErrorCodes::TYPE_MISMATCH: case ErrorCodes::INCORRECT_DATA: case ErrorCodes::BAD_ARGUMENTS: case ErrorCodes::UNKNOWN_QUERY_PARAMETER:
        case ErrorCodes::BAD_QUERY_PARAMETER: case ErrorCodes::INCORRECT_QUERY: case ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH:
        case ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT: case ErrorCodes::INVALID_SESSION_TIMEOUT: case ErrorCodes::SESSION_IS_LOCKED:
            return 400;
        case ErrorCodes::HTTP_LENGTH_REQUIRED: return 411;
        case ErrorCodes::QUERY_IS_TOO_LARGE: return 413;
        case ErrorCodes::NOT_IMPLEMENTED: return 501;
        case ErrorCodes::TOO_MANY_SIMULTANEOUS_QUERIES: return 503;
        default: return 500;
    }
}

// ---------------------------------------------------------------- main
namespace {

const char* kServerHelp = R"(Usage: basalt server [--config FILE] [--path DIR] [--listen_host HOST] [--http_port N] [--tcp_port N]

Serves ClickHouse's HTTP interface (default localhost:8123) and native TCP protocol (default
localhost:9000) over the data directory (default ./data). Command-line values override the config
file's. SIGTERM / SIGINT stop accepting connections, let running queries finish (up to
shutdown_timeout_seconds) and exit 0.
)";

}  // namespace

int serverMain(int argc, char** argv) {
    std::string config_file;
    std::map<std::string, std::string> overrides;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") { std::cout << kServerHelp; return 0; }
        auto value = [&](const std::string& name) -> std::string {
            if (a.rfind(name + "=", 0) == 0) return a.substr(name.size() + 1);
            if (i + 1 >= argc) { std::cerr << "Missing value for " << name << "\n"; std::exit(2); }
            return argv[++i];
        };
        auto is = [&](const std::string& name) { return a == name || a.rfind(name + "=", 0) == 0; };
        if (is("--config") || is("-C")) config_file = value(a.rfind("-C", 0) == 0 ? "-C" : "--config");
        else if (is("--path")) overrides["path"] = value("--path");
        else if (is("--listen_host")) overrides["listen_host"] = value("--listen_host");
        else if (is("--http_port")) overrides["http_port"] = value("--http_port");
        else if (is("--tcp_port")) overrides["tcp_port"] = value("--tcp_port");
        else { std::cerr << "Unknown option " << a << "\n\n" << kServerHelp; return 2; }
    }
    // Signals are taken by sigwait below: block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    signal(SIGPIPE, SIG_IGN);
    try {
        ServerConfig config = ServerConfig::load(config_file);
        for (auto& [k, v] : overrides) {
            if (k == "path") config.path = v;
            else if (k == "listen_host") config.listen_host = v;
            else if (k == "http_port") config.http_port = uint16_t(std::stoul(v));
            else if (k == "tcp_port") config.tcp_port = uint16_t(std::stoul(v));
        }
        ServerContext ctx(config);
        Poco::ThreadPool pool(4, int(std::max<uint64_t>(16, config.max_connections * 2 + 8)));
        Poco::Net::ServerSocket http_socket;
        http_socket.bind(Poco::Net::SocketAddress(config.listen_host, config.http_port), true);
        http_socket.listen(1024);
        Poco::Net::ServerSocket tcp_socket;
        tcp_socket.bind(Poco::Net::SocketAddress(config.listen_host, config.tcp_port), true);
        tcp_socket.listen(1024);
        auto* hp = new Poco::Net::HTTPServerParams;
        hp->setMaxThreads(int(config.max_connections));
        hp->setMaxQueued(int(config.max_connections));
        hp->setKeepAlive(true);
        hp->setKeepAliveTimeout(Poco::Timespan(Poco::Timespan::TimeDiff(config.keep_alive_timeout_seconds) * Poco::Timespan::SECONDS));
        hp->setTimeout(Poco::Timespan(300, 0));
        Poco::Net::HTTPServer http(makeHttpHandlerFactory(ctx), pool, http_socket, hp);
        auto* tp = new Poco::Net::TCPServerParams;
        tp->setMaxThreads(int(config.max_connections));
        tp->setMaxQueued(int(config.max_connections));
        Poco::Net::TCPServer tcp(makeTcpHandlerFactory(ctx), pool, tcp_socket, tp);
        // Replicas fetch parts from each other here (replication/part_exchange.h).
        Poco::ThreadPool interserver_pool(2, 32);
        std::unique_ptr<Poco::Net::HTTPServer> interserver;
        if (config.cluster.interserver_http_port) {
            Poco::Net::ServerSocket interserver_socket;
            interserver_socket.bind(Poco::Net::SocketAddress(config.listen_host, config.cluster.interserver_http_port), true);
            interserver_socket.listen(256);
            auto* ip = new Poco::Net::HTTPServerParams;
            ip->setMaxThreads(32);
            ip->setKeepAlive(true);
            ip->setTimeout(Poco::Timespan(300, 0));
            interserver = std::make_unique<Poco::Net::HTTPServer>(makeInterserverHandlerFactory(), interserver_pool, interserver_socket, ip);
            interserver->start();
            ctx.log.write(LogLevel::Information, "basalt server: interserver HTTP on " + config.listen_host + ":" + std::to_string(config.cluster.interserver_http_port));
        }
        http.start();
        tcp.start();
        ctx.log.write(LogLevel::Information, "basalt server: HTTP on " + config.listen_host + ":" + std::to_string(http_socket.address().port()) +
                                                 ", native TCP on " + config.listen_host + ":" + std::to_string(tcp_socket.address().port()) +
                                                 ", data in " + config.path);
        int sig = 0;
        sigwait(&signals, &sig);
        ctx.log.write(LogLevel::Information, std::string("Received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ": shutting down");
        ctx.shutting_down = true;
        http.stopAll(false);
        tcp.stop();
        if (interserver) interserver->stopAll(false);
        if (!ctx.waitForQueries(std::chrono::seconds(config.shutdown_timeout_seconds)))
            ctx.log.write(LogLevel::Warning, std::to_string(ctx.runningQueries()) + " queries still running at the shutdown timeout");
        // Connections notice shutting_down between packets and close; the pool joins them.
        pool.joinAll();
        ctx.log.write(LogLevel::Information, "Shutdown complete");
        return 0;
    } catch (const std::exception& e) {
        int code = 0;
        std::cerr << formatException(e, &code) << std::endl;
        return code ? code % 256 ? code % 256 : 1 : 1;
    }
}

}  // namespace basalt
