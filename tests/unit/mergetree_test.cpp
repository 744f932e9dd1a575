// MergeTree internals: part names, partition IDs (ClickHouse's, checked against values the oracle
// printed), column stream round trips, index analysis (KeyCondition) including monotonic key
// chains, granule selection visible through EXPLAIN indexes, and concurrent reads during merges.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "common/exception.h"
#include "common/sip_hash.h"
#include "interpreter/interpreter.h"
#include "sql/parser.h"
#include "storage/catalog.h"
#include "test_engine.h"
#include "storage/mergetree/key_condition.h"
#include "storage/mergetree/part.h"
#include "storage/mergetree/serialization.h"
#include "storage/mergetree/storage_mergetree.h"
#include "types/create_column.h"

using namespace basalt;

namespace {
using Engine = TestEngine;

ASTPtr expr(const std::string& sql) {
    auto stmt = parseStatement("SELECT " + sql);
    auto* u = stmt.ast->as<ASTSelectWithUnion>();
    return u->selects[0]->as<ASTSelectQuery>()->select[0];
}
}  // namespace

TEST(MergeTreePartInfo, NamesRoundTrip) {
    auto info = MergeTreePartInfo::parse("202401_3_17_2");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->partition_id, "202401");
    EXPECT_EQ(info->min_block, 3);
    EXPECT_EQ(info->max_block, 17);
    EXPECT_EQ(info->level, 2u);
    EXPECT_EQ(info->name(), "202401_3_17_2");
    auto mutated = MergeTreePartInfo::parse("all_1_1_0_5");
    ASSERT_TRUE(mutated);
    EXPECT_EQ(mutated->mutation, 5);
    EXPECT_TRUE(info->contains(*MergeTreePartInfo::parse("202401_4_4_0")));
    EXPECT_FALSE(info->contains(*info));
    EXPECT_FALSE(info->contains(*MergeTreePartInfo::parse("202402_4_4_0")));
    for (const char* bad : {"", "a_b_c_d", "x_5_3_0", "tmp_insert_all_1_1_0", "all_1_1", "detached"})
        EXPECT_FALSE(MergeTreePartInfo::parse(bad)) << bad;
}

TEST(MergeTreePartition, HashIdsMatchClickHouse) {
    // FieldVisitorHash of String 'a': tag 16, 8-byte length, bytes (IDs printed by ClickHouse 26.7).
    std::string a;
    a.push_back(char(16));
    uint64_t one = 1;
    a.append(reinterpret_cast<const char*>(&one), 8);
    a += "a";
    EXPECT_EQ(partitionHashId(a), "51fbadfb0deeea70ceafbd3c7c8aef25");
}

// A stream that hands out its bytes in windows of `window` bytes, as compressed blocks end at
// arbitrary points of a column file.
class ChunkedInStream final : public InStream {
public:
    ChunkedInStream(const std::string& data, size_t window) : data_(data), window_(window) { nextBuffer(); }
    bool nextBuffer() override {
        if (at_ >= data_.size()) return false;
        size_t n = std::min(window_, data_.size() - at_);
        buf_.assign(data_.data() + at_, n);   // its own buffer: reads past the window would be caught by ASan
        at_ += n;
        pos = buf_.data();
        end = pos + n;
        return true;
    }

private:
    const std::string& data_;
    size_t window_, at_ = 0;
    std::string buf_;
};

// Strings are decoded with 16-byte chunk copies while the window holds the value and 16 bytes
// more, and through readStrict otherwise: every window size, values of every length around the
// chunk size and long ones, appended to a column that already holds rows.
TEST(MergeTreeSerialization, StringsAcrossWindowsOfEverySize) {
    auto type = parseDataType("String");
    auto src = ColumnString::create();
    for (size_t i = 0; i < 300; ++i) {
        size_t len = i < 40 ? i : (i * 37) % 200;
        if (i % 97 == 0) len = 1000 + i;   // two-byte lengths
        std::string v(len, '\0');
        for (size_t j = 0; j < len; ++j) v[j] = char('a' + (i + j) % 26);
        src->insertData(v);
    }
    StringOutStream out;
    serializeColumnFlat(*type, *src, out);
    for (size_t window : {1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 100, 1024, 1 << 20}) {
        ChunkedInStream in(out.buf, window);
        auto dst = ColumnString::create();
        dst->insertData("already here");
        deserializeColumnFlat(*type, *dst, src->size(), in);
        ASSERT_EQ(dst->size(), src->size() + 1) << window;
        EXPECT_EQ(dst->getView(0), "already here");
        for (size_t i = 0; i < src->size(); ++i) ASSERT_EQ(dst->getView(i + 1), src->getView(i)) << "window " << window << " row " << i;
        EXPECT_EQ(dst->getChars().size(), dst->getOffsets().back());
        // The `s.size` subcolumn: the lengths alone, the bytes skipped across the same windows.
        ChunkedInStream sin(out.buf, window);
        PODArray<uint64_t> sizes;
        sizes.push_back(7);
        readStringSizes(sizes, src->size(), sin);
        ASSERT_EQ(sizes.size(), src->size() + 1) << window;
        EXPECT_EQ(sizes[0], 7u);
        for (size_t i = 0; i < src->size(); ++i) ASSERT_EQ(sizes[i + 1], src->getView(i).size()) << "window " << window << " row " << i;
        EXPECT_EQ(sin.pos, sin.end) << window;
    }
    {
        // Sizes of a stream cut inside a value: CANNOT_READ_ALL_DATA, only whole values kept.
        std::string cut = out.buf.substr(0, out.buf.size() - 5);
        ChunkedInStream in(cut, 64);
        PODArray<uint64_t> sizes;
        try {
            readStringSizes(sizes, src->size(), in);
            FAIL() << "expected CANNOT_READ_ALL_DATA";
        } catch (const Exception& e) {
            EXPECT_EQ(e.code(), ErrorCodes::CANNOT_READ_ALL_DATA);
        }
        EXPECT_EQ(sizes.size(), src->size() - 1);
    }
    // A stream cut inside a value: CANNOT_READ_ALL_DATA, and the column keeps only whole rows.
    std::string cut = out.buf.substr(0, out.buf.size() - 5);
    ChunkedInStream in(cut, 64);
    auto dst = ColumnString::create();
    try {
        deserializeColumnFlat(*type, *dst, src->size(), in);
        FAIL() << "expected CANNOT_READ_ALL_DATA";
    } catch (const Exception& e) {
        EXPECT_EQ(e.code(), ErrorCodes::CANNOT_READ_ALL_DATA);
    }
    ASSERT_EQ(dst->size(), src->size() - 1);
    EXPECT_EQ(dst->getChars().size(), dst->getOffsets().back());
    for (size_t i = 0; i < dst->size(); ++i) ASSERT_EQ(dst->getView(i), src->getView(i));
}

TEST(MergeTreeSerialization, CompositeColumnsRoundTrip) {
    const std::pair<const char*, const char*> cases[] = {
        {"Array(Nullable(String))", "[['a', NULL], [], [NULL, 'bc', '']]"},
        {"Map(String, Array(UInt8))", "[map('a', [1, 2]), map(), map('b', [], 'c', [3])]"},
        {"Tuple(a UInt64, b Nullable(FixedString(2)))", "[(1, 'ab'), (2, NULL)]"},
        {"Array(Array(Int32))", "[[[1], [2, 3]], [], [[]]]"},
        {"Nullable(Float64)", "[1.5, NULL, -2]"},
        {"String", "['x', '', 'yz']"},
    };
    Engine e;
    for (auto [type_name, values] : cases) {
        DataTypePtr t = parseDataType(type_name);
        auto out = e.session.execute(std::string("SELECT CAST(v, '") + type_name + "') FROM (SELECT arrayJoin(" + values + ") AS v)");
        ASSERT_FALSE(out.result.blocks.empty()) << type_name;
        ColumnPtr col = out.result.blocks[0].at(0).column;
        col = col->convertToFullColumn(col);
        std::map<std::string, StringOutStream> streams;
        // Two runs (as two granules) into the same streams, read back in one go.
        serializeBulk(*t, *col, 0, 1, "c", [&](const std::string& s) -> OutStream& { return streams[s]; });
        serializeBulk(*t, *col, 1, col->size() - 1, "c", [&](const std::string& s) -> OutStream& { return streams[s]; });
        std::vector<std::string> names;
        enumerateStreams(*t, "c", names);
        for (auto& [n, s] : streams) EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
        std::map<std::string, std::unique_ptr<MemoryInStream>> in;
        for (auto& [n, s] : streams) in[n] = std::make_unique<MemoryInStream>(s.buf.data(), s.buf.size());
        auto back = createColumn(t);
        deserializeBulk(*t, *back, col->size(), "c", [&](const std::string& s) -> InStream& { return *in.at(s); });
        ASSERT_EQ(back->size(), col->size());
        for (size_t i = 0; i < col->size(); ++i) EXPECT_EQ(back->compareAt(i, i, *col, 1), 0) << type_name << " row " << i;
        for (auto& [n, s] : in) EXPECT_EQ(s->pos, s->end) << "unread bytes in " << n;
        // A truncated stream is an error, never a crash.
        for (auto& [n, s] : streams)
            if (!s.buf.empty()) {
                MemoryInStream cut(s.buf.data(), s.buf.size() - 1);
                auto partial = createColumn(t);
                std::map<std::string, std::unique_ptr<MemoryInStream>> in2;
                for (auto& [n2, s2] : streams) in2[n2] = std::make_unique<MemoryInStream>(s2.buf.data(), s2.buf.size() - (n2 == n ? 1 : 0));
                EXPECT_THROW(deserializeBulk(*t, *partial, col->size(), "c", [&](const std::string& x) -> InStream& { return *in2.at(x); }), Exception);
                break;
            }
    }
}

TEST(MergeTreeKeyCondition, RangesAndMonotonicChains) {
    Engine e;
    QueryContext ctx;
    ctx.catalog = e.catalog.get();
    std::vector<std::pair<std::string, DataTypePtr>> cols{{"ts", parseDataType("DateTime('UTC')")}, {"u", parseDataType("UInt32")}};
    // Key: (toStartOfDay(ts), u); one index row per day 2024-01-01 .. 2024-01-05.
    std::vector<KeyDescription> keys{{"toStartOfDay(ts)", expr("toStartOfDay(ts)"), parseDataType("DateTime('UTC')")},
                                     {"u", expr("u"), parseDataType("UInt32")}};
    Block index;
    auto days = createColumn(parseDataType("DateTime('UTC')"));
    auto us = createColumn(parseDataType("UInt32"));
    for (int d = 0; d < 5; ++d) { days->insert(Field(uint64_t(1704067200 + d * 86400))); us->insert(Field(uint64_t(d))); }
    index.insert({std::move(days), keys[0].type, keys[0].name});
    index.insert({std::move(us), keys[1].type, keys[1].name});

    auto mayBe = [&](const std::string& where, size_t l, size_t r) {
        KeyCondition kc(expr(where), keys, cols, ctx);
        return kc.mayBeTrue(KeyCondition::indexRanges(index, l, r));
    };
    // ts >= 2024-01-04 12:00 becomes toStartOfDay(ts) >= 2024-01-04: granule ranges before it skip.
    EXPECT_FALSE(mayBe("ts >= '2024-01-04 12:00:00'", 0, 2));
    EXPECT_TRUE(mayBe("ts >= '2024-01-04 12:00:00'", 2, 4));
    EXPECT_TRUE(mayBe("ts >= '2024-01-04 12:00:00'", 3, 4));
    // Strict < through a flat function stays non-strict: rows of 2024-01-02 10:00 are in day 2.
    EXPECT_TRUE(mayBe("ts < '2024-01-02 10:00:00'", 1, 2));
    EXPECT_FALSE(mayBe("ts < '2024-01-02 00:00:00'", 2, 3));
    // Rows 0..1 span two days, so u is unbounded there; within day 1 alone u is bounded.
    EXPECT_TRUE(mayBe("ts < '2024-01-02 00:00:00' AND u > 100", 0, 1));
    EXPECT_FALSE(mayBe("ts < '2024-01-02 00:00:00' AND u > 100", 0, 0));
    EXPECT_TRUE(mayBe("ts < '2024-01-02 00:00:00' OR u > 100", 3, 4));
    EXPECT_FALSE(mayBe("NOT (toStartOfDay(ts) >= '2024-01-01 00:00:00')", 0, 4));
    EXPECT_FALSE(mayBe("toStartOfDay(ts) IN ('2023-01-01 00:00:00', '2030-01-01 00:00:00')", 0, 4));
    // The second key column is bounded only where the first is equal at both ends.
    EXPECT_TRUE(mayBe("u = 100", 0, 1));
    // Unknown shapes never prune.
    EXPECT_TRUE(mayBe("cityHash64(u) = 5", 0, 1));
    EXPECT_TRUE(mayBe("u != 3", 0, 4));
    // Constants that do not convert exactly to the key type never prune (UInt32 vs -1, 3.5).
    EXPECT_TRUE(mayBe("u > -1", 0, 4));
    EXPECT_TRUE(mayBe("u < 3.5 OR u = 3.5", 0, 4));
}

TEST(MergeTreeReads, IndexesSkipGranules) {
    Engine e;
    e.run("CREATE TABLE t (ts DateTime('UTC'), u UInt32) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (toStartOfDay(ts), u, ts) "
          "SETTINGS index_granularity = 100");
    e.run("INSERT INTO t SELECT toDateTime('2024-01-01 00:00:00', 'UTC') + number * 60, number % 1000 FROM numbers(14400)");
    std::string plan = e.run("EXPLAIN indexes = 1 SELECT count() FROM t WHERE ts >= '2024-01-10 00:00:00'");
    // Ten daily partitions; the last day only.
    EXPECT_NE(plan.find("Parts: 1/10"), std::string::npos) << plan;
    EXPECT_NE(plan.find("Granules: 14/140"), std::string::npos) << plan;
    EXPECT_EQ(e.run("EXPLAIN ESTIMATE SELECT count() FROM t WHERE ts >= '2024-01-09 12:00:00'"), "default\tt\t2\t2880\t28\n");
    EXPECT_EQ(e.run("SELECT count() FROM t WHERE ts >= '2024-01-09 12:00:00'"), "2160\n");
    // Inside one day the key is (day, u, ts): u = 7 keeps few granules.
    EXPECT_EQ(e.run("EXPLAIN ESTIMATE SELECT count() FROM t WHERE u = 7 AND ts >= '2024-01-10 00:00:00'"), "default\tt\t1\t100\t1\n");
    // system.query_log shows what was read: two partitions of ten.
    e.run("SELECT count() FROM t WHERE ts >= toDateTime('2024-01-10 00:00:00', 'UTC') - INTERVAL 1 DAY");
    EXPECT_EQ(e.run("SELECT read_rows FROM system.query_log WHERE query LIKE 'SELECT count() FROM t WHERE ts >= %INTERVAL 1 DAY' AND type = 'QueryFinish'"),
              "2880\n");
}

TEST(MergeTreeReads, ConsistentDuringMergesAndInserts) {
    Engine e;
    e.run("CREATE TABLE c (k UInt64, v UInt64) ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 64");
    std::atomic<bool> done{false};
    std::thread writer([&] {
        Engine* eng = &e;
        for (int i = 0; i < 40; ++i) {
            std::string sql = "INSERT INTO c SELECT number, 1 FROM numbers(" + std::to_string(i * 1000) + ", 1000)";
            eng->session.execute(sql);
        }
        done = true;
    });
    // A second session on the same catalog reads while parts are inserted and merged: every
    // snapshot holds whole inserts only (multiples of 1000 rows, each with sum(v) = count()).
    Session reader(*e.catalog);
    size_t checks = 0;
    while (!done || checks < 5) {
        std::string r = reader.formatResult(reader.execute("SELECT count(), sum(v) FROM c"), "TabSeparated");
        auto tab = r.find('\t');
        uint64_t n = std::stoull(r.substr(0, tab)), s = std::stoull(r.substr(tab + 1));
        EXPECT_EQ(n % 1000, 0u) << r;
        EXPECT_EQ(n, s);
        ++checks;
    }
    writer.join();
    EXPECT_EQ(e.run("SELECT count(), uniqExact(k) FROM c"), "40000\t40000\n");
    e.run("OPTIMIZE TABLE c FINAL");
    EXPECT_EQ(e.run("SELECT count() FROM system.parts WHERE table = 'c' AND active"), "1\n");
    EXPECT_EQ(e.run("SELECT count(), min(k), max(k) FROM c"), "40000\t0\t39999\n");
}

// PREWHERE inside the MergeTree source: every filter gives the same rows as the executor's own
// filtering, including after ALTERs (filled and converted columns), for count() and for
// non-selective filters; read_rows still counts every row the filter columns were read for.
TEST(MergeTreePrewhere, SameRowsAsExecutorFilter) {
    Engine e;
    e.run("CREATE TABLE p (k UInt64, g UInt32, s String, lc LowCardinality(String), n Nullable(Int32), a Array(UInt8)) "
          "ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 16");
    e.run("SYSTEM STOP MERGES p");
    e.run("INSERT INTO p SELECT number, number % 7, toString(number), concat('v', toString(number % 5)), if(number % 4 = 0, NULL, toInt32(number)), "
          "[toUInt8(number % 3)] FROM numbers(1000)");
    e.run("INSERT INTO p SELECT number + 5000, number % 11, toString(number), 'w', NULL, [] FROM numbers(300)");
    e.run("ALTER TABLE p ADD COLUMN extra UInt16 DEFAULT 9");
    e.run("ALTER TABLE p MODIFY COLUMN g UInt64");
    e.run("INSERT INTO p (k, g, s, lc, n, a, extra) VALUES (9000, 3, 'x', 'v1', 5, [1], 1)");
    const char* preds[] = {"k = 500", "g = 3", "s LIKE '1%'", "lc = 'v2'", "n IS NULL", "n > 900", "has(a, 2)", "extra = 9", "extra = 1",
                           "k > 100 AND g = 1 OR lc = 'w'", "k < 0", "1", "NOT (g = 3)", "length(a) = 0 AND g IN (1, 2)", "k IN (SELECT 7)"};
    for (const char* p : preds) {
        for (const char* sel : {"count()", "sum(k), max(s), sum(n), count(n), sum(extra)", "k, g, lc, a"}) {
            std::string q = std::string("SELECT ") + sel + " FROM p WHERE " + p + (std::string(sel).find(',') != std::string::npos && std::string(sel)[0] == 'k' ? " ORDER BY k LIMIT 20" : "");
            EXPECT_EQ(e.run(q), e.run(q + " SETTINGS optimize_move_to_prewhere = 0")) << q;
        }
    }
    // read_rows: the filter column was read for every row of the table (no index on g).
    e.run("SELECT sum(k) FROM p WHERE g = 3 /* prewhere-read-rows */");
    e.run("SYSTEM FLUSH LOGS");
    EXPECT_EQ(e.run("SELECT read_rows FROM system.query_log WHERE query LIKE '%prewhere-read-rows%' AND query NOT LIKE '%query_log%' AND type = 'QueryFinish'"),
              "1301\n");
}

// optimize_read_in_order: ORDER BY a sorting-key prefix with LIMIT reads a few granules per part,
// and returns what a full sort returns.
TEST(MergeTreeReadInOrder, ReadsOnlyTheFirstGranules) {
    Engine e;
    e.run("CREATE TABLE r (a UInt32, b UInt64, s String) ENGINE = MergeTree ORDER BY (a, b) SETTINGS index_granularity = 64");
    e.run("SYSTEM STOP MERGES r");
    for (int i = 0; i < 3; ++i)
        e.run("INSERT INTO r SELECT (number * 31 + " + std::to_string(i) + ") % 1000, number, toString(number) FROM numbers(" + std::to_string(i * 7000) +
              ", 10000)");
    for (const char* q : {"SELECT a, b, s FROM r ORDER BY a, b LIMIT 7", "SELECT a, b FROM r ORDER BY a DESC, b DESC LIMIT 5 OFFSET 3",
                          "SELECT a FROM r WHERE b % 2 = 1 ORDER BY a LIMIT 9", "SELECT s FROM r ORDER BY a, b LIMIT 2"}) {
        EXPECT_EQ(e.run(q), e.run(std::string(q) + " SETTINGS optimize_read_in_order = 0")) << q;
    }
    e.run("SELECT a, b, s FROM r ORDER BY a, b LIMIT 7 /* in-order-read-rows */");
    e.run("SYSTEM FLUSH LOGS");
    std::string rows = e.run("SELECT read_rows FROM system.query_log WHERE query LIKE '%in-order-read-rows%' AND query NOT LIKE '%query_log%' AND type = 'QueryFinish'");
    ASSERT_FALSE(rows.empty());
    EXPECT_LE(std::stoull(rows), 3u * 64 * 2) << "read " << rows;   // a granule or two per part, not 30000 rows
}

// data_uncompressed_bytes of a part is the same when it is written and when it is loaded again.
TEST(MergeTreeParts, UncompressedBytesSurviveReload) {
    Engine e;
    e.run("CREATE TABLE u (k UInt64, s String, l LowCardinality(String)) ENGINE = MergeTree ORDER BY k");
    e.run("INSERT INTO u SELECT number, repeat('x', number % 50), toString(number % 3) FROM numbers(20000)");
    std::string before = e.run("SELECT data_uncompressed_bytes, data_compressed_bytes FROM system.parts WHERE table = 'u' AND active");
    EXPECT_NE(before.substr(0, 2), "0\t");
    e.run("DETACH TABLE u");
    e.run("ATTACH TABLE u");
    EXPECT_EQ(e.run("SELECT data_uncompressed_bytes, data_compressed_bytes FROM system.parts WHERE table = 'u' AND active"), before);
    EXPECT_EQ(e.run("SELECT count(), sum(length(s)) FROM u"), "20000\t490000\n");
}

namespace {
// A basalt whose catalog lives in a directory, reopened as a restart would.
struct DiskEngine {
    std::string dir;
    std::unique_ptr<Catalog> catalog;
    std::unique_ptr<Session> session;
    explicit DiskEngine(const std::string& name) : dir(testing::TempDir() + name) {
        std::filesystem::remove_all(dir);
        open();
    }
    ~DiskEngine() {
        close();
        std::filesystem::remove_all(dir);
    }
    void open() {
        catalog = openCatalog(dir);
        session = std::make_unique<Session>(*catalog);
    }
    void close() {
        session.reset();
        catalog.reset();
    }
    std::string run(const std::string& sql) { return session->formatResult(session->execute(sql), "TabSeparated"); }
};

// Polls `sql` until it returns `want` (background work has no completion event to wait on).
bool eventually(const std::function<std::string()>& query, const std::string& want) {
    for (int i = 0; i < 600; ++i) {
        if (query() == want) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

// SYSTEM STOP MERGES for every table for the scope of a test (process-wide state).
struct MergesStopped {
    std::function<Session&()> session;
    explicit MergesStopped(std::function<Session&()> s) : session(std::move(s)) { session().execute("SYSTEM STOP MERGES"); }
    ~MergesStopped() { session().execute("SYSTEM START MERGES"); }
};
}  // namespace

TEST(MergeTreeMutations, QueuedMutationSurvivesRestart) {
    DiskEngine e("basalt_mutation_restart");
    e.run("CREATE TABLE t (k UInt64, v String) ENGINE = MergeTree ORDER BY k");
    e.run("INSERT INTO t SELECT number, toString(number) FROM numbers(100)");
    e.run("INSERT INTO t SELECT number + 100, toString(number) FROM numbers(100)");
    {
        MergesStopped stop([&]() -> Session& { return *e.session; });
        e.run("ALTER TABLE t DELETE WHERE k % 2 = 0");
        e.run("INSERT INTO t VALUES (1000, 'after')");   // newer than the mutation: kept
        EXPECT_EQ(e.run("SELECT count() FROM t"), "201\n");
        EXPECT_EQ(e.run("SELECT mutation_id, parts_to_do, is_done FROM system.mutations WHERE table = 't'"), "mutation_3.txt\t2\t0\n");
        e.close();
        e.open();
        EXPECT_EQ(e.run("SELECT mutation_id, command, parts_to_do, is_done FROM system.mutations WHERE table = 't'"),
                  "mutation_3.txt\t(DELETE WHERE (k % 2) = 0)\t2\t0\n");
        EXPECT_EQ(e.run("SELECT count() FROM t"), "201\n");
    }
    // Applied in the background once merges may run; the part inserted after it is untouched.
    EXPECT_TRUE(eventually([&] { return e.run("SELECT is_done FROM system.mutations WHERE table = 't'"); }, "1\n"));
    EXPECT_EQ(e.run("SELECT count(), countIf(k % 2 = 0) FROM t"), "101\t1\n");
    // A new mutation's version stays above every earlier block number and mutation after a restart.
    e.close();
    e.open();
    e.run("ALTER TABLE t UPDATE v = 'u' WHERE k = 1000 SETTINGS mutations_sync = 2");
    EXPECT_EQ(e.run("SELECT v FROM t WHERE k = 1000"), "u\n");
    EXPECT_EQ(e.run("SELECT count() FROM system.mutations WHERE table = 't'"), "2\n");
}

TEST(MergeTreeMutations, StructureChangeRebuildsQueuedMutation) {
    Engine e;
    e.run("CREATE TABLE t (k UInt64, v String) ENGINE = MergeTree ORDER BY k");
    e.run("INSERT INTO t SELECT number, toString(number) FROM numbers(10)");
    {
        MergesStopped stop([&]() -> Session& { return e.session; });
        e.run("ALTER TABLE t UPDATE v = 'z' WHERE k < 3");
        // A new first column moves every position: the queued UPDATE is re-analyzed by name.
        e.run("ALTER TABLE t ADD COLUMN a UInt8 DEFAULT 7 FIRST");
        e.run("ALTER TABLE t DELETE WHERE k = 9 SETTINGS mutations_sync = 2");   // waits for the UPDATE too
    }
    EXPECT_EQ(e.run("SELECT groupArray(v), sum(a) FROM (SELECT v, a FROM t ORDER BY k)"), "['z','z','z','3','4','5','6','7','8']\t63\n");
    // A structure change that rewrites parts first finishes the queued mutations.
    {
        MergesStopped stop([&]() -> Session& { return e.session; });
        e.run("ALTER TABLE t DELETE WHERE k = 8");
        e.run("ALTER TABLE t MODIFY COLUMN a UInt16");
    }
    EXPECT_EQ(e.run("SELECT count(), toTypeName(any(a)) FROM t"), "8\tUInt16\n");
}

TEST(MergeTreeTTL, WholeExpiredPartDroppedWithoutReadingIt) {
    Engine e;
    e.run("CREATE TABLE x (d DateTime, k UInt64) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k TTL d + INTERVAL 1 DAY");
    {
        MergesStopped stop([&]() -> Session& { return e.session; });
        e.run("INSERT INTO x SELECT toDateTime('2020-01-01 00:00:00') + number, number FROM numbers(1000)");
        e.run("INSERT INTO x SELECT now() + number, number FROM numbers(10)");
        // Damage the expired part's data: a rewrite would fail to read it; a drop never opens it.
        std::string path = e.run("SELECT path FROM system.parts WHERE table = 'x' AND active AND partition = '202001'");
        ASSERT_FALSE(path.empty());
        path.pop_back();
        for (auto& f : std::filesystem::directory_iterator(path))
            if (f.path().extension() == ".bin") {
                std::ofstream out(f.path(), std::ios::binary | std::ios::in);
                out.seekp(20);
                out.write("garbage!", 8);
            }
    }
    EXPECT_TRUE(eventually([&] { return e.run("SELECT count() FROM system.parts WHERE table = 'x' AND active"); }, "1\n"));
    EXPECT_EQ(e.run("SELECT count() FROM x"), "10\n");
}

TEST(MergeTreeTTL, ColumnTTLMergesRunWithoutOptimize) {
    Engine e;
    e.run("CREATE TABLE c (d DateTime, k UInt64, v String TTL d + INTERVAL 1 DAY) ENGINE = MergeTree ORDER BY k");
    e.run("INSERT INTO c SELECT if(number % 2, now(), toDateTime('2020-01-01 00:00:00')), number, 'v' FROM numbers(100)");
    EXPECT_TRUE(eventually([&] { return e.run("SELECT countIf(v = '') FROM c"); }, "50\n"));
    EXPECT_EQ(e.run("SELECT count(), countIf(v = 'v') FROM c"), "100\t50\n");
}

// Mutations queued while INSERTs and merges run: a row is changed by exactly the mutations created
// after its INSERT took its block number — so, over INSERTs in order, the number of updates a row
// received never increases, rows present before the first mutation got all of them, and no row is
// lost or duplicated.
TEST(MergeTreeMutations, ConcurrentWithInsertsAndMerges) {
    Engine e;
    e.run("CREATE TABLE m (batch UInt64, v UInt64) ENGINE = MergeTree ORDER BY batch");
    for (int b = 0; b < 5; ++b) e.run("INSERT INTO m SELECT " + std::to_string(b) + ", 0 FROM numbers(1000)");
    std::thread inserter([&] {
        Session s(*e.catalog);
        for (int b = 5; b < 40; ++b) s.execute("INSERT INTO m SELECT " + std::to_string(b) + ", 0 FROM numbers(1000)");
    });
    constexpr int kMutations = 8;
    for (int i = 0; i < kMutations; ++i) e.run("ALTER TABLE m UPDATE v = v + 1 WHERE 1");
    inserter.join();
    e.run("INSERT INTO m SELECT 40, 0 FROM numbers(1000)");   // after every mutation: untouched
    e.run("ALTER TABLE m UPDATE v = v WHERE 0 SETTINGS mutations_sync = 2");   // waits for the queue
    EXPECT_EQ(e.run("SELECT count(), uniqExact(batch) FROM m"), "41000\t41\n");
    EXPECT_EQ(e.run("SELECT max(v) FROM m WHERE batch = 40"), "0\n");
    EXPECT_EQ(e.run("SELECT countIf(mn != mx) FROM (SELECT batch, min(v) AS mn, max(v) AS mx FROM m GROUP BY batch)"), "0\n");
    EXPECT_EQ(e.run("SELECT min(v), max(v) FROM m WHERE batch < 5"), std::to_string(kMutations) + "\t" + std::to_string(kMutations) + "\n");
    std::istringstream per_batch(e.run("SELECT any(v) FROM m GROUP BY batch ORDER BY batch"));
    int64_t previous = kMutations, v = 0, batches = 0;
    while (per_batch >> v) {
        EXPECT_LE(v, previous) << "batch " << batches;
        previous = v;
        ++batches;
    }
    EXPECT_EQ(batches, 41);
    EXPECT_EQ(e.run("SELECT countIf(is_done = 0) FROM system.mutations WHERE table = 'm'"), "0\n");
}

// SELECT ... FINAL over one group of parts splits into primary-key ranges read in parallel: every
// range collapses on its own, no key is returned by two ranges, and the union equals one stream's.
TEST(MergeTreeFinal, SplitsOneGroupIntoKeyRanges) {
    Engine e;
    e.run("CREATE TABLE f (k UInt32, s LowCardinality(String), ver UInt32, v UInt64) ENGINE = ReplacingMergeTree(ver) ORDER BY (s, k) "
          "SETTINGS index_granularity = 16");
    e.run("SYSTEM STOP MERGES f");
    // Four parts with overlapping keys: every (s, k) has versions in several parts.
    for (int i = 0; i < 4; ++i)
        e.run("INSERT INTO f SELECT (number * 7 + " + std::to_string(i) + ") % 500, toString(number % 3), number + " + std::to_string(i * 1000) +
              ", number FROM numbers(1200)");
    std::string one = e.run("SELECT s, k, ver, v FROM f FINAL ORDER BY s, k SETTINGS max_threads = 1");
    std::string four = e.run("SELECT s, k, ver, v FROM f FINAL ORDER BY s, k SETTINGS max_threads = 4");
    EXPECT_EQ(one, four);
    EXPECT_EQ(e.run("SELECT count() FROM f FINAL SETTINGS max_threads = 4"), "1500\n");
    // The brute-force answer: the highest version of each key.
    EXPECT_EQ(four, e.run("SELECT s, k, max(ver), argMax(v, ver) FROM f GROUP BY s, k ORDER BY s, k"));

    QueryContext ctx;
    ctx.catalog = e.catalog.get();
    auto table = e.catalog->getTable("default", "f");
    SelectQueryInfo info;
    info.final = true;
    auto sources = table->read({"s", "k"}, info, ctx, 4);
    ASSERT_EQ(sources.size(), 4u);
    std::set<std::string> seen;
    size_t rows = 0;
    for (auto& src : sources) {
        size_t source_rows = 0;
        while (true) {
            Block b = src->read();
            if (!b.rows()) break;
            for (size_t r = 0; r < b.rows(); ++r) {
                std::string key = b.at(0).column->get(r).toSQL() + "/" + b.at(1).column->get(r).toSQL();
                EXPECT_TRUE(seen.insert(key).second) << "key in two ranges: " << key;
            }
            source_rows += b.rows();
        }
        EXPECT_GT(source_rows, 0u);
        rows += source_rows;
    }
    EXPECT_EQ(rows, 1500u);
}
