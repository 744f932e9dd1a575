// sortBlock: the column-by-column typed sort (integers, floats with NaN and -0, LowCardinality
// ranks, strings, with a virtual-compare fallback for Nullable) must order rows exactly as the
// reference comparator does — every direction and NULL/NaN placement, ties in row order.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "exec/block_ops.h"
#include "types/create_column.h"
#include "types/data_type.h"

using namespace basalt;

TEST(SortBlock, TypedRefinementMatchesComparator) {
    std::mt19937_64 rng(7);
    const char* types[] = {"Int32", "UInt8", "Float64", "LowCardinality(String)", "String", "Nullable(Int16)", "Date", "Int64"};
    for (int round = 0; round < 40; ++round) {
        size_t rows = 1 + rng() % 3000;
        Block block;
        for (size_t c = 0; c < 4; ++c) {
            DataTypePtr t = parseDataType(types[rng() % 8]);
            auto col = createColumn(t);
            for (size_t r = 0; r < rows; ++r) {
                int v = int(rng() % 7) - 3;   // few distinct values: many ties
                switch (t->id) {
                    case TypeId::Float64: {
                        double d = rng() % 10 == 0 ? std::nan("") : rng() % 10 == 1 ? -0.0 : v * 0.5;
                        col->insert(Field(d));
                        break;
                    }
                    case TypeId::LowCardinality:
                    case TypeId::String: col->insert(Field(std::string(size_t(v + 3), 'a' + char(rng() % 3)))); break;
                    case TypeId::Nullable:
                        if (rng() % 4 == 0) col->insertDefault();
                        else col->insert(Field(int64_t(v)));
                        break;
                    case TypeId::UInt8: case TypeId::Date: col->insert(Field(uint64_t(v + 3))); break;
                    default: col->insert(Field(int64_t(v))); break;
                }
            }
            block.insert({std::move(col), t, "c" + std::to_string(c)});
        }
        // Row number column to check the permutation.
        auto idx = ColumnUInt32::create(rows);
        for (size_t r = 0; r < rows; ++r) idx->getData()[r] = uint32_t(r);
        block.insert({idx, makeType(TypeId::UInt32), "row"});
        std::vector<SortColumn> sort;
        size_t nkeys = 2 + rng() % 3;
        for (size_t k = 0; k < nkeys; ++k) sort.push_back({k, bool(rng() % 2), rng() % 2 ? 1 : -1});
        Block sorted = sortBlock(block, sort, 0);
        // Reference: stable sort with the per-row comparator.
        std::vector<uint32_t> ref(rows);
        for (size_t r = 0; r < rows; ++r) ref[r] = uint32_t(r);
        std::stable_sort(ref.begin(), ref.end(), [&](uint32_t a, uint32_t b) {
            for (auto& sc : sort) {
                const IColumn& col = *block.at(sc.position).column;
                int hint = sc.descending ? -sc.nulls_direction : sc.nulls_direction;
                int c = col.compareAt(a, b, col, hint);
                if (c) return sc.descending ? c > 0 : c < 0;
            }
            return false;
        });
        const auto& got = static_cast<const ColumnUInt32&>(*sorted.at(4).column).getData();
        for (size_t r = 0; r < rows; ++r) ASSERT_EQ(got[r], ref[r]) << "round " << round << " row " << r;
    }
}
