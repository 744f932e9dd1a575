// array_reshape.cpp — owns the array functions that move elements around or build arrays of
// another shape from them: arrayRotateLeft/Right, arrayShiftLeft/Right, arrayShingles,
// arrayTranspose, arrayZipUnaligned, replicate, arrayElementOrNull, and the random ones
// arrayShuffle, arrayPartialShuffle, arrayRandomSample.
//
// The random functions draw from ClickHouse's generator (pcg64_fast) the way ClickHouse does, so a
// seeded arrayShuffle / arrayPartialShuffle returns ClickHouse's permutation.
#include <algorithm>
#include <random>

#include "common/exception.h"
#include "common/wide_integer.h"
#include "functions/cast.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

const ColumnArray& arrayOf(const ColumnPtr& c) { return static_cast<const ColumnArray&>(*c); }

bool isNativeInteger(const DataType& t) { return t.isInteger() && t.valueSize() <= 8; }

// A per-row integer argument as Int64 (IColumn::getInt: unsigned values reinterpret).
std::vector<int64_t> readInts(const ColumnWithTypeAndName& a, size_t rows) {
    std::vector<int64_t> out(rows);
    ColumnPtr c = materialize(a.column);
    dispatchNumber(a.type->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        auto& v = static_cast<const ColumnVector<T>&>(*c).getData();
        for (size_t i = 0; i < rows; ++i) out[i] = int64_t(v[i]);
    });
    return out;
}

// ---- rotate / shift ----

FunctionPtr buildRotate(bool left, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    std::string fn = left ? "arrayRotateLeft" : "arrayRotateRight";
    checkArgumentCount(fn, args, 2, 2);
    if (args[0].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + args[0].type->name() + " of argument of function " + fn + ", expected Array");
    if (!isNativeInteger(*args[1].type))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + args[1].type->name() + " of argument of function " + fn + ", expected Native Integer");
    return makeFunction(fn, args[0].type, [left](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        std::vector<int64_t> shifts = readInts(a[1], rows);
        Permutation perm(arr.getData().size());
        for (size_t i = 0; i < rows; ++i) {
            size_t b = arr.offsetAt(i), n = arr.sizeAt(i);
            int64_t s = shifts[i];
            bool to_left = left;
            if (s < 0) {
                if (s == INT64_MIN)
                    throw Exception(ErrorCodes::VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE, "Shift number " + std::to_string(s) + " is out of range");
                to_left = !to_left;
                s = -s;
            }
            size_t shift = size_t(s);
            if (n > 0 && shift >= n) shift %= n;
            if (!to_left) shift = n - shift;   // rotating right by k is rotating left by n - k
            for (size_t j = 0; j < n; ++j) perm[b + j] = uint32_t(b + (j + shift) % n);
        }
        ColumnPtr data = arr.getData().permute(perm, 0);
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
    });
}

FunctionPtr buildShift(bool left, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    std::string fn = left ? "arrayShiftLeft" : "arrayShiftRight";
    if (args.size() < 2) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function " + fn + " requires at least two arguments.");
    if (args.size() > 3) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function " + fn + " requires at most three arguments.");
    if (args[0].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + args[0].type->name() + " of argument of function " + fn + ", expected Array");
    if (!isNativeInteger(*args[1].type))
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + args[1].type->name() + " of argument of function " + fn + ", expected Native Integer");
    DataTypePtr et = args[0].type->nested[0];
    if (args.size() == 3) {
        // The default must fit the element type: their supertype is the element type itself.
        DataTypePtr super;
        try { super = getLeastSupertype({et, args[2].type}); } catch (const Exception&) {}
        if (!super || !super->equals(*et))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + args[2].type->name() + " of argument of function " + fn + ", expected " + et->name());
    }
    return makeFunction(fn, args[0].type, [left, et, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        std::vector<int64_t> shifts = readInts(a[1], rows);
        ColumnPtr def = a.size() == 3 ? materialize(castColumn(a[2].column, a[2].type, et, ctx)) : nullptr;
        auto data = arr.getData().cloneEmpty();
        data->reserve(arr.getData().size());
        auto defaults = [&](size_t i, size_t k) {
            for (size_t j = 0; j < k; ++j) { if (def) data->insertFrom(*def, i); else data->insertDefault(); }
        };
        for (size_t i = 0; i < rows; ++i) {
            size_t b = arr.offsetAt(i), n = arr.sizeAt(i);
            int64_t s = shifts[i];
            bool to_left = left;
            if (s < 0) {
                if (s == INT64_MIN)
                    throw Exception(ErrorCodes::VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE, "Shift number " + std::to_string(s) + " is out of range");
                to_left = !to_left;
                s = -s;
            }
            size_t filled = std::min(size_t(s), n), kept = n - filled;
            if (to_left) {
                data->insertRangeFrom(arr.getData(), b + filled, kept);
                defaults(i, filled);
            } else {
                defaults(i, filled);
                data->insertRangeFrom(arr.getData(), b, kept);
            }
        }
        return std::make_shared<ColumnArray>(data, arr.getOffsets());
    });
}

// ---- shingles / transpose / zip / replicate ----

// arrayShingles(arr, l): every run of l consecutive elements.
FunctionPtr buildShingles(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayShingles", args, 2, 2);
    if (args[0].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "A value of illegal type was provided as 1st argument 'array' to function 'arrayShingles'. Expected: Array, got: " +
                                                                  args[0].type->name());
    if (!args[1].type->isInteger() || args[1].type->valueSize() > 8)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "A value of illegal type was provided as 2nd argument 'length' to function 'arrayShingles'. Expected: Integer, got: " +
                                                                  args[1].type->name());
    return makeFunction("arrayShingles", makeArray(args[0].type), [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        std::vector<int64_t> lens = readInts(a[1], rows);
        if (a[1].type->isUnsignedInteger())
            for (auto& l : lens) if (l < 0) l = INT64_MAX;   // huge unsigned lengths are too long, not negative
        auto data = arr.getData().cloneEmpty();
        Offsets inner, outer;
        for (size_t i = 0; i < rows; ++i) {
            int64_t l = lens[i];
            if (l <= 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Shingle argument of function arrayShingles must be a positive integer");
            size_t n = arr.sizeAt(i), b = arr.offsetAt(i);
            if (uint64_t(l) > n) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Shingle argument of function arrayShingles must less or equal than the array length");
            for (size_t s = 0; s + size_t(l) <= n; ++s) {
                data->insertRangeFrom(arr.getData(), b + s, size_t(l));
                inner.push_back(data->size());
            }
            outer.push_back(inner.size());
        }
        auto mid = std::make_shared<ColumnArray>(data, std::move(inner));
        return std::make_shared<ColumnArray>(mid, std::move(outer));
    });
}

// arrayTranspose([[a, b], [c, d]]) = [[a, c], [b, d]]; the inner arrays of a row must be equal in size.
FunctionPtr buildTranspose(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayTranspose", args, 1, 1);
    const DataTypePtr& t = args[0].type;
    if (t->id != TypeId::Array || t->nested[0]->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument of function arrayTranspose must be Array(Array(T)), got " + t->name());
    return makeFunction("arrayTranspose", t, [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& outer = arrayOf(c);
        auto& inner = static_cast<const ColumnArray&>(outer.getData());
        Permutation perm;
        Offsets res_inner, res_outer;
        for (size_t i = 0; i < rows; ++i) {
            size_t b = outer.offsetAt(i), m = outer.sizeAt(i);
            size_t n = m ? inner.sizeAt(b) : 0;
            for (size_t r = 1; r < m; ++r)
                if (inner.sizeAt(b + r) != n)
                    throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "All inner arrays in argument of function arrayTranspose must have equal sizes, but row " +
                                                                                std::to_string(i) + " has inner arrays of size " + std::to_string(n) + " and " +
                                                                                std::to_string(inner.sizeAt(b + r)));
            for (size_t col = 0; col < n; ++col) {
                for (size_t r = 0; r < m; ++r) perm.push_back(uint32_t(inner.offsetAt(b + r) + col));
                res_inner.push_back(perm.size());
            }
            res_outer.push_back(res_inner.size());
        }
        ColumnPtr data = inner.getData().permute(perm, 0);
        auto mid = std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), std::move(res_inner));
        return std::make_shared<ColumnArray>(mid, std::move(res_outer));
    });
}

// arrayZipUnaligned(a, b, ...): tuples of the i-th elements, NULL where an array is shorter.
FunctionPtr buildZipUnaligned(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    DataTypes ts;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(i + 1) + " of function arrayZipUnaligned must be array. Found " +
                                                                      args[i].type->name() + " instead");
        const DataTypePtr& et = args[i].type->nested[0];
        if (!et->isNullable() && !et->canBeInsideNullable())
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Nested type " + et->name() + " cannot be inside Nullable type");
        ts.push_back(makeNullable(et));
    }
    DataTypePtr tt = makeTuple(ts);
    return makeFunction("arrayZipUnaligned", makeArray(tt), [ts](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        std::vector<ColumnPtr> hs;
        for (auto& x : a) hs.push_back(materialize(x.column));
        std::vector<MutableColumnPtr> cols;
        for (auto& t : ts) cols.push_back(createColumn(t));
        Offsets off;
        off.reserve(rows);
        size_t total = 0;
        for (size_t i = 0; i < rows; ++i) {
            size_t n = 0;
            for (auto& h : hs) n = std::max(n, arrayOf(h).sizeAt(i));
            for (size_t j = 0; j < hs.size(); ++j) {
                auto& arr = arrayOf(hs[j]);
                auto& out = *cols[j];
                size_t have = arr.sizeAt(i);
                if (arr.getData().isNullable()) out.insertRangeFrom(arr.getData(), arr.offsetAt(i), have);
                else for (size_t k = 0; k < have; ++k) static_cast<ColumnNullable&>(out).insertFromNotNullable(arr.getData(), arr.offsetAt(i) + k);
                out.insertManyDefaults(n - have);
            }
            total += n;
            off.push_back(total);
        }
        auto tuple = std::make_shared<ColumnTuple>(std::move(cols));
        return std::make_shared<ColumnArray>(tuple, std::move(off));
    });
}

// replicate(x, arr): an array of arr's size filled with x.
FunctionPtr buildReplicate(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    if (args.size() < 2) throwArgumentCount("replicate", args.size(), "at least 2");
    for (size_t i = 1; i < args.size(); ++i)
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "A value of illegal type was provided as 2nd argument 'array' to function 'replicate'. Expected: Array, got: " +
                                                                      args[i].type->name());
    DataTypePtr et = args[0].type;
    return makeFunction("replicate", makeArray(et), [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr x = materialize(a[0].column);
        ColumnPtr c = materialize(a[1].column);
        auto& arr = arrayOf(c);
        Permutation perm(arr.getData().size());
        for (size_t i = 0; i < rows; ++i)
            for (size_t k = arr.offsetAt(i); k < arr.getOffsets()[i]; ++k) perm[k] = uint32_t(i);
        ColumnPtr data = x->permute(perm, 0);
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), arr.getOffsets());
    });
}

// arrayElementOrNull(arr, i) / (map, key): like arr[i] / map[key] but NULL when out of range or absent.
FunctionPtr buildElementOrNull(const ColumnsWithTypeAndName& args, const FunctionContext& ctx) {
    checkArgumentCount("arrayElementOrNull", args, 2, 2);
    const DataTypePtr& t = args[0].type;
    if (t->id != TypeId::Array && t->id != TypeId::Map) throwIllegalType("arrayElementOrNull", t, 0);
    bool is_map = t->id == TypeId::Map;
    DataTypePtr et = is_map ? t->nested[1] : t->nested[0];
    if (!is_map && !args[1].type->isInteger())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Second argument for function 'arrayElementOrNull' must be integer, got '" + args[1].type->name() + "' instead");
    bool wrap = !et->isNullable() && et->canBeInsideNullable();
    DataTypePtr rt = wrap ? makeNullable(et) : et;
    DataTypePtr key_t = is_map ? t->nested[0] : makeType(TypeId::Int64);
    return makeFunction("arrayElementOrNull", rt, [is_map, wrap, rt, key_t, ctx](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        auto& arr = arrayOf(c);
        ColumnPtr key = materialize(castColumn(a[1].column, a[1].type, key_t, ctx));
        const IColumn& values = is_map ? static_cast<const ColumnTuple&>(arr.getData()).getColumn(1) : arr.getData();
        auto res = createColumn(rt);
        res->reserve(rows);
        for (size_t i = 0; i < rows; ++i) {
            size_t b = arr.offsetAt(i), n = arr.sizeAt(i), found = SIZE_MAX;
            if (is_map) {
                auto& keys = static_cast<const ColumnTuple&>(arr.getData()).getColumn(0);
                for (size_t k = b; k < b + n; ++k)
                    if (keys.compareAt(k, i, *key, 1) == 0) { found = k; break; }
            } else {
                int64_t k = static_cast<const ColumnInt64&>(*key).getData()[i];
                if (k > 0 && uint64_t(k) <= n) found = b + size_t(k) - 1;
                else if (k < 0 && k != INT64_MIN && uint64_t(-k) <= n) found = b + n - size_t(-k);
            }
            if (found == SIZE_MAX) res->insertDefault();
            else if (wrap) static_cast<ColumnNullable&>(*res).insertFromNotNullable(values, found);
            else res->insertFrom(values, found);
        }
        return ColumnPtr(res);
    });
}

// ---- random ----

uint64_t constSeed(const std::string& fn, const ColumnWithTypeAndName& a, size_t index) {
    // Constant arguments arrive as ColumnConst, or as one-row columns when every argument is constant.
    if (!a.column || (!a.column->isConst() && a.column->size() > 1))
        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Argument at index " + std::to_string(index) + " for function " + fn + " must be constant");
    return uint64_t(readInts(a, 1)[0]);
}

// ClickHouse's generator for these functions: pcg64_fast (a 128-bit multiplicative congruential
// generator with the XSL-RR output function), seeded with seed | 3.
class Pcg64Fast {
public:
    explicit Pcg64Fast(uint64_t seed) : state_(UInt128(seed) | 3) {}
    uint64_t operator()() {
        static const UInt128 mul = (UInt128(0x2360ED051FC65DA4ULL) << 64) | 0x4385DF649FCCF645ULL;
        state_ *= mul;
        unsigned rot = unsigned(state_ >> 122) & 63;
        uint64_t x = uint64_t(state_ ^ (state_ >> 64));
        return rot ? (x >> rot) | (x << (64 - rot)) : x;
    }

private:
    UInt128 state_;
};

// A uniform integer in [0, bound] the way libc++'s uniform_int_distribution draws it from a
// 64-bit generator: the fewest low bits that can hold the range, redrawn until in range.
uint64_t uniformUpTo(Pcg64Fast& g, uint64_t bound) {
    if (bound == 0) return 0;
    uint64_t range = bound + 1;
    if (range == 0) return g();
    unsigned w = 63 - unsigned(__builtin_clzll(range));
    if (range & ((uint64_t(1) << w) - 1)) ++w;
    uint64_t mask = w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1;
    uint64_t u;
    do u = g() & mask; while (u >= range);
    return u;
}

// Shuffles each row's first `limit` positions from all its elements (limit 0 or >= size: a full
// shuffle), drawing as ClickHouse's partial_shuffle / std::shuffle do, so seeded results match.
// `truncate` keeps only the shuffled positions (arrayRandomSample).
ColumnPtr shuffleRows(const ColumnArray& arr, size_t rows, uint64_t limit, Pcg64Fast& rng, bool truncate) {
    Permutation perm;
    Offsets off;
    std::vector<uint32_t> idx;
    for (size_t i = 0; i < rows; ++i) {
        size_t b = arr.offsetAt(i), n = arr.sizeAt(i);
        idx.resize(n);
        for (size_t k = 0; k < n; ++k) idx[k] = uint32_t(b + k);
        size_t take = limit == 0 || limit >= n ? n : size_t(limit);
        for (size_t k = 0; k < take; ++k) std::swap(idx[k], idx[k + uniformUpTo(rng, n - k - 1)]);
        size_t keep = truncate ? take : n;
        for (size_t k = 0; k < keep; ++k) perm.push_back(idx[k]);
        off.push_back(perm.size());
    }
    ColumnPtr data = arr.getData().permute(perm, 0);
    return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(data), std::move(off));
}

FunctionPtr buildShuffle(bool partial, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    std::string fn = partial ? "arrayPartialShuffle" : "arrayShuffle";
    size_t max_args = partial ? 3 : 2;
    if (args.empty() || args.size() > max_args)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function " + fn + " needs 1.." + std::to_string(max_args) + " arguments; passed " +
                                                                          std::to_string(args.size()) + ".");
    if (args[0].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument of function '" + fn + "' must be array");
    for (size_t i = 1; i < args.size(); ++i)
        if (!isNativeInteger(*args[i].type))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + args[i].type->name() + " of arguments of function " + fn + " (must be UInt or Int)");
    return makeFunction(fn, args[0].type, [fn, partial](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        uint64_t limit = 0;
        if (partial && a.size() >= 2) limit = constSeed(fn, a[1], 1);
        size_t seed_at = partial ? 2 : 1;
        uint64_t seed = a.size() > seed_at ? constSeed(fn, a[seed_at], seed_at) : (std::random_device{}() ^ (uint64_t(std::random_device{}()) << 32));
        Pcg64Fast rng(seed);
        return shuffleRows(arrayOf(c), rows, limit, rng, false);
    });
}

FunctionPtr buildRandomSample(const ColumnsWithTypeAndName& args, const FunctionContext&) {
    checkArgumentCount("arrayRandomSample", args, 2, 2);
    if (args[0].type->id != TypeId::Array)
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "A value of illegal type was provided as 1st argument 'arr' to function 'arrayRandomSample'. Expected: Array, got: " +
                                                                  args[0].type->name());
    std::string bad = "A value of illegal type was provided as 2nd argument 'samples' to function 'arrayRandomSample'. Expected: const UInt*, got: " + args[1].type->name();
    if (!args[1].type->isUnsignedInteger() || args[1].type->valueSize() > 8) throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, bad);
    if (!args[1].column || !args[1].column->isConst()) throw Exception(ErrorCodes::ILLEGAL_COLUMN, bad);
    return makeFunction("arrayRandomSample", args[0].type, [](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        ColumnPtr c = materialize(a[0].column);
        uint64_t samples = uint64_t(readInts(a[1], 1)[0]);
        Pcg64Fast rng(std::random_device{}() ^ (uint64_t(std::random_device{}()) << 32));
        if (samples == 0) {
            Offsets off;
            off.resize_fill(rows, 0);
            return std::make_shared<ColumnArray>(arrayOf(c).getData().cloneEmpty(), std::move(off));
        }
        return shuffleRows(arrayOf(c), rows, samples, rng, true);
    });
}

}  // namespace

void registerArrayReshapeFunctions(FunctionFactory& f) {
    FunctionProperties keep_nulls{.default_nulls = false};
    FunctionProperties random{.default_constants = false, .deterministic = false};
    f.registerFunction("arrayRotateLeft", [](auto& a, auto& c) { return buildRotate(true, a, c); });
    f.registerFunction("arrayRotateRight", [](auto& a, auto& c) { return buildRotate(false, a, c); });
    f.registerFunction("arrayShiftLeft", [](auto& a, auto& c) { return buildShift(true, a, c); });
    f.registerFunction("arrayShiftRight", [](auto& a, auto& c) { return buildShift(false, a, c); });
    f.registerFunction("arrayShingles", buildShingles);
    f.registerFunction("arrayTranspose", buildTranspose);
    f.registerFunction("arrayZipUnaligned", buildZipUnaligned);
    f.registerFunction("replicate", buildReplicate, keep_nulls);
    f.registerFunction("arrayElementOrNull", buildElementOrNull);
    f.registerFunction("arrayShuffle", [](auto& a, auto& c) { return buildShuffle(false, a, c); }, random);
    f.registerFunction("arrayPartialShuffle", [](auto& a, auto& c) { return buildShuffle(true, a, c); }, random);
    f.registerFunction("arrayRandomSample", buildRandomSample, random);
}

}  // namespace basalt
