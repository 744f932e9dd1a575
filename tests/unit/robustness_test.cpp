// robustness_test.cpp — "no input crashes the process": hostile statements run through a Session on
// an in-memory catalog must each fail with a basalt::Exception carrying a sensible ClickHouse code,
// and the session must keep working afterwards. Also holds fuzzer reproducers (tests/fuzz/) whose
// exact ClickHouse behaviour we do not match, so they only assert "throws, no crash".
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "../fuzz/native_packets.h"
#include "common/exception.h"
#include "interpreter/interpreter.h"
#include "storage/catalog.h"

using namespace basalt;

namespace {

struct Engine {
    std::unique_ptr<Catalog> catalog = openCatalog("");
    Session session{*catalog};
    Engine() {
        session.settings().max_memory_usage = 512ull << 20;
        session.settings().max_execution_time = 10;
    }
    std::string run(const std::string& sql) { return session.formatResult(session.execute(sql), "TabSeparated"); }
    // Runs `sql`; returns the error code, 0 on success. Anything but basalt::Exception fails the test.
    int code(const std::string& sql) {
        try {
            run(sql);
        } catch (const Exception& e) {
            return e.code();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "non-basalt exception for: " << sql.substr(0, 200) << "\n  " << e.what();
            return -1;
        }
        return 0;
    }
    void expectAlive() { EXPECT_EQ(run("SELECT 1 + 1"), "2\n"); }
};

std::string repeatStr(const std::string& s, size_t n) {
    std::string r;
    for (size_t i = 0; i < n; ++i) r += s;
    return r;
}

// Expects `sql` to throw one of `codes` (any code when empty) and the session to survive.
void expectError(Engine& e, const std::string& sql, std::set<int> codes = {}) {
    int c = e.code(sql);
    EXPECT_NE(c, 0) << "expected an error: " << sql.substr(0, 200);
    if (!codes.empty() && c != 0) EXPECT_TRUE(codes.count(c)) << "code " << c << " for: " << sql.substr(0, 200);
    e.expectAlive();
}

constexpr int SYNTAX_ERROR = 62, TOO_DEEP_RECURSION = 306, TOO_DEEP_AST = 167, TOO_BIG_AST = 168,
              MEMORY_LIMIT_EXCEEDED = 241, TOO_LARGE_STRING_SIZE = 131, ARGUMENT_OUT_OF_BOUND = 69,
              ILLEGAL_TYPE_OF_ARGUMENT = 43, UNKNOWN_SETTING = 115, TOO_LARGE_ARRAY_SIZE = 128,
              QUERY_IS_TOO_LARGE = 49, TIMEOUT_EXCEEDED = 159, BAD_ARGUMENTS = 36;

}  // namespace

TEST(Robustness, DeepNesting) {
    Engine e;
    const std::set<int> depth = {TOO_DEEP_RECURSION, TOO_DEEP_AST, TOO_BIG_AST, SYNTAX_ERROR, QUERY_IS_TOO_LARGE};
    for (size_t n : {2000, 20000, 100000}) {
        expectError(e, "SELECT " + repeatStr("(", n) + "1" + repeatStr(")", n), depth);
        expectError(e, "SELECT " + repeatStr("-", n) + "1", depth);
        expectError(e, "SELECT " + repeatStr("NOT ", n) + "1", depth);
        expectError(e, "SELECT " + repeatStr("[", n) + "1" + repeatStr("]", n), depth);
        expectError(e, "SELECT " + repeatStr("tuple(", n) + "1" + repeatStr(")", n), depth);
        expectError(e, "SELECT " + repeatStr("abs(", n) + "1" + repeatStr(")", n), depth);
        expectError(e, repeatStr("SELECT * FROM (", n) + "SELECT 1" + repeatStr(")", n), depth);
        expectError(e, "SELECT " + repeatStr("(SELECT ", n) + "1" + repeatStr(")", n), depth);
        expectError(e, "SELECT " + repeatStr("CASE WHEN 1 THEN ", n) + "1" + repeatStr(" END", n), depth);
        expectError(e, "SELECT " + repeatStr("x -> ", n) + "1", depth);
        // Unbalanced: must be a syntax/depth error, not a crash.
        expectError(e, "SELECT " + repeatStr("(", n), depth);
        expectError(e, "SELECT " + repeatStr("[", n), depth);
    }
    // Long but flat expressions are legal and must not recurse per operand.
    EXPECT_EQ(e.run("SELECT " + repeatStr("1 + ", 300) + "1"), "301\n");
    EXPECT_EQ(e.run("SELECT length([" + repeatStr("1, ", 5000) + "1])"), "5001\n");
    expectError(e, "SELECT " + repeatStr("1 + ", 5000) + "1", depth);  // too deep a tree for ClickHouse too
    // Moderate nesting within the limits still works.
    EXPECT_EQ(e.run("SELECT " + repeatStr("(", 100) + "1" + repeatStr(")", 100)), "1\n");
    EXPECT_EQ(e.run(repeatStr("SELECT * FROM (", 30) + "SELECT 1" + repeatStr(")", 30)), "1\n");
}

TEST(Robustness, HugeLiterals) {
    Engine e;
    std::string big(1 << 20, '7');
    EXPECT_NE(e.code("SELECT " + big), -1);  // a 1 MB number: Float64 or error, never a crash
    e.expectAlive();
    EXPECT_EQ(e.run("SELECT length('" + std::string(200000, 'a') + "')"), "200000\n");
    expectError(e, "SELECT '" + std::string(100000, 'a'), {SYNTAX_ERROR});                 // unterminated
    expectError(e, "SELECT `" + std::string(100000, 'a'), {SYNTAX_ERROR});
    expectError(e, "SELECT 1 /* " + std::string(100000, 'a'), {SYNTAX_ERROR});
    expectError(e, "SELECT '\\" , {SYNTAX_ERROR});
    expectError(e, "SELECT x'" + std::string(1001, 'A') + "'", {});
    expectError(e, "SELECT toDecimal128('" + std::string(5000, '9') + "', 2)", {});
    EXPECT_NE(e.code("SELECT CAST('" + std::string(5000, '9') + "' AS UInt256)"), -1);   // a value (digits wrap) or an error
    e.expectAlive();
    EXPECT_NE(e.code("SELECT toDateTime64('2020-01-01 00:00:00." + std::string(5000, '9') + "', 9)"), -1);
    expectError(e, "SELECT toDecimal32(1, 1000)", {});
    expectError(e, "SELECT toDateTime64(1, 1000)", {});
    expectError(e, "SELECT CAST(1 AS FixedString(0))", {});
    expectError(e, "SELECT CAST(1 AS FixedString(100000000000))", {});
    expectError(e, "SELECT CAST(1 AS Decimal(1000, 2))", {});
    expectError(e, "SELECT CAST(1 AS " + repeatStr("Array(", 5000) + "UInt8" + repeatStr(")", 5000) + ")", {});
    EXPECT_NE(e.code("SELECT CAST(1 AS " + repeatStr("Nullable(", 3) + "UInt8" + repeatStr(")", 3) + ")"), -1);
    expectError(e, "SELECT 1 AS " + std::string(100000, 'x') + ", " + std::string(100000, 'x') + " + unknown", {});
}

TEST(Robustness, AbsurdSizes) {
    Engine e;
    const std::set<int> size = {MEMORY_LIMIT_EXCEEDED, TOO_LARGE_STRING_SIZE, ARGUMENT_OUT_OF_BOUND,
                                TOO_LARGE_ARRAY_SIZE, ILLEGAL_TYPE_OF_ARGUMENT, BAD_ARGUMENTS};
    // Spelled with float literals (ClickHouse rejects Float64 sizes) and with integers; UInt64 values
    // of 2^63 and more must not wrap to negative ("nothing to do").
    for (std::string n : {"1e12", "1000000000000", "toUInt64(1e12)", "18446744073709551615", "9223372036854775808"}) {
        expectError(e, "SELECT repeat('x', " + n + ")", size);
        expectError(e, "SELECT repeat('', " + n + ")", size);
        expectError(e, "SELECT length(repeat('xyz', " + n + "))", size);
        expectError(e, "SELECT range(" + n + ")", size);
        expectError(e, "SELECT length(range(" + n + "))", size);
        expectError(e, "SELECT space(" + n + ")", size);
        expectError(e, "SELECT leftPad('x', " + n + ")", size);
        expectError(e, "SELECT rightPad('x', " + n + ", 'ab')", size);
        expectError(e, "SELECT arrayWithConstant(" + n + ", 'x')", size);
        expectError(e, "SELECT repeat(repeat('x', 1000000), " + n + ")", size);
    }
    for (std::string n : {"1e12", "1000000000000", "toUInt64(1e12)"}) {
        expectError(e, "SELECT range(0, " + n + ", 1)", size);
        expectError(e, "SELECT arrayResize([1], " + n + ")", size);
        expectError(e, "SELECT arrayResize(['a'], " + n + ", 'b')", size);
    }
    for (std::string n : {"1e12", "1000000000000", "-1", "0"}) expectError(e, "SELECT toFixedString('x', " + n + ")", {});
    // Negative sizes: ClickHouse returns empty results here, we must simply not crash.
    for (std::string q : {"SELECT repeat('x', -1)", "SELECT space(-1)", "SELECT arrayResize([1], -1)", "SELECT range(0, -1, 1)",
                          "SELECT arrayResize([1], -9223372036854775808)", "SELECT repeat('x', toInt64(-9223372036854775808))"}) {
        EXPECT_NE(e.code(q), -1) << q;
        e.expectAlive();
    }
    // Sizes that each fit but multiply past the memory limit.
    expectError(e, "SELECT arrayMap(x -> range(x), range(100000))", size);
    expectError(e, "SELECT repeat(repeat('x', 100000), 100000)", size);
    expectError(e, "SELECT arrayMap(x -> repeat('x', 10000000), range(1000))", size);
    expectError(e, "SELECT groupArray(repeat('x', 1000000)) FROM numbers(10000)", size);
    expectError(e, "SELECT [range(10000000), range(10000000), range(10000000), range(10000000), range(10000000), range(10000000), range(10000000)]", size);
    expectError(e, "SELECT count() FROM (SELECT arrayJoin(range(100000)) AS a FROM numbers(100000)) SETTINGS max_execution_time = 2",
                {MEMORY_LIMIT_EXCEEDED, TIMEOUT_EXCEEDED});
    EXPECT_NE(e.code("SELECT count() FROM numbers(100000) AS a, numbers(100000) AS b"), -1);  // cross join: limit or unsupported
    // Arrays of arrays.
    EXPECT_EQ(e.run("SELECT length(arrayFlatten(arrayMap(x -> range(x), range(1000))))"), "499500\n");
    EXPECT_EQ(e.run("SELECT " + repeatStr("[", 50) + "1" + repeatStr("]", 50) + " != []"), "1\n");
    expectError(e, "SELECT arrayMap(x -> arrayMap(y -> range(y), range(x)), range(3000))", size);
    e.expectAlive();
}

TEST(Robustness, Timeouts) {
    Engine e;
    e.session.settings().max_execution_time = 1;
    expectError(e, "SELECT count() FROM system.numbers", {TIMEOUT_EXCEEDED});
    expectError(e, "SELECT sum(number) FROM numbers(100000000000)", {TIMEOUT_EXCEEDED});
    expectError(e, "SELECT number FROM system.numbers ORDER BY number DESC LIMIT 1", {TIMEOUT_EXCEEDED, MEMORY_LIMIT_EXCEEDED});
    expectError(e, "SELECT number % 1000000000 AS k, count() FROM system.numbers GROUP BY k", {TIMEOUT_EXCEEDED, MEMORY_LIMIT_EXCEEDED});
    EXPECT_EQ(e.run("SELECT number FROM system.numbers LIMIT 2"), "0\n1\n");
}

TEST(Robustness, MalformedInsertInEveryFormat) {
    Engine e;
    e.run("CREATE TABLE t (a UInt8, s String, d Date, arr Array(Int32), n Nullable(Float64)) ENGINE = Memory");
    const std::vector<std::string> formats = {
        "TabSeparated", "TSV", "TabSeparatedRaw", "TabSeparatedWithNames", "TabSeparatedWithNamesAndTypes",
        "CSV", "CSVWithNames", "CSVWithNamesAndTypes", "JSONEachRow", "JSONCompactEachRow", "Values"};
    const std::vector<std::string> payloads = {
        "", "\n", "\t\t\t\t\t\t\n", "300\tx\t2020-01-01\t[1]\t1\n", "1\tx\t2020-13-45\t[1]\t1\n", "1\tx\t2020-01-01\t[1,\t1\n",
        "1\tx\t2020-01-01\t[1]\n", "1,\"x,2020-01-01,[1],1\n", "1,x,2020-01-01,\"[1,2\",1\n", "\"", "[", "{", "{\"a\":",
        "{\"a\": 1, \"arr\": [1, [2]]}\n", "{\"a\": \"x\"}", "[1, \"x\", \"2020-01-01\", [1], 1, 7]", "[1, \"x\"",
        "(1, 'x', '2020-01-01', [1], 1", "(1, 'x', '2020-01-01', [1], 1)(", "(1, 'x', '2020-01-01', [1], 1), (", "('a')",
        "(1, 'x', '2020-01-01', [" + repeatStr("[", 5000) + "], 1)", "(" + std::string(100000, '9') + ", '', '2020-01-01', [], 0)",
        std::string("\0\xff\xfe\x01\x80", 5), "\xEF\xBB\xBF", "1\t\\", "1\t'\\N\t\\N\t\\N\t\\N\n", "a,s,d,arr,n\nx,y,z,w,v\n",
        "a\ts\td\tarr\tn\nUInt8\tString\tDate\tArray(Int32)\tNullable(Float64)\n1\tx\t2020-01-01\t[1]\tnan\n",
        "a\ts\nNotAType(\tString\n1\tx\n", "{\"arr\": " + repeatStr("[", 10000) + "}", "[" + repeatStr("{", 10000),
    };
    for (auto& f : formats) {
        for (auto& p : payloads) {
            int c = e.code("INSERT INTO t FORMAT " + f + "\n" + p);
            EXPECT_NE(c, -1) << f;
        }
    }
    e.expectAlive();
    // Failed INSERTs leave no partial rows; the table is still usable.
    std::string before = e.run("SELECT count() FROM t");
    expectError(e, "INSERT INTO t VALUES (1, 'x', '2020-01-01', [1], 1), (2, 'y', 'bad', [2], 2)", {});
    EXPECT_EQ(e.run("SELECT count() FROM t"), before);
    e.run("INSERT INTO t VALUES (1, 'x', '2020-01-01', [1], 1)");
    expectError(e, "INSERT INTO t FORMAT NoSuchFormat\n1", {73});
    expectError(e, "INSERT INTO nonexistent VALUES (1)", {60});
    expectError(e, "INSERT INTO t (nope) VALUES (1)", {16});
}

TEST(Robustness, UnknownAndBadSettings) {
    Engine e;
    expectError(e, "SET no_such_setting = 1", {UNKNOWN_SETTING});
    expectError(e, "SELECT 1 SETTINGS no_such_setting = 1", {UNKNOWN_SETTING});
    expectError(e, "SET max_threads = 'many'", {});
    expectError(e, "SET max_block_size = 0", {});
    expectError(e, "SET max_memory_usage = -1", {});
    expectError(e, "SET max_execution_time = 'x'", {});
    expectError(e, "SET session_timezone = 'Mars/Olympus'", {});
    expectError(e, "SELECT 1 SETTINGS max_block_size = 0", {});
    expectError(e, "SELECT 1 SETTINGS max_parser_depth = 'deep'", {});
    expectError(e, "SELECT 1 FORMAT NoSuchFormat", {});
    e.run("SET max_block_size = 1");  // absurd but legal
    EXPECT_EQ(e.run("SELECT sum(number) FROM numbers(1000)"), "499500\n");
    e.run("SET max_block_size = 65536");
    e.expectAlive();
}

TEST(Robustness, GarbageStatements) {
    Engine e;
    const std::vector<std::string> garbage = {
        "", ";", ";;;", "SELECT", "SELECT FROM", "SELECT * FROM", "SELECT (", "SELECT )", "SELECT [1,", "SELECT {",
        "SELECT 1 +", "SELECT x ->", "SELECT CAST(", "SELECT CAST(1 AS", "SELECT 1::", "SELECT INTERVAL", "SELECT CASE",
        "CREATE TABLE", "CREATE TABLE t (", "CREATE TABLE t (a)", "CREATE TABLE t (a Nope) ENGINE = Memory",
        "DROP", "INSERT INTO", "INSERT INTO t VALUES", "ALTER TABLE t", "SHOW", "DESCRIBE", "EXPLAIN",
        std::string("SELECT \0 1", 10), "SELECT \xff\xfe", "SELECT '\xc3'", "SELECT `\x80`", "SELECT $$",
        "SELECT 1 FROM numbers(-1)", "SELECT 1 FROM numbers(1, 2, 3)", "SELECT * FROM no_such_table_function(1)",
        "SELECT 1 LIMIT -1", "SELECT 1 LIMIT 18446744073709551615 OFFSET 18446744073709551615",
        "SELECT number FROM numbers(10) ORDER BY 100", "SELECT number FROM numbers(10) LIMIT 1 BY 1e300",
        "SELECT * FROM (SELECT 1) ARRAY JOIN", "SELECT 1 UNION", "SELECT 1 UNION ALL SELECT 1, 2",
        "WITH x AS (SELECT x) SELECT * FROM x", "WITH 1 AS a, a + 1 AS a SELECT a", "SELECT a AS b, b AS a",
        "SELECT x -> x", "SELECT arrayMap(1, [1])", "SELECT arrayMap(x -> x, 1)", "SELECT arrayMap((x, y) -> x, [1])",
        "SELECT count(*) OVER ()", "SELECT sum(sum(1))", "SELECT quantile(2)(1)", "SELECT quantiles(-1, 1e300)(1)",
        "SELECT 1 IN (SELECT 1, 2)", "SELECT (SELECT 1, 2)", "SELECT (SELECT number FROM numbers(2))",
        "SELECT toDateTime('2020-01-01', 'No/Zone')", "SELECT formatDateTime(now(), '%')", "SELECT substring('abc', -100000000000)",
        "SELECT intDiv(1, 0)", "SELECT 1 % 0", "SELECT intDiv(-9223372036854775808, -1)", "SELECT -9223372036854775808 % -1",
        "SELECT toDecimal32(1, 9) / toDecimal32(0, 9)", "SELECT toDecimal64(9e17, 0) * 1000",
    };
    for (auto& g : garbage) EXPECT_NE(e.code(g), -1) << g;
    e.expectAlive();
}

// Out-of-range date/time arithmetic wraps like ClickHouse instead of tripping signed-overflow UB
// (found by the hostile-query sweep; these aborted the sanitizer build).
TEST(Robustness, DateArithmeticOverflowDoesNotCrash) {
    Engine e;
    for (const char* sql : {
             "SELECT addYears(toDate('2020-01-01'), 9223372036854775807)",
             "SELECT addDays(toDateTime('2020-01-01 00:00:00'), 9223372036854775807)",
             "SELECT toDateTime('2020-01-01') + INTERVAL 9223372036854775807 SECOND",
             "SELECT addSeconds(toDateTime64('2020-01-01 00:00:00', 9), 9223372036854775807)",
             "SELECT toDate('2020-01-01') + INTERVAL 9223372036854775807 MONTH",
             "SELECT toDate('2020-01-01') - INTERVAL -9223372036854775808 DAY",
             "SELECT toDateTime64(9223372036854775807, 9)",
         }) {
        e.code(sql);   // a value or a basalt::Exception are both fine; a crash is not
        e.expectAlive();
    }
}

// LIMIT 0 must not read the source at all (an unbounded one would never end).
TEST(Robustness, LimitZeroOnUnboundedSource) {
    Engine e;
    EXPECT_EQ(e.run("SELECT * FROM system.numbers WHERE number > 10 LIMIT 0"), "");
}

// The native-protocol packet reader under mutated client conversations (the same harness as the
// fuzz_native libFuzzer target, seeded so CI runs a fixed sample): byte flips, truncations,
// absurd VarUInt sizes spliced in, chunks duplicated. No crash, no sanitizer report, nothing but
// basalt::Exception, and the valid seeds parse cleanly.
TEST(Robustness, NativePacketReaderMutations) {
    auto seeds = fuzz::seedConversations();
    ASSERT_EQ(seeds.size(), 3u);
    for (auto& s : seeds) {
        // A valid conversation reads to its end without an exception being swallowed.
        using namespace native;
        MemoryInStream in(s.data() + 1, s.size() - 1);
        ASSERT_EQ(in.readVarUInt(), uint64_t(Client::Hello));
        EXPECT_EQ(readClientHello(in).user, "default");
        ASSERT_EQ(in.readVarUInt(), uint64_t(Client::Query));
        QueryPacket q = readQueryPacket(in, kRevision);
        EXPECT_EQ(q.text, "INSERT INTO t VALUES");
        EXPECT_EQ(q.settings.size(), 1u);
        EXPECT_EQ(q.client_name, "fuzz");   // writeQueryPacket / readQueryPacket agree
        ASSERT_EQ(in.readVarUInt(), uint64_t(Client::Data));
        EXPECT_EQ(readDataPacketBody(in, q.compression).rows(), 5u);
        fuzz::parseClientPackets(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    }
    std::mt19937_64 rng(20261127);
    const char absurd[][10] = {"\xff\xff\xff\xff\xff\xff\xff\xff\x7f", "\xff\xff\xff\xff\x0f", "\x80\x80\x80\x80\x80\x80\x80\x80\x80"};
    for (int iter = 0; iter < 4000; ++iter) {
        std::string s = seeds[iter % seeds.size()];
        int edits = 1 + int(rng() % 4);
        for (int e = 0; e < edits && s.size() > 2; ++e) {
            size_t at = 1 + rng() % (s.size() - 1);
            switch (rng() % 5) {
                case 0: s[at] = char(rng()); break;
                case 1: s.resize(at); break;
                case 2: s.insert(at, absurd[rng() % 3]); break;
                case 3: s.insert(at, s.substr(at, rng() % 64)); break;
                case 4: s.erase(at, rng() % 16); break;
            }
        }
        try {
            fuzz::parseClientPackets(reinterpret_cast<const uint8_t*>(s.data()), s.size());
        } catch (const std::exception& ex) {
            FAIL() << "iteration " << iter << ": " << ex.what();
        }
    }
}
