// Unit tests for ColumnLowCardinality / ColumnUnique: dictionary layout (NULL and default rows as in
// ClickHouse), uniqueness, index widening past 256 and 65,536 entries, copy-on-write sharing,
// filter/permute/cut, sorting, keys, conversions, and the LowCardinality function wrapper.
#include <gtest/gtest.h>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "functions/function.h"
#include "types/create_column.h"
#include "types/data_type.h"

using namespace basalt;

namespace {
std::shared_ptr<ColumnLowCardinality> lcString() { return std::make_shared<ColumnLowCardinality>(std::make_shared<ColumnString>()); }
std::shared_ptr<ColumnLowCardinality> lcNullableString() {
    return std::make_shared<ColumnLowCardinality>(std::make_shared<ColumnNullable>(std::make_shared<ColumnString>(), ColumnUInt8::create()));
}
std::string str(const IColumn& c, size_t i) { return c.get(i).get<std::string>(); }
}  // namespace

TEST(LowCardinality, DictionaryLayoutAndUniqueness) {
    auto c = lcString();
    EXPECT_EQ(c->getDictionary().size(), 1u);   // the default '' at row 0
    for (const char* v : {"b", "a", "b", "", "a", "c"}) c->insert(Field(v));
    ASSERT_EQ(c->size(), 6u);
    EXPECT_EQ(c->getDictionary().size(), 4u);   // '', b, a, c
    EXPECT_EQ(c->indexAt(0), 1u);
    EXPECT_EQ(c->indexAt(1), 2u);
    EXPECT_EQ(c->indexAt(2), 1u);
    EXPECT_EQ(c->indexAt(3), 0u);
    EXPECT_EQ(c->indexAt(5), 3u);
    EXPECT_EQ(str(*c, 4), "a");
    c->insertDefault();
    EXPECT_EQ(str(*c, 6), "");
    EXPECT_EQ(c->indexWidth(), 1u);
}

TEST(LowCardinality, NullableDictionary) {
    auto c = lcNullableString();
    EXPECT_EQ(c->getDictionary().size(), 2u);   // NULL, ''
    c->insert(Field("x"));
    c->insert(Field());
    c->insert(Field(""));
    c->insertDefault();   // NULL, as ClickHouse's default for Nullable
    EXPECT_EQ(c->indexAt(0), 2u);
    EXPECT_EQ(c->indexAt(1), 0u);
    EXPECT_EQ(c->indexAt(2), 1u);
    EXPECT_TRUE(c->isNullAt(1));
    EXPECT_TRUE(c->isNullAt(3));
    EXPECT_FALSE(c->isNullAt(2));
    EXPECT_FALSE(c->isNullable());   // never mistaken for a ColumnNullable
    auto full = c->convertToFull();
    ASSERT_TRUE(full->isNullable());
    EXPECT_EQ(str(*full, 0), "x");
    EXPECT_TRUE(full->isNullAt(1));
    EXPECT_TRUE(full->isNullAt(3));
}

TEST(LowCardinality, IndexWidening) {
    auto c = std::make_shared<ColumnLowCardinality>(std::make_shared<ColumnUInt32>());
    for (uint64_t i = 0; i < 300; ++i) c->insert(Field(i + 1));
    EXPECT_EQ(c->indexWidth(), 2u);
    EXPECT_EQ(c->getDictionary().size(), 301u);
    EXPECT_EQ(c->get(299).get<uint64_t>(), 300u);
    auto s = lcString();
    auto full = ColumnString::create();
    for (size_t i = 0; i < 70000; ++i) full->insertData(std::to_string(i % 66000));
    s->insertRangeFromFull(*full, 0, full->size());
    EXPECT_EQ(s->indexWidth(), 4u);
    EXPECT_EQ(s->getDictionary().size(), 66001u);
    for (size_t i : {0u, 255u, 256u, 65535u, 65536u, 69999u}) EXPECT_EQ(str(*s, i), std::to_string(i % 66000));
}

TEST(LowCardinality, FilterPermuteCutShareDictionary) {
    auto c = lcString();
    for (const char* v : {"b", "a", "c", "a"}) c->insert(Field(v));
    Filter mask{1, 0, 1, 1};
    auto f = c->filter(mask, 3);
    auto& fl = static_cast<const ColumnLowCardinality&>(*f);
    EXPECT_EQ(fl.getDictionaryPtr(), c->getDictionaryPtr());
    EXPECT_EQ(str(fl, 1), "c");
    Permutation perm{3, 0};
    auto p = c->permute(perm, 0);
    EXPECT_EQ(str(*p, 0), "a");
    EXPECT_EQ(str(*p, 1), "b");
    auto cut = c->cut(1, 2);
    EXPECT_EQ(cut->size(), 2u);
    EXPECT_EQ(str(*cut, 1), "c");
    // Copy-on-write: inserting into the source leaves the filtered column's dictionary untouched.
    size_t dict_before = fl.getDictionary().size();
    c->insert(Field("new"));
    EXPECT_EQ(fl.getDictionary().size(), dict_before);
    EXPECT_NE(fl.getDictionaryPtr(), c->getDictionaryPtr());
    EXPECT_EQ(str(*c, 4), "new");
}

TEST(LowCardinality, InsertFromOtherDictionaries) {
    auto a = lcString(), b = lcString();
    for (const char* v : {"x", "y"}) a->insert(Field(v));
    for (const char* v : {"y", "z", "y"}) b->insert(Field(v));
    auto dst = std::static_pointer_cast<ColumnLowCardinality>(a->cloneEmpty());
    dst->insertRangeFrom(*a, 0, 2);   // adopts a's dictionary
    EXPECT_EQ(dst->getDictionaryPtr(), a->getDictionaryPtr());
    dst->insertRangeFrom(*b, 0, 3);   // remaps b's indexes
    dst->insertFrom(*b, 1);
    ASSERT_EQ(dst->size(), 6u);
    const char* expect[] = {"x", "y", "y", "z", "y", "z"};
    for (size_t i = 0; i < 6; ++i) EXPECT_EQ(str(*dst, i), expect[i]);
    EXPECT_EQ(dst->getDictionary().size(), 4u);
    EXPECT_EQ(a->getDictionary().size(), 3u);   // a untouched
}

TEST(LowCardinality, CompareSortAndKeys) {
    auto c = lcNullableString();
    for (Field v : {Field("m"), Field(), Field("a"), Field("z"), Field("a")}) c->insert(v);
    Permutation perm;
    c->getPermutation(false, 0, 1, perm);   // NULLs last
    std::vector<uint32_t> asc(perm.begin(), perm.end());
    EXPECT_EQ(asc, (std::vector<uint32_t>{2, 4, 0, 3, 1}));
    c->getPermutation(true, 0, 1, perm);    // descending, NULLs still last
    std::vector<uint32_t> desc(perm.begin(), perm.end());
    EXPECT_EQ(desc, (std::vector<uint32_t>{3, 0, 2, 4, 1}));
    // Fewer rows than dictionary entries: the comparison-sort path, same order.
    Filter keep{1, 1, 0, 1, 0};
    auto few = c->filter(keep, 3);   // m, NULL, z
    few->getPermutation(true, 0, 1, perm);
    EXPECT_EQ(std::vector<uint32_t>(perm.begin(), perm.end()), (std::vector<uint32_t>{2, 0, 1}));
    few->getPermutation(false, 0, -1, perm);   // NULLS FIRST
    EXPECT_EQ(std::vector<uint32_t>(perm.begin(), perm.end()), (std::vector<uint32_t>{1, 0, 2}));
    EXPECT_EQ(c->compareAt(2, 4, *c, 1), 0);
    EXPECT_LT(c->compareAt(2, 0, *c, 1), 0);
    // Serialized keys equal those of the full column (GROUP BY / DISTINCT on mixed blocks).
    auto full = c->convertToFull();
    for (size_t i = 0; i < c->size(); ++i) {
        std::string k1, k2;
        c->serializeValue(i, k1);
        full->serializeValue(i, k2);
        EXPECT_EQ(k1, k2);
        auto back = lcNullableString();
        const char* pos = k1.data();
        back->deserializeAndInsert(pos);
        EXPECT_EQ(back->get(0), c->get(i));
    }
}

TEST(LowCardinality, UsedDictionaryAndResults) {
    auto c = lcString();
    for (const char* v : {"q", "p", "q"}) c->insert(Field(v));
    auto used = c->getUsedDictionary();
    ASSERT_EQ(used.values->size(), 2u);   // the unused default '' is left out
    EXPECT_EQ(str(*used.values, 0), "q");
    EXPECT_EQ(str(*used.values, 1), "p");
    EXPECT_EQ(c->usedPositions(used)[1], 1u);
    auto up = ColumnString::create();
    up->insertData("Q");
    up->insertData("P");
    auto r = c->mapResults(*c, *up, used);
    EXPECT_EQ(str(*r, 0), "Q");
    EXPECT_EQ(str(*r, 1), "P");
    EXPECT_EQ(str(*r, 2), "Q");
}

TEST(LowCardinality, TypesAndCreateColumn) {
    auto t = parseDataType("LowCardinality(Nullable(String))");
    auto col = createColumn(t);
    ASSERT_TRUE(col->isLowCardinality());
    EXPECT_TRUE(static_cast<ColumnLowCardinality&>(*col).getDictionary().isNullable());
    auto code = [](const char* s) {
        try { parseDataType(s); } catch (const Exception& e) { return e.code(); }
        return 0;
    };
    EXPECT_EQ(code("LowCardinality(Array(String))"), ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT);
    EXPECT_EQ(code("LowCardinality(Decimal(9, 2))"), ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT);
    EXPECT_EQ(code("LowCardinality(LowCardinality(String))"), ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT);
    EXPECT_EQ(code("Nullable(LowCardinality(String))"), ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT);
    EXPECT_EQ(code("LowCardinality(UInt8)"), 0);
    EXPECT_THROW(checkSuspiciousLowCardinality(*parseDataType("Array(LowCardinality(UInt8))")), Exception);
    EXPECT_NO_THROW(checkSuspiciousLowCardinality(*parseDataType("LowCardinality(Nullable(FixedString(2)))")));
    EXPECT_EQ(getLeastSupertype({parseDataType("LowCardinality(String)"), parseDataType("String")})->name(), "String");
    EXPECT_EQ(getLeastSupertype({parseDataType("LowCardinality(String)"), parseDataType("LowCardinality(Nullable(String))")})->name(),
              "LowCardinality(Nullable(String))");
    EXPECT_EQ(recursiveRemoveLowCardinality(parseDataType("Map(LowCardinality(String), Array(LowCardinality(String)))"))->name(),
              "Map(String, Array(String))");
}

TEST(LowCardinality, FunctionsRunOnTheDictionary) {
    auto c = lcString();
    for (int i = 0; i < 1000; ++i) c->insert(Field(i % 3 ? "Ab" : "cD"));
    DataTypePtr t = parseDataType("LowCardinality(String)");
    FunctionContext ctx;
    auto lower = FunctionFactory::instance().build("lower", {{nullptr, t, "x"}}, ctx);
    EXPECT_EQ(lower->result_type->name(), "LowCardinality(String)");
    ColumnPtr r = lower->execute({{c, t, "x"}}, c->size());
    ASSERT_TRUE(r->isLowCardinality());
    EXPECT_EQ(static_cast<const ColumnLowCardinality&>(*r).getDictionary().size(), 3u);
    EXPECT_EQ(str(*r, 0), "cd");
    EXPECT_EQ(str(*r, 1), "ab");
    auto cst = std::make_shared<ColumnConst>([] { auto s = ColumnString::create(); s->insertData("ab"); return s; }(), 1);
    auto eq = FunctionFactory::instance().build("equals", {{nullptr, t, "x"}, {cst, makeType(TypeId::String), "'ab'"}}, ctx);
    EXPECT_EQ(eq->result_type->name(), "LowCardinality(UInt8)");
    auto concat = FunctionFactory::instance().build("concat", {{nullptr, t, "x"}, {nullptr, t, "x"}}, ctx);
    EXPECT_EQ(concat->result_type->name(), "String");
    ColumnPtr cc = concat->execute({{c, t, "x"}, {c, t, "x"}}, c->size());
    EXPECT_FALSE(cc->isLowCardinality());
    EXPECT_EQ(str(*cc, 0), "cDcD");
}
