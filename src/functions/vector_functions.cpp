// vector_functions.cpp — owns the embedding distance and norm functions: L1Distance, L2Distance,
// L2SquaredDistance, LinfDistance, LpDistance, cosineDistance, dotProduct (arrays and tuples) and
// L1Norm, L2Norm, L2SquaredNorm, LinfNorm, LpNorm, L2Normalize, L1Normalize.
// Embeddings are Array(Float32) columns compared against a constant query vector, so the kernels
// (a) never materialize a constant array per row, (b) convert the element column to the compute type
// once per block, and (c) reduce with several independent accumulators so the compiler can keep
// the loop in SIMD registers without -ffast-math. Float32 inputs compute and return Float32, as
// ClickHouse does.
#include <cmath>

#include "common/exception.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

enum class Dist { L1, L2, L2Squared, Linf, Lp, Cosine, Dot };
enum class Norm { L1, L2, L2Squared, Linf, Lp };

const char* distName(Dist d) {
    switch (d) {
        case Dist::L1: return "L1Distance";
        case Dist::L2: return "L2Distance";
        case Dist::L2Squared: return "L2SquaredDistance";
        case Dist::Linf: return "LinfDistance";
        case Dist::Lp: return "LpDistance";
        case Dist::Cosine: return "cosineDistance";
        case Dist::Dot: return "dotProduct";
    }
    return "";
}
const char* normName(Norm n) {
    switch (n) {
        case Norm::L1: return "L1Norm";
        case Norm::L2: return "L2Norm";
        case Norm::L2Squared: return "L2SquaredNorm";
        case Norm::Linf: return "LinfNorm";
        case Norm::Lp: return "LpNorm";
    }
    return "";
}

// The array view of an argument: a ColumnArray (a constant contributes its one row for every row).
struct ArrayView {
    const ColumnArray* arr;
    bool is_const;
    ColumnPtr holder;
    ColumnPtr data;   // nested data converted to the compute type
    size_t offset(size_t i) const { return is_const ? 0 : arr->offsetAt(i); }
    size_t size(size_t i) const { return is_const ? arr->sizeAt(0) : arr->sizeAt(i); }
};

ArrayView viewOf(const ColumnWithTypeAndName& a, const DataTypePtr& compute, const FunctionContext& ctx) {
    ArrayView v;
    v.is_const = a.column->isConst();
    v.holder = v.is_const ? static_cast<const ColumnConst&>(*a.column).getDataColumnPtr() : a.column;
    v.arr = &static_cast<const ColumnArray&>(*v.holder);
    v.data = materialize(castColumn(v.arr->getDataPtr(), a.type->nested[0], compute, ctx));
    return v;
}

bool isNumericElem(const DataTypePtr& t) { return t->isNumber() || t->id == TypeId::Bool; }

// Element type of an array/tuple argument for the error messages and type rules.
DataTypePtr checkVectorArg(const std::string& fn, const ColumnWithTypeAndName& a, size_t idx) {
    const DataTypePtr& t = a.type;
    if (t->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(idx) + " of function array" + fn + " must be array");
    DataTypePtr e = t->nested[0];
    if (!isNumericElem(e))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Arguments of function array" + fn + " has nested type " + e->name() +
                                                                  ". Supported types: UInt8, UInt16, UInt32, UInt64, Int8, Int16, Int32, Int64, BFloat16, Float32, Float64");
    return e;
}

// Result/compute type: Float32 when every input is Float32, else Float64; dotProduct of integers
// keeps integers one size wider than their common type (wrapping like multiplication does).
DataTypePtr computeType(Dist d, const DataTypePtr& a, const DataTypePtr& b) {
    bool both32 = a->id == TypeId::Float32 && b->id == TypeId::Float32;
    if (both32) return makeType(TypeId::Float32);
    if (d != Dist::Dot || a->isFloat() || b->isFloat()) return makeType(TypeId::Float64);
    DataTypePtr s = getLeastSupertype({a->id == TypeId::Bool ? makeType(TypeId::UInt8) : a, b->id == TypeId::Bool ? makeType(TypeId::UInt8) : b});
    bool sg = s->isSignedInteger();
    switch (s->valueSize()) {
        case 1: return makeType(sg ? TypeId::Int16 : TypeId::UInt16);
        case 2: return makeType(sg ? TypeId::Int32 : TypeId::UInt32);
        default: return makeType(sg ? TypeId::Int64 : TypeId::UInt64);
    }
}

// Reductions over n elements with 4 independent accumulators (vectorizable without reassociation).
template <Dist D, typename T>
inline T reduce(const T* x, const T* y, size_t n, T p) {
    T acc[4] = {0, 0, 0, 0};
    T dot[4] = {0, 0, 0, 0}, nx[4] = {0, 0, 0, 0}, ny[4] = {0, 0, 0, 0};
    size_t i = 0;
    auto step = [&](size_t k, size_t lane) {
        if constexpr (D == Dist::Dot) acc[lane] += x[k] * y[k];
        else if constexpr (D == Dist::Cosine) { dot[lane] += x[k] * y[k]; nx[lane] += x[k] * x[k]; ny[lane] += y[k] * y[k]; }
        else {
            T d = x[k] - y[k];
            if constexpr (D == Dist::L1) acc[lane] += std::abs(d);
            else if constexpr (D == Dist::L2 || D == Dist::L2Squared) acc[lane] += d * d;
            else if constexpr (D == Dist::Linf) acc[lane] = std::max(acc[lane], T(std::abs(d)));
            else if constexpr (D == Dist::Lp) acc[lane] += T(std::pow(std::abs(d), p));
        }
    };
    for (; i + 4 <= n; i += 4) { step(i, 0); step(i + 1, 1); step(i + 2, 2); step(i + 3, 3); }
    for (; i < n; ++i) step(i, 0);
    if constexpr (D == Dist::Cosine) {
        T d = (dot[0] + dot[1]) + (dot[2] + dot[3]);
        T a = (nx[0] + nx[1]) + (nx[2] + nx[3]);
        T b = (ny[0] + ny[1]) + (ny[2] + ny[3]);
        return T(1) - d / std::sqrt(a * b);
    } else if constexpr (D == Dist::Linf) {
        return std::max(std::max(acc[0], acc[1]), std::max(acc[2], acc[3]));
    } else {
        T s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        if constexpr (D == Dist::L2) return std::sqrt(s);
        else if constexpr (D == Dist::Lp) return T(std::pow(s, T(1) / p));
        else return s;
    }
}

template <typename T>
inline T reduceDotInt(const T* x, const T* y, size_t n) {
    using U = std::make_unsigned_t<T>;
    U s = 0;
    for (size_t i = 0; i < n; ++i) s += U(x[i]) * U(y[i]);   // wraps like ClickHouse's integer product
    return T(s);
}

template <Dist D, typename T>
ColumnPtr runDistance(const std::string& fn, const ArrayView& a, const ArrayView& b, size_t rows, double p) {
    auto res = ColumnVector<T>::create(rows);
    T* out = res->getData().data();
    const T* xa = static_cast<const ColumnVector<T>&>(*a.data).getData().data();
    const T* xb = static_cast<const ColumnVector<T>&>(*b.data).getData().data();
    for (size_t i = 0; i < rows; ++i) {
        size_t n = a.size(i);
        if (n != b.size(i))
            throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Array arguments for function array" + fn + " must have equal sizes");
        if constexpr (std::is_integral_v<T>) out[i] = reduceDotInt(xa + a.offset(i), xb + b.offset(i), n);
        else out[i] = reduce<D, T>(xa + a.offset(i), xb + b.offset(i), n, T(p));
    }
    return res;
}

template <typename T>
ColumnPtr dispatchDist(Dist d, const std::string& fn, const ArrayView& a, const ArrayView& b, size_t rows, double p) {
    if constexpr (std::is_integral_v<T>) return runDistance<Dist::Dot, T>(fn, a, b, rows, p);
    else switch (d) {
        case Dist::L1: return runDistance<Dist::L1, T>(fn, a, b, rows, p);
        case Dist::L2: return runDistance<Dist::L2, T>(fn, a, b, rows, p);
        case Dist::L2Squared: return runDistance<Dist::L2Squared, T>(fn, a, b, rows, p);
        case Dist::Linf: return runDistance<Dist::Linf, T>(fn, a, b, rows, p);
        case Dist::Lp: return runDistance<Dist::Lp, T>(fn, a, b, rows, p);
        case Dist::Cosine: return runDistance<Dist::Cosine, T>(fn, a, b, rows, p);
        case Dist::Dot: return runDistance<Dist::Dot, T>(fn, a, b, rows, p);
    }
    return nullptr;
}

double constP(const ColumnsWithTypeAndName& args, size_t i, const std::string& fn) {
    if (!args[i].column || !args[i].column->isConst() || !(args[i].type->isNumber()))
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Second argument for function " + fn + " must be either constant Float64 or constant UInt");
    Field f = args[i].column->get(0);
    double p = f.is<double>() ? f.get<double>() : f.is<int64_t>() ? double(f.get<int64_t>()) : double(f.get<uint64_t>());
    if (p < 1 || !std::isfinite(p))
        throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Second argument for function " + fn + " must be not less than one and not be an infinity");
    return p;
}

// Tuples of numbers are treated as fixed-size vectors: each row becomes a Float64 array.
ColumnWithTypeAndName tupleAsArray(const ColumnWithTypeAndName& a, const FunctionContext& ctx) {
    size_t rows = a.column->size();
    ColumnPtr c = materialize(a.column);
    auto& tc = static_cast<const ColumnTuple&>(*c);
    size_t k = tc.tupleSize();
    std::vector<ColumnPtr> els;
    for (size_t j = 0; j < k; ++j)
        els.push_back(materialize(castColumn(tc.getColumnPtr(j), a.type->nested[j], makeType(TypeId::Float64), ctx)));
    auto data = ColumnFloat64::create(rows * k);
    Offsets off;
    off.reserve(rows);
    for (size_t i = 0; i < rows; ++i) {
        for (size_t j = 0; j < k; ++j) data->getData()[i * k + j] = static_cast<const ColumnFloat64&>(*els[j]).getData()[i];
        off.push_back((i + 1) * k);
    }
    DataTypePtr t = makeArray(makeType(TypeId::Float64));
    return {std::make_shared<ColumnArray>(data, std::move(off)), t, a.name};
}

void checkTuple(const std::string& fn, const DataTypePtr& t, size_t idx) {
    for (auto& e : t->nested)
        if (!isNumericElem(e)) throwIllegalType(fn, t, idx);
}

FunctionPtr buildDistance(Dist d, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = distName(d);
    checkArgumentCount(fn, args, d == Dist::Lp ? 3 : 2, d == Dist::Lp ? 3 : 2);
    double p = d == Dist::Lp ? constP(args, 2, fn) : 2.0;
    bool tuples = args[0].type->id == TypeId::Tuple && args[1].type->id == TypeId::Tuple;
    if (tuples) {
        checkTuple(fn, args[0].type, 0);
        checkTuple(fn, args[1].type, 1);
        if (args[0].type->nested.size() != args[1].type->nested.size())
            throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Tuples for function " + fn + " must have equal sizes");
        if (d == Dist::Dot) throwIllegalType(fn, args[0].type, 0);
        DataTypePtr f64 = makeType(TypeId::Float64);
        return makeFunction(fn, f64, [d, fn, p, f64, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            auto x = tupleAsArray(a[0], ctx), y = tupleAsArray(a[1], ctx);
            return dispatchDist<double>(d, fn, viewOf(x, f64, ctx), viewOf(y, f64, ctx), rows, p);
        });
    }
    std::string base = fn;
    if (d == Dist::Dot) base = "DotProduct";
    else if (d == Dist::Cosine) base = "CosineDistance";
    DataTypePtr ea = checkVectorArg(base, args[0], 0);
    DataTypePtr eb = checkVectorArg(base, args[1], 1);
    DataTypePtr ct = computeType(d, ea, eb);
    return makeFunction(fn, ct, [d, base, p, ct, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ArrayView x = viewOf(a[0], ct, ctx), y = viewOf(a[1], ct, ctx);
        ColumnPtr r;
        dispatchNumber(ct->id, [&](auto tag) { r = dispatchDist<typename decltype(tag)::type>(d, base, x, y, rows, p); });
        return r;
    });
}

template <Norm N, typename T>
inline T norm(const T* x, size_t n, T p) {
    T acc[4] = {0, 0, 0, 0};
    auto step = [&](size_t k, size_t lane) {
        if constexpr (N == Norm::L1) acc[lane] += std::abs(x[k]);
        else if constexpr (N == Norm::L2 || N == Norm::L2Squared) acc[lane] += x[k] * x[k];
        else if constexpr (N == Norm::Linf) acc[lane] = std::max(acc[lane], T(std::abs(x[k])));
        else acc[lane] += T(std::pow(std::abs(x[k]), p));
    };
    size_t i = 0;
    for (; i + 4 <= n; i += 4) { step(i, 0); step(i + 1, 1); step(i + 2, 2); step(i + 3, 3); }
    for (; i < n; ++i) step(i, 0);
    if constexpr (N == Norm::Linf) return std::max(std::max(acc[0], acc[1]), std::max(acc[2], acc[3]));
    T s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    if constexpr (N == Norm::L2) return std::sqrt(s);
    else if constexpr (N == Norm::Lp) return T(std::pow(s, T(1) / p));
    else return s;
}

template <typename T>
ColumnPtr runNorm(Norm nk, const ArrayView& a, size_t rows, double p) {
    auto res = ColumnVector<T>::create(rows);
    T* out = res->getData().data();
    const T* x = static_cast<const ColumnVector<T>&>(*a.data).getData().data();
    for (size_t i = 0; i < rows; ++i) {
        const T* v = x + a.offset(i);
        size_t n = a.size(i);
        switch (nk) {
            case Norm::L1: out[i] = norm<Norm::L1, T>(v, n, T(p)); break;
            case Norm::L2: out[i] = norm<Norm::L2, T>(v, n, T(p)); break;
            case Norm::L2Squared: out[i] = norm<Norm::L2Squared, T>(v, n, T(p)); break;
            case Norm::Linf: out[i] = norm<Norm::Linf, T>(v, n, T(p)); break;
            case Norm::Lp: out[i] = norm<Norm::Lp, T>(v, n, T(p)); break;
        }
    }
    return res;
}

FunctionPtr buildNorm(Norm nk, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = normName(nk);
    checkArgumentCount(fn, args, nk == Norm::Lp ? 2 : 1, nk == Norm::Lp ? 2 : 1);
    double p = nk == Norm::Lp ? constP(args, 1, fn) : 2.0;
    DataTypePtr t = args[0].type;
    if (t->id == TypeId::Tuple) {
        checkTuple(fn, t, 0);
        DataTypePtr f64 = makeType(TypeId::Float64);
        return makeFunction(fn, f64, [nk, p, f64, ctx](const ColumnsWithTypeAndName& a, size_t rows) {
            return runNorm<double>(nk, viewOf(tupleAsArray(a[0], ctx), f64, ctx), rows, p);
        });
    }
    DataTypePtr e = checkVectorArg(fn, args[0], 0);
    DataTypePtr ct = makeType(e->id == TypeId::Float32 ? TypeId::Float32 : TypeId::Float64);
    return makeFunction(fn, ct, [nk, p, ct, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ArrayView v = viewOf(a[0], ct, ctx);
        return ct->id == TypeId::Float32 ? runNorm<float>(nk, v, rows, p) : runNorm<double>(nk, v, rows, p);
    });
}

// L2Normalize / L1Normalize on arrays: each vector divided by its norm (zero vectors give NaN/inf).
FunctionPtr buildNormalize(bool l1, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = l1 ? "L1Normalize" : "L2Normalize";
    checkArgumentCount(fn, args, 1, 1);
    DataTypePtr e = checkVectorArg(fn, args[0], 0);
    DataTypePtr ct = makeType(e->id == TypeId::Float32 ? TypeId::Float32 : TypeId::Float64);
    return makeFunction(fn, makeArray(ct), [l1, ct, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ArrayView v = viewOf(a[0], ct, ctx);
        ColumnPtr r;
        dispatchNumber(ct->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            if constexpr (std::is_floating_point_v<T>) {
                const T* x = static_cast<const ColumnVector<T>&>(*v.data).getData().data();
                auto data = ColumnVector<T>::create();
                Offsets off;
                off.reserve(rows);
                for (size_t i = 0; i < rows; ++i) {
                    const T* p = x + v.offset(i);
                    size_t n = v.size(i);
                    T s = l1 ? norm<Norm::L1, T>(p, n, T(1)) : norm<Norm::L2, T>(p, n, T(2));
                    for (size_t k = 0; k < n; ++k) data->insertValue(p[k] / s);
                    off.push_back(data->size());
                }
                r = std::make_shared<ColumnArray>(data, std::move(off));
            }
        });
        return r;
    });
}

}  // namespace

void registerVectorFunctions(FunctionFactory& f) {
    for (Dist d : {Dist::L1, Dist::L2, Dist::L2Squared, Dist::Linf, Dist::Lp, Dist::Cosine, Dist::Dot})
        f.registerFunction(distName(d), [d](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildDistance(d, a, c); });
    f.registerAlias("distanceL1", "L1Distance");
    f.registerAlias("distanceL2", "L2Distance");
    f.registerAlias("distanceL2Squared", "L2SquaredDistance");
    f.registerAlias("distanceLinf", "LinfDistance");
    f.registerAlias("distanceLp", "LpDistance");
    f.registerAlias("scalarProduct", "dotProduct");
    f.registerAlias("arrayDotProduct", "dotProduct");
    f.registerAlias("arrayL2Distance", "L2Distance");
    f.registerAlias("arrayCosineDistance", "cosineDistance");
    for (Norm n : {Norm::L1, Norm::L2, Norm::L2Squared, Norm::Linf, Norm::Lp})
        f.registerFunction(normName(n), [n](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildNorm(n, a, c); });
    f.registerAlias("normL1", "L1Norm");
    f.registerAlias("normL2", "L2Norm");
    f.registerAlias("normL2Squared", "L2SquaredNorm");
    f.registerAlias("normLinf", "LinfNorm");
    f.registerAlias("normLp", "LpNorm");
    f.registerFunction("L2Normalize", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildNormalize(false, a, c); });
    f.registerFunction("L1Normalize", [](const ColumnsWithTypeAndName& a, const FunctionContext& c) { return buildNormalize(true, a, c); });
}

}  // namespace basalt
