// zookeeper_test.cpp — the ZooKeeper wrapper (src/cluster/zookeeper.h) against a real server:
// create/get/set with versions, sequential names, ephemeral nodes vanishing with their session,
// multi atomicity, removeRecursive, a large value, watches, chroot creation, concurrent use, and
// system.zookeeper through the SQL engine. Needs a running ZooKeeper: the tests that do are skipped
// unless BASALT_TEST_ZK=host:port is set (tests/integration/zookeeper.sh starts one and sets it).
// The connection-failure and no-configuration checks run always.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <random>
#include <thread>
#include <unistd.h>

#include "cluster/cluster.h"
#include "cluster/zookeeper.h"
#include "common/exception.h"
#include "test_engine.h"

using namespace basalt;
using namespace basalt::Coordination;

namespace {

const char* testServer() {
    const char* s = std::getenv("BASALT_TEST_ZK");
    return s && *s ? s : nullptr;
}

ZooKeeperConfig configFor(const std::string& root) {
    ZooKeeperConfig c;
    c.hosts = {testServer()};
    c.root = root;
    c.session_timeout_ms = 10000;
    return c;
}

// Expects `f` to throw a basalt Exception with `code` whose text contains `text`.
template <typename F>
void expectThrow(F&& f, int code, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "no exception, expected code " << code << " (" << text << ")";
    } catch (const Exception& e) {
        EXPECT_EQ(e.code(), code) << e.what();
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << "'" << e.what() << "' lacks '" << text << "'";
    }
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// Every test works under its own chroot, removed at the end.
class ZooKeeperTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!testServer()) GTEST_SKIP() << "BASALT_TEST_ZK=host:port not set (tests/integration/zookeeper.sh sets it)";
        root = "/basalt_unit_" + std::to_string(getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
        zk = std::make_unique<ZooKeeper>(configFor(root));
    }
    void TearDown() override {
        if (!testServer()) return;
        zk.reset();
        ZooKeeper plain(configFor(""));
        plain.tryRemoveRecursive(root);
    }
    std::string root;
    std::unique_ptr<ZooKeeper> zk;
};

}  // namespace

TEST(ZooKeeperNoServer, MissingConfigurationAndUnreachableServer) {
    ZooKeeperConfig none;
    expectThrow([&] { ZooKeeper z(none); }, ErrorCodes::NO_ZOOKEEPER, "There is no ZooKeeper configuration");
    auto saved = clusterConfig();
    setClusterConfig(std::make_shared<ClusterConfig>());
    expectThrow([] { getZooKeeper(); }, ErrorCodes::NO_ZOOKEEPER, "There is no ZooKeeper configuration");
    setClusterConfig(saved);

    // Nothing listens on port 1: a bounded wait, then NO_ZOOKEEPER.
    ZooKeeperConfig dead;
    dead.hosts = {"127.0.0.1:1"};
    dead.session_timeout_ms = 700;
    auto start = std::chrono::steady_clock::now();
    expectThrow([&] { ZooKeeper z(dead); }, ErrorCodes::NO_ZOOKEEPER, "Cannot connect to ZooKeeper");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(ZooKeeperTest, CreateGetSetWithVersions) {
    Stat st;
    EXPECT_EQ(zk->create("/a", "v1"), "/a");
    EXPECT_EQ(zk->get("/a", &st), "v1");
    EXPECT_EQ(st.version, 0);
    EXPECT_EQ(st.dataLength, 2);
    EXPECT_EQ(st.ephemeralOwner, 0);
    EXPECT_GT(st.czxid, 0);
    EXPECT_GT(st.ctime, 1600000000000LL);   // milliseconds

    zk->set("/a", "v2", 0, &st);
    EXPECT_EQ(st.version, 1);
    EXPECT_EQ(zk->trySet("/a", "v3", 0), ZBADVERSION);
    expectThrow([&] { zk->set("/a", "v3", 0); }, ErrorCodes::KEEPER_EXCEPTION, "Coordination error: Bad version, path /a");
    EXPECT_EQ(zk->get("/a"), "v2");
    zk->set("/a", "");   // any version
    EXPECT_EQ(zk->get("/a", &st), "");
    EXPECT_EQ(st.version, 2);

    EXPECT_EQ(zk->tryCreate("/a", "x", CreateMode::Persistent), ZNODEEXISTS);
    expectThrow([&] { zk->create("/a", "x"); }, ErrorCodes::KEEPER_EXCEPTION, "Coordination error: Node exists, path /a");
    expectThrow([&] { zk->create("/missing/child", "x"); }, ErrorCodes::KEEPER_EXCEPTION, "Coordination error: No node, path /missing/child");
    expectThrow([&] { zk->get("/nope"); }, ErrorCodes::KEEPER_EXCEPTION, "Coordination error: No node, path /nope");
    EXPECT_FALSE(zk->tryGet("/nope").has_value());
    EXPECT_EQ(zk->trySet("/nope", "x"), ZNONODE);
    EXPECT_TRUE(zk->exists("/a", &st));
    EXPECT_EQ(st.version, 2);
    EXPECT_FALSE(zk->exists("/nope"));

    zk->createAncestors("/p/q/r/leaf");
    EXPECT_TRUE(zk->exists("/p/q/r"));
    EXPECT_FALSE(zk->exists("/p/q/r/leaf"));
    zk->createIfNotExists("/p/q/r/leaf", "v");
    zk->createIfNotExists("/p/q/r/leaf", "other");
    EXPECT_EQ(zk->get("/p/q/r/leaf"), "v");
    EXPECT_EQ(sorted(zk->getChildren("/")), (std::vector<std::string>{"a", "p"}));
    std::vector<std::string> kids;
    EXPECT_EQ(zk->tryGetChildren("/nope", kids), ZNONODE);

    EXPECT_EQ(zk->tryRemove("/a", 7), ZBADVERSION);
    EXPECT_EQ(zk->tryRemove("/p"), ZNOTEMPTY);
    EXPECT_EQ(zk->tryRemove("/a", 2), ZOK);
    EXPECT_EQ(zk->tryRemove("/a"), ZNONODE);
    expectThrow([&] { zk->remove("/a"); }, ErrorCodes::KEEPER_EXCEPTION, "Coordination error: No node, path /a");
    EXPECT_FALSE(zk->expired());   // logical errors keep the session
}

TEST_F(ZooKeeperTest, SequentialNames) {
    zk->create("/q", "");
    EXPECT_EQ(zk->create("/q/item-", "a", CreateMode::PersistentSequential), "/q/item-0000000000");
    EXPECT_EQ(zk->create("/q/item-", "b", CreateMode::PersistentSequential), "/q/item-0000000001");
    zk->create("/q/other", "");
    // The counter is the parent's cversion: every child creation advances it.
    EXPECT_EQ(zk->create("/q/item-", "c", CreateMode::EphemeralSequential), "/q/item-0000000003");
    EXPECT_EQ(zk->get("/q/item-0000000001"), "b");
    EXPECT_EQ(zk->getChildren("/q").size(), 4u);
}

TEST_F(ZooKeeperTest, EphemeralNodesVanishWithTheirSession) {
    zk->create("/e", "");
    int64_t other_id;
    {
        ZooKeeper other(configFor(root));
        other_id = other.sessionId();
        EXPECT_NE(other_id, zk->sessionId());
        other.create("/e/mine", "x", CreateMode::Ephemeral);
        EXPECT_EQ(other.tryCreate("/e/mine/child", "", CreateMode::Persistent), ZNOCHILDRENFOREPHEMERALS);
        Stat st;
        ASSERT_TRUE(zk->exists("/e/mine", &st));
        EXPECT_EQ(st.ephemeralOwner, other_id);
    }
    // Closing the session removed the node at once.
    EXPECT_FALSE(zk->exists("/e/mine"));
}

TEST_F(ZooKeeperTest, MultiIsAtomic) {
    zk->create("/m", "0");
    std::vector<Op> ok_ops{Op::create("/m/a", "1"), Op::create("/m/s-", "", CreateMode::PersistentSequential), Op::set("/m", "1", 0),
                           Op::check("/m", 1), Op::create("/m/b", ""), Op::remove("/m/b")};
    auto results = zk->multi(ok_ops);
    ASSERT_EQ(results.size(), ok_ops.size());
    EXPECT_EQ(results[0].path_created, "/m/a");
    EXPECT_EQ(results[1].path_created, "/m/s-0000000001");
    EXPECT_EQ(results[2].stat.version, 1);
    for (auto& r : results) EXPECT_EQ(r.error, ZOK);
    EXPECT_FALSE(zk->exists("/m/b"));

    // The third op fails: the first two are rolled back.
    std::vector<Op> bad{Op::create("/m/x", ""), Op::set("/m", "2"), Op::create("/m/a", ""), Op::create("/m/y", "")};
    std::vector<OpResult> out;
    EXPECT_EQ(zk->tryMulti(bad, out), ZNODEEXISTS);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[2].error, ZNODEEXISTS);
    EXPECT_FALSE(zk->exists("/m/x"));
    EXPECT_FALSE(zk->exists("/m/y"));
    EXPECT_EQ(zk->get("/m"), "1");
    expectThrow([&] { zk->multi(bad); }, ErrorCodes::KEEPER_EXCEPTION, "Transaction failed (Node exists): Op #2, path: /m/a");
    // A version check guards the whole transaction.
    EXPECT_EQ(zk->tryMulti({Op::check("/m", 0), Op::create("/m/z", "")}, out), ZBADVERSION);
    EXPECT_FALSE(zk->exists("/m/z"));
    EXPECT_EQ(zk->tryMulti({}, out), ZOK);
    EXPECT_FALSE(zk->expired());
}

TEST_F(ZooKeeperTest, RemoveRecursive) {
    zk->createAncestors("/r/a/b/c/d");
    zk->create("/r/a/b/c/d", "leaf");
    zk->create("/r/x", "");
    for (int i = 0; i < 20; ++i) zk->create("/r/x/n-", "", CreateMode::PersistentSequential);
    zk->create("/keep", "");
    zk->removeRecursive("/r");
    EXPECT_FALSE(zk->exists("/r"));
    EXPECT_TRUE(zk->exists("/keep"));
    EXPECT_FALSE(zk->tryRemoveRecursive("/r"));
    expectThrow([&] { zk->removeRecursive("/r"); }, ErrorCodes::KEEPER_EXCEPTION, "No node, path /r");
}

TEST_F(ZooKeeperTest, LargeValueRoundTrip) {
    std::string big(1000000, '\0');
    std::mt19937 rng(42);
    for (auto& c : big) c = char(rng());
    zk->create("/big", big);
    Stat st;
    EXPECT_EQ(zk->get("/big", &st), big);   // larger than the first read buffer: re-read
    EXPECT_EQ(st.dataLength, int32_t(big.size()));
    std::string other(300000, 'z');
    zk->set("/big", other);
    EXPECT_EQ(zk->tryGet("/big").value_or(""), other);
    auto results = zk->multi({Op::set("/big", big)});
    EXPECT_EQ(zk->get("/big"), big);
    // Over ZooKeeper's limit: refused before sending, the session stays usable.
    expectThrow([&] { zk->set("/big", std::string(1048576 + 10, 'x')); }, ErrorCodes::KEEPER_EXCEPTION, "Bad arguments, path /big");
    EXPECT_FALSE(zk->expired());
    EXPECT_EQ(zk->get("/big").size(), big.size());
}

TEST_F(ZooKeeperTest, Watches) {
    std::mutex m;
    std::condition_variable cv;
    std::vector<WatchEvent> events;
    auto watch = [&](const WatchEvent& e) {
        std::lock_guard lock(m);
        events.push_back(e);
        cv.notify_all();
    };
    auto waitFor = [&](size_t n) {
        std::unique_lock lock(m);
        return cv.wait_for(lock, std::chrono::seconds(10), [&] { return events.size() >= n; });
    };
    EXPECT_FALSE(zk->exists("/w", nullptr, watch));
    zk->create("/w", "1");
    ASSERT_TRUE(waitFor(1));
    EXPECT_EQ(events[0].type, WatchEvent::Type::Created);
    EXPECT_EQ(events[0].path, "/w");

    zk->getChildren("/w", nullptr, watch);
    zk->create("/w/c", "");
    ASSERT_TRUE(waitFor(2));
    EXPECT_EQ(events[1].type, WatchEvent::Type::Child);

    zk->get("/w", nullptr, watch);
    zk->set("/w", "2");
    zk->set("/w", "3");   // a watch fires once
    ASSERT_TRUE(waitFor(3));
    EXPECT_EQ(events[2].type, WatchEvent::Type::Changed);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    {
        std::lock_guard lock(m);
        EXPECT_EQ(events.size(), 3u);
    }
    // Destroying the session drops a pending watch without calling it (its owner may be gone).
    zk->exists("/w/never", nullptr, watch);
    zk.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::lock_guard lock(m);
    EXPECT_EQ(events.size(), 3u);
}

TEST_F(ZooKeeperTest, ChrootIsCreatedAndIsolates) {
    zk->create("/inside", "");
    ZooKeeper plain(configFor(""));
    EXPECT_TRUE(plain.exists(root + "/inside"));
    // A deeper root is created with its ancestors.
    std::string deep = root + "/x/y";
    ZooKeeper nested(configFor(deep + "/"));
    nested.create("/n", "");
    EXPECT_TRUE(plain.exists(deep + "/n"));
    EXPECT_EQ(nested.getChildren("/"), std::vector<std::string>{"n"});
}

TEST_F(ZooKeeperTest, ConcurrentUseOfOneSession) {
    zk->create("/c", "");
    std::vector<std::thread> threads;
    std::atomic<int> errors{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            try {
                for (int i = 0; i < 50; ++i) {
                    auto p = zk->create("/c/n-", std::to_string(i), CreateMode::PersistentSequential);
                    if (zk->get(p) != std::to_string(i)) ++errors;
                }
            } catch (...) {
                ++errors;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(zk->getChildren("/c").size(), 200u);
}

TEST_F(ZooKeeperTest, ProcessSessionAndSystemTable) {
    zk->create("/t", "");
    zk->create("/t/one", "1");
    zk->create("/t/two", "22");
    auto saved = clusterConfig();
    auto config = std::make_shared<ClusterConfig>(*saved);
    config->zookeeper = configFor(root);
    setClusterConfig(config);
    struct Restore {
        std::shared_ptr<const ClusterConfig> c;
        ~Restore() { setClusterConfig(c); }
    } restore{saved};

    auto s1 = getZooKeeper();
    EXPECT_EQ(getZooKeeper(), s1);   // one session per process
    EXPECT_TRUE(s1->exists("/t/one"));

    TestEngine e;   // system.zookeeper exists since ZooKeeper is configured
    EXPECT_EQ(e.run("SELECT name, value, dataLength, numChildren, path FROM system.zookeeper WHERE path = '/t' ORDER BY name"),
              "one\t1\t1\t0\t/t\ntwo\t22\t2\t0\t/t\n");
    EXPECT_EQ(e.run("SELECT name FROM system.zookeeper WHERE path IN ('/', 't/') AND name != 'zookeeper' ORDER BY name"), "one\nt\ntwo\n");
    EXPECT_EQ(e.run("SELECT count() FROM system.zookeeper WHERE path = '/t' AND version = 0 AND ctime > '2020-01-01'"), "2\n");
    EXPECT_EQ(e.run("SELECT name FROM system.zookeeper WHERE path IN (SELECT '/t') ORDER BY name"), "one\ntwo\n");
    EXPECT_EQ(e.run("SELECT count() FROM system.zookeeper WHERE path = '/no/such/node'"), "0\n");
    EXPECT_EQ(e.code("SELECT * FROM system.zookeeper"), ErrorCodes::BAD_ARGUMENTS);
    EXPECT_EQ(e.code("SELECT * FROM system.zookeeper WHERE path LIKE '/t%'"), ErrorCodes::BAD_ARGUMENTS);
    EXPECT_EQ(e.code("SELECT * FROM system.zookeeper WHERE path = '/t' OR name = 'x'"), ErrorCodes::BAD_ARGUMENTS);

    // A changed configuration gets a new session.
    auto other = std::make_shared<ClusterConfig>(*config);
    other->zookeeper.root = root + "/t";
    setClusterConfig(other);
    auto s2 = getZooKeeper();
    EXPECT_NE(s2, s1);
    EXPECT_EQ(sorted(s2->getChildren("/")), (std::vector<std::string>{"one", "two"}));
}
