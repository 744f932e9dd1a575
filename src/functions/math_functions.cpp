// math_functions.cpp — owns the mathematical scalar functions: the libm family (sqrt, exp, log*,
// trigonometric, hyperbolic, erf, gamma), pow/atan2/hypot, constants pi()/e(), sign, gcd/lcm,
// intExp2/intExp10, the rounding family (round, roundBankers, floor, ceil, trunc with an optional
// precision) and the random generators rand/rand64/randCanonical.
// Float kernels convert the argument to Float64 once per block and run a plain loop the compiler
// can vectorize; rounding keeps the argument type as ClickHouse does.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "common/exception.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

bool isNumeric(const DataTypePtr& t) { return t->isNumber() || t->id == TypeId::Bool; }

ColumnPtr toFloat64(const ColumnWithTypeAndName& a, const FunctionContext& ctx) {
    return materialize(castColumn(a.column, a.type, makeType(TypeId::Float64), ctx));
}

// ---- f(x) -> Float64 ----
template <double (*F)(double)>
void registerUnary(FunctionFactory& f, const char* name, bool ci = false) {
    std::string n = name;
    f.registerFunction(n, [n](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount(n, a, 1, 1);
        if (!isNumeric(a[0].type) && !a[0].type->isDecimal()) throwIllegalType(n, a[0].type, 0);
        return makeFunction(n, makeType(TypeId::Float64), [ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            ColumnPtr c = toFloat64(x[0], ctx);
            const double* in = static_cast<const ColumnFloat64&>(*c).getData().data();
            auto res = ColumnFloat64::create(rows);
            double* out = res->getData().data();
            for (size_t i = 0; i < rows; ++i) out[i] = F(in[i]);
            return res;
        });
    }, {.case_insensitive = ci});
}

template <double (*F)(double, double)>
void registerBinary(FunctionFactory& f, const char* name, bool ci = false) {
    std::string n = name;
    f.registerFunction(n, [n](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount(n, a, 2, 2);
        for (size_t i = 0; i < 2; ++i)
            if (!isNumeric(a[i].type) && !a[i].type->isDecimal()) throwIllegalType(n, a[i].type, i);
        return makeFunction(n, makeType(TypeId::Float64), [ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            auto res = ColumnFloat64::create(rows);
            double* out = res->getData().data();
            // A constant operand stays a scalar so the loop has one stream.
            auto scalar = [&](const ColumnWithTypeAndName& c) {
                return static_cast<const ColumnFloat64&>(*toFloat64({static_cast<const ColumnConst&>(*c.column).getDataColumnPtr(), c.type, ""}, ctx)).getData()[0];
            };
            if (x[1].column->isConst()) {
                double b = scalar(x[1]);
                ColumnPtr ca = toFloat64(x[0], ctx);
                const double* pa = static_cast<const ColumnFloat64&>(*ca).getData().data();
                for (size_t i = 0; i < rows; ++i) out[i] = F(pa[i], b);
            } else if (x[0].column->isConst()) {
                double a0 = scalar(x[0]);
                ColumnPtr cb = toFloat64(x[1], ctx);
                const double* pb = static_cast<const ColumnFloat64&>(*cb).getData().data();
                for (size_t i = 0; i < rows; ++i) out[i] = F(a0, pb[i]);
            } else {
                ColumnPtr ca = toFloat64(x[0], ctx), cb = toFloat64(x[1], ctx);
                const double* pa = static_cast<const ColumnFloat64&>(*ca).getData().data();
                const double* pb = static_cast<const ColumnFloat64&>(*cb).getData().data();
                for (size_t i = 0; i < rows; ++i) out[i] = F(pa[i], pb[i]);
            }
            return res;
        });
    }, {.case_insensitive = ci});
}

double fSqrt(double x) { return std::sqrt(x); }
double fCbrt(double x) { return std::cbrt(x); }
double fExp(double x) { return std::exp(x); }
double fExp2(double x) { return std::exp2(x); }
double fExp10(double x) { return std::pow(10.0, x); }
double fLog(double x) { return std::log(x); }
double fLog2(double x) { return std::log2(x); }
double fLog10(double x) { return std::log10(x); }
double fLog1p(double x) { return std::log1p(x); }
double fSin(double x) { return std::sin(x); }
double fCos(double x) { return std::cos(x); }
double fTan(double x) { return std::tan(x); }
double fAsin(double x) { return std::asin(x); }
double fAcos(double x) { return std::acos(x); }
double fAtan(double x) { return std::atan(x); }
double fSinh(double x) { return std::sinh(x); }
double fCosh(double x) { return std::cosh(x); }
double fTanh(double x) { return std::tanh(x); }
double fAsinh(double x) { return std::asinh(x); }
double fAcosh(double x) { return std::acosh(x); }
double fAtanh(double x) { return std::atanh(x); }
double fErf(double x) { return std::erf(x); }
double fErfc(double x) { return std::erfc(x); }
double fLgamma(double x) { return std::lgamma(x); }
double fTgamma(double x) { return std::tgamma(x); }
double fDegrees(double x) { return x * (180.0 / M_PI); }
double fRadians(double x) { return x * (M_PI / 180.0); }
double fSigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double fPow(double a, double b) { return std::pow(a, b); }
double fAtan2(double a, double b) { return std::atan2(a, b); }
double fHypot(double a, double b) { return std::hypot(a, b); }

// ---- rounding ----
enum class RoundMode { Round, Bankers, Floor, Ceil, Trunc };

template <typename T>
T roundFloat(T x, RoundMode m, int64_t scale) {
    // Beyond the precision of the type, rounding is the identity (and must not overflow 10^scale).
    if (scale > 300 || scale < -300) return scale > 0 ? x : (m == RoundMode::Trunc || m == RoundMode::Round || m == RoundMode::Bankers ? T(0) * x : x);
    auto op = [m](T v) -> T {
        switch (m) {
            case RoundMode::Round: case RoundMode::Bankers: return std::nearbyint(v);
            case RoundMode::Floor: return std::floor(v);
            case RoundMode::Ceil: return std::ceil(v);
            case RoundMode::Trunc: return std::trunc(v);
        }
        return v;
    };
    if (scale == 0) return op(x);
    if (scale > 0) {
        T p = T(std::pow(10.0, double(scale)));
        if (!std::isfinite(double(p))) return x;
        T y = x * p;
        if (!std::isfinite(double(y))) return x;
        return op(y) / p;
    }
    T p = T(std::pow(10.0, double(-scale)));
    return op(x / p) * p;
}

template <typename T>
T roundInt(T x, RoundMode m, int64_t scale) {
    if (scale >= 0) return x;
    // 10^-scale beyond the type's range: everything rounds to zero.
    constexpr int kMaxDigits = std::numeric_limits<T>::digits10 + 1;
    if (-scale > kMaxDigits) return T(0);
    using W = std::conditional_t<std::is_signed_v<T>, __int128, unsigned __int128>;
    W p = 1;
    for (int64_t i = 0; i < -scale; ++i) p *= 10;
    W v = W(x);
    W q = v / p, r = v % p;   // truncation toward zero
    W res = q * p;
    bool neg = v < 0;
    W ar = r < 0 ? -r : r;
    switch (m) {
        case RoundMode::Trunc: break;
        case RoundMode::Floor: if (neg && r != 0) res -= p; break;
        case RoundMode::Ceil: if (!neg && r != 0) res += p; break;
        case RoundMode::Round: if (ar * 2 >= p) res += neg ? -p : p; break;
        case RoundMode::Bankers: {
            W aq = q < 0 ? -q : q;
            if (ar * 2 > p || (ar * 2 == p && (aq % 2) == 1)) res += neg ? -p : p;
            break;
        }
    }
    return T(res);
}

const char* roundName(RoundMode m) {
    switch (m) {
        case RoundMode::Round: return "round";
        case RoundMode::Bankers: return "roundBankers";
        case RoundMode::Floor: return "floor";
        case RoundMode::Ceil: return "ceil";
        case RoundMode::Trunc: return "trunc";
    }
    return "";
}

FunctionPtr buildRound(RoundMode m, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string n = roundName(m);
    checkArgumentCount(n, args, 1, 2);
    DataTypePtr t = args[0].type;
    bool decimal = t->id == TypeId::Decimal32 || t->id == TypeId::Decimal64;
    if (!isNumeric(t) && !decimal) throwIllegalType(n, t, 0);
    if (args.size() == 2 && !args[1].type->isInteger()) throwIllegalType(n, args[1].type, 1);
    DataTypePtr rt = t->id == TypeId::Bool ? makeType(TypeId::UInt8) : t;
    return makeFunction(n, rt, [m, t, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = materialize(a[0].column);
        ColumnPtr sc;
        bool const_scale = true;
        int64_t scale0 = 0;
        if (a.size() == 2) {
            if (a[1].column->isConst()) {
                Field f = a[1].column->get(0);
                scale0 = f.is<int64_t>() ? f.get<int64_t>() : int64_t(f.get<uint64_t>());
            } else {
                const_scale = false;
                sc = materialize(castColumn(a[1].column, a[1].type, makeType(TypeId::Int64), ctx));
            }
        }
        const int64_t* scales = const_scale ? nullptr : static_cast<const ColumnInt64&>(*sc).getData().data();
        ColumnPtr r;
        auto run = [&](auto tag, auto kernel) {
            using T = typename decltype(tag)::type;
            auto& in = static_cast<const ColumnVector<T>&>(*x).getData();
            auto res = std::make_shared<ColumnVector<T>>(rows);
            T* out = res->getData().data();
            if (const_scale) for (size_t i = 0; i < rows; ++i) out[i] = kernel(in[i], scale0);
            else for (size_t i = 0; i < rows; ++i) out[i] = kernel(in[i], scales[i]);
            r = res;
        };
        if (t->id == TypeId::Decimal32 || t->id == TypeId::Decimal64) {
            // Decimals round their scaled integer at 10^(type scale - precision).
            int64_t ts = t->scale;
            auto k = [m, ts](auto v, int64_t s) { return s >= ts ? v : roundInt(v, m, s - ts); };
            if (t->id == TypeId::Decimal32) run(TypeTag<int32_t>{}, k);
            else run(TypeTag<int64_t>{}, k);
            return r;
        }
        if (t->isInteger() && t->valueSize() > 8) {
            // 128/256-bit integers: rounding to >= 0 digits keeps the value.
            bool keep = const_scale ? scale0 >= 0 : std::all_of(scales, scales + rows, [](int64_t v) { return v >= 0; });
            if (!keep) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Rounding " + t->name() + " to a negative number of digits is not supported");
            return x;
        }
        dispatchNumber(t->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            if constexpr (std::is_floating_point_v<T>) run(tag, [m](T v, int64_t s) { return roundFloat<T>(v, m, s); });
            else run(tag, [m](T v, int64_t s) { return roundInt<T>(v, m, s); });
        });
        return r;
    });
}

// Result type of gcd/lcm: ClickHouse's addition/multiplication promotion.
TypeId promotedIntType(TypeId a, TypeId b) {
    auto size = [](TypeId id) { return int(makeType(id)->valueSize()); };
    auto sgn = [](TypeId id) { return makeType(id)->isSignedInteger(); };
    if (a == TypeId::Bool) a = TypeId::UInt8;
    if (b == TypeId::Bool) b = TypeId::UInt8;
    bool s = sgn(a) || sgn(b);
    int sz = std::max(size(a), size(b));
    sz = sz < 8 ? sz * 2 : 8;
    switch (sz) {
        case 2: return s ? TypeId::Int16 : TypeId::UInt16;
        case 4: return s ? TypeId::Int32 : TypeId::UInt32;
        default: return s ? TypeId::Int64 : TypeId::UInt64;
    }
}

FunctionPtr buildGcdLcm(bool lcm, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string n = lcm ? "lcm" : "gcd";
    checkArgumentCount(n, args, 2, 2);
    for (size_t i = 0; i < 2; ++i)
        if (!(args[i].type->isInteger() || args[i].type->id == TypeId::Bool) || args[i].type->valueSize() > 8) throwIllegalType(n, args[i].type, i);
    TypeId rid = promotedIntType(args[0].type->id, args[1].type->id);
    DataTypePtr rt = makeType(rid);
    return makeFunction(n, rt, [lcm, rt, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = materialize(castColumn(a[0].column, a[0].type, rt, ctx));
        ColumnPtr y = materialize(castColumn(a[1].column, a[1].type, rt, ctx));
        ColumnPtr r;
        dispatchNumber(rt->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            if constexpr (std::is_integral_v<T>) {
                auto& xa = static_cast<const ColumnVector<T>&>(*x).getData();
                auto& ya = static_cast<const ColumnVector<T>&>(*y).getData();
                auto res = std::make_shared<ColumnVector<T>>(rows);
                for (size_t i = 0; i < rows; ++i) {
                    T p = xa[i], q = ya[i];
                    // ClickHouse checks divisibility like intDiv: a zero operand is a division by zero.
                    if (p == 0 || q == 0) throw Exception(ErrorCodes::ILLEGAL_DIVISION, "Division by zero");
                    if constexpr (std::is_signed_v<T>)
                        if ((p == std::numeric_limits<T>::min() && q == -1) || (q == std::numeric_limits<T>::min() && p == -1))
                            throw Exception(ErrorCodes::ILLEGAL_DIVISION, "Division of minimal signed number by minus one");
                    using U = std::make_unsigned_t<T>;
                    U up = p < 0 ? U(0 - U(p)) : U(p), uq = q < 0 ? U(0 - U(q)) : U(q);
                    U g = std::gcd(up, uq);
                    res->getData()[i] = lcm ? T(up / g * uq) : T(g);
                }
                r = res;
            }
        });
        return r;
    });
}

FunctionPtr buildIntExp(bool ten, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string n = ten ? "intExp10" : "intExp2";
    checkArgumentCount(n, args, 1, 1);
    if (!isNumeric(args[0].type)) throwIllegalType(n, args[0].type, 0);
    return makeFunction(n, makeType(TypeId::UInt64), [ten, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = toFloat64(a[0], ctx);
        auto& v = static_cast<const ColumnFloat64&>(*x).getData();
        auto res = ColumnUInt64::create(rows);
        for (size_t i = 0; i < rows; ++i) {
            double e = v[i];
            uint64_t out;
            if (!(e >= 0)) out = 0;
            else if (ten) {
                if (e > 19) out = std::numeric_limits<uint64_t>::max();
                else { out = 1; for (int k = 0; k < int(e); ++k) out *= 10; }
            } else {
                out = e > 63 ? std::numeric_limits<uint64_t>::max() : (uint64_t(1) << int(e));
            }
            res->getData()[i] = out;
        }
        return res;
    });
}

// ---- random ----
// A fresh generator per block seeded from the OS: values differ per row and per call.
template <typename Out>
FunctionPtr buildRand(const std::string& n, TypeId rid) {
    auto fn = makeFunction(n, makeType(rid), [](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
        std::random_device rd;
        std::mt19937_64 gen((uint64_t(rd()) << 32) ^ rd());
        auto res = ColumnVector<Out>::create(rows);
        Out* out = res->getData().data();
        for (size_t i = 0; i < rows; ++i) {
            uint64_t v = gen();
            if constexpr (std::is_floating_point_v<Out>) out[i] = Out(v >> 11) * (1.0 / 9007199254740992.0);
            else out[i] = Out(v);
        }
        return res;
    });
    std::const_pointer_cast<IExecutableFunction>(fn)->deterministic = false;
    return fn;
}

}  // namespace

void registerMathFunctions(FunctionFactory& f) {
    registerUnary<fSqrt>(f, "sqrt", true);
    registerUnary<fCbrt>(f, "cbrt");
    registerUnary<fExp>(f, "exp", true);
    registerUnary<fExp2>(f, "exp2");
    registerUnary<fExp10>(f, "exp10");
    registerUnary<fLog>(f, "log", true);
    f.registerAlias("ln", "log", true);
    registerUnary<fLog2>(f, "log2", true);
    registerUnary<fLog10>(f, "log10", true);
    registerUnary<fLog1p>(f, "log1p");
    registerUnary<fSin>(f, "sin", true);
    registerUnary<fCos>(f, "cos", true);
    registerUnary<fTan>(f, "tan", true);
    registerUnary<fAsin>(f, "asin", true);
    registerUnary<fAcos>(f, "acos", true);
    registerUnary<fAtan>(f, "atan", true);
    registerUnary<fSinh>(f, "sinh");
    registerUnary<fCosh>(f, "cosh");
    registerUnary<fTanh>(f, "tanh");
    registerUnary<fAsinh>(f, "asinh");
    registerUnary<fAcosh>(f, "acosh");
    registerUnary<fAtanh>(f, "atanh");
    registerUnary<fErf>(f, "erf");
    registerUnary<fErfc>(f, "erfc");
    registerUnary<fLgamma>(f, "lgamma");
    registerUnary<fTgamma>(f, "tgamma");
    registerUnary<fDegrees>(f, "degrees", true);
    registerUnary<fRadians>(f, "radians", true);
    registerUnary<fSigmoid>(f, "sigmoid");
    registerBinary<fPow>(f, "pow", true);
    f.registerAlias("power", "pow", true);
    registerBinary<fAtan2>(f, "atan2", true);
    registerBinary<fHypot>(f, "hypot", true);

    for (auto [name, value] : {std::pair{"pi", M_PI}, std::pair{"e", M_E}}) {
        std::string n = name;
        double v = value;
        f.registerFunction(n, [n, v](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(n, a, 0, 0);
            return makeFunction(n, makeType(TypeId::Float64), [v](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
                auto c = ColumnFloat64::create(1);
                c->getData()[0] = v;
                return std::make_shared<ColumnConst>(c, rows);
            });
        }, {.case_insensitive = n == "pi"});
    }

    f.registerFunction("sign", [](const ColumnsWithTypeAndName& a, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("sign", a, 1, 1);
        DataTypePtr t = a[0].type;
        if (!isNumeric(t) && !t->isDecimal()) throwIllegalType("sign", t, 0);
        return makeFunction("sign", makeType(TypeId::Int8), [t, ctx](const ColumnsWithTypeAndName& x, size_t rows) -> ColumnPtr {
            ColumnPtr c = materialize(x[0].column);
            auto res = ColumnInt8::create(rows);
            int8_t* out = res->getData().data();
            bool done = dispatchNumber(t->id, [&](auto tag) {
                using T = typename decltype(tag)::type;
                auto& in = static_cast<const ColumnVector<T>&>(*c).getData();
                for (size_t i = 0; i < rows; ++i) out[i] = int8_t((in[i] > T(0)) - (in[i] < T(0)));
            });
            if (!done) {
                ColumnPtr d = toFloat64({c, t, ""}, ctx);
                auto& in = static_cast<const ColumnFloat64&>(*d).getData();
                for (size_t i = 0; i < rows; ++i) out[i] = int8_t((in[i] > 0) - (in[i] < 0));
            }
            return res;
        });
    }, {.case_insensitive = true});

    for (RoundMode m : {RoundMode::Round, RoundMode::Bankers, RoundMode::Floor, RoundMode::Ceil, RoundMode::Trunc})
        f.registerFunction(roundName(m), [m](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildRound(m, a, c); },
                           {.case_insensitive = m != RoundMode::Bankers});
    f.registerAlias("ceiling", "ceil", true);
    f.registerAlias("truncate", "trunc", true);

    f.registerFunction("gcd", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildGcdLcm(false, a, c); });
    f.registerFunction("lcm", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildGcdLcm(true, a, c); });
    f.registerFunction("intExp2", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildIntExp(false, a, c); });
    f.registerFunction("intExp10", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildIntExp(true, a, c); });

    // rand(x...) accepts and ignores arguments (they only make calls distinct).
    FunctionProperties nd{.default_nulls = false, .default_constants = false, .deterministic = false};
    f.registerFunction("rand", [](const ColumnsWithTypeAndName&, const FunctionContext&) { return buildRand<uint32_t>("rand", TypeId::UInt32); }, nd);
    f.registerAlias("rand32", "rand");
    f.registerFunction("rand64", [](const ColumnsWithTypeAndName&, const FunctionContext&) { return buildRand<uint64_t>("rand64", TypeId::UInt64); }, nd);
    f.registerFunction("randCanonical", [](const ColumnsWithTypeAndName&, const FunctionContext&) { return buildRand<double>("randCanonical", TypeId::Float64); }, nd);
}

}  // namespace basalt
