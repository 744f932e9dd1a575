// zookeeper.h — basalt's ZooKeeper client: a C++ wrapper over the synchronous API of the official C
// client (libzookeeper_mt), and the process-wide session (getZooKeeper) that ReplicatedMergeTree,
// the distributed DDL queue and system.zookeeper use. This file owns every call into the C client;
// nothing else in basalt includes <zookeeper/zookeeper.h>.
//
// Semantics follow ClickHouse's zkutil::ZooKeeper:
// - Paths are absolute ("/a/b") and relative to the configured root (a chroot, created at connect).
// - Errors throw Exception(KEEPER_EXCEPTION, "Coordination error: No node, path /a/b"); the try*
//   forms return the ZooKeeper error code (Coordination::ZOK, ZNONODE, ...) for the expected
//   "logical" outcomes (no node, node exists, bad version, not empty) and still throw for the rest.
// - A session that lost its connection is finished: connection loss, session expiry, operation
//   timeout throw KEEPER_EXCEPTION and make expired() true for good; every later call on the object
//   throws "Session expired". Ephemeral nodes and watches of that session must be considered gone.
//   getZooKeeper() hands out a new session on its next call. (The C client would reconnect within
//   the session timeout by itself; declaring the session dead on the first loss is what ClickHouse
//   does, and what makes "did my write happen?" questions explicit for the callers.)
// - Thread safety: one ZooKeeper object may be used by any number of threads at once (the _mt
//   client serializes requests on its own I/O thread; this wrapper keeps no unprotected state).
// - Watches: a callback runs once, on the client's completion thread — for the node event, or
//   with session_expired when the session dies first. It must be short and must not call back
//   into ZooKeeper (set a flag, notify a condition variable). It may run any time until then, from
//   any thread, so it should capture shared state (a shared_ptr), not a raw `this` that can be
//   destroyed first. Destroying the ZooKeeper object drops pending callbacks without calling them.
// - Values are limited to ZooKeeper's default jute.maxbuffer (1 MiB - 1 byte), checked before send.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster.h"

typedef struct _zhandle zhandle_t;   // the C client's handle (zookeeper.h)

namespace basalt {

namespace Coordination {

// ZooKeeper's error codes (the C client's ZOO_ERRORS values).
enum Error : int {
    ZOK = 0,
    ZSYSTEMERROR = -1,
    ZRUNTIMEINCONSISTENCY = -2,
    ZDATAINCONSISTENCY = -3,
    ZCONNECTIONLOSS = -4,
    ZMARSHALLINGERROR = -5,
    ZUNIMPLEMENTED = -6,
    ZOPERATIONTIMEOUT = -7,
    ZBADARGUMENTS = -8,
    ZINVALIDSTATE = -9,
    ZAPIERROR = -100,
    ZNONODE = -101,
    ZNOAUTH = -102,
    ZBADVERSION = -103,
    ZNOCHILDRENFOREPHEMERALS = -108,
    ZNODEEXISTS = -110,
    ZNOTEMPTY = -111,
    ZSESSIONEXPIRED = -112,
    ZINVALIDCALLBACK = -113,
    ZINVALIDACL = -114,
    ZAUTHFAILED = -115,
    ZCLOSING = -116,
    ZNOTHING = -117,
    ZSESSIONMOVED = -118,
    ZNOTREADONLY = -119,
};

// ClickHouse's text for an error code ("No node", "Node exists", "Bad version", ...).
const char* errorMessage(int code);
// Errors after which the session is unusable (ClickHouse's isHardwareError).
bool isHardwareError(int code);

// A node's metadata (the znode Stat). Times are milliseconds since the epoch.
struct Stat {
    int64_t czxid = 0;            // transaction that created the node
    int64_t mzxid = 0;            // transaction that last changed its data
    int64_t ctime = 0;
    int64_t mtime = 0;
    int32_t version = 0;          // data version: number of changes of the value
    int32_t cversion = 0;         // number of changes to the children
    int32_t aversion = 0;         // number of changes to the ACL
    int64_t ephemeralOwner = 0;   // session id owning an ephemeral node, 0 otherwise
    int32_t dataLength = 0;
    int32_t numChildren = 0;
    int64_t pzxid = 0;            // transaction that last added or removed a child
};

enum class CreateMode { Persistent, Ephemeral, PersistentSequential, EphemeralSequential };

// One operation of a multi() transaction. version -1 matches any version.
struct Op {
    enum class Type { Create, Set, Remove, Check } type = Type::Check;
    std::string path;
    std::string data;
    CreateMode mode = CreateMode::Persistent;
    int32_t version = -1;

    static Op create(std::string path, std::string data, CreateMode mode = CreateMode::Persistent);
    static Op set(std::string path, std::string data, int32_t version = -1);
    static Op remove(std::string path, int32_t version = -1);
    static Op check(std::string path, int32_t version = -1);
};

struct OpResult {
    int error = ZOK;          // ZOK for every op of a successful transaction
    std::string path_created; // Create: the node's path (with the sequence suffix)
    Stat stat;                // Set: the node's new Stat
};

// Delivered to a watch callback once: the node event, or `session_expired` when the session died
// before the event (then type is Session and the watch will never fire).
struct WatchEvent {
    enum class Type { Created, Deleted, Changed, Child, Session } type = Type::Session;
    bool session_expired = false;
    std::string path;
};
using WatchCallback = std::function<void(const WatchEvent&)>;

}  // namespace Coordination

class ZooKeeper {
public:
    using Stat = Coordination::Stat;
    using CreateMode = Coordination::CreateMode;

    // Connects to config.hosts (any of them) with config.root as chroot, creating the root node if
    // it does not exist, and waits up to session_timeout_ms for the session:
    // NO_ZOOKEEPER (225) "Cannot connect to ZooKeeper" when none answers, or with no hosts.
    explicit ZooKeeper(const ZooKeeperConfig& config);
    ~ZooKeeper();   // closes the session (its ephemeral nodes go at once)
    ZooKeeper(const ZooKeeper&) = delete;
    ZooKeeper& operator=(const ZooKeeper&) = delete;

    const ZooKeeperConfig& config() const { return config_; }
    bool expired() const;
    int64_t sessionId() const;

    // Creates `path`; returns the created path (sequential modes append a 10-digit counter).
    std::string create(const std::string& path, const std::string& data, CreateMode mode = CreateMode::Persistent);
    // Same; returns ZOK, ZNONODE (no parent), ZNODEEXISTS or ZNOCHILDRENFOREPHEMERALS.
    int tryCreate(const std::string& path, const std::string& data, CreateMode mode, std::string* path_created = nullptr);
    // Persistent node with empty value unless it exists already.
    void createIfNotExists(const std::string& path, const std::string& data = "");
    // Creates the missing ancestors of `path` (not `path` itself), as persistent empty nodes.
    void createAncestors(const std::string& path);

    std::string get(const std::string& path, Stat* stat = nullptr, const Coordination::WatchCallback& watch = {});
    // nullopt when the node does not exist (with a watch: none is set then; use exists()).
    std::optional<std::string> tryGet(const std::string& path, Stat* stat = nullptr, const Coordination::WatchCallback& watch = {});

    void set(const std::string& path, const std::string& data, int32_t version = -1, Stat* stat = nullptr);
    // ZOK, ZNONODE or ZBADVERSION.
    int trySet(const std::string& path, const std::string& data, int32_t version = -1, Stat* stat = nullptr);

    // A watch on exists() fires on creation, deletion or change (set whether the node exists or not).
    bool exists(const std::string& path, Stat* stat = nullptr, const Coordination::WatchCallback& watch = {});

    // Child names (not paths), in ZooKeeper's order (unsorted).
    std::vector<std::string> getChildren(const std::string& path, Stat* stat = nullptr, const Coordination::WatchCallback& watch = {});
    // ZOK or ZNONODE.
    int tryGetChildren(const std::string& path, std::vector<std::string>& children, Stat* stat = nullptr,
                       const Coordination::WatchCallback& watch = {});

    void remove(const std::string& path, int32_t version = -1);
    // ZOK, ZNONODE, ZBADVERSION or ZNOTEMPTY.
    int tryRemove(const std::string& path, int32_t version = -1);
    // Removes `path` and everything below it (not atomically: children first). Nodes that vanish
    // meanwhile are fine; ZNONODE for `path` itself throws.
    void removeRecursive(const std::string& path);
    // Same; false when `path` did not exist.
    bool tryRemoveRecursive(const std::string& path);

    // All ops or none. Throws KEEPER_EXCEPTION "Transaction failed (<error>): Op #i, path: <path>"
    // naming the first failing op; returns the per-op results on success.
    std::vector<Coordination::OpResult> multi(const std::vector<Coordination::Op>& ops);
    // Returns ZOK or the failing op's code (a logical error: ZNONODE, ZNODEEXISTS, ZBADVERSION,
    // ZNOTEMPTY, ZNOCHILDRENFOREPHEMERALS); `results` has one entry per op (the failing op carries
    // its error, the others ZOK or ZRUNTIMEINCONSISTENCY). Hardware errors throw.
    int tryMulti(const std::vector<Coordination::Op>& ops, std::vector<Coordination::OpResult>& results);

private:
    struct WatchContext;
    static void globalWatcher(zhandle_t* zh, int type, int state, const char* path, void* ctx);
    static void nodeWatcher(zhandle_t* zh, int type, int state, const char* path, void* ctx);

    zhandle_t* handle() const;                 // throws "Session expired" once expired
    void markExpired();
    // Throws KEEPER_EXCEPTION for `code`; hardware errors expire the session first.
    [[noreturn]] void fail(int code, const std::string& path);
    // For try* forms: returns `code` if it is one of `allowed` (or ZOK), else fail().
    int check(int code, const std::string& path, std::initializer_list<int> allowed);
    WatchContext* registerWatch(const Coordination::WatchCallback& cb);
    void unregisterWatch(WatchContext* w);     // the call failed: the watch was not set
    int getImpl(const std::string& path, std::string& out, Stat* stat, const Coordination::WatchCallback& watch);

    ZooKeeperConfig config_;
    std::string connect_string_;
    zhandle_t* zh_ = nullptr;

    mutable std::mutex state_mutex_;
    bool connected_ = false, expired_ = false;
    std::condition_variable state_cv_;   // the constructor waits on it for the session

    std::mutex watch_mutex_;
    uint64_t next_watch_id_ = 0;
    std::map<WatchContext*, std::unique_ptr<WatchContext>> watches_;
};

using ZooKeeperPtr = std::shared_ptr<ZooKeeper>;

// The process-wide session over clusterConfig()->zookeeper, created on first use; an expired one
// (or one whose configuration changed) is replaced by a new session on the next call.
// NO_ZOOKEEPER (225) "There is no ZooKeeper configuration" when no hosts are configured;
// NO_ZOOKEEPER "Cannot connect to ZooKeeper" when the new session cannot be established.
ZooKeeperPtr getZooKeeper();
// The current session if it exists and is alive, without connecting (nullptr otherwise).
ZooKeeperPtr tryGetExistingZooKeeper();

}  // namespace basalt
