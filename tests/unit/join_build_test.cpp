// join_build_test.cpp — which side of a join is indexed and how, and WHERE conditions pushed into
// FROM subqueries, through SQL:
//   - swapped ALL joins (the left side indexed, the right streamed: query_plan_join_swap_table) —
//     INNER, LEFT, RIGHT — give exactly the unswapped result over random tables, key types, NULL
//     keys, USING, residual ON conditions, join_use_nulls and join chains, and `auto` swaps only
//     when the right side is much larger;
//   - large build sides indexed by several threads (partitioned hash tables) give the
//     single-threaded result, with every key's rows still chained in insertion order (ANY takes the
//     first row);
//   - pushed-down conditions prune the MergeTree read under a subquery, view, CTE or joined
//     subquery as much as the same condition written inside (system.query_log read_rows).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "test_engine.h"

using namespace basalt;

namespace {

std::string withSettings(const std::string& sql, const std::string& settings) { return sql + " SETTINGS " + settings; }

}  // namespace

TEST(JoinSideSwap, SameResultAsUnswapped) {
    TestEngine e;
    std::mt19937_64 rng(7);
    for (int round = 0; round < 4; ++round) {
        e.run("DROP TABLE IF EXISTS l");
        e.run("DROP TABLE IF EXISTS r");
        // Key types vary by round: integers of different widths on both sides, Nullable, String, LowCardinality.
        static const char* kLeftTypes[] = {"UInt16", "Nullable(UInt32)", "String", "LowCardinality(String)"};
        static const char* kRightTypes[] = {"UInt64", "Int64", "String", "String"};
        e.run(std::string("CREATE TABLE l (k ") + kLeftTypes[round] + ", a UInt32, s String) ENGINE = MergeTree ORDER BY tuple()");
        e.run(std::string("CREATE TABLE r (k ") + kRightTypes[round] + ", b Float64, t String) ENGINE = MergeTree ORDER BY tuple()");
        size_t left_rows = 50 + rng() % 200, right_rows = 70000 + rng() % 20000, keys = 20 + rng() % 300;
        std::string key_expr = round == 1 ? "if(number % 11 = 0, NULL, (number * 7919) % " + std::to_string(keys) + ")" : "(number * 7919) % " + std::to_string(keys);
        if (round >= 2) key_expr = "toString(" + key_expr + ")";
        e.run("INSERT INTO l SELECT " + key_expr + ", number, toString(number % 5) FROM numbers(" + std::to_string(left_rows) + ")");
        std::string rkey = "(number * 104729) % " + std::to_string(keys + 50);
        if (round >= 2) rkey = "toString(" + rkey + ")";
        // b: multiples of 1/4, summed exactly in any order.
        e.run("INSERT INTO r SELECT " + rkey + ", (number % 1000) / 4, toString(number % 4) FROM numbers(" + std::to_string(right_rows) + ")");
        const std::string queries[] = {
            "SELECT * FROM l INNER JOIN r ON l.k = r.k ORDER BY ALL",
            "SELECT l.a, r.b, r.t FROM l INNER JOIN r ON l.k = r.k AND r.b > l.a WHERE l.s != '1' AND r.t = '2' ORDER BY ALL",
            "SELECT * FROM l INNER JOIN r USING (k) ORDER BY ALL",
            "SELECT toTypeName(k), count(), sum(a), sum(b) FROM l INNER JOIN r USING (k) GROUP BY ALL",
            "SELECT l.s, count(), sum(r.b) FROM l INNER JOIN r ON l.k = r.k INNER JOIN (SELECT k FROM l WHERE a % 3 = 0) AS m ON l.k = m.k GROUP BY l.s ORDER BY l.s",
            "SELECT count(), sum(r.b), countIf(x.n = 0) FROM l INNER JOIN r ON l.k = r.k LEFT JOIN (SELECT number AS n FROM numbers(100)) AS x ON l.a = x.n",
            "SELECT * FROM (SELECT * FROM l WHERE a < 100) AS p INNER JOIN (SELECT k, b FROM r WHERE b < 2000) AS q ON p.k = q.k ORDER BY ALL",
            // LEFT: unmatched left rows after the streams; RIGHT: unmatched right rows inline.
            "SELECT * FROM l LEFT JOIN r ON l.k = r.k ORDER BY ALL",
            "SELECT * FROM l LEFT JOIN r USING (k) WHERE l.s != '2' ORDER BY ALL",
            "SELECT l.s, count(), sum(r.b), countIf(r.t = '') FROM l LEFT JOIN r ON l.k = r.k INNER JOIN (SELECT k FROM l WHERE a % 3 = 0) AS m ON l.k = m.k GROUP BY l.s ORDER BY l.s",
            "SELECT l.a, l.k, r.b FROM l RIGHT JOIN r ON l.k = r.k WHERE r.b < 50 ORDER BY ALL",
            "SELECT count(), sum(r.b), sum(l.a), countIf(l.s = '') FROM l RIGHT JOIN r ON l.k = r.k",
        };
        for (auto& q : queries)
            for (const char* nulls : {"join_use_nulls = 0", "join_use_nulls = 1"}) {
                std::string plain = e.run(withSettings(q, std::string("query_plan_join_swap_table = 0, ") + nulls));
                EXPECT_EQ(e.run(withSettings(q, std::string("query_plan_join_swap_table = 1, ") + nulls)), plain) << q << " " << nulls;
                EXPECT_EQ(e.run(withSettings(q, std::string("query_plan_join_swap_table = 1, max_threads = 1, ") + nulls)), plain) << q << " " << nulls;
                EXPECT_EQ(e.run(withSettings(q, nulls)), plain) << q << " " << nulls;
            }
        // The right side is much larger: `auto` indexes the left one; the other way round it does not.
        EXPECT_NE(e.run("EXPLAIN SELECT count() FROM l INNER JOIN r ON l.k = r.k").find("left side indexed"), std::string::npos);
        EXPECT_EQ(e.run("EXPLAIN SELECT count() FROM r INNER JOIN l ON l.k = r.k").find("left side indexed"), std::string::npos);
        EXPECT_NE(e.run("EXPLAIN SELECT count() FROM l LEFT JOIN r ON l.k = r.k").find("left side indexed"), std::string::npos);
        EXPECT_EQ(e.run("EXPLAIN SELECT count() FROM l LEFT JOIN r ON l.k = r.k AND r.b > l.a").find("left side indexed"), std::string::npos);
        EXPECT_EQ(e.run("EXPLAIN SELECT count() FROM l FULL JOIN r ON l.k = r.k").find("left side indexed"), std::string::npos);
        EXPECT_EQ(e.run("EXPLAIN SELECT count() FROM l ANY LEFT JOIN r ON l.k = r.k").find("left side indexed"), std::string::npos);
        EXPECT_EQ(e.run("EXPLAIN SELECT count() FROM l INNER JOIN r ON l.k = r.k SETTINGS query_plan_join_swap_table = 0").find("left side indexed"), std::string::npos);
    }
}

// Build sides past the parallel threshold (512k rows): 4 threads build 8 tables.
TEST(JoinParallelBuild, SameResultAsOneThread) {
    TestEngine e;
    const std::string big = "numbers(600000)";
    const std::string queries[] = {
        // Fixed64 keys spread over a wide range (hash tables, not the dense array), with duplicates.
        "SELECT count(), sum(a.x), sum(b.y), sum(cityHash64(a.x, b.y)) FROM (SELECT number AS x, intHash64(number) % 300000 AS key FROM numbers(5000)) AS a "
        "INNER JOIN (SELECT number AS y, intHash64(number) % 300000 AS key FROM " + big + ") AS b ON a.key = b.key",
        // Two keys, NULLs, 128-bit layout.
        "SELECT count(), sum(cityHash64(a.x, b.y)) FROM (SELECT number AS x, if(number % 3 = 0, NULL, intHash64(number) % 200000) AS key, toUInt64(number % 4) AS k2 FROM numbers(5000)) AS a "
        "INNER JOIN (SELECT number AS y, if(number % 5 = 0, NULL, intHash64(number) % 200000) AS key, toUInt64(number % 4) AS k2 FROM " + big + ") AS b ON a.key = b.key AND a.k2 = b.k2",
        // String keys.
        "SELECT count(), sum(cityHash64(a.x, b.y)) FROM (SELECT number AS x, toString(intHash64(number) % 100000) AS key FROM numbers(3000)) AS a "
        "INNER JOIN (SELECT number AS y, toString(intHash64(number) % 100000) AS key FROM " + big + ") AS b ON a.key = b.key",
        // Outer joins: unmatched rows of both sides.
        "SELECT count(), sum(a.x), sum(b.y) FROM (SELECT number AS x, intHash64(number) % 300000 AS key FROM numbers(4000)) AS a "
        "LEFT JOIN (SELECT number AS y, intHash64(number) % 300000 AS key FROM " + big + ") AS b ON a.key = b.key",
        "SELECT count(), sum(a.x), sum(b.y) FROM (SELECT number AS x, intHash64(number) % 300000 AS key FROM numbers(4000)) AS a "
        "FULL JOIN (SELECT number AS y, intHash64(number) % 300000 AS key FROM " + big + ") AS b ON a.key = b.key",
    };
    for (auto& q : queries) {
        std::string one = e.run(withSettings(q, "max_threads = 1, query_plan_join_swap_table = 0"));
        EXPECT_EQ(e.run(withSettings(q, "max_threads = 4, query_plan_join_swap_table = 0")), one) << q;
        EXPECT_EQ(e.run(withSettings(q, "max_threads = 3, query_plan_join_swap_table = 0")), one) << q;
    }
    // ANY LEFT takes each key's first right row in the order the right side arrived (here ordered by
    // y): the smallest y, however the index was built.
    std::string expected = e.run("SELECT sum(m) FROM (SELECT number AS x, intHash64(number) % 300000 AS key FROM numbers(5000)) AS a LEFT JOIN "
                                 "(SELECT intHash64(number) % 300000 AS key, min(number) AS m FROM " + big + " GROUP BY key) AS b ON a.key = b.key");
    std::string any = "SELECT sum(b.y) FROM (SELECT number AS x, intHash64(number) % 300000 AS key FROM numbers(5000)) AS a ANY LEFT JOIN "
                      "(SELECT number AS y, intHash64(number) % 300000 AS key FROM " + big + " ORDER BY y) AS b ON a.key = b.key";
    EXPECT_EQ(e.run(withSettings(any, "max_threads = 4")), expected);
    EXPECT_EQ(e.run(withSettings(any, "max_threads = 1")), expected);
}

namespace {

uint64_t readRows(TestEngine& e, const std::string& tag) {
    std::string r = e.run("SELECT read_rows FROM system.query_log WHERE query LIKE '%" + tag + "%' AND query NOT LIKE '%query_log%' AND type = 'QueryFinish'");
    return r.empty() ? UINT64_MAX : std::stoull(r);
}

}  // namespace

TEST(PredicatePushdown, PrunesUnderSubqueriesViewsAndJoins) {
    TestEngine e;
    e.run("CREATE TABLE ev (ts DateTime('UTC'), u UInt32, v UInt8) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (u, ts) SETTINGS index_granularity = 100");
    e.run("INSERT INTO ev SELECT toDateTime('2024-01-01 00:00:00', 'UTC') + number * 60, number % 1000, number % 7 FROM numbers(14400)");
    e.run("CREATE VIEW ev_view AS SELECT ts, u, v FROM ev");
    const std::string cond = "ts >= '2024-01-10 00:00:00'";
    const std::string expected = e.run("SELECT count(), sum(v) FROM ev WHERE " + cond + " /* direct */");
    EXPECT_EQ(expected.substr(0, 5), "1440\t");
    const std::pair<std::string, std::string> cases[] = {
        {"subquery", "SELECT count(), sum(v) FROM (SELECT * FROM ev) WHERE " + cond},
        {"nested", "SELECT count(), sum(v) FROM (SELECT ts, v FROM (SELECT * FROM ev) AS i) AS o WHERE o." + cond},
        {"view", "SELECT count(), sum(v) FROM ev_view WHERE " + cond},
        {"cte", "WITH c AS (SELECT * FROM ev) SELECT count(), sum(v) FROM c WHERE " + cond},
        {"union", "SELECT count(), sum(v) FROM (SELECT ts, v FROM ev UNION ALL SELECT ts, v FROM ev WHERE 0) WHERE " + cond},
        {"group_key", "SELECT count(), sum(c) FROM (SELECT ts, sum(v) AS c FROM ev GROUP BY ts) WHERE " + cond},
        {"join_right", "SELECT count(), sum(b.v) FROM (SELECT 1 AS one) AS a INNER JOIN (SELECT 1 AS one, * FROM ev) AS b ON a.one = b.one WHERE b." + cond},
    };
    for (auto& [tag, sql] : cases) EXPECT_EQ(e.run(sql + " /* " + tag + " */"), expected) << sql;
    uint64_t direct = readRows(e, "/* direct */");
    EXPECT_LT(direct, 14400u);
    for (auto& [tag, sql] : cases) {
        uint64_t r = readRows(e, "/* " + tag + " */");
        // The inner read: what the direct query reads (the outer queries read the subquery's rows, not the table's).
        EXPECT_LT(r, 14400u) << tag << ": " << r;
        EXPECT_LE(r, (tag == "join_right" ? 2 : 3) * direct + 1) << tag << ": " << r;
    }
    // LIMIT inside: not pushed, every row read.
    e.run("SELECT count() FROM (SELECT * FROM ev LIMIT 100000) WHERE " + cond + " /* limit */");
    EXPECT_GE(readRows(e, "/* limit */"), 14400u);
}
