// select_window.cpp — see select_window.h.
#include "interpreter/select_window.h"

#include <climits>
#include <functional>
#include <map>
#include <set>

#include "aggregates/aggregate_function.h"
#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "exec/block_ops.h"
#include "functions/cast.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// ClickHouse's TOO_MANY_ARGUMENTS_FOR_FUNCTION / TOO_FEW_ARGUMENTS_FOR_FUNCTION.
constexpr int kTooManyArguments = 34;
constexpr int kTooFewArguments = 35;

ASTPtr identifierFor(const std::string& name, const std::string& alias) {
    auto id = std::make_shared<ASTIdentifier>(std::vector<std::string>{name});
    id->alias = alias;
    return id;
}

// Whether the expression depends on the row (a column, or an aggregate over rows).
bool dependsOnRow(const ASTPtr& ast) {
    if (!ast) return false;
    if (ast->as<ASTIdentifier>()) return true;
    if (auto* fn = ast->as<ASTFunction>()) {
        if (fn->name == "arrayJoin" || AggregateFunctionFactory::instance().isAggregateFunctionName(fn->name)) return true;
        for (auto& a : fn->arguments)
            if (dependsOnRow(a)) return true;
    }
    return false;
}

const ASTFunction* findWindowCall(const ASTPtr& ast) {
    auto* fn = ast ? ast->as<ASTFunction>() : nullptr;
    if (!fn) return nullptr;
    if (fn->isWindowFunction()) return fn;
    if (fn->name == "lambda") return nullptr;
    for (auto& a : fn->arguments)
        if (auto* w = findWindowCall(a)) return w;
    return nullptr;
}

}  // namespace

bool containsWindowCall(const ASTPtr& ast) { return findWindowCall(ast) != nullptr; }

namespace {

std::string frameText(const ASTWindowDefinition& w) {
    using W = ASTWindowDefinition;
    auto bound = [&](const W::Bound& b) {
        if (b.kind == W::BoundKind::Current) return std::string("CURRENT ROW");
        std::string r = b.kind == W::BoundKind::Unbounded ? "UNBOUNDED" : b.offset->formatSQL(false);
        return r + (b.preceding ? " PRECEDING" : " FOLLOWING");
    };
    return std::string(w.frame_type == W::FrameType::Rows ? "ROWS" : w.frame_type == W::FrameType::Range ? "RANGE" : "GROUPS") +
           " BETWEEN " + bound(w.frame_begin) + " AND " + bound(w.frame_end);
}

}  // namespace

std::unique_ptr<WindowPlan> WindowPlan::build(const ASTSelectQuery& q, const AliasMap& aliases, std::vector<ASTPtr>& select_exprs,
                                              std::vector<ASTPtr>& order_exprs, std::vector<ASTPtr>& limit_by) {
    ASTPtr qualify = q.qualify ? aliases.expand(q.qualify) : nullptr;
    bool any = qualify != nullptr;
    for (auto* list : {&select_exprs, &order_exprs, &limit_by})
        for (auto& e : *list) any = any || findWindowCall(e);
    if (!any) return nullptr;

    auto plan = std::make_unique<WindowPlan>();
    // WINDOW name AS (...): aliases expanded, parents resolved on use.
    std::map<std::string, std::shared_ptr<ASTWindowDefinition>> named;
    auto expandDef = [&](const std::shared_ptr<ASTWindowDefinition>& def) {
        auto d = std::static_pointer_cast<ASTWindowDefinition>(def->clone());
        for (auto& p : d->partition_by) p = aliases.expand(p);
        for (auto& o : d->order_by) o->expr = aliases.expand(o->expr);
        return d;
    };
    auto inScope = [&]() { return ". In scope " + q.formatSQL(false); };
    for (auto& [name, def] : q.windows) {
        if (named.count(name)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Window '" + name + "' is already defined" + inScope());
        named[name] = expandDef(def);
    }
    std::function<std::shared_ptr<ASTWindowDefinition>(const std::shared_ptr<ASTWindowDefinition>&, int)> resolve =
        [&](const std::shared_ptr<ASTWindowDefinition>& def, int depth) -> std::shared_ptr<ASTWindowDefinition> {
        if (def->parent_window.empty()) return def;
        auto it = named.find(def->parent_window);
        if (it == named.end() || depth > 100)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Window '" + def->parent_window + "' does not exist" + inScope());
        auto parent = resolve(it->second, depth + 1);
        std::string text = def->formatSQL(false);
        if (!def->partition_by.empty())
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Derived window definition '" + text + "' is not allowed to override PARTITION BY" + inScope());
        if (!def->order_by.empty() && !parent->order_by.empty())
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Derived window definition '" + text + "' is not allowed to override a non-empty ORDER BY" + inScope());
        if (!parent->frame_is_default)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Parent window '" + def->parent_window +
                                                           "' is not allowed to define a frame: while processing derived window definition '" + text + "'" + inScope());
        auto merged = std::static_pointer_cast<ASTWindowDefinition>(def->clone());
        merged->parent_window.clear();
        merged->partition_by = parent->partition_by;
        if (merged->order_by.empty()) merged->order_by = parent->order_by;
        return merged;
    };

    // Window calls become identifiers naming their columns.
    std::set<std::string> call_names;
    std::function<void(ASTPtr&)> extractCalls = [&](ASTPtr& ast) {
        auto* fn = ast ? ast->as<ASTFunction>() : nullptr;
        if (!fn || fn->name == "lambda") return;
        if (!fn->isWindowFunction()) {
            for (auto& a : fn->arguments) extractCalls(a);
            return;
        }
        auto nestedCheck = [&](const ASTPtr& e) {
            if (auto* inner = findWindowCall(e))
                throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Window function " + inner->getColumnName() + " is found inside another window function in query");
        };
        for (auto& a : fn->arguments) nestedCheck(a);
        std::shared_ptr<ASTWindowDefinition> def;
        if (fn->window) {
            for (auto& p : fn->window->partition_by) nestedCheck(p);
            for (auto& o : fn->window->order_by) nestedCheck(o->expr);
            def = resolve(fn->window, 0);
        } else {
            auto it = named.find(fn->window_name);
            if (it == named.end()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Window '" + fn->window_name + "' does not exist" + inScope());
            def = resolve(it->second, 0);
        }
        std::string name = fn->getColumnName();
        if (call_names.insert(name).second)
            plan->calls_.push_back({std::static_pointer_cast<ASTFunction>(fn->clone()), def, name});
        ast = identifierFor(name, ast->alias);
    };
    for (auto* list : {&select_exprs, &order_exprs, &limit_by})
        for (auto& e : *list) extractCalls(e);
    if (qualify) extractCalls(qualify);

    // Row-dependent subtrees without window calls are computed before the window step.
    std::map<std::string, size_t> pre_index;
    std::vector<ASTPtr> pre;
    auto addPre = [&](const ASTPtr& e) {
        std::string name = e->getColumnName();
        if (!pre_index.count(name)) {
            pre_index[name] = pre.size();
            pre.push_back(e);
            plan->pre_names_.push_back(name);
        }
        return name;
    };
    std::function<bool(const ASTPtr&)> refersToWindow = [&](const ASTPtr& ast) -> bool {
        if (auto* id = ast->as<ASTIdentifier>()) return call_names.count(id->name()) > 0;
        if (auto* fn = ast->as<ASTFunction>())
            for (auto& a : fn->arguments)
                if (refersToWindow(a)) return true;
        return false;
    };
    std::function<void(ASTPtr&)> split = [&](ASTPtr& ast) {
        if (!ast) return;
        auto* fn = ast->as<ASTFunction>();
        if (fn && fn->name == "lambda") return;
        if (!refersToWindow(ast)) {
            if (dependsOnRow(ast)) ast = identifierFor(addPre(ast), ast->alias);
            return;
        }
        if (fn)
            for (auto& a : fn->arguments) split(a);
    };
    for (auto& e : select_exprs) split(e);
    for (auto& e : order_exprs) split(e);
    for (auto& e : limit_by) split(e);
    if (qualify) split(qualify);
    for (auto& c : plan->calls_) {
        for (auto& a : c.fn->arguments) addPre(a);
        for (auto& p : c.def->partition_by) addPre(p);
        for (auto& o : c.def->order_by) addPre(o->expr);
    }
    if (pre.empty()) addPre(std::make_shared<ASTLiteral>(Field(uint64_t(0))));   // keeps the row count

    plan->outer_select_ = std::move(select_exprs);
    plan->outer_order_ = std::move(order_exprs);
    plan->outer_limit_by_ = std::move(limit_by);
    plan->outer_qualify_ = qualify;
    select_exprs = std::move(pre);
    order_exprs.clear();
    limit_by.clear();
    return plan;
}

void WindowPlan::analyze(Analyzer& analyzer, const std::vector<ExprNodePtr>& pre_nodes, const std::vector<std::string>& select_names) {
    auto preIndex = [&](const ASTPtr& e) -> size_t {
        std::string n = e->getColumnName();
        for (size_t i = 0; i < pre_names_.size(); ++i)
            if (pre_names_[i] == n) return i;
        throw Exception(ErrorCodes::LOGICAL_ERROR, "Window argument " + n + " is not computed");
    };
    auto constArg = [&](const ASTFunction& fn, size_t i, Field& out) {
        const ExprNodePtr& n = pre_nodes[preIndex(fn.arguments[i])];
        if (!n->isConstant()) return false;
        out = n->constant->get(0);
        return true;
    };
    struct Placed { size_t spec, index; };
    std::vector<Placed> placed;
    std::map<std::string, size_t> spec_keys;
    for (auto& call : calls_) {
        const ASTFunction& fn = *call.fn;
        const ASTWindowDefinition& def = *call.def;
        using W = ASTWindowDefinition;
        WindowFunctionDesc fd;
        fd.name = call.name;

        // The frame.
        if (!def.frame_is_default && def.frame_type == W::FrameType::Groups)
            throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Window frame 'GROUPS' is not implemented");
        WindowFrame& fr = fd.frame;
        fr.type = def.frame_type == W::FrameType::Rows ? WindowFrame::Type::Rows : WindowFrame::Type::Range;
        if (def.frame_begin.kind == W::BoundKind::Unbounded && !def.frame_begin.preceding)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Frame start cannot be UNBOUNDED FOLLOWING");
        if (def.frame_end.kind == W::BoundKind::Unbounded && def.frame_end.preceding)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Frame end cannot be UNBOUNDED PRECEDING");
        auto bound = [&](const W::Bound& b, WindowFrame::Bound& kind, bool& preceding, uint64_t& offset, const char* which) {
            kind = b.kind == W::BoundKind::Unbounded ? WindowFrame::Bound::Unbounded
                 : b.kind == W::BoundKind::Current ? WindowFrame::Bound::Current : WindowFrame::Bound::Offset;
            preceding = b.preceding;
            if (b.kind != W::BoundKind::Offset) return;
            Field v;
            DataTypePtr vt;
            try {
                Scope empty;
                ExprNodePtr n = analyzer.analyze(b.offset, empty);
                if (!n->isConstant()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "");
                v = n->constant->get(0);
                vt = n->type;
            } catch (const Exception&) {
                throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string("Window frame ") + (std::string(which) == "start" ? "begin" : "end") +
                                                               " OFFSET expression must be constant with numeric type. Actual: " + b.offset->formatSQL(false));
            }
            bool ok = false;
            if (v.is<uint64_t>()) { offset = v.get<uint64_t>(); ok = offset <= uint64_t(INT_MAX); }
            else if (v.is<int64_t>()) { ok = v.get<int64_t>() >= 0 && v.get<int64_t>() <= INT_MAX; offset = ok ? uint64_t(v.get<int64_t>()) : 0; }
            if (!ok)
                throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string("Frame ") + which + " offset for '" + (fr.type == WindowFrame::Type::Rows ? "ROWS" : "RANGE") +
                                                               "' frame must be a nonnegative 32-bit integer, '" + v.toSQL() + "' of type '" + vt->name() + "' given");
        };
        bound(def.frame_begin, fr.begin, fr.begin_preceding, fr.begin_offset, "start");
        bound(def.frame_end, fr.end, fr.end_preceding, fr.end_offset, "end");
        // Positions relative to the current row: start must not come after end.
        auto rel = [](WindowFrame::Bound k, bool preceding, uint64_t off) -> int64_t {
            if (k == WindowFrame::Bound::Current) return 0;
            return preceding ? -int64_t(off) : int64_t(off);
        };
        if (fr.begin == WindowFrame::Bound::Offset && fr.end == WindowFrame::Bound::Offset) {
            if (rel(fr.begin, fr.begin_preceding, fr.begin_offset) > rel(fr.end, fr.end_preceding, fr.end_offset)) {
                auto txt = [](bool p, uint64_t o) { return std::to_string(o) + (p ? " PRECEDING" : " FOLLOWING"); };
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Frame start offset " + txt(fr.begin_preceding, fr.begin_offset) +
                                                               " does not precede the frame end offset " + txt(fr.end_preceding, fr.end_offset));
            }
        } else if ((fr.begin == WindowFrame::Bound::Current && fr.end == WindowFrame::Bound::Offset && fr.end_preceding) ||
                   (fr.begin == WindowFrame::Bound::Offset && !fr.begin_preceding && fr.end == WindowFrame::Bound::Current)) {
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Window frame '" + frameText(def) + "' is invalid");
        }
        if (fr.isOffsetRange()) {
            if (def.order_by.size() != 1)
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "The RANGE OFFSET window frame requires exactly one ORDER BY column, " +
                                                               std::to_string(def.order_by.size()) + " given");
            const DataTypePtr& ot = pre_nodes[preIndex(def.order_by[0]->expr)]->type;
            if (!windowRangeOffsetSupported(*removeLowCardinality(ot)))
                throw Exception(ErrorCodes::NOT_IMPLEMENTED, "The RANGE OFFSET frame for '" + ot->name() + "' ORDER BY column is not implemented");
        }
        // Without ORDER BY every row of a partition is a peer: a RANGE frame bounded by CURRENT ROW
        // is the whole partition.
        if (def.order_by.empty() && fr.type == WindowFrame::Type::Range) {
            if (fr.begin == WindowFrame::Bound::Current) { fr.begin = WindowFrame::Bound::Unbounded; fr.begin_preceding = true; }
            if (fr.end == WindowFrame::Bound::Current) { fr.end = WindowFrame::Bound::Unbounded; fr.end_preceding = false; }
        }

        // The function.
        WindowFunctionKind kind = WindowFunctionKind::Aggregate;
        bool window_only = isWindowOnlyFunctionName(fn.name, &kind);
        fd.kind = kind;
        for (auto& a : fn.arguments) fd.arguments.push_back(preIndex(a));
        DataTypes arg_types;
        for (size_t p : fd.arguments) arg_types.push_back(recursiveRemoveLowCardinality(pre_nodes[p]->type));
        size_t nargs = fn.arguments.size();
        // Frames ranking-like functions accept: the whole partition or up to the current peer group.
        bool partition_frame = fr.begin == WindowFrame::Bound::Unbounded &&
                               (fr.end == WindowFrame::Bound::Unbounded || (fr.type == WindowFrame::Type::Range && fr.end == WindowFrame::Bound::Current));
        if (window_only && fn.parameters)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Window function " + fn.name + " does not take parameters");
        switch (kind) {
            case WindowFunctionKind::RowNumber:
            case WindowFunctionKind::Rank:
            case WindowFunctionKind::DenseRank:
            case WindowFunctionKind::PercentRank:
            case WindowFunctionKind::CumeDist:
                if (nargs != 0)
                    throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Number of arguments for window function " + fn.name +
                                                                                     " doesn't match: passed " + std::to_string(nargs) + ", should be 0");
                if ((kind == WindowFunctionKind::PercentRank || kind == WindowFunctionKind::CumeDist) &&
                    !(fr.type == WindowFrame::Type::Range && partition_frame))
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, std::string("Unsupported window frame type for function '") +
                                                                   (kind == WindowFunctionKind::PercentRank ? "percentRank" : "cume_dist") + "'");
                fd.result_type = makeType(kind == WindowFunctionKind::PercentRank || kind == WindowFunctionKind::CumeDist ? TypeId::Float64 : TypeId::UInt64);
                break;
            case WindowFunctionKind::Ntile: {
                if (nargs != 1)
                    throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function ntile takes exactly one argument");
                Field v;
                if (!constArg(fn, 0, v)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Argument of 'ntile' function must be a constant");
                TypeId t = removeNullable(arg_types[0])->id;
                if (!(t == TypeId::UInt8 || t == TypeId::UInt16 || t == TypeId::UInt32 || t == TypeId::UInt64) || !v.is<uint64_t>())
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "'ntile' argument type must be an unsigned integer (not larger than 64-bit), got " + arg_types[0]->name());
                fd.param = v.get<uint64_t>();
                if (fd.param == 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Argument of 'ntile' function must be greater than zero");
                if (def.order_by.empty() || !partition_frame) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Unsupported window frame type for function 'ntile'");
                fd.arguments.clear();
                fd.result_type = makeType(TypeId::UInt64);
                break;
            }
            case WindowFunctionKind::LagInFrame:
            case WindowFunctionKind::LeadInFrame: {
                if (nargs == 0) throw Exception(kTooFewArguments, "Function " + fn.name + " takes at least one argument");
                if (nargs > 3) throw Exception(kTooManyArguments, "Function '" + fn.name + "' accepts at most 3 arguments, " + std::to_string(nargs) + " given");
                fd.param = 1;
                if (nargs >= 2) {
                    Field v;
                    if (!constArg(fn, 1, v)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "The offset for function " + fn.name + " must be a constant");
                    bool ok = v.is<uint64_t>() && v.get<uint64_t>() <= uint64_t(INT64_MAX);
                    if (v.is<int64_t>() && v.get<int64_t>() >= 0) ok = true;
                    if (!ok)
                        throw Exception(ErrorCodes::BAD_ARGUMENTS, "The offset for function " + fn.name + " must be in (0, 9223372036854775807], " + v.toSQL() + " given");
                    fd.param = v.is<uint64_t>() ? v.get<uint64_t>() : uint64_t(v.get<int64_t>());
                }
                fd.result_type = arg_types[0];
                size_t value = fd.arguments[0];
                fd.arguments = {value};
                if (nargs == 3) {
                    DataTypePtr st;
                    try {
                        st = getLeastSupertype({arg_types[0], arg_types[2]});
                    } catch (const Exception&) {
                        throw Exception(ErrorCodes::BAD_ARGUMENTS, "There is no supertype for the argument type '" + arg_types[0]->name() +
                                                                       "' and the default value type '" + arg_types[2]->name() + "'");
                    }
                    if (!st->equals(*arg_types[0]))
                        throw Exception(ErrorCodes::BAD_ARGUMENTS, "The supertype '" + st->name() + "' for the argument type '" + arg_types[0]->name() +
                                                                       "' and the default value type '" + arg_types[2]->name() + "' is not the same as the argument type");
                    fd.has_default = true;
                    fd.arguments.push_back(pre_names_.size() + defaults_.size());
                    defaults_.push_back({preIndex(fn.arguments[2]), pre_nodes[preIndex(fn.arguments[2])]->type, arg_types[0]});
                }
                break;
            }
            case WindowFunctionKind::NthValue: {
                if (nargs != 2) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Function nth_value takes exactly two arguments");
                Field v;
                if (!constArg(fn, 1, v)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "The offset for function nth_value must be a constant");
                bool ok = (v.is<uint64_t>() && v.get<uint64_t>() > 0 && v.get<uint64_t>() <= uint64_t(INT64_MAX)) || (v.is<int64_t>() && v.get<int64_t>() > 0);
                if (!ok) throw Exception(ErrorCodes::BAD_ARGUMENTS, "The offset for function nth_value must be in (1, 9223372036854775807], " + v.toSQL() + " given");
                fd.param = v.is<uint64_t>() ? v.get<uint64_t>() : uint64_t(v.get<int64_t>());
                fd.result_type = arg_types[0];
                fd.arguments.resize(1);
                break;
            }
            case WindowFunctionKind::Aggregate: {
                std::vector<Field> params;
                if (fn.parameters)
                    for (auto& p : *fn.parameters) params.push_back(analyzer.evaluateConstant(p, "aggregate function parameter"));
                std::string fname = fn.name;
                if (fn.distinct) fname = toLower(fname) == "count" ? "uniqExact" : fname + "Distinct";
                if (!AggregateFunctionFactory::instance().isAggregateFunctionName(fname))
                    throw Exception(ErrorCodes::UNKNOWN_AGGREGATE_FUNCTION, "Aggregate function with name '" + fn.name + "' does not exist");
                fd.aggregate = AggregateFunctionFactory::instance().get(fname, arg_types, params);
                fd.result_type = fd.aggregate->resultType();
                break;
            }
        }

        // The (PARTITION BY, ORDER BY) pair.
        std::string key;
        std::vector<size_t> partition;
        std::vector<SortColumn> order;
        for (auto& p : def.partition_by) {
            partition.push_back(preIndex(p));
            key += std::to_string(partition.back()) + ",";
        }
        key += "|";
        for (auto& o : def.order_by) {
            SortColumn sc;
            sc.position = preIndex(o->expr);
            sc.descending = o->descending;
            sc.nulls_direction = o->nulls_first.value_or(false) ? -1 : 1;
            order.push_back(sc);
            key += std::to_string(sc.position) + (sc.descending ? "d" : "a") + std::to_string(sc.nulls_direction) + ",";
        }
        auto it = spec_keys.find(key);
        if (it == spec_keys.end()) {
            it = spec_keys.emplace(key, specs_.size()).first;
            specs_.push_back({partition, order, {}});
        }
        specs_[it->second].functions.push_back(std::move(fd));
    }

    // Outer expressions over [pre-window columns, casted lag/lead defaults, window columns].
    Scope scope;
    for (size_t i = 0; i < pre_names_.size(); ++i) scope.columns.push_back({pre_names_[i], pre_nodes[i]->type});
    for (size_t i = 0; i < defaults_.size(); ++i) scope.columns.push_back({"__window_default_" + std::to_string(i), defaults_[i].to});
    for (auto& s : specs_)
        for (auto& f : s.functions) scope.columns.push_back({f.name, f.result_type});
    std::vector<std::string> canon;
    for (size_t i = 0; i < outer_select_.size(); ++i) {
        scope.clause = "SELECT";
        final_nodes_.push_back(analyzer.analyze(outer_select_[i], scope));
        final_names_.push_back(select_names[i]);
        canon.push_back(outer_select_[i]->getColumnName());
    }
    visible_ = final_nodes_.size();
    auto addOutput = [&](const ASTPtr& e, const char* clause) {
        scope.clause = clause;
        ExprNodePtr n = analyzer.analyze(e, scope);
        std::string c = e->getColumnName();
        for (size_t i = 0; i < canon.size(); ++i)
            if (canon[i] == c) return i;
        final_nodes_.push_back(n);
        final_names_.push_back("__extra_" + std::to_string(final_nodes_.size()));
        canon.push_back(c);
        return final_nodes_.size() - 1;
    };
    for (auto& e : outer_order_) order_positions_.push_back(addOutput(e, "ORDER BY"));
    for (auto& e : outer_limit_by_) limit_by_positions_.push_back(addOutput(e, "LIMIT BY"));
    if (outer_qualify_) {
        scope.clause = "QUALIFY";
        qualify_node_ = analyzer.analyze(outer_qualify_, scope);
        DataTypePtr ft = removeNullable(removeLowCardinality(qualify_node_->type));
        if (!(ft->id == TypeId::UInt8 || ft->id == TypeId::Bool || ft->id == TypeId::Nothing))
            throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER, "Illegal type " + qualify_node_->type->name() + " of column for filter. Must be UInt8 or Nullable(UInt8).");
    }
}

Block WindowPlan::header() const {
    Block h;
    for (size_t i = 0; i < visible_; ++i) h.insert({createColumn(final_nodes_[i]->type), final_nodes_[i]->type, final_names_[i]});
    return h;
}

Block WindowPlan::apply(const Block& data, const FunctionContext& fctx) const {
    Block in = data;
    for (size_t i = 0; i < defaults_.size(); ++i) {
        const auto& d = defaults_[i];
        ColumnPtr c = recursiveRemoveLowCardinality(materialize(in.at(d.source).column));
        DataTypePtr from = recursiveRemoveLowCardinality(d.from);
        in.insert({from->equals(*d.to) ? c : castColumn(c, from, d.to, fctx), d.to, "__window_default_" + std::to_string(i)});
    }
    Block w = computeWindowFunctions(in, specs_);
    if (qualify_node_) w = filterBlock(w, evaluate(qualify_node_, w));
    std::vector<ColumnPtr> cols = evaluateAll(final_nodes_, w);
    Block out;
    for (size_t i = 0; i < cols.size(); ++i) out.insert({materialize(cols[i]), final_nodes_[i]->type, final_names_[i]});
    return out;
}

}  // namespace basalt
