// End-to-end unit tests through Session: statements run against an in-memory catalog and results
// are checked as TabSeparated text; errors by code. Covers the analyzer/executor paths that golden
// files exercise less directly (parallel streams, atomic INSERT, memory limits).
#include <gtest/gtest.h>

#include "common/exception.h"
#include "interpreter/interpreter.h"
#include "storage/catalog.h"
#include "test_engine.h"

using namespace basalt;

namespace {
using Engine = TestEngine;
}  // namespace

TEST(Engine, ParallelAggregationMatchesSingleThread) {
    Engine e;
    std::string q = "SELECT number % 1000 AS k, count(), sum(number), min(number), max(number) FROM numbers(300000) GROUP BY k ORDER BY k";
    std::string one = e.run(q + " SETTINGS max_threads = 1");
    std::string four = e.run(q + " SETTINGS max_threads = 4");
    EXPECT_EQ(one, four);
    EXPECT_EQ(e.run("SELECT count(), sum(number) FROM numbers(1000000) SETTINGS max_threads = 3"), "1000000\t499999500000\n");
}

TEST(Engine, StringAndCompositeKeys) {
    Engine e;
    EXPECT_EQ(e.run("SELECT toString(number % 3) AS k, count() FROM numbers(30) GROUP BY k ORDER BY k"), "0\t10\n1\t10\n2\t10\n");
    EXPECT_EQ(e.run("SELECT number % 2 AS a, toString(number % 3) AS b, count() FROM numbers(12) GROUP BY a, b ORDER BY a, b"),
              "0\t0\t2\n0\t1\t2\n0\t2\t2\n1\t0\t2\n1\t1\t2\n1\t2\t2\n");
    EXPECT_EQ(e.run("SELECT [number % 2] AS k, count() FROM numbers(4) GROUP BY k ORDER BY k"), "[0]\t2\n[1]\t2\n");
}

TEST(Engine, FailedInsertLeavesNoRows) {
    Engine e;
    e.run("CREATE TABLE t (x Int32, CONSTRAINT c CHECK x < 100) ENGINE = Memory");
    EXPECT_EQ(e.code("INSERT INTO t SELECT number FROM numbers(200)"), ErrorCodes::VIOLATED_CONSTRAINT);
    EXPECT_EQ(e.code("INSERT INTO t VALUES (1), (2), ('x')"), ErrorCodes::CANNOT_PARSE_TEXT);
    EXPECT_EQ(e.run("SELECT count() FROM t"), "0\n");
    e.run("INSERT INTO t SELECT number FROM numbers(50)");
    EXPECT_EQ(e.run("SELECT count(), sum(x) FROM t"), "50\t1225\n");
}

TEST(Engine, LimitsAndSessionSurvive) {
    Engine e;
    EXPECT_EQ(e.code("SELECT number, count() FROM numbers(5000000) GROUP BY number SETTINGS max_memory_usage = 5000000"),
              ErrorCodes::MEMORY_LIMIT_EXCEEDED);
    EXPECT_EQ(e.code("SELECT count() FROM system.numbers SETTINGS max_execution_time = 0.2"), ErrorCodes::TIMEOUT_EXCEEDED);
    EXPECT_EQ(e.run("SELECT 1"), "1\n");
}

TEST(Engine, EarlyLimitOnUnboundedSource) {
    Engine e;
    EXPECT_EQ(e.run("SELECT number FROM system.numbers LIMIT 3"), "0\n1\n2\n");
    EXPECT_EQ(e.run("SELECT number FROM system.numbers WHERE number % 1000 = 7 LIMIT 2"), "7\n1007\n");
}

// A million-row GROUP BY on two threads: the first run merges in hash shards, the second starts
// from two-level tables sized by the first (run under TSan too: the shards share the partials).
TEST(Aggregation, ShardedMergeOfManyGroups) {
    Engine e;
    const std::string q =
        "SELECT count(), sum(c), sum(s) FROM (SELECT number % 200003 AS k, count() AS c, sum(number) AS s FROM numbers(1000000) GROUP BY k) "
        "SETTINGS max_threads = 2";
    const std::string counts = "SELECT count(), sum(c) FROM (SELECT number % 200003 AS k, count() AS c FROM numbers(1000000) GROUP BY k) SETTINGS max_threads = 2";
    for (int run = 0; run < 2; ++run) {
        EXPECT_EQ(e.run(q), "200003\t1000000\t499999500000\n");
        EXPECT_EQ(e.run(counts), "200003\t1000000\n");
    }
}
