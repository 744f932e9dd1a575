// pipeline_test.cpp — materialized views, refreshable views, dictionaries and Buffer tables over
// time and across threads: background refreshes / reloads / flushes happen without any statement
// asking for them, concurrent INSERTs through a view cascade lose nothing, views and dictionaries
// survive a restart; results stream to a ResultSink block by block. (Run under TSan too: the
// background thread and the inserts share tables.)
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "sql/parser.h"
#include "storage/process_list.h"
#include "test_engine.h"

using namespace basalt;

namespace {

// Polls `sql` until it returns `expected` or `seconds` pass; returns the last result.
std::string waitFor(TestEngine& e, const std::string& sql, const std::string& expected, int seconds = 8) {
    std::string got;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
        got = e.run(sql);
        if (got == expected) return got;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return got;
}

// Statements run by one session of an on-disk catalog (the access tests' users each have one).
std::string runIn(Session& s, const std::string& q) { return s.formatResult(s.execute(q), "TabSeparated"); }
int codeIn(Session& s, const std::string& q) {
    try { s.execute(q); } catch (const Exception& e) { return e.code(); }
    return 0;
}
// A fresh directory under the system's temp dir, for a test's catalog.
std::filesystem::path freshDir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    return dir;
}

}  // namespace

TEST(Pipeline, RefreshableViewRefreshesInTheBackground) {
    TestEngine e;
    e.run("CREATE TABLE src (k UInt32, v UInt64) ENGINE = MergeTree ORDER BY k");
    e.run("INSERT INTO src VALUES (1, 10)");
    e.run("CREATE MATERIALIZED VIEW rmv REFRESH EVERY 1 SECOND ENGINE = MergeTree ORDER BY k AS SELECT k, sum(v) AS s FROM src GROUP BY k");
    EXPECT_EQ(e.run("SELECT * FROM rmv"), "1\t10\n");   // the initial refresh
    e.run("INSERT INTO src VALUES (1, 5), (2, 7)");
    EXPECT_EQ(waitFor(e, "SELECT * FROM rmv ORDER BY k", "1\t15\n2\t7\n"), "1\t15\n2\t7\n");
    // Stopped: no more refreshes.
    e.run("SYSTEM STOP VIEW rmv");
    e.run("INSERT INTO src VALUES (3, 1)");
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    EXPECT_EQ(e.run("SELECT count() FROM rmv"), "2\n");
    EXPECT_EQ(e.run("SELECT status FROM system.view_refreshes WHERE view = 'rmv'"), "Disabled\n");
}

TEST(Pipeline, DictionaryReloadsWhenItsLifetimePasses) {
    TestEngine e;
    e.run("CREATE TABLE users (id UInt64, name String) ENGINE = MergeTree ORDER BY id");
    e.run("INSERT INTO users VALUES (1, 'ann')");
    e.run("CREATE DICTIONARY ud (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'users')) LAYOUT(HASHED()) LIFETIME(MIN 1 MAX 1)");
    EXPECT_EQ(e.run("SELECT dictGet('ud', 'name', toUInt64(2))"), "\n");
    e.run("INSERT INTO users VALUES (2, 'bob')");
    EXPECT_EQ(waitFor(e, "SELECT dictGet('ud', 'name', toUInt64(2))", "bob\n"), "bob\n");
    // A source that starts failing keeps the last good data and records the error.
    e.run("DROP TABLE users");
    EXPECT_EQ(waitFor(e, "SELECT last_exception != '' FROM system.dictionaries WHERE name = 'ud'", "1\n"), "1\n");
    EXPECT_EQ(e.run("SELECT dictGet('ud', 'name', toUInt64(1))"), "ann\n");
}

TEST(Pipeline, BufferFlushesByTime) {
    TestEngine e;
    e.run("CREATE TABLE dest (x UInt64) ENGINE = MergeTree ORDER BY x");
    e.run("CREATE TABLE buf (x UInt64) ENGINE = Buffer(currentDatabase(), dest, 1, 0, 1, 1000000, 1000000, 1000000000, 1000000000)");
    e.run("INSERT INTO buf VALUES (1), (2)");
    EXPECT_EQ(e.run("SELECT count() FROM buf"), "2\n");   // buffered rows are readable at once
    EXPECT_EQ(waitFor(e, "SELECT count() FROM dest", "2\n"), "2\n");
    EXPECT_EQ(e.run("SELECT count() FROM buf"), "2\n");   // now from the destination only
}

TEST(Pipeline, ConcurrentInsertsThroughACascadeLoseNothing) {
    TestEngine e;
    e.run("CREATE TABLE ev (ts DateTime, u UInt64) ENGINE = MergeTree ORDER BY ts");
    e.run("CREATE TABLE m1 (t DateTime, c AggregateFunction(count), x AggregateFunction(uniq, UInt64)) ENGINE = AggregatingMergeTree ORDER BY t");
    e.run("CREATE TABLE h1 (t DateTime, c AggregateFunction(count), x AggregateFunction(uniq, UInt64)) ENGINE = AggregatingMergeTree ORDER BY t");
    e.run("CREATE MATERIALIZED VIEW m1v TO m1 AS SELECT toStartOfMinute(ts) AS t, countState() AS c, uniqState(u) AS x FROM ev GROUP BY t");
    e.run("CREATE MATERIALIZED VIEW h1v TO h1 AS SELECT toStartOfHour(t) AS t, countMergeState(c) AS c, uniqMergeState(x) AS x FROM m1 GROUP BY t");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&e, t] {
            Session s(*e.catalog);
            for (int i = 0; i < 20; ++i)
                s.execute("INSERT INTO ev SELECT toDateTime('2030-01-01 00:00:00') + number * 7 + " + std::to_string(t * 1000 + i) +
                          ", number % 50 FROM numbers(300)");
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(e.run("SELECT count() FROM ev"), "24000\n");
    EXPECT_EQ(e.run("SELECT countMerge(c) FROM m1"), "24000\n");
    EXPECT_EQ(e.run("SELECT countMerge(c), uniqMerge(x) FROM h1"), "24000\t50\n");
}

TEST(Pipeline, ViewsAndDictionariesSurviveARestart) {
    auto dir = std::filesystem::temp_directory_path() / ("basalt_pipeline_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        s.execute("CREATE TABLE src (k UInt32, v UInt64) ENGINE = MergeTree ORDER BY k");
        s.execute("CREATE TABLE tgt (k UInt32, s AggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY k");
        s.execute("CREATE MATERIALIZED VIEW mv TO tgt AS SELECT k, sumState(v) AS s FROM src GROUP BY k");
        s.execute("CREATE MATERIALIZED VIEW inner_mv ENGINE = SummingMergeTree ORDER BY k AS SELECT k, v FROM src WHERE v > 1");
        s.execute("CREATE VIEW v AS SELECT k, sumMerge(s) AS total FROM tgt GROUP BY k");
        s.execute("CREATE DICTIONARY d (k UInt64, name String) PRIMARY KEY k SOURCE(CLICKHOUSE(QUERY 'SELECT toUInt64(k) AS k, toString(max(v)) AS name FROM src GROUP BY k')) LAYOUT(HASHED()) LIFETIME(0)");
        s.execute("INSERT INTO src VALUES (1, 1), (2, 2)");
    }
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        s.execute("INSERT INTO src VALUES (1, 10), (2, 20)");
        auto run = [&](const std::string& q) { return s.formatResult(s.execute(q), "TabSeparated"); };
        EXPECT_EQ(run("SELECT * FROM v ORDER BY k"), "1\t11\n2\t22\n");
        EXPECT_EQ(run("SELECT * FROM inner_mv FINAL ORDER BY k"), "1\t10\n2\t22\n");
        EXPECT_EQ(run("SELECT dictGet('d', 'name', toUInt64(2))"), "20\n");
        EXPECT_EQ(run("SELECT engine FROM system.tables WHERE database = currentDatabase() AND name IN ('mv', 'v', 'd') ORDER BY name"),
                  "Dictionary\nMaterializedView\nView\n");
    }
    std::filesystem::remove_all(dir);
}

TEST(Pipeline, AggregateStateFormatVersionIsPartOfTheType) {
    TestEngine e;
    // Version 0 is this build's format: accepted, printed without the number.
    EXPECT_EQ(e.run("SELECT toTypeName(CAST(sumState(toUInt8(1)), 'AggregateFunction(0, sum, UInt8)'))"), "AggregateFunction(sum, UInt8)\n");
    // A newer version is refused rather than misread.
    EXPECT_EQ(e.code("CREATE TABLE t (s AggregateFunction(1, sum, UInt8)) ENGINE = Memory"), ErrorCodes::NOT_IMPLEMENTED);
    // States stored in a part read back exactly (count as VarUInt, uniq as ClickHouse's hash set).
    e.run("CREATE TABLE s (k UInt8, c AggregateFunction(count), u AggregateFunction(uniq, UInt64)) ENGINE = AggregatingMergeTree ORDER BY k");
    e.run("INSERT INTO s SELECT 1, countState(), uniqState(number) FROM numbers(1000)");
    EXPECT_EQ(e.run("SELECT hex(c), finalizeAggregation(u) FROM s"), "E807\t1000\n");
}

// A crash after the source table is published but before the view's target is: at restart
// neither has the INSERT's rows (the intent files written before any publish roll both back).
TEST(Pipeline, CrashBetweenPublishingTablesRollsAllBack) {
    auto dir = std::filesystem::temp_directory_path() / ("basalt_pipeline_crash_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    struct SimulatedCrash {};
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        s.execute("CREATE TABLE src (k UInt32) ENGINE = MergeTree ORDER BY k");
        s.execute("CREATE TABLE tgt (k UInt32) ENGINE = MergeTree ORDER BY k");
        s.execute("CREATE MATERIALIZED VIEW mv TO tgt AS SELECT k * 10 AS k FROM src");
        s.execute("INSERT INTO src VALUES (1)");   // acknowledged: must survive
        setInsertCommitHookForTests([](size_t committed) {
            if (committed == 1) throw SimulatedCrash{};
        });
        EXPECT_THROW(s.execute("INSERT INTO src VALUES (2), (3)"), SimulatedCrash);
        setInsertCommitHookForTests(nullptr);
        // In this (dying) process one table is published already; the restart decides.
    }
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        auto run = [&](const std::string& q) { return s.formatResult(s.execute(q), "TabSeparated"); };
        EXPECT_EQ(run("SELECT groupArray(k) FROM (SELECT k FROM src ORDER BY k)"), "[1]\n");
        EXPECT_EQ(run("SELECT groupArray(k) FROM (SELECT k FROM tgt ORDER BY k)"), "[10]\n");
        s.execute("INSERT INTO src VALUES (4)");
        EXPECT_EQ(run("SELECT count() FROM src"), "2\n");
        EXPECT_EQ(run("SELECT count() FROM tgt"), "2\n");
    }
    std::filesystem::remove_all(dir);
}

TEST(Pipeline, DictionaryFromAFile) {
    auto path = std::filesystem::temp_directory_path() / ("basalt_dict_" + std::to_string(::getpid()) + ".csv");
    {
        std::ofstream f(path);
        f << "1,ann\n2,bob\n";
    }
    TestEngine e;
    e.run("CREATE DICTIONARY fd (id UInt64, name String DEFAULT '?') PRIMARY KEY id SOURCE(FILE(PATH '" + path.string() +
          "' FORMAT 'CSV')) LAYOUT(FLAT()) LIFETIME(0)");
    EXPECT_EQ(e.run("SELECT dictGet('fd', 'name', toUInt64(2)), dictGet('fd', 'name', toUInt64(3)), dictHas('fd', toUInt64(1))"), "bob\t?\t1\n");
    EXPECT_EQ(e.run("SELECT element_count, status FROM system.dictionaries WHERE name = 'fd'"), "2\tLOADED\n");
    // A source that cannot be read: the lookup fails with the source's error, the dictionary is FAILED.
    e.run("CREATE DICTIONARY missing (id UInt64, name String) PRIMARY KEY id SOURCE(FILE(PATH '/nonexistent/x.csv' FORMAT 'CSV')) LAYOUT(HASHED()) LIFETIME(0)");
    EXPECT_NE(e.code("SELECT dictGet('missing', 'name', toUInt64(1))"), 0);
    EXPECT_EQ(e.run("SELECT status FROM system.dictionaries WHERE name = 'missing'"), "FAILED\n");
    std::filesystem::remove(path);
}

// Rows waiting in a Buffer table are flushed into its destination when the catalog shuts down
// (a clean server stop loses nothing), as ClickHouse flushes buffers at shutdown.
TEST(Pipeline, BufferFlushedAtShutdown) {
    auto dir = std::filesystem::temp_directory_path() / ("basalt_buffer_shutdown_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        s.execute("CREATE TABLE dest (x UInt64) ENGINE = MergeTree ORDER BY x");
        s.execute("CREATE TABLE buf (x UInt64) ENGINE = Buffer(currentDatabase(), dest, 1, 1000, 1000, 1000000, 1000000, 1000000000, 1000000000)");
        s.execute("INSERT INTO buf SELECT number FROM numbers(100)");
        EXPECT_EQ(s.formatResult(s.execute("SELECT count() FROM dest"), "TabSeparated"), "0\n");   // still buffered
    }
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        EXPECT_EQ(s.formatResult(s.execute("SELECT count(), sum(x) FROM dest"), "TabSeparated"), "100\t4950\n");
    }
    std::filesystem::remove_all(dir);
}

// SQL users: grants checked per statement (SELECT / INSERT / CREATE / DROP / ALTER), roles, row
// policies that hide rows, REVOKE, passwords hidden in system.query_log, state kept across restarts.
TEST(Access, GrantsRolesAndRowPolicies) {
    auto dir = freshDir("basalt_access");
    {
        auto catalog = openCatalog(dir.string());
        Session admin(*catalog);
        runIn(admin, "CREATE TABLE t (k UInt32, owner String) ENGINE = MergeTree ORDER BY k");
        runIn(admin, "CREATE TABLE secret (x UInt8) ENGINE = Memory");
        runIn(admin, "INSERT INTO t VALUES (1, 'bob'), (2, 'ann'), (3, 'bob')");
        runIn(admin, "CREATE USER bob IDENTIFIED BY 'pw1'");
        runIn(admin, "CREATE ROLE reader");
        runIn(admin, "GRANT SELECT ON default.t TO reader");
        runIn(admin, "GRANT reader TO bob");
        Session bob(*catalog);
        bob.clientInfo().user = "bob";
        EXPECT_EQ(runIn(bob, "SELECT count() FROM t"), "3\n");
        EXPECT_EQ(codeIn(bob, "SELECT * FROM secret"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(bob, "INSERT INTO t VALUES (9, 'x')"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(bob, "CREATE TABLE b (x UInt8) ENGINE = Memory"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(bob, "DROP TABLE t"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(bob, "ALTER TABLE t DELETE WHERE 1"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(bob, "CREATE USER eve"), ErrorCodes::ACCESS_DENIED);   // no access management
        EXPECT_EQ(runIn(bob, "SELECT count() FROM system.one"), "1\n");           // system is readable
        runIn(admin, "GRANT INSERT ON default.t TO bob");
        runIn(bob, "INSERT INTO t VALUES (4, 'bob')");
        // A row policy: bob sees only his rows, the administrator all of them.
        runIn(admin, "CREATE ROW POLICY own ON default.t USING owner = currentUser() TO bob");
        EXPECT_EQ(runIn(bob, "SELECT groupArray(k) FROM (SELECT k FROM t ORDER BY k)"), "[1,3,4]\n");
        EXPECT_EQ(runIn(bob, "SELECT count() FROM t WHERE k > 1"), "2\n");
        EXPECT_EQ(runIn(admin, "SELECT count() FROM t"), "4\n");
        EXPECT_EQ(runIn(admin, "SHOW GRANTS FOR bob"), "GRANT INSERT ON `default`.`t` TO `bob`\nGRANT `reader` TO `bob`\n");
        runIn(admin, "REVOKE reader FROM bob");
        EXPECT_EQ(codeIn(bob, "SELECT count() FROM t"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(admin, "DROP USER nobody"), ErrorCodes::UNKNOWN_USER);
        EXPECT_EQ(codeIn(admin, "GRANT nosuchrole TO bob"), ErrorCodes::UNKNOWN_ROLE);
        // The password never reaches the query log.
        EXPECT_EQ(runIn(admin, "SELECT countIf(query LIKE '%pw1%'), countIf(query LIKE 'CREATE USER bob IDENTIFIED WITH sha256_password BY \\'[HIDDEN]\\'') "
                             "FROM system.query_log"),
                  "0\t1\n");
        EXPECT_EQ(runIn(admin, "SELECT name, auth_type FROM system.users"), "bob\tsha256_password\n");
        EXPECT_TRUE(catalog->access().authenticate("bob", "pw1").has_value());
        EXPECT_THROW(catalog->access().authenticate("bob", "wrong"), Exception);
    }
    {
        // Users, grants and policies survive a restart.
        auto catalog = openCatalog(dir.string());
        EXPECT_TRUE(catalog->access().authenticate("bob", "pw1").has_value());
        Session bob(*catalog);
        bob.clientInfo().user = "bob";
        EXPECT_EQ(bob.formatResult(bob.execute("SHOW GRANTS"), "TabSeparated"), "GRANT INSERT ON `default`.`t` TO `bob`\n");
        EXPECT_EQ(catalog->access().rowPolicies().size(), 1u);
    }
    std::filesystem::remove_all(dir);
}

// Column-level grants: SELECT(a, b) / INSERT(a) let a user read / write only those columns; the
// error names the columns the statement needed; REVOKE of one column or of the whole privilege;
// only SELECT and INSERT take column lists, on one table (INVALID_GRANT); kept across restarts.
TEST(Access, ColumnLevelGrants) {
    auto dir = freshDir("basalt_access_columns");
    {
        auto catalog = openCatalog(dir.string());
        Session admin(*catalog);
        runIn(admin, "CREATE TABLE t (k UInt32, name String, salary UInt64, d UInt8 DEFAULT 7) ENGINE = MergeTree ORDER BY k");
        runIn(admin, "INSERT INTO t VALUES (1, 'ann', 100, 1), (2, 'bob', 200, 2)");
        runIn(admin, "CREATE USER carol");
        runIn(admin, "CREATE ROLE names_reader");
        runIn(admin, "GRANT SELECT(k) ON default.t TO carol");
        runIn(admin, "GRANT SELECT(name) ON t TO names_reader");
        runIn(admin, "GRANT names_reader TO carol");
        runIn(admin, "GRANT INSERT(k, name) ON default.t TO carol");
        Session carol(*catalog);
        carol.clientInfo().user = "carol";
        EXPECT_EQ(runIn(carol, "SELECT k, name FROM t ORDER BY k"), "1\tann\n2\tbob\n");   // own grant + the role's
        EXPECT_EQ(runIn(carol, "SELECT count() FROM t"), "2\n");
        EXPECT_EQ(runIn(carol, "SELECT count() FROM t WHERE k > 1"), "1\n");
        EXPECT_EQ(codeIn(carol, "SELECT * FROM t"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(carol, "SELECT k FROM t WHERE salary > 150"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(carol, "SELECT sum(salary) FROM t"), ErrorCodes::ACCESS_DENIED);
        try {
            carol.execute("SELECT k, salary FROM t");
        } catch (const Exception& e) {
            EXPECT_NE(std::string(e.what()).find("necessary to have the grant SELECT(`k`, `salary`) ON `default`.`t`"), std::string::npos) << e.what();
        }
        // INSERT: only into granted columns (the rest take their defaults).
        runIn(carol, "INSERT INTO t (k, name) VALUES (3, 'cy')");
        EXPECT_EQ(codeIn(carol, "INSERT INTO t VALUES (4, 'x', 1, 1)"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(carol, "INSERT INTO t (k, salary) VALUES (4, 1)"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(runIn(admin, "SELECT k, name, salary, d FROM t WHERE k = 3"), "3\tcy\t0\t7\n");
        EXPECT_EQ(runIn(admin, "SHOW GRANTS FOR carol"),
                  "GRANT SELECT(`k`) ON `default`.`t` TO `carol`\nGRANT INSERT(`k`, `name`) ON `default`.`t` TO `carol`\nGRANT `names_reader` TO `carol`\n");
        // Bad column grants change nothing.
        EXPECT_EQ(codeIn(admin, "GRANT DROP(k) ON default.t TO carol"), ErrorCodes::INVALID_GRANT);
        EXPECT_EQ(codeIn(admin, "GRANT SELECT(k) ON default.* TO carol"), ErrorCodes::INVALID_GRANT);
        EXPECT_EQ(codeIn(admin, "GRANT SELECT(k), DROP(k) ON default.t TO carol"), ErrorCodes::INVALID_GRANT);
        // REVOKE one column, then the whole privilege.
        runIn(admin, "REVOKE INSERT(name) ON default.t FROM carol");
        EXPECT_EQ(codeIn(carol, "INSERT INTO t (k, name) VALUES (5, 'e')"), ErrorCodes::ACCESS_DENIED);
        runIn(carol, "INSERT INTO t (k) VALUES (5)");
        runIn(admin, "REVOKE INSERT ON default.t FROM carol");
        EXPECT_EQ(codeIn(carol, "INSERT INTO t (k) VALUES (6)"), ErrorCodes::ACCESS_DENIED);
        // A whole-table grant covers every column.
        runIn(admin, "GRANT SELECT ON default.t TO names_reader");
        EXPECT_EQ(runIn(carol, "SELECT sum(salary) FROM t"), "300\n");
        runIn(admin, "REVOKE SELECT ON default.t FROM names_reader");
        EXPECT_EQ(codeIn(carol, "SELECT sum(salary) FROM t"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(carol, "SELECT name FROM t"), ErrorCodes::ACCESS_DENIED);   // the role's column grant went with it
    }
    {
        auto catalog = openCatalog(dir.string());
        Session carol(*catalog);
        carol.clientInfo().user = "carol";
        EXPECT_EQ(runIn(carol, "SHOW GRANTS"), "GRANT SELECT(`k`) ON `default`.`t` TO `carol`\nGRANT `names_reader` TO `carol`\n");
        EXPECT_EQ(runIn(carol, "SELECT k FROM t ORDER BY k"), "1\n2\n3\n5\n");
        EXPECT_EQ(codeIn(carol, "SELECT name FROM t"), ErrorCodes::ACCESS_DENIED);
    }
    std::filesystem::remove_all(dir);
}

// Set and Join tables keep their rows across a restart (files of Native blocks in the table's data
// directory); `persistent = 0` keeps them in RAM only; TRUNCATE removes the files.
TEST(Pipeline, SetAndJoinPersist) {
    auto dir = std::filesystem::temp_directory_path() / ("basalt_set_join_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        runIn(s, "CREATE TABLE s (x UInt64) ENGINE = Set");
        runIn(s, "INSERT INTO s VALUES (1), (2)");
        runIn(s, "INSERT INTO s VALUES (7)");
        runIn(s, "CREATE TABLE j (k UInt64, v String) ENGINE = Join(ANY, LEFT, k)");
        runIn(s, "INSERT INTO j VALUES (1, 'a'), (2, 'b')");
        runIn(s, "CREATE TABLE ram (x UInt64) ENGINE = Set SETTINGS persistent = 0");
        runIn(s, "INSERT INTO ram VALUES (5)");
        EXPECT_EQ(runIn(s, "SELECT 5 IN ram"), "1\n");
    }
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        EXPECT_EQ(runIn(s, "SELECT 1 IN s, 7 IN s, 3 IN s, joinGet('j', 'v', toUInt64(2)), 5 IN ram"), "1\t1\t0\tb\t0\n");
        runIn(s, "TRUNCATE TABLE s");
    }
    {
        auto catalog = openCatalog(dir.string());
        Session s(*catalog);
        EXPECT_EQ(runIn(s, "SELECT 1 IN s"), "0\n");
    }
    std::filesystem::remove_all(dir);
}

// WITH GRANT OPTION: a SQL user passes on what it holds with the option (the whole privilege, a
// narrower table, some columns) and nothing else; revoking takes the option with the grant.
TEST(Access, GrantOption) {
    auto dir = freshDir("basalt_grant_option");
    {
        auto catalog = openCatalog(dir.string());
        Session admin(*catalog);
        runIn(admin, "CREATE TABLE t (a UInt8, b UInt8) ENGINE = Memory");
        runIn(admin, "CREATE TABLE u (x UInt8) ENGINE = Memory");
        runIn(admin, "INSERT INTO t VALUES (1, 2)");
        runIn(admin, "CREATE USER lead");
        runIn(admin, "CREATE USER dev");
        runIn(admin, "GRANT SELECT ON default.* TO lead WITH GRANT OPTION");
        runIn(admin, "GRANT INSERT ON default.t TO lead");
        Session lead(*catalog);
        lead.clientInfo().user = "lead";
        Session dev(*catalog);
        dev.clientInfo().user = "dev";
        EXPECT_EQ(codeIn(dev, "SELECT a FROM t"), ErrorCodes::ACCESS_DENIED);
        runIn(lead, "GRANT SELECT(a) ON default.t TO dev");          // narrower than what lead holds
        EXPECT_EQ(runIn(dev, "SELECT a FROM t"), "1\n");
        EXPECT_EQ(codeIn(dev, "SELECT b FROM t"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(lead, "GRANT INSERT ON default.t TO dev"), ErrorCodes::ACCESS_DENIED);   // held without the option
        EXPECT_EQ(codeIn(lead, "GRANT SELECT ON *.* TO dev"), ErrorCodes::ACCESS_DENIED);         // wider than held
        EXPECT_EQ(codeIn(lead, "CREATE USER x"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(codeIn(dev, "SHOW GRANTS FOR lead"), ErrorCodes::ACCESS_DENIED);   // only one's own
        EXPECT_EQ(runIn(dev, "SHOW GRANTS FOR dev"), "GRANT SELECT(`a`) ON `default`.`t` TO `dev`\n");
        EXPECT_EQ(codeIn(dev, "GRANT SELECT(a) ON default.t TO lead"), ErrorCodes::ACCESS_DENIED); // dev has no option
        try {
            lead.execute("GRANT INSERT ON default.t TO dev");
        } catch (const Exception& e) {
            EXPECT_NE(std::string(e.what()).find("grant INSERT ON `default`.`t` WITH GRANT OPTION"), std::string::npos) << e.what();
        }
        runIn(lead, "REVOKE SELECT(a) ON default.t FROM dev");
        EXPECT_EQ(codeIn(dev, "SELECT a FROM t"), ErrorCodes::ACCESS_DENIED);
        EXPECT_EQ(runIn(admin, "SHOW GRANTS FOR lead"),
                  "GRANT SELECT ON `default`.* TO `lead` WITH GRANT OPTION\nGRANT INSERT ON `default`.`t` TO `lead`\n");
        runIn(admin, "REVOKE SELECT ON default.* FROM lead");
        EXPECT_EQ(codeIn(lead, "GRANT SELECT ON default.u TO dev"), ErrorCodes::ACCESS_DENIED);
        runIn(admin, "GRANT SELECT ON default.u TO lead WITH GRANT OPTION");
    }
    {
        auto catalog = openCatalog(dir.string());   // the option survives a restart
        Session lead(*catalog);
        lead.clientInfo().user = "lead";
        runIn(lead, "GRANT SELECT ON default.u TO dev");
        EXPECT_EQ(runIn(lead, "SHOW GRANTS"), "GRANT SELECT ON `default`.`u` TO `lead` WITH GRANT OPTION\nGRANT INSERT ON `default`.`t` TO `lead`\n");
    }
    std::filesystem::remove_all(dir);
}

// Quotas: a user's queries / result rows per interval; QUOTA_EXCEEDED (201) once a limit is reached;
// system.quota_usage; quotas persist (usage starts again after a restart). SET param_x binds {x:T}.
TEST(Access, QuotasAndSessionParameters) {
    auto dir = freshDir("basalt_quota");
    {
        auto catalog = openCatalog(dir.string());
        Session admin(*catalog);
        runIn(admin, "CREATE USER q1");
        runIn(admin, "CREATE USER q2");
        runIn(admin, "CREATE QUOTA few FOR INTERVAL 1 hour MAX queries = 3 TO q1");
        runIn(admin, "CREATE QUOTA rows FOR INTERVAL 1 day MAX result_rows = 5, FOR INTERVAL 1 minute MAX queries = 100 TO q2");
        Session s1(*catalog);
        s1.clientInfo().user = "q1";
        for (int i = 0; i < 3; ++i) EXPECT_EQ(runIn(s1, "SELECT 1"), "1\n");
        EXPECT_EQ(codeIn(s1, "SELECT 1"), ErrorCodes::QUOTA_EXCEEDED);
        Session s2(*catalog);
        s2.clientInfo().user = "q2";
        EXPECT_EQ(runIn(s2, "SELECT count() FROM (SELECT number FROM numbers(3))"), "3\n");
        runIn(s2, "SELECT number FROM numbers(10)");   // allowed: the limit is checked before a query
        EXPECT_EQ(codeIn(s2, "SELECT 1"), ErrorCodes::QUOTA_EXCEEDED);
        EXPECT_EQ(runIn(admin, "SELECT quota_name, user_name, resource, used, max FROM system.quota_usage WHERE resource = 'result_rows'"),
                  "rows\tq2\tresult_rows\t11\t5\n");
        EXPECT_EQ(runIn(admin, "SELECT 1"), "1\n");   // administrators have no quota here
        EXPECT_EQ(codeIn(admin, "DROP QUOTA nope"), ErrorCodes::UNKNOWN_QUOTA);
        // SET param_x for the session's next statements.
        runIn(admin, "SET param_x = 41");
        EXPECT_EQ(runIn(admin, "SELECT {x:UInt8} + 1"), "42\n");
    }
    {
        auto catalog = openCatalog(dir.string());
        Session s1(*catalog);
        s1.clientInfo().user = "q1";
        for (int i = 0; i < 3; ++i) EXPECT_EQ(runIn(s1, "SELECT 1"), "1\n");
        EXPECT_EQ(codeIn(s1, "SELECT 1"), ErrorCodes::QUOTA_EXCEEDED);
    }
    std::filesystem::remove_all(dir);
}

namespace {
// Collects what a streaming query delivers, and when: `during` counts blocks written while the
// session still reported the statement as running.
struct CollectingSink final : ResultSink {
    Block header;
    std::vector<Block> blocks;
    size_t begins = 0;
    void begin(const Block& h) override { header = h; ++begins; }
    void write(const Block& b) override { blocks.push_back(b); }
    size_t rows() const { size_t n = 0; for (auto& b : blocks) n += b.rows(); return n; }
    std::vector<uint64_t> values() const {
        std::vector<uint64_t> v;
        for (auto& b : blocks) for (size_t i = 0; i < b.rows(); ++i) v.push_back(b.at(0).column->get(i).get<uint64_t>());
        return v;
    }
};
}  // namespace

TEST(Streaming, ScansStreamInBlocksWithOffsetAndLimit) {
    TestEngine e;
    e.run("CREATE TABLE t (k UInt64, s String) ENGINE = MergeTree ORDER BY k");
    e.run("INSERT INTO t SELECT number, toString(number) FROM numbers(100000)");
    {
        CollectingSink sink;
        auto out = e.session.execute(parseStatement("SELECT k, s FROM t WHERE k % 2 = 0 SETTINGS max_block_size = 1000, max_threads = 4"), &sink);
        EXPECT_TRUE(out.result.streamed);
        EXPECT_TRUE(out.result.blocks.empty());
        EXPECT_EQ(sink.begins, 1u);
        EXPECT_EQ(sink.header.columns(), 2u);
        EXPECT_EQ(sink.rows(), 50000u);
        EXPECT_GT(sink.blocks.size(), 10u);   // delivered block by block, not as one result
        auto v = sink.values();
        std::sort(v.begin(), v.end());
        for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], 2 * i);
    }
    {
        // One ordered stream: OFFSET and LIMIT cut across block boundaries exactly.
        CollectingSink sink;
        auto out = e.session.execute(parseStatement("SELECT k FROM t LIMIT 2500 OFFSET 1500 SETTINGS max_block_size = 1000, max_threads = 1"), &sink);
        EXPECT_TRUE(out.result.streamed);
        auto v = sink.values();
        ASSERT_EQ(v.size(), 2500u);
        for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], 1500 + i);
    }
    {
        // ORDER BY a sorting-key prefix with LIMIT reads in key order and still streams.
        CollectingSink sink;
        auto out = e.session.execute(parseStatement("SELECT k FROM t ORDER BY k DESC LIMIT 3"), &sink);
        EXPECT_EQ(sink.values(), (std::vector<uint64_t>{99999, 99998, 99997}));
        (void)out;
    }
    // The rows reached query_log through the sink.
    EXPECT_EQ(e.run("SELECT result_rows FROM system.query_log WHERE query LIKE 'SELECT k FROM t LIMIT 2500%' AND type = 'QueryFinish'"), "2500\n");
}

TEST(Streaming, FinalStepsAndOtherStatementsHandOverWholeResults) {
    TestEngine e;
    e.run("CREATE TABLE t (k UInt64) ENGINE = Memory");
    e.run("INSERT INTO t SELECT number FROM numbers(1000)");
    for (const char* sql : {"SELECT k FROM t ORDER BY k DESC", "SELECT k % 10 AS g FROM t GROUP BY g ORDER BY g", "SELECT DISTINCT k FROM t ORDER BY k",
                            "SELECT k FROM t UNION ALL SELECT k FROM t ORDER BY k", "SHOW TABLES", "SELECT count() FROM t GROUP BY k % 3 WITH TOTALS"}) {
        CollectingSink sink;
        auto out = e.session.execute(parseStatement(sql), &sink);
        EXPECT_TRUE(out.result.streamed) << sql;
        EXPECT_TRUE(out.result.blocks.empty()) << sql;
        EXPECT_EQ(sink.begins, 1u) << sql;
    }
    CollectingSink sink;
    e.session.execute(parseStatement("SELECT k FROM t ORDER BY k DESC LIMIT 2"), &sink);
    EXPECT_EQ(sink.values(), (std::vector<uint64_t>{999, 998}));
    // Statements without a result never begin the sink.
    CollectingSink none;
    e.session.execute(parseStatement("INSERT INTO t VALUES (5)"), &none);
    EXPECT_EQ(none.begins, 0u);
}

TEST(Streaming, ResultLimitsAndErrorsStopTheStream) {
    TestEngine e;
    {
        CollectingSink sink;
        try {
            e.session.execute(parseStatement("SELECT number FROM numbers(100000) SETTINGS max_result_rows = 5000, max_block_size = 1000, max_threads = 1"), &sink);
            FAIL() << "no TOO_MANY_ROWS";
        } catch (const Exception& ex) {
            EXPECT_EQ(ex.code(), ErrorCodes::TOO_MANY_ROWS);
        }
        EXPECT_LE(sink.rows(), 5000u);   // the block that crossed the limit was not delivered
    }
    {
        // A sink that fails (a client that went away) ends the query with its error.
        struct Failing final : ResultSink {
            size_t writes = 0;
            void begin(const Block&) override {}
            void write(const Block&) override { if (++writes == 3) throw Exception(ErrorCodes::NETWORK_ERROR, "gone"); }
        } failing;
        try {
            e.session.execute(parseStatement("SELECT number FROM numbers(1000000) SETTINGS max_block_size = 1000, max_threads = 2"), &failing);
            FAIL() << "no NETWORK_ERROR";
        } catch (const Exception& ex) {
            EXPECT_EQ(ex.code(), ErrorCodes::NETWORK_ERROR);
        }
        EXPECT_EQ(failing.writes, 3u);
    }
    // The session still works afterwards.
    EXPECT_EQ(e.run("SELECT 1"), "1\n");
}

// max_memory_usage_for_user: the statements of one user running at once charge one tracker; each
// query's own limit stays; a user's next statement after all finished starts from zero.
TEST(Limits, UserMemoryIsSharedByTheUsersRunningQueries) {
    ProcessList list;
    QueryContext ctx_a, ctx_b, ctx_other;
    auto user = list.userMemory("u", 100 << 20);
    ctx_a.memory->setParent(user);
    auto a = list.add({"a", "u", "", "TCP", "q", "default", std::chrono::steady_clock::now()}, ctx_a);
    ctx_b.memory->setParent(list.userMemory("u", -1));   // a runs: b shares its tracker
    ctx_other.memory->setParent(list.userMemory("other", 100 << 20));
    ctx_a.memory->alloc(60 << 20);
    try {
        ctx_b.memory->alloc(60 << 20);
        FAIL() << "no user limit";
    } catch (const Exception& e) {
        EXPECT_EQ(e.code(), ErrorCodes::MEMORY_LIMIT_EXCEEDED);
        EXPECT_NE(std::string(e.what()).find("User memory limit exceeded"), std::string::npos) << e.what();
    }
    EXPECT_EQ(ctx_b.memory->used(), 0);               // the refused charge was taken back
    ctx_other.memory->alloc(60 << 20);                 // another user has its own
    ctx_a.memory->free(60 << 20);
    ctx_b.memory->alloc(60 << 20);
    ctx_b.memory->free(60 << 20);
    ctx_other.memory->free(60 << 20);
    a.reset();
    // With none of u's statements running, a fresh tracker (no limit unless the next one sets it).
    EXPECT_NE(list.userMemory("u", -1).get(), user.get());

    // Through a session: the setting bounds a single statement as well.
    TestEngine e;
    EXPECT_EQ(e.code("SELECT number, toString(number) FROM numbers(3000000) ORDER BY number DESC FORMAT Null SETTINGS max_memory_usage_for_user = 30000000"),
              ErrorCodes::MEMORY_LIMIT_EXCEEDED);
    EXPECT_EQ(e.run("SELECT count() FROM numbers(3000000) SETTINGS max_memory_usage_for_user = 30000000"), "3000000\n");
    EXPECT_EQ(e.run("SELECT exception LIKE '%User memory limit exceeded%' FROM system.query_log WHERE exception_code = 241"), "1\n");
}

// INSERT data arriving in pieces (Session::insertFrom): text pieces in the statement's format or
// client blocks; prepared about max_insert_block_size rows at a time (parts of that size), views
// fed per piece, and all of it published at the end — or nothing when a piece fails.
TEST(Streaming, InsertFromPiecesIsAtomic) {
    TestEngine e;
    e.run("CREATE TABLE t (k UInt64, s String) ENGINE = MergeTree ORDER BY k");
    e.run("CREATE MATERIALIZED VIEW mv ENGINE = SummingMergeTree ORDER BY g AS SELECT k % 3 AS g, count() AS c FROM t GROUP BY g");
    e.run("SYSTEM STOP MERGES t");   // the part sizes below are the INSERT's own
    struct Pieces final : InsertDataSource {
        std::vector<std::string> texts;
        size_t served = 0;
        int fail_at = -1;
        bool next(std::string& text, std::vector<Block>&) override {
            if (int(served) == fail_at) throw Exception(ErrorCodes::NETWORK_ERROR, "client went away");
            if (served == texts.size()) return false;
            text = texts[served++];
            return true;
        }
    };
    auto piecesOf = [](size_t from, size_t n, size_t per_piece) {
        std::vector<std::string> out;
        for (size_t begin = from; begin < from + n; begin += per_piece) {
            std::string p = "k,s\n";   // CSVWithNames: each piece carries the header
            for (size_t k = begin; k < std::min(from + n, begin + per_piece); ++k) p += std::to_string(k) + ",v" + std::to_string(k) + "\n";
            out.push_back(p);
        }
        return out;
    };
    e.run("SET max_insert_block_size = 1000");
    {
        Pieces src;
        src.texts = piecesOf(0, 5000, 400);   // 13 pieces
        e.session.insertFrom(parseStatement("INSERT INTO t FORMAT CSVWithNames"), src);
        EXPECT_EQ(src.served, 13u);
    }
    EXPECT_EQ(e.run("SELECT count(), sum(k), countIf(s = concat('v', toString(k))) FROM t"), "5000\t12497500\t5000\n");
    EXPECT_EQ(e.run("SELECT g, sum(c) FROM mv GROUP BY g ORDER BY g"), "0\t1667\n1\t1667\n2\t1666\n");
    // Parts of max_insert_block_size rows, as a one-shot INSERT writes them, not one per piece.
    EXPECT_EQ(e.run("SELECT count(), min(rows), max(rows) FROM system.parts WHERE table = 't' AND active"), "5\t1000\t1000\n");
    {
        Pieces src;
        src.texts = piecesOf(10000, 5000, 400);
        src.fail_at = 9;
        EXPECT_THROW(e.session.insertFrom(parseStatement("INSERT INTO t FORMAT CSVWithNames"), src), Exception);
    }
    {
        Pieces src;
        src.texts = piecesOf(10000, 800, 400);
        src.texts.push_back("k,s\n1,x\nbad,row\n");
        try {
            e.session.insertFrom(parseStatement("INSERT INTO t FORMAT CSVWithNames"), src);
            ADD_FAILURE() << "no parse error";
        } catch (const Exception& ex) {
            EXPECT_EQ(ex.code(), ErrorCodes::CANNOT_PARSE_INPUT_ASSERTION_FAILED);
            // Counted within the whole data (800 rows in the earlier pieces), not within the piece.
            EXPECT_NE(std::string(ex.what()).find("(at row 802)"), std::string::npos) << ex.what();
        }
    }
    // Neither failed INSERT left a row in the table or its view.
    EXPECT_EQ(e.run("SELECT count() FROM t"), "5000\n");
    EXPECT_EQ(e.run("SELECT sum(c) FROM mv"), "5000\n");
    EXPECT_EQ(e.run("SELECT written_rows FROM system.query_log WHERE query = 'INSERT INTO t FORMAT CSVWithNames' AND type = 'QueryFinish'"), "5000\n");
}
