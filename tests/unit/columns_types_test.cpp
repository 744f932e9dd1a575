// Unit tests for columns/ and types/: layouts, filter/permute/replicate, sorting, serialization of
// keys, type names, the type parser and least-supertype rules.
#include <gtest/gtest.h>

#include "columns/column.h"
#include "common/exception.h"
#include "types/create_column.h"
#include "types/data_type.h"

using namespace basalt;

TEST(Types, NamesRoundTripThroughParser) {
    for (const char* name : {"UInt8", "Int64", "Float32", "String", "FixedString(16)", "Date", "Date32", "DateTime",
                             "DateTime('Asia/Kolkata')", "DateTime64(3)", "DateTime64(6, 'UTC')", "Decimal(10, 2)",
                             "Nullable(String)", "Array(Array(UInt32))", "Tuple(UInt8, String)", "Tuple(a UInt8, b String)",
                             "Map(String, UInt64)", "LowCardinality(String)", "Enum8('a' = 1, 'b' = 2)", "UUID", "IPv4",
                             "Nothing", "Nullable(Nothing)", "Bool", "IntervalDay"}) {
        EXPECT_EQ(parseDataType(name)->name(), name);
    }
    EXPECT_EQ(parseDataType("Decimal32(3)")->name(), "Decimal(9, 3)");
    EXPECT_EQ(parseDataType("BIGINT")->name(), "Int64");
}

TEST(Types, ParserErrors) {
    auto code = [](const char* t) {
        try { parseDataType(t); } catch (const Exception& e) { return e.code(); }
        return 0;
    };
    EXPECT_EQ(code("NoSuchType"), ErrorCodes::UNKNOWN_TYPE);
    EXPECT_EQ(code("Array(UInt8"), ErrorCodes::SYNTAX_ERROR);
    EXPECT_EQ(code("Decimal(100, 2)"), ErrorCodes::ARGUMENT_OUT_OF_BOUND);
    EXPECT_EQ(code("Nullable(Array(UInt8))"), ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT);
    std::string deep;
    for (int i = 0; i < 500; ++i) deep += "Array(";
    deep += "UInt8";
    for (int i = 0; i < 500; ++i) deep += ")";
    EXPECT_EQ(code(deep.c_str()), ErrorCodes::TOO_DEEP_RECURSION);
}

TEST(Types, LeastSupertype) {
    auto st = [](std::vector<const char*> names) {
        DataTypes ts;
        for (auto n : names) ts.push_back(parseDataType(n));
        return getLeastSupertype(ts)->name();
    };
    EXPECT_EQ(st({"UInt8", "Int8"}), "Int16");
    EXPECT_EQ(st({"UInt8", "UInt32"}), "UInt32");
    EXPECT_EQ(st({"UInt8", "Float32"}), "Float32");
    EXPECT_EQ(st({"Int64", "Float32"}), "Float64");
    EXPECT_EQ(st({"Nullable(Nothing)", "UInt8"}), "Nullable(UInt8)");
    EXPECT_EQ(st({"Array(UInt8)", "Array(Int8)"}), "Array(Int16)");
    EXPECT_EQ(st({"Date", "DateTime"}), "DateTime");
    EXPECT_EQ(st({"String", "FixedString(3)"}), "String");
    EXPECT_THROW(st({"String", "UInt8"}), Exception);
    EXPECT_THROW(st({"Int64", "UInt64"}), Exception);
}

TEST(Columns, VectorFilterPermuteReplicate) {
    auto c = ColumnUInt64::create();
    for (uint64_t i = 0; i < 10; ++i) c->insertValue(i * 10);
    Filter f(10);
    for (size_t i = 0; i < 10; ++i) f[i] = i % 3 == 0;
    auto filtered = c->filter(f, 4);
    ASSERT_EQ(filtered->size(), 4u);
    EXPECT_EQ(filtered->get(3), Field(uint64_t(90)));
    Permutation p;
    c->getPermutation(true, 3, 1, p);
    auto top = c->permute(p, 3);
    EXPECT_EQ(top->get(0), Field(uint64_t(90)));
    EXPECT_EQ(top->get(2), Field(uint64_t(70)));
    Offsets off;
    off.push_back(2);
    off.push_back(2);
    off.push_back(5);
    auto rep = c->cut(0, 3)->replicate(off);
    ASSERT_EQ(rep->size(), 5u);
    EXPECT_EQ(rep->get(4), Field(uint64_t(20)));
}

TEST(Columns, StringOffsetsAndSerialization) {
    auto s = ColumnString::create();
    s->insertData("abc");
    s->insertData("");
    s->insertData("xy\0z");
    EXPECT_EQ(s->size(), 3u);
    EXPECT_EQ(s->getView(0), "abc");
    EXPECT_EQ(s->getView(1), "");
    std::string buf;
    for (size_t i = 0; i < 3; ++i) s->serializeValue(i, buf);
    auto back = ColumnString::create();
    const char* pos = buf.data();
    for (int i = 0; i < 3; ++i) back->deserializeAndInsert(pos);
    EXPECT_EQ(pos, buf.data() + buf.size());
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(back->getView(i), s->getView(i));
    auto tail = s->cut(1, 2);
    EXPECT_EQ(static_cast<const ColumnString&>(*tail).getView(1), s->getView(2));
}

// ColumnString::filter copies values in 16-byte chunks except near the end of the source's chars
// (where the chunk would read past them): every mask pattern over values of lengths around 16,
// including a kept last value and an all-dropped column, gives what a row-by-row copy gives.
TEST(Columns, StringFilterMatchesRowByRowCopy) {
    for (size_t rows : {0, 1, 2, 5, 17, 64, 333}) {
        auto s = ColumnString::create();
        for (size_t i = 0; i < rows; ++i) s->insertData(std::string((i * 7) % 41, char('a' + i % 26)));
        for (unsigned pattern = 0; pattern < 6; ++pattern) {
            Filter mask(rows);
            for (size_t i = 0; i < rows; ++i)
                mask[i] = pattern == 0 ? 1 : pattern == 1 ? 0 : pattern == 2 ? uint8_t(i + 1 == rows) : uint8_t(((i * 2654435761u) >> (pattern * 3)) & 1) * uint8_t(pattern);
            auto f = s->filter(mask, 0);
            auto& fs = static_cast<const ColumnString&>(*f);
            std::vector<std::string> want;
            for (size_t i = 0; i < rows; ++i)
                if (mask[i]) want.emplace_back(s->getView(i));
            ASSERT_EQ(fs.size(), want.size()) << rows << " " << pattern;
            for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(fs.getView(i), want[i]) << rows << " " << pattern << " " << i;
            EXPECT_EQ(fs.getChars().size(), want.empty() ? 0 : fs.getOffsets().back());
        }
    }
}

TEST(Columns, NullableArrayTupleConst) {
    auto n = createColumn(parseDataType("Nullable(Int32)"));
    n->insert(Field(int64_t(5)));
    n->insert(Field());
    EXPECT_FALSE(n->isNullAt(0));
    EXPECT_TRUE(n->isNullAt(1));
    EXPECT_EQ(n->compareAt(1, 0, *n, 1), 1);    // NULL sorts after values with hint 1
    EXPECT_EQ(n->compareAt(1, 0, *n, -1), -1);

    auto a = createColumn(parseDataType("Array(UInt8)"));
    a->insert(Field(FieldArray{{Field(uint64_t(1)), Field(uint64_t(2))}}));
    a->insert(Field(FieldArray{}));
    auto& arr = static_cast<ColumnArray&>(*a);
    EXPECT_EQ(arr.sizeAt(0), 2u);
    EXPECT_EQ(arr.sizeAt(1), 0u);
    EXPECT_EQ(a->get(0), Field(FieldArray{{Field(uint64_t(1)), Field(uint64_t(2))}}));

    auto t = createColumn(parseDataType("Tuple(UInt8, String)"));
    t->insert(Field(FieldTuple{{Field(uint64_t(7)), Field("x")}}));
    EXPECT_EQ(t->size(), 1u);
    EXPECT_EQ(t->get(0), Field(FieldTuple{{Field(uint64_t(7)), Field("x")}}));

    ColumnPtr k = createConstColumn(makeType(TypeId::UInt8), Field(uint64_t(3)), 5);
    EXPECT_TRUE(k->isConst());
    ColumnPtr full = materialize(k);
    EXPECT_EQ(full->size(), 5u);
    EXPECT_EQ(full->get(4), Field(uint64_t(3)));
}

TEST(Columns, HashesAgreeForEqualValues) {
    auto c = ColumnString::create();
    c->insertData("same");
    c->insertData("same");
    c->insertData("other");
    uint64_t h[3] = {0, 0, 0};
    c->updateHashes(h);
    EXPECT_EQ(h[0], h[1]);
    EXPECT_NE(h[0], h[2]);
}

TEST(Columns, MemoryLimitIsEnforced) {
    auto tracker = MemoryTracker::create(1 << 20);
    MemoryTrackerScope scope(tracker.get());
    auto c = ColumnUInt64::create();
    EXPECT_THROW(c->getData().resize(10 << 20), Exception);
    c->getData().resize(1000);   // still usable below the limit
    EXPECT_LE(tracker->used(), 1 << 20);
}
