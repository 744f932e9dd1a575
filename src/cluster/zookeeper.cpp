// zookeeper.cpp — the ZooKeeper class over the C client's synchronous API (zoo_create, zoo_get,
// zoo_set, zoo_exists, zoo_get_children2, zoo_delete, zoo_multi and their watch forms), error
// mapping to KEEPER_EXCEPTION, session-death tracking, and the process-wide session.
#include "cluster/zookeeper.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "common/exception.h"

// The synchronous API of the multi-threaded client is declared only under THREADED.
#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

namespace basalt {

namespace Coordination {

#define BASALT_SAME_CODE(e) (int(e) == int(::e))
static_assert(BASALT_SAME_CODE(ZOK) && BASALT_SAME_CODE(ZSYSTEMERROR) && BASALT_SAME_CODE(ZRUNTIMEINCONSISTENCY) &&
              BASALT_SAME_CODE(ZDATAINCONSISTENCY) && BASALT_SAME_CODE(ZCONNECTIONLOSS) && BASALT_SAME_CODE(ZMARSHALLINGERROR) &&
              BASALT_SAME_CODE(ZUNIMPLEMENTED) && BASALT_SAME_CODE(ZOPERATIONTIMEOUT) && BASALT_SAME_CODE(ZBADARGUMENTS) &&
              BASALT_SAME_CODE(ZINVALIDSTATE) && BASALT_SAME_CODE(ZAPIERROR) && BASALT_SAME_CODE(ZNONODE) && BASALT_SAME_CODE(ZNOAUTH) &&
              BASALT_SAME_CODE(ZBADVERSION) && BASALT_SAME_CODE(ZNOCHILDRENFOREPHEMERALS) && BASALT_SAME_CODE(ZNODEEXISTS) &&
              BASALT_SAME_CODE(ZNOTEMPTY) && BASALT_SAME_CODE(ZSESSIONEXPIRED) && BASALT_SAME_CODE(ZINVALIDCALLBACK) &&
              BASALT_SAME_CODE(ZINVALIDACL) && BASALT_SAME_CODE(ZAUTHFAILED) && BASALT_SAME_CODE(ZCLOSING) && BASALT_SAME_CODE(ZNOTHING) &&
              BASALT_SAME_CODE(ZSESSIONMOVED) && BASALT_SAME_CODE(ZNOTREADONLY),
              "Coordination::Error must match the C client's codes");
#undef BASALT_SAME_CODE

const char* errorMessage(int code) {
    switch (code) {
        case ZOK: return "Ok";
        case ZSYSTEMERROR: return "System error";
        case ZRUNTIMEINCONSISTENCY: return "Run time inconsistency";
        case ZDATAINCONSISTENCY: return "Data inconsistency";
        case ZCONNECTIONLOSS: return "Connection loss";
        case ZMARSHALLINGERROR: return "Marshalling error";
        case ZUNIMPLEMENTED: return "Unimplemented";
        case ZOPERATIONTIMEOUT: return "Operation timeout";
        case ZBADARGUMENTS: return "Bad arguments";
        case ZINVALIDSTATE: return "Invalid zhandle state";
        case ZAPIERROR: return "API error";
        case ZNONODE: return "No node";
        case ZNOAUTH: return "Not authenticated";
        case ZBADVERSION: return "Bad version";
        case ZNOCHILDRENFOREPHEMERALS: return "No children for ephemerals";
        case ZNODEEXISTS: return "Node exists";
        case ZNOTEMPTY: return "Not empty";
        case ZSESSIONEXPIRED: return "Session expired";
        case ZINVALIDCALLBACK: return "Invalid callback";
        case ZINVALIDACL: return "Invalid ACL";
        case ZAUTHFAILED: return "Authentication failed";
        case ZCLOSING: return "ZooKeeper is closing";
        case ZNOTHING: return "(not error) no server responses to process";
        case ZSESSIONMOVED: return "Session moved to another server, so operation is ignored";
        case ZNOTREADONLY: return "State-changing request is passed to read-only server";
        default: return "Unknown error";
    }
}

bool isHardwareError(int code) {
    return code == ZINVALIDSTATE || code == ZSESSIONEXPIRED || code == ZSESSIONMOVED || code == ZCONNECTIONLOSS ||
           code == ZMARSHALLINGERROR || code == ZOPERATIONTIMEOUT || code == ZCLOSING || code == ZSYSTEMERROR;
}

Op Op::create(std::string path, std::string data, CreateMode mode) {
    Op op;
    op.type = Type::Create;
    op.path = std::move(path);
    op.data = std::move(data);
    op.mode = mode;
    return op;
}
Op Op::set(std::string path, std::string data, int32_t version) {
    Op op;
    op.type = Type::Set;
    op.path = std::move(path);
    op.data = std::move(data);
    op.version = version;
    return op;
}
Op Op::remove(std::string path, int32_t version) {
    Op op;
    op.type = Type::Remove;
    op.path = std::move(path);
    op.version = version;
    return op;
}
Op Op::check(std::string path, int32_t version) {
    Op op;
    op.type = Type::Check;
    op.path = std::move(path);
    op.version = version;
    return op;
}

}  // namespace Coordination

using namespace Coordination;

namespace {

// ZooKeeper's default jute.maxbuffer: larger requests make the server drop the connection.
constexpr size_t kMaxDataSize = 1048575;
// A node value larger than this is not believed (a corrupt length), whatever the server sends.
constexpr int32_t kMaxBelievedDataSize = 64 << 20;

// The C client logs through a callback without a context: keep the last message (errors only) for
// the "Cannot connect" text instead of writing to the server's stderr.
struct ClientLog {
    std::mutex mutex;
    std::string last;
};
ClientLog& clientLog() {
    static ClientLog* log = new ClientLog;   // never destroyed: the C client may log during exit
    return *log;
}
void logCallback(const char* message) {
    auto& log = clientLog();
    // "<time>:<pid>(<thread>):ZOO_ERROR@<function>@<line>: <text>\n" → "<text>".
    std::string text = message ? message : "";
    if (size_t level = text.find("ZOO_"); level != std::string::npos)
        if (size_t colon = text.find(": ", level); colon != std::string::npos) text = text.substr(colon + 2);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    std::lock_guard lock(log.mutex);
    log.last = std::move(text);
}
std::string lastClientLog() {
    auto& log = clientLog();
    std::lock_guard lock(log.mutex);
    return log.last;
}

int createFlags(CreateMode mode) {
    switch (mode) {
        case CreateMode::Persistent: return ZOO_PERSISTENT;
        case CreateMode::Ephemeral: return ZOO_EPHEMERAL;
        case CreateMode::PersistentSequential: return ZOO_PERSISTENT_SEQUENTIAL;
        case CreateMode::EphemeralSequential: return ZOO_EPHEMERAL_SEQUENTIAL;
    }
    return ZOO_PERSISTENT;
}

void copyStat(const ::Stat& s, Coordination::Stat* out) {
    if (!out) return;
    out->czxid = s.czxid;
    out->mzxid = s.mzxid;
    out->ctime = s.ctime;
    out->mtime = s.mtime;
    out->version = s.version;
    out->cversion = s.cversion;
    out->aversion = s.aversion;
    out->ephemeralOwner = s.ephemeralOwner;
    out->dataLength = s.dataLength;
    out->numChildren = s.numChildren;
    out->pzxid = s.pzxid;
}

// "/a/b/" → "/a/b", "a" → "/a", "" and "/" → "" (no chroot).
std::string normalizeRoot(const std::string& root) {
    std::string r = root;
    while (!r.empty() && r.back() == '/') r.pop_back();
    if (!r.empty() && r[0] != '/') r = "/" + r;
    return r;
}

std::string joinHosts(const std::vector<std::string>& hosts) {
    std::string s;
    for (auto& h : hosts) s += (s.empty() ? "" : ",") + h;
    return s;
}

void checkDataSize(size_t size, const std::string& path) {
    if (size > kMaxDataSize)
        throw Exception(ErrorCodes::KEEPER_EXCEPTION, std::string("Coordination error: ") + errorMessage(ZBADARGUMENTS) + ", path " + path +
                                                          ": value of " + std::to_string(size) + " bytes exceeds ZooKeeper's limit of " +
                                                          std::to_string(kMaxDataSize) + " bytes");
}

}  // namespace

struct ZooKeeper::WatchContext {
    ZooKeeper* owner;
    WatchCallback callback;
    bool fired = false;
};

ZooKeeper::ZooKeeper(const ZooKeeperConfig& config) : config_(config) {
    config_.root = normalizeRoot(config.root);
    if (config_.hosts.empty()) throw Exception(ErrorCodes::NO_ZOOKEEPER, "There is no ZooKeeper configuration");
    static std::once_flag log_level_once;
    std::call_once(log_level_once, [] { zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR); });

    // The root must exist before a chrooted session can use it: create it over a plain session.
    if (!config_.root.empty()) {
        ZooKeeperConfig plain = config_;
        plain.root.clear();
        ZooKeeper bootstrap(plain);
        bootstrap.createAncestors(config_.root);
        bootstrap.createIfNotExists(config_.root);
    }

    connect_string_ = joinHosts(config_.hosts) + config_.root;
    int timeout_ms = int(std::clamp<uint64_t>(config_.session_timeout_ms, 100, 3600 * 1000));
    zh_ = zookeeper_init2(connect_string_.c_str(), &ZooKeeper::globalWatcher, timeout_ms, nullptr, this, 0, &logCallback);
    if (!zh_)
        throw Exception(ErrorCodes::NO_ZOOKEEPER, "Cannot connect to ZooKeeper at " + connect_string_ + ": " + std::strerror(errno));

    bool ok;
    {
        std::unique_lock lock(state_mutex_);
        ok = state_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return connected_ || expired_; }) && connected_ && !expired_;
    }
    if (!ok) {
        zookeeper_close(zh_);
        zh_ = nullptr;
        std::string detail = lastClientLog();
        throw Exception(ErrorCodes::NO_ZOOKEEPER, "Cannot connect to ZooKeeper at " + connect_string_ + ": no session within " +
                                                      std::to_string(timeout_ms) + " ms" + (detail.empty() ? "" : " (" + detail + ")"));
    }
}

ZooKeeper::~ZooKeeper() {
    // Pending watch callbacks are dropped, not called: the object may die late (the process
    // session at exit) when the callbacks' owners are long gone. Dropped before closing, so no
    // event delivered while the client shuts down reaches them either.
    std::vector<WatchCallback> dropped;
    {
        std::lock_guard lock(watch_mutex_);
        for (auto& [p, w] : watches_) {
            w->fired = true;
            if (w->callback) dropped.push_back(std::move(w->callback));
        }
    }
    dropped.clear();
    // Closing stops the client's threads: no callback runs after this, so the contexts can go.
    if (zh_) zookeeper_close(zh_);
    std::lock_guard lock(watch_mutex_);
    watches_.clear();
}

void ZooKeeper::globalWatcher(zhandle_t*, int type, int state, const char*, void* ctx) {
    auto* self = static_cast<ZooKeeper*>(ctx);
    if (type != ZOO_SESSION_EVENT) return;
    bool expire = false;
    {
        std::lock_guard lock(self->state_mutex_);
        if (state == ZOO_CONNECTED_STATE) {
            if (!self->connected_ && !self->expired_) self->connected_ = true;
        } else if (state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE || self->connected_) {
            // Expiry, or any loss of the connection after the session was established.
            expire = !self->expired_;
        }
    }
    self->state_cv_.notify_all();
    if (expire) self->markExpired();
}

void ZooKeeper::nodeWatcher(zhandle_t*, int type, int state, const char* path, void* ctx) {
    auto* w = static_cast<WatchContext*>(ctx);
    ZooKeeper* self = w->owner;
    WatchEvent ev;
    ev.path = path ? path : "";
    if (type == ZOO_SESSION_EVENT) {
        // Connection state changes reach every watcher; the registration stays unless expired.
        if (state != ZOO_EXPIRED_SESSION_STATE && state != ZOO_AUTH_FAILED_STATE) return;
        ev.session_expired = true;
    } else if (type == ZOO_CREATED_EVENT) ev.type = WatchEvent::Type::Created;
    else if (type == ZOO_DELETED_EVENT) ev.type = WatchEvent::Type::Deleted;
    else if (type == ZOO_CHANGED_EVENT) ev.type = WatchEvent::Type::Changed;
    else if (type == ZOO_CHILD_EVENT) ev.type = WatchEvent::Type::Child;
    else return;
    WatchCallback cb;
    {
        std::lock_guard lock(self->watch_mutex_);
        if (w->fired) return;
        w->fired = true;
        cb = std::move(w->callback);
        // A node event removes the C client's registration: the context is not referenced again.
        if (type != ZOO_SESSION_EVENT) self->watches_.erase(w);
    }
    if (cb) {
        try { cb(ev); } catch (...) {}
    }
}

ZooKeeper::WatchContext* ZooKeeper::registerWatch(const WatchCallback& cb) {
    if (!cb) return nullptr;
    auto w = std::make_unique<WatchContext>();
    w->owner = this;
    w->callback = cb;
    auto* p = w.get();
    std::lock_guard lock(watch_mutex_);
    watches_.emplace(p, std::move(w));
    return p;
}

void ZooKeeper::unregisterWatch(WatchContext* w) {
    if (!w) return;
    std::lock_guard lock(watch_mutex_);
    watches_.erase(w);
}

void ZooKeeper::markExpired() {
    {
        std::lock_guard lock(state_mutex_);
        expired_ = true;
    }
    state_cv_.notify_all();
    // Watches of a dead session never fire: tell their owners now. The contexts stay allocated
    // (the C client may still pass them to nodeWatcher) until the destructor.
    std::vector<WatchCallback> pending;
    {
        std::lock_guard lock(watch_mutex_);
        for (auto& [p, w] : watches_)
            if (!w->fired) {
                w->fired = true;
                if (w->callback) pending.push_back(std::move(w->callback));
            }
    }
    WatchEvent ev;
    ev.session_expired = true;
    for (auto& cb : pending) {
        try { cb(ev); } catch (...) {}
    }
}

bool ZooKeeper::expired() const {
    std::lock_guard lock(state_mutex_);
    return expired_;
}

int64_t ZooKeeper::sessionId() const {
    const clientid_t* id = zh_ ? zoo_client_id(zh_) : nullptr;
    return id ? id->client_id : 0;
}

zhandle_t* ZooKeeper::handle() const {
    if (expired()) throw Exception(ErrorCodes::KEEPER_EXCEPTION, std::string("Coordination error: ") + errorMessage(ZSESSIONEXPIRED));
    return zh_;
}

void ZooKeeper::fail(int code, const std::string& path) {
    if (isHardwareError(code)) markExpired();
    throw Exception(ErrorCodes::KEEPER_EXCEPTION, std::string("Coordination error: ") + errorMessage(code) + ", path " + path);
}

int ZooKeeper::check(int code, const std::string& path, std::initializer_list<int> allowed) {
    if (code == ZOK) return code;
    for (int a : allowed)
        if (code == a) return code;
    fail(code, path);
}

// ---- operations -----------------------------------------------------------------------------

int ZooKeeper::tryCreate(const std::string& path, const std::string& data, CreateMode mode, std::string* path_created) {
    checkDataSize(data.size(), path);
    zhandle_t* zh = handle();
    std::string buf(path.size() + 64, '\0');
    int rc = zoo_create(zh, path.c_str(), data.data(), int(data.size()), &ZOO_OPEN_ACL_UNSAFE, createFlags(mode), buf.data(), int(buf.size()));
    check(rc, path, {ZNONODE, ZNODEEXISTS, ZNOCHILDRENFOREPHEMERALS});
    if (rc == ZOK && path_created) *path_created = std::string(buf.c_str());
    return rc;
}

std::string ZooKeeper::create(const std::string& path, const std::string& data, CreateMode mode) {
    std::string created;
    int rc = tryCreate(path, data, mode, &created);
    if (rc != ZOK) fail(rc, path);
    return created;
}

void ZooKeeper::createIfNotExists(const std::string& path, const std::string& data) {
    int rc = tryCreate(path, data, CreateMode::Persistent);
    if (rc != ZOK && rc != ZNODEEXISTS) fail(rc, path);
}

void ZooKeeper::createAncestors(const std::string& path) {
    size_t pos = 1;
    while (true) {
        size_t slash = path.find('/', pos);
        if (slash == std::string::npos) break;
        std::string prefix = path.substr(0, slash);
        pos = slash + 1;
        if (prefix.empty() || prefix.back() == '/') continue;   // "//" in the path
        if (exists(prefix)) continue;
        int rc = tryCreate(prefix, "", CreateMode::Persistent);
        if (rc != ZOK && rc != ZNODEEXISTS) fail(rc, prefix);
    }
}

int ZooKeeper::getImpl(const std::string& path, std::string& out, Stat* stat, const WatchCallback& watch) {
    zhandle_t* zh = handle();
    // zoo_get truncates a value larger than the buffer and reports the real size in the Stat:
    // retry with a buffer of that size (the node may change meanwhile; a few rounds at most).
    int buffer_size = 16384;
    for (int attempt = 0; attempt < 8; ++attempt) {
        out.resize(size_t(buffer_size));
        ::Stat st{};
        int len = buffer_size;
        // The watch is set by the first read only: it already covers every later change.
        WatchContext* w = attempt == 0 ? registerWatch(watch) : nullptr;
        int rc = w ? zoo_wget(zh, path.c_str(), &ZooKeeper::nodeWatcher, w, out.data(), &len, &st)
                   : zoo_get(zh, path.c_str(), 0, out.data(), &len, &st);
        if (rc != ZOK) {
            unregisterWatch(w);
            out.clear();
            return check(rc, path, {ZNONODE});
        }
        if (st.dataLength < 0 || st.dataLength > kMaxBelievedDataSize) {
            // The watch (if any) is set; it stays registered until it fires or the session ends.
            fail(ZMARSHALLINGERROR, path);
        }
        if (st.dataLength <= buffer_size && len <= buffer_size) {
            out.resize(len < 0 ? 0 : size_t(len));
            copyStat(st, stat);
            return ZOK;
        }
        buffer_size = st.dataLength;
    }
    throw Exception(ErrorCodes::KEEPER_EXCEPTION, "Coordination error: the value of " + path + " kept changing its size while being read");
}

std::string ZooKeeper::get(const std::string& path, Stat* stat, const WatchCallback& watch) {
    std::string out;
    int rc = getImpl(path, out, stat, watch);
    if (rc != ZOK) fail(rc, path);
    return out;
}

std::optional<std::string> ZooKeeper::tryGet(const std::string& path, Stat* stat, const WatchCallback& watch) {
    std::string out;
    if (getImpl(path, out, stat, watch) != ZOK) return std::nullopt;
    return out;
}

int ZooKeeper::trySet(const std::string& path, const std::string& data, int32_t version, Stat* stat) {
    checkDataSize(data.size(), path);
    zhandle_t* zh = handle();
    ::Stat st{};
    int rc = zoo_set2(zh, path.c_str(), data.data(), int(data.size()), version, &st);
    check(rc, path, {ZNONODE, ZBADVERSION});
    if (rc == ZOK) copyStat(st, stat);
    return rc;
}

void ZooKeeper::set(const std::string& path, const std::string& data, int32_t version, Stat* stat) {
    int rc = trySet(path, data, version, stat);
    if (rc != ZOK) fail(rc, path);
}

bool ZooKeeper::exists(const std::string& path, Stat* stat, const WatchCallback& watch) {
    zhandle_t* zh = handle();
    ::Stat st{};
    WatchContext* w = registerWatch(watch);
    int rc = w ? zoo_wexists(zh, path.c_str(), &ZooKeeper::nodeWatcher, w, &st) : zoo_exists(zh, path.c_str(), 0, &st);
    if (rc != ZOK && rc != ZNONODE) unregisterWatch(w);   // an exists watch is set for a missing node too
    check(rc, path, {ZNONODE});
    if (rc == ZOK) copyStat(st, stat);
    return rc == ZOK;
}

int ZooKeeper::tryGetChildren(const std::string& path, std::vector<std::string>& children, Stat* stat, const WatchCallback& watch) {
    zhandle_t* zh = handle();
    children.clear();
    String_vector names{};
    ::Stat st{};
    WatchContext* w = registerWatch(watch);
    int rc = w ? zoo_wget_children2(zh, path.c_str(), &ZooKeeper::nodeWatcher, w, &names, &st)
               : zoo_get_children2(zh, path.c_str(), 0, &names, &st);
    if (rc != ZOK) {
        unregisterWatch(w);
        return check(rc, path, {ZNONODE});
    }
    children.reserve(size_t(std::max(names.count, 0)));
    for (int32_t i = 0; i < names.count; ++i)
        if (names.data[i]) children.emplace_back(names.data[i]);
    deallocate_String_vector(&names);
    copyStat(st, stat);
    return ZOK;
}

std::vector<std::string> ZooKeeper::getChildren(const std::string& path, Stat* stat, const WatchCallback& watch) {
    std::vector<std::string> children;
    int rc = tryGetChildren(path, children, stat, watch);
    if (rc != ZOK) fail(rc, path);
    return children;
}

int ZooKeeper::tryRemove(const std::string& path, int32_t version) {
    zhandle_t* zh = handle();
    int rc = zoo_delete(zh, path.c_str(), version);
    return check(rc, path, {ZNONODE, ZBADVERSION, ZNOTEMPTY});
}

void ZooKeeper::remove(const std::string& path, int32_t version) {
    int rc = tryRemove(path, version);
    if (rc != ZOK) fail(rc, path);
}

bool ZooKeeper::tryRemoveRecursive(const std::string& path) {
    // Depth-first, children before their parent; a node created concurrently under a parent makes
    // its removal fail with "Not empty": list again (bounded).
    bool seen = false;
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::vector<std::string> children;
        if (tryGetChildren(path, children) == ZNONODE) return seen;   // gone meanwhile: removed all the same
        seen = true;
        std::string prefix = path == "/" ? "/" : path + "/";
        for (auto& c : children) tryRemoveRecursive(prefix + c);
        if (path == "/") return true;   // the root itself cannot be removed
        int rc = tryRemove(path);
        if (rc == ZOK || rc == ZNONODE) return true;
        if (rc != ZNOTEMPTY) fail(rc, path);
    }
    fail(ZNOTEMPTY, path);
}

void ZooKeeper::removeRecursive(const std::string& path) {
    if (!tryRemoveRecursive(path)) fail(ZNONODE, path);
}

int ZooKeeper::tryMulti(const std::vector<Op>& ops, std::vector<OpResult>& results) {
    results.assign(ops.size(), OpResult{});
    if (ops.empty()) return ZOK;
    size_t total = 0;
    for (auto& op : ops) total += op.data.size() + op.path.size();
    checkDataSize(total, ops[0].path);
    zhandle_t* zh = handle();
    std::vector<zoo_op_t> zops(ops.size());
    std::vector<zoo_op_result_t> zres(ops.size());
    std::vector<std::string> bufs(ops.size());
    std::vector<::Stat> stats(ops.size());
    for (size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        switch (op.type) {
            case Op::Type::Create:
                bufs[i].assign(op.path.size() + 64, '\0');
                zoo_create_op_init(&zops[i], op.path.c_str(), op.data.data(), int(op.data.size()), &ZOO_OPEN_ACL_UNSAFE, createFlags(op.mode),
                                   bufs[i].data(), int(bufs[i].size()));
                break;
            case Op::Type::Set:
                zoo_set_op_init(&zops[i], op.path.c_str(), op.data.data(), int(op.data.size()), op.version, &stats[i]);
                break;
            case Op::Type::Remove: zoo_delete_op_init(&zops[i], op.path.c_str(), op.version); break;
            case Op::Type::Check: zoo_check_op_init(&zops[i], op.path.c_str(), op.version); break;
        }
    }
    int rc = zoo_multi(zh, int(ops.size()), zops.data(), zres.data());
    if (isHardwareError(rc) || rc == ZBADARGUMENTS || rc == ZAPIERROR || rc == ZUNIMPLEMENTED) fail(rc, ops[0].path);
    for (size_t i = 0; i < ops.size(); ++i) {
        results[i].error = zres[i].err;
        if (rc != ZOK) continue;
        if (ops[i].type == Op::Type::Create) results[i].path_created = std::string(bufs[i].c_str());
        if (ops[i].type == Op::Type::Set) copyStat(stats[i], &results[i].stat);
    }
    if (rc == ZOK) return ZOK;
    // The failing op carries the real code; the ops after it ZRUNTIMEINCONSISTENCY.
    for (auto& r : results)
        if (r.error != ZOK && r.error != ZRUNTIMEINCONSISTENCY) return r.error;
    return rc;
}

std::vector<OpResult> ZooKeeper::multi(const std::vector<Op>& ops) {
    std::vector<OpResult> results;
    int rc = tryMulti(ops, results);
    if (rc == ZOK) return results;
    size_t failed = 0;
    while (failed < results.size() && (results[failed].error == ZOK || results[failed].error == ZRUNTIMEINCONSISTENCY)) ++failed;
    if (failed == results.size()) failed = 0;
    throw Exception(ErrorCodes::KEEPER_EXCEPTION, std::string("Transaction failed (") + errorMessage(rc) + "): Op #" + std::to_string(failed) +
                                                      ", path: " + (ops.empty() ? "" : ops[failed].path));
}

// ---- the process-wide session -------------------------------------------------------------------

namespace {
struct SessionHolder {
    std::mutex mutex;   // held while a new session connects: concurrent callers wait for it
    std::mutex current_mutex;
    ZooKeeperPtr current;
    // The last failed connect: callers that waited for it fail with it instead of trying again,
    // so N concurrent callers wait one connect timeout, not N.
    std::chrono::steady_clock::time_point failed_at{};
    std::string failure;
};
SessionHolder& sessionHolder() {
    static SessionHolder holder;
    return holder;
}
bool sameConfig(const ZooKeeperConfig& a, const ZooKeeperConfig& b) {
    return a.hosts == b.hosts && normalizeRoot(a.root) == normalizeRoot(b.root) && a.session_timeout_ms == b.session_timeout_ms;
}
}  // namespace

ZooKeeperPtr getZooKeeper() {
    auto config = clusterConfig();
    if (!config || config->zookeeper.empty()) throw Exception(ErrorCodes::NO_ZOOKEEPER, "There is no ZooKeeper configuration");
    auto& h = sessionHolder();
    auto waiting_since = std::chrono::steady_clock::now();
    std::lock_guard lock(h.mutex);
    ZooKeeperPtr old;
    {
        std::lock_guard cl(h.current_mutex);
        if (h.current && !h.current->expired() && sameConfig(h.current->config(), config->zookeeper)) return h.current;
        old = std::move(h.current);
    }
    if (h.failed_at > waiting_since) throw Exception(ErrorCodes::NO_ZOOKEEPER, h.failure);
    old.reset();   // closes the dead session now unless a caller still holds it
    ZooKeeperPtr fresh;
    try {
        fresh = std::make_shared<ZooKeeper>(config->zookeeper);
    } catch (const Exception& e) {
        h.failed_at = std::chrono::steady_clock::now();
        h.failure = e.what();
        throw;
    }
    std::lock_guard cl(h.current_mutex);
    h.current = fresh;
    return fresh;
}

ZooKeeperPtr tryGetExistingZooKeeper() {
    auto& h = sessionHolder();
    std::lock_guard cl(h.current_mutex);
    if (h.current && !h.current->expired()) return h.current;
    return nullptr;
}

}  // namespace basalt
