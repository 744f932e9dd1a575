// analyzer.cpp — see analyzer.h.
#include "analyzer/analyzer.h"

#include <algorithm>
#include <unordered_set>

#include "common/exception.h"
#include "common/hash_table.h"
#include "common/string_utils.h"
#include "functions/cast.h"
#include "exec/block_ops.h"
#include "exec/window.h"
#include "interpreter/context.h"
#include "sql/parser.h"
#include "storage/catalog.h"
#include "storage/special_engines.h"
#include "types/create_column.h"

namespace basalt {

// ---------------------------------------------------------------- aliases
void AliasMap::add(const std::string& alias, const ASTPtr& expr) {
    auto it = aliases_.find(alias);
    if (it != aliases_.end()) {
        if (it->second.get() == expr.get()) return;
        if (it->second->getColumnName() != expr->getColumnName())
            throw Exception(ErrorCodes::MULTIPLE_EXPRESSIONS_FOR_ALIAS,
                            "Different expressions with the same alias " + alias + ":\n" + it->second->formatSQL(false) + "\nand\n" + expr->formatSQL(false));
        return;
    }
    aliases_[alias] = expr;
}

ASTPtr AliasMap::expand(const ASTPtr& ast) const {
    std::vector<std::string> stack;
    return expandImpl(ast, stack, {});
}

ASTPtr AliasMap::expandImpl(const ASTPtr& ast, std::vector<std::string>& stack, const std::set<std::string>& shadowed) const {
    if (!ast) return ast;
    if (stack.size() > 200) throw Exception(ErrorCodes::CYCLIC_ALIASES, "Cyclic aliases");
    if (auto* id = ast->as<ASTIdentifier>()) {
        std::string n = id->name();
        if (shadowed.count(n)) return ast;
        auto it = aliases_.find(n);
        if (it == aliases_.end()) return ast;
        // Inside alias X's own definition, X refers to the column.
        if (std::find(stack.begin(), stack.end(), n) != stack.end()) {
            if (stack.back() == n) return ast;
            throw Exception(ErrorCodes::CYCLIC_ALIASES, "Cyclic aliases for identifier '" + n + "'");
        }
        if (it->second.get() == ast.get()) return ast;
        stack.push_back(n);
        ASTPtr r = expandImpl(it->second, stack, shadowed);
        stack.pop_back();
        r = r->clone();
        r->alias = ast->alias.empty() ? n : ast->alias;
        return r;
    }
    if (auto* fn = ast->as<ASTFunction>()) {
        auto copy = std::static_pointer_cast<ASTFunction>(fn->clone());
        std::set<std::string> inner = shadowed;
        if (fn->name == "lambda" && fn->arguments.size() == 2) {
            if (auto* params = fn->arguments[0]->as<ASTFunction>())
                for (auto& p : params->arguments)
                    if (auto* pid = p->as<ASTIdentifier>()) inner.insert(pid->name());
            copy->arguments[1] = expandImpl(fn->arguments[1], stack, inner);
            return copy;
        }
        bool self = !ast->alias.empty() && aliases_.count(ast->alias) && aliases_.at(ast->alias).get() == ast.get();
        if (self) stack.push_back(ast->alias);
        for (auto& a : copy->arguments) a = expandImpl(a, stack, inner);
        // f(x) OVER (PARTITION BY k ORDER BY a): aliases are usable in the window too.
        if (copy->window) {
            for (auto& p : copy->window->partition_by) p = expandImpl(p, stack, inner);
            for (auto& o : copy->window->order_by) o->expr = expandImpl(o->expr, stack, inner);
        }
        if (self) stack.pop_back();
        return copy;
    }
    return ast;
}

void collectAliases(const ASTPtr& ast, AliasMap& map) {
    if (!ast) return;
    if (ast->as<ASTSubquery>()) {
        if (!ast->alias.empty()) map.add(ast->alias, ast);
        return;
    }
    if (!ast->alias.empty() && !ast->as<ASTAsterisk>() && !ast->as<ASTColumnsMatcher>()) map.add(ast->alias, ast);
    if (auto* fn = ast->as<ASTFunction>()) {
        if (fn->name == "lambda") return;
        for (auto& a : fn->arguments) collectAliases(a, map);
    }
}

bool containsAggregate(const ASTPtr& ast) {
    if (!ast) return false;
    auto* fn = ast->as<ASTFunction>();
    if (!fn) return false;
    if (fn->name == "lambda") return false;
    if (fn->isWindowFunction()) {
        // sum(x) OVER w is not an aggregation; sum(sum(x)) OVER w and OVER (ORDER BY sum(x)) are.
        for (auto& a : fn->arguments)
            if (containsAggregate(a)) return true;
        if (fn->window) {
            for (auto& p : fn->window->partition_by)
                if (containsAggregate(p)) return true;
            for (auto& o : fn->window->order_by)
                if (containsAggregate(o->expr)) return true;
        }
        return false;
    }
    if (AggregateFunctionFactory::instance().isAggregateFunctionName(fn->name)) return true;
    for (auto& a : fn->arguments)
        if (containsAggregate(a)) return true;
    return false;
}

// ---------------------------------------------------------------- analyzer
namespace {
ExprNodePtr makeInput(size_t pos, DataTypePtr type, std::string name) {
    auto n = std::make_shared<ExprNode>();
    n->kind = ExprNode::Kind::Input;
    n->input = pos;
    n->type = std::move(type);
    n->name = std::move(name);
    return n;
}

std::string joinNames(const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) { if (i) s += "."; s += v[i]; }
    return s;
}
}  // namespace

ExprNodePtr Analyzer::analyze(const ASTPtr& ast, Scope& scope) { return analyzeImpl(ast, scope); }

ExprNodePtr Analyzer::analyzeImpl(const ASTPtr& ast, Scope& scope) {
    if (++depth_ > 500) { --depth_; throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "Expression is too deep"); }
    struct DepthGuard { int& d; ~DepthGuard() { --d; } } guard{depth_};

    std::string name = ast->getColumnName();
    // Post-aggregation: a whole subtree equal to a GROUP BY key reads the key column.
    if (scope.aggregated) {
        for (size_t i = 0; i < scope.key_names.size(); ++i)
            if (scope.key_names[i] == name) return makeInput(i, scope.columns[i].type, name);
    }
    // Subqueries share the placeholder name `_subquery`, so their expressions are never merged.
    bool cacheable = scope.lambda_params.empty() && name.find("_subquery") == std::string::npos;
    if (cacheable) {
        auto it = scope.cache.find(name);
        if (it != scope.cache.end()) return it->second;
    }
    ExprNodePtr r;
    if (auto* lit = ast->as<ASTLiteral>()) {
        DataTypePtr t = literalType(lit->value);
        r = makeConstantNode(literalColumn(lit->value, t), t, name);
    } else if (auto* qp = ast->as<ASTQueryParameter>()) {
        // The parameter's text converted to its type, as a constant.
        DataTypePtr t = parseDataType(qp->type);
        auto it = ctx_.query_parameters.find(qp->name);
        ColumnPtr value;
        if (it != ctx_.query_parameters.end()) {
            try {
                value = castColumn(literalColumn(Field(it->second), makeType(TypeId::String)), makeType(TypeId::String), t, ctx_.functionContext());
            } catch (const Exception& e) {
                throw Exception(ErrorCodes::BAD_QUERY_PARAMETER, "Value " + it->second + " cannot be parsed as " + t->name() + " for query parameter '" +
                                                                     qp->name + "': " + e.what());
            }
        } else if (ctx_.empty_sources) {
            ctx_.saw_query_parameters = true;
            auto c = createColumn(t);   // CREATE VIEW analyzes a parameterized view without values
            c->insertDefault();
            value = std::make_shared<ColumnConst>(std::move(c), 1);
        } else {
            throw Exception(ErrorCodes::UNKNOWN_QUERY_PARAMETER, "Substitution `" + qp->name + "` is not set");
        }
        r = makeConstantNode(value, t, name);
    } else if (auto* id = ast->as<ASTIdentifier>()) {
        r = analyzeIdentifier(*id, scope);
    } else if (auto* fn = ast->as<ASTFunction>()) {
        r = analyzeFunction(*fn, scope);
    } else if (auto* sq = ast->as<ASTSubquery>()) {
        r = analyzeSubquery(*sq, name, scope);
    } else if (ast->as<ASTAsterisk>() || ast->as<ASTColumnsMatcher>()) {
        throw Exception(ErrorCodes::UNEXPECTED_EXPRESSION, "Asterisk is not allowed in this context: " + ast->formatSQL());
    } else {
        throw Exception(ErrorCodes::UNKNOWN_ELEMENT_IN_AST, std::string("Unexpected expression: ") + ast->kind());
    }
    if (cacheable) scope.cache[name] = r;
    return r;
}

ExprNodePtr Analyzer::analyzeIdentifier(const ASTIdentifier& id, Scope& scope) {
    std::string full = id.name();
    for (auto it = scope.lambda_params.rbegin(); it != scope.lambda_params.rend(); ++it)
        if (it->first == full) return makeInput(it->second, scope.columns[it->second].type, full);
    auto find = [&](const std::string& n) -> int {
        for (size_t i = 0; i < scope.columns.size(); ++i)
            if (scope.columns[i].name == n) return int(i);
        return -1;
    };
    if (scope.aggregated) {
        // Column references after GROUP BY must be keys (matched above) or inside aggregates.
        Scope* src = scope.source;
        bool known = false;
        if (src) {
            for (auto& c : src->columns) if (c.name == full) known = true;
            if (id.parts.size() > 1 && src->qualifiers.count(id.parts[0])) known = true;
            if (src->qualified.count(full)) known = true;
        }
        if (!known)
            if (ExprNodePtr outer = resolveOuterIdentifier(id)) return outer;
        if (known)
            throw Exception(ErrorCodes::NOT_AN_AGGREGATE, "Column `" + full + "` is not under aggregate function and not in GROUP BY keys");
        throw Exception(ErrorCodes::UNKNOWN_IDENTIFIER, "Unknown expression identifier `" + full + "` in scope " + scope.clause);
    }
    int pos = -1;
    if (auto q = scope.qualified.find(full); q != scope.qualified.end()) {
        // A plain name several joined tables share (SIZE_MAX) must be qualified.
        if (q->second == SIZE_MAX)
            throw Exception(ErrorCodes::AMBIGUOUS_IDENTIFIER, "JOIN ambiguous identifier '" + full + "' in scope " + scope.clause);
        pos = int(q->second);
    }
    if (pos < 0) pos = find(full);
    if (pos < 0 && id.parts.size() > 1) {
        // t.col / db.t.col
        for (size_t skip = 1; skip < id.parts.size() && pos < 0; ++skip) {
            std::vector<std::string> qual(id.parts.begin(), id.parts.begin() + skip);
            if (scope.qualifiers.count(joinNames(qual))) pos = find(joinNames({id.parts.begin() + skip, id.parts.end()}));
        }
    }
    if (pos < 0 && id.parts.size() > 1) {
        // tuple.element access on a column of Tuple type: t.a
        int base = find(id.parts[0]);
        if (base >= 0 && scope.columns[base].type->id == TypeId::Tuple) {
            ExprNodePtr cur = makeInput(size_t(base), scope.columns[base].type, id.parts[0]);
            for (size_t i = 1; i < id.parts.size(); ++i) {
                DataTypePtr s = makeType(TypeId::String);
                auto c = ColumnString::create();
                c->insertData(id.parts[i]);
                cur = makeFunctionNode("tupleElement", {cur, makeConstantNode(c, s, quoteString(id.parts[i]))}, full);
            }
            return cur;
        }
    }
    if (pos < 0)
        if (ExprNodePtr outer = resolveOuterIdentifier(id)) return outer;
    if (pos < 0) {
        std::string msg = "Unknown expression identifier `" + full + "` in scope " + scope.clause;
        std::vector<std::string> close;
        for (auto& c : scope.columns) if (editDistance(c.name, full) <= std::max<size_t>(1, full.size() / 3)) close.push_back(c.name);
        if (!close.empty()) {
            msg += ". Maybe you meant: [";
            for (size_t i = 0; i < close.size() && i < 2; ++i) msg += (i ? ", '" : "'") + close[i] + "'";
            msg += "]";
        }
        throw Exception(ErrorCodes::UNKNOWN_IDENTIFIER, msg);
    }
    return makeInput(size_t(pos), scope.columns[pos].type, full);
}

ExprNodePtr Analyzer::makeFunctionNode(const std::string& fname, std::vector<ExprNodePtr> args, const std::string& name) {
    ColumnsWithTypeAndName cargs;
    bool all_const = true;
    for (auto& a : args) {
        ColumnPtr c = a->isConstant() ? std::make_shared<ColumnConst>(a->constant, 1) : nullptr;
        all_const = all_const && a->isConstant();
        cargs.push_back({c, a->type, a->name});
    }
    auto& factory = FunctionFactory::instance();
    FunctionPtr f = factory.build(fname, cargs, ctx_.functionContext());
    auto n = std::make_shared<ExprNode>();
    n->kind = ExprNode::Kind::Function;
    n->function = f;
    n->type = f->result_type;
    n->name = name;
    n->args = std::move(args);
    const FunctionProperties* props = factory.properties(fname);
    n->short_circuit = props && props->short_circuit && ctx_.settings.short_circuit_function_evaluation;
    bool deterministic = (!props || props->deterministic) && f->deterministic;
    // Constant folding: evaluate once on a one-row block.
    if (all_const && deterministic) {
        Block one;
        one.setRowsWithoutColumns(1);
        ColumnPtr c = evaluate(n, one);
        return makeConstantNode(c, n->type, name);
    }
    return n;
}

ExprNodePtr Analyzer::analyzeFunction(const ASTFunction& fn, Scope& scope) {
    const std::string& fname = fn.name;
    std::string name = fn.getColumnName();
    auto& agg_factory = AggregateFunctionFactory::instance();
    if (fname == "lambda") throw Exception(ErrorCodes::UNEXPECTED_EXPRESSION, "Lambda is not allowed here: " + fn.formatSQL());
    // Window calls are computed by the SELECT executor after the rest; one left here is misplaced.
    if (fn.isWindowFunction())
        throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Window function " + name + " is found in " + scope.clause + " in query");
    if (isWindowOnlyFunctionName(fname))
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "The function '" + fname + "' can only be used as a window function, not as an aggregate function");
    if (agg_factory.isAggregateFunctionName(fname) || (fn.distinct && agg_factory.isAggregateFunctionName(fname))) {
        if (!FunctionFactory::instance().has(fname) || fn.parameters || fn.distinct)
            return analyzeAggregate(fn, scope);
    }
    if (fname == "in" || fname == "notIn" || fname == "globalIn" || fname == "globalNotIn" || fname == "nullIn" || fname == "notNullIn")
        return analyzeIn(fn, scope);
    if ((fname == "joinGet" || fname == "joinGetOrNull") && !fn.arguments.empty()) {
        // joinGet(j, ...): the table may be named by a bare identifier.
        if (auto* id = fn.arguments[0]->as<ASTIdentifier>()) {
            auto copy = std::static_pointer_cast<ASTFunction>(fn.clone());
            copy->arguments[0] = std::make_shared<ASTLiteral>(Field(id->name()));
            return analyzeFunction(*copy, scope);
        }
    }
    if (fname == "exists") return analyzeExists(fn, scope);
    if (fname == "caseWithExpression") {
        // CASE x WHEN a THEN b ... ELSE c END  ==  multiIf(x = a, b, ..., c)
        if (fn.arguments.size() < 3) throwArgumentCount(fname, fn.arguments.size(), "at least 3");
        std::vector<ExprNodePtr> args;
        ExprNodePtr subject = analyzeImpl(fn.arguments[0], scope);
        size_t n = fn.arguments.size() - 1;
        for (size_t i = 1; i + 1 < fn.arguments.size(); i += 2) {
            ExprNodePtr when = analyzeImpl(fn.arguments[i], scope);
            args.push_back(makeFunctionNode("equals", {subject, when}, "equals(" + subject->name + ", " + when->name + ")"));
            args.push_back(analyzeImpl(fn.arguments[i + 1], scope));
        }
        if (n % 2 == 0) args.push_back(analyzeImpl(fn.arguments.back(), scope));
        else {
            DataTypePtr t = literalType(Field());
            args.push_back(makeConstantNode(literalColumn(Field(), t), t, "NULL"));
        }
        return makeFunctionNode("multiIf", std::move(args), name);
    }
    for (auto& a : fn.arguments)
        if (auto* l = a->as<ASTFunction>(); l && l->name == "lambda") return analyzeHigherOrder(fn, scope);
    if (fn.parameters) throw Exception(ErrorCodes::UNKNOWN_AGGREGATE_FUNCTION, "Unknown aggregate function " + fname);
    std::vector<ExprNodePtr> args;
    // dateDiff(DAY, a, b), dateAdd(HOUR, n, d), date_trunc(MONTH, d): ClickHouse accepts a bare unit
    // keyword as the first argument; it means the unit's name as a string.
    static const char* unit_functions[] = {"dateDiff", "date_diff", "DATE_DIFF", "age", "dateAdd", "date_add", "DATE_ADD",
                                           "dateSub", "date_sub", "DATE_SUB", "timestampAdd", "timestamp_add", "timestampSub",
                                           "timestamp_sub", "timestampDiff", "timestamp_diff", "TIMESTAMP_DIFF"};
    bool unit_first = std::any_of(std::begin(unit_functions), std::end(unit_functions), [&](const char* f) { return fname == f; });
    for (size_t i = 0; i < fn.arguments.size(); ++i) {
        auto* id = fn.arguments[i]->as<ASTIdentifier>();
        if (i == 0 && unit_first && id && id->parts.size() == 1) {
            std::string u = toLower(id->parts[0]);
            static const char* units[] = {"nanosecond", "microsecond", "millisecond", "second", "minute", "hour", "day", "week",
                                          "month", "quarter", "year", "ns", "us", "ms", "ss", "s", "mi", "n", "hh", "h", "dd", "d",
                                          "wk", "ww", "mm", "m", "qq", "q", "yyyy", "yy", "nanoseconds", "microseconds", "milliseconds",
                                          "seconds", "minutes", "hours", "days", "weeks", "months", "quarters", "years"};
            bool is_unit = std::any_of(std::begin(units), std::end(units), [&](const char* x) { return u == x; });
            bool is_column = std::any_of(scope.columns.begin(), scope.columns.end(), [&](auto& c) { return c.name == id->parts[0]; });
            if (is_unit && !is_column) {
                auto c = ColumnString::create();
                c->insertData(u);
                args.push_back(makeConstantNode(c, makeType(TypeId::String), quoteString(u)));
                continue;
            }
        }
        args.push_back(analyzeImpl(fn.arguments[i], scope));
    }
    return makeFunctionNode(fname, std::move(args), name);
}

// sum(x + c), sum(x - c), sum(c - x) with an integer column expression x and an integer literal c
// become sum(x) ± c * count(x), in the original result type (ClickHouse's
// optimize_arithmetic_operations_in_aggregate_functions): ClickBench's query 30 sums
// ResolutionWidth + 0..89, which then is one sum and one count. Integer arithmetic wraps the same
// way either way; floats, Decimals and Nullable arguments are left alone.
ASTPtr Analyzer::rewriteSumOfShift(const ASTFunction& fn, const std::string& fname, const std::vector<ExprNodePtr>& args,
                                   const DataTypePtr& result_type) {
    if (toLower(fname) != "sum" || fn.parameters || args.size() != 1 || !args[0]->type->isInteger() || !result_type->isInteger()) return nullptr;
    auto* op = fn.arguments[0]->as<ASTFunction>();
    if (!op || (op->name != "plus" && op->name != "minus") || op->arguments.size() != 2) return nullptr;
    auto integerLiteral = [](const ASTPtr& a) {
        auto* l = a->as<ASTLiteral>();
        return l && (l->value.is<uint64_t>() || l->value.is<int64_t>());
    };
    bool left_const = integerLiteral(op->arguments[0]), right_const = integerLiteral(op->arguments[1]);
    if (left_const == right_const) return nullptr;
    const ASTPtr& x = left_const ? op->arguments[1] : op->arguments[0];
    const ASTPtr& c = left_const ? op->arguments[0] : op->arguments[1];
    // x itself must be a non-Nullable integer: then count(x) is the number of rows summed.
    const ExprNode& shifted = *args[0];
    if (shifted.kind != ExprNode::Kind::Function || shifted.args.size() != 2) return nullptr;
    const DataTypePtr& xt = shifted.args[left_const ? 1 : 0]->type;
    if (!xt->isInteger() || xt->valueSize() > 8) return nullptr;
    auto call = [](const std::string& name, ASTs a) {
        auto f = std::make_shared<ASTFunction>();
        f->name = name;
        f->arguments = std::move(a);
        return f;
    };
    auto cast = [&](ASTPtr e) { return call("_CAST", {std::move(e), std::make_shared<ASTLiteral>(Field(result_type->name()))}); };
    ASTPtr sum = cast(call("sum", {x})), shift = call("multiply", {cast(c), cast(call("count", {x}))});
    if (op->name == "plus") return call("plus", {sum, shift});
    return left_const ? call("minus", {shift, sum}) : call("minus", {sum, shift});
}

ExprNodePtr Analyzer::analyzeAggregate(const ASTFunction& fn, Scope& scope) {
    std::string name = fn.getColumnName();
    if (!scope.aggregated || !scope.allow_aggregates) {
        if (scope.source == nullptr && !scope.aggregated)
            throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Aggregate function " + name + " is found in " + scope.clause + " in query");
        throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Aggregate function " + name + " is found inside another aggregate function in query");
    }
    // Already registered?
    size_t k = scope.key_names.size();
    for (size_t i = 0; i < scope.aggregates->size(); ++i)
        if ((*scope.aggregates)[i].name == name) return makeInput(k + i, (*scope.aggregates)[i].function->resultType(), name);
    Scope& src = *scope.source;
    bool saved = src.allow_aggregates;
    src.allow_aggregates = false;
    const char* saved_clause = src.clause;
    src.clause = "aggregate function arguments";
    std::vector<ExprNodePtr> args;
    DataTypes types;
    try {
        for (auto& a : fn.arguments) {
            if (auto* f = a->as<ASTFunction>(); f && AggregateFunctionFactory::instance().isAggregateFunctionName(f->name))
                throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Aggregate function " + f->getColumnName() + " is found inside another aggregate function in query");
            args.push_back(analyzeImpl(a, src));
            // Aggregate functions see plain types (any(lc) is String, as ClickHouse); the executor
            // converts the argument columns (select.cpp).
            types.push_back(recursiveRemoveLowCardinality(args.back()->type));
        }
    } catch (...) {
        src.allow_aggregates = saved;
        src.clause = saved_clause;
        throw;
    }
    src.allow_aggregates = saved;
    src.clause = saved_clause;
    std::vector<Field> params;
    if (fn.parameters)
        for (auto& p : *fn.parameters) params.push_back(evaluateConstant(p, "aggregate function parameter"));
    std::string fname = fn.name;
    if (fn.distinct) fname = toLower(fname) == "count" ? "uniqExact" : fname + "Distinct";
    if (toLower(fname) == "count" && args.size() > 1) fname = "uniqExact";   // count(a, b) is not valid; keep defined
    AggregateFunctionPtr f = AggregateFunctionFactory::instance().get(fname, types, params);
    if (ASTPtr rewritten = rewriteSumOfShift(fn, fname, args, f->resultType())) return analyzeImpl(rewritten, scope);
    scope.aggregates->push_back({f, std::move(args), name});
    scope.columns.push_back({name, f->resultType()});
    return makeInput(k + scope.aggregates->size() - 1, f->resultType(), name);
}

namespace {
// Set for IN: serialized keys of values converted to the left operand's type.
class InFunction final : public IExecutableFunction {
public:
    InFunction(bool negate, DataTypePtr left_type, ColumnPtr set_values, const FunctionContext& ctx, bool nullable_left, bool null_in)
        : negate_(negate), left_type_(std::move(left_type)), ctx_(ctx), nullable_left_(nullable_left && !null_in), null_in_(null_in) {
        name = negate ? "notIn" : "in";
        result_type = makeType(TypeId::UInt8);
        // NULL on the left gives NULL (transform_null_in = 0), so a Nullable left gives Nullable(UInt8).
        if (nullable_left_) result_type = makeNullable(result_type);
        set_values = materialize(set_values);
        fixed_ = left_type_->isFixedWidth() && left_type_->valueSize() <= 8;
        std::string key;
        const IColumn* plain = set_values.get();
        if (plain->isNullable()) plain = &static_cast<const ColumnNullable*>(plain)->getNested();
        for (size_t i = 0; i < set_values->size(); ++i) {
            if (set_values->isNullAt(i)) { has_null_ = true; continue; }
            if (fixed_) { bool ins; fixed_set_.emplace(fixedKey(*plain, i), ins); }
            else { key.clear(); plain->serializeValue(i, key); string_set_.insert(key); }
        }
    }
    static uint64_t fixedKey(const IColumn& c, size_t i) {
        uint64_t v = 0;
        std::memcpy(&v, c.rawData() + i * c.valueSizeOfFixed(), c.valueSizeOfFixed());
        return v;
    }
    ColumnPtr execute(const ColumnsWithTypeAndName& args, size_t rows) const override {
        ColumnPtr col = materialize(args[0].column);
        auto res = ColumnUInt8::create(rows);
        auto& r = res->getData();
        const IColumn* values = col.get();
        const ColumnNullable* nullable = col->isNullable() ? static_cast<const ColumnNullable*>(col.get()) : nullptr;
        if (nullable) values = &nullable->getNested();
        auto& fs = const_cast<FixedHashMap<uint64_t, uint8_t>&>(fixed_set_);
        std::string key;
        for (size_t i = 0; i < rows; ++i) {
            bool found;
            if (nullable && nullable->isNullAt(i)) found = null_in_ && has_null_;
            else if (fixed_) found = fs.find(fixedKey(*values, i)) != nullptr;
            else { key.clear(); values->serializeValue(i, key); found = string_set_.count(key) > 0; }
            r[i] = uint8_t(found != negate_);
            if (nullable && nullable->isNullAt(i) && !null_in_) r[i] = 0;
        }
        if (nullable_left_) {
            auto nm = ColumnUInt8::create(rows);
            for (size_t i = 0; i < rows; ++i) nm->getData()[i] = nullable && nullable->isNullAt(i);
            return std::make_shared<ColumnNullable>(res, nm);
        }
        return res;
    }
private:
    bool negate_;
    DataTypePtr left_type_;
    FunctionContext ctx_;
    bool nullable_left_ = false;
    bool null_in_ = false;           // transform_null_in / nullIn: NULL matches a NULL in the set
    bool fixed_ = false;
    bool has_null_ = false;
    FixedHashMap<uint64_t, uint8_t> fixed_set_;
    std::unordered_set<std::string> string_set_;
};
}  // namespace

ExprNodePtr Analyzer::analyzeIn(const ASTFunction& fn, Scope& scope) {
    if (fn.arguments.size() != 2) throwArgumentCount(fn.name, fn.arguments.size(), "2");
    bool negate = fn.name == "notIn" || fn.name == "globalNotIn" || fn.name == "notNullIn";
    ExprNodePtr left = analyzeImpl(fn.arguments[0], scope);
    // A LowCardinality left side: the set lookup runs on the dictionary (LowCardinality(UInt8) result)
    // for a literal set, on the full column for a subquery (UInt8), as ClickHouse does.
    bool lc_left = left->type->id == TypeId::LowCardinality;
    DataTypePtr left_plain = recursiveRemoveLowCardinality(left->type);
    DataTypePtr lt = removeNullable(left_plain);
    if (lt->id == TypeId::Nothing) {
        DataTypePtr t = makeNullable(makeType(TypeId::Nothing));
        return makeConstantNode(literalColumn(Field(), t), t, fn.getColumnName());
    }
    ColumnPtr values;
    DataTypePtr values_type;
    const ASTPtr& right = fn.arguments[1];
    auto fctx = ctx_.functionContext();
    // `x IN t` with t a table (not a column in scope): a Set table's rows, or SELECT * FROM t.
    Block table_rows;
    bool from_table = false;
    auto inScope = [&](const std::string& n) {
        for (auto& c : scope.columns) if (c.name == n) return true;
        for (auto& [p, i] : scope.lambda_params) if (p == n) return true;
        return false;
    };
    if (auto* id = right->as<ASTIdentifier>(); id && ctx_.catalog && !inScope(id->name()) && !inScope(id->parts.back())) {
        std::string db = id->parts.size() == 2 ? id->parts[0] : ctx_.current_database;
        std::string table = id->parts.back();
        if (id->parts.size() <= 2) {
            // An external table (sent with the query: GLOBAL IN from a Distributed initiator) first.
            auto over = ctx_.table_overrides.find(db + "." + table);
            if (auto s = over != ctx_.table_overrides.end() ? over->second : ctx_.catalog->tryGetTable(db, table)) {
                from_table = true;
                if (auto* set = dynamic_cast<const StorageSet*>(s.get())) {
                    Block header;
                    for (auto& c : set->metadata().columns) header.insert({createColumn(c.type), c.type, c.name});
                    auto rows = set->rows();
                    table_rows = rows->empty() ? header : concatBlocks(*rows, header);
                } else {
                    auto sel = parseStatement("SELECT * FROM `" + db + "`.`" + table + "`").ast;
                    table_rows = runner_(sel, 0);
                }
            }
        }
    }
    if (from_table || right->as<ASTSubquery>()) {
        Block b;
        if (from_table) b = table_rows;
        else {
            std::vector<std::pair<std::string, ExprNodePtr>> refs;
            if (!runSubqueryIn(right->as<ASTSubquery>()->query, 0, scope, b, refs))
                throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Correlated subqueries are not supported as IN function arguments yet, but found in expression: " +
                                                                 fn.formatSQL(false));
        }
        size_t left_arity = lt->id == TypeId::Tuple ? lt->nested.size() : 1;
        if (b.columns() != left_arity) {
            if (b.columns() == 1)
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal types of arguments (" + lt->name() + ", " + b.at(0).type->name() +
                                                                          ") of function " + fn.name);
            // ClickHouse's NUMBER_OF_COLUMNS_DOESNT_MATCH is 20 (basalt's enum has that name at 8).
            throw Exception(20, "Number of columns in section IN doesn't match. " +
                                                                            std::to_string(left_arity) + " at left, " + std::to_string(b.columns()) + " at right.");
        }
        if (b.columns() == 1) {
            values = b.at(0).column;
            values_type = b.at(0).type;
        } else {
            std::vector<MutableColumnPtr> cols;
            DataTypes ts;
            for (auto& c : b.data()) { cols.push_back(std::const_pointer_cast<IColumn>(materialize(c.column))); ts.push_back(c.type); }
            values = std::make_shared<ColumnTuple>(std::move(cols));
            values_type = makeTuple(ts);
        }
        if (b.rows() == 0) { values = createColumn(lt); values_type = lt; }
    } else {
        ExprNodePtr r = analyzeImpl(right, scope);
        if (!r->isConstant()) throw Exception(ErrorCodes::UNKNOWN_IDENTIFIER, "Right side of IN must be a constant expression or a subquery: " + right->formatSQL());
        // A tuple on the right is a list of elements unless the left side is itself a tuple of the same arity.
        bool list = r->type->id == TypeId::Tuple && !(lt->id == TypeId::Tuple && fn.arguments[1]->as<ASTFunction>() == nullptr);
        if (auto* rf = right->as<ASTFunction>(); rf && rf->name == "tuple" && lt->id == TypeId::Tuple) {
            list = !rf->arguments.empty() && rf->arguments[0]->as<ASTFunction>() && rf->arguments[0]->as<ASTFunction>()->name == "tuple";
        }
        if (auto* rl = right->as<ASTLiteral>(); rl && rl->value.is<FieldTuple>() && lt->id != TypeId::Tuple) list = true;
        if (list) {
            auto& tc = static_cast<const ColumnTuple&>(*r->constant);
            DataTypes ets = r->type->nested;
            auto out = createColumn(lt);
            for (size_t i = 0; i < ets.size(); ++i) {
                try {
                    ColumnPtr v = materialize(castColumn(tc.getColumnPtr(i), ets[i], lt->canBeInsideNullable() && ets[i]->isNullable() ? makeNullable(lt) : lt, fctx));
                    if (v->isNullable()) { if (!v->isNullAt(0)) out->insertFrom(static_cast<const ColumnNullable&>(*v).getNested(), 0); }
                    else out->insertFrom(*v, 0);
                } catch (const Exception&) {
                    // Values that cannot be converted to the left type can never match.
                }
            }
            values = std::move(out);
            values_type = lt;
        } else {
            values = r->constant;
            values_type = r->type;
        }
    }
    if (!values_type->equals(*lt)) {
        DataTypePtr target = values_type->isNullable() && lt->canBeInsideNullable() ? makeNullable(lt) : lt;
        values = castColumn(values, values_type, target, fctx);
    }
    bool null_in = ctx_.settings.transform_null_in || fn.name == "nullIn" || fn.name == "notNullIn";
    FunctionPtr f = std::make_shared<InFunction>(negate, lt, values, fctx, left_plain->isNullable(), null_in);
    if (containsLowCardinality(*left->type)) f = wrapLowCardinality(f, lc_left && !right->as<ASTSubquery>());
    auto n = std::make_shared<ExprNode>();
    n->kind = ExprNode::Kind::Function;
    n->function = f;
    n->type = f->result_type;
    n->name = fn.getColumnName();
    n->args = {left};
    if (left->isConstant()) {
        Block one;
        one.setRowsWithoutColumns(1);
        return makeConstantNode(evaluate(n, one), n->type, n->name);
    }
    return n;
}

ExprNodePtr Analyzer::analyzeHigherOrder(const ASTFunction& fn, Scope& scope) {
    // f(x -> body, [fixed args...,] arr1, ... [, acc]): the lambda must be first. The function's
    // properties say how many ordinary arguments follow the lambda before the arrays
    // (arrayPartialSort's limit, arrayTopK's K) and whether the last argument is a fold accumulator
    // (arrayFold), which the lambda receives as its first parameter.
    auto* lambda = fn.arguments[0]->as<ASTFunction>();
    if (!lambda || lambda->name != "lambda" || lambda->arguments.size() != 2)
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Lambda must be the first argument of function " + fn.name);
    const FunctionProperties* props = FunctionFactory::instance().properties(fn.name);
    size_t fixed_count = props ? props->lambda_fixed_args : 0;
    bool fold = props && props->lambda_fold;
    if (fold && fn.arguments.size() < 3)
        throw Exception(ErrorCodes::TOO_FEW_ARGUMENTS_FOR_FUNCTION,
                        "Function " + fn.name + " requires as arguments a lambda function, at least one array and an accumulator");
    if (fn.arguments.size() < fixed_count + 2)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function " + fn.name + " needs at least " +
                                                                          std::to_string(fixed_count + 1) + " arguments with data");
    std::vector<ExprNodePtr> fixed, arrays;
    ExprNodePtr acc;
    for (size_t i = 1; i < fn.arguments.size(); ++i) {
        ExprNodePtr a = analyzeImpl(fn.arguments[i], scope);
        if (i <= fixed_count) fixed.push_back(a);
        else if (fold && i + 1 == fn.arguments.size()) acc = a;
        else arrays.push_back(a);
    }
    std::vector<std::string> params;
    if (auto* pt = lambda->arguments[0]->as<ASTFunction>())
        for (auto& p : pt->arguments) {
            auto* pid = p->as<ASTIdentifier>();
            if (!pid) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Lambda parameters must be identifiers");
            params.push_back(pid->name());
        }
    size_t expected = arrays.size() + (fold ? 1 : 0);
    if (params.size() != expected) {
        std::string ftype = "Function(";
        if (params.size() != 1) ftype += "(";
        for (size_t p = 0; p < params.size(); ++p) ftype += p ? ", ?" : "?";
        ftype += params.size() != 1 ? ") -> ?)" : " -> ?)";
        if (fold)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "First argument of function " + fn.name + " must be a lambda function with " +
                                                                      std::to_string(expected) + " arguments, found " + ftype + " instead.");
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT,
                        "Lambda for function " + fn.name + " has " + std::to_string(params.size()) + " parameters, but " +
                            std::to_string(arrays.size()) + " arrays were passed");
    }
    Scope inner;
    inner.columns = scope.columns;
    inner.qualifiers = scope.qualifiers;
    inner.clause = scope.clause;
    inner.lambda_params = scope.lambda_params;
    // In a post-aggregation scope the lambda sees the aggregated block as plain columns.
    if (scope.aggregated) {
        inner.aggregated = true;
        inner.key_names = scope.key_names;
        inner.source = scope.source;
        inner.aggregates = scope.aggregates;
        inner.allow_aggregates = false;
    }
    auto addParam = [&](const std::string& name, const DataTypePtr& t) {
        inner.lambda_params.push_back({name, inner.columns.size()});
        inner.columns.push_back({name, recursiveRemoveLowCardinality(t)});   // the arguments reach the lambda as full columns
    };
    if (fold) addParam(params[0], acc->type);
    for (size_t p = 0; p < arrays.size(); ++p) {
        DataTypePtr at = arrays[p]->type;
        size_t arg_no = 2 + fixed_count + p;
        if (at->id == TypeId::Array) addParam(params[p + (fold ? 1 : 0)], at->nested[0]);
        else if (at->id == TypeId::Map && !fold) addParam(params[p], makeTuple({at->nested[0], at->nested[1]}));
        else if (fold)
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(arg_no) + " of function " + fn.name +
                                                                      " must be of type Array, found " + at->name() + " instead");
        else throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument " + std::to_string(arg_no) + " of function " + fn.name + " must be an array. Found " + at->name() + " instead.");
    }
    ExprNodePtr body = analyzeImpl(lambda->arguments[1], inner);
    auto lnode = std::make_shared<ExprNode>();
    lnode->kind = ExprNode::Kind::Lambda;
    lnode->type = body->type;
    lnode->name = lambda->getColumnName();
    lnode->lambda_params = params;
    lnode->args = {body};
    ColumnsWithTypeAndName cargs;
    cargs.push_back({nullptr, body->type, "__lambda"});
    for (auto& a : fixed) cargs.push_back({a->isConstant() ? std::make_shared<ColumnConst>(a->constant, 1) : nullptr, a->type, a->name});
    for (auto& a : arrays) cargs.push_back({nullptr, a->type, a->name});
    if (acc) cargs.push_back({nullptr, acc->type, acc->name});
    FunctionPtr f = FunctionFactory::instance().build(fn.name, cargs, ctx_.functionContext());
    auto n = std::make_shared<ExprNode>();
    n->kind = ExprNode::Kind::Function;
    n->function = f;
    n->type = f->result_type;
    n->name = fn.getColumnName();
    n->higher_order = true;
    n->lambda_fixed_args = fixed_count;
    n->lambda_fold = fold;
    n->args.push_back(lnode);
    for (auto& a : fixed) n->args.push_back(a);
    for (auto& a : arrays) n->args.push_back(a);
    if (acc) n->args.push_back(acc);
    return n;
}

Field Analyzer::evaluateConstant(const ASTPtr& ast, const char* what) {
    Scope empty;
    empty.clause = what;
    ExprNodePtr n;
    try {
        n = analyzeImpl(ast, empty);
    } catch (const Exception& e) {
        if (e.code() == ErrorCodes::UNKNOWN_IDENTIFIER)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string("Element of ") + what + " is not a constant expression: " + ast->formatSQL(false));
        throw;
    }
    if (!n->isConstant()) {
        // No column inputs (the scope is empty) but not foldable: now(), rand(), ... — evaluate once.
        Block one;
        one.setRowsWithoutColumns(1);
        ColumnPtr c = evaluate(n, one);
        if (c->size() != 1)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string("Element of ") + what + " is not a constant expression: " + ast->formatSQL(false));
        return c->get(0);
    }
    return n->constant->get(0);
}

}  // namespace basalt
