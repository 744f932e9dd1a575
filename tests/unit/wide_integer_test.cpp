// Unit tests for the 256-bit integers (common/wide_integer.h) and their columns: wrapping arithmetic,
// division, shifts, text, float conversion (ClickHouse's algorithm), overflow checks for decimals,
// and the 32-byte little-endian layout RowBinary relies on.
#include <gtest/gtest.h>

#include "columns/column.h"
#include "common/wide_integer.h"
#include "formats/format.h"
#include "types/create_column.h"
#include "types/data_type.h"

using namespace basalt;

namespace {
Int256 I(const char* s) { Int256 v; EXPECT_TRUE(Int256::parse(s, v)) << s; return v; }
UInt256 U(const char* s) { UInt256 v; EXPECT_TRUE(UInt256::parse(s, v)) << s; return v; }
const char* kIntMax = "57896044618658097711785492504343953926634992332820282019728792003956564819967";
const char* kIntMin = "-57896044618658097711785492504343953926634992332820282019728792003956564819968";
const char* kUIntMax = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
}  // namespace

TEST(WideInteger, TextRoundTripAndLimits) {
    for (const char* s : {"0", "1", "-1", "18446744073709551616", "-170141183460469231731687303715884105729", kIntMax, kIntMin})
        EXPECT_EQ(I(s).toString(), s);
    EXPECT_EQ(U(kUIntMax).toString(), kUIntMax);
    EXPECT_EQ(Int256::max().toString(), kIntMax);
    EXPECT_EQ(Int256::min().toString(), kIntMin);
    EXPECT_EQ(UInt256::max().toString(), kUIntMax);
    Int256 v;
    EXPECT_FALSE(Int256::parse("57896044618658097711785492504343953926634992332820282019728792003956564819968", v));
    EXPECT_FALSE(UInt256::parse("-1", *reinterpret_cast<UInt256*>(&v)));
    EXPECT_FALSE(Int256::parse("12a", v));
    EXPECT_FALSE(Int256::parse("", v));
}

TEST(WideInteger, WrappingArithmetic) {
    EXPECT_EQ((I(kIntMax) + Int256(1)).toString(), kIntMin);
    EXPECT_EQ((I(kIntMin) - Int256(1)).toString(), kIntMax);
    EXPECT_EQ((U(kUIntMax) + UInt256(1)).toString(), "0");
    EXPECT_EQ((UInt256(0) - UInt256(1)).toString(), kUIntMax);
    EXPECT_EQ((U(kUIntMax) * UInt256(2)).toString(), "115792089237316195423570985008687907853269984665640564039457584007913129639934");
    EXPECT_EQ((Int256(-3) * Int256(7)).toString(), "-21");
    EXPECT_EQ((I("-12345678901234567890123456789") * I("98765432109876543210")).toString(), "-1219326311370217952249657064223746380111126352690");
    EXPECT_EQ((-Int256(5)).toString(), "-5");
    EXPECT_TRUE(Int256(-1) < Int256(0));
    EXPECT_TRUE(UInt256(0) < UInt256(UInt256::max()));
    EXPECT_TRUE(I("-2") < I("-1"));
    EXPECT_TRUE(I("18446744073709551616") > I("18446744073709551615"));
}

TEST(WideInteger, DivisionAndModulo) {
    EXPECT_EQ((Int256(-7) / Int256(2)).toString(), "-3");
    EXPECT_EQ((Int256(-7) % Int256(2)).toString(), "-1");
    EXPECT_EQ((Int256(7) % Int256(-2)).toString(), "1");
    EXPECT_EQ((U(kUIntMax) / U("340282366920938463463374607431768211456")).toString(), "340282366920938463463374607431768211455");
    EXPECT_EQ((U(kUIntMax) % U("340282366920938463463374607431768211457")).toString(), "0");
    Int256 a = I("-57896044618658097711785492504343953926634992332820282019728792003956564819968");
    Int256 b = I("12345678901234567890123456789");
    Int256 q = a / b, r = a % b;
    EXPECT_EQ((q * b + r).toString(), a.toString());
    EXPECT_TRUE(r.isNegative());
    EXPECT_EQ((UInt256(1000) / UInt256(7)).toString(), "142");
}

TEST(WideInteger, Shifts) {
    EXPECT_EQ(UInt256(1).shiftLeft(255).toString(), "57896044618658097711785492504343953926634992332820282019728792003956564819968");
    EXPECT_EQ(UInt256(1).shiftLeft(256).toString(), "0");
    EXPECT_EQ(Int256(-256).shiftRight(4).toString(), "-16");
    EXPECT_EQ(U(kUIntMax).shiftRight(192).toString(), "18446744073709551615");
    EXPECT_EQ(Int256(-1).shiftRight(300).toString(), "-1");
    EXPECT_EQ(UInt256(3).shiftLeft(64).shiftRight(63).toString(), "6");
}

TEST(WideInteger, FloatConversionsAsClickHouse) {
    EXPECT_EQ(Int256(1.9).toString(), "1");
    EXPECT_EQ(Int256(-1.9).toString(), "-1");
    EXPECT_EQ(UInt256(-1.5).toString(), kUIntMax);
    EXPECT_EQ(Int256(-1e76).toString(), "-10000000000000000468975041700326439164102534195992280967396974317317789248000");
    EXPECT_EQ(Int256(1e100).toString(), "34110176211489492266660030302982626493444797748186581963786164763411443871159");
    EXPECT_DOUBLE_EQ(double(U(kUIntMax)), 1.157920892373162e77);
    EXPECT_DOUBLE_EQ(double(Int256(-1000)), -1000.0);
    EXPECT_DOUBLE_EQ(double(I("12345678901234567890")), 12345678901234567890.0);
}

TEST(WideInteger, DecimalOverflowChecks) {
    Int256 r;
    EXPECT_FALSE(mulOverflow(pow10Int256(38), pow10Int256(38), r));
    EXPECT_EQ(r.toString(), "1" + std::string(76, '0'));
    EXPECT_TRUE(mulOverflow(pow10Int256(40), pow10Int256(40), r));
    EXPECT_TRUE(addOverflow(Int256::max(), Int256(1), r));
    EXPECT_FALSE(addOverflow(Int256::max(), Int256(-1), r));
    EXPECT_TRUE(subOverflow(Int256::min(), Int256(1), r));
    EXPECT_FALSE(mulOverflow(Int256::min(), Int256(1), r));
    EXPECT_TRUE(mulOverflow(Int256::min(), Int256(-1), r));
    EXPECT_EQ(pow10Int256(0).toString(), "1");
}

TEST(WideInteger, ColumnsAndRowBinaryLayout) {
    auto col = createColumn(parseDataType("Int256"));
    col->insert(Field(int64_t(-2)));
    col->insert(Field(uint64_t(5)));
    ASSERT_EQ(col->valueSizeOfFixed(), 32u);
    EXPECT_EQ(col->get(0).get<int64_t>(), -2);
    EXPECT_EQ(col->compareAt(0, 1, *col, 1), -1);
    Block b;
    b.insert({col, parseDataType("Int256"), "x"});
    std::string out;
    auto fmt = createOutputFormat("RowBinary", b.cloneEmpty(), [&](std::string_view s) { out.append(s); }, FormatSettings{});
    fmt->writePrefix();
    fmt->write(b);
    fmt->writeSuffix({});
    fmt->flush();
    ASSERT_EQ(out.size(), 64u);
    // -2: two's complement, little-endian limbs.
    EXPECT_EQ(uint8_t(out[0]), 0xFE);
    for (size_t i = 1; i < 32; ++i) EXPECT_EQ(uint8_t(out[i]), 0xFF);
    EXPECT_EQ(uint8_t(out[32]), 5);
    for (size_t i = 33; i < 64; ++i) EXPECT_EQ(out[i], 0);
}
