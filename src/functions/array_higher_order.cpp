// array_higher_order.cpp — owns the array functions that take an optional lambda and the array
// aggregations: arrayMap, arrayFilter, arrayExists, arrayAll, arrayCount, arrayFirst[OrNull],
// arrayLast[OrNull], arrayFirstIndex, arrayLastIndex, arraySplit, arrayFill, arrayReverseFill,
// arraySort, arrayReverseSort, arraySum, arrayAvg, arrayProduct, arrayMin, arrayMax, arrayCumSum,
// arrayCumSumNonNegative, arrayDifference.
//
// Convention (function.h): with a lambda, args[0] is the lambda body already evaluated over all
// elements of the arrays, flattened, and args[1..] are the arrays with identical offsets. So every
// function here works on one flat "values" column plus the offsets of the first array; without a
// lambda the values are the first array's elements. These functions opt out of the default NULL
// wrapper because a Nullable lambda body (x -> NULL) is a per-element condition, not a NULL row.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/exception.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

bool hasLambda(const ColumnsWithTypeAndName& args) { return !args.empty() && args[0].name == "__lambda"; }

// Checks the array arguments of a (possibly lambda) call; returns the index of the first array.
size_t checkArrays(const std::string& fn, const ColumnsWithTypeAndName& args, bool lambda_required, bool lambda_allowed) {
    bool lambda = hasLambda(args);
    if (lambda && !lambda_allowed)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Function " + fn + " does not accept a lambda function");
    if (!lambda && lambda_required)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function " + fn + " needs at least 2 arguments, passed " + std::to_string(args.size()));
    size_t first = lambda ? 1 : 0;
    if (args.size() <= first) throwArgumentCount(fn, args.size(), "at least " + std::to_string(first + 1));
    for (size_t i = first; i < args.size(); ++i)
        if (args[i].type->id != TypeId::Array && !(lambda && args[i].type->id == TypeId::Map))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i + 1) + " of function " + fn +
                                                                      " must be array. Found " + args[i].type->name() + " instead.");
    return first;
}

const ColumnArray& arrayOf(const ColumnPtr& c) { return static_cast<const ColumnArray&>(*c); }

// The flat values and their type: the lambda body, else the first array's elements.
struct Flat {
    ColumnPtr values;
    DataTypePtr type;
    ColumnPtr array_holder;   // the first array (materialized)
    const ColumnArray* arr;
};

Flat flatten(const ColumnsWithTypeAndName& a) {
    Flat f;
    bool lambda = hasLambda(a);
    size_t first = lambda ? 1 : 0;
    f.array_holder = materialize(a[first].column);
    f.arr = &arrayOf(f.array_holder);
    if (lambda) { f.values = materialize(a[0].column); f.type = a[0].type; }
    else { f.values = f.arr->getDataPtr(); f.type = a[first].type->nested[0]; }
    return f;
}

// Truth of each value as a condition: non-zero and not NULL.
PODArray<uint8_t> conditionMask(const ColumnPtr& values, const DataTypePtr& type) {
    size_t n = values->size();
    PODArray<uint8_t> m(n);
    if (n) std::memset(m.data(), 0, n);
    const IColumn* c = values.get();
    DataTypePtr t = type;
    const uint8_t* nulls = nullptr;
    if (t->id == TypeId::Nullable) {
        auto& nc = static_cast<const ColumnNullable&>(*c);
        nulls = nc.getNullMap().data();
        c = &nc.getNested();
        t = t->nested[0];
    }
    if (t->id == TypeId::Nothing) return m;
    bool ok = dispatchNumber(t->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        auto& v = static_cast<const ColumnVector<T>&>(*c).getData();
        for (size_t i = 0; i < n; ++i) m[i] = v[i] != T(0);
    });
    if (!ok)
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Unexpected type " + type->name() + " of filter expression result");
    if (nulls)
        for (size_t i = 0; i < n; ++i) m[i] &= !nulls[i];
    return m;
}

FunctionProperties kHigherOrder{.default_nulls = false};

// ---- map / filter / predicates ----

void registerMapFilter(FunctionFactory& f) {
    f.registerFunction("arrayMap", [](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
        checkArrays("arrayMap", args, true, true);
        DataTypePtr rt = makeArray(args[0].type);
        return makeFunction("arrayMap", rt, [](const ColumnsWithTypeAndName& a, size_t) -> ColumnPtr {
            Flat fl = flatten(a);
            return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(fl.values), fl.arr->getOffsets());
        });
    }, kHigherOrder);

    f.registerFunction("arrayFilter", [](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
        checkArrays("arrayFilter", args, true, true);
        DataTypePtr rt = args[1].type;
        return makeFunction("arrayFilter", rt, [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            Flat fl = flatten(a);
            auto mask = conditionMask(fl.values, fl.type);
            ColumnPtr data = fl.arr->getData().filter(mask, 0);
            Offsets off(rows);
            size_t pos = 0, kept = 0;
            for (size_t i = 0; i < rows; ++i) {
                for (size_t e = fl.arr->getOffsets()[i]; pos < e; ++pos) kept += mask[pos];
                off[i] = kept;
            }
            return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), std::move(off));
        });
    }, kHigherOrder);

    // Per-row reductions of the condition mask.
    enum class Pred { Exists, All, Count, FirstIndex, LastIndex };
    for (auto [name, p] : {std::pair{"arrayExists", Pred::Exists}, std::pair{"arrayAll", Pred::All}, std::pair{"arrayCount", Pred::Count},
                           std::pair{"arrayFirstIndex", Pred::FirstIndex}, std::pair{"arrayLastIndex", Pred::LastIndex}}) {
        std::string n = name;
        Pred pr = p;
        f.registerFunction(n, [n, pr](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            bool needs_lambda = pr == Pred::FirstIndex || pr == Pred::LastIndex;
            checkArrays(n, args, needs_lambda, true);
            TypeId rid = pr == Pred::Count || pr == Pred::FirstIndex || pr == Pred::LastIndex ? TypeId::UInt32 : TypeId::UInt8;
            return makeFunction(n, makeType(rid), [pr](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                Flat fl = flatten(a);
                auto mask = conditionMask(fl.values, fl.type);
                auto& off = fl.arr->getOffsets();
                auto compute = [&](size_t i) -> uint32_t {
                    size_t b = fl.arr->offsetAt(i), e = off[i];
                    switch (pr) {
                        case Pred::Exists: for (size_t k = b; k < e; ++k) if (mask[k]) return 1; return 0;
                        case Pred::All: for (size_t k = b; k < e; ++k) if (!mask[k]) return 0; return 1;
                        case Pred::Count: { uint32_t c = 0; for (size_t k = b; k < e; ++k) c += mask[k]; return c; }
                        case Pred::FirstIndex: for (size_t k = b; k < e; ++k) if (mask[k]) return uint32_t(k - b + 1); return 0;
                        case Pred::LastIndex: for (size_t k = e; k > b; --k) if (mask[k - 1]) return uint32_t(k - b); return 0;
                    }
                    return 0;
                };
                if (pr == Pred::Exists || pr == Pred::All) {
                    auto res = ColumnUInt8::create(rows);
                    for (size_t i = 0; i < rows; ++i) res->getData()[i] = uint8_t(compute(i));
                    return res;
                }
                auto res = ColumnUInt32::create(rows);
                for (size_t i = 0; i < rows; ++i) res->getData()[i] = compute(i);
                return res;
            });
        }, kHigherOrder);
    }

    // arrayFirst / arrayLast [OrNull]: the element where the condition first/last holds.
    for (auto [name, last, or_null] : {std::tuple{"arrayFirst", false, false}, std::tuple{"arrayLast", true, false},
                                       std::tuple{"arrayFirstOrNull", false, true}, std::tuple{"arrayLastOrNull", true, true}}) {
        std::string n = name;
        bool l = last, on = or_null;
        f.registerFunction(n, [n, l, on](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            checkArrays(n, args, true, true);
            DataTypePtr et = args[1].type->nested[0];
            DataTypePtr rt = on && et->canBeInsideNullable() ? makeNullable(et) : et;
            return makeFunction(n, rt, [l, on, rt](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                ColumnPtr arr_c = materialize(a[1].column);
                auto& arr = arrayOf(arr_c);
                auto mask = conditionMask(materialize(a[0].column), a[0].type);
                auto res = createColumn(rt);
                res->reserve(rows);
                bool wrap = rt->id == TypeId::Nullable && !arr.getData().isNullable();
                for (size_t i = 0; i < rows; ++i) {
                    size_t b = arr.offsetAt(i), e = arr.getOffsets()[i];
                    size_t found = SIZE_MAX;
                    if (!l) { for (size_t k = b; k < e; ++k) if (mask[k]) { found = k; break; } }
                    else { for (size_t k = e; k > b; --k) if (mask[k - 1]) { found = k - 1; break; } }
                    if (found == SIZE_MAX) res->insertDefault();
                    else if (wrap) static_cast<ColumnNullable&>(*res).insertFromNotNullable(arr.getData(), found);
                    else res->insertFrom(arr.getData(), found);
                }
                (void)on;
                return res;
            });
        }, kHigherOrder);
    }

    // arraySplit(cond, arr): splits before every element whose condition holds (except the first).
    for (bool reverse : {false, true}) {
        std::string n = reverse ? "arrayReverseSplit" : "arraySplit";
        f.registerFunction(n, [n, reverse](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            checkArrays(n, args, true, true);
            DataTypePtr rt = makeArray(args[1].type);
            return makeFunction(n, rt, [reverse](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                ColumnPtr arr_c = materialize(a[1].column);
                auto& arr = arrayOf(arr_c);
                auto mask = conditionMask(materialize(a[0].column), a[0].type);
                Offsets inner, outer;
                for (size_t i = 0; i < rows; ++i) {
                    size_t b = arr.offsetAt(i), e = arr.getOffsets()[i];
                    for (size_t k = b; k < e; ++k) {
                        bool cut = reverse ? (mask[k] && k + 1 < e) : (mask[k] && k > b);
                        if (!reverse && cut) inner.push_back(k);
                        if (reverse && cut) inner.push_back(k + 1);
                    }
                    if (e > b) inner.push_back(e);
                    outer.push_back(inner.size());
                }
                auto mid = std::make_shared<ColumnArray>(arr.getDataPtr(), std::move(inner));
                return std::make_shared<ColumnArray>(mid, std::move(outer));
            });
        }, kHigherOrder);
    }

    // arrayFill / arrayReverseFill: elements whose condition is false take the last (next) kept value.
    for (bool reverse : {false, true}) {
        std::string n = reverse ? "arrayReverseFill" : "arrayFill";
        f.registerFunction(n, [n, reverse](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            checkArrays(n, args, true, true);
            DataTypePtr rt = args[1].type;
            return makeFunction(n, rt, [reverse](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                ColumnPtr arr_c = materialize(a[1].column);
                auto& arr = arrayOf(arr_c);
                auto mask = conditionMask(materialize(a[0].column), a[0].type);
                Permutation perm(arr.getData().size());
                for (size_t i = 0; i < rows; ++i) {
                    size_t b = arr.offsetAt(i), e = arr.getOffsets()[i];
                    if (!reverse) {
                        size_t src = b;
                        for (size_t k = b; k < e; ++k) { if (mask[k] || k == b) src = k; perm[k] = uint32_t(src); }
                    } else {
                        size_t src = e ? e - 1 : 0;
                        for (size_t k = e; k > b; --k) { if (mask[k - 1] || k == e) src = k - 1; perm[k - 1] = uint32_t(src); }
                    }
                }
                ColumnPtr data = arr.getData().permute(perm, 0);
                return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
            });
        }, kHigherOrder);
    }
}

// ---- sorting ----

void registerSort(FunctionFactory& f) {
    for (bool reverse : {false, true}) {
        std::string n = reverse ? "arrayReverseSort" : "arraySort";
        f.registerFunction(n, [n, reverse](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            size_t first = checkArrays(n, args, false, true);
            DataTypePtr rt = args[first].type;
            return makeFunction(n, rt, [reverse, first](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                ColumnPtr arr_c = materialize(a[first].column);
                auto& arr = arrayOf(arr_c);
                ColumnPtr keys = first ? materialize(a[0].column) : arr.getDataPtr();
                Permutation perm(arr.getData().size());
                for (size_t i = 0; i < perm.size(); ++i) perm[i] = uint32_t(i);
                // NULLs (and NaNs) stay last in both directions, as ClickHouse sorts them.
                for (size_t i = 0; i < rows; ++i) {
                    auto* b = perm.data() + arr.offsetAt(i);
                    auto* e = perm.data() + arr.getOffsets()[i];
                    if (!reverse) std::stable_sort(b, e, [&](uint32_t x, uint32_t y) { return keys->compareAt(x, y, *keys, 1) < 0; });
                    else std::stable_sort(b, e, [&](uint32_t x, uint32_t y) { return keys->compareAt(y, x, *keys, -1) < 0; });
                }
                ColumnPtr data = arr.getData().permute(perm, 0);
                return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
            });
        }, kHigherOrder);
    }
}

// ---- aggregations ----

enum class Agg { Sum, Avg, Product, Min, Max, CumSum, CumSumNonNegative, Difference };

const char* aggName(Agg a) {
    switch (a) {
        case Agg::Sum: return "arraySum";
        case Agg::Avg: return "arrayAvg";
        case Agg::Product: return "arrayProduct";
        case Agg::Min: return "arrayMin";
        case Agg::Max: return "arrayMax";
        case Agg::CumSum: return "arrayCumSum";
        case Agg::CumSumNonNegative: return "arrayCumSumNonNegative";
        case Agg::Difference: return "arrayDifference";
    }
    return "";
}

// Accumulator type of sums: UInt64 / Int64 / Float64, as ClickHouse widens.
TypeId sumType(const DataTypePtr& t) {
    if (t->isFloat()) return TypeId::Float64;
    if (t->isSignedInteger()) return TypeId::Int64;
    return TypeId::UInt64;
}

// arrayDifference keeps differences in the signed type one size up (UInt8 -> Int16), floats Float64.
TypeId differenceType(const DataTypePtr& t) {
    if (t->isFloat()) return TypeId::Float64;
    switch (t->valueSize()) {
        case 1: return TypeId::Int16;
        case 2: return TypeId::Int32;
        default: return TypeId::Int64;
    }
}

template <typename In, typename Acc>
ColumnPtr numericAgg(Agg agg, const IColumn& values, const ColumnArray& arr, size_t rows) {
    auto& v = static_cast<const ColumnVector<In>&>(values).getData();
    auto& off = arr.getOffsets();
    if (agg == Agg::CumSum || agg == Agg::CumSumNonNegative || agg == Agg::Difference) {
        auto data = ColumnVector<Acc>::create(values.size());
        Acc* out = data->getData().data();
        for (size_t i = 0; i < rows; ++i) {
            Acc s = 0;
            for (size_t k = arr.offsetAt(i); k < off[i]; ++k) {
                if (agg == Agg::Difference) {
                    out[k] = k == arr.offsetAt(i) ? Acc(0) : Acc(Acc(v[k]) - Acc(v[k - 1]));
                    continue;
                }
                s = Acc(s + Acc(v[k]));
                if (agg == Agg::CumSumNonNegative && s < Acc(0)) s = 0;
                out[k] = s;
            }
        }
        return std::make_shared<ColumnArray>(data, off);
    }
    if (agg == Agg::Avg || agg == Agg::Product) {
        auto res = ColumnFloat64::create(rows);
        for (size_t i = 0; i < rows; ++i) {
            size_t b = arr.offsetAt(i), e = off[i];
            double r = agg == Agg::Product ? 1.0 : 0.0;
            for (size_t k = b; k < e; ++k) r = agg == Agg::Product ? r * double(v[k]) : r + double(v[k]);
            if (agg == Agg::Avg) r = e > b ? r / double(e - b) : std::nan("");
            res->getData()[i] = r;
        }
        return res;
    }
    auto res = ColumnVector<Acc>::create(rows);
    Acc* out = res->getData().data();
    for (size_t i = 0; i < rows; ++i) {
        Acc s = 0;
        for (size_t k = arr.offsetAt(i); k < off[i]; ++k) s = Acc(s + Acc(v[k]));
        out[i] = s;
    }
    return res;
}

FunctionPtr buildAgg(Agg agg, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    std::string n = aggName(agg);
    bool lambda_ok = agg != Agg::Difference && agg != Agg::CumSumNonNegative;
    size_t first = checkArrays(n, args, false, lambda_ok);
    if (!hasLambda(args) && args.size() != 1) throwArgumentCount(n, args.size(), "1");
    DataTypePtr vt = first ? args[0].type : args[0].type->nested[0];
    bool minmax = agg == Agg::Min || agg == Agg::Max;
    // Sums and friends accumulate in 64-bit types: 128/256-bit elements are not supported here.
    if (vt->id == TypeId::Nothing || vt->id == TypeId::Nullable || (!minmax && !((vt->isNumber() && vt->valueSize() <= 8) || vt->id == TypeId::Bool)))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "array aggregation function cannot be performed on type " + vt->name());
    if (minmax) {
        return makeFunction(n, vt, [agg](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            Flat fl = flatten(a);
            auto res = fl.values->cloneEmpty();
            res->reserve(rows);
            for (size_t i = 0; i < rows; ++i) {
                size_t b = fl.arr->offsetAt(i), e = fl.arr->getOffsets()[i];
                if (b == e) { res->insertDefault(); continue; }
                size_t best = b;
                for (size_t k = b + 1; k < e; ++k) {
                    int c = fl.values->compareAt(k, best, *fl.values, 1);
                    if (agg == Agg::Min ? c < 0 : c > 0) best = k;
                }
                res->insertFrom(*fl.values, best);
            }
            return ColumnPtr(res);
        });
    }
    TypeId acc = agg == Agg::Difference ? differenceType(vt) : sumType(vt);
    DataTypePtr rt;
    if (agg == Agg::Avg || agg == Agg::Product) rt = makeType(TypeId::Float64);
    else if (agg == Agg::CumSum || agg == Agg::CumSumNonNegative || agg == Agg::Difference) rt = makeArray(makeType(acc));
    else rt = makeType(acc);
    return makeFunction(n, rt, [agg, vt, acc](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        Flat fl = flatten(a);
        ColumnPtr r;
        dispatchNumber(vt->id, [&](auto in_tag) {
            using In = typename decltype(in_tag)::type;
            dispatchNumber(acc, [&](auto acc_tag) {
                using Acc = typename decltype(acc_tag)::type;
                r = numericAgg<In, Acc>(agg, *fl.values, *fl.arr, rows);
            });
        });
        return r;
    });
}

}  // namespace

void registerArrayHigherOrderFunctions(FunctionFactory& f) {
    registerMapFilter(f);
    registerSort(f);
    for (Agg a : {Agg::Sum, Agg::Avg, Agg::Product, Agg::Min, Agg::Max, Agg::CumSum, Agg::CumSumNonNegative, Agg::Difference})
        f.registerFunction(aggName(a), [a](const ColumnsWithTypeAndName& x, const FunctionContext& c) { return buildAgg(a, x, c); }, kHigherOrder);
}

}  // namespace basalt
