// Data-skipping indexes: a randomized property test (every predicate returns exactly the rows a
// scan without indexes returns, so no index ever drops a matching granule) plus checks that the
// indexes do prune (EXPLAIN ESTIMATE reads fewer marks) through the LIKE / token / n-gram extraction.
#include <gtest/gtest.h>

#include <random>

#include "common/exception.h"
#include "interpreter/interpreter.h"
#include "storage/catalog.h"
#include "test_engine.h"

using namespace basalt;

namespace {
using Engine = TestEngine;

// marks column of EXPLAIN ESTIMATE (database, table, parts, rows, marks)
uint64_t marks(Engine& e, const std::string& where) {
    std::string r = e.run("EXPLAIN ESTIMATE SELECT * FROM t WHERE " + where);
    if (r.empty()) return 0;
    return std::stoull(r.substr(r.find_last_of('\t') + 1));
}
}  // namespace

TEST(SkipIndex, RandomPredicatesMatchFullScan) {
    Engine e;
    e.run("CREATE TABLE t (k UInt64, v Int32, f Float64, s String, lc LowCardinality(String), n Nullable(UInt16), tags Array(String), "
          "INDEX i_v v TYPE minmax GRANULARITY 1, INDEX i_vs (v, n) TYPE set(6) GRANULARITY 2, INDEX i_f f TYPE minmax GRANULARITY 3, "
          "INDEX i_sb s TYPE bloom_filter(0.05) GRANULARITY 1, INDEX i_tok s TYPE tokenbf_v1(64, 2, 7) GRANULARITY 1, "
          "INDEX i_ng s TYPE ngrambf_v1(3, 64, 3, 1) GRANULARITY 2, INDEX i_lc lc TYPE set(0) GRANULARITY 1, "
          "INDEX i_tags tags TYPE bloom_filter GRANULARITY 1, INDEX i_nn n TYPE minmax GRANULARITY 1) "
          "ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 16");
    std::mt19937_64 rng(42);
    const char* words[] = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa"};
    // Several inserts (several parts), rows clustered so indexes can prune.
    for (int part = 0; part < 4; ++part) {
        std::string values;
        for (int i = 0; i < 400; ++i) {
            uint64_t k = part * 1000 + i;
            int v = int(k / 37) + int(rng() % 3);
            std::string w1 = words[(k / 50) % 10], w2 = words[rng() % 10];
            std::string s = w1 + " " + w2 + "-" + std::to_string(k % 13);
            std::string n = rng() % 5 == 0 ? "NULL" : std::to_string(k % 97);
            if (!values.empty()) values += ",";
            values += "(" + std::to_string(k) + "," + std::to_string(v) + "," + std::to_string(double(k) / 7.0) + ",'" + s + "','" + w1 + "'," + n +
                      ",['" + w2 + "','" + std::to_string(k % 11) + "'])";
        }
        e.run("INSERT INTO t VALUES " + values);
    }
    std::vector<std::string> preds = {
        "v = 20", "v IN (3, 50, 90)", "v BETWEEN 40 AND 45", "NOT (v = 20)", "v != 20", "v > 100 AND v < 103", "v = 20 OR s = 'alpha beta-3'",
        "f > 300 AND f < 310", "f = 100", "s = 'beta gamma-4'", "s IN ('alpha alpha-0', 'kappa eta-5')", "hasToken(s, 'iota')",
        "hasToken(s, 'nope')", "s LIKE '%eta gam%'", "s LIKE 'zeta%'", "s LIKE '%ta-1%'", "startsWith(s, 'delta ')", "endsWith(s, 'a-12')",
        "s NOT LIKE '%alpha%'", "NOT hasToken(s, 'beta')", "lc = 'gamma'", "lc IN ('eta', 'iota')", "lc != 'alpha'", "upper(lc) = 'ZETA'",
        "n = 5", "n > 90", "n IS NULL", "n IS NULL OR v = 7", "has(tags, '7')", "hasAny(tags, ['alpha', '3'])", "hasAll(tags, ['beta', '4'])",
        "multiSearchAny(s, ['mma d', 'xyz'])", "(v = 30 OR v = 60) AND n = 10", "NOT (s = 'beta gamma-4' OR v = 5)", "s = 'x' OR lc = 'eta'"};
    // Random compositions too.
    for (int i = 0; i < 60; ++i) {
        std::string a = preds[rng() % preds.size()];
        std::string b = preds[rng() % preds.size()];
        const char* ops[] = {" AND ", " OR "};
        preds.push_back("(" + a + ")" + ops[rng() % 2] + "(" + b + ")");
        if (i % 5 == 0) preds.push_back("NOT ((" + a + ")" + ops[rng() % 2] + "(" + b + "))");
    }
    size_t pruned = 0;
    for (auto& p : preds) {
        std::string q = "SELECT count(), sum(k) FROM t WHERE " + p;
        std::string with = e.run(q), without = e.run(q + " SETTINGS use_skip_indexes = 0");
        EXPECT_EQ(with, without) << p;
        uint64_t m_with = marks(e, p), m_without = std::stoull([&] {
            std::string r = e.run("EXPLAIN ESTIMATE SELECT * FROM t WHERE " + p + " SETTINGS use_skip_indexes = 0");
            return r.empty() ? std::string("0") : r.substr(r.find_last_of('\t') + 1);
        }());
        EXPECT_LE(m_with, m_without) << p;
        if (m_with < m_without) ++pruned;
    }
    // The indexes do work: most of the simple predicates skip something.
    EXPECT_GT(pruned, preds.size() / 3);
    // After merging into one part the answers are the same.
    e.run("OPTIMIZE TABLE t FINAL");
    for (size_t i = 0; i < 40; ++i) {
        std::string q = "SELECT count(), sum(k) FROM t WHERE " + preds[i];
        EXPECT_EQ(e.run(q), e.run(q + " SETTINGS use_skip_indexes = 0")) << preds[i];
    }
}

TEST(SkipIndex, PrunesWhereExpected) {
    Engine e;
    e.run("CREATE TABLE t (k UInt64, s String, INDEX i_tok s TYPE tokenbf_v1(512, 3, 0) GRANULARITY 1, "
          "INDEX i_ng s TYPE ngrambf_v1(4, 512, 3, 0) GRANULARITY 1) ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 8");
    e.run("INSERT INTO t SELECT number, concat('log line ', toString(number), ' user=u', toString(intDiv(number, 8))) FROM numbers(800)");
    EXPECT_EQ(marks(e, "1"), 100u);
    EXPECT_EQ(marks(e, "hasToken(s, 'u42')"), 1u);
    EXPECT_EQ(marks(e, "s LIKE '%user=u42'"), 1u);      // n-grams of 'user=u42' (the token u42 is not bounded on the left)
    EXPECT_EQ(marks(e, "s LIKE '%line 123 %'"), 1u);
    EXPECT_EQ(marks(e, "s = 'log line 5 user=u0'"), 1u);
    EXPECT_EQ(marks(e, "hasToken(s, 'log')"), 100u);
    EXPECT_EQ(marks(e, "s LIKE '%u%'"), 100u);            // nothing to require
    EXPECT_EQ(e.run("SELECT count() FROM t WHERE hasToken(s, 'u42')"), "8\n");
    EXPECT_EQ(e.run("SELECT count() FROM t WHERE hasTokenCaseInsensitive(s, 'U42')"), "8\n");
    EXPECT_THROW(e.run("SELECT count() FROM t WHERE hasToken(s, 'a b')"), Exception);
}
