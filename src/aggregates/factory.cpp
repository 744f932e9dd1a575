// factory.cpp — AggregateFunctionFactory, the Arena, and the generic combinators: NULL skipping
// (Nullable arguments), -If, -OrNull, -OrDefault, -Distinct, -State/-Merge come in combinators.cpp.
#include <algorithm>

#include "aggregates/aggregate_function.h"
#include "common/exception.h"
#include "common/memory_tracker.h"
#include "common/string_utils.h"

namespace basalt {

Arena::~Arena() {
    for (auto& c : chunks_) trackedFree(c.data, c.size);
}

char* Arena::alloc(size_t size, size_t align) {
    uintptr_t p = (reinterpret_cast<uintptr_t>(pos_) + align - 1) & ~(uintptr_t(align) - 1);
    if (!pos_ || p + size > reinterpret_cast<uintptr_t>(end_)) {
        size_t chunk = std::max<size_t>(size + align, chunks_.empty() ? 4096 : std::min<size_t>(chunks_.back().size * 2, 128 << 20));
        char* d = static_cast<char*>(trackedAlloc(chunk));
        chunks_.push_back({d, chunk});
        allocated_ += chunk;
        pos_ = d;
        end_ = d + chunk;
        p = (reinterpret_cast<uintptr_t>(pos_) + align - 1) & ~(uintptr_t(align) - 1);
    }
    pos_ = reinterpret_cast<char*>(p + size);
    return reinterpret_cast<char*>(p);
}

AggregateFunctionFactory& AggregateFunctionFactory::instance() {
    static AggregateFunctionFactory* f = [] {
        auto* ff = new AggregateFunctionFactory;
        registerBasicAggregateFunctions(*ff);
        registerStatisticalAggregateFunctions(*ff);
        registerCombinators(*ff);
        return ff;
    }();
    return *f;
}

void AggregateFunctionFactory::registerFunction(const std::string& name, Creator c, bool case_insensitive) {
    creators_.push_back({name, std::move(c)});
    if (case_insensitive) case_insensitive_.push_back(toLower(name));
}

const AggregateFunctionFactory::Creator* AggregateFunctionFactory::find(const std::string& name) const {
    for (auto& [n, c] : creators_)
        if (n == name) return &c;
    std::string l = toLower(name);
    if (std::find(case_insensitive_.begin(), case_insensitive_.end(), l) != case_insensitive_.end())
        for (auto& [n, c] : creators_)
            if (toLower(n) == l) return &c;
    return nullptr;
}

std::vector<std::string> AggregateFunctionFactory::names() const {
    std::vector<std::string> r;
    for (auto& [n, c] : creators_) r.push_back(n);
    return r;
}

namespace {
const char* kCombinators[] = {"If", "SimpleState", "State", "Merge", "OrNull", "OrDefault", "Distinct", "ForEach", "Array"};
}

bool AggregateFunctionFactory::isAggregateFunctionName(const std::string& name) const {
    if (find(name)) return true;
    for (const char* suf : kCombinators) {
        std::string s = suf;
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0 &&
            isAggregateFunctionName(name.substr(0, name.size() - s.size())))
            return true;
    }
    return false;
}

AggregateFunctionPtr makeIfCombinator(AggregateFunctionPtr nested, const DataTypes& args);
AggregateFunctionPtr makeNullSkipping(AggregateFunctionPtr nested, const DataTypes& args, bool nullable_result);
AggregateFunctionPtr makeOrNullCombinator(AggregateFunctionPtr nested, const DataTypes& args);
AggregateFunctionPtr makeOrDefaultCombinator(AggregateFunctionPtr nested, const DataTypes& args);
AggregateFunctionPtr makeDistinctCombinator(AggregateFunctionPtr nested, const DataTypes& args);
AggregateFunctionPtr makeStateCombinator(AggregateFunctionPtr nested, const DataTypes& args);
AggregateFunctionPtr makeMergeCombinator(const std::string& nested_name, const DataTypes& args, const std::vector<Field>& params);
AggregateFunctionPtr makeArrayCombinator(AggregateFunctionPtr nested, const DataTypes& args);
AggregateFunctionPtr makeSimpleStateCombinator(AggregateFunctionPtr nested, const DataTypes& args);
AggregateFunctionPtr makeForEachCombinator(AggregateFunctionPtr nested, const DataTypes& args);

AggregateFunctionPtr AggregateFunctionFactory::get(const std::string& name, const DataTypes& args, const std::vector<Field>& params) const {
    if (const Creator* c = find(name)) {
        // Nullable arguments: the nested function sees non-Nullable types; NULL rows are skipped.
        bool any_nullable = std::any_of(args.begin(), args.end(), [](auto& t) { return t->id == TypeId::Nullable; });
        if (!any_nullable) return (*c)(name, args, params);
        DataTypes stripped;
        bool all_null = false;
        for (auto& t : args) {
            stripped.push_back(removeNullable(t));
            if (t->id == TypeId::Nullable && t->nested[0]->id == TypeId::Nothing) all_null = true;
        }
        if (all_null) {
            // f(NULL): ClickHouse returns NULL (count returns 0). Use UInt8 placeholder for the nested function.
            for (auto& t : stripped) if (t->id == TypeId::Nothing) t = makeType(TypeId::UInt8);
        }
        auto nested = (*c)(name, stripped, params);
        std::string lname = toLower(name);
        bool keeps_plain = lname == "count" || startsWith(lname, "uniq") || lname == "grouparray" || lname == "groupuniqarray" ||
                           lname == "topk" || lname == "summap" || lname == "minmap" || lname == "maxmap" || lname == "argmin" || lname == "argmax";
        return makeNullSkipping(nested, args, !keeps_plain && nested->resultType()->canBeInsideNullable());
    }
    // Combinators, longest suffix first.
    for (const char* suf : kCombinators) {
        std::string s = suf;
        if (name.size() <= s.size() || name.compare(name.size() - s.size(), s.size(), s) != 0) continue;
        std::string base = name.substr(0, name.size() - s.size());
        if (!isAggregateFunctionName(base)) continue;
        auto checkCondition = [&] {
            // A NULL literal condition (Nullable(Nothing)) is allowed: it never holds.
            TypeId c = args.empty() ? TypeId::Nothing : removeNullable(args.back())->id;
            if (args.empty() || (c != TypeId::UInt8 && c != TypeId::Bool && !(c == TypeId::Nothing && args.back()->id == TypeId::Nullable)))
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + (args.empty() ? std::string("(none)") : args.back()->name()) +
                                                                          " of last argument for aggregate function with If suffix");
        };
        if (s == "If") {
            checkCondition();
            DataTypes nested_args(args.begin(), args.end() - 1);
            return makeIfCombinator(get(base, nested_args, params), args);
        }
        if ((s == "OrNull" || s == "OrDefault") && base.size() > 2 && base.compare(base.size() - 2, 2, "If") == 0 && !find(base)) {
            // fIfOrNull: the flag must only see rows that pass the condition, so build If(OrNull(f)).
            checkCondition();
            DataTypes nested_args(args.begin(), args.end() - 1);
            return makeIfCombinator(get(base.substr(0, base.size() - 2) + s, nested_args, params), args);
        }
        if (s == "OrNull") return makeOrNullCombinator(get(base, args, params), args);
        if (s == "OrDefault") return makeOrDefaultCombinator(get(base, args, params), args);
        if (s == "Distinct") return makeDistinctCombinator(get(base, args, params), args);
        if (s == "SimpleState") return makeSimpleStateCombinator(get(base, args, params), args);
        if (s == "State") return makeStateCombinator(get(base, args, params), args);
        if (s == "Merge") return makeMergeCombinator(base, args, params);
        if (s == "ForEach" || s == "Array") {
            // The nested function sees the arrays' element types.
            DataTypes nested_args;
            for (auto& t : args) {
                if (t->id != TypeId::Array)
                    throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of argument for aggregate function with " + s + " suffix");
                nested_args.push_back(t->nested[0]);
            }
            auto nested = get(base, nested_args, params);
            return s == "ForEach" ? makeForEachCombinator(nested, args) : makeArrayCombinator(nested, args);
        }
    }
    throw Exception(ErrorCodes::UNKNOWN_AGGREGATE_FUNCTION, "Unknown aggregate function " + name);
}

}  // namespace basalt
