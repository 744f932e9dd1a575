// array_higher_order.cpp — owns the array functions that take an optional lambda and the array
// aggregations: arrayMap, arrayFilter, arrayExists, arrayAll, arrayCount, arrayFirst[OrNull],
// arrayLast[OrNull], arrayFirstIndex, arrayLastIndex, arraySplit, arrayReverseSplit, arrayFill,
// arrayReverseFill, arrayCompact, arraySort, arrayReverseSort, arrayPartialSort,
// arrayPartialReverseSort, arrayTopK, arrayBottomK, arrayFold, arraySum, arrayAvg, arrayProduct,
// arrayMin, arrayMax, arrayCumSum, arrayCumSumNonNegative, arrayDifference.
//
// Convention (function.h): with a lambda, args[0] is the lambda body already evaluated over all
// elements of the arrays, flattened, then come the function's fixed arguments (arrayPartialSort's
// limit) and the arrays with identical offsets. So every function here works on one flat "values"
// column plus the offsets of the first array; without a lambda the values are the first array's
// elements. These functions opt out of the default NULL wrapper because a Nullable lambda body
// (x -> NULL) is a per-element condition, not a NULL row. arrayFold's lambda is applied step by
// step by the evaluator (analyzer/expression.cpp); the function only checks types.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "common/exception.h"
#include "common/wide_integer.h"
#include "functions/array_sort.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

bool hasLambda(const ColumnsWithTypeAndName& args) { return !args.empty() && args[0].name == "__lambda"; }

const char* ordinal(size_t i) {
    static const char* names[] = {"1st", "2nd", "3rd"};
    return i < 3 ? names[i] : nullptr;
}

// Checks the arguments of a (possibly lambda) call: [lambda,] `fixed` ordinary arguments, then
// arrays. Returns the index of the first array. Errors as ClickHouse's FunctionArrayMapped.
size_t checkArrays(const std::string& fn, const ColumnsWithTypeAndName& args, bool lambda_required, bool lambda_allowed, size_t fixed = 0) {
    bool lambda = hasLambda(args);
    if (lambda && !lambda_allowed)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Function " + fn + " can't have lambda-expressions as arguments");
    if (!lambda) {
        size_t min_args = lambda_required ? 2 : 1 + fixed;
        if (args.size() < min_args)
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function " + fn + " needs at least " + std::to_string(min_args) +
                                                                              " arguments, passed " + std::to_string(args.size()));
        if (lambda_required || args.size() > 1 + fixed)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument for function " + fn + " must be a function. Actual " + args[0].type->name());
    }
    size_t first = (lambda ? 1 : 0) + fixed;
    for (size_t i = first; i < args.size(); ++i)
        if (args[i].type->id != TypeId::Array && !(lambda && args[i].type->id == TypeId::Map)) {
            if (!lambda && ordinal(i))
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, std::string("The ") + ordinal(i) + " argument for function " + fn +
                                                                          " must be array. Found " + args[i].type->name() + " instead");
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i + 1) + " of function " + fn +
                                                                      " must be Array. Found " + args[i].type->name() + " instead.");
        }
    return first;
}

// Functions whose lambda is a condition need a UInt8 (or Bool, Nullable of those, NULL) result.
void requireCondition(const std::string& fn, const ColumnsWithTypeAndName& args) {
    if (!hasLambda(args)) return;
    TypeId t = removeNullable(args[0].type)->id;
    if (t != TypeId::UInt8 && t != TypeId::Bool && t != TypeId::Nothing)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Expression for function " + fn + " must return UInt8 or Nullable(UInt8), found " + args[0].type->name());
}

const ColumnArray& arrayOf(const ColumnPtr& c) { return static_cast<const ColumnArray&>(*c); }

// The flat values and their type: the lambda body, else the first array's elements.
struct Flat {
    ColumnPtr values;
    DataTypePtr type;
    ColumnPtr array_holder;   // the first array (materialized)
    const ColumnArray* arr;
};

Flat flatten(const ColumnsWithTypeAndName& a, size_t fixed = 0) {
    Flat f;
    bool lambda = hasLambda(a);
    size_t first = (lambda ? 1 : 0) + fixed;
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

// A per-row unsigned integer argument read as ClickHouse's IColumn::getUInt (negative signed
// values wrap to huge numbers; wide integers give their low 64 bits).
std::vector<uint64_t> readUInt64s(const ColumnWithTypeAndName& a, size_t rows) {
    std::vector<uint64_t> out(rows);
    ColumnPtr c = materialize(a.column);
    DataTypePtr t = removeNullable(a.type);
    if (c->isNullable()) c = static_cast<const ColumnNullable&>(*c).getNestedPtr();
    bool ok = dispatchFixed(t->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        auto& v = static_cast<const ColumnVector<T>&>(*c).getData();
        for (size_t i = 0; i < rows; ++i) {
            if constexpr (std::is_floating_point_v<T>) out[i] = uint64_t(int64_t(v[i]));
            else if constexpr (std::is_signed_v<T> || std::is_same_v<T, Int128>) out[i] = uint64_t(int64_t(v[i]));
            else out[i] = uint64_t(v[i]);
        }
    });
    if (!ok) {
        if (t->id == TypeId::Int256 || t->id == TypeId::UInt256 || t->id == TypeId::Decimal256) {
            auto& v = static_cast<const ColumnVector<Int256>&>(*c).getData();
            for (size_t i = 0; i < rows; ++i) out[i] = v[i].w[0];
        } else {
            throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Unexpected column of type " + a.type->name());
        }
    }
    return out;
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
        requireCondition("arrayFilter", args);
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
            requireCondition(n, args);
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
            requireCondition(n, args);
            DataTypePtr et = args[1].type->nested[0];
            DataTypePtr rt = on && et->canBeInsideNullable() ? makeNullable(et) : et;
            return makeFunction(n, rt, [l, rt](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
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
                return res;
            });
        }, kHigherOrder);
    }

    // arraySplit(cond, arr): splits before every element whose condition holds (except the first).
    for (bool reverse : {false, true}) {
        std::string n = reverse ? "arrayReverseSplit" : "arraySplit";
        f.registerFunction(n, [n, reverse](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            checkArrays(n, args, true, true);
            requireCondition(n, args);
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
            requireCondition(n, args);
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

    // arrayCompact([f,] arr): drops elements whose value (or lambda result) equals the previous one's.
    f.registerFunction("arrayCompact", [](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
        size_t first = checkArrays("arrayCompact", args, false, true);
        return makeFunction("arrayCompact", args[first].type, [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            Flat fl = flatten(a);
            auto& keys = *fl.values;
            Filter keep(keys.size());
            for (size_t i = 0; i < rows; ++i) {
                size_t b = fl.arr->offsetAt(i), e = fl.arr->getOffsets()[i];
                for (size_t k = b; k < e; ++k) keep[k] = k == b || keys.compareAt(k, k - 1, keys, 1) != 0;
            }
            Offsets off(rows);
            size_t kept = 0;
            for (size_t i = 0, pos = 0; i < rows; ++i) {
                for (size_t e = fl.arr->getOffsets()[i]; pos < e; ++pos) kept += keep[pos];
                off[i] = kept;
            }
            ColumnPtr data = fl.arr->getData().filter(keep, kept);
            return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), std::move(off));
        });
    }, kHigherOrder);
}

// ---- sorting ----

// Ordering of element indexes by a key column as ClickHouse's array sorts: ascending with NaN and
// NULL last, or descending (compareAt with the opposite NaN direction) with NaN and NULL last too.
struct KeyLess {
    const IColumn& keys;
    bool reverse;
    bool operator()(uint32_t x, uint32_t y) const {
        return reverse ? keys.compareAt(x, y, keys, -1) > 0 : keys.compareAt(x, y, keys, 1) < 0;
    }
};

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
                KeyLess less{*keys, reverse};
                for (size_t i = 0; i < rows; ++i)
                    std::stable_sort(perm.data() + arr.offsetAt(i), perm.data() + arr.getOffsets()[i], less);
                ColumnPtr data = arr.getData().permute(perm, 0);
                return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
            });
        }, kHigherOrder);
    }

    // arrayPartialSort([f,] limit, arr, ...): the first `limit` positions hold the smallest
    // elements in order; the rest are left in the order ClickHouse's selection leaves them
    // (Floyd-Rivest select, as miniselect's floyd_rivest_partial_sort). limit 0 sorts everything.
    FunctionProperties partial = kHigherOrder;
    partial.lambda_fixed_args = 1;
    partial.deterministic = false;
    for (bool reverse : {false, true}) {
        std::string n = reverse ? "arrayPartialReverseSort" : "arrayPartialSort";
        f.registerFunction(n, [n, reverse](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            size_t first = checkArrays(n, args, false, true, 1);
            const DataTypePtr& lt = args[first - 1].type;
            if (!lt->isInteger())
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + lt->name() + " of limit argument of function " + n + " (must be UInt or Int)");
            return makeFunction(n, args[first].type, [reverse, first](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                ColumnPtr arr_c = materialize(a[first].column);
                auto& arr = arrayOf(arr_c);
                ColumnPtr keys = first > 1 ? materialize(a[0].column) : arr.getDataPtr();
                std::vector<uint64_t> limits = readUInt64s(a[first - 1], rows);
                Permutation perm(arr.getData().size());
                for (size_t i = 0; i < perm.size(); ++i) perm[i] = uint32_t(i);
                KeyLess less{*keys, reverse};
                for (size_t i = 0; i < rows; ++i) {
                    uint32_t* b = perm.data() + arr.offsetAt(i);
                    uint32_t* e = perm.data() + arr.getOffsets()[i];
                    if (limits[i] == 0) std::stable_sort(b, e, less);
                    else partialSortIndexes(b, b + std::min<uint64_t>(limits[i], uint64_t(e - b)), e, less);
                }
                ColumnPtr data = arr.getData().permute(perm, 0);
                return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
            });
        }, partial);
    }

    // arrayTopK / arrayBottomK([f,] K, arr, ...): the K largest (smallest) elements by value or
    // lambda result, sorted; NULL elements and NULL keys are skipped, so the element type loses
    // Nullable. Equal keys keep their array order.
    FunctionProperties topk = kHigherOrder;
    topk.lambda_fixed_args = 1;
    for (bool top : {true, false}) {
        std::string n = top ? "arrayTopK" : "arrayBottomK";
        f.registerFunction(n, [n, top](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            size_t first = checkArrays(n, args, false, true, 1);
            const DataTypePtr& kt = args[first - 1].type;
            if (!(kt->isInteger() && kt->valueSize() <= 8))
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + kt->name() + " of the K argument of function " + n +
                                                                          " (must be a native integer: UInt8/16/32/64 or Int8/16/32/64)");
            DataTypePtr et = removeNullable(args[first].type->nested[0]);
            return makeFunction(n, makeArray(et), [n, top, first, et](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
                ColumnPtr arr_c = materialize(a[first].column);
                auto& arr = arrayOf(arr_c);
                ColumnPtr keys_full = first > 1 ? materialize(a[0].column) : arr.getDataPtr();
                const IColumn* keys = keys_full.get();
                const uint8_t* key_nulls = nullptr;
                if (keys->isNullable()) {
                    key_nulls = static_cast<const ColumnNullable*>(keys)->getNullMap().data();
                    keys = &static_cast<const ColumnNullable*>(keys)->getNested();
                }
                const IColumn* src = &arr.getData();
                const uint8_t* src_nulls = nullptr;
                if (src->isNullable()) {
                    src_nulls = static_cast<const ColumnNullable*>(src)->getNullMap().data();
                    src = &static_cast<const ColumnNullable*>(src)->getNested();
                }
                bool k_signed = a[first - 1].type->isSignedInteger();
                std::vector<uint64_t> ks = readUInt64s(a[first - 1], rows);
                KeyLess less{*keys, top};
                Permutation picked;
                Offsets off(rows);
                std::vector<uint32_t> idx;
                for (size_t i = 0; i < rows; ++i) {
                    uint64_t k = ks[i];
                    if (k_signed && int64_t(k) < 0)
                        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Argument K of function " + n + " must be non-negative, got " + std::to_string(int64_t(k)));
                    idx.clear();
                    if (k)
                        for (size_t j = arr.offsetAt(i); j < arr.getOffsets()[i]; ++j)
                            if (!(key_nulls && key_nulls[j]) && !(src_nulls && src_nulls[j])) idx.push_back(uint32_t(j));
                    size_t take = std::min<uint64_t>(k, idx.size());
                    // Equal keys keep their array order: ties are broken by position.
                    auto ordered = [&](uint32_t x, uint32_t y) { return less(x, y) || (!less(y, x) && x < y); };
                    std::partial_sort(idx.begin(), idx.begin() + take, idx.end(), ordered);
                    for (size_t j = 0; j < take; ++j) picked.push_back(idx[j]);
                    off[i] = picked.size();
                }
                auto data = std::const_pointer_cast<IColumn>(src->permute(picked, 0));
                (void)et;
                return std::make_shared<ColumnArray>(data, std::move(off));
            });
        }, topk);
    }

    // arrayFold(lambda(acc, x...), arr..., init): the evaluator computes the final accumulators
    // (analyzer/expression.cpp computeFold) and passes them as args[0].
    FunctionProperties fold = kHigherOrder;
    fold.lambda_fold = true;
    fold.default_low_cardinality = false;
    f.registerFunction("arrayFold", [](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
        if (args.size() < 3)
            throw Exception(ErrorCodes::TOO_FEW_ARGUMENTS_FOR_FUNCTION, "Function arrayFold requires as arguments a lambda function, at least one array and an accumulator");
        if (!hasLambda(args))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument for function arrayFold must be a function");
        DataTypePtr acc = recursiveRemoveLowCardinality(args.back().type);
        if (!acc->equals(*args[0].type))
            throw Exception(ErrorCodes::TYPE_MISMATCH, "Return type of lambda function must be the same as the accumulator type, inferred return type of lambda: " +
                                                           args[0].type->name() + ", inferred type of accumulator: " + acc->name());
        return makeFunction("arrayFold", acc, [](const ColumnsWithTypeAndName& a, size_t) -> ColumnPtr { return a[0].column; });
    }, fold);
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

// Calls f(TypeTag<T>{}, is_decimal) for the element types the arithmetic aggregations accept:
// plain numbers and Bool, 128/256-bit integers and decimals.
template <typename F>
bool dispatchArith(TypeId id, F&& f) {
    switch (id) {
        case TypeId::Int128: f(TypeTag<Int128>{}, std::false_type{}); return true;
        case TypeId::UInt128: f(TypeTag<UInt128>{}, std::false_type{}); return true;
        case TypeId::Int256: f(TypeTag<Int256>{}, std::false_type{}); return true;
        case TypeId::UInt256: f(TypeTag<UInt256>{}, std::false_type{}); return true;
        case TypeId::Decimal32: f(TypeTag<int32_t>{}, std::true_type{}); return true;
        case TypeId::Decimal64: f(TypeTag<int64_t>{}, std::true_type{}); return true;
        case TypeId::Decimal128: f(TypeTag<Int128>{}, std::true_type{}); return true;
        case TypeId::Decimal256: f(TypeTag<Int256>{}, std::true_type{}); return true;
        default: return dispatchNumber(id, [&](auto tag) { f(tag, std::false_type{}); });
    }
}

// Accumulator of sums (and of averages and products before their conversion to Float64), as
// ClickHouse: Float64 for floats, Int64 / UInt64 for narrower integers, the same type for 128/256-bit
// integers, Decimal128 for decimals up to 128 bits and Decimal256 for Decimal256.
template <typename T, bool Dec>
using SumAcc = std::conditional_t<Dec, std::conditional_t<std::is_same_v<T, Int256>, Int256, Int128>,
               std::conditional_t<std::is_floating_point_v<T>, double,
               std::conditional_t<sizeof(T) >= 16, T,
               std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>>>;

// arrayDifference keeps differences in the signed type one size up (UInt8 -> Int16), floats in
// Float64, 128/256-bit integers in Int128/Int256 and decimals in their own type.
template <typename T, bool Dec>
using DiffAcc = std::conditional_t<Dec, T,
                std::conditional_t<std::is_floating_point_v<T>, double,
                std::conditional_t<std::is_same_v<T, Int256> || std::is_same_v<T, UInt256>, Int256,
                std::conditional_t<sizeof(T) == 16, Int128,
                std::conditional_t<sizeof(T) == 1, int16_t, std::conditional_t<sizeof(T) == 2, int32_t, int64_t>>>>>>;

template <typename T> TypeId accTypeId() {
    if constexpr (std::is_same_v<T, Int128>) return TypeId::Int128;
    else if constexpr (std::is_same_v<T, UInt128>) return TypeId::UInt128;
    else if constexpr (std::is_same_v<T, Int256>) return TypeId::Int256;
    else if constexpr (std::is_same_v<T, UInt256>) return TypeId::UInt256;
    else return numberTypeId<T>();
}

// Two's-complement wrapping arithmetic (signed overflow wraps as in ClickHouse, without UB).
template <typename T> T wrapAdd(T a, T b) {
    if constexpr (std::is_same_v<T, Int128>) return Int128(UInt128(a) + UInt128(b));
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) return T(std::make_unsigned_t<T>(a) + std::make_unsigned_t<T>(b));
    else return T(a + b);
}
template <typename T> T wrapSub(T a, T b) {
    if constexpr (std::is_same_v<T, Int128>) return Int128(UInt128(a) - UInt128(b));
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) return T(std::make_unsigned_t<T>(a) - std::make_unsigned_t<T>(b));
    else return T(a - b);
}
template <typename T> T wrapMul(T a, T b) {
    if constexpr (std::is_same_v<T, Int128>) return Int128(UInt128(a) * UInt128(b));
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) return T(std::make_unsigned_t<T>(a) * std::make_unsigned_t<T>(b));
    else return T(a * b);
}
// Decimal products check overflow (DECIMAL_OVERFLOW, as ClickHouse).
template <typename T> T decimalMul(T a, T b) {
    T r;
    bool overflow;
    if constexpr (std::is_same_v<T, Int256>) overflow = mulOverflow(a, b, r);
    else overflow = __builtin_mul_overflow(a, b, &r);
    if (overflow) throw Exception(ErrorCodes::DECIMAL_OVERFLOW, "Decimal math overflow");
    return r;
}
template <typename T> T convertFrom(auto v) {
    if constexpr (std::is_same_v<T, Int256> || std::is_same_v<T, UInt256>) return T(v);
    else if constexpr (std::is_same_v<decltype(v), Int256> || std::is_same_v<decltype(v), UInt256>) {
        if constexpr (std::is_floating_point_v<T>) return T(double(v));
        else if constexpr (sizeof(T) == 16) return T(static_cast<UInt128>(v));
        else return T(static_cast<uint64_t>(v));
    } else return T(v);
}
template <typename T> double toDouble(const T& v) {
    if constexpr (std::is_same_v<T, Int256> || std::is_same_v<T, UInt256>) return double(v);
    else return double(v);
}
double pow10(uint32_t scale) { return std::pow(10.0, double(scale)); }

template <typename In, bool Dec>
ColumnPtr arithAgg(Agg agg, const IColumn& values, const ColumnArray& arr, size_t rows, uint32_t scale, uint32_t max_precision) {
    using Acc = SumAcc<In, Dec>;
    auto& v = static_cast<const ColumnVector<In>&>(values).getData();
    auto& off = arr.getOffsets();
    if (agg == Agg::CumSum || agg == Agg::CumSumNonNegative) {
        auto data = std::make_shared<ColumnVector<Acc>>(values.size());
        Acc* out = data->getData().data();
        for (size_t i = 0; i < rows; ++i) {
            Acc s = Acc(0);
            for (size_t k = arr.offsetAt(i); k < off[i]; ++k) {
                s = wrapAdd(s, convertFrom<Acc>(v[k]));
                if (agg == Agg::CumSumNonNegative && s < Acc(0)) s = Acc(0);
                out[k] = s;
            }
        }
        return std::make_shared<ColumnArray>(data, off);
    }
    if (agg == Agg::Difference) {
        using D = DiffAcc<In, Dec>;
        auto data = std::make_shared<ColumnVector<D>>(values.size());
        D* out = data->getData().data();
        for (size_t i = 0; i < rows; ++i)
            for (size_t k = arr.offsetAt(i); k < off[i]; ++k)
                out[k] = k == arr.offsetAt(i) ? D(0) : wrapSub(convertFrom<D>(v[k]), convertFrom<D>(v[k - 1]));
        return std::make_shared<ColumnArray>(data, off);
    }
    if (agg == Agg::Avg || agg == Agg::Product) {
        auto res = ColumnFloat64::create(rows);
        for (size_t i = 0; i < rows; ++i) {
            size_t b = arr.offsetAt(i), e = off[i];
            if (b == e) { res->getData()[i] = 0; continue; }
            uint64_t result_scale = uint64_t(scale) * (e - b);
            if (Dec && agg == Agg::Product && result_scale > max_precision)
                throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Scale " + std::to_string(result_scale) + " is out of bounds (max scale: " +
                                                                       std::to_string(max_precision) + ")");
            Acc a = convertFrom<Acc>(v[b]);
            for (size_t k = b + 1; k < e; ++k) {
                if (agg == Agg::Avg) a = wrapAdd(a, convertFrom<Acc>(v[k]));
                else if constexpr (Dec) a = decimalMul(a, convertFrom<Acc>(v[k]));
                else a = wrapMul(a, convertFrom<Acc>(v[k]));
            }
            double r;
            if (agg == Agg::Avg) {
                // Decimals divide the raw sum by the count before scaling, as ClickHouse does.
                if constexpr (Dec) r = toDouble(Acc(a / Acc(int64_t(e - b)))) / pow10(scale);
                else r = toDouble(a) / double(e - b);
            } else {
                if constexpr (Dec) {
                    r = toDouble(a) / pow10(uint32_t(result_scale));
                } else {
                    r = toDouble(a);
                }
            }
            res->getData()[i] = r;
        }
        return res;
    }
    auto res = std::make_shared<ColumnVector<Acc>>(rows);
    Acc* out = res->getData().data();
    for (size_t i = 0; i < rows; ++i) {
        Acc s = Acc(0);
        for (size_t k = arr.offsetAt(i); k < off[i]; ++k) s = wrapAdd(s, convertFrom<Acc>(v[k]));
        out[i] = s;
    }
    return res;
}

FunctionPtr buildAgg(Agg agg, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    std::string n = aggName(agg);
    size_t first = checkArrays(n, args, false, true);
    DataTypePtr vt = first ? args[0].type : args[0].type->nested[0];
    if (vt->id == TypeId::Nothing)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "array aggregation function cannot be performed on type Nothing");
    if (agg == Agg::Min || agg == Agg::Max) {
        // Smallest / largest by compareAt: NULLs and NaNs lose (NaN direction 1 for min, -1 for max).
        return makeFunction(n, vt, [agg](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            Flat fl = flatten(a);
            auto res = fl.values->cloneEmpty();
            res->reserve(rows);
            int hint = agg == Agg::Min ? 1 : -1;
            for (size_t i = 0; i < rows; ++i) {
                size_t b = fl.arr->offsetAt(i), e = fl.arr->getOffsets()[i];
                if (b == e) { res->insertDefault(); continue; }
                size_t best = b;
                for (size_t k = b + 1; k < e; ++k) {
                    int c = fl.values->compareAt(k, best, *fl.values, hint);
                    if (agg == Agg::Min ? c < 0 : c > 0) best = k;
                }
                res->insertFrom(*fl.values, best);
            }
            return ColumnPtr(res);
        });
    }
    bool dec = vt->isDecimal();
    uint32_t scale = dec ? vt->scale : 0;
    uint32_t max_precision = vt->id == TypeId::Decimal256 ? 76 : 38;
    DataTypePtr acc_t, diff_t;
    bool ok = dispatchArith(vt->id, [&](auto tag, auto is_dec) {
        using In = typename decltype(tag)::type;
        constexpr bool D = decltype(is_dec)::value;
        if constexpr (D) {
            acc_t = makeDecimal(max_precision, scale);
            diff_t = vt;
        } else {
            acc_t = makeType(accTypeId<SumAcc<In, false>>());
            diff_t = makeType(accTypeId<DiffAcc<In, false>>());
        }
    });
    if (!ok) {
        if (first && !vt->isNumber() && !vt->isDecimal() && !vt->isDateOrDateTime())   // a lambda of another type: ClickHouse fails at execution
            throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Unexpected column for arraySum: " + vt->name());
        if (agg == Agg::CumSum || agg == Agg::CumSumNonNegative)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, n + " cannot add values of type " + vt->name());
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "array aggregation function cannot be performed on type " + vt->name());
    }
    DataTypePtr rt;
    if (agg == Agg::Avg || agg == Agg::Product) rt = makeType(TypeId::Float64);
    else if (agg == Agg::CumSum || agg == Agg::CumSumNonNegative) rt = makeArray(acc_t);
    else if (agg == Agg::Difference) rt = makeArray(diff_t);
    else rt = acc_t;
    return makeFunction(n, rt, [agg, vt, scale, max_precision](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        Flat fl = flatten(a);
        ColumnPtr r;
        dispatchArith(vt->id, [&](auto tag, auto is_dec) {
            using In = typename decltype(tag)::type;
            r = arithAgg<In, decltype(is_dec)::value>(agg, *fl.values, *fl.arr, rows, scale, max_precision);
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
