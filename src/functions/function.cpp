// function.cpp — FunctionFactory and the generic NULL / constant wrappers.
#include "functions/function.h"

#include <algorithm>
#include <mutex>

#include "columns/column.h"
#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "types/create_column.h"

namespace basalt {

FunctionFactory& FunctionFactory::instance() {
    static FunctionFactory* f = [] {
        auto* ff = new FunctionFactory;
        registerAllFunctions(*ff);
        std::sort(ff->entries_.begin(), ff->entries_.end(), [](auto& a, auto& b) { return a.first < b.first; });
        return ff;
    }();
    return *f;
}

void registerAllFunctions(FunctionFactory& f) {
    registerArithmeticFunctions(f);
    registerComparisonFunctions(f);
    registerLogicalFunctions(f);
    registerConditionalFunctions(f);
    registerConversionFunctions(f);
    registerTupleArrayBasicFunctions(f);
    registerMiscFunctions(f);
    registerAggregateStateFunctions(f);
    registerDictionaryFunctions(f);
    registerExtraFunctions(f);
}

void FunctionFactory::registerFunction(const std::string& name, FunctionBuilder builder, FunctionProperties props) {
    // Sorted once after all registrations (FunctionFactory::instance), not per insert.
    entries_.push_back({name, Entry{std::move(builder), props}});
}

void FunctionFactory::registerAlias(const std::string& alias, const std::string& name, bool case_insensitive) {
    aliases_.push_back({case_insensitive ? toLower(alias) : alias, name});
}

const FunctionFactory::Entry* FunctionFactory::find(const std::string& name) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name, [](auto& e, const std::string& n) { return e.first < n; });
    if (it != entries_.end() && it->first == name) return &it->second;
    for (auto& [a, target] : aliases_)
        if (a == name || a == toLower(name)) return find(target);
    std::string lname = toLower(name);
    for (auto& e : entries_)
        if (e.second.props.case_insensitive && toLower(e.first) == lname) return &e.second;
    return nullptr;
}

bool FunctionFactory::has(const std::string& name) const { return find(name) != nullptr; }

const FunctionProperties* FunctionFactory::properties(const std::string& name) const {
    auto* e = find(name);
    return e ? &e->props : nullptr;
}

std::vector<std::string> FunctionFactory::names() const {
    std::vector<std::string> r;
    for (auto& e : entries_) r.push_back(e.first);
    for (auto& a : aliases_) r.push_back(a.first);
    return r;
}

std::vector<std::string> FunctionFactory::hints(const std::string& name) const {
    std::vector<std::pair<size_t, std::string>> scored;
    for (auto& n : names()) {
        size_t d = editDistance(name, n);
        if (d <= std::max<size_t>(1, name.size() / 3)) scored.push_back({d, n});
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> r;
    for (size_t i = 0; i < scored.size() && i < 2; ++i) r.push_back(scored[i].second);
    return r;
}

namespace {

// NULL handling: strip Nullable from the arguments, run the inner function on the nested columns and
// wrap the result with the OR of the argument null maps.
class NullWrapper final : public IExecutableFunction {
public:
    NullWrapper(FunctionPtr inner, bool always_null) : inner_(std::move(inner)), always_null_(always_null) {
        name = inner_ ? inner_->name : "";
        deterministic = inner_ ? inner_->deterministic : true;
    }
    ColumnPtr execute(const ColumnsWithTypeAndName& args, size_t rows) const override {
        if (always_null_) return createConstColumn(result_type, Field(), rows);
        ColumnsWithTypeAndName stripped = args;
        auto null_map = ColumnUInt8::create(rows);
        auto& nm = null_map->getData();
        std::fill(nm.begin(), nm.end(), 0);
        bool any_null = false;
        for (auto& a : stripped) {
            if (a.type->id != TypeId::Nullable) continue;
            a.type = a.type->nested[0];
            if (a.column->isConst()) {
                auto& cc = static_cast<const ColumnConst&>(*a.column);
                auto& inner = static_cast<const ColumnNullable&>(cc.getDataColumn());
                if (inner.isNullAt(0)) { std::fill(nm.begin(), nm.end(), 1); any_null = true; }
                a.column = std::make_shared<ColumnConst>(inner.getNestedPtr(), rows);
            } else {
                auto& nc = static_cast<const ColumnNullable&>(*a.column);
                auto& src = nc.getNullMap();
                for (size_t i = 0; i < rows; ++i) nm[i] |= src[i];
                any_null = true;
                a.column = nc.getNestedPtr();
            }
        }
        ColumnPtr res = inner_->execute(stripped, rows);
        if (result_type->id != TypeId::Nullable) return res;   // inner already returns Nullable
        res = materialize(res);
        if (res->isNullable()) {
            // Inner produced its own NULLs (e.g. toUInt8OrNull): merge maps.
            auto& rn = static_cast<const ColumnNullable&>(*res);
            auto merged = ColumnUInt8::create(rows);
            for (size_t i = 0; i < rows; ++i) merged->getData()[i] = rn.getNullMap()[i] | nm[i];
            return std::make_shared<ColumnNullable>(rn.getNestedPtr(), merged);
        }
        (void)any_null;
        return std::make_shared<ColumnNullable>(std::const_pointer_cast<IColumn>(res), null_map);
    }

private:
    FunctionPtr inner_;
    bool always_null_;
};

class ConstWrapper final : public IExecutableFunction {
public:
    explicit ConstWrapper(FunctionPtr inner) : inner_(std::move(inner)) {
        name = inner_->name;
        result_type = inner_->result_type;
        deterministic = inner_->deterministic;
    }
    ColumnPtr execute(const ColumnsWithTypeAndName& args, size_t rows) const override {
        bool all_const = !args.empty();
        for (auto& a : args) all_const = all_const && a.column->isConst();
        if (!all_const || !deterministic) return inner_->execute(args, rows);
        ColumnsWithTypeAndName one = args;
        for (auto& a : one) a.column = static_cast<const ColumnConst&>(*a.column).getDataColumnPtr();
        ColumnPtr r = inner_->execute(one, 1);
        if (!r) throw Exception(ErrorCodes::LOGICAL_ERROR, "Function " + name + " returned no column");
        if (r->isConst()) r = static_cast<const ColumnConst&>(*r).getDataColumnPtr();
        if (r->size() != 1) return inner_->execute(args, rows);
        return std::make_shared<ColumnConst>(r, rows);
    }

private:
    FunctionPtr inner_;
};

// ClickHouse's default implementation for LowCardinality (see function.h).
class LowCardinalityWrapper final : public IExecutableFunction {
public:
    LowCardinalityWrapper(FunctionPtr inner, bool on_dictionary) : inner_(std::move(inner)), on_dictionary_(on_dictionary) {
        name = inner_->name;
        deterministic = inner_->deterministic;
        result_type = on_dictionary ? makeLowCardinality(inner_->result_type) : inner_->result_type;
    }
    ColumnPtr execute(const ColumnsWithTypeAndName& args, size_t rows) const override {
        ColumnsWithTypeAndName a = args;
        int lc_arg = -1;
        bool single = on_dictionary_;
        for (size_t i = 0; i < a.size(); ++i) {
            if (!a[i].column) { single = false; continue; }
            if (a[i].column->isLowCardinality()) {
                if (lc_arg >= 0) single = false;
                lc_arg = int(i);
            } else if (!a[i].column->isConst()) {
                single = false;
            }
        }
        if (single && lc_arg >= 0) return executeOnDictionary(a, size_t(lc_arg));
        for (auto& x : a) {
            if (x.column) x.column = recursiveRemoveLowCardinality(x.column);
            x.type = recursiveRemoveLowCardinality(x.type);
        }
        ColumnPtr r = inner_->execute(a, rows);
        if (on_dictionary_) r = convertToLowCardinality(r, result_type);
        return r;
    }

private:
    ColumnPtr executeOnDictionary(ColumnsWithTypeAndName& a, size_t k) const {
        auto& lc = static_cast<const ColumnLowCardinality&>(*a[k].column);
        auto used = lc.getUsedDictionary();
        size_t m = used.values->size();
        for (size_t i = 0; i < a.size(); ++i) {
            a[i].type = recursiveRemoveLowCardinality(a[i].type);
            if (i == k) { a[i].column = used.values; continue; }
            auto& cc = static_cast<const ColumnConst&>(*a[i].column);
            a[i].column = std::make_shared<ColumnConst>(recursiveRemoveLowCardinality(cc.getDataColumnPtr()), m);
        }
        ColumnPtr values = materialize(inner_->execute(a, m));
        auto empty = createColumn(result_type);
        return lc.mapResults(static_cast<const ColumnLowCardinality&>(*empty), *values, used);
    }

    FunctionPtr inner_;
    bool on_dictionary_;
};

}  // namespace

FunctionPtr wrapLowCardinality(FunctionPtr inner, bool on_dictionary) {
    return std::make_shared<LowCardinalityWrapper>(std::move(inner), on_dictionary);
}

FunctionPtr FunctionFactory::build(const std::string& name, const ColumnsWithTypeAndName& args, const FunctionContext& ctx) const {
    const Entry* e = find(name);
    if (!e) {
        std::string msg = "Function with name `" + name + "` does not exist";
        auto h = hints(name);
        if (!h.empty()) {
            msg += ". Maybe you meant: [";
            for (size_t i = 0; i < h.size(); ++i) msg += (i ? ", '" : "'") + h[i] + "'";
            msg += "]";
        }
        throw Exception(ErrorCodes::UNKNOWN_FUNCTION, msg);
    }
    bool any_lc = false;
    for (auto& a : args) any_lc = any_lc || containsLowCardinality(*a.type);
    if (!any_lc || !e->props.default_low_cardinality) return buildWithoutLowCardinality(*e, name, args, ctx);
    // LowCardinality: build for the plain types, then decide whether the function can run on the
    // dictionary (one non-constant LowCardinality argument, all others constant).
    ColumnsWithTypeAndName stripped = args;
    bool has_lc = false;
    size_t full_lc = 0, full_ordinary = 0;
    for (auto& a : stripped) {
        bool is_const = a.column && a.column->isConst();
        if (a.type->id == TypeId::LowCardinality) {
            has_lc = true;
            full_lc += !is_const;
        } else {
            full_ordinary += !is_const;
        }
        a.type = recursiveRemoveLowCardinality(a.type);
        if (a.column) a.column = recursiveRemoveLowCardinality(a.column);
    }
    FunctionPtr inner = buildWithoutLowCardinality(*e, name, stripped, ctx);
    bool on_dictionary = e->props.low_cardinality_dictionary && e->props.deterministic && inner->deterministic && has_lc &&
                         full_lc <= 1 && full_ordinary == 0 && inner->result_type->canBeInsideLowCardinality();
    return wrapLowCardinality(inner, on_dictionary);
}

FunctionPtr FunctionFactory::buildWithoutLowCardinality(const Entry& entry, const std::string& name, const ColumnsWithTypeAndName& args,
                                                        const FunctionContext& ctx) const {
    const Entry* e = &entry;
    bool has_nullable = false, has_null_const = false;
    ColumnsWithTypeAndName inner_args = args;
    if (e->props.default_nulls) {
        for (auto& a : inner_args) {
            if (a.type->id != TypeId::Nullable) continue;
            has_nullable = true;
            if (a.type->nested[0]->id == TypeId::Nothing) has_null_const = true;
            if (a.column && a.column->isConst()) {
                auto& cc = static_cast<const ColumnConst&>(*a.column);
                auto& inner = static_cast<const ColumnNullable&>(cc.getDataColumn());
                if (inner.isNullAt(0)) has_null_const = true;
                a.column = std::make_shared<ColumnConst>(inner.getNestedPtr(), cc.size());
            }
            a.type = a.type->nested[0];
        }
    }
    FunctionPtr fn;
    if (has_null_const) {
        auto w = std::make_shared<NullWrapper>(nullptr, true);
        // Result type: still resolve when possible so the type is right (ClickHouse: Nullable(Nothing)
        // when an argument is the NULL literal).
        w->result_type = makeNullable(makeType(TypeId::Nothing));
        w->name = name;
        fn = w;
    } else {
        fn = e->builder(inner_args, ctx);
        if (has_nullable) {
            auto w = std::make_shared<NullWrapper>(fn, false);
            w->result_type = fn->result_type->canBeInsideNullable() ? makeNullable(fn->result_type) : fn->result_type;
            fn = w;
        }
    }
    if (e->props.default_constants) fn = std::make_shared<ConstWrapper>(fn);
    return fn;
}

ColumnPtr executeFunction(const IExecutableFunction& f, const ColumnsWithTypeAndName& args, size_t rows) {
    return f.execute(args, rows);
}

void throwIllegalType(const std::string& fn, const DataTypePtr& type, size_t arg_index) {
    static const char* ordinals[] = {"first", "second", "third", "fourth", "fifth", "sixth"};
    std::string ord = arg_index < 6 ? ordinals[arg_index] : std::to_string(arg_index + 1) + "th";
    throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT,
                    "Illegal type " + type->name() + " of " + ord + " argument of function " + fn);
}

void throwArgumentCount(const std::string& fn, size_t got, const std::string& expected) {
    throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH,
                    "Number of arguments for function " + fn + " doesn't match: passed " + std::to_string(got) +
                        ", should be " + expected);
}

void checkArgumentCount(const std::string& fn, const ColumnsWithTypeAndName& args, size_t min, size_t max) {
    if (args.size() < min || args.size() > max) {
        std::string exp = min == max ? std::to_string(min) : "from " + std::to_string(min) + " to " + std::to_string(max);
        throwArgumentCount(fn, args.size(), exp);
    }
}

}  // namespace basalt
