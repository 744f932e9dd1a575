// comparison.cpp — equals, notEquals, less, greater, lessOrEquals, greaterOrEquals.
// Operands are brought to one comparison type (numbers: Float64 if any float, UInt64/Int64 by
// sign, Int128 for UInt64 vs signed; Date vs DateTime as DateTime; a String literal against a
// date or number is parsed into that type, as ClickHouse does) and a typed kernel runs per shape.
#include <algorithm>
#include <cstring>
#include <limits>

#include "common/exception.h"
#include "common/wide_integer.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

enum class Cmp { Eq, Ne, Lt, Gt, Le, Ge };

template <typename T>
inline bool cmpValues(Cmp c, T a, T b) {
    switch (c) {
        case Cmp::Eq: return a == b;
        case Cmp::Ne: return a != b;
        case Cmp::Lt: return a < b;
        case Cmp::Gt: return a > b;
        case Cmp::Le: return a <= b;
        case Cmp::Ge: return a >= b;
    }
    return false;
}

template <typename T>
void numericKernel(Cmp c, const IColumn& ca, const IColumn& cb, size_t rows, uint8_t* r) {
    auto vec = [](const IColumn& col) -> const T* {
        const IColumn& d = col.isConst() ? static_cast<const ColumnConst&>(col).getDataColumn() : col;
        return static_cast<const ColumnVector<T>&>(d).getData().data();
    };
    const T* a = vec(ca);
    const T* b = vec(cb);
    bool ac = ca.isConst(), bc = cb.isConst();
    auto run = [&](auto op) {
        if (!ac && !bc) for (size_t i = 0; i < rows; ++i) r[i] = op(a[i], b[i]);
        else if (!ac) { T y = b[0]; for (size_t i = 0; i < rows; ++i) r[i] = op(a[i], y); }
        else if (!bc) { T x = a[0]; for (size_t i = 0; i < rows; ++i) r[i] = op(x, b[i]); }
        else { uint8_t v = op(a[0], b[0]); for (size_t i = 0; i < rows; ++i) r[i] = v; }
    };
    switch (c) {
        case Cmp::Eq: run([](T x, T y) -> uint8_t { return x == y; }); break;
        case Cmp::Ne: run([](T x, T y) -> uint8_t { return x != y; }); break;
        case Cmp::Lt: run([](T x, T y) -> uint8_t { return x < y; }); break;
        case Cmp::Gt: run([](T x, T y) -> uint8_t { return x > y; }); break;
        case Cmp::Le: run([](T x, T y) -> uint8_t { return x <= y; }); break;
        case Cmp::Ge: run([](T x, T y) -> uint8_t { return x >= y; }); break;
    }
}

// Exact comparison of a 64-bit integer with a float: both convert losslessly to the x87 80-bit
// long double (64-bit mantissa), so 2^53 + 1 never equals 2^53 as it would through Float64.
template <typename A, typename B>
void mixedKernel(Cmp c, const IColumn& ca, const IColumn& cb, size_t rows, uint8_t* r) {
    static_assert(std::numeric_limits<long double>::digits >= 64, "needs extended precision long double");
    auto vecA = [](const IColumn& col) -> const A* {
        const IColumn& d = col.isConst() ? static_cast<const ColumnConst&>(col).getDataColumn() : col;
        return static_cast<const ColumnVector<A>&>(d).getData().data();
    };
    auto vecB = [](const IColumn& col) -> const B* {
        const IColumn& d = col.isConst() ? static_cast<const ColumnConst&>(col).getDataColumn() : col;
        return static_cast<const ColumnVector<B>&>(d).getData().data();
    };
    const A* a = vecA(ca);
    const B* b = vecB(cb);
    size_t sa = ca.isConst() ? 0 : 1, sb = cb.isConst() ? 0 : 1;
    for (size_t i = 0; i < rows; ++i) r[i] = cmpValues(c, (long double)a[i * sa], (long double)b[i * sb]);
}

// ClickHouse compares FixedString(N) with String as if the String were zero-padded to N bytes,
// so toFixedString('ab', 3) = 'ab'. `pad` enables that (one side is a FixedString).
inline int comparePadded(std::string_view x, std::string_view y) {
    size_t m = std::min(x.size(), y.size());
    if (int c = std::memcmp(x.data(), y.data(), m)) return c;
    for (size_t i = m; i < x.size(); ++i) if (x[i]) return 1;
    for (size_t i = m; i < y.size(); ++i) if (y[i]) return -1;
    return 0;
}

// One side of a string comparison, resolved once per block (no virtual call or cast per row).
struct StringSide {
    const ColumnString* str = nullptr;
    const ColumnFixedString* fixed = nullptr;
    std::string_view constant;
    bool is_const = false;

    explicit StringSide(const IColumn& col) {
        const IColumn& d = col.isConst() ? static_cast<const ColumnConst&>(col).getDataColumn() : col;
        is_const = col.isConst();
        str = dynamic_cast<const ColumnString*>(&d);
        if (!str) fixed = &static_cast<const ColumnFixedString&>(d);
        if (is_const) constant = str ? str->getView(0) : fixed->getView(0);
    }
};

template <typename ViewA, typename ViewB>
void stringLoop(Cmp c, ViewA va, ViewB vb, size_t rows, uint8_t* r, bool pad) {
    if (!pad && (c == Cmp::Eq || c == Cmp::Ne)) {
        // Equality: lengths first, then bytes — the common `col = 'literal'` filter.
        uint8_t eq = c == Cmp::Eq;
        for (size_t i = 0; i < rows; ++i) {
            std::string_view a = va(i), b = vb(i);
            bool same = a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
            r[i] = same ? eq : uint8_t(!eq);
        }
        return;
    }
    for (size_t i = 0; i < rows; ++i) {
        int x = pad ? comparePadded(va(i), vb(i)) : va(i).compare(vb(i));
        r[i] = cmpValues(c, x, 0);
    }
}

template <typename ViewA>
void stringKernelB(Cmp c, ViewA va, const StringSide& b, size_t rows, uint8_t* r, bool pad) {
    if (b.is_const) { std::string_view k = b.constant; stringLoop(c, va, [k](size_t) { return k; }, rows, r, pad); }
    else if (b.str) {
        const char* chars = b.str->getChars().data();
        const auto& off = b.str->getOffsets();
        stringLoop(c, va, [chars, &off](size_t i) { size_t s = i ? off[i - 1] : 0; return std::string_view(chars + s, off[i] - s); }, rows, r, pad);
    } else {
        const ColumnFixedString* f = b.fixed;
        stringLoop(c, va, [f](size_t i) { return f->getView(i); }, rows, r, pad);
    }
}

// `col = 'literal'` / `col != ''` over a String column: lengths from consecutive offsets, bytes
// compared only when the length matches (an empty literal is a pure length test).
void stringEqualsConstant(const ColumnString& col, std::string_view k, bool eq, size_t rows, uint8_t* r) {
    const uint64_t* off = col.getOffsets().data();
    const char* chars = col.getChars().data();
    uint64_t prev = 0;
    if (k.empty()) {
        for (size_t i = 0; i < rows; ++i) {
            r[i] = uint8_t((off[i] == prev) == eq);
            prev = off[i];
        }
        return;
    }
    for (size_t i = 0; i < rows; ++i) {
        const size_t len = off[i] - prev;
        const bool same = len == k.size() && std::memcmp(chars + prev, k.data(), len) == 0;
        r[i] = uint8_t(same == eq);
        prev = off[i];
    }
}

void stringKernel(Cmp c, const IColumn& ca, const IColumn& cb, size_t rows, uint8_t* r, bool pad = false) {
    StringSide a(ca), b(cb);
    if (!pad && (c == Cmp::Eq || c == Cmp::Ne)) {
        if (a.str && !a.is_const && b.is_const) return stringEqualsConstant(*a.str, b.constant, c == Cmp::Eq, rows, r);
        if (b.str && !b.is_const && a.is_const) return stringEqualsConstant(*b.str, a.constant, c == Cmp::Eq, rows, r);
    }
    if (a.is_const) { std::string_view k = a.constant; stringKernelB(c, [k](size_t) { return k; }, b, rows, r, pad); }
    else if (a.str) {
        const char* chars = a.str->getChars().data();
        const auto& off = a.str->getOffsets();
        stringKernelB(c, [chars, &off](size_t i) { size_t s = i ? off[i - 1] : 0; return std::string_view(chars + s, off[i] - s); }, b, rows, r, pad);
    } else {
        const ColumnFixedString* f = a.fixed;
        stringKernelB(c, [f](size_t i) { return f->getView(i); }, b, rows, r, pad);
    }
}

bool numberLike(const DataTypePtr& t) {
    return t->isNumber() || t->id == TypeId::Bool || t->isDateOrDateTime() || t->isEnum() || t->isDecimal() || t->id == TypeId::IPv4 ||
           t->id == TypeId::UUID || t->id == TypeId::IPv6 || t->id == TypeId::Interval;
}

const char* cmpName(Cmp c) {
    switch (c) {
        case Cmp::Eq: return "equals";
        case Cmp::Ne: return "notEquals";
        case Cmp::Lt: return "less";
        case Cmp::Gt: return "greater";
        case Cmp::Le: return "lessOrEquals";
        case Cmp::Ge: return "greaterOrEquals";
    }
    return "";
}

// The common type both operands are converted to.
DataTypePtr comparisonType(const char* name, const DataTypePtr& a, const DataTypePtr& b) {
    if (a->isStringOrFixed() && b->isStringOrFixed()) return makeType(TypeId::String);
    if (a->isStringOrFixed() && numberLike(b)) return b;
    if (b->isStringOrFixed() && numberLike(a)) return a;
    if (a->isEnum() && b->isStringOrFixed()) return a;
    if (numberLike(a) && numberLike(b)) {
        auto dt_rank = [](TypeId id) { return id == TypeId::DateTime64 ? 4 : id == TypeId::DateTime ? 3 : id == TypeId::Date32 ? 2 : id == TypeId::Date ? 1 : 0; };
        int ra = dt_rank(a->id), rb = dt_rank(b->id);
        if (ra || rb) {
            if (ra && rb) {
                if (a->id == TypeId::DateTime64 || b->id == TypeId::DateTime64)
                    return makeDateTime64(std::max(a->id == TypeId::DateTime64 ? a->scale : 0, b->id == TypeId::DateTime64 ? b->scale : 0));
                return ra >= rb ? a : b;
            }
            // Date vs number: compare the underlying numbers.
            return makeType(TypeId::Int64);
        }
        if (a->isDecimal() || b->isDecimal()) {
            // Decimal vs decimal/integer compares exactly as Decimal128 at the larger scale; a float
            // operand makes it a Float64 comparison (as ClickHouse).
            if (a->isFloat() || b->isFloat()) return makeType(TypeId::Float64);
            uint32_t sc = std::max(a->isDecimal() ? a->scale : 0, b->isDecimal() ? b->scale : 0);
            return makeDecimal(a->valueSize() == 32 || b->valueSize() == 32 ? 76 : 38, sc);
        }
        if (a->isEnum() || b->isEnum() || a->id == TypeId::UUID || b->id == TypeId::UUID || a->id == TypeId::IPv6 || b->id == TypeId::IPv6) {
            if (a->equals(*b)) return a;
            if (a->isEnum() && b->isInteger()) return makeType(TypeId::Int64);
            if (b->isEnum() && a->isInteger()) return makeType(TypeId::Int64);
        }
        if (a->isFloat() || b->isFloat()) return makeType(TypeId::Float64);
        bool sa = a->isSignedInteger(), sb = b->isSignedInteger();
        if (a->valueSize() == 32 || b->valueSize() == 32) {
            // 256-bit: exact in Int256 unless one side is UInt256 and the other signed (wideMixed).
            if (!sa && !sb) return makeType(TypeId::UInt256);
            return makeType(TypeId::Int256);
        }
        if (!sa && !sb) return makeType(TypeId::UInt64);
        if (sa && sb) return makeType(TypeId::Int64);
        const DataTypePtr& u = sa ? b : a;
        if (u->id == TypeId::UInt64) return makeType(TypeId::Int128);
        return makeType(TypeId::Int64);
    }
    if ((a->id == TypeId::Array && b->id == TypeId::Array) || (a->id == TypeId::Tuple && b->id == TypeId::Tuple)) {
        return getLeastSupertype({a, b});
    }
    if (a->id == TypeId::Nothing || b->id == TypeId::Nothing) return a->id == TypeId::Nothing ? b : a;
    throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT,
                    std::string("Illegal types of arguments (`") + a->name() + "`, `" + b->name() + "`) of function `" + name + "`");
}

FunctionPtr buildComparison(Cmp c, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    const char* name = cmpName(c);
    checkArgumentCount(name, args, 2, 2);
    // LowCardinality shares its nested type's column layout here: compare as the nested type.
    DataTypePtr ta = removeLowCardinality(args[0].type), tb = removeLowCardinality(args[1].type);
    DataTypePtr ct = comparisonType(name, ta, tb);
    // Compare natively when both sides already share a plain number type, or when one side is a
    // constant that converts exactly to the other side's type: no widening pass over the column.
    auto plainNumber = [](const DataTypePtr& t) { return t->isNumber(); };
    if (plainNumber(ta) && plainNumber(tb)) {
        if (ta->equals(*tb)) ct = ta;
        else {
            for (int side = 0; side < 2; ++side) {
                const auto& cst = args[side];
                const DataTypePtr& other = side == 0 ? tb : ta;
                if (!cst.column || !cst.column->isConst() || args[1 - side].column) continue;
                try {
                    ColumnPtr there = materialize(castColumn(cst.column, cst.type, other, ctx, CastMode::Throw, true));
                    ColumnPtr back = materialize(castColumn(there, other, cst.type, ctx));
                    if (back->compareAt(0, 0, *materialize(cst.column), 1) == 0) { ct = other; break; }
                } catch (const Exception&) {
                }
            }
        }
    }
    // The physical type compared: Date -> its storage, etc.
    DataTypePtr phys = ct;
    TypeId pid = ct->id;
    if (ct->isDateOrDateTime() || ct->isEnum() || ct->id == TypeId::IPv4 || ct->id == TypeId::Bool || ct->id == TypeId::Interval) {
        // Compare storage integers: widen to Int64 (all fit).
        pid = TypeId::Int64;
    }
    // 64-bit (or wider) integer vs float: exact mixed comparison instead of rounding through Float64.
    auto wideInt = [](const DataTypePtr& t) { return t->isInteger() && t->valueSize() == 8; };
    bool mixed = ct->id == TypeId::Float64 && ((wideInt(ta) && tb->isFloat()) || (ta->isFloat() && wideInt(tb)));
    if (mixed) {
        return makeFunction(name, makeType(TypeId::UInt8), [c, ta, tb](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            auto res = ColumnUInt8::create(rows);
            uint8_t* r = res->getData().data();
            dispatchNumber(ta->id, [&](auto ta_tag) {
                dispatchNumber(tb->id, [&](auto tb_tag) {
                    using A = typename decltype(ta_tag)::type;
                    using B = typename decltype(tb_tag)::type;
                    if constexpr ((sizeof(A) == 8 && std::is_integral_v<A> && std::is_floating_point_v<B>) ||
                                  (sizeof(B) == 8 && std::is_integral_v<B> && std::is_floating_point_v<A>))
                        mixedKernel<A, B>(c, *a[0].column, *a[1].column, rows, r);
                });
            });
            return res;
        });
    }
    // UInt256 against a signed integer: no common 256-bit type holds both ranges; a negative signed
    // value is below every UInt256, otherwise compare as UInt256.
    bool wide_mixed = ct->id == TypeId::Int256 && ((ta->id == TypeId::UInt256 && tb->isSignedInteger()) || (tb->id == TypeId::UInt256 && ta->isSignedInteger()));
    if (wide_mixed) {
        bool unsigned_left = ta->id == TypeId::UInt256;
        DataTypePtr signed_type = unsigned_left ? tb : ta;
        return makeFunction(name, makeType(TypeId::UInt8), [c, unsigned_left, signed_type, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            const auto& ucol = a[unsigned_left ? 0 : 1];
            const auto& scol = a[unsigned_left ? 1 : 0];
            ColumnPtr u = materialize(ucol.column);
            ColumnPtr sv = materialize(castColumn(scol.column, signed_type, makeType(TypeId::Int256), ctx));
            auto& ud = static_cast<const ColumnVector<UInt256>&>(*u).getData();
            auto& sd = static_cast<const ColumnVector<Int256>&>(*sv).getData();
            auto res = ColumnUInt8::create(rows);
            for (size_t i = 0; i < rows; ++i) {
                int cmp = sd[i].isNegative() ? 1 : (ud[i] < UInt256(sd[i]) ? -1 : (UInt256(sd[i]) < ud[i] ? 1 : 0));   // u vs s
                if (!unsigned_left) cmp = -cmp;
                res->getData()[i] = cmpValues(c, cmp, 0);
            }
            return ColumnPtr(res);
        });
    }
    bool pad = ct->isStringOrFixed() && (ta->id == TypeId::FixedString) != (tb->id == TypeId::FixedString);
    return makeFunction(name, makeType(TypeId::UInt8), [c, ta, tb, ct, pid, pad, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        // A string compared with a number must parse as that number (1 = 'a' is TYPE_MISMATCH).
        auto convert = [&](const ColumnWithTypeAndName& arg, const DataTypePtr& from) -> ColumnPtr {
            if (!from->isStringOrFixed() || !(ct->isNumber() || ct->isDecimal())) return castColumn(arg.column, from, ct, ctx);
            try {
                return castColumn(arg.column, from, ct, ctx);
            } catch (const Exception& e) {
                std::string v = arg.column->size() ? std::string(materialize(arg.column)->get(0).get<std::string>()) : "";
                throw Exception(ErrorCodes::TYPE_MISMATCH, "Cannot convert string '" + v + "' to type " + ct->name());
            }
        };
        ColumnPtr x = convert(a[0], ta);
        ColumnPtr y = convert(a[1], tb);
        auto res = ColumnUInt8::create(rows);
        uint8_t* r = res->getData().data();
        if (ct->isStringOrFixed()) { stringKernel(c, *x, *y, rows, r, pad); return res; }
        if (pid != ct->id) {
            // Storage-level widening for dates/enums (castColumn would interpret values).
            auto widen = [&](const ColumnPtr& col) -> ColumnPtr {
                bool is_const = col->isConst();
                const IColumn& d = is_const ? static_cast<const ColumnConst&>(*col).getDataColumn() : *col;
                auto out = ColumnInt64::create(d.size());
                dispatchFixed(ct->id, [&](auto tag) {
                    using T = typename decltype(tag)::type;
                    if constexpr (sizeof(T) <= 8) {
                        auto& src = static_cast<const ColumnVector<T>&>(d).getData();
                        for (size_t i = 0; i < src.size(); ++i) out->getData()[i] = int64_t(src[i]);
                    }
                });
                if (is_const) return std::make_shared<ColumnConst>(out, col->size());
                return out;
            };
            numericKernel<int64_t>(c, *widen(x), *widen(y), rows, r);
            return res;
        }
        bool done = true;
        if (pid == TypeId::Int256 || pid == TypeId::Decimal256) numericKernel<Int256>(c, *x, *y, rows, r);
        else if (pid == TypeId::UInt256) numericKernel<UInt256>(c, *x, *y, rows, r);
        else done = dispatchFixed(pid, [&](auto tag) { numericKernel<typename decltype(tag)::type>(c, *x, *y, rows, r); });
        if (!done) {
            // Composite types: generic comparison.
            auto xm = materialize(x), ym = materialize(y);
            for (size_t i = 0; i < rows; ++i) r[i] = cmpValues(c, xm->compareAt(i, i, *ym, 1), 0);
        }
        return res;
    });
}

}  // namespace

void registerComparisonFunctions(FunctionFactory& f) {
    auto reg = [&](const char* name, Cmp c) {
        f.registerFunction(name, [c](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) { return buildComparison(c, a, ctx); });
    };
    reg("equals", Cmp::Eq);
    reg("notEquals", Cmp::Ne);
    reg("less", Cmp::Lt);
    reg("greater", Cmp::Gt);
    reg("lessOrEquals", Cmp::Le);
    reg("greaterOrEquals", Cmp::Ge);
}

}  // namespace basalt
