// window_test.cpp — exec/window: the kernel against a brute-force evaluation of frame semantics on
// random data (partitions, ties, ROWS and RANGE frames with offsets in both directions, ASC and
// DESC), plus the ranking functions over peer groups.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "exec/window.h"
#include "types/create_column.h"

using namespace basalt;

namespace {

struct Data {
    std::vector<int64_t> part, key, value;
};

Block makeBlock(const Data& d) {
    auto t = makeType(TypeId::Int64);
    Block b;
    auto add = [&](const std::vector<int64_t>& v, const char* name) {
        auto c = ColumnInt64::create();
        for (auto x : v) c->insertValue(x);
        b.insert({c, t, name});
    };
    add(d.part, "p");
    add(d.key, "k");
    add(d.value, "v");
    std::vector<int64_t> ids(d.part.size());
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = int64_t(i);
    add(ids, "id");
    return b;
}

// Expected sum(v) over the frame of row `i`, by the SQL definition of the frame.
int64_t bruteSum(const Data& d, size_t i, const WindowFrame& f, bool desc) {
    // Rows of i's partition in window order (stable by row number).
    std::vector<size_t> rows;
    for (size_t j = 0; j < d.part.size(); ++j)
        if (d.part[j] == d.part[i]) rows.push_back(j);
    std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) { return desc ? d.key[a] > d.key[b] : d.key[a] < d.key[b]; });
    size_t pos = std::find(rows.begin(), rows.end(), i) - rows.begin();
    int64_t sum = 0;
    for (size_t q = 0; q < rows.size(); ++q) {
        size_t j = rows[q];
        bool in = true;
        if (f.type == WindowFrame::Type::Rows) {
            int64_t rel = int64_t(q) - int64_t(pos);
            if (f.begin == WindowFrame::Bound::Offset) in = in && rel >= (f.begin_preceding ? -int64_t(f.begin_offset) : int64_t(f.begin_offset));
            if (f.begin == WindowFrame::Bound::Current) in = in && rel >= 0;
            if (f.end == WindowFrame::Bound::Offset) in = in && rel <= (f.end_preceding ? -int64_t(f.end_offset) : int64_t(f.end_offset));
            if (f.end == WindowFrame::Bound::Current) in = in && rel <= 0;
        } else {
            // Distance in window order: positive = after the current row.
            int64_t rel = desc ? d.key[i] - d.key[j] : d.key[j] - d.key[i];
            if (f.begin == WindowFrame::Bound::Offset) in = in && rel >= (f.begin_preceding ? -int64_t(f.begin_offset) : int64_t(f.begin_offset));
            if (f.begin == WindowFrame::Bound::Current) in = in && rel >= 0;
            if (f.end == WindowFrame::Bound::Offset) in = in && rel <= (f.end_preceding ? -int64_t(f.end_offset) : int64_t(f.end_offset));
            if (f.end == WindowFrame::Bound::Current) in = in && rel <= 0;
        }
        if (in) sum += d.value[j];
    }
    return sum;
}

}  // namespace

TEST(Window, FramesMatchBruteForce) {
    std::mt19937_64 rng(42);
    auto sum = AggregateFunctionFactory::instance().get("sum", {makeType(TypeId::Int64)}, {});
    for (int round = 0; round < 300; ++round) {
        Data d;
        size_t n = rng() % 40;
        for (size_t i = 0; i < n; ++i) {
            d.part.push_back(int64_t(rng() % 3));
            d.key.push_back(int64_t(rng() % 12) - 4);
            d.value.push_back(int64_t(rng() % 100));
        }
        WindowFrame f;
        f.type = rng() % 2 ? WindowFrame::Type::Rows : WindowFrame::Type::Range;
        auto pick = [&](WindowFrame::Bound& b, bool& preceding, uint64_t& off, bool is_begin) {
            int k = int(rng() % 3);
            b = k == 0 ? WindowFrame::Bound::Unbounded : k == 1 ? WindowFrame::Bound::Current : WindowFrame::Bound::Offset;
            preceding = b == WindowFrame::Bound::Unbounded ? is_begin : rng() % 2;
            off = rng() % 4;
        };
        pick(f.begin, f.begin_preceding, f.begin_offset, true);
        pick(f.end, f.end_preceding, f.end_offset, false);
        auto rel = [](WindowFrame::Bound b, bool p, uint64_t o, bool is_begin) -> int64_t {
            if (b == WindowFrame::Bound::Unbounded) return is_begin ? -1000 : 1000;
            if (b == WindowFrame::Bound::Current) return 0;
            return p ? -int64_t(o) : int64_t(o);
        };
        if (rel(f.begin, f.begin_preceding, f.begin_offset, true) > rel(f.end, f.end_preceding, f.end_offset, false)) continue;
        bool desc = rng() % 2;
        WindowSpec spec;
        spec.partition_by = {0};
        spec.order_by = {SortColumn{1, desc, 1}};
        WindowFunctionDesc fd;
        fd.aggregate = sum;
        fd.arguments = {2};
        fd.result_type = sum->resultType();
        fd.frame = f;
        fd.name = "s";
        spec.functions.push_back(fd);
        Block out = computeWindowFunctions(makeBlock(d), {spec});
        ASSERT_EQ(out.rows(), n);
        const auto& ids = static_cast<const ColumnInt64&>(*out.at(3).column).getData();
        for (size_t r = 0; r < n; ++r) {
            size_t i = size_t(ids[r]);
            Field got = out.at(4).column->get(r);
            EXPECT_EQ(got.get<int64_t>(), bruteSum(d, i, f, desc)) << "round " << round << " row " << i;
        }
    }
}

TEST(Window, RankingOverPeers) {
    Data d;
    d.part = {0, 0, 0, 0, 1, 1, 0};
    d.key = {5, 3, 3, 9, 1, 1, 3};
    d.value = {0, 0, 0, 0, 0, 0, 0};
    WindowSpec spec;
    spec.partition_by = {0};
    spec.order_by = {SortColumn{1, false, 1}};
    for (auto kind : {WindowFunctionKind::RowNumber, WindowFunctionKind::Rank, WindowFunctionKind::DenseRank, WindowFunctionKind::CumeDist}) {
        WindowFunctionDesc fd;
        fd.kind = kind;
        fd.result_type = makeType(kind == WindowFunctionKind::CumeDist ? TypeId::Float64 : TypeId::UInt64);
        spec.functions.push_back(fd);
    }
    Block out = computeWindowFunctions(makeBlock(d), {spec});
    // Sorted: partition 0 keys 3,3,3,5,9 (ids 1,2,6,0,3), partition 1 keys 1,1 (ids 4,5).
    std::vector<int64_t> ids{1, 2, 6, 0, 3, 4, 5};
    std::vector<uint64_t> row_number{1, 2, 3, 4, 5, 1, 2}, rank{1, 1, 1, 4, 5, 1, 1}, dense{1, 1, 1, 2, 3, 1, 1};
    std::vector<double> cume{0.6, 0.6, 0.6, 0.8, 1, 1, 1};
    for (size_t r = 0; r < ids.size(); ++r) {
        EXPECT_EQ(out.at(3).column->get(r).get<int64_t>(), ids[r]);
        EXPECT_EQ(out.at(4).column->get(r).get<uint64_t>(), row_number[r]);
        EXPECT_EQ(out.at(5).column->get(r).get<uint64_t>(), rank[r]);
        EXPECT_EQ(out.at(6).column->get(r).get<uint64_t>(), dense[r]);
        EXPECT_DOUBLE_EQ(out.at(7).column->get(r).get<double>(), cume[r]);
    }
}
