// array_functions.cpp — owns the array functions without lambdas: membership (has, hasAny, hasAll,
// indexOf, countEqual), construction (range, arrayWithConstant, emptyArray*, arrayZip,
// arrayEnumerate, arrayEnumerateUniq, arrayEnumerateDense), reshaping (arraySlice, arrayConcat, arrayPushBack/Front,
// arrayPopBack/Front, arrayReverse, arrayResize, arrayFlatten, arrayDistinct,
// arrayIntersect, arrayUniq), arrayReduce / arrayReduceInRanges over the aggregate function factory, and the Map
// accessors mapKeys, mapValues, mapContains. Lambda-taking functions live in array_higher_order.cpp.
// Note: length/empty/notEmpty for arrays are registered by the string functions (shared names).
//
// Arrays are ColumnArray (offsets + one flat element column). Kernels work on the flat column with
// per-row [begin, end) ranges and build results with insertRangeFrom / permute / filter, so element
// types of any layout (strings, tuples, nested arrays, Nullable) share one code path; the numeric
// membership tests take a typed fast path.
#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "aggregates/aggregate_function.h"
#include "common/exception.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

void registerArrayHigherOrderFunctions(FunctionFactory& f);
void registerArraySetFunctions(FunctionFactory& f);
void registerArrayReshapeFunctions(FunctionFactory& f);
void registerArrayRankedFunctions(FunctionFactory& f);
void registerArrayMetricFunctions(FunctionFactory& f);

namespace {

const ColumnArray& arrayOf(const ColumnPtr& c) { return static_cast<const ColumnArray&>(*c); }

void requireArray(const std::string& fn, const ColumnsWithTypeAndName& args, size_t i) {
    if (args[i].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i + 1) + " of function " + fn +
                                                                  " must be array. Found " + args[i].type->name() + " instead.");
}

// An array column converted so its elements have type `to` (the whole column stays an array).
ColumnPtr castArray(const ColumnWithTypeAndName& a, const DataTypePtr& to_elem, const FunctionContext& ctx) {
    ColumnPtr c = materialize(a.column);
    if (a.type->nested[0]->equals(*to_elem)) return c;
    auto& arr = arrayOf(c);
    ColumnPtr data = materialize(castColumn(arr.getDataPtr(), a.type->nested[0], to_elem, ctx));
    return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
}

// A value column converted to `to`, materialized.
ColumnPtr castValue(const ColumnWithTypeAndName& a, const DataTypePtr& to, const FunctionContext& ctx) {
    return materialize(castColumn(a.column, a.type, to, ctx));
}

int64_t fieldToInt(const Field& f) {
    if (f.is<int64_t>()) return f.get<int64_t>();
    if (f.is<uint64_t>()) return int64_t(f.get<uint64_t>());
    if (f.is<bool>()) return f.get<bool>();
    if (f.is<double>()) return int64_t(f.get<double>());
    return 0;
}

// ---- membership ----

enum class Member { Has, IndexOf, CountEqual };

FunctionPtr buildMember(Member kind, const std::string& fn, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount(fn, args, 2, 2);
    requireArray(fn, args, 0);
    DataTypePtr et = args[0].type->nested[0];
    DataTypePtr xt = args[1].type;
    // Elements and the needle are compared in their common type (NULL matches NULL).
    DataTypePtr common = getLeastSupertype({et, xt});
    DataTypePtr rt = makeType(kind == Member::Has ? TypeId::UInt8 : TypeId::UInt64);
    return makeFunction(fn, rt, [kind, common, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        bool arr_const = a[0].column->isConst();
        ColumnPtr arr_holder = arr_const ? static_cast<const ColumnConst&>(*a[0].column).getDataColumnPtr() : a[0].column;
        auto& arr = arrayOf(arr_holder);
        ColumnPtr data = materialize(castColumn(arr.getDataPtr(), a[0].type->nested[0], common, ctx));
        bool x_const = a[1].column->isConst();
        ColumnPtr x = x_const ? static_cast<const ColumnConst&>(*a[1].column).getDataColumnPtr() : a[1].column;
        x = materialize(castColumn(x, a[1].type, common, ctx));
        auto res_u8 = kind == Member::Has ? ColumnUInt8::create(rows) : nullptr;
        auto res_u64 = kind != Member::Has ? ColumnUInt64::create(rows) : nullptr;
        auto emit = [&](size_t i, uint64_t v) {
            if (res_u8) res_u8->getData()[i] = uint8_t(v);
            else res_u64->getData()[i] = v;
        };
        auto range = [&](size_t i, size_t& b, size_t& e) {
            size_t r = arr_const ? 0 : i;
            b = arr.offsetAt(r);
            e = arr.getOffsets()[r];
        };
        auto scan = [&](auto eq) {
            for (size_t i = 0; i < rows; ++i) {
                size_t b, e;
                range(i, b, e);
                size_t xi = x_const ? 0 : i;
                uint64_t v = 0;
                for (size_t k = b; k < e; ++k) {
                    if (!eq(k, xi)) continue;
                    if (kind == Member::Has) { v = 1; break; }
                    if (kind == Member::IndexOf) { v = k - b + 1; break; }
                    ++v;
                }
                emit(i, v);
            }
        };
        // Typed fast path for plain fixed-width values; generic comparison otherwise.
        bool fast = dispatchNumber(common->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            auto& d = static_cast<const ColumnVector<T>&>(*data).getData();
            auto& xv = static_cast<const ColumnVector<T>&>(*x).getData();
            scan([&](size_t k, size_t xi) { return d[k] == xv[xi]; });
        });
        if (!fast) scan([&](size_t k, size_t xi) { return data->compareAt(k, xi, *x, 1) == 0; });
        if (res_u8) return res_u8;
        return res_u64;
    });
}

FunctionPtr buildHasAnyAll(bool all, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = all ? "hasAll" : "hasAny";
    checkArgumentCount(fn, args, 2, 2);
    requireArray(fn, args, 0);
    requireArray(fn, args, 1);
    DataTypePtr common = getLeastSupertype({args[0].type->nested[0], args[1].type->nested[0]});
    return makeFunction(fn, makeType(TypeId::UInt8), [all, common, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = castArray(a[0], common, ctx), y = castArray(a[1], common, ctx);
        auto& ax = arrayOf(x);
        auto& ay = arrayOf(y);
        auto& dx = ax.getData();
        auto& dy = ay.getData();
        auto res = ColumnUInt8::create(rows);
        for (size_t i = 0; i < rows; ++i) {
            bool result = all;
            for (size_t k = ay.offsetAt(i); k < ay.getOffsets()[i]; ++k) {
                bool found = false;
                for (size_t j = ax.offsetAt(i); j < ax.getOffsets()[i] && !found; ++j) found = dx.compareAt(j, k, dy, 1) == 0;
                if (all && !found) { result = false; break; }
                if (!all && found) { result = true; break; }
            }
            res->getData()[i] = result;
        }
        return res;
    });
}

// ---- construction ----

FunctionPtr buildRange(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("range", args, 1, 3);
    DataTypes ts;
    for (size_t i = 0; i < args.size(); ++i) {
        if (!args[i].type->isInteger()) throwIllegalType("range", args[i].type, i);
        ts.push_back(args[i].type);
    }
    DataTypePtr et = getLeastSupertype(ts);
    size_t nargs = args.size();
    return makeFunction("range", makeArray(et), [et, nargs, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        std::vector<ColumnPtr> v;
        for (auto& x : a) v.push_back(castValue(x, makeType(TypeId::Int64), ctx));
        auto get = [&](size_t k, size_t i) { return static_cast<const ColumnInt64&>(*v[k]).getData()[i]; };
        auto data = ColumnInt64::create();
        Offsets off;
        off.reserve(rows);
        bool unsigned_big = et->id == TypeId::UInt64;
        for (size_t i = 0; i < rows; ++i) {
            int64_t start = 0, end, step = 1;
            if (nargs == 1) {
                end = get(0, i);
                if (end < 0 && unsigned_big)  // a UInt64 end >= 2^63, read as Int64
                    throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "A call to function range would produce too many values");
                if (end < 0 && !unsigned_big)
                    throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "A call to function range overflows, only support positive values when only end is provided");
            } else {
                start = get(0, i);
                end = get(1, i);
                if (nargs == 3) step = get(2, i);
            }
            if (step == 0)
                throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "A call to function range underflows, the 3rd argument step can't be less or equal to zero");
            __int128 count = 0;
            if (step > 0 && end > start) count = (__int128(end) - start + step - 1) / step;
            else if (step < 0 && end < start) count = (__int128(start) - end - __int128(step) - 1) / (-__int128(step));
            if (count + data->size() > 100000000)
                throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "A call to function range would produce too many values");
            for (int64_t k = 0; k < int64_t(count); ++k) data->insertValue(start + k * step);
            off.push_back(data->size());
        }
        ColumnPtr d = castColumn(data, makeType(TypeId::Int64), et, ctx);
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(materialize(d)), std::move(off));
    });
}

FunctionPtr buildEnumerate(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayEnumerate", args, 1, 1);
    requireArray("arrayEnumerate", args, 0);
    return makeFunction("arrayEnumerate", makeArray(makeType(TypeId::UInt32)), [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        auto data = ColumnUInt32::create(arr.getData().size());
        for (size_t i = 0; i < rows; ++i)
            for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) data->getData()[k] = uint32_t(k - arr.offsetAt(i) + 1);
        return std::make_shared<ColumnArray>(data, arr.getOffsets());
    });
}

// Serialized element keys across several arrays of equal sizes, per element (for uniq/enumerate).
struct KeyMaker {
    std::vector<ColumnPtr> holders;
    std::vector<const ColumnArray*> arrs;
    void init(const std::string& fn, const ColumnsWithTypeAndName& a) {
        for (auto& x : a) { holders.push_back(materialize(x.column)); arrs.push_back(&arrayOf(holders.back())); }
        for (size_t j = 1; j < arrs.size(); ++j)
            if (arrs[j]->getOffsets().size() != arrs[0]->getOffsets().size() ||
                (!arrs[0]->getOffsets().empty() && std::memcmp(arrs[j]->getOffsets().data(), arrs[0]->getOffsets().data(), arrs[0]->getOffsets().size() * 8) != 0))
                throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Lengths of all arrays passed to " + fn + " must be equal.");
    }
    void key(size_t k, std::string& out) const {
        out.clear();
        for (auto* a : arrs) a->getData().serializeValue(k, out);
    }
};

void requireAllArrays(const std::string& fn, const ColumnsWithTypeAndName& args) {
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "All arguments for function " + fn + " must be arrays but argument " +
                                                                      std::to_string(i + 1) + " has type " + args[i].type->name());
}

// arrayEnumerateUniq: the occurrence number of each element (tuple of elements across the
// arrays) within its row; arrayEnumerateDense: the number of distinct values seen up to its first
// occurrence. NULL is a value.
FunctionPtr buildEnumerateUniq(bool dense, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    std::string fn = dense ? "arrayEnumerateDense" : "arrayEnumerateUniq";
    if (args.empty())
        throw Exception(ErrorCodes::TOO_FEW_ARGUMENTS_FOR_FUNCTION, "Number of arguments for function " + fn + " doesn't match: passed 0, should be at least 1");
    requireAllArrays(fn, args);
    return makeFunction(fn, makeArray(makeType(TypeId::UInt32)), [fn, dense](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        KeyMaker km;
        km.init(fn, a);
        auto& arr = *km.arrs[0];
        auto data = ColumnUInt32::create(arr.getData().size());
        std::unordered_map<std::string, uint32_t> seen;
        std::string key;
        for (size_t i = 0; i < rows; ++i) {
            seen.clear();
            for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) {
                km.key(k, key);
                if (dense) {
                    auto it = seen.try_emplace(key, uint32_t(seen.size() + 1)).first;
                    data->getData()[k] = it->second;
                } else {
                    data->getData()[k] = ++seen[key];
                }
            }
        }
        return std::make_shared<ColumnArray>(data, arr.getOffsets());
    });
}

FunctionPtr buildUniq(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    if (args.empty()) throwArgumentCount("arrayUniq", 0, "at least 1");
    requireAllArrays("arrayUniq", args);
    return makeFunction("arrayUniq", makeType(TypeId::UInt32), [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        KeyMaker km;
        km.init("arrayUniq", a);
        auto& arr = *km.arrs[0];
        auto res = ColumnUInt32::create(rows);
        std::unordered_set<std::string> seen;
        std::string key;
        for (size_t i = 0; i < rows; ++i) {
            seen.clear();
            for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) { km.key(k, key); seen.insert(key); }
            res->getData()[i] = uint32_t(seen.size());
        }
        return res;
    });
}

// ---- reshaping ----

// Builds a result array by choosing, per row, a list of element ranges from the source data.
template <typename F>
ColumnPtr rebuild(const ColumnArray& arr, size_t rows, F ranges) {
    auto data = arr.getData().cloneEmpty();
    Offsets off;
    off.reserve(rows);
    for (size_t i = 0; i < rows; ++i) {
        ranges(i, arr.offsetAt(i), arr.getOffsets()[i], *data);
        off.push_back(data->size());
    }
    return std::make_shared<ColumnArray>(data, std::move(off));
}

FunctionPtr buildSlice(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("arraySlice", args, 2, 3);
    requireArray("arraySlice", args, 0);
    for (size_t i = 1; i < args.size(); ++i)
        if (!args[i].type->isInteger() && args[i].type->id != TypeId::Nothing) throwIllegalType("arraySlice", args[i].type, i);
    return makeFunction("arraySlice", args[0].type, [ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        ColumnPtr off = castValue(a[1], makeType(TypeId::Int64), ctx);
        ColumnPtr len = a.size() == 3 ? castValue(a[2], makeType(TypeId::Int64), ctx) : nullptr;
        auto& ov = static_cast<const ColumnInt64&>(*off).getData();
        return rebuild(arrayOf(c), rows, [&](size_t i, size_t b, size_t e, IColumn& out) {
            int64_t n = int64_t(e - b), o = ov[i];
            if (o == 0) return;
            // 128-bit: offset + length may exceed Int64 (arraySlice(a, 2^63-1, 2^63-1)).
            __int128 start = o > 0 ? __int128(o) - 1 : __int128(n) + o;
            __int128 end = n;
            if (len) {
                int64_t l = static_cast<const ColumnInt64&>(*len).getData()[i];
                if (l == INT64_MIN)
                    throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Overflow in length argument of substring-like function: " + std::to_string(l));
                end = l >= 0 ? start + l : __int128(n) + l;
            }
            start = std::clamp<__int128>(start, 0, n);
            end = std::clamp<__int128>(end, 0, n);
            if (o < 0 && n + o < 0 && (!len || end <= 0)) return;
            if (end > start) out.insertRangeFrom(arrayOf(c).getData(), b + size_t(start), size_t(end - start));
        });
    });
}

FunctionPtr buildConcat(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    if (args.empty()) throwArgumentCount("arrayConcat", 0, "at least 1");
    DataTypes ts;
    for (size_t i = 0; i < args.size(); ++i) { requireArray("arrayConcat", args, i); ts.push_back(args[i].type); }
    DataTypePtr rt = getLeastSupertype(ts);
    return makeFunction("arrayConcat", rt, [rt, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        std::vector<ColumnPtr> cols;
        for (auto& x : a) cols.push_back(castArray(x, rt->nested[0], ctx));
        auto data = createColumn(rt->nested[0]);
        Offsets off;
        off.reserve(rows);
        for (size_t i = 0; i < rows; ++i) {
            for (auto& c : cols) {
                auto& arr = arrayOf(c);
                data->insertRangeFrom(arr.getData(), arr.offsetAt(i), arr.sizeAt(i));
            }
            off.push_back(data->size());
        }
        return std::make_shared<ColumnArray>(data, std::move(off));
    });
}

FunctionPtr buildPush(bool front, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = front ? "arrayPushFront" : "arrayPushBack";
    checkArgumentCount(fn, args, 2, 2);
    requireArray(fn, args, 0);
    DataTypePtr et = getLeastSupertype({args[0].type->nested[0], args[1].type});
    return makeFunction(fn, makeArray(et), [front, et, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = castArray(a[0], et, ctx);
        ColumnPtr x = castValue(a[1], et, ctx);
        auto& arr = arrayOf(c);
        return rebuild(arr, rows, [&](size_t i, size_t b, size_t e, IColumn& out) {
            if (front) out.insertFrom(*x, i);
            out.insertRangeFrom(arr.getData(), b, e - b);
            if (!front) out.insertFrom(*x, i);
        });
    });
}

FunctionPtr buildPop(bool front, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    std::string fn = front ? "arrayPopFront" : "arrayPopBack";
    checkArgumentCount(fn, args, 1, 1);
    requireArray(fn, args, 0);
    return makeFunction(fn, args[0].type, [front](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        return rebuild(arr, rows, [&](size_t, size_t b, size_t e, IColumn& out) {
            if (e - b > 1) out.insertRangeFrom(arr.getData(), front ? b + 1 : b, e - b - 1);
        });
    });
}

FunctionPtr buildReverse(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayReverse", args, 1, 1);
    requireArray("arrayReverse", args, 0);
    return makeFunction("arrayReverse", args[0].type, [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        Permutation perm(arr.getData().size());
        for (size_t i = 0; i < rows; ++i) {
            size_t b = arr.offsetAt(i), e = arr.getOffsets()[i];
            for (size_t k = b; k < e; ++k) perm[k] = uint32_t(e - 1 - (k - b));
        }
        ColumnPtr data = arr.getData().permute(perm, 0);
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
    });
}

FunctionPtr buildResize(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("arrayResize", args, 2, 3);
    requireArray("arrayResize", args, 0);
    if (!args[1].type->isInteger()) throwIllegalType("arrayResize", args[1].type, 1);
    DataTypePtr et = args[0].type->nested[0];
    if (args.size() == 3) et = getLeastSupertype({et, args[2].type});
    return makeFunction("arrayResize", makeArray(et), [et, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = castArray(a[0], et, ctx);
        ColumnPtr n = castValue(a[1], makeType(TypeId::Int64), ctx);
        ColumnPtr def = a.size() == 3 ? castValue(a[2], et, ctx) : nullptr;
        auto& arr = arrayOf(c);
        auto& nv = static_cast<const ColumnInt64&>(*n).getData();
        return rebuild(arr, rows, [&](size_t i, size_t b, size_t e, IColumn& out) {
            int64_t size = int64_t(e - b), want = nv[i];
            uint64_t magnitude = want < 0 ? 0 - uint64_t(want) : uint64_t(want);  // no UB for INT64_MIN
            if (magnitude > (uint64_t(1) << 30))
                throw Exception(ErrorCodes::TOO_LARGE_ARRAY_SIZE, "Too large array size: " + std::to_string(magnitude) + ", maximum: 1073741824");
            auto pad = [&](int64_t k) {
                for (int64_t j = 0; j < k; ++j) { if (def) out.insertFrom(*def, i); else out.insertDefault(); }
            };
            if (want >= 0) {
                out.insertRangeFrom(arr.getData(), b, size_t(std::min(size, want)));
                pad(want - size);
            } else {
                // Negative size keeps the tail and pads at the front.
                int64_t w = -want;
                pad(w - size);
                int64_t keep = std::min(size, w);
                out.insertRangeFrom(arr.getData(), b + size_t(size - keep), size_t(keep));
            }
        });
    });
}

FunctionPtr buildZip(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    if (args.empty())   // arrayZip() is an empty array of empty tuples
        return makeFunction("arrayZip", makeArray(makeTuple({})), [](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
            Offsets off;
            off.resize_fill(rows, 0);
            return std::make_shared<ColumnArray>(std::make_shared<ColumnTuple>(std::vector<MutableColumnPtr>{}), std::move(off));
        });
    DataTypes ts;
    for (size_t i = 0; i < args.size(); ++i) { requireArray("arrayZip", args, i); ts.push_back(args[i].type->nested[0]); }
    return makeFunction("arrayZip", makeArray(makeTuple(ts)), [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        std::vector<ColumnPtr> hs;
        for (auto& x : a) hs.push_back(materialize(x.column));
        auto& first = arrayOf(hs[0]);
        for (size_t j = 1; j < hs.size(); ++j)
            for (size_t i = 0; i < rows; ++i)
                if (arrayOf(hs[j]).sizeAt(i) != first.sizeAt(i))
                    throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "The argument 1 and argument " + std::to_string(j + 1) +
                                                                                " of function arrayZip have different array sizes");
        std::vector<MutableColumnPtr> cols;
        for (auto& h : hs) cols.push_back(arrayOf(h).getDataPtr());
        return std::make_shared<ColumnArray>(std::make_shared<ColumnTuple>(std::move(cols)), first.getOffsets());
    });
}

FunctionPtr buildWithConstant(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("arrayWithConstant", args, 2, 2);
    if (!args[0].type->isInteger()) throwIllegalType("arrayWithConstant", args[0].type, 0);
    DataTypePtr et = args[1].type;
    return makeFunction("arrayWithConstant", makeArray(et), [et, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr n = castValue(a[0], makeType(TypeId::Int64), ctx);
        ColumnPtr x = materialize(a[1].column);
        auto data = createColumn(et);
        Offsets off;
        for (size_t i = 0; i < rows; ++i) {
            int64_t k = static_cast<const ColumnInt64&>(*n).getData()[i];
            if (k < 0) throw Exception(ErrorCodes::TOO_LARGE_ARRAY_SIZE, "Array size " + std::to_string(k) + " cannot be negative");
            if (k + data->size() > 1000000000) throw Exception(ErrorCodes::TOO_LARGE_ARRAY_SIZE, "Too large array size in arrayWithConstant");
            for (int64_t j = 0; j < k; ++j) data->insertFrom(*x, i);
            off.push_back(data->size());
        }
        return std::make_shared<ColumnArray>(data, std::move(off));
    });
}

// arrayFlatten: removes all levels of nesting.
FunctionPtr buildFlatten(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayFlatten", args, 1, 1);
    requireArray("arrayFlatten", args, 0);
    DataTypePtr t = args[0].type;
    int depth = 0;
    while (t->nested[0]->id == TypeId::Array) { t = t->nested[0]; ++depth; }
    return makeFunction("arrayFlatten", t, [depth](const ColumnsWithTypeAndName& a, size_t) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        // Composing offsets level by level: the outer row ends where its last inner array ends.
        Offsets off = arrayOf(c).getOffsets();
        ColumnPtr cur = arrayOf(c).getDataPtr();
        for (int d = 0; d < depth; ++d) {
            auto& inner = arrayOf(cur);
            for (auto& o : off) o = o ? inner.getOffsets()[o - 1] : 0;
            cur = inner.getDataPtr();
        }
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(cur), std::move(off));
    });
}

// arrayDistinct: first occurrences, NULLs dropped (the result type loses Nullable, as in ClickHouse).
FunctionPtr buildDistinct(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayDistinct", args, 1, 1);
    requireArray("arrayDistinct", args, 0);
    DataTypePtr et = args[0].type->nested[0];
    bool nullable = et->id == TypeId::Nullable;
    DataTypePtr rt = makeArray(nullable ? et->nested[0] : et);
    return makeFunction("arrayDistinct", rt, [nullable, rt](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        const IColumn& d = nullable ? static_cast<const ColumnNullable&>(arr.getData()).getNested() : arr.getData();
        auto data = createColumn(rt->nested[0]);
        Offsets off;
        std::unordered_set<std::string> seen;
        std::string key;
        for (size_t i = 0; i < rows; ++i) {
            seen.clear();
            for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) {
                if (nullable && arr.getData().isNullAt(k)) continue;
                key.clear();
                d.serializeValue(k, key);
                if (seen.insert(key).second) data->insertFrom(d, k);
            }
            off.push_back(data->size());
        }
        return std::make_shared<ColumnArray>(data, std::move(off));
    });
}

// arrayIntersect: elements of the first array present in all others, first occurrences, in order.
FunctionPtr buildIntersect(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    if (args.empty()) throwArgumentCount("arrayIntersect", 0, "at least 1");
    DataTypes ts;
    bool any_nothing = false;
    for (size_t i = 0; i < args.size(); ++i) {
        requireArray("arrayIntersect", args, i);
        ts.push_back(args[i].type->nested[0]);
        any_nothing |= args[i].type->nested[0]->id == TypeId::Nothing;
    }
    DataTypePtr common = getLeastSupertype(ts);
    DataTypePtr out_t = any_nothing ? makeType(TypeId::Nothing) : args[0].type->nested[0];
    return makeFunction("arrayIntersect", makeArray(out_t), [common, out_t, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        auto data = createColumn(out_t);
        Offsets off;
        if (out_t->id == TypeId::Nothing) {
            off.resize_fill(rows, 0);
            return std::make_shared<ColumnArray>(data, std::move(off));
        }
        ColumnPtr first_orig = materialize(a[0].column);
        std::vector<ColumnPtr> cols;
        for (auto& x : a) cols.push_back(castArray(x, common, ctx));
        // Occurrences are counted as ClickHouse does: an element's count grows by one for each
        // argument j in which it is seen while its count is at most j, so an element repeated in a
        // later array can reach the number of arrays without being in all of them.
        std::unordered_map<std::string, size_t> counts;
        std::unordered_set<std::string> emitted;
        std::string key;
        auto& first = arrayOf(cols[0]);
        auto& orig = arrayOf(first_orig);
        for (size_t i = 0; i < rows; ++i) {
            counts.clear();
            emitted.clear();
            for (size_t j = 0; j < cols.size(); ++j) {
                auto& arr = arrayOf(cols[j]);
                for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) {
                    key.clear();
                    arr.getData().serializeValue(k, key);
                    size_t& c = counts[key];
                    if (c <= j) ++c;
                }
            }
            for (size_t k = first.offsetAt(i); k < first.getOffsets()[i]; ++k) {
                key.clear();
                first.getData().serializeValue(k, key);
                if (counts[key] == cols.size() && emitted.insert(key).second) data->insertFrom(orig.getData(), k);
            }
            off.push_back(data->size());
        }
        return std::make_shared<ColumnArray>(data, std::move(off));
    });
}

// The aggregate function named by arrayReduce's / arrayReduceInRanges's first argument
// ('agg' or 'agg(params)', a constant string) for the element types of the given arrays.
AggregateFunctionPtr reduceFunction(const std::string& fn, const ColumnsWithTypeAndName& args, size_t first_array) {
    if (!args[0].column || !args[0].column->isConst() || !args[0].type->isStringOrFixed())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument for function " + fn + " must be constant string: name of aggregate function.");
    std::string spec = args[0].column->get(0).get<std::string>();
    std::string name = spec;
    std::vector<Field> params;
    if (auto p = spec.find('('); p != std::string::npos && spec.back() == ')') {
        name = spec.substr(0, p);
        std::string inner = spec.substr(p + 1, spec.size() - p - 2);
        size_t s = 0;
        while (s <= inner.size() && !inner.empty()) {
            size_t e = inner.find(',', s);
            std::string tok = inner.substr(s, e == std::string::npos ? std::string::npos : e - s);
            while (!tok.empty() && tok.front() == ' ') tok.erase(tok.begin());
            while (!tok.empty() && tok.back() == ' ') tok.pop_back();
            if (tok.find_first_of(".eE") != std::string::npos) params.push_back(Field(std::stod(tok)));
            else if (!tok.empty() && tok[0] == '-') params.push_back(Field(int64_t(std::stoll(tok))));
            else if (!tok.empty()) params.push_back(Field(uint64_t(std::stoull(tok))));
            if (e == std::string::npos) break;
            s = e + 1;
        }
    }
    DataTypes types;
    for (size_t i = first_array; i < args.size(); ++i) {
        if (fn == "arrayReduceInRanges" && args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i) + " for function " + fn + " must be an array but it has type " +
                                                                      args[i].type->name());
        requireArray(fn, args, i);
        types.push_back(args[i].type->nested[0]);
    }
    return AggregateFunctionFactory::instance().get(name, types, params);
}

// Materialized data arrays of equal sizes per row, and their flat element columns.
struct ReduceArrays {
    std::vector<ColumnPtr> holders;
    std::vector<const IColumn*> cols;
    const ColumnArray* first = nullptr;
    ReduceArrays(const std::string& fn, const ColumnsWithTypeAndName& a, size_t first_array, size_t rows) {
        for (size_t i = first_array; i < a.size(); ++i) holders.push_back(materialize(a[i].column));
        for (auto& h : holders) cols.push_back(&arrayOf(h).getData());
        first = &arrayOf(holders[0]);
        for (size_t j = 1; j < holders.size(); ++j)
            for (size_t i = 0; i < rows; ++i)
                if (arrayOf(holders[j]).sizeAt(i) != first->sizeAt(i))
                    throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "All arrays must be of the same size in function " + fn);
    }
};

// Runs `agg` over elements [b, e) of the arrays into `res`.
void reduceRange(const AggregateFunctionPtr& agg, const std::vector<const IColumn*>& cols, size_t b, size_t e, char* place, Arena& arena, IColumn& res) {
    agg->create(place);
    try {
        for (size_t k = b; k < e; ++k) agg->add(place, const_cast<const IColumn**>(cols.data()), k, &arena);
        agg->insertResultInto(place, res, &arena);
    } catch (...) {
        agg->destroy(place);
        throw;
    }
    agg->destroy(place);
}

// arrayReduce('agg(params)', arr...): runs the aggregate over each row's elements.
FunctionPtr buildReduce(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    if (args.size() < 2) throwArgumentCount("arrayReduce", args.size(), "at least 2");
    AggregateFunctionPtr agg = reduceFunction("arrayReduce", args, 1);
    return makeFunction("arrayReduce", agg->resultType(), [agg](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ReduceArrays ra("arrayReduce", a, 1, rows);
        auto res = createColumn(agg->resultType());
        res->reserve(rows);
        Arena arena;
        char* place = arena.alloc(agg->sizeOfData(), agg->alignOfData());
        for (size_t i = 0; i < rows; ++i) reduceRange(agg, ra.cols, ra.first->offsetAt(i), ra.first->getOffsets()[i], place, arena, *res);
        return ColumnPtr(res);
    });
}

// arrayReduceInRanges('agg', [(index, length), ...], arr...): the aggregate over each range, where
// a range selects elements as arraySlice(arr, index, length) does (1-based, negative from the end).
FunctionPtr buildReduceInRanges(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    const std::string fn = "arrayReduceInRanges";
    if (args.size() < 3) throwArgumentCount(fn, args.size(), "at least 3");
    const DataTypePtr& rt = args[1].type;
    if (rt->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Second argument for function " + fn + " must be an array of ranges.");
    const DataTypePtr& tt = rt->nested[0];
    if (tt->id != TypeId::Tuple || tt->nested.size() != 2)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Each array element in the second argument for function " + fn + " must be a tuple (index, length)");
    if (!tt->nested[0]->isInteger())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First tuple member in the second argument for function " + fn + " must be ints");
    if (!tt->nested[1]->isUnsignedInteger())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Second tuple member in the second argument for function " + fn + " must be uints");
    AggregateFunctionPtr agg = reduceFunction(fn, args, 2);
    DataTypePtr range_t = makeArray(makeTuple({makeType(TypeId::Int64), makeType(TypeId::UInt64)}));
    return makeFunction(fn, makeArray(agg->resultType()), [fn, agg, range_t, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ReduceArrays ra(fn, a, 2, rows);
        ColumnPtr ranges = materialize(castColumn(materialize(a[1].column), a[1].type, range_t, ctx));
        auto& rarr = arrayOf(ranges);
        auto& rtuple = static_cast<const ColumnTuple&>(rarr.getData());
        auto& starts = static_cast<const ColumnInt64&>(rtuple.getColumn(0)).getData();
        auto& lengths = static_cast<const ColumnUInt64&>(rtuple.getColumn(1)).getData();
        auto res = createColumn(agg->resultType());
        Offsets off;
        off.reserve(rows);
        Arena arena;
        char* place = arena.alloc(agg->sizeOfData(), agg->alignOfData());
        for (size_t i = 0; i < rows; ++i) {
            size_t b = ra.first->offsetAt(i), n = ra.first->sizeAt(i);
            for (size_t r = rarr.offsetAt(i); r < rarr.getOffsets()[i]; ++r) {
                int64_t s = starts[r];
                __int128 from = s > 0 ? __int128(s) - 1 : s < 0 ? __int128(n) + s : __int128(n);
                __int128 to = from + __int128(lengths[r]);
                from = std::clamp<__int128>(from, 0, n);
                to = std::clamp<__int128>(to, 0, n);
                if (to < from) to = from;
                reduceRange(agg, ra.cols, b + size_t(from), b + size_t(to), place, arena, *res);
            }
            off.push_back(res->size());
        }
        return std::make_shared<ColumnArray>(res, std::move(off));
    });
}

// ---- maps (Map(K, V) is stored as Array(Tuple(K, V))) ----

void registerMapFunctions(FunctionFactory& f) {
    for (bool values : {false, true}) {
        std::string n = values ? "mapValues" : "mapKeys";
        f.registerFunction(n, [n, values](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(n, args, 1, 1);
            if (args[0].type->id != TypeId::Map) throwIllegalType(n, args[0].type, 0);
            DataTypePtr rt = makeArray(args[0].type->nested[values ? 1 : 0]);
            return makeFunction(n, rt, [values](const ColumnsWithTypeAndName& a, size_t) -> ColumnPtr {
                ColumnPtr c = materialize(a[0].column);
                auto& arr = arrayOf(c);
                auto& kv = static_cast<const ColumnTuple&>(arr.getData());
                return std::make_shared<ColumnArray>(kv.getColumnPtr(values ? 1 : 0), arr.getOffsets());
            });
        });
    }
    f.registerFunction("mapContains", [](const ColumnsWithTypeAndName& args, const FunctionContext& ctx) -> FunctionPtr {
        checkArgumentCount("mapContains", args, 2, 2);
        if (args[0].type->id != TypeId::Map) throwIllegalType("mapContains", args[0].type, 0);
        DataTypePtr kt = args[0].type->nested[0];
        DataTypePtr common = getLeastSupertype({kt, args[1].type});
        return makeFunction("mapContains", makeType(TypeId::UInt8), [common, kt, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            ColumnPtr c = materialize(a[0].column);
            auto& arr = arrayOf(c);
            auto& kv = static_cast<const ColumnTuple&>(arr.getData());
            ColumnPtr keys = materialize(castColumn(kv.getColumnPtr(0), kt, common, ctx));
            ColumnPtr x = castValue(a[1], common, ctx);
            auto res = ColumnUInt8::create(rows);
            for (size_t i = 0; i < rows; ++i) {
                uint8_t found = 0;
                for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i] && !found; ++k) found = keys->compareAt(k, i, *x, 1) == 0;
                res->getData()[i] = found;
            }
            return res;
        });
    });
    f.registerAlias("mapContainsKey", "mapContains");
}

}  // namespace

void registerArrayFunctions(FunctionFactory& f) {
    FunctionProperties keep_nulls{.default_nulls = false};
    f.registerFunction("has", [](auto& a, auto& c) { return buildMember(Member::Has, "has", a, c); }, keep_nulls);
    f.registerFunction("indexOf", [](auto& a, auto& c) { return buildMember(Member::IndexOf, "indexOf", a, c); }, keep_nulls);
    f.registerFunction("countEqual", [](auto& a, auto& c) { return buildMember(Member::CountEqual, "countEqual", a, c); }, keep_nulls);
    f.registerFunction("hasAny", [](auto& a, auto& c) { return buildHasAnyAll(false, a, c); }, keep_nulls);
    f.registerFunction("hasAll", [](auto& a, auto& c) { return buildHasAnyAll(true, a, c); }, keep_nulls);
    f.registerFunction("range", buildRange);
    f.registerFunction("arrayEnumerate", buildEnumerate);
    f.registerFunction("arrayEnumerateUniq", [](auto& a, auto& c) { return buildEnumerateUniq(false, a, c); });
    f.registerFunction("arrayEnumerateDense", [](auto& a, auto& c) { return buildEnumerateUniq(true, a, c); });
    f.registerFunction("arrayUniq", buildUniq);
    f.registerFunction("arraySlice", buildSlice);
    f.registerFunction("arrayConcat", buildConcat);
    f.registerFunction("arrayPushBack", [](auto& a, auto& c) { return buildPush(false, a, c); }, keep_nulls);
    f.registerFunction("arrayPushFront", [](auto& a, auto& c) { return buildPush(true, a, c); }, keep_nulls);
    f.registerFunction("arrayPopBack", [](auto& a, auto& c) { return buildPop(false, a, c); });
    f.registerFunction("arrayPopFront", [](auto& a, auto& c) { return buildPop(true, a, c); });
    f.registerFunction("arrayReverse", buildReverse);
    f.registerFunction("arrayResize", buildResize, keep_nulls);
    f.registerFunction("arrayZip", buildZip);
    f.registerFunction("arrayWithConstant", buildWithConstant, keep_nulls);
    f.registerFunction("arrayFlatten", buildFlatten);
    f.registerAlias("flatten", "arrayFlatten");
    f.registerAlias("array_to_string", "arrayStringConcat");   // registered by the string functions
    f.registerFunction("arrayDistinct", buildDistinct);
    f.registerFunction("arrayIntersect", buildIntersect);
    f.registerFunction("arrayReduce", buildReduce, keep_nulls);
    f.registerFunction("arrayReduceInRanges", buildReduceInRanges, keep_nulls);

    // emptyArray<Type>() and emptyArrayToSingle.
    static const std::pair<const char*, TypeId> kEmpty[] = {
        {"UInt8", TypeId::UInt8}, {"UInt16", TypeId::UInt16}, {"UInt32", TypeId::UInt32}, {"UInt64", TypeId::UInt64},
        {"Int8", TypeId::Int8}, {"Int16", TypeId::Int16}, {"Int32", TypeId::Int32}, {"Int64", TypeId::Int64},
        {"Float32", TypeId::Float32}, {"Float64", TypeId::Float64}, {"Date", TypeId::Date}, {"DateTime", TypeId::DateTime},
        {"String", TypeId::String},
    };
    for (auto& [suffix, id] : kEmpty) {
        std::string n = std::string("emptyArray") + suffix;
        TypeId tid = id;
        f.registerFunction(n, [n, tid](const ColumnsWithTypeAndName& a, const FunctionContext&) -> FunctionPtr {
            checkArgumentCount(n, a, 0, 0);
            DataTypePtr rt = makeArray(makeType(tid));
            return makeFunction(n, rt, [rt](const ColumnsWithTypeAndName&, size_t rows) -> ColumnPtr {
                auto one = createColumn(rt);
                one->insertDefault();
                return std::make_shared<ColumnConst>(ColumnPtr(one), rows);
            });
        });
    }
    f.registerFunction("emptyArrayToSingle", [](const ColumnsWithTypeAndName& args, const FunctionContext&) -> FunctionPtr {
        checkArgumentCount("emptyArrayToSingle", args, 1, 1);
        requireArray("emptyArrayToSingle", args, 0);
        return makeFunction("emptyArrayToSingle", args[0].type, [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
            ColumnPtr c = materialize(a[0].column);
            auto& arr = arrayOf(c);
            return rebuild(arr, rows, [&](size_t, size_t b, size_t e, IColumn& out) {
                if (b == e) out.insertDefault();
                else out.insertRangeFrom(arr.getData(), b, e - b);
            });
        });
    });

    registerMapFunctions(f);
    registerArrayHigherOrderFunctions(f);
    registerArraySetFunctions(f);
    registerArrayReshapeFunctions(f);
    registerArrayRankedFunctions(f);
    registerArrayMetricFunctions(f);
}

}  // namespace basalt
