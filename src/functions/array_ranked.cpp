// array_ranked.cpp — owns arrayEnumerateUniqRanked and arrayEnumerateDenseRanked: the
// arrayEnumerateUniq / arrayEnumerateDense of multidimensional arrays.
//
//   f([clear_depth,] arr1[, depth1], arr2[, depth2], ...)
//
// Elements are taken at the deepest requested depth (max_depth); an element's key is the tuple of
// the elements of every array at that array's own depth above it (the arrays must share their
// shape down to their depths). Numbering restarts for every array at depth clear_depth - 1 (1: per
// row). The result has the shape of the deepest array cut at max_depth, holding UInt32 numbers.
#include <string>
#include <unordered_map>

#include "common/exception.h"
#include "functions/function.h"
#include "types/create_column.h"

namespace basalt {

namespace {

struct RankedArg {
    ColumnPtr column;   // the array (materialized)
    size_t depth = 0;   // effective depth
};

size_t arrayDepth(const DataType& t) {
    size_t d = 0;
    const DataType* p = &t;
    while (p->id == TypeId::Array) { ++d; p = p->nested[0].get(); }
    return d;
}

// A positive constant integer argument (clear_depth or a depth).
size_t constDepth(const std::string& fn, const ColumnWithTypeAndName& a, size_t arg_no, bool first) {
    if (!a.type->isInteger() || !a.column || !a.column->isConst()) {
        if (first) throw Exception(ErrorCodes::BAD_ARGUMENTS, "First argument of " + fn + " must be a positive integer");
        if (a.type->isInteger())
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect argument " + std::to_string(arg_no) + " type of function " + fn +
                                                           ". Expected an Array or Const(UInt64), got " + a.type->name());
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect argument " + std::to_string(arg_no) + " of function " + fn + ". Expected a positive integer");
    }
    Field f = a.column->get(0);
    int64_t v = f.is<int64_t>() ? f.get<int64_t>() : f.is<uint64_t>() ? int64_t(f.get<uint64_t>()) : 0;
    if (v <= 0) {
        if (first) throw Exception(ErrorCodes::BAD_ARGUMENTS, "First argument of " + fn + " must be a positive integer");
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect argument " + std::to_string(arg_no) + " of function " + fn + ". Expected a positive integer");
    }
    return size_t(v);
}

struct RankedPlan {
    size_t clear_depth = 1;
    std::vector<size_t> array_args;   // argument positions of the arrays
    std::vector<size_t> depths;       // their effective depths
    size_t max_depth = 0;
};

RankedPlan planRanked(const std::string& fn, const ColumnsWithTypeAndName& args) {
    RankedPlan p;
    size_t i = 0;
    if (!args.empty() && args[0].type->id != TypeId::Array) {
        p.clear_depth = constDepth(fn, args[0], 1, true);
        i = 1;
    }
    for (; i < args.size(); ++i) {
        if (args[i].type->id != TypeId::Array)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect argument " + std::to_string(i + 1) + " type of function " + fn + ". Expected an Array, got " +
                                                           args[i].type->name());
        size_t full = arrayDepth(*args[i].type), depth = full;
        size_t at = i;
        if (i + 1 < args.size() && args[i + 1].type->id != TypeId::Array) {
            depth = constDepth(fn, args[i + 1], i + 2, false);
            if (depth > full)
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect argument " + std::to_string(i + 2) + " of function " + fn + ". Required depth '" +
                                                               std::to_string(depth) + "' is larger than the array depth (" + std::to_string(full) + ")");
            ++i;
        }
        p.array_args.push_back(at);
        p.depths.push_back(depth);
        p.max_depth = std::max(p.max_depth, depth);
    }
    if (p.array_args.empty())
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect arguments for function " + fn + ": At least one array should be passed");
    if (p.clear_depth > p.max_depth)
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Incorrect arguments for function " + fn + ": clear_depth (" + std::to_string(p.clear_depth) +
                                                       ") can't be larger than max_array_depth (" + std::to_string(p.max_depth) + ")");
    return p;
}

DataTypePtr nestedUInt32(size_t depth) {
    DataTypePtr t = makeType(TypeId::UInt32);
    for (size_t d = 0; d < depth; ++d) t = makeArray(t);
    return t;
}

FunctionPtr buildRanked(bool dense, const ColumnsWithTypeAndName& args, const FunctionContext&) {
    std::string fn = dense ? "arrayEnumerateDenseRanked" : "arrayEnumerateUniqRanked";
    RankedPlan plan = planRanked(fn, args);
    return makeFunction(fn, nestedUInt32(plan.max_depth), [fn, dense, plan](const ColumnsWithTypeAndName& a, size_t rows) -> ColumnPtr {
        size_t n = plan.array_args.size();
        // levels[p][d]: the ColumnArray of array p at nesting level d (0 = the argument itself).
        std::vector<ColumnPtr> holders;
        std::vector<std::vector<const ColumnArray*>> levels(n);
        size_t deepest = 0;
        for (size_t p = 0; p < n; ++p) {
            holders.push_back(materialize(a[plan.array_args[p]].column));
            const IColumn* c = holders.back().get();
            for (size_t d = 0; d < plan.depths[p]; ++d) {
                auto* arr = static_cast<const ColumnArray*>(c);
                levels[p].push_back(arr);
                c = &arr->getData();
            }
            if (plan.depths[p] > plan.depths[deepest]) deepest = p;
        }
        // Every array must have the deepest one's offsets at each of its levels.
        for (size_t p = 0; p < n; ++p)
            for (size_t d = 0; d < plan.depths[p]; ++d)
                if (levels[p][d]->getOffsets().size() != levels[deepest][d]->getOffsets().size() ||
                    !std::equal(levels[p][d]->getOffsets().begin(), levels[p][d]->getOffsets().end(), levels[deepest][d]->getOffsets().begin()))
                    throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Lengths and effective depths of all arrays passed to " + fn + " must be equal");
        // parent[d][e]: for an element e of level d (the data of levels[deepest][d - 1]), its index at
        // level d - 1; level 0 indexes are rows.
        size_t max_depth = plan.max_depth;
        std::vector<std::vector<uint32_t>> parent(max_depth + 1);
        for (size_t d = 1; d <= max_depth; ++d) {
            auto& off = levels[deepest][d - 1]->getOffsets();
            parent[d].resize(off.empty() ? 0 : off.back());
            for (size_t r = 0; r < off.size(); ++r)
                for (size_t e = r ? off[r - 1] : 0; e < off[r]; ++e) parent[d][e] = uint32_t(r);
        }
        size_t count = parent[max_depth].size();
        auto result = ColumnUInt32::create(count);
        std::unordered_map<std::string, uint32_t> seen;
        std::string key;
        size_t scope = SIZE_MAX;
        for (size_t e = 0; e < count; ++e) {
            // The element's ancestor at level clear_depth - 1 delimits where numbering restarts.
            size_t anc = e;
            for (size_t d = max_depth; d > plan.clear_depth - 1; --d) anc = parent[d][anc];
            if (anc != scope) { seen.clear(); scope = anc; }
            key.clear();
            for (size_t p = 0; p < n; ++p) {
                size_t idx = e;
                for (size_t d = max_depth; d > plan.depths[p]; --d) idx = parent[d][idx];
                levels[p][plan.depths[p] - 1]->getData().serializeValue(idx, key);
            }
            if (dense) result->getData()[e] = seen.try_emplace(key, uint32_t(seen.size() + 1)).first->second;
            else result->getData()[e] = ++seen[key];
        }
        // The deepest array's offsets, innermost first, around the numbers.
        ColumnPtr out = result;
        for (size_t d = max_depth; d > 0; --d)
            out = std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(out), levels[deepest][d - 1]->getOffsets());
        (void)rows;
        return out;
    });
}

}  // namespace

void registerArrayRankedFunctions(FunctionFactory& f) {
    f.registerFunction("arrayEnumerateUniqRanked", [](auto& a, auto& c) { return buildRanked(false, a, c); });
    f.registerFunction("arrayEnumerateDenseRanked", [](auto& a, auto& c) { return buildRanked(true, a, c); });
}

}  // namespace basalt
