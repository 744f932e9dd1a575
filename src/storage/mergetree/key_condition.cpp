// key_condition.cpp — see key_condition.h.
#include "storage/mergetree/key_condition.h"

#include <set>

#include "analyzer/analyzer.h"
#include "common/exception.h"
#include "functions/cast.h"
#include "interpreter/context.h"

namespace basalt {

bool isConstantAst(const ASTPtr& a) {
    if (!a) return false;
    if (a->as<ASTLiteral>()) return true;
    if (auto* f = a->as<ASTFunction>()) {
        if (f->name == "lambda") return false;
        for (auto& x : f->arguments) if (!isConstantAst(x)) return false;
        return true;
    }
    return false;
}

std::pair<ColumnPtr, DataTypePtr> foldConstantAst(const ASTPtr& a, Analyzer& analyzer) {
    if (!isConstantAst(a)) return {nullptr, nullptr};
    try {
        Scope scope;
        auto n = analyzer.analyze(a, scope);
        if (!n->isConstant()) return {nullptr, nullptr};
        return {n->constant, n->type};
    } catch (...) {
        return {nullptr, nullptr};
    }
}

ColumnPtr convertValueExactly(const ColumnPtr& v, const DataTypePtr& from, const DataTypePtr& to, QueryContext& ctx) {
    try {
        if (from->equals(*to)) return v;
        if (removeNullable(from)->id == TypeId::Nothing) return nullptr;
        ColumnPtr c = castColumn(v, from, to, ctx.functionContext(), CastMode::OrNull, true);
        c = c->convertToFullColumn(c);
        if (c->isNullAt(0)) return nullptr;
        if (auto* n = dynamic_cast<const ColumnNullable*>(c.get()); n && !to->isNullable()) {
            auto nested = n->getNestedPtr()->cloneEmpty();
            nested->insertFrom(n->getNested(), 0);
            return nested;
        }
        return c;
    } catch (...) {
        return nullptr;
    }
}

bool constantSetElements(const ColumnPtr& v, const DataTypePtr& type, std::vector<std::pair<ColumnPtr, DataTypePtr>>& out) {
    DataTypePtr t = removeNullable(type);
    ColumnPtr full = v->convertToFullColumn(v);
    if (t->id == TypeId::Tuple) {
        auto* tuple = dynamic_cast<const ColumnTuple*>(full.get());
        if (!tuple) return false;
        for (size_t i = 0; i < t->nested.size(); ++i) {
            auto one = tuple->getColumn(i).cloneEmpty();
            one->insertFrom(tuple->getColumn(i), 0);
            out.push_back({std::move(one), t->nested[i]});
        }
    } else if (t->id == TypeId::Array) {
        auto* arr = dynamic_cast<const ColumnArray*>(full.get());
        if (!arr) return false;
        for (size_t i = 0; i < arr->sizeAt(0); ++i) {
            auto one = arr->getData().cloneEmpty();
            one->insertFrom(arr->getData(), i);
            out.push_back({std::move(one), t->nested[0]});
        }
    } else {
        out.push_back({full, type});
    }
    return true;
}

namespace {

// Value range of an atom: 1-row columns of the key type (null = infinite).
struct ValueRange {
    ColumnPtr left, right;
    bool left_incl = true, right_incl = true;
};

// Functions f for which x <= y implies f(x) <= f(y) over the whole domain (given constant extra
// arguments). Overflowing conversions and arithmetic are deliberately absent.
const std::set<std::string>& monotonicFunctions() {
    static const std::set<std::string> s = {
        "toStartOfSecond", "toStartOfMinute", "toStartOfFiveMinute", "toStartOfFiveMinutes", "toStartOfTenMinutes",
        "toStartOfFifteenMinutes", "toStartOfHour", "toStartOfDay", "toStartOfWeek", "toMonday", "toStartOfMonth",
        "toStartOfQuarter", "toStartOfYear", "toStartOfInterval", "toDate", "toDate32", "toDateTime", "toDateTime64",
        "toYYYYMM", "toYYYYMMDD", "toYYYYMMDDhhmmss", "toYear", "toRelativeYearNum", "toRelativeMonthNum",
        "toRelativeWeekNum", "toRelativeDayNum", "toRelativeHourNum", "toRelativeMinuteNum", "toRelativeSecondNum",
        "toUnixTimestamp", "intDiv", "date_trunc"};
    return s;
}

// If `e` is a chain of monotonic functions whose only non-constant leaf is one identifier,
// returns that identifier's name.
std::string monotonicChainSource(const ASTPtr& e) {
    if (auto* id = e->as<ASTIdentifier>()) return id->name();
    auto* f = e->as<ASTFunction>();
    if (!f || !monotonicFunctions().count(f->name) || f->arguments.empty()) return "";
    size_t var_pos = f->name == "date_trunc" ? 1 : 0;
    if (var_pos >= f->arguments.size()) return "";
    for (size_t i = 0; i < f->arguments.size(); ++i)
        if (i != var_pos && !isConstantAst(f->arguments[i])) return "";
    if (f->name == "intDiv") {
        auto* lit = f->arguments.size() == 2 ? f->arguments[1]->as<ASTLiteral>() : nullptr;
        if (!lit) return "";
        if (lit->value.is<int64_t>() && lit->value.get<int64_t>() <= 0) return "";
        if (!lit->value.is<uint64_t>() && !lit->value.is<int64_t>()) return "";
        if (lit->value.is<uint64_t>() && lit->value.get<uint64_t>() == 0) return "";
    }
    return monotonicChainSource(f->arguments[var_pos]);
}

int cmp(const IColumn* a, size_t ra, const IColumn* b, size_t rb) { return a->compareAt(ra, rb, *b, 1); }

}  // namespace

struct KeyCondition::Node {
    enum class Kind { And, Or, Not, Atom, Unknown, Never } kind = Kind::Unknown;
    std::vector<std::unique_ptr<Node>> children;
    size_t key = 0;
    std::vector<ValueRange> ranges;   // Atom: the key lies in one of these
    bool superset = false;            // Atom: the ranges hold more than what matches (LIKE 'a%b', f(x) of a chain)
    bool inexact_key = false;         // Atom: over a key whose index bounds do not bound every row (NaN, NULL)

    // {can be true, can be false}. `for_exactness`: atoms over inexact keys may always be false
    // (pruning keeps ClickHouse's order-based view of NaN, exactness must not rely on it).
    std::pair<bool, bool> check(const std::vector<KeyRange>& k, bool for_exactness = false) const {
        switch (kind) {
            case Kind::Unknown: return {true, true};
            case Kind::Never: return {false, true};
            case Kind::Not: { auto r = children[0]->check(k, for_exactness); return {r.second, r.first}; }
            case Kind::And:
            case Kind::Or: return combineTruth(kind == Kind::And, children, [&](const Node& c) { return c.check(k, for_exactness); });
            case Kind::Atom: {
                const KeyRange& kr = k[key];
                bool any_intersects = false, some_contains = false;
                for (auto& r : ranges) {
                    // Intersects unless hi < left or lo > right.
                    bool below = r.left && kr.hi && [&] { int c = cmp(kr.hi, kr.hi_row, r.left.get(), 0); return c < 0 || (c == 0 && !r.left_incl); }();
                    bool above = r.right && kr.lo && [&] { int c = cmp(kr.lo, kr.lo_row, r.right.get(), 0); return c > 0 || (c == 0 && !r.right_incl); }();
                    if (!below && !above) any_intersects = true;
                    bool lo_ok = !r.left || (kr.lo && [&] { int c = cmp(kr.lo, kr.lo_row, r.left.get(), 0); return c > 0 || (c == 0 && r.left_incl); }());
                    bool hi_ok = !r.right || (kr.hi && [&] { int c = cmp(kr.hi, kr.hi_row, r.right.get(), 0); return c < 0 || (c == 0 && r.right_incl); }());
                    if (lo_ok && hi_ok) some_contains = true;
                }
                if (for_exactness && inexact_key) return {true, true};
                return {any_intersects, superset || !some_contains};
            }
        }
        return {true, true};
    }
    bool useful() const {
        if (kind == Kind::Atom || kind == Kind::Never) return true;
        for (auto& c : children) if (c->useful()) return true;
        return false;
    }
};

namespace {

struct Builder {
    QueryContext& ctx;
    Analyzer analyzer;
    const std::vector<KeyDescription>& keys;
    const std::vector<std::pair<std::string, DataTypePtr>>& columns;
    // Per key: the source column of a monotonic chain and the analyzed chain over that column alone.
    std::vector<std::string> chain_source;
    std::vector<ExprNodePtr> chain_node;
    std::vector<DataTypePtr> chain_source_type;
    // Keys whose index ranges bound every row's value: not Nullable (NULLs sort last yet compare
    // as neither in nor out of a range) and not floating point (NaN likewise). Atoms over other
    // keys never claim that every row matches; atoms through a monotonic chain (f(x) in range does
    // not put x in range) are supersets, which NOT cannot invert into pruning either.
    std::vector<bool> exact_key;

    Builder(QueryContext& c, const std::vector<KeyDescription>& k, const std::vector<std::pair<std::string, DataTypePtr>>& cols)
        : ctx(c), analyzer(c, [](const ASTPtr&, size_t) -> Block { throw Exception(ErrorCodes::NOT_IMPLEMENTED, "subquery in key analysis"); }),
          keys(k), columns(cols) {
        for (auto& key : keys) {
            std::string src = monotonicChainSource(key.expr);
            ExprNodePtr node;
            DataTypePtr st;
            if (!src.empty() && !key.expr->as<ASTIdentifier>()) {
                for (auto& [n, t] : columns)
                    if (n == src) st = t;
                if (st) {
                    try {
                        Scope scope;
                        scope.columns.push_back({src, st});
                        node = analyzer.analyze(key.expr, scope);
                    } catch (...) { node = nullptr; }
                }
            }
            chain_source.push_back(node ? src : "");
            chain_node.push_back(node);
            chain_source_type.push_back(st);
            DataTypePtr plain = removeLowCardinality(key.type);
            exact_key.push_back(!plain->isNullable() && plain->id != TypeId::Float32 && plain->id != TypeId::Float64);
        }
    }
    // Marks an atom a superset when its key or the way it was reached cannot bound every row.
    std::unique_ptr<KeyCondition::Node> finish(std::unique_ptr<KeyCondition::Node> n, bool chain) {
        if (n && n->kind == KeyCondition::Node::Kind::Atom) {
            if (chain) n->superset = true;
            if (!exact_key[n->key]) n->inexact_key = true;
        }
        return n;
    }

    // A constant expression as a 1-row column + type, or null.
    std::pair<ColumnPtr, DataTypePtr> constant(const ASTPtr& a) { return foldConstantAst(a, analyzer); }
    ColumnPtr convert(const ColumnPtr& v, const DataTypePtr& from, const DataTypePtr& to) { return convertValueExactly(v, from, to, ctx); }

    // Values of the constant side for key `k`, given the variable side `var` (a key expression or the
    // source of its monotonic chain). Empty when inapplicable; `through_chain` tells which.
    bool resolveKey(const ASTPtr& var, size_t& key, bool& through_chain) {
        std::string name = var->getColumnName();
        for (size_t i = 0; i < keys.size(); ++i)
            if (keys[i].name == name) { key = i; through_chain = false; return true; }
        if (var->as<ASTIdentifier>())
            for (size_t i = 0; i < keys.size(); ++i)
                if (!chain_source[i].empty() && chain_source[i] == name) { key = i; through_chain = true; return true; }
        return false;
    }

    // One constant value mapped to key `key` (through the chain when needed); null if impossible.
    ColumnPtr keyValue(const ColumnPtr& v, const DataTypePtr& t, size_t key, bool through_chain) {
        if (!through_chain) return convert(v, t, keys[key].type);
        ColumnPtr src = convert(v, t, chain_source_type[key]);
        if (!src) return nullptr;
        try {
            Block b;
            b.insert({src, chain_source_type[key], chain_source[key]});
            ColumnPtr r = evaluate(chain_node[key], b);
            r = r->convertToFullColumn(r);
            return convert(r, chain_node[key]->type, keys[key].type);
        } catch (...) {
            return nullptr;
        }
    }

    std::unique_ptr<KeyCondition::Node> unknown() { return std::make_unique<KeyCondition::Node>(); }

    std::unique_ptr<KeyCondition::Node> build(const ASTPtr& a) {
        using K = KeyCondition::Node::Kind;
        auto* f = a ? a->as<ASTFunction>() : nullptr;
        if (!f) {
            if (auto* lit = a ? a->as<ASTLiteral>() : nullptr) {
                if ((lit->value.is<uint64_t>() && lit->value.get<uint64_t>() == 0) || lit->value.isNull()) {
                    auto n = unknown();
                    n->kind = K::Never;
                    return n;
                }
            }
            return unknown();
        }
        const std::string& fn = f->name;
        if ((fn == "and" || fn == "or") && !f->arguments.empty()) {
            auto n = std::make_unique<KeyCondition::Node>();
            n->kind = fn == "and" ? K::And : K::Or;
            for (auto& x : f->arguments) n->children.push_back(build(x));
            return n;
        }
        if (fn == "not" && f->arguments.size() == 1) {
            auto n = std::make_unique<KeyCondition::Node>();
            n->kind = K::Not;
            n->children.push_back(build(f->arguments[0]));
            return n;
        }
        if ((fn == "in" || fn == "notIn") && f->arguments.size() == 2) {
            bool chain = false;
            auto atom = inAtom(f->arguments[0], f->arguments[1], chain);
            atom = finish(std::move(atom), chain);
            if (!atom) return unknown();
            if (fn == "in") return atom;
            auto n = std::make_unique<KeyCondition::Node>();
            n->kind = K::Not;
            n->children.push_back(std::move(atom));
            return n;
        }
        if ((fn == "like" || fn == "startsWith") && f->arguments.size() == 2) {
            auto atom = finish(prefixAtom(f->arguments[0], f->arguments[1], fn == "like"), false);
            return atom ? std::move(atom) : unknown();
        }
        static const std::set<std::string> cmps = {"equals", "notEquals", "less", "greater", "lessOrEquals", "greaterOrEquals"};
        if (cmps.count(fn) && f->arguments.size() == 2) {
            ASTPtr l = f->arguments[0], r = f->arguments[1];
            std::string op = fn;
            if (isConstantAst(l) && !isConstantAst(r)) {
                std::swap(l, r);
                if (op == "less") op = "greater";
                else if (op == "greater") op = "less";
                else if (op == "lessOrEquals") op = "greaterOrEquals";
                else if (op == "greaterOrEquals") op = "lessOrEquals";
            }
            auto [cv, ct] = constant(r);
            if (!cv) return unknown();
            size_t key;
            bool chain;
            if (!resolveKey(l, key, chain)) return unknown();
            if (op == "notEquals") {
                if (chain) return unknown();   // f(x) != f(c) does not follow from x != c
                auto eq = finish(comparisonAtom("equals", cv, ct, key, chain), chain);
                if (!eq) return unknown();
                auto n = std::make_unique<KeyCondition::Node>();
                n->kind = K::Not;
                n->children.push_back(std::move(eq));
                return n;
            }
            auto atom = finish(comparisonAtom(op, cv, ct, key, chain), chain);
            return atom ? std::move(atom) : unknown();
        }
        return unknown();
    }

    std::unique_ptr<KeyCondition::Node> comparisonAtom(const std::string& op, const ColumnPtr& cv, const DataTypePtr& ct, size_t key, bool chain) {
        ColumnPtr v = keyValue(cv, ct, key, chain);
        if (!v) return nullptr;
        auto n = std::make_unique<KeyCondition::Node>();
        n->kind = KeyCondition::Node::Kind::Atom;
        n->key = key;
        ValueRange r;
        // Through a monotonic chain strict inequalities become non-strict (f may be flat).
        if (op == "equals") { r.left = r.right = v; }
        else if (op == "less") { r.right = v; r.right_incl = chain; }
        else if (op == "lessOrEquals") { r.right = v; }
        else if (op == "greater") { r.left = v; r.left_incl = chain; }
        else if (op == "greaterOrEquals") { r.left = v; }
        n->ranges.push_back(r);
        return n;
    }

    // s LIKE 'prefix...' / startsWith(s, 'prefix'): s lies in [prefix, the next string after
    // every string starting with prefix). Exact for 'prefix%' and startsWith, a superset otherwise.
    std::unique_ptr<KeyCondition::Node> prefixAtom(const ASTPtr& var, const ASTPtr& pattern_ast, bool like) {
        size_t key;
        bool chain;
        if (!resolveKey(var, key, chain) || chain) return nullptr;
        if (removeLowCardinality(keys[key].type)->id != TypeId::String) return nullptr;
        auto [cv, ct] = constant(pattern_ast);
        if (!cv || removeNullable(ct)->id != TypeId::String) return nullptr;
        std::string pattern = std::string(cv->convertToFullColumn(cv)->get(0).get<std::string>());
        std::string prefix;
        bool exact = true, whole = true;   // whole: no wildcard at all (plain equality)
        if (like) {
            size_t i = 0;
            for (; i < pattern.size(); ++i) {
                char c = pattern[i];
                if (c == '%' || c == '_') { whole = false; break; }
                if (c == '\\' && i + 1 < pattern.size()) c = pattern[++i];
                prefix += c;
            }
            exact = whole || (i + 1 == pattern.size() && pattern[i] == '%');
        } else {
            prefix = pattern;
            whole = false;
        }
        auto n = std::make_unique<KeyCondition::Node>();
        n->kind = KeyCondition::Node::Kind::Atom;
        n->key = key;
        n->superset = !exact;
        auto str = [&](const std::string& v) -> ColumnPtr {
            auto c = ColumnString::create();
            c->insertData(v);
            return convert(c, makeType(TypeId::String), keys[key].type);
        };
        ValueRange r;
        if (whole) {
            r.left = r.right = str(prefix);
        } else {
            if (prefix.empty()) return nullptr;
            r.left = str(prefix);
            // The smallest string above every string with this prefix: drop trailing 0xFF bytes, bump the last.
            std::string next = prefix;
            while (!next.empty() && uint8_t(next.back()) == 0xFF) next.pop_back();
            if (!next.empty()) {
                next.back() = char(uint8_t(next.back()) + 1);
                r.right = str(next);
                r.right_incl = false;
            }
        }
        if (!r.left) return nullptr;
        n->ranges.push_back(r);
        return n;
    }

    std::unique_ptr<KeyCondition::Node> inAtom(const ASTPtr& var, const ASTPtr& set, bool& chain) {
        size_t key;
        if (!resolveKey(var, key, chain)) return nullptr;
        auto [cv, ct] = constant(set);
        if (!cv) return nullptr;
        auto n = std::make_unique<KeyCondition::Node>();
        n->kind = KeyCondition::Node::Kind::Atom;
        n->key = key;
        auto addValue = [&](const ColumnPtr& v, const DataTypePtr& t) {
            ColumnPtr kv = keyValue(v, t, key, chain);
            if (!kv) return false;
            ValueRange r;
            r.left = r.right = kv;
            n->ranges.push_back(r);
            return true;
        };
        std::vector<std::pair<ColumnPtr, DataTypePtr>> elements;
        if (!constantSetElements(cv, ct, elements)) return nullptr;
        for (auto& [v, t] : elements)
            if (!addValue(v, t)) return nullptr;
        if (n->ranges.empty()) n->kind = KeyCondition::Node::Kind::Never;
        return n;
    }
};

}  // namespace

KeyCondition::KeyCondition(const ASTPtr& filter, std::vector<KeyDescription> keys, const std::vector<std::pair<std::string, DataTypePtr>>& columns,
                           QueryContext& ctx)
    : keys_(std::move(keys)) {
    if (!filter || keys_.empty()) { root_ = std::make_unique<Node>(); return; }
    Builder b(ctx, keys_, columns);
    root_ = b.build(filter);
}

KeyCondition::~KeyCondition() = default;

bool KeyCondition::useful() const { return root_ && root_->useful(); }

bool KeyCondition::mayBeTrue(const std::vector<KeyRange>& ranges) const { return root_->check(ranges).first; }

bool KeyCondition::alwaysTrue(const std::vector<KeyRange>& ranges) const { return !root_->check(ranges, true).second; }

std::vector<KeyRange> KeyCondition::indexRanges(const Block& index, size_t l, size_t r) {
    std::vector<KeyRange> out(index.columns());
    bool prefix_equal = true;
    for (size_t i = 0; i < index.columns(); ++i) {
        if (!prefix_equal) break;   // later columns are unbounded
        const IColumn* c = index.at(i).column.get();
        out[i] = {c, l, c, r};
        prefix_equal = c->compareAt(l, r, *c, 1) == 0;
    }
    return out;
}

std::string KeyCondition::describe() const { return root_ && root_->useful() ? "useful" : "unknown"; }

}  // namespace basalt
