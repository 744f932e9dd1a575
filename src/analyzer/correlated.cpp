// correlated.cpp — subqueries that read columns of the enclosing query (correlated EXISTS and scalar
// subqueries), and the outer-reference lookup the analyzer falls back to for identifiers that do
// not resolve in their own query.
//
// While the analyzer runs a subquery (Analyzer::runSubqueryIn) it pushes a frame naming its own
// scope on a thread-local stack; an identifier that resolves nowhere in the subquery is looked up in
// the frames' scopes, innermost first:
//   Detect — the subquery's real run: the first outer reference aborts it (CorrelatedReferenceFound,
//            caught by the frame's owner), so an uncorrelated subquery runs exactly once, as before;
//   Record — a second run over empty sources (ctx.empty_sources) that records every outer reference
//            (each becomes a typed placeholder constant) and yields the result header;
//   Bind   — execution: the references are bound to one row's values as typed constants.
// The correlated subquery becomes a function node whose arguments are the outer references; per
// block it runs the subquery once per distinct combination of their values (results cached for the
// whole query) and assembles the result column.
#include <mutex>
#include <unordered_map>

#include "analyzer/analyzer.h"
#include "common/exception.h"
#include "functions/cast.h"
#include "interpreter/context.h"
#include "types/create_column.h"

namespace basalt {

namespace {

struct Frame {
    enum class Mode { Detect, Record, Bind };
    Mode mode = Mode::Detect;
    Analyzer* analyzer = nullptr;    // Detect / Record: the enclosing query's analyzer and scope
    Scope* scope = nullptr;
    std::vector<std::pair<std::string, ExprNodePtr>> refs;   // Record: outer references found
    std::map<std::string, ExprNodePtr> bound;                // Bind: name -> constant
};

// Thrown (not a basalt::Exception, so no `catch (const Exception&)` swallows it) when a Detect frame
// finds an outer reference.
struct CorrelatedReferenceFound {
    const Frame* frame;
};

thread_local std::vector<Frame*> t_frames;

struct FramePush {
    explicit FramePush(Frame* f) { t_frames.push_back(f); }
    ~FramePush() { t_frames.pop_back(); }
};

ExprNodePtr placeholder(const DataTypePtr& type, const std::string& name) {
    auto c = createColumn(type);
    c->insertDefault();
    return makeConstantNode(std::move(c), type, name);
}

// The scalar subquery type ClickHouse gives: Nullable(T) where T can be inside Nullable (Tuple too).
DataTypePtr nullableScalar(const DataTypePtr& t) {
    if (t->id == TypeId::Tuple) {
        auto d = std::make_shared<DataType>();
        d->id = TypeId::Nullable;
        d->nested = {t};
        return d;
    }
    return t->canBeInsideNullable() || t->id == TypeId::Nothing ? makeNullable(t) : t;
}

// Aggregation without GROUP BY over no rows gives no row in ClickHouse's decorrelated plan (the
// outer values become grouping keys), so the per-key query groups by a constant.
ASTPtr groupedPerKey(const ASTPtr& query) {
    const ASTPtr* sel = &query;
    if (auto* u = query->as<ASTSelectWithUnion>()) {
        if (u->selects.size() != 1) return query;
        sel = &u->selects[0];
    }
    auto* s = (*sel)->as<ASTSelectQuery>();
    if (!s || !s->group_by.empty() || s->group_by_all) return query;
    bool agg = false;
    for (auto& e : s->select) agg = agg || containsAggregate(e);
    if (!agg) return query;
    auto copy = std::static_pointer_cast<ASTSelectQuery>(s->clone());
    auto key = std::make_shared<ASTFunction>();
    key->name = "toUInt8";
    key->arguments = {std::make_shared<ASTLiteral>(Field(uint64_t(0)))};
    copy->group_by.push_back(key);
    return copy;
}

class CorrelatedSubqueryFunction final : public IExecutableFunction {
public:
    CorrelatedSubqueryFunction(bool exists, ASTPtr query, SubqueryRunner runner, std::vector<std::string> names, DataTypes types,
                               DataTypePtr type, FunctionContext fctx)
        : exists_(exists), query_(exists ? query : groupedPerKey(query)), runner_(std::move(runner)), names_(std::move(names)),
          types_(std::move(types)), fctx_(std::move(fctx)) {
        result_type = std::move(type);
        name = exists ? "exists" : "correlatedSubquery";
        deterministic = false;
        // Values bound by enclosing correlated subqueries (nested correlation) stay visible when this
        // one runs later, possibly on another thread.
        for (Frame* f : t_frames)
            if (f->mode == Frame::Mode::Bind) for (auto& [n, c] : f->bound) inherited_.bound.emplace(n, c);
        inherited_.mode = Frame::Mode::Bind;
        values_ = createColumn(result_type);
    }

    ColumnPtr execute(const ColumnsWithTypeAndName& args, size_t rows) const override {
        std::vector<ColumnPtr> cols;
        for (auto& a : args) cols.push_back(materialize(a.column));
        std::lock_guard lock(mutex_);
        std::vector<size_t> index(rows);
        std::string key;
        for (size_t i = 0; i < rows; ++i) {
            key.clear();
            for (auto& c : cols) c->serializeValue(i, key);
            auto it = cache_.find(key);
            if (it == cache_.end()) it = cache_.emplace(key, compute(cols, i)).first;
            index[i] = it->second;
        }
        auto out = createColumn(result_type);
        out->reserve(rows);
        for (size_t i = 0; i < rows; ++i) out->insertFrom(*values_, index[i]);
        return out;
    }

private:
    size_t compute(const std::vector<ColumnPtr>& cols, size_t row) const {
        Frame bind;
        bind.mode = Frame::Mode::Bind;
        for (size_t k = 0; k < names_.size(); ++k)
            bind.bound[names_[k]] = makeConstantNode(cols[k]->cut(row, 1), types_[k], names_[k]);
        Block b;
        {
            FramePush p1(const_cast<Frame*>(&inherited_));
            FramePush p2(&bind);
            b = runner_(query_, exists_ ? 1 : 2);
        }
        if (exists_) {
            values_->insert(Field(uint64_t(b.rows() > 0)));
        } else if (b.rows() == 0 || b.columns() == 0) {
            values_->insertDefault();
        } else {
            // Several rows: ClickHouse's decorrelated plan keeps one of them.
            ColumnPtr v = castColumn(b.at(0).column->cut(0, 1), b.at(0).type, result_type, fctx_);
            values_->insertFrom(*materialize(v), 0);
        }
        return values_->size() - 1;
    }

    bool exists_;
    ASTPtr query_;
    SubqueryRunner runner_;
    std::vector<std::string> names_;
    DataTypes types_;
    FunctionContext fctx_;
    Frame inherited_;
    mutable std::mutex mutex_;
    mutable MutableColumnPtr values_;
    mutable std::unordered_map<std::string, size_t> cache_;
};

}  // namespace

ExprNodePtr Analyzer::analyzeSubquery(const ASTSubquery& sq, const std::string& name, Scope& scope) {
    Block b;
    std::vector<std::pair<std::string, ExprNodePtr>> refs;
    if (!runSubqueryIn(sq.query, 2, scope, b, refs)) return makeCorrelatedNode(false, sq.query, std::move(refs), b, name);
    if (b.rows() > 1)
        throw Exception(ErrorCodes::INCORRECT_RESULT_OF_SCALAR_SUBQUERY, "Scalar subquery returned more than one row");
    if (b.columns() == 0) throw Exception(ErrorCodes::INCORRECT_RESULT_OF_SCALAR_SUBQUERY, "Scalar subquery returned empty result");
    DataTypePtr t;
    ColumnPtr c;
    if (b.columns() == 1) {
        t = b.at(0).type;
        c = materialize(b.at(0).column);
    } else {
        // Several columns: a tuple named by the columns (unnamed, and Nullable, when there is no row).
        DataTypes ts;
        std::vector<std::string> names;
        std::vector<MutableColumnPtr> cols;
        for (auto& col : b.data()) {
            ts.push_back(col.type);
            names.push_back(col.name);
            cols.push_back(std::const_pointer_cast<IColumn>(materialize(col.column)));
        }
        if (b.rows() == 0) {
            t = nullableScalar(makeTuple(ts));
            auto col = createColumn(t);
            col->insertDefault();
            return makeConstantNode(std::move(col), t, name);
        }
        t = makeTuple(ts, names);
        c = std::make_shared<ColumnTuple>(std::move(cols));
        return makeConstantNode(c, t, name);
    }
    DataTypePtr nt = nullableScalar(t);
    if (b.rows() == 0) {
        if (nt->id != TypeId::Nullable && nt->id != TypeId::LowCardinality)
            throw Exception(ErrorCodes::INCORRECT_RESULT_OF_SCALAR_SUBQUERY,
                            "Scalar subquery returned empty result of type " + t->name() + " which cannot be Nullable");
        auto col = createColumn(nt);
        col->insertDefault();
        return makeConstantNode(std::move(col), nt, name);
    }
    if (!nt->equals(*t)) {
        auto col = createColumn(nt);
        if (c->isNullable()) col->insertFrom(*c, 0);
        else static_cast<ColumnNullable&>(*col).insertFromNotNullable(*c, 0);
        c = std::move(col);
    }
    return makeConstantNode(c, nt, name);
}

ExprNodePtr Analyzer::analyzeExists(const ASTFunction& fn, Scope& scope) {
    if (fn.arguments.size() != 1 || !fn.arguments[0]->as<ASTSubquery>())
        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Function exists expects a subquery");
    const ASTPtr& query = fn.arguments[0]->as<ASTSubquery>()->query;
    Block b;
    std::vector<std::pair<std::string, ExprNodePtr>> refs;
    if (!runSubqueryIn(query, 1, scope, b, refs)) return makeCorrelatedNode(true, query, std::move(refs), b, fn.getColumnName());
    auto c = ColumnUInt8::create(1);
    c->getData()[0] = b.rows() > 0;
    return makeConstantNode(c, makeType(TypeId::UInt8), fn.getColumnName());
}

ExprNodePtr Analyzer::resolveOuterIdentifier(const ASTIdentifier& id) {
    const std::string full = id.name();
    for (size_t k = t_frames.size(); k-- > 0;) {
        Frame& f = *t_frames[k];
        if (f.mode == Frame::Mode::Bind) {
            if (auto it = f.bound.find(full); it != f.bound.end()) return it->second;
            continue;
        }
        if (f.mode == Frame::Mode::Record)
            for (auto& [n, node] : f.refs)
                if (n == full) return placeholder(node->type, full);
        // Look the name up in the enclosing query, with only the frames outside it visible.
        std::vector<Frame*> saved(t_frames.begin() + k, t_frames.end());
        t_frames.resize(k);
        ExprNodePtr outer;
        try {
            auto copy = id.clone();
            copy->alias.clear();
            outer = f.analyzer->analyzeImpl(copy, *f.scope);
        } catch (const Exception&) {
            outer = nullptr;
            // After GROUP BY, `t.k` of a key k: the key is matched by its unqualified name.
            if (f.scope->aggregated && f.scope->source && id.parts.size() == 2 && f.scope->source->qualifiers.count(id.parts[0])) {
                try {
                    outer = f.analyzer->analyzeImpl(std::make_shared<ASTIdentifier>(std::vector<std::string>{id.parts[1]}), *f.scope);
                } catch (const Exception&) {
                    outer = nullptr;
                } catch (...) {
                    t_frames.insert(t_frames.end(), saved.begin(), saved.end());
                    throw;
                }
            }
        } catch (...) {
            t_frames.insert(t_frames.end(), saved.begin(), saved.end());
            throw;
        }
        t_frames.insert(t_frames.end(), saved.begin(), saved.end());
        if (!outer) continue;
        if (f.mode == Frame::Mode::Detect) throw CorrelatedReferenceFound{&f};
        f.refs.push_back({full, outer});
        return placeholder(outer->type, full);
    }
    return nullptr;
}

bool Analyzer::runSubqueryIn(const ASTPtr& query, size_t max_rows, Scope& scope, Block& result,
                             std::vector<std::pair<std::string, ExprNodePtr>>& refs) {
    {
        Frame detect;
        detect.analyzer = this;
        detect.scope = &scope;
        try {
            FramePush p(&detect);
            result = runner_(query, max_rows);
            return true;
        } catch (const CorrelatedReferenceFound& e) {
            if (e.frame != &detect) throw;
        }
    }
    // Correlated: find every outer reference and the result header with a run over empty tables.
    Frame record;
    record.mode = Frame::Mode::Record;
    record.analyzer = this;
    record.scope = &scope;
    bool saved = ctx_.empty_sources;
    ctx_.empty_sources = true;
    try {
        FramePush p(&record);
        result = runner_(query, max_rows);
    } catch (...) {
        ctx_.empty_sources = saved;
        throw;
    }
    ctx_.empty_sources = saved;
    refs = std::move(record.refs);
    return false;
}

ExprNodePtr Analyzer::makeCorrelatedNode(bool exists, const ASTPtr& query, std::vector<std::pair<std::string, ExprNodePtr>> refs,
                                         const Block& header, const std::string& name) {
    DataTypePtr type;
    if (exists) {
        type = makeType(TypeId::UInt8);
    } else {
        if (header.columns() != 1)
            throw Exception(ErrorCodes::UNSUPPORTED_METHOD,
                            "Method getResultType is supported only for correlated query node with 1 column, but got " +
                                std::to_string(header.columns()));
        type = nullableScalar(header.at(0).type);
    }
    std::vector<std::string> names;
    DataTypes types;
    auto n = std::make_shared<ExprNode>();
    for (auto& [rn, node] : refs) {
        names.push_back(rn);
        types.push_back(node->type);
        n->args.push_back(node);
    }
    n->kind = ExprNode::Kind::Function;
    n->function = std::make_shared<CorrelatedSubqueryFunction>(exists, query, runner_, std::move(names), std::move(types), type,
                                                              ctx_.functionContext());
    n->type = type;
    n->name = name;
    return n;
}

}  // namespace basalt
