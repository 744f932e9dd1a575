// aggregates_test.cpp — aggregate functions at the state level: every state survives a
// serialize/deserialize round trip and a split-and-merge with the same result as one pass, the
// approximate functions stay within their error bounds on large inputs, and a few large-input
// answers that ClickHouse computes deterministically are reproduced exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "aggregates/aggregate_function.h"
#include "common/exception.h"
#include "types/create_column.h"

using namespace basalt;

namespace {

// One aggregation state in aligned heap memory.
struct State {
    AggregateFunctionPtr fn;
    std::vector<char> mem;
    char* place;
    explicit State(AggregateFunctionPtr f) : fn(std::move(f)), mem(fn->sizeOfData() + fn->alignOfData()) {
        uintptr_t a = fn->alignOfData();
        place = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(mem.data()) + a - 1) & ~(a - 1));
        fn->create(place);
    }
    ~State() { fn->destroy(place); }
    Field result(Arena& arena) {
        auto col = createColumn(fn->resultType());
        fn->insertResultInto(place, *col, &arena);
        return col->get(0);
    }
};

AggregateFunctionPtr get(const std::string& name, DataTypes args, std::vector<Field> params = {}) {
    return AggregateFunctionFactory::instance().get(name, args, params);
}

MutableColumnPtr column(const DataTypePtr& t, const std::vector<Field>& values) {
    auto c = createColumn(t);
    for (auto& v : values) c->insert(v);
    return c;
}

struct Case {
    std::string name;
    std::vector<Field> params;
    std::vector<std::string> arg_types;
    // values[arg][row]
    std::function<Field(size_t arg, size_t row)> value;
};

std::vector<Field> numbers(size_t n, std::function<Field(size_t)> f) {
    std::vector<Field> r;
    for (size_t i = 0; i < n; ++i) r.push_back(f(i));
    return r;
}

// Merging floating-point partial results may differ from one pass in the last bits.
void expectSame(const Field& a, const Field& b, const char* what) {
    if (a.is<double>() && b.is<double>() && std::isfinite(b.get<double>())) {
        EXPECT_NEAR(a.get<double>(), b.get<double>(), 1e-9 * std::max(1.0, std::fabs(b.get<double>()))) << what;
        return;
    }
    EXPECT_EQ(a.toSQL(), b.toSQL()) << what;
}

// Runs `c` over `rows` rows three ways — one pass, split in two and merged, and one pass followed by
// a serialize/deserialize round trip — and expects the same result each time.
void checkCase(const Case& c, size_t rows) {
    SCOPED_TRACE(c.name);
    DataTypes types;
    for (auto& t : c.arg_types) types.push_back(parseDataType(t));
    auto fn = get(c.name, types, c.params);
    std::vector<MutableColumnPtr> cols;
    std::vector<const IColumn*> raw;
    for (size_t a = 0; a < types.size(); ++a) {
        cols.push_back(createColumn(types[a]));
        for (size_t r = 0; r < rows; ++r) cols.back()->insert(c.value(a, r));
        raw.push_back(cols.back().get());
    }
    Arena arena;
    State whole(fn);
    fn->addBatchSinglePlace(rows, whole.place, raw.data(), &arena);
    Field expected = whole.result(arena);

    // Split: rows [0, h) through addBatch with per-row places, [h, rows) row by row, then merge.
    size_t h = rows / 3;
    State left(fn), right(fn);
    std::vector<char*> places(rows, left.place);
    fn->addBatch(h, places.data(), 0, raw.data(), &arena);
    for (size_t r = h; r < rows; ++r) fn->add(right.place, raw.data(), r, &arena);
    fn->merge(left.place, right.place, &arena);
    expectSame(left.result(arena), expected, "split + merge");

    std::string bytes;
    fn->serialize(whole.place, bytes);
    State restored(fn);
    const char* pos = bytes.data();
    fn->deserialize(restored.place, pos, bytes.data() + bytes.size(), &arena);
    EXPECT_EQ(pos, bytes.data() + bytes.size()) << "deserialize consumed everything";
    EXPECT_EQ(restored.result(arena).toSQL(), expected.toSQL()) << "serialize round trip";

    // Truncated states are rejected, never read past the end.
    if (bytes.size() > 1) {
        State broken(fn);
        const char* p2 = bytes.data();
        try {
            fn->deserialize(broken.place, p2, bytes.data() + bytes.size() / 2, &arena);
        } catch (const Exception&) {
        }
    }
}

Field u(size_t v) { return Field(uint64_t(v)); }
Field i(int64_t v) { return Field(v); }
Field d(double v) { return Field(v); }

}  // namespace

TEST(AggregateStates, RoundTripAndMerge) {
    auto mod = [](size_t m) { return [m](size_t, size_t r) { return u(r % m); }; };
    auto mixed = [](size_t a, size_t r) { return a == 0 ? i(int64_t(r % 17) - 8) : d(double(r % 11) / 4); };
    auto str = [](size_t, size_t r) { return Field("s" + std::to_string(r % 23)); };
    std::vector<Case> cases = {
        {"count", {}, {"UInt64"}, mod(7)},
        {"sum", {}, {"Int32"}, mixed},
        {"avg", {}, {"Float64"}, [](size_t, size_t r) { return d(r * 0.5); }},
        {"min", {}, {"String"}, str},
        {"max", {}, {"String"}, str},
        {"argMax", {}, {"String", "UInt64"}, [](size_t a, size_t r) { return a == 0 ? Field("v" + std::to_string(r)) : u(r * 7919 % 1000); }},
        {"groupArray", {}, {"UInt64"}, mod(5)},
        {"uniqExact", {}, {"String"}, str},
        {"groupBitXor", {}, {"UInt32"}, mod(1000)},
        {"uniq", {}, {"UInt64"}, mod(900)},
        {"uniq", {}, {"UInt64"}, [](size_t, size_t r) { return u(r); }},
        {"uniq", {}, {"String"}, str},
        {"uniq", {}, {"UInt8", "String"}, [](size_t a, size_t r) { return a == 0 ? u(r % 3) : Field("x" + std::to_string(r % 5)); }},
        {"uniqCombined", {}, {"UInt64"}, mod(20)},
        {"uniqCombined", {}, {"UInt64"}, mod(5000)},
        {"uniqCombined", {}, {"UInt64"}, [](size_t, size_t r) { return u(r); }},
        {"uniqCombined", {u(12)}, {"Int64"}, [](size_t, size_t r) { return i(-int64_t(r)); }},
        {"uniqCombined64", {}, {"Float64"}, [](size_t, size_t r) { return d(r / 3.0); }},
        {"uniqHLL12", {}, {"UInt64"}, mod(10)},
        {"uniqHLL12", {}, {"UInt64"}, [](size_t, size_t r) { return u(r); }},
        {"quantile", {d(0.3)}, {"Float64"}, [](size_t, size_t r) { return d(double(r % 101)); }},
        {"quantiles", {d(0.1), d(0.9)}, {"Int16"}, [](size_t, size_t r) { return i(int64_t(r % 300) - 150); }},
        {"quantileExact", {d(0.5)}, {"UInt32"}, mod(77)},
        {"quantilesExactHigh", {d(0.5), d(0.25)}, {"Date"}, mod(77)},
        {"quantileDeterministic", {d(0.5)}, {"Float32", "UInt64"}, [](size_t a, size_t r) { return a == 0 ? d(double(r % 50)) : u(r); }},
        {"varPop", {}, {"Int32"}, mixed},
        {"varSampStable", {}, {"Float64"}, [](size_t, size_t r) { return d(double(r % 13)); }},
        {"covarSamp", {}, {"Int32", "Float64"}, mixed},
        {"corrStable", {}, {"Int32", "Float64"}, mixed},
        {"topK", {u(3)}, {"UInt64"}, [](size_t, size_t r) { return u(r % 10 < 5 ? 1 : r % 10 < 8 ? 2 : r % 10); }},
        {"topK", {u(2)}, {"String"}, [](size_t, size_t r) { return Field(r % 3 == 0 ? "a" : "b"); }},
        {"topKWeighted", {u(2)}, {"UInt64", "UInt64"}, [](size_t a, size_t r) { return a == 0 ? u(r % 4) : u(r % 4 == 3 ? 10 : 1); }},
        {"groupUniqArray", {}, {"Int8"}, [](size_t, size_t r) { return i(int64_t(r % 40) - 20); }},
        {"groupUniqArray", {u(3)}, {"String"}, str},
        {"sumMap", {}, {"Array(UInt8)", "Array(Int64)"}, [](size_t, size_t r) {
             return Field(FieldArray{{u(r % 3), u(5)}});
         }},
        {"maxMap", {}, {"Array(String)", "Array(Float64)"}, [](size_t a, size_t r) {
             return a == 0 ? Field(FieldArray{{Field("k" + std::to_string(r % 4))}}) : Field(FieldArray{{d(double(r % 9))}});
         }},
    };
    for (auto& c : cases)
        for (size_t rows : {0, 1, 7, 2000})
            checkCase(c, rows);
    checkCase(cases[14], 30000);   // uniqCombined past its exact set
    checkCase(cases[10], 150000);  // uniq past its sampling threshold
}

namespace {
uint64_t approx(const std::string& name, size_t n, std::vector<Field> params = {}) {
    auto fn = get(name, {makeType(TypeId::UInt64)}, params);
    auto col = ColumnUInt64::create();
    for (size_t k = 0; k < n; ++k) col->insertValue(k * 2654435761ULL);
    const IColumn* raw = col.get();
    Arena arena;
    State s(fn);
    // Several blocks into separate states merged at the end, as parallel aggregation does.
    State other(fn);
    fn->addBatchSinglePlace(n / 2, s.place, &raw, &arena);
    auto tail = col->cut(n / 2, n - n / 2);
    const IColumn* raw2 = tail.get();
    fn->addBatchSinglePlace(n - n / 2, other.place, &raw2, &arena);
    fn->merge(s.place, other.place, &arena);
    return s.result(arena).get<uint64_t>();
}
}  // namespace

TEST(AggregateApprox, ErrorBounds) {
    for (size_t n : {1000u, 65536u, 200000u, 1000000u}) {
        SCOPED_TRACE(n);
        EXPECT_NEAR(double(approx("uniq", n)), double(n), n * 0.02);
        EXPECT_NEAR(double(approx("uniqCombined", n)), double(n), n * 0.01);
        EXPECT_NEAR(double(approx("uniqCombined64", n)), double(n), n * 0.01);
        EXPECT_NEAR(double(approx("uniqHLL12", n)), double(n), n * 0.05);
    }
    // Exact while the sets hold every hash.
    EXPECT_EQ(approx("uniqCombined", 8192), 8192u);
    EXPECT_EQ(approx("uniqCombined64", 4096), 4096u);
    EXPECT_EQ(approx("uniqHLL12", 16), 16u);
}

TEST(AggregateApprox, MatchesClickHouseOnLargeInputs) {
    // Values from ClickHouse for SELECT f(number) FROM numbers(N).
    auto run = [](const std::string& name, size_t n, std::vector<Field> params = {}) {
        auto fn = get(name, {makeType(TypeId::UInt64)}, params);
        auto col = ColumnUInt64::create();
        for (size_t k = 0; k < n; ++k) col->insertValue(k);
        const IColumn* raw = col.get();
        Arena arena;
        State s(fn);
        fn->addBatchSinglePlace(n, s.place, &raw, &arena);
        return s.result(arena).get<uint64_t>();
    };
    EXPECT_EQ(run("uniq", 65536), 65536u);
    EXPECT_EQ(run("uniq", 65537), 65824u);
    EXPECT_EQ(run("uniq", 100000), 100315u);
    EXPECT_EQ(run("uniq", 1000000), 1001943u);
    EXPECT_EQ(run("uniqCombined", 8193), 8218u);
    EXPECT_EQ(run("uniqCombined", 100000), 100314u);
    EXPECT_EQ(run("uniqCombined64", 4097), 4106u);
    EXPECT_EQ(run("uniqCombined", 1000, {u(12)}), 984u);
    EXPECT_EQ(run("uniqCombined", 100000, {u(20)}), 100088u);
    EXPECT_EQ(run("uniqHLL12", 17), 15u);
    EXPECT_EQ(run("uniqHLL12", 5000), 4613u);
    EXPECT_EQ(run("uniqHLL12", 300000), 298201u);
}

TEST(AggregateApprox, UniqOverLongRunsOfOneGroupMatchesRowByRow) {
    // addBatch takes long runs of one place (GROUP BY day over parts sorted by time) through a
    // chunked, pre-filtered path; short runs row by row. Both must keep the same sample, so the
    // results equal the single-place pass, whose values come from ClickHouse.
    auto fn = get("uniq", {makeType(TypeId::UInt64)});
    auto col = ColumnUInt64::create();
    const size_t n = 1000000;
    for (size_t k = 0; k < n; ++k) col->insertValue(k);
    const IColumn* raw = col.get();
    Arena arena;
    State one(fn), runs_a(fn), runs_b(fn), mixed_a(fn), mixed_b(fn);
    fn->addBatchSinglePlace(n, one.place, &raw, &arena);
    // Two groups in runs of 100000 rows (the run path), and alternating row by row (the other).
    std::vector<char*> runs(n), mixed(n);
    for (size_t k = 0; k < n; ++k) {
        runs[k] = (k / 100000) % 2 ? runs_b.place : runs_a.place;
        mixed[k] = k % 2 ? mixed_b.place : mixed_a.place;
    }
    fn->addBatch(n, runs.data(), 0, &raw, &arena);
    fn->addBatch(n, mixed.data(), 0, &raw, &arena);
    EXPECT_EQ(one.result(arena).get<uint64_t>(), 1001943u);
    // Same rows in each group's runs as in a single pass over them: compare with single places.
    auto only = [&](auto pick) {
        State s(fn);
        auto part = ColumnUInt64::create();
        for (size_t k = 0; k < n; ++k) if (pick(k)) part->insertValue(k);
        const IColumn* p = part.get();
        fn->addBatchSinglePlace(part->size(), s.place, &p, &arena);
        return s.result(arena).get<uint64_t>();
    };
    EXPECT_EQ(runs_a.result(arena).get<uint64_t>(), only([](size_t k) { return (k / 100000) % 2 == 0; }));
    EXPECT_EQ(runs_b.result(arena).get<uint64_t>(), only([](size_t k) { return (k / 100000) % 2 == 1; }));
    EXPECT_EQ(mixed_a.result(arena).get<uint64_t>(), only([](size_t k) { return k % 2 == 0; }));
    // Merged, the two halves give the one-pass answer.
    fn->merge(runs_a.place, runs_b.place, &arena);
    EXPECT_EQ(runs_a.result(arena).get<uint64_t>(), 1001943u);
}

TEST(AggregateStates, BatchedResultsEqualOneByOne) {
    // insertResultsInto (finalizing a hash table in batches) appends what insertResultInto would.
    for (const char* name : {"count", "sum", "max", "uniq", "avg"}) {
        SCOPED_TRACE(name);
        auto fn = get(name, std::string(name) == "count" ? DataTypes{} : DataTypes{makeType(TypeId::UInt64)});
        auto col = ColumnUInt64::create();
        for (size_t k = 0; k < 5000; ++k) col->insertValue(k * 7 % 1013);
        const IColumn* raw = col.get();
        Arena arena;
        std::vector<std::unique_ptr<State>> states;
        std::vector<char*> places, rows(5000);
        for (size_t g = 0; g < 37; ++g) {
            states.push_back(std::make_unique<State>(fn));
            places.push_back(states.back()->place);
        }
        for (size_t k = 0; k < 5000; ++k) rows[k] = places[k % 37];
        fn->addBatch(5000, rows.data(), 0, &raw, &arena);
        auto batched = createColumn(fn->resultType()), single = createColumn(fn->resultType());
        batched->insertDefault();   // appends after existing rows
        single->insertDefault();
        fn->insertResultsInto(places.data(), places.size(), 0, *batched, &arena);
        for (char* p : places) fn->insertResultInto(p, *single, &arena);
        ASSERT_EQ(batched->size(), 38u);
        for (size_t g = 0; g < 38; ++g) EXPECT_EQ(batched->get(g), single->get(g)) << g;
    }
}

TEST(AggregateErrors, BadParametersAndArguments) {
    auto code = [](auto&& f) {
        try { f(); } catch (const Exception& e) { return e.code(); }
        return 0;
    };
    auto u64 = makeType(TypeId::UInt64);
    auto str = makeType(TypeId::String);
    EXPECT_EQ(code([&] { get("quantile", {u64}, {d(1.5)}); }), 12);
    EXPECT_EQ(code([&] { get("quantile", {u64}, {d(0.1), d(0.2)}); }), 42);
    EXPECT_EQ(code([&] { get("quantiles", {u64}, {}); }), 42);
    EXPECT_EQ(code([&] { get("quantile", {str}, {}); }), 43);
    EXPECT_EQ(code([&] { get("quantile", {u64}, {Field("a")}); }), 70);
    EXPECT_EQ(code([&] { get("uniqCombined", {u64}, {u(11)}); }), 69);
    EXPECT_EQ(code([&] { get("uniq", {}, {}); }), 42);
    EXPECT_EQ(code([&] { get("topK", {u64}, {u(0)}); }), 69);
    EXPECT_EQ(code([&] { get("varPop", {str}, {}); }), 43);
    EXPECT_EQ(code([&] { get("covarPop", {u64}, {}); }), 42);
    EXPECT_EQ(code([&] { get("sumMap", {u64, u64}, {}); }), 43);
    EXPECT_EQ(code([&] { get("sumMap", {makeArray(u64), makeArray(str)}, {}); }), 43);
    EXPECT_EQ(code([&] { get("VAR_POP", {u64}, {}); }), 0);
    EXPECT_EQ(code([&] { get("var_pop", {u64}, {}); }), 0);
    EXPECT_EQ(code([&] { get("varpop", {u64}, {}); }), 63);
}
