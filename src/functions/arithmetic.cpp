// arithmetic.cpp — plus, minus, multiply, divide, intDiv, intDivOrZero, modulo, moduloOrZero,
// negate, abs, bitAnd/Or/Xor/Not, bitShiftLeft/Right, with ClickHouse's result-type rules
// (NumberTraits): UInt8 + UInt8 -> UInt16, UInt8 - UInt8 -> Int16, x / y -> Float64, UInt64 % UInt8
// -> UInt8, overflow wraps. Arguments are converted to the computation type once per block (a
// constant operand once per query), then a same-type kernel runs over the arrays; vector/constant
// shapes get their own loops so the compiler can vectorize them.
#include <cmath>
#include <limits>
#include <cstring>

#include "common/exception.h"
#include "common/wide_integer.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

int typeSize(TypeId id) { return int(makeType(id)->valueSize()); }
bool isSigned(TypeId id) { return makeType(id)->isSignedInteger() || id == TypeId::Float32 || id == TypeId::Float64; }
bool isFloat(TypeId id) { return id == TypeId::Float32 || id == TypeId::Float64; }

TypeId intType(bool is_signed, int size) {
    switch (size) {
        case 1: return is_signed ? TypeId::Int8 : TypeId::UInt8;
        case 2: return is_signed ? TypeId::Int16 : TypeId::UInt16;
        case 4: return is_signed ? TypeId::Int32 : TypeId::UInt32;
        case 16: return is_signed ? TypeId::Int128 : TypeId::UInt128;
        case 32: return is_signed ? TypeId::Int256 : TypeId::UInt256;
        default: return is_signed ? TypeId::Int64 : TypeId::UInt64;
    }
}
// Widening stops at 64 bits for 64-bit operands; 128-bit operands stay 128-bit (NumberTraits).
int nextSize(int s) { return s < 8 ? s * 2 : s; }

// dispatchNumber plus the 128-bit integers.
template <typename F>
bool dispatchArith(TypeId id, F&& f) {
    if (id == TypeId::Int128) { f(TypeTag<Int128>{}); return true; }
    if (id == TypeId::UInt128) { f(TypeTag<UInt128>{}); return true; }
    return dispatchNumber(id, f);
}

enum class Op { Plus, Minus, Multiply, Divide, IntDiv, IntDivOrZero, Modulo, ModuloOrZero, BitAnd, BitOr, BitXor, ShiftLeft, ShiftRight };

const char* opName(Op op) {
    switch (op) {
        case Op::Plus: return "plus";
        case Op::Minus: return "minus";
        case Op::Multiply: return "multiply";
        case Op::Divide: return "divide";
        case Op::IntDiv: return "intDiv";
        case Op::IntDivOrZero: return "intDivOrZero";
        case Op::Modulo: return "modulo";
        case Op::ModuloOrZero: return "moduloOrZero";
        case Op::BitAnd: return "bitAnd";
        case Op::BitOr: return "bitOr";
        case Op::BitXor: return "bitXor";
        case Op::ShiftLeft: return "bitShiftLeft";
        case Op::ShiftRight: return "bitShiftRight";
    }
    return "";
}

// Result type per ClickHouse NumberTraits.
TypeId resultType(Op op, TypeId a, TypeId b) {
    if (a == TypeId::Bool) a = TypeId::UInt8;
    if (b == TypeId::Bool) b = TypeId::UInt8;
    bool fl = isFloat(a) || isFloat(b);
    bool sg = isSigned(a) || isSigned(b);
    int sa = typeSize(a), sb = typeSize(b);
    switch (op) {
        case Op::Plus: case Op::Multiply:
            return fl ? TypeId::Float64 : intType(sg, nextSize(std::max(sa, sb)));
        case Op::Minus:
            return fl ? TypeId::Float64 : intType(true, nextSize(std::max(sa, sb)));
        case Op::Divide: return TypeId::Float64;
        case Op::IntDiv: case Op::IntDivOrZero:
            return intType(sg, sa);
        case Op::Modulo: case Op::ModuloOrZero: {
            if (fl) return TypeId::Float64;
            bool rs = isSigned(a);
            return intType(rs, rs ? nextSize(sb) : sb);
        }
        case Op::BitAnd: case Op::BitOr: case Op::BitXor:
            return intType(sg, std::max(sa, sb));
        case Op::ShiftLeft: case Op::ShiftRight:
            return intType(isSigned(a), sa);
    }
    return TypeId::Nothing;
}

// The type the operation is computed in (converted operands), before narrowing to the result.
TypeId computeType(Op op, TypeId a, TypeId b, TypeId result) {
    switch (op) {
        case Op::Plus: case Op::Minus: case Op::Multiply: case Op::BitAnd: case Op::BitOr: case Op::BitXor:
            return result;
        case Op::Divide: return TypeId::Float64;
        default: {
            if (isFloat(a) || isFloat(b)) return TypeId::Float64;
            bool sg = isSigned(a) || isSigned(b);
            if (typeSize(a) == 32 || typeSize(b) == 32) return sg ? TypeId::Int256 : TypeId::UInt256;
            if (typeSize(a) == 16 || typeSize(b) == 16) return sg ? TypeId::Int128 : TypeId::UInt128;
            // intDiv/modulo of narrow signed types run in Int64, so MIN / -1 must be detected
            // against the result width (see intDivValue); computing in 64 bits is otherwise exact.
            return sg ? TypeId::Int64 : TypeId::UInt64;
        }
    }
}

template <typename T>
inline T applyOp(Op op, T a, T b) {
    // Wrapping semantics for integers: do the math in the unsigned counterpart to avoid UB.
    if constexpr (std::is_integral_v<T>) {
        using U = std::make_unsigned_t<T>;
        switch (op) {
            case Op::Plus: return T(U(a) + U(b));
            case Op::Minus: return T(U(a) - U(b));
            case Op::Multiply: return T(U(a) * U(b));
            default: break;
        }
    } else {
        switch (op) {
            case Op::Plus: return a + b;
            case Op::Minus: return a - b;
            case Op::Multiply: return a * b;
            case Op::Divide: return a / b;
            default: break;
        }
    }
    return T{};
}

[[noreturn]] void divisionByZero() { throw Exception(ErrorCodes::ILLEGAL_DIVISION, "Division by zero"); }
[[noreturn]] void divisionOfMinByMinusOne() { throw Exception(ErrorCodes::ILLEGAL_DIVISION, "Division of minimal signed number by minus one"); }

template <typename T>
inline T intDivValue(T a, T b, bool or_zero) {
    if constexpr (std::is_floating_point_v<T>) {
        if (b == 0) { if (or_zero) return 0; divisionByZero(); }
        return std::trunc(a / b);
    } else {
        if (b == 0) { if (or_zero) return 0; divisionByZero(); }
        if constexpr (std::is_signed_v<T>) {
            if (b == -1) {
                // MIN / -1 overflows: ClickHouse raises ILLEGAL_DIVISION (OrZero yields 0).
                if (a == std::numeric_limits<T>::min()) { if (or_zero) return 0; divisionOfMinByMinusOne(); }
                return T(0 - std::make_unsigned_t<T>(a));
            }
        }
        return a / b;
    }
}
template <typename T>
inline T moduloValue(T a, T b, bool or_zero) {
    if constexpr (std::is_floating_point_v<T>) {
        if (b == 0 && !or_zero) return std::fmod(a, b);
        if (b == 0) return 0;
        return std::fmod(a, b);
    } else {
        if (b == 0) { if (or_zero) return 0; divisionByZero(); }
        if constexpr (std::is_signed_v<T>) if (b == -1) {
            if (a == std::numeric_limits<T>::min() && !or_zero) divisionOfMinByMinusOne();
            return 0;
        }
        return a % b;
    }
}

// Division by a loop-invariant 64-bit divisor without a hardware DIV (~40 cycles): the divisor is
// turned once into a multiplier and shift (Granlund & Montgomery, "Division by Invariant Integers
// using Multiplication", 1994; the round-up variant with an "add" fix-up as in libdivide), so each
// row costs one high multiply, a shift and, for the remainder, one multiply-subtract.
struct FastDivU64 {
    uint64_t d;
    uint64_t magic = 0;
    unsigned shift = 0;
    bool add = false;
    bool pow2 = false;
    explicit FastDivU64(uint64_t divisor) : d(divisor) {
        unsigned k = 63 - unsigned(__builtin_clzll(divisor));
        shift = k;
        if ((divisor & (divisor - 1)) == 0) { pow2 = true; return; }
        unsigned __int128 num = static_cast<unsigned __int128>(1) << (64 + k);
        uint64_t m = uint64_t(num / divisor);      // < 2^64 because divisor > 2^k
        uint64_t rem = uint64_t(num % divisor);
        uint64_t e = divisor - rem;
        if (e < (uint64_t(1) << k)) {
            add = false;
        } else {
            m += m;
            uint64_t twice_rem = rem + rem;
            if (twice_rem >= divisor || twice_rem < rem) m += 1;
            add = true;
        }
        magic = m + 1;
    }
    inline uint64_t quotient(uint64_t a) const {
        if (pow2) return a >> shift;
        uint64_t q = uint64_t((static_cast<unsigned __int128>(a) * magic) >> 64);
        if (!add) return q >> shift;
        return (((a - q) >> 1) + q) >> shift;
    }
    inline uint64_t remainder(uint64_t a) const { return a - quotient(a) * d; }
};

// x % const for unsigned 64-bit x, written straight into the (narrower) result type R.
template <typename R>
ColumnPtr moduloByConstant(const uint64_t* a, size_t rows, uint64_t d) {
    auto res = std::make_shared<ColumnVector<R>>(rows);
    R* r = res->getData().data();
    if ((d & (d - 1)) == 0) {
        uint64_t mask = d - 1;
        for (size_t i = 0; i < rows; ++i) r[i] = R(a[i] & mask);
    } else {
        FastDivU64 div(d);
        if (div.add) for (size_t i = 0; i < rows; ++i) r[i] = R(div.remainder(a[i]));
        else {
            // Hot case: no fix-up branch in the loop.
            uint64_t magic = div.magic;
            unsigned sh = div.shift;
            for (size_t i = 0; i < rows; ++i) {
                uint64_t q = uint64_t((static_cast<unsigned __int128>(a[i]) * magic) >> 64) >> sh;
                r[i] = R(a[i] - q * d);
            }
        }
    }
    return res;
}

// Runs r[i] = f(a[i], b[i]) with one loop per operand shape (vector/constant), so a constant operand
// stays in a register and each loop can be vectorized.
template <typename T, typename R, typename F>
inline void applyShapes(const T* a, bool ac, const T* b, bool bc, size_t rows, R* r, F f) {
    if (!ac && !bc) for (size_t i = 0; i < rows; ++i) r[i] = f(a[i], b[i]);
    else if (!ac) { T bv = b[0]; for (size_t i = 0; i < rows; ++i) r[i] = f(a[i], bv); }
    else if (!bc) { T av = a[0]; for (size_t i = 0; i < rows; ++i) r[i] = f(av, b[i]); }
    else { R v = f(a[0], b[0]); for (size_t i = 0; i < rows; ++i) r[i] = v; }
}

// Same-type binary kernel over (vector|const) x (vector|const).
template <typename T>
ColumnPtr binaryKernel(Op op, const IColumn& ca, const IColumn& cb, size_t rows) {
    bool ac = ca.isConst(), bc = cb.isConst();
    auto getVec = [](const IColumn& c) -> const T* {
        const IColumn& d = c.isConst() ? static_cast<const ColumnConst&>(c).getDataColumn() : c;
        return static_cast<const ColumnVector<T>&>(d).getData().data();
    };
    const T* a = getVec(ca);
    const T* b = getVec(cb);
    auto res = std::make_shared<ColumnVector<T>>(rows);
    T* r = res->getData().data();
    auto loop = [&](auto f) { applyShapes(a, ac, b, bc, rows, r, f); };
    switch (op) {
        case Op::Plus: loop([](T x, T y) { return applyOp(Op::Plus, x, y); }); break;
        case Op::Minus: loop([](T x, T y) { return applyOp(Op::Minus, x, y); }); break;
        case Op::Multiply: loop([](T x, T y) { return applyOp(Op::Multiply, x, y); }); break;
        case Op::Divide: loop([](T x, T y) { return applyOp(Op::Divide, x, y); }); break;
        case Op::IntDiv: loop([](T x, T y) { return intDivValue(x, y, false); }); break;
        case Op::IntDivOrZero: loop([](T x, T y) { return intDivValue(x, y, true); }); break;
        case Op::Modulo:
            if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
                if (bc && !ac && b[0] != 0) {
                    // Division by a constant: the divisor is loop-invariant, which lets the compiler
                    // keep it in a register; a power of two becomes a mask.
                    T d = b[0];
                    if ((d & (d - 1)) == 0) { T m = d - 1; for (size_t i = 0; i < rows; ++i) r[i] = a[i] & m; }
                    else for (size_t i = 0; i < rows; ++i) r[i] = a[i] % d;
                    break;
                }
            }
            loop([](T x, T y) { return moduloValue(x, y, false); });
            break;
        case Op::ModuloOrZero: loop([](T x, T y) { return moduloValue(x, y, true); }); break;
        case Op::BitAnd: if constexpr (std::is_integral_v<T>) loop([](T x, T y) { return T(x & y); }); break;
        case Op::BitOr: if constexpr (std::is_integral_v<T>) loop([](T x, T y) { return T(x | y); }); break;
        case Op::BitXor: if constexpr (std::is_integral_v<T>) loop([](T x, T y) { return T(x ^ y); }); break;
        case Op::ShiftLeft:
            if constexpr (std::is_integral_v<T>) loop([](T x, T y) { return y >= T(sizeof(T) * 8) || y < 0 ? T(0) : T(std::make_unsigned_t<T>(x) << y); });
            break;
        case Op::ShiftRight:
            if constexpr (std::is_integral_v<T>) loop([](T x, T y) { return y >= T(sizeof(T) * 8) || y < 0 ? T(0) : T(x >> y); });
            break;
    }
    return res;
}

// Int256 / UInt256: the same operations on the wide type (kept out of binaryKernel's
// instantiations; the arithmetic wraps like the built-in integers).
template <typename T>
ColumnPtr wideKernel(Op op, const IColumn& ca, const IColumn& cb, size_t rows) {
    bool ac = ca.isConst(), bc = cb.isConst();
    auto getVec = [](const IColumn& c) -> const T* {
        const IColumn& d = c.isConst() ? static_cast<const ColumnConst&>(c).getDataColumn() : c;
        return static_cast<const ColumnVector<T>&>(d).getData().data();
    };
    const T* a = getVec(ca);
    const T* b = getVec(cb);
    auto res = std::make_shared<ColumnVector<T>>(rows);
    T* r = res->getData().data();
    auto loop = [&](auto f) { applyShapes(a, ac, b, bc, rows, r, f); };
    bool or_zero = op == Op::IntDivOrZero || op == Op::ModuloOrZero;
    auto divide = [or_zero](const T& x, const T& y, bool mod) -> T {
        if (y.isZero()) { if (or_zero) return T{}; divisionByZero(); }
        if constexpr (T::is_signed) {
            if (y == T(-1)) {
                if (x == T::min()) { if (or_zero) return T{}; divisionOfMinByMinusOne(); }
                return mod ? T{} : -x;
            }
        }
        return mod ? x % y : x / y;
    };
    switch (op) {
        case Op::Plus: loop([](const T& x, const T& y) { return x + y; }); break;
        case Op::Minus: loop([](const T& x, const T& y) { return x - y; }); break;
        case Op::Multiply: loop([](const T& x, const T& y) { return x * y; }); break;
        case Op::IntDiv: case Op::IntDivOrZero: loop([&](const T& x, const T& y) { return divide(x, y, false); }); break;
        case Op::Modulo: case Op::ModuloOrZero: loop([&](const T& x, const T& y) { return divide(x, y, true); }); break;
        case Op::BitAnd: loop([](const T& x, const T& y) { return x & y; }); break;
        case Op::BitOr: loop([](const T& x, const T& y) { return x | y; }); break;
        case Op::BitXor: loop([](const T& x, const T& y) { return x ^ y; }); break;
        case Op::ShiftLeft:
            loop([](const T& x, const T& y) { return y.isNegative() || !(y < T(256)) ? T{} : x.shiftLeft(unsigned(uint64_t(y))); });
            break;
        case Op::ShiftRight:
            loop([](const T& x, const T& y) { return y.isNegative() || !(y < T(256)) ? T{} : x.shiftRight(unsigned(uint64_t(y))); });
            break;
        default: throw Exception(ErrorCodes::LOGICAL_ERROR, "Unexpected 256-bit operation");
    }
    return res;
}

bool isWide(TypeId id) { return id == TypeId::Int256 || id == TypeId::UInt256; }

bool isArithmeticType(const DataTypePtr& t) { return t->isNumber() || t->id == TypeId::Bool; }

// ---- Decimal arithmetic ----------------------------------------------------------------------
// ClickHouse's rules: decimal (+|-) decimal -> the wider storage at its maximal precision with scale
// max(s1, s2); multiply -> scale s1 + s2; divide -> scale s1 (requires s1 >= s2). With an integer
// operand the result keeps the decimal operand's type; the integer acts as a decimal with the other
// operand's scale (scale 0 for multiply). Overflow of the storage type is DECIMAL_OVERFLOW (407).

uint32_t decimalMaxPrecision(TypeId id) { return id == TypeId::Decimal32 ? 9 : id == TypeId::Decimal64 ? 18 : id == TypeId::Decimal128 ? 38 : 76; }

[[noreturn]] void decimalMathOverflow() { throw Exception(ErrorCodes::DECIMAL_OVERFLOW, "Decimal math overflow"); }

Int128 pow10Wide(uint32_t s) { Int128 r = 1; while (s--) r *= 10; return r; }

// Raw scaled-integer kernel; `scale_mul` is 10^s2 for division (dividend rescale), unused otherwise.
template <typename T>
ColumnPtr decimalKernel(Op op, const IColumn& ca, const IColumn& cb, size_t rows, Int128 scale_mul) {
    auto vec = [](const IColumn& c) -> const T* {
        const IColumn& d = c.isConst() ? static_cast<const ColumnConst&>(c).getDataColumn() : c;
        return static_cast<const ColumnVector<T>&>(d).getData().data();
    };
    const T* a = vec(ca);
    const T* b = vec(cb);
    bool ac = ca.isConst(), bc = cb.isConst();
    auto res = std::make_shared<ColumnVector<T>>(rows);
    T* r = res->getData().data();
    auto loop = [&](auto f) { applyShapes(a, ac, b, bc, rows, r, f); };
    switch (op) {
        case Op::Plus: loop([](T x, T y) { T z; if (__builtin_add_overflow(x, y, &z)) decimalMathOverflow(); return z; }); break;
        case Op::Minus: loop([](T x, T y) { T z; if (__builtin_sub_overflow(x, y, &z)) decimalMathOverflow(); return z; }); break;
        case Op::Multiply: loop([](T x, T y) { T z; if (__builtin_mul_overflow(x, y, &z)) decimalMathOverflow(); return z; }); break;
        case Op::Divide:
            loop([scale_mul](T x, T y) {
                if (y == 0) divisionByZero();
                if constexpr (sizeof(T) < 16) {
                    // 32/64-bit storage: the rescaled dividend always fits 128 bits.
                    Int128 q = Int128(x) * scale_mul / Int128(y);
                    if (q < Int128(std::numeric_limits<T>::min()) || q > Int128(std::numeric_limits<T>::max())) decimalMathOverflow();
                    return T(q);
                } else {
                    T scaled;
                    if (__builtin_mul_overflow(x, T(scale_mul), &scaled)) decimalMathOverflow();
                    return T(scaled / y);
                }
            });
            break;
        default: break;
    }
    return res;
}

// Decimal256: ClickHouse does not check overflow here (the scaled integers wrap).
ColumnPtr decimal256Kernel(Op op, const IColumn& ca, const IColumn& cb, size_t rows, uint32_t divisor_scale) {
    auto vec = [](const IColumn& c) -> const Int256* {
        const IColumn& d = c.isConst() ? static_cast<const ColumnConst&>(c).getDataColumn() : c;
        return static_cast<const ColumnVector<Int256>&>(d).getData().data();
    };
    const Int256* a = vec(ca);
    const Int256* b = vec(cb);
    bool ac = ca.isConst(), bc = cb.isConst();
    auto res = std::make_shared<ColumnVector<Int256>>(rows);
    Int256* r = res->getData().data();
    auto loop = [&](auto f) { applyShapes(a, ac, b, bc, rows, r, f); };
    Int256 scale_mul = pow10Int256(divisor_scale);
    switch (op) {
        case Op::Plus: loop([](const Int256& x, const Int256& y) { return x + y; }); break;
        case Op::Minus: loop([](const Int256& x, const Int256& y) { return x - y; }); break;
        case Op::Multiply: loop([](const Int256& x, const Int256& y) { return x * y; }); break;
        case Op::Divide:
            loop([&scale_mul](const Int256& x, const Int256& y) {
                if (y.isZero()) divisionByZero();
                return (x * scale_mul) / y;
            });
            break;
        default: break;
    }
    return res;
}

FunctionPtr buildDecimalBinary(Op op, const char* name, const DataTypePtr& ta, const DataTypePtr& tb, const FunctionContext& ctx) {
    if (op != Op::Plus && op != Op::Minus && op != Op::Multiply && op != Op::Divide)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("Illegal types ") + ta->name() + " and " + tb->name() +
                        " of arguments of function " + name);
    bool da = ta->isDecimal(), db = tb->isDecimal();
    uint32_t sa = da ? ta->scale : 0, sb = db ? tb->scale : 0;
    // An integer operand borrows the decimal's scale except in multiplication.
    if (op != Op::Multiply) {
        if (!da) sa = sb;
        if (!db) sb = sa;
    }
    DataTypePtr result;
    TypeId storage;
    uint32_t rscale;
    switch (op) {
        case Op::Plus: case Op::Minus: rscale = std::max(sa, sb); break;
        case Op::Multiply: rscale = sa + sb; break;
        default:
            if (sa < sb) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Decimal result's scale is less than argument's one");
            rscale = sa;
    }
    if (da && db) {
        storage = typeSize(ta->id) >= typeSize(tb->id) ? ta->id : tb->id;
        uint32_t p = decimalMaxPrecision(storage);
        if (rscale > p) throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Scale " + std::to_string(rscale) + " is out of bounds (max scale: " + std::to_string(p) + ")");
        result = makeDecimal(p, rscale);
    } else {
        const DataTypePtr& d = da ? ta : tb;
        storage = d->id;
        result = makeDecimal(d->precision, rscale);
    }
    uint32_t maxp = decimalMaxPrecision(storage);
    // Operands in the computation storage: same scale for +/-, own scales for * and /.
    DataTypePtr ca = makeDecimal(maxp, op == Op::Plus || op == Op::Minus ? rscale : sa);
    DataTypePtr cb = makeDecimal(maxp, op == Op::Plus || op == Op::Minus ? rscale : sb);
    Int128 scale_mul = storage == TypeId::Decimal256 ? 0 : pow10Wide(sb);
    return makeFunction(name, result, [op, ta, tb, ca, cb, storage, scale_mul, sb, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = castColumn(a[0].column, ta, ca, ctx);
        ColumnPtr y = castColumn(a[1].column, tb, cb, ctx);
        switch (storage) {
            case TypeId::Decimal32: return decimalKernel<int32_t>(op, *x, *y, rows, scale_mul);
            case TypeId::Decimal64: return decimalKernel<int64_t>(op, *x, *y, rows, scale_mul);
            case TypeId::Decimal256: return decimal256Kernel(op, *x, *y, rows, sb);
            default: return decimalKernel<Int128>(op, *x, *y, rows, scale_mul);
        }
    });
}

FunctionPtr buildBinary(Op op, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    const char* name = opName(op);
    checkArgumentCount(name, args, 2, 2);
    DataTypePtr ta = args[0].type, tb = args[1].type;
    // Date/DateTime arithmetic: date + n, date - n, date - date, date +/- interval.
    bool a_date = ta->isDateOrDateTime(), b_date = tb->isDateOrDateTime();
    if ((op == Op::Plus || op == Op::Minus) && (a_date || b_date || ta->id == TypeId::Interval || tb->id == TypeId::Interval)) {
        auto& ff = FunctionFactory::instance();
        if (op == Op::Minus && a_date && b_date) {
            // Date - Date -> Int32 days (ClickHouse), DateTime - DateTime -> Int64 seconds... delegate to dateDiff-like.
            TypeId rid = (ta->id == TypeId::Date || ta->id == TypeId::Date32) ? TypeId::Int32 : TypeId::Int64;
            if (ta->id == TypeId::DateTime64 || tb->id == TypeId::DateTime64)
                throwIllegalType(name, tb, 1);
            DataTypePtr rt = makeType(rid);
            return makeFunction(name, rt, [ta, tb, rt, ctx](const ColumnsWithTypeAndName& a, size_t rows) {
                auto x = castColumn(a[0].column, ta, makeType(TypeId::Int64), ctx);
                auto y = castColumn(a[1].column, tb, makeType(TypeId::Int64), ctx);
                auto d = binaryKernel<int64_t>(Op::Minus, *x, *y, rows);
                return castColumn(d, makeType(TypeId::Int64), rt, ctx);
            });
        }
        const ColumnWithTypeAndName* date = a_date ? &args[0] : &args[1];
        const ColumnWithTypeAndName* other = a_date ? &args[1] : &args[0];
        if (op == Op::Minus && !a_date) throwIllegalType(name, ta, 0);
        std::string unit;
        if (other->type->id == TypeId::Interval) unit = std::string(intervalKindName(other->type->interval_kind)) + "s";
        else if (other->type->isInteger()) unit = (date->type->id == TypeId::Date || date->type->id == TypeId::Date32) ? "Days" : "Seconds";
        else if (!date) throwIllegalType(name, ta, 0);
        else throwIllegalType(name, other->type, a_date ? 1 : 0);
        if (!a_date && !b_date) throwIllegalType(name, ta, 0);
        std::string fname = std::string(op == Op::Plus ? "add" : "subtract") + unit;
        ColumnWithTypeAndName n = *other;
        if (n.type->id == TypeId::Interval) n.type = makeType(TypeId::Int64);
        bool swapped = !a_date;
        auto inner = ff.build(fname, {*date, n}, ctx);
        return makeFunction(name, inner->result_type, [inner, swapped](const ColumnsWithTypeAndName& a, size_t rows) {
            ColumnsWithTypeAndName x = swapped ? ColumnsWithTypeAndName{a[1], a[0]} : a;
            if (x[1].type->id == TypeId::Interval) x[1].type = makeType(TypeId::Int64);
            return inner->execute(x, rows);
        });
    }
    bool bit = op == Op::BitAnd || op == Op::BitOr || op == Op::BitXor || op == Op::ShiftLeft || op == Op::ShiftRight;
    // Decimals: exact scaled arithmetic with an integer or decimal; with a float, Float64 math.
    TypeId ia = ta->id, ib = tb->id;
    if ((ta->isDecimal() || tb->isDecimal()) && !bit) {
        auto exact = [](const DataTypePtr& t) { return t->isDecimal() || t->isInteger() || t->id == TypeId::Bool; };
        if (exact(ta) && exact(tb)) return buildDecimalBinary(op, name, ta, tb, ctx);
        if (ta->isDecimal() && tb->isFloat()) ia = TypeId::Float64;
        if (tb->isDecimal() && ta->isFloat()) ib = TypeId::Float64;
    }
    if (ia == ta->id && !isArithmeticType(ta)) throwIllegalType(name, ta, 0);
    if (ib == tb->id && !isArithmeticType(tb)) throwIllegalType(name, tb, 1);
    if (bit && (ta->isFloat() || tb->isFloat())) throwIllegalType(name, ta->isFloat() ? ta : tb, ta->isFloat() ? 0 : 1);
    // ClickHouse has no Float x (U)Int128/256 arithmetic.
    if ((isFloat(ia) && typeSize(ib) >= 16) || (isFloat(ib) && typeSize(ia) >= 16))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("Illegal types ") + ta->name() + " and " + tb->name() +
                        " of arguments of function " + name);
    TypeId rid = resultType(op, ia, ib);
    TypeId cid = computeType(op, ia, ib, rid);
    DataTypePtr rtype = makeType(rid), ctype = makeType(cid);
    // Division by a constant zero is reported at analysis time like ClickHouse.
    return makeFunction(name, rtype, [op, ta, tb, rtype, ctype, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = castColumn(a[0].column, ta, ctype, ctx);
        ColumnPtr y = castColumn(a[1].column, tb, ctype, ctx);
        if ((op == Op::Modulo || op == Op::ModuloOrZero) && ctype->id == TypeId::UInt64 && y->isConst() && !x->isConst()) {
            uint64_t d = static_cast<const ColumnUInt64&>(static_cast<const ColumnConst&>(*y).getDataColumn()).getData()[0];
            const uint64_t* xa = static_cast<const ColumnUInt64&>(*x).getData().data();
            ColumnPtr r;
            if (d == 0) {
                if (op == Op::Modulo) divisionByZero();
            } else if (dispatchNumber(rtype->id, [&](auto tag) {
                           using R = typename decltype(tag)::type;
                           if constexpr (std::is_integral_v<R>) r = moduloByConstant<R>(xa, rows, d);
                       }) && r) {
                return r;
            }
        }
        ColumnPtr r;
        if (ctype->id == TypeId::Int256) r = wideKernel<Int256>(op, *x, *y, rows);
        else if (ctype->id == TypeId::UInt256) r = wideKernel<UInt256>(op, *x, *y, rows);
        else dispatchArith(ctype->id, [&](auto tag) { r = binaryKernel<typename decltype(tag)::type>(op, *x, *y, rows); });
        if ((op == Op::IntDiv || op == Op::IntDivOrZero) && ctype->id == TypeId::Int64 && rtype->valueSize() < 8 &&
            ta->isSignedInteger() && tb->isSignedInteger()) {
            // Narrow signed MIN / -1 computed in Int64 does not overflow there; it does in the result
            // type, where ClickHouse raises ILLEGAL_DIVISION (intDivOrZero gives 0).
            int64_t lo = -(int64_t(1) << (rtype->valueSize() * 8 - 1));
            auto rm = std::const_pointer_cast<IColumn>(materialize(r));
            auto& v = static_cast<ColumnInt64&>(*rm).getData();
            for (size_t i = 0; i < v.size(); ++i)
                if (v[i] == -lo) { if (op == Op::IntDiv) divisionOfMinByMinusOne(); v[i] = 0; }
            r = rm;
        }
        if (!ctype->equals(*rtype)) r = castColumn(r, ctype, rtype, ctx);
        return r;
    });
}

// negate/abs of a Decimal keep its type; they work on the scaled integers (wrapping like ClickHouse).
FunctionPtr decimalUnary(const char* name, const DataTypePtr& t, bool negate) {
    return makeFunction(name, t, [t, negate](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = materialize(a[0].column);
        ColumnPtr r;
        if (t->id == TypeId::Decimal256) {
            auto& src = static_cast<const ColumnVector<Int256>&>(*x).getData();
            auto res = std::make_shared<ColumnVector<Int256>>(rows);
            for (size_t i = 0; i < rows; ++i) res->getData()[i] = (negate || src[i].isNegative()) ? -src[i] : src[i];
            return ColumnPtr(res);
        }
        auto run = [&](auto tag) {
            using T = typename decltype(tag)::type;
            using U = std::make_unsigned_t<T>;
            auto& src = static_cast<const ColumnVector<T>&>(*x).getData();
            auto res = std::make_shared<ColumnVector<T>>(rows);
            for (size_t i = 0; i < rows; ++i) {
                T v = src[i];
                res->getData()[i] = (negate || v < 0) ? T(U(0) - U(v)) : v;
            }
            r = res;
        };
        if (t->id == TypeId::Decimal32) run(TypeTag<int32_t>{});
        else if (t->id == TypeId::Decimal64) run(TypeTag<int64_t>{});
        else run(TypeTag<Int128>{});
        return r;
    });
}

FunctionPtr buildNegate(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("negate", args, 1, 1);
    DataTypePtr t = args[0].type;
    if (t->id == TypeId::Interval) {
        return makeFunction("negate", t, [](const ColumnsWithTypeAndName& a, size_t rows) {
            auto x = materialize(a[0].column);
            auto& src = static_cast<const ColumnInt64&>(*x).getData();
            auto r = ColumnInt64::create(rows);
            for (size_t i = 0; i < rows; ++i) r->getData()[i] = int64_t(0 - uint64_t(src[i]));
            return ColumnPtr(r);
        });
    }
    if (t->isDecimal()) return decimalUnary("negate", t, true);
    if (!isArithmeticType(t)) throwIllegalType("negate", t, 0);
    TypeId rid = t->isFloat() ? TypeId::Float64 : (t->isSignedInteger() ? t->id : intType(true, nextSize(typeSize(t->id == TypeId::Bool ? TypeId::UInt8 : t->id))));
    if (t->id == TypeId::Float32) rid = TypeId::Float32;
    if (t->id == TypeId::UInt64) rid = TypeId::Int64;
    DataTypePtr rt = makeType(rid);
    return makeFunction("negate", rt, [t, rt, ctx](const ColumnsWithTypeAndName& a, size_t rows) {
        ColumnPtr x = materialize(castColumn(a[0].column, t, rt, ctx));
        ColumnPtr r;
        if (rt->id == TypeId::Int256) {
            auto& src = static_cast<const ColumnVector<Int256>&>(*x).getData();
            auto res = std::make_shared<ColumnVector<Int256>>(rows);
            for (size_t i = 0; i < rows; ++i) res->getData()[i] = -src[i];
            return ColumnPtr(res);
        }
        dispatchArith(rt->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            auto& src = static_cast<const ColumnVector<T>&>(*x).getData();
            auto res = std::make_shared<ColumnVector<T>>(rows);
            for (size_t i = 0; i < rows; ++i) {
                if constexpr (std::is_integral_v<T>) res->getData()[i] = T(0 - std::make_unsigned_t<T>(src[i]));
                else res->getData()[i] = -src[i];
            }
            r = res;
        });
        return r;
    });
}

FunctionPtr buildAbs(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("abs", args, 1, 1);
    DataTypePtr t = args[0].type;
    if (t->isDecimal()) return decimalUnary("abs", t, false);
    if (!isArithmeticType(t)) throwIllegalType("abs", t, 0);
    DataTypePtr rt = t->isSignedInteger() ? makeType(intType(false, typeSize(t->id))) : t;
    return makeFunction("abs", rt, [t, rt](const ColumnsWithTypeAndName& a, size_t rows) {
        ColumnPtr x = materialize(a[0].column);
        ColumnPtr r;
        if (t->id == TypeId::UInt256) return x;
        if (t->id == TypeId::Int256) {
            auto& src = static_cast<const ColumnVector<Int256>&>(*x).getData();
            auto res = std::make_shared<ColumnVector<UInt256>>(rows);
            for (size_t i = 0; i < rows; ++i) res->getData()[i] = magnitude(src[i]);
            return ColumnPtr(res);
        }
        dispatchArith(t->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            auto& src = static_cast<const ColumnVector<T>&>(*x).getData();
            if constexpr (std::is_floating_point_v<T>) {
                auto res = std::make_shared<ColumnVector<T>>(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = std::fabs(src[i]);
                r = res;
            } else {
                using U = std::make_unsigned_t<T>;
                auto res = std::make_shared<ColumnVector<U>>(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = src[i] < 0 ? U(0 - U(src[i])) : U(src[i]);
                r = res;
            }
        });
        return r;
    });
}

FunctionPtr buildBitNot(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("bitNot", args, 1, 1);
    DataTypePtr t = args[0].type;
    if (!t->isInteger()) throwIllegalType("bitNot", t, 0);
    return makeFunction("bitNot", t, [t](const ColumnsWithTypeAndName& a, size_t rows) {
        ColumnPtr x = materialize(a[0].column);
        ColumnPtr r;
        auto wide = [&](auto tag) {
            using T = typename decltype(tag)::type;
            auto& src = static_cast<const ColumnVector<T>&>(*x).getData();
            auto res = std::make_shared<ColumnVector<T>>(rows);
            for (size_t i = 0; i < rows; ++i) res->getData()[i] = ~src[i];
            r = res;
        };
        if (t->id == TypeId::Int256) { wide(TypeTag<Int256>{}); return r; }
        if (t->id == TypeId::UInt256) { wide(TypeTag<UInt256>{}); return r; }
        dispatchArith(t->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            if constexpr (std::is_integral_v<T>) {
                auto& src = static_cast<const ColumnVector<T>&>(*x).getData();
                auto res = std::make_shared<ColumnVector<T>>(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = T(~src[i]);
                r = res;
            }
        });
        return r;
    });
}

}  // namespace

void registerArithmeticFunctions(FunctionFactory& f) {
    auto reg = [&](const char* name, Op op) {
        f.registerFunction(name, [op](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildBinary(op, a, c); });
    };
    reg("plus", Op::Plus);
    reg("minus", Op::Minus);
    reg("multiply", Op::Multiply);
    reg("divide", Op::Divide);
    reg("intDiv", Op::IntDiv);
    reg("intDivOrZero", Op::IntDivOrZero);
    reg("modulo", Op::Modulo);
    reg("moduloOrZero", Op::ModuloOrZero);
    reg("bitAnd", Op::BitAnd);
    reg("bitOr", Op::BitOr);
    reg("bitXor", Op::BitXor);
    reg("bitShiftLeft", Op::ShiftLeft);
    reg("bitShiftRight", Op::ShiftRight);
    f.registerAlias("mod", "modulo", true);
    f.registerFunction("negate", buildNegate);
    f.registerFunction("abs", buildAbs, {.case_insensitive = true});
    f.registerFunction("bitNot", buildBitNot);
}

}  // namespace basalt
