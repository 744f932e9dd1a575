// select.cpp — the SELECT executor (see select.h).
//
// Flow for one SELECT:
//   1. source: table / table function / subquery / CTE / system.one, with the columns it offers;
//   2. aliases: WITH `expr AS name`, select-list aliases and the table's ALIAS columns are expanded
//      into every clause (AliasMap), so `SELECT x + 1 AS y ... WHERE y > 2 ORDER BY y` works;
//   3. analysis: WHERE/PREWHERE, GROUP BY keys and aggregate arguments over the source scope; the
//      select list, HAVING, ORDER BY over the post-aggregation scope when aggregating;
//   4. streams: storage->read() yields up to max_threads sources; each thread filters and either
//      aggregates into its own hash table or projects, then the main thread merges;
//   5. finishing: HAVING, projection, DISTINCT, ORDER BY (top-N with LIMIT), LIMIT BY, LIMIT.
#include "interpreter/select.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <exception>
#include <mutex>
#include <thread>

#include <re2/re2.h>

#include "aggregates/aggregate_function.h"
#include "cluster/distributed_query.h"
#include "cluster/storage_distributed.h"
#include "analyzer/analyzer.h"
#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "common/parallel_for.h"
#include "exec/aggregator.h"
#include "exec/block_ops.h"
#include "interpreter/select_window.h"
#include "exec/grace_join.h"
#include "exec/join.h"
#include "functions/cast.h"
#include "sql/parser.h"
#include "storage/catalog.h"
#include "storage/memory.h"
#include "storage/mergetree/storage_mergetree.h"
#include "storage/special_engines.h"
#include "storage/storage.h"
#include "storage/view.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// Fewer groups than this over all threads are merged on one thread (the shards' setup costs more).
constexpr size_t kParallelMergeMinGroups = 100000;

struct Cte {
    std::string name;
    ASTPtr query;
    bool recursive = false;                   // WITH RECURSIVE: the body may read the CTE itself
    std::shared_ptr<Block> rows;              // a recursive CTE's working table while it is evaluated
};

// A resolved FROM source.
struct Source {
    StoragePtr storage;                       // table or table function
    std::shared_ptr<std::vector<Block>> subquery_blocks;   // FROM (subquery)
    std::vector<SourceColumn> columns;        // every column the source offers
    std::vector<std::string> ordinary;        // columns of SELECT *
    std::map<std::string, ASTPtr> alias_columns;   // table ALIAS columns
    std::set<std::string> qualifiers;
    std::map<std::string, std::vector<std::string>> qualified_star;   // joins: t.* -> t's columns
    std::string description;                  // EXPLAIN
    std::vector<std::string> explain_lines;   // EXPLAIN: the plan of a FROM subquery
    // A table read under access control: its columns are checked once the query knows them.
    std::string checked_database, checked_table;
};

void collectIdentifiers(const ASTPtr& ast, std::set<std::string>& out) {
    if (!ast) return;
    if (auto* id = ast->as<ASTIdentifier>()) {
        out.insert(id->name());
        if (id->parts.size() > 1) {
            for (size_t s = 1; s < id->parts.size(); ++s) {
                std::string rest;
                for (size_t i = s; i < id->parts.size(); ++i) rest += (i > s ? "." : "") + id->parts[i];
                out.insert(rest);
            }
            out.insert(id->parts[0]);
        }
        return;
    }
    if (auto* fn = ast->as<ASTFunction>()) {
        for (auto& a : fn->arguments) collectIdentifiers(a, out);
        if (fn->parameters) for (auto& p : *fn->parameters) collectIdentifiers(p, out);
        return;
    }
    // A subquery may read columns of this query (correlated subqueries): its identifiers count too.
    if (ast->as<ASTSubquery>() || ast->as<ASTSelectWithUnion>() || ast->as<ASTSelectQuery>() || ast->as<ASTOrderByElement>())
        for (auto& c : ast->children()) collectIdentifiers(c, out);
}

// Names scalar / IN / EXISTS subqueries `_subquery_N` in ClickHouse's order: one counter per
// statement, a subquery numbered before the subqueries inside it, FROM before the select list before
// the other clauses.
void numberSubqueries(const ASTPtr& ast, size_t& counter);
void numberSelect(const ASTPtr& query, size_t& counter) {
    if (!query) return;
    if (auto* u = query->as<ASTSelectWithUnion>()) {
        for (auto& s : u->selects) numberSelect(s, counter);
        return;
    }
    auto* s = query->as<ASTSelectQuery>();
    if (!s) return;
    auto table = [&](const std::shared_ptr<ASTTableExpression>& te) {
        if (!te || !te->subquery) return;
        te->subquery->number = ++counter;
        numberSelect(te->subquery->query, counter);
    };
    table(s->from);
    for (auto& j : s->joins) table(j->table);
    for (auto& e : s->select) numberSubqueries(e, counter);
    for (auto& e : s->with) numberSubqueries(e, counter);
    for (auto& j : s->joins) numberSubqueries(j->on, counter);
    for (auto* e : {&s->prewhere, &s->where}) numberSubqueries(*e, counter);
    for (auto& e : s->group_by) numberSubqueries(e, counter);
    for (auto* e : {&s->having, &s->qualify}) numberSubqueries(*e, counter);
    for (auto& o : s->order_by) numberSubqueries(o->expr, counter);
    for (auto& e : s->limit_by) numberSubqueries(e, counter);
}
void numberSubqueries(const ASTPtr& ast, size_t& counter) {
    if (!ast) return;
    if (auto* sq = ast->as<ASTSubquery>()) {
        if (!sq->cte) sq->number = ++counter;
        numberSelect(sq->query, counter);
        return;
    }
    for (auto& c : ast->children()) numberSubqueries(c, counter);
}
void numberStatementSubqueries(const ASTPtr& query) {
    size_t counter = 0;
    numberSelect(query, counter);
}

// ---- JOIN planning
//
// The first table of FROM is streamed; every joined table is read whole and indexed (exec/join.h).
// In the joined scope every column has a unique name: a right-side column whose name is already
// taken is named `alias.name` (ClickHouse's naming for SELECT *), and each column is also reachable
// as `qualifier.name` for each of its table's qualifiers. Unqualified names resolve to the leftmost
// table that has them, as in ClickHouse.
struct JoinTable {
    Source source;
    std::vector<std::string> unique;     // per source column: its name in the joined scope
    std::vector<bool> output;            // per source column: part of the joined block
    std::vector<bool> read;              // per source column: read (output, or used by join keys)
    std::set<std::string> hidden;        // USING columns of a right table: not in SELECT *
    std::set<std::string> ambiguous;     // (first table only) plain names unusable unqualified
};

struct JoinStep {
    const ASTTableJoin* ast = nullptr;
    JoinDescription desc;
    std::vector<std::string> right_read;  // columns read from the right table
    std::shared_ptr<HashJoin> join;
    std::shared_ptr<GraceJoin> grace;     // set instead of `join` when the right side spilled
    std::shared_ptr<SwappedHashJoin> swapped;   // first join only: the left side indexed, the right streamed
    Block header_in;                      // the layout entering this join (empty)
    size_t out_begin = 0, out_end = 0;    // the right table's columns in the joined scope
    Scope right_scope;                    // the right table's columns as read
    ExprNodePtr right_filter;             // WHERE conjuncts on the right table alone, applied while reading it
    ASTPtr right_filter_ast;              // the same for its storage (unqualified names)
    bool non_joined = false;              // emits unmatched right rows after the streams
};

// One output column of a subquery SELECT: its name and the expression computing it (null: unknown).
struct SubqueryOutput {
    std::string name;
    ASTPtr expr;
    bool from_star = false;   // a column of `*` (the expression is the identifier itself)
};
using SubqueryOutputs = std::vector<SubqueryOutput>;

// What the outer query may push into one of its table expressions.
struct PushdownTarget {
    ASTs conjuncts;                   // outer WHERE conjuncts of pushable shape, as written
    std::set<std::string> foreign;    // labels of the query's other table expressions
    std::set<std::string> earlier;    // plain column names an earlier table of the join claims
};

class SelectExecutor {
public:
    SelectExecutor(QueryContext& ctx, std::vector<Cte> ctes) : ctx_(ctx), ctes_(std::move(ctes)) {}

    QueryResult run(const ASTSelectQuery& q, bool header_only, std::vector<std::string>* explain);
    // The top-level query's sink (subqueries never stream).
    void setSink(ResultSink* sink) { sink_ = sink; }

private:
    Source resolveSource(const ASTTableExpression* from, const PushdownTarget* push = nullptr);
    // Predicate pushdown (see "Predicate pushdown" below).
    std::vector<PushdownTarget> planPushdown(const ASTSelectQuery& q);
    ASTPtr pushIntoSubquery(const ASTPtr& query, const std::set<std::string>& qualifiers, const PushdownTarget* push);
    std::optional<std::vector<std::string>> tableColumnNames(const ASTTableExpression* te, const ASTSelectQuery& owner, int depth);
    std::optional<SubqueryOutputs> selectOutputs(const ASTSelectQuery& s, int depth);
    std::optional<SubqueryOutputs> unionOutputs(const ASTPtr& query, int depth);
    void planJoins(const std::vector<std::shared_ptr<ASTTableJoin>>& joins, std::vector<JoinTable>& tables, std::vector<JoinStep>& steps,
                   std::set<std::string>& idents, std::vector<std::string>& read_columns, Scope& scope, Analyzer& analyzer);
    void buildJoins(std::vector<JoinTable>& tables, std::vector<JoinStep>& steps, size_t first = 0);
    bool swapFirstJoin(const std::vector<JoinTable>& tables, const std::vector<JoinStep>& steps, const SelectQueryInfo& left_info);
    void buildSwappedJoin(std::vector<JoinTable>& tables, std::vector<JoinStep>& steps, const std::vector<std::string>& left_read,
                          const SelectQueryInfo& left_info);
    Block runSubquery(const ASTPtr& query, size_t max_rows);
    Block evaluateRecursiveCte(Cte cte);

public:
    // A recursive CTE evaluated round by round (RecursiveCteStorage reads it lazily).
    struct RecursiveCteState {
        Cte cte;
        std::vector<Cte> outer;         // the CTEs its parts see (without itself)
        Block header;                   // names from the base part, types the parts' fixed point
        Block working;                  // the last round's rows
        bool started = false;           // the base part's rows were returned
        uint64_t depth = 0;
    };
    std::shared_ptr<RecursiveCteState> startRecursiveCte(const Cte& cte);
    // The base part's rows, then each round's; an empty block without columns after the last round
    // (one that adds no rows). 306 past max_recursive_cte_evaluation_depth rounds.
    Block nextRecursiveCteRound(RecursiveCteState& st);

private:

    QueryContext& ctx_;
    std::vector<Cte> ctes_;
    ResultSink* sink_ = nullptr;
    bool explaining_ = false;   // EXPLAIN: FROM subqueries are explained, not run
    // Resolving the FROM of a single-table query with a LIMIT: a recursive CTE there is read
    // lazily (RecursiveCteStorage), so the LIMIT can end an unbounded one.
    bool lazy_recursive_ = false;
};

QueryResult runUnion(const ASTPtr& query, QueryContext& ctx, const std::vector<Cte>& outer_ctes, bool header_only,
                     std::vector<std::string>* explain, ResultSink* sink = nullptr);

Block resultToBlock(QueryResult&& r) {
    if (r.blocks.empty()) return r.header;
    return concatBlocks(r.blocks, r.header);
}

Block SelectExecutor::runSubquery(const ASTPtr& query, size_t) {
    if (ctx_.subquery_depth > 100) throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "Too deep subqueries");
    ++ctx_.subquery_depth;
    try {
        auto r = runUnion(query, ctx_, ctes_, false, nullptr);
        --ctx_.subquery_depth;
        return resultToBlock(std::move(r));
    } catch (...) {
        --ctx_.subquery_depth;
        throw;
    }
}

// WITH RECURSIVE name AS (base UNION ALL step ...): the base part's rows, then the step parts run
// over the previous round's new rows (the working table, read as `name`) until a round adds none.
// The column types are the fixed point of the supertype of the base and step types (ClickHouse's
// `1 AS i UNION ALL SELECT i + 1` is UInt64); names come from the base part.
std::shared_ptr<SelectExecutor::RecursiveCteState> SelectExecutor::startRecursiveCte(const Cte& cte) {
    auto* u = cte.query->as<ASTSelectWithUnion>();
    auto st = std::make_shared<RecursiveCteState>();
    st->cte = cte;
    // The base part must not see the CTE itself.
    for (auto& c : ctes_) {
        if (c.name == cte.name && c.query == cte.query) break;
        st->outer.push_back(c);
    }
    std::vector<Cte> saved = ctes_;
    try {
        ctes_ = st->outer;
        Block base = runSubquery(u->selects[0], 0);
        DataTypes types;
        for (auto& c : base.data()) types.push_back(c.type);
        for (int round = 0; round < 16; ++round) {
            Block empty;
            for (size_t c = 0; c < types.size(); ++c) empty.insert({createColumn(types[c]), types[c], base.at(c).name});
            ctes_ = st->outer;
            ctes_.push_back({cte.name, nullptr, false, std::make_shared<Block>(empty)});
            bool changed = false;
            for (size_t k = 1; k < u->selects.size(); ++k) {
                Block h = runUnion(u->selects[k], ctx_, ctes_, true, nullptr).header;
                if (h.columns() != types.size())
                    throw Exception(ErrorCodes::UNION_ALL_RESULT_STRUCTURES_MISMATCH,
                                    "Different number of columns in UNION elements: " + std::to_string(types.size()) + " and " + std::to_string(h.columns()));
                for (size_t c = 0; c < types.size(); ++c) {
                    DataTypePtr sup = getLeastSupertype({types[c], h.at(c).type});
                    if (!sup->equals(*types[c])) { types[c] = sup; changed = true; }
                }
            }
            if (!changed) break;
        }
        for (size_t c = 0; c < types.size(); ++c) st->header.insert({createColumn(types[c]), types[c], base.at(c).name});
        auto fctx = ctx_.functionContext();
        for (size_t c = 0; c < types.size(); ++c)
            st->working.insert({castColumn(base.at(c).column, base.at(c).type, types[c], fctx), types[c], base.at(c).name});
        ctes_ = saved;
    } catch (...) {
        ctes_ = saved;
        throw;
    }
    return st;
}

Block SelectExecutor::nextRecursiveCteRound(RecursiveCteState& st) {
    if (!st.started) {
        st.started = true;
        return st.working;
    }
    if (st.working.rows() == 0) return {};
    uint64_t max_depth = ctx_.settings.max_recursive_cte_evaluation_depth;
    if (st.depth++ >= max_depth)
        throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "Maximum recursive CTE evaluation depth (" + std::to_string(max_depth) +
                                                           ") exceeded, during evaluation of recursive CTE " + st.cte.name +
                                                           ". Consider raising max_recursive_cte_evaluation_depth setting");
    ctx_.checkLimits();
    auto* u = st.cte.query->as<ASTSelectWithUnion>();
    auto fctx = ctx_.functionContext();
    std::vector<Cte> saved = ctes_;
    try {
        ctes_ = st.outer;
        ctes_.push_back({st.cte.name, nullptr, false, std::make_shared<Block>(st.working)});
        std::vector<Block> parts;
        for (size_t k = 1; k < u->selects.size(); ++k) {
            Block b = runSubquery(u->selects[k], 0);
            if (!b.rows()) continue;
            Block cast;
            for (size_t c = 0; c < st.header.columns(); ++c)
                cast.insert({castColumn(b.at(c).column, b.at(c).type, st.header.at(c).type, fctx), st.header.at(c).type, st.header.at(c).name});
            parts.push_back(std::move(cast));
        }
        ctes_ = saved;
        st.working = parts.empty() ? st.header.cloneEmpty() : concatBlocks(parts, st.header);
    } catch (...) {
        ctes_ = saved;
        throw;
    }
    if (st.working.rows() == 0) return {};
    return st.working;
}

Block SelectExecutor::evaluateRecursiveCte(Cte cte) {   // by value: ctes_ changes below
    auto* u = cte.query->as<ASTSelectWithUnion>();
    if (!u || u->selects.size() < 2) {
        // No step part: just the query, without the CTE itself in sight.
        std::vector<Cte> saved = ctes_, outer;
        for (auto& c : ctes_) {
            if (c.name == cte.name && c.query == cte.query) break;
            outer.push_back(c);
        }
        ctes_ = outer;
        try {
            Block b = runSubquery(cte.query, 0);
            ctes_ = saved;
            return b;
        } catch (...) { ctes_ = saved; throw; }
    }
    auto st = startRecursiveCte(cte);
    std::vector<Block> all;
    for (Block b = nextRecursiveCteRound(*st); b.columns() || b.rows(); b = nextRecursiveCteRound(*st)) all.push_back(std::move(b));
    return concatBlocks(all, st->header);
}

// A recursive CTE read as a table by a query that may stop early (LIMIT without ORDER BY,
// aggregation, ...): one stream computing the rounds only as they are read, so an unbounded CTE
// under such a LIMIT ends once the LIMIT is satisfied (ClickHouse's RecursiveCTESource). Queries
// that read it to the end get the same rows as the eager evaluation, in the same order.
class RecursiveCteStorage final : public IStorage {
public:
    RecursiveCteStorage(SelectExecutor& ex, std::shared_ptr<SelectExecutor::RecursiveCteState> st) : ex_(ex), st_(std::move(st)) {
        for (auto& c : st_->header.data()) metadata_.columns.push_back(ColumnDescription{c.name, c.type});
    }
    std::string engineName() const override { return "RecursiveCTE"; }
    Sources read(const std::vector<std::string>& columns, QueryContext&, size_t) override {
        std::vector<size_t> positions;
        for (auto& n : columns) positions.push_back(size_t(st_->header.positionByName(n)));
        Sources out;
        out.push_back(std::make_unique<Rounds>(ex_, st_, std::move(positions)));
        return out;
    }

private:
    class Rounds final : public ISource {
    public:
        Rounds(SelectExecutor& ex, std::shared_ptr<SelectExecutor::RecursiveCteState> st, std::vector<size_t> positions)
            : ex_(ex), st_(std::move(st)), positions_(std::move(positions)) {}
        // Like ClickHouse's source, a round is handed out once the next one is computed (so the
        // depth limit can be hit one round past the rows a LIMIT takes, as there).
        Block read() override {
            if (done_) return {};
            if (!primed_) {
                pending_ = ex_.nextRecursiveCteRound(*st_);
                primed_ = true;
            }
            Block b = std::move(pending_);
            if (b.columns() == 0 && b.rows() == 0) { done_ = true; return {}; }
            pending_ = ex_.nextRecursiveCteRound(*st_);
            Block out;
            for (size_t p : positions_) out.insert(b.at(p));
            if (positions_.empty()) out.setRowsWithoutColumns(b.rows());
            return out;
        }

    private:
        SelectExecutor& ex_;
        std::shared_ptr<SelectExecutor::RecursiveCteState> st_;
        std::vector<size_t> positions_;
        Block pending_;
        bool primed_ = false, done_ = false;
    };
    SelectExecutor& ex_;
    std::shared_ptr<SelectExecutor::RecursiveCteState> st_;
};

Source SelectExecutor::resolveSource(const ASTTableExpression* from_table, const PushdownTarget* push) {
    Source src;
    auto addStorageColumns = [&](const StoragePtr& s) {
        for (auto& c : s->metadata().columns) {
            if (c.default_kind == "ALIAS") { src.alias_columns[c.name] = c.default_expr; continue; }
            if (c.default_kind == "EPHEMERAL") continue;
            src.columns.push_back({c.name, c.type});
            if (c.default_kind.empty() || c.default_kind == "DEFAULT") src.ordinary.push_back(c.name);
        }
        for (auto& [name, type] : s->virtualColumns())
            if (!s->metadata().find(name)) src.columns.push_back({name, type});
    };
    // `qualifiers`: the names the outer query may qualify this source's columns with (pushdown).
    auto fromSubquery = [&](const ASTPtr& query, const std::set<std::string>& qualifiers, const PushdownTarget* pushed) {
        ASTPtr rewritten = pushIntoSubquery(query, qualifiers, pushed);
        Block b;
        if (explaining_) {
            // EXPLAIN shows the subquery's plan (and its index analysis) instead of running it.
            if (ctx_.subquery_depth > 100) throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "Too deep subqueries");
            ++ctx_.subquery_depth;
            try {
                b = runUnion(rewritten, ctx_, ctes_, false, &src.explain_lines).header;
            } catch (...) {
                --ctx_.subquery_depth;
                throw;
            }
            --ctx_.subquery_depth;
        } else {
            b = runSubquery(rewritten, 0);
        }
        src.subquery_blocks = std::make_shared<std::vector<Block>>();
        if (b.rows()) src.subquery_blocks->push_back(b);
        for (auto& c : b.data()) {
            src.columns.push_back({c.name, c.type});
            src.ordinary.push_back(c.name);
        }
        if (src.subquery_blocks->empty()) src.subquery_blocks->push_back(b.cloneEmpty());
    };
    if (!from_table) {
        src.storage = ctx_.catalog->getTable("system", "one");
        addStorageColumns(src.storage);
        src.description = "ReadFromStorage (SystemOne)";
        return src;
    }
    auto& from = *from_table;
    if (from.subquery) {
        std::set<std::string> quals;
        if (!from.alias.empty()) quals.insert(from.alias);
        fromSubquery(from.subquery->query, quals, push);
        if (!from.alias.empty()) src.qualifiers.insert(from.alias);
        src.description = "ReadFromSubquery";
        return src;
    }
    if (from.table_function) {
        // A parameterized view: FROM v(name = value, ...) runs v's query with those parameters.
        auto named = ctx_.catalog->tryGetTable(ctx_.current_database, from.table_function->name);
        if (auto* view = dynamic_cast<const StorageView*>(named.get())) {
            auto saved = ctx_.query_parameters;
            for (auto& a : from.table_function->arguments) {
                auto* eq = a->as<ASTFunction>();
                auto* lit = eq && eq->name == "equals" && eq->arguments.size() == 2 ? eq->arguments[1]->as<ASTLiteral>() : nullptr;
                auto* pname = eq && eq->arguments.size() == 2 ? eq->arguments[0]->as<ASTIdentifier>() : nullptr;
                if (!lit || !pname)
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Arguments of parameterized view " + from.table_function->name +
                                                                   " must be name = literal, got " + a->formatSQL(false));
                ctx_.query_parameters[pname->name()] = lit->value.is<std::string>() ? lit->value.get<std::string>() : lit->value.toSQL();
            }
            try {
                std::set<std::string> quals{from.table_function->name};
                if (!from.alias.empty()) quals.insert(from.alias);
                fromSubquery(view->query(), quals, push);
            } catch (...) {
                ctx_.query_parameters = std::move(saved);
                throw;
            }
            ctx_.query_parameters = std::move(saved);
            src.qualifiers.insert(from.table_function->name);
            if (!from.alias.empty()) src.qualifiers.insert(from.alias);
            src.description = "ReadFromSubquery (" + from.table_function->name + ")";
            return src;
        }
        src.storage = createTableFunction(*from.table_function, ctx_);
        addStorageColumns(src.storage);
        if (!from.alias.empty()) src.qualifiers.insert(from.alias);
        src.qualifiers.insert(from.table_function->name);
        src.description = "ReadFromStorage (" + src.storage->engineName() + ")";
        return src;
    }
    // CTE by name (innermost first).
    if (from.database.empty()) {
        for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it) {
            if (it->name != from.table) continue;
            auto* cte_union = it->query ? it->query->as<ASTSelectWithUnion>() : nullptr;
            if (!it->rows && it->recursive && lazy_recursive_ && cte_union && cte_union->selects.size() >= 2) {
                src.storage = std::make_shared<RecursiveCteStorage>(*this, startRecursiveCte(*it));
                for (auto& c : src.storage->metadata().columns) {
                    src.columns.push_back({c.name, c.type});
                    src.ordinary.push_back(c.name);
                }
                src.qualifiers.insert(from.table);
                if (!from.alias.empty()) src.qualifiers.insert(from.alias);
                src.description = "ReadFromSubquery (" + from.table + ")";
                return src;
            }
            if (it->rows || it->recursive) {
                // A recursive CTE's working table, or the whole recursive CTE.
                Block b = it->rows ? *it->rows : evaluateRecursiveCte(*it);
                src.subquery_blocks = std::make_shared<std::vector<Block>>();
                src.subquery_blocks->push_back(b.rows() ? b : b.cloneEmpty());
                for (auto& c : b.data()) {
                    src.columns.push_back({c.name, c.type});
                    src.ordinary.push_back(c.name);
                }
                src.qualifiers.insert(from.table);
                if (!from.alias.empty()) src.qualifiers.insert(from.alias);
                src.description = "ReadFromSubquery (" + from.table + ")";
                return src;
            }
            // The CTE body must not see itself (WITH without RECURSIVE).
            std::vector<Cte> saved = ctes_;
            ctes_.erase(std::next(it).base(), ctes_.end());
            try {
                std::set<std::string> quals{from.table};
                if (!from.alias.empty()) quals.insert(from.alias);
                fromSubquery(it->query, quals, push);
            } catch (...) {
                ctes_ = saved;
                throw;
            }
            ctes_ = saved;
            src.qualifiers.insert(from.table);
            if (!from.alias.empty()) src.qualifiers.insert(from.alias);
            src.description = "ReadFromSubquery (" + from.table + ")";
            return src;
        }
    }
    std::string db = from.database.empty() ? ctx_.current_database : from.database;
    if (auto it = ctx_.table_overrides.find(db + "." + from.table); it != ctx_.table_overrides.end()) src.storage = it->second;
    else {
        src.storage = ctx_.catalog->getTable(db, from.table);
        ctx_.catalog->access().check(ctx_.current_user, AccessType::Select, db, from.table);
        src.checked_database = db;
        src.checked_table = from.table;
        // A row policy: the table is read as (SELECT * FROM db.t WHERE condition); the inner read
        // goes through table_overrides, so it is not filtered twice.
        if (ASTPtr condition = ctx_.catalog->access().rowPolicy(ctx_.current_user, db, from.table)) {
            auto key = db + "." + from.table;
            ParsedStatement inner = parseStatement("SELECT * FROM " + backQuote(db) + "." + backQuote(from.table) + " WHERE " + condition->formatSQL(false));
            ctx_.table_overrides[key] = src.storage;
            try {
                // Not pushed into: outer conditions must not see rows the policy hides.
                fromSubquery(inner.ast, {}, nullptr);
            } catch (...) {
                ctx_.table_overrides.erase(key);
                throw;
            }
            ctx_.table_overrides.erase(key);
            src.storage = nullptr;
            src.checked_database = db;
            src.checked_table = from.table;
            src.qualifiers.insert(from.table);
            src.qualifiers.insert(key);
            if (!from.alias.empty()) src.qualifiers.insert(from.alias);
            src.description = "ReadFromSubquery (" + key + ", row policy)";
            return src;
        }
    }
    if (auto* view = dynamic_cast<const StorageView*>(src.storage.get())) {
        std::set<std::string> quals{from.table, db + "." + from.table};
        if (!from.alias.empty()) quals.insert(from.alias);
        fromSubquery(view->query(), quals, push);
        src.storage = nullptr;
        src.qualifiers.insert(from.table);
        src.qualifiers.insert(db + "." + from.table);
        if (!from.alias.empty()) src.qualifiers.insert(from.alias);
        src.description = "ReadFromSubquery (" + db + "." + from.table + ")";
        return src;
    }
    if (auto* mv = dynamic_cast<const StorageMaterializedView*>(src.storage.get())) src.storage = mv->target(ctx_);
    // CREATE VIEW analyzes its SELECT over empty tables of the same structure.
    if (ctx_.empty_sources && db != "system") src.storage = std::make_shared<StorageMemory>(src.storage->metadata());
    addStorageColumns(src.storage);
    src.qualifiers.insert(from.table);
    src.qualifiers.insert(db + "." + from.table);
    if (!from.alias.empty()) src.qualifiers.insert(from.alias);
    src.description = dynamic_cast<const StorageMergeTree*>(src.storage.get()) ? "ReadFromMergeTree (" + db + "." + from.table + ")"
                                                                              : "ReadFromStorage (" + src.storage->engineName() + ": " + db + "." + from.table + ")";
    return src;
}

// Expands *, t.*, COLUMNS(...) with EXCEPT/REPLACE into (expression, output name) pairs.
std::vector<std::pair<ASTPtr, std::string>> expandSelectList(const ASTSelectQuery& q, const Source& src) {
    std::vector<std::pair<ASTPtr, std::string>> out;
    auto applyTransformers = [&](const std::vector<std::string>& names, const ColumnTransformers& tr) {
        std::unique_ptr<RE2> except_re;
        if (!tr.except_regex.empty()) {
            except_re = std::make_unique<RE2>(tr.except_regex, RE2::Quiet);
            if (!except_re->ok()) throw Exception(ErrorCodes::CANNOT_COMPILE_REGEXP, "Cannot compile regexp '" + tr.except_regex + "': " + except_re->error());
        }
        for (auto& ex : tr.except_names)
            if (std::find(names.begin(), names.end(), ex) == names.end())
                throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "Column transformer EXCEPT expects a column " + ex + " that is not in the list");
        for (auto& n : names) {
            if (std::find(tr.except_names.begin(), tr.except_names.end(), n) != tr.except_names.end()) continue;
            if (except_re && RE2::PartialMatch(n, *except_re)) continue;
            ASTPtr e = std::make_shared<ASTIdentifier>(std::vector<std::string>{n});
            for (auto& [rn, rexpr] : tr.replace)
                if (rn == n) { e = rexpr->clone(); e->alias = n; }
            out.push_back({e, n});
        }
    };
    for (auto& item : q.select) {
        if (auto* star = item->as<ASTAsterisk>()) {
            if (!star->qualifier.empty()) {
                std::string qn;
                for (auto& p : star->qualifier) qn += (qn.empty() ? "" : ".") + p;
                if (auto it = src.qualified_star.find(qn); it != src.qualified_star.end()) {
                    applyTransformers(it->second, star->transformers);
                    continue;
                }
            }
            applyTransformers(src.ordinary, star->transformers);
            continue;
        }
        if (auto* m = item->as<ASTColumnsMatcher>()) {
            std::vector<std::string> names;
            if (!m->regex.empty()) {
                RE2 re(m->regex, RE2::Quiet);
                if (!re.ok()) throw Exception(ErrorCodes::CANNOT_COMPILE_REGEXP, "Cannot compile regexp '" + m->regex + "': " + re.error());
                for (auto& c : src.columns)
                    if (RE2::PartialMatch(c.name, re)) names.push_back(c.name);
            } else {
                names = m->columns;
            }
            applyTransformers(names, m->transformers);
            continue;
        }
        // f(*) (max(*) of `x > ALL (subquery)`): the arguments are every column.
        if (auto* fn = item->as<ASTFunction>(); fn && std::any_of(fn->arguments.begin(), fn->arguments.end(), [](const ASTPtr& a) {
                auto* s = a->as<ASTAsterisk>();
                return s && s->qualifier.empty();
            })) {
            auto copy = std::static_pointer_cast<ASTFunction>(fn->clone());
            copy->arguments.clear();
            for (auto& a : fn->arguments) {
                auto* s = a->as<ASTAsterisk>();
                if (!s || !s->qualifier.empty()) { copy->arguments.push_back(a); continue; }
                for (auto& n : src.ordinary) copy->arguments.push_back(std::make_shared<ASTIdentifier>(std::vector<std::string>{n}));
            }
            out.push_back({copy, item->alias.empty() ? item->getColumnName() : item->alias});
            continue;
        }
        out.push_back({item, item->alias.empty() ? item->getColumnName() : item->alias});
    }
    return out;
}

// One ARRAY JOIN step: an ARRAY JOIN clause (its items zipped) or one distinct arrayJoin(...) call.
// Steps apply one after another, each multiplying the rows of the previous, as in ClickHouse.
struct ArrayJoinStep {
    std::vector<ExprNodePtr> nodes;       // the arrays (or maps), evaluated over the step's input
    std::vector<int> replaces;            // position in the input replaced by the elements, or -1
    std::vector<std::string> names;       // names of the element columns
    DataTypes element_types;              // Array(T): T; Map(K, V): Tuple(keys K, values V)
    bool left = false;                    // LEFT ARRAY JOIN: a row with an empty array stays, once
};

// Replicates each row by the size of the step's arrays (equal per row, else 190) and puts their
// elements in place of the replaced columns or after the others. LEFT ARRAY JOIN keeps rows with
// empty arrays (one row with the element type's default).
Block applyArrayJoin(const Block& in, const ArrayJoinStep& step) {
    std::vector<ColumnPtr> arrays = evaluateAll(step.nodes, in);
    for (auto& a : arrays) a = materialize(a);
    const size_t rows = in.rows();
    const auto& first = static_cast<const ColumnArray&>(*arrays[0]);
    for (size_t m = 1; m < arrays.size(); ++m) {
        const auto& other = static_cast<const ColumnArray&>(*arrays[m]);
        for (size_t i = 0; i < rows; ++i)
            if (other.sizeAt(i) != first.sizeAt(i))
                throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Sizes of ARRAY-JOIN-ed arrays do not match");
    }
    Offsets offsets(rows);
    size_t total = 0;
    for (size_t i = 0; i < rows; ++i) {
        size_t n = first.sizeAt(i);
        total += (step.left && n == 0) ? 1 : n;
        offsets[i] = total;
    }
    Block next;
    for (size_t c = 0; c < in.columns(); ++c) next.insert({in.at(c).column->replicate(offsets), in.at(c).type, in.at(c).name});
    for (size_t k = 0; k < arrays.size(); ++k) {
        const auto& arr = static_cast<const ColumnArray&>(*arrays[k]);
        ColumnPtr elements = arr.getDataPtr();
        if (step.left && total != arr.getData().size()) {
            auto e = arr.getData().cloneEmpty();
            for (size_t i = 0; i < rows; ++i) {
                if (arr.sizeAt(i) == 0) e->insertDefault();
                else e->insertRangeFrom(arr.getData(), arr.offsetAt(i), arr.sizeAt(i));
            }
            elements = std::move(e);
        }
        ColumnWithTypeAndName col{elements, step.element_types[k], step.names[k]};
        int pos = step.replaces[k] >= 0 ? step.replaces[k] : next.positionByName(step.names[k]);
        if (pos >= 0) next.at(size_t(pos)) = col;
        else next.insert(col);
    }
    if (next.columns() == 0) next.setRowsWithoutColumns(total);
    return next;
}

struct StreamOutput {
    std::vector<Block> blocks;
    size_t rows = 0;
    size_t rows_read = 0;
    size_t bytes_read = 0;
};

size_t constUInt(const Field& f, const char* what) {
    if (f.is<uint64_t>()) return f.get<uint64_t>();
    if (f.is<int64_t>() && f.get<int64_t>() >= 0) return size_t(f.get<int64_t>());
    throw Exception(ErrorCodes::INVALID_LIMIT_EXPRESSION, std::string("The value ") + f.toSQL() + " of " + what + " expression is not representable as UInt64");
}

// LIMIT/OFFSET accept negative values (ClickHouse 24.10+): a negative OFFSET drops rows from the
// end, a negative LIMIT keeps the last rows.
int64_t constInt(const Field& f, const char* what) {
    if (f.is<uint64_t>() && f.get<uint64_t>() <= uint64_t(INT64_MAX)) return int64_t(f.get<uint64_t>());
    if (f.is<int64_t>()) return f.get<int64_t>();
    throw Exception(ErrorCodes::INVALID_LIMIT_EXPRESSION, std::string("The value ") + f.toSQL() + " of " + what + " expression is not representable as Int64");
}

// Splits an AND tree into its conjuncts.
void splitConjuncts(const ASTPtr& e, ASTs& out) {
    if (auto* f = e->as<ASTFunction>(); f && f->name == "and" && !f->isWindowFunction()) {
        for (auto& a : f->arguments) splitConjuncts(a, out);
        return;
    }
    // (a, b) = (c, d) is a = c AND b = d (join keys written as tuples).
    if (auto* f = e->as<ASTFunction>(); f && f->name == "equals" && f->arguments.size() == 2) {
        auto* l = f->arguments[0]->as<ASTFunction>();
        auto* r = f->arguments[1]->as<ASTFunction>();
        if (l && r && l->name == "tuple" && r->name == "tuple" && l->arguments.size() == r->arguments.size() && !l->arguments.empty()) {
            for (size_t i = 0; i < l->arguments.size(); ++i) {
                auto eq = std::make_shared<ASTFunction>();
                eq->name = "equals";
                eq->arguments = {l->arguments[i], r->arguments[i]};
                out.push_back(eq);
            }
            return;
        }
    }
    out.push_back(e);
}

// The AND of conditions (the condition itself when there is one).
ASTPtr conjunction(const ASTs& list) {
    if (list.size() == 1) return list[0];
    auto a = std::make_shared<ASTFunction>();
    a->name = "and";
    a->arguments = list;
    return a;
}

// A copy of `e` whose identifiers lose a leading table qualifier (`t.a` -> `a`): how a storage,
// which knows only its own column names, is handed a condition on it.
ASTPtr withoutQualifiers(const ASTPtr& e, const std::set<std::string>& qualifiers) {
    ASTPtr copy = e->clone();
    std::function<void(ASTPtr&)> strip = [&](ASTPtr& a) {
        if (auto* id = a->as<ASTIdentifier>()) {
            for (size_t skip = 1; skip < id->parts.size(); ++skip) {
                std::string qual;
                for (size_t i = 0; i < skip; ++i) qual += (i ? "." : "") + id->parts[i];
                if (!qualifiers.count(qual)) continue;
                auto nid = std::make_shared<ASTIdentifier>(std::vector<std::string>(id->parts.begin() + skip, id->parts.end()));
                nid->alias = a->alias;
                a = nid;
                return;
            }
            return;
        }
        if (auto* f = a->as<ASTFunction>()) for (auto& x : f->arguments) strip(x);
    };
    strip(copy);
    return copy;
}

std::string tableLabel(const ASTTableExpression& te, size_t index) {
    if (!te.alias.empty()) return te.alias;
    if (!te.table.empty()) return te.table;
    if (te.table_function) return te.table_function->name;
    return "_subquery" + std::to_string(index);
}

// ---- Predicate pushdown into FROM subqueries, views and CTEs
//
// Such a source is materialized before the outer query runs, so an outer WHERE conjunct that reads
// only its columns is copied into its WHERE — the subquery's select-list expressions substituted
// for the column names — where the subquery's own table read uses it for partition, primary-key and
// PREWHERE pruning (and nested subqueries push it further the same way). The outer WHERE is kept
// as written: pushing only ever has to be correct, never complete.

// Functions whose value depends on the row's position, the block, or chance: evaluated elsewhere
// they give other values (ClickHouse's non-deterministic functions; now()/today() are constant
// within a query and stay pushable).
bool positionOrRandomDependent(const std::string& name) {
    static const char* const kPrefixes[] = {"rand", "generate", "rownumber", "blocknumber", "blocksize", "running", "neighbor",
                                            "sleep", "throwif", "fuzzbits", "initializeaggregation", "uptime"};
    std::string n = toLower(name);
    for (const char* p : kPrefixes)
        if (n.compare(0, std::strlen(p), p) == 0) return true;
    return false;
}

// Whether an expression gives the same value for a row wherever it is evaluated: only literals,
// parameters, identifiers and ordinary deterministic functions (no aggregate, window function,
// arrayJoin, subquery — which would run twice —, * or COLUMNS). Lambdas only when allowed (the outer
// conjunct's lambda parameters would otherwise look like column names).
bool relocatableExpression(const ASTPtr& e, bool allow_lambda) {
    if (!e) return false;
    if (e->as<ASTLiteral>() || e->as<ASTIdentifier>() || e->as<ASTQueryParameter>()) return true;
    auto* f = e->as<ASTFunction>();
    if (!f || f->isWindowFunction() || f->parameters || f->distinct) return false;
    if (f->name == "lambda" && !allow_lambda) return false;
    if (f->name == "arrayJoin" || positionOrRandomDependent(f->name)) return false;
    if (f->name != "lambda" && AggregateFunctionFactory::instance().isAggregateFunctionName(f->name)) return false;
    for (auto& a : f->arguments)
        if (!relocatableExpression(a, allow_lambda)) return false;
    return true;
}

void forEachIdentifier(const ASTPtr& e, const std::function<void(const ASTIdentifier&)>& f) {
    if (!e) return;
    if (auto* id = e->as<ASTIdentifier>()) { f(*id); return; }
    if (auto* fn = e->as<ASTFunction>())
        for (auto& a : fn->arguments) forEachIdentifier(a, f);
}

// Every alias an expression defines (not inside subqueries).
void collectAliasNames(const ASTPtr& e, std::set<std::string>& out) {
    if (!e) return;
    if (!e->alias.empty()) {
        // `a AS a` renames nothing.
        auto* id = e->as<ASTIdentifier>();
        if (!(id && id->parts.size() == 1 && id->parts[0] == e->alias)) out.insert(e->alias);
    }
    if (auto* fn = e->as<ASTFunction>()) {
        for (auto& a : fn->arguments) collectAliasNames(a, out);
        if (fn->window) {
            for (auto& p : fn->window->partition_by) collectAliasNames(p, out);
            for (auto& o : fn->window->order_by) collectAliasNames(o->expr, out);
        }
    }
}

std::set<std::string> queryAliasNames(const ASTSelectQuery& s) {
    std::set<std::string> out;
    for (auto& e : s.with) collectAliasNames(e, out);
    for (auto& e : s.select) collectAliasNames(e, out);
    for (auto& e : s.array_join) collectAliasNames(e, out);
    for (auto* e : {&s.prewhere, &s.where, &s.having, &s.qualify}) collectAliasNames(*e, out);
    for (auto& e : s.group_by) collectAliasNames(e, out);
    for (auto& o : s.order_by) collectAliasNames(o->expr, out);
    for (auto& e : s.limit_by) collectAliasNames(e, out);
    return out;
}

// A copy without any alias (a substituted expression must not define names in its new place).
ASTPtr withoutAliases(const ASTPtr& e) {
    ASTPtr c = e->clone();
    std::function<void(ASTPtr&)> strip = [&](ASTPtr& a) {
        a->alias.clear();
        if (auto* f = a->as<ASTFunction>()) for (auto& x : f->arguments) strip(x);
    };
    strip(c);
    return c;
}

// The SELECTs of a (possibly nested) UNION, in order.
void unionBranches(const ASTPtr& query, std::vector<ASTSelectQuery*>& out) {
    if (auto* s = query->as<ASTSelectQuery>()) { out.push_back(s); return; }
    if (auto* u = query->as<ASTSelectWithUnion>())
        for (auto& s : u->selects) unionBranches(s, out);
}

// The columns `*` stands for in a SELECT reading `te` (owner: that SELECT, for its own CTEs), or
// nullopt when they cannot be known without running something.
std::optional<std::vector<std::string>> SelectExecutor::tableColumnNames(const ASTTableExpression* te, const ASTSelectQuery& owner, int depth) {
    if (!te || te->table_function || depth > 16) return std::nullopt;
    auto namesOf = [&](const ASTPtr& query) -> std::optional<std::vector<std::string>> {
        auto outputs = unionOutputs(query, depth + 1);
        if (!outputs) return std::nullopt;
        std::vector<std::string> names;
        for (auto& o : *outputs) names.push_back(o.name);
        return names;
    };
    if (te->subquery) return namesOf(te->subquery->query);
    if (te->database.empty()) {
        for (auto& w : owner.with)
            if (auto* sq = w->as<ASTSubquery>(); sq && w->alias == te->table) {
                if (owner.with_recursive) return std::nullopt;
                return namesOf(sq->query);
            }
        for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it)
            if (it->name == te->table) {
                if (it->recursive || it->rows || !it->query) return std::nullopt;
                return namesOf(it->query);
            }
    }
    std::string db = te->database.empty() ? ctx_.current_database : te->database;
    StoragePtr storage;
    try {
        if (auto it = ctx_.table_overrides.find(db + "." + te->table); it != ctx_.table_overrides.end()) storage = it->second;
        else storage = ctx_.catalog->tryGetTable(db, te->table);
        if (auto* mv = dynamic_cast<const StorageMaterializedView*>(storage.get())) storage = mv->target(ctx_);
    } catch (const Exception&) {
        return std::nullopt;
    }
    if (!storage) return std::nullopt;
    if (auto* view = dynamic_cast<const StorageView*>(storage.get())) return namesOf(view->query());
    std::vector<std::string> names;
    for (auto& c : storage->metadata().columns)
        if (c.default_kind.empty() || c.default_kind == "DEFAULT") names.push_back(c.name);
    return names;
}

// The output columns of one SELECT as the executor names them (expandSelectList), with the
// expression of each.
std::optional<SubqueryOutputs> SelectExecutor::selectOutputs(const ASTSelectQuery& s, int depth) {
    SubqueryOutputs out;
    for (auto& item : s.select) {
        if (auto* star = item->as<ASTAsterisk>()) {
            if (!s.joins.empty()) return std::nullopt;
            auto names = tableColumnNames(s.from.get(), s, depth);
            if (!names) return std::nullopt;
            const ColumnTransformers& tr = star->transformers;
            std::unique_ptr<RE2> except_re;
            if (!tr.except_regex.empty()) {
                except_re = std::make_unique<RE2>(tr.except_regex, RE2::Quiet);
                if (!except_re->ok()) return std::nullopt;
            }
            for (auto& ex : tr.except_names)
                if (std::find(names->begin(), names->end(), ex) == names->end()) return std::nullopt;
            for (auto& n : *names) {
                if (std::find(tr.except_names.begin(), tr.except_names.end(), n) != tr.except_names.end()) continue;
                if (except_re && RE2::PartialMatch(n, *except_re)) continue;
                SubqueryOutput o{n, std::make_shared<ASTIdentifier>(std::vector<std::string>{n}), true};
                // REPLACE: not pushed through (whether its alias is visible in WHERE is a fine point).
                for (auto& [rn, rexpr] : tr.replace)
                    if (rn == n) { o.expr = nullptr; o.from_star = false; }
                out.push_back(std::move(o));
            }
            continue;
        }
        if (item->as<ASTColumnsMatcher>()) return std::nullopt;
        out.push_back({item->alias.empty() ? item->getColumnName() : item->alias, item, false});
    }
    return out;
}

std::optional<SubqueryOutputs> SelectExecutor::unionOutputs(const ASTPtr& query, int depth) {
    std::vector<ASTSelectQuery*> branches;
    unionBranches(query, branches);
    if (branches.empty() || depth > 16) return std::nullopt;
    return selectOutputs(*branches[0], depth);
}

// Which outer WHERE conjuncts each table expression of `q` may receive: those of a relocatable
// shape naming no alias of the query (an alias is not a column of the source), for a table whose
// rows can be filtered before the joins without changing the result — the first table when no join
// can make a dropped row matter (RIGHT / FULL / PASTE, and ANY INNER, where each key joins only the
// first left row that reaches it); a joined table when its join is ALL INNER / RIGHT / CROSS and
// no later join is of those kinds (pushRightFilters' rule).
std::vector<PushdownTarget> SelectExecutor::planPushdown(const ASTSelectQuery& q) {
    std::vector<PushdownTarget> targets(1 + q.joins.size());
    if (!q.where || !q.from || !q.array_join.empty()) return targets;
    std::set<std::string> aliases = queryAliasNames(q);
    ASTs conjuncts, candidates;
    splitConjuncts(q.where, conjuncts);
    for (auto& c : conjuncts) {
        if (!relocatableExpression(c, false)) continue;
        bool any = false, aliased = false;
        forEachIdentifier(c, [&](const ASTIdentifier& id) {
            any = true;
            aliased = aliased || aliases.count(id.name()) || aliases.count(id.parts[0]);
        });
        if (any && !aliased) candidates.push_back(c);
    }
    if (candidates.empty()) return targets;
    auto strictnessOf = [&](const ASTTableJoin& j) {
        if (j.join_kind == JoinKind::Cross) return JoinStrictness::All;
        if (j.strictness != JoinStrictness::Unspecified) return j.strictness;
        const std::string& def = ctx_.settings.join_default_strictness;
        return def == "ANY" ? JoinStrictness::Any : def == "ASOF" ? JoinStrictness::Asof : def == "ALL" ? JoinStrictness::All : JoinStrictness::Unspecified;
    };
    // Each stream row's output depends on that row alone.
    auto rowIndependent = [&](const ASTTableJoin& j) {
        JoinKind k = j.join_kind;
        JoinStrictness st = strictnessOf(j);
        if (k == JoinKind::Right || k == JoinKind::Full || k == JoinKind::Paste || st == JoinStrictness::Unspecified) return false;
        return !(k == JoinKind::Inner && st == JoinStrictness::Any);
    };
    size_t n = targets.size();
    std::vector<std::set<std::string>> labels(n);
    for (size_t t = 0; t < n; ++t) {
        const ASTTableExpression& te = t == 0 ? *q.from : *q.joins[t - 1]->table;
        for (const std::string* l : {&te.alias, &te.table, &te.database})
            if (!l->empty()) labels[t].insert(*l);
        if (te.table_function) labels[t].insert(te.table_function->name);
    }
    for (size_t t = 0; t < n; ++t) {
        bool allowed = true;
        if (t > 0) {
            const ASTTableJoin& j = *q.joins[t - 1];
            JoinKind k = j.join_kind;
            allowed = strictnessOf(j) == JoinStrictness::All && (k == JoinKind::Inner || k == JoinKind::Right || k == JoinKind::Cross);
        }
        for (size_t j = t; j < q.joins.size() && allowed; ++j) allowed = rowIndependent(*q.joins[j]);
        if (!allowed) continue;
        targets[t].conjuncts = candidates;
        for (size_t o = 0; o < n; ++o)
            if (o != t) targets[t].foreign.insert(labels[o].begin(), labels[o].end());
    }
    return targets;
}

// `query` (a FROM subquery, view or CTE body) with the conjuncts of `push` that it can take added
// to the WHERE of every UNION branch; `query` itself when none applies (it is never modified).
ASTPtr SelectExecutor::pushIntoSubquery(const ASTPtr& query, const std::set<std::string>& qualifiers, const PushdownTarget* push) {
    if (!push || push->conjuncts.empty() || !query) return query;
    std::vector<ASTSelectQuery*> branches;
    unionBranches(query, branches);
    if (branches.empty()) return query;
    std::vector<SubqueryOutputs> outs;
    for (auto* b : branches) {
        auto o = selectOutputs(*b, 0);
        if (!o || (!outs.empty() && o->size() != outs[0].size())) return query;
        outs.push_back(std::move(*o));
    }
    // Output names (the first branch's) to positions; a name given twice is not pushed through.
    std::map<std::string, size_t> position;
    std::set<std::string> duplicate;
    for (size_t p = 0; p < outs[0].size(); ++p)
        if (!position.emplace(outs[0][p].name, p).second) duplicate.insert(outs[0][p].name);
    // Per branch: whether rows may be filtered before it at all, and which outputs are GROUP BY keys.
    struct Branch {
        bool open = true;
        bool aggregating = false;
        std::vector<bool> key;
        std::set<std::string> aliases;
    };
    std::vector<Branch> info(branches.size());
    for (size_t b = 0; b < branches.size(); ++b) {
        const ASTSelectQuery& s = *branches[b];
        Branch& bi = info[b];
        // LIMIT / OFFSET / LIMIT BY pick rows by position, WITH FILL invents rows, window functions
        // and ARRAY JOIN see the rows around a row; WITH TOTALS / ROLLUP / CUBE add rows of totals.
        // HAVING drops groups after the pushed condition would have run on their rows (where it
        // could fail, e.g. divide by a key the outer query never sees).
        bi.open = !s.limit_length && !s.limit_offset && s.limit_by.empty() && !s.limit_by_length && s.array_join.empty() && s.windows.empty() &&
                  !s.qualify && !s.with_totals && !s.with_rollup && !s.with_cube && !s.having;
        // The pushed conditions follow the inner WHERE in one AND, which evaluates them only on the
        // rows it keeps — unless short-circuit evaluation is off.
        bool lazy_and = ctx_.settings.short_circuit_function_evaluation;
        for (auto& [name, value] : s.settings) lazy_and = lazy_and && name != "short_circuit_function_evaluation";
        if ((s.where || s.prewhere) && !lazy_and) bi.open = false;
        for (auto& o : s.order_by) bi.open = bi.open && !o->with_fill;
        // A function of the row's position in its block or stream (or of chance) anywhere in the
        // output would see other rows once some are filtered first.
        std::function<bool(const ASTPtr&)> rowContext = [&](const ASTPtr& e) {
            auto* f = e ? e->as<ASTFunction>() : nullptr;
            if (!f) return false;
            if (f->name == "arrayJoin" || f->isWindowFunction() || positionOrRandomDependent(f->name)) return true;
            for (auto& a : f->arguments)
                if (rowContext(a)) return true;
            return false;
        };
        for (auto& item : s.select) {
            bi.open = bi.open && !rowContext(item);
            bi.aggregating = bi.aggregating || containsAggregate(item);
        }
        bi.open = bi.open && !rowContext(s.having);
        for (auto& o : s.order_by) bi.open = bi.open && !rowContext(o->expr);
        for (auto& o : s.order_by) bi.aggregating = bi.aggregating || containsAggregate(o->expr);
        bi.aggregating = bi.aggregating || !s.group_by.empty() || s.group_by_all || s.having;
        bi.aliases = queryAliasNames(s);
        bi.key.assign(outs[b].size(), false);
        for (size_t p = 0; bi.aggregating && p < outs[b].size(); ++p) {
            const SubqueryOutput& o = outs[b][p];
            if (!o.expr) continue;
            if (s.group_by_all) { bi.key[p] = !containsAggregate(o.expr); continue; }
            std::string expr_name = withoutAliases(o.expr)->getColumnName();
            for (auto& g : s.group_by) {
                auto* lit = g->as<ASTLiteral>();
                auto* id = g->as<ASTIdentifier>();
                if ((lit && lit->value.is<uint64_t>() && lit->value.get<uint64_t>() == p + 1) || (id && id->parts.size() == 1 && id->parts[0] == o.name) ||
                    withoutAliases(g)->getColumnName() == expr_name)
                    bi.key[p] = !containsAggregate(o.expr);
            }
        }
    }
    // The output column an identifier of the outer query names, if it is one of this source's.
    auto resolve = [&](const ASTIdentifier& id) -> std::optional<size_t> {
        const auto& parts = id.parts;
        std::string name;
        for (size_t skip = 1; skip < parts.size() && name.empty(); ++skip) {
            std::string qual;
            for (size_t i = 0; i < skip; ++i) qual += (i ? "." : "") + parts[i];
            if (!qualifiers.count(qual)) continue;
            for (size_t i = skip; i < parts.size(); ++i) name += (i > skip ? "." : "") + parts[i];
        }
        if (name.empty()) {
            if (parts.size() > 1 && push->foreign.count(parts[0])) return std::nullopt;
            name = id.name();
            if (push->earlier.count(name)) return std::nullopt;
        }
        if (duplicate.count(name)) return std::nullopt;
        auto it = position.find(name);
        if (it == position.end()) return std::nullopt;
        return it->second;
    };
    std::vector<ASTs> added(branches.size());
    for (auto& c : push->conjuncts) {
        bool ok = true;
        forEachIdentifier(c, [&](const ASTIdentifier& id) { ok = ok && resolve(id).has_value(); });
        if (!ok) continue;
        std::vector<ASTPtr> rewritten(branches.size());
        for (size_t b = 0; b < branches.size() && ok; ++b) {
            ok = info[b].open;
            std::function<ASTPtr(const ASTPtr&)> substitute = [&](const ASTPtr& e) -> ASTPtr {
                if (auto* id = e->as<ASTIdentifier>()) {
                    size_t p = *resolve(*id);
                    const SubqueryOutput& o = outs[b][p];
                    if (!o.expr || (info[b].aggregating && !info[b].key[p]) || (o.from_star && info[b].aliases.count(o.name)) ||
                        !relocatableExpression(withoutAliases(o.expr), true)) {
                        ok = false;
                        return e;
                    }
                    // An aliased output is named by its alias: the inner WHERE expands it as the
                    // select list does (`k + 1 AS k` then reads the column once, not twice).
                    if (o.from_star) return std::make_shared<ASTIdentifier>(std::vector<std::string>{o.name});
                    if (!o.expr->alias.empty()) return std::make_shared<ASTIdentifier>(std::vector<std::string>{o.expr->alias});
                    return withoutAliases(o.expr);
                }
                ASTPtr copy = e->clone();
                copy->alias.clear();
                if (auto* f = copy->as<ASTFunction>())
                    for (auto& a : f->arguments) a = substitute(a);
                return copy;
            };
            if (!ok) break;
            rewritten[b] = substitute(c);
            ok = ok && relocatableExpression(rewritten[b], true);
        }
        if (!ok) continue;
        for (size_t b = 0; b < branches.size(); ++b) added[b].push_back(rewritten[b]);
    }
    if (added[0].empty()) return query;
    ASTPtr copy = query->clone();
    std::vector<ASTSelectQuery*> targets;
    unionBranches(copy, targets);
    for (size_t b = 0; b < targets.size(); ++b) {
        ASTs all;
        if (targets[b]->where) all.push_back(targets[b]->where);
        all.insert(all.end(), added[b].begin(), added[b].end());
        targets[b]->where = conjunction(all);
    }
    return copy;
}


// The WHERE conjuncts that name only columns of the first (streamed) table, with qualifiers
// removed — handed to its storage for partition/primary-key pruning and PREWHERE. Only when no
// join can turn a left row into a NULL-extended one (RIGHT / FULL), where filtering early would
// change the result.
ASTPtr leftOnlyConjuncts(const ASTPtr& cond, const std::vector<JoinTable>& tables, const std::vector<JoinStep>& steps, Analyzer& analyzer) {
    for (auto& st : steps)
        if (st.desc.kind == JoinKind::Right || st.desc.kind == JoinKind::Full) return nullptr;
    const Source& left = tables[0].source;
    Scope sc;
    sc.qualifiers = left.qualifiers;
    sc.columns = left.columns;
    ASTs conjuncts, pushed;
    splitConjuncts(cond, conjuncts);
    for (auto& c : conjuncts) {
        if (containsAggregate(c)) continue;
        Scope attempt = sc;
        try {
            analyzer.analyze(c, attempt);
        } catch (const Exception&) {
            continue;
        }
        pushed.push_back(withoutQualifiers(c, left.qualifiers));
    }
    if (pushed.empty()) return nullptr;
    return conjunction(pushed);
}

// A Join-engine table on the right must be joined exactly as it was declared: same strictness,
// kind, join_use_nulls, USING all of its keys with the same types (ClickHouse: 264).
void checkJoinEngine(const StorageJoin& sj, const JoinDescription& d, const ASTTableJoin& ast, const Scope& right) {
    const auto& spec = sj.spec();
    static const char* strictnesses[] = {"", "ALL", "ANY", "SEMI", "ANTI", "ASOF"};
    static const char* kinds[] = {"INNER", "LEFT", "RIGHT", "FULL", "CROSS", "PASTE"};
    auto fail = [&](const std::string& why) {
        throw Exception(ErrorCodes::INCOMPATIBLE_TYPE_OF_JOIN, "Table " + ast.table->formatSQL(false) + " has incompatible type of JOIN: " + why);
    };
    if (spec.strictness != strictnesses[int(d.strictness)] || spec.kind != kinds[int(d.kind)])
        fail(std::string("declared ") + spec.strictness + " " + spec.kind + ", used " + strictnesses[int(d.strictness)] + " " + kinds[int(d.kind)]);
    if (spec.use_nulls != d.use_nulls) fail("join_use_nulls differs from the table's");
    std::set<std::string> used;
    for (auto& k : d.right_keys) {
        if (k->kind != ExprNode::Kind::Input) fail("join keys must be the table's key columns");
        used.insert(right.columns[k->input].name);
    }
    if (used != std::set<std::string>(spec.keys.begin(), spec.keys.end())) fail("the join keys must be the table's keys");
    for (size_t k = 0; k < d.left_keys.size(); ++k)
        if (!d.left_keys[k]->type->equals(*d.right_keys[k]->type))
            fail("key " + d.right_keys[k]->name + " has type " + d.right_keys[k]->type->name() + " in the table, " + d.left_keys[k]->type->name() + " in the query");
}

// WHERE conjuncts that read only one joined table's columns filter that table while it is read
// (and prune its storage), when that cannot change the result: the table is not NULL-extended by
// its own join (INNER / RIGHT) or a later one (RIGHT / FULL), and its join is ALL (for ANY and ASOF,
// filtering first would pick other rows).
void pushRightFilters(const ASTPtr& cond, std::vector<JoinTable>& tables, std::vector<JoinStep>& steps, const Scope& scope, Analyzer& analyzer) {
    ASTs conjuncts;
    splitConjuncts(cond, conjuncts);
    for (size_t k = 0; k < steps.size(); ++k) {
        JoinStep& st = steps[k];
        if (st.desc.strictness != JoinStrictness::All || (st.desc.kind != JoinKind::Inner && st.desc.kind != JoinKind::Right)) continue;
        bool later_outer = false;
        for (size_t j = k + 1; j < steps.size(); ++j) later_outer = later_outer || steps[j].desc.kind == JoinKind::Right || steps[j].desc.kind == JoinKind::Full;
        if (later_outer) continue;
        const Source& right = tables[k + 1].source;
        ASTs pushed;
        for (auto& c : conjuncts) {
            if (containsAggregate(c)) continue;
            Scope full = scope;
            ExprNodePtr n;
            try { n = analyzer.analyze(c, full); } catch (const Exception&) { continue; }
            bool only_right = true, any_input = false;
            std::vector<const ExprNode*> stack{n.get()};
            while (!stack.empty() && only_right) {
                const ExprNode* x = stack.back();
                stack.pop_back();
                if (x->kind == ExprNode::Kind::Lambda) { only_right = false; break; }
                if (x->kind == ExprNode::Kind::Input) {
                    any_input = true;
                    only_right = x->input >= st.out_begin && x->input < st.out_end;
                }
                for (auto& a : x->args) stack.push_back(a.get());
            }
            if (!only_right || !any_input) continue;
            Scope rs = st.right_scope;
            try { analyzer.analyze(c, rs); } catch (const Exception&) { continue; }
            pushed.push_back(c);
        }
        if (pushed.empty()) continue;
        ASTPtr conj = conjunction(pushed);
        Scope rs = st.right_scope;
        st.right_filter = analyzer.analyze(conj, rs);
        st.right_filter_ast = withoutQualifiers(conj, right.qualifiers);
    }
}

// Resolves each JOIN: which columns every table contributes, the joined scope (unique names,
// qualified names, join_use_nulls types), and each join's keys, ASOF inequality and other ON
// conditions analyzed over the right scopes.
void SelectExecutor::planJoins(const std::vector<std::shared_ptr<ASTTableJoin>>& joins, std::vector<JoinTable>& tables, std::vector<JoinStep>& steps,
                               std::set<std::string>& idents, std::vector<std::string>& read_columns, Scope& scope, Analyzer& analyzer) {
    for (auto& j : joins) {
        collectIdentifiers(j->on, idents);
        for (auto& u : j->using_columns) collectIdentifiers(u, idents);
    }
    const bool use_nulls = ctx_.settings.join_use_nulls;
    for (size_t t = 0; t < tables.size(); ++t) {
        auto& jt = tables[t];
        size_t n = jt.source.columns.size();
        jt.output.assign(n, false);
        jt.read.assign(n, false);
        for (size_t i = 0; i < n; ++i) {
            const auto& c = jt.source.columns[i];
            bool out = idents.count(jt.unique[i]) > 0;
            for (auto& ql : jt.source.qualifiers) out = out || idents.count(ql + "." + c.name) > 0;
            jt.output[i] = out;
            jt.read[i] = out || idents.count(c.name) > 0;
            if (t == 0) jt.output[i] = jt.read[i];
        }
    }
    auto addQualified = [](Scope& sc, const JoinTable& jt, size_t i, size_t pos) {
        // An earlier table keeps a qualified name both could claim (`a JOIN a AS q`: a.x is the first).
        for (auto& ql : jt.source.qualifiers) sc.qualified.emplace(ql + "." + jt.source.columns[i].name, pos);
    };
    // The block entering the first join: the first table's columns.
    Scope cur;
    for (auto& name : tables[0].ambiguous) cur.qualified[name] = SIZE_MAX;
    for (size_t i = 0; i < tables[0].source.columns.size(); ++i) {
        if (!tables[0].read[i]) continue;
        read_columns.push_back(tables[0].source.columns[i].name);
        addQualified(cur, tables[0], i, cur.columns.size());
        cur.columns.push_back({tables[0].unique[i], tables[0].source.columns[i].type});
    }
    auto tryAnalyze = [&](const ASTPtr& ast, const Scope& base) -> ExprNodePtr {
        Scope sc = base;
        try {
            return analyzer.analyze(ast, sc);
        } catch (const Exception& e) {
            if (e.code() == ErrorCodes::UNKNOWN_IDENTIFIER) return nullptr;
            throw;
        }
    };
    for (size_t k = 1; k < tables.size(); ++k) {
        const ASTTableJoin& ast = *joins[k - 1];
        JoinTable& jt = tables[k];
        JoinStep st;
        st.ast = &ast;
        JoinDescription& d = st.desc;
        d.kind = ast.join_kind;
        d.strictness = ast.strictness;
        if (d.kind == JoinKind::Cross) d.strictness = JoinStrictness::All;
        if (d.strictness == JoinStrictness::Unspecified) {
            const std::string& def = ctx_.settings.join_default_strictness;
            if (def == "ANY") d.strictness = JoinStrictness::Any;
            else if (def == "ASOF") d.strictness = JoinStrictness::Asof;
            else if (def == "ALL") d.strictness = JoinStrictness::All;
            else throw Exception(ErrorCodes::EXPECTED_ALL_OR_ANY, "Expected ANY or ALL in JOIN section, because setting (join_default_strictness) is empty");
        }
        if (d.strictness == JoinStrictness::Any && d.kind == JoinKind::Full) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "ANY FULL JOINs are not implemented");
        if ((d.strictness == JoinStrictness::Semi || d.strictness == JoinStrictness::Anti) && d.kind != JoinKind::Left && d.kind != JoinKind::Right)
            throw Exception(ErrorCodes::NOT_IMPLEMENTED, std::string(d.strictness == JoinStrictness::Semi ? "SEMI" : "ANTI") + " JOIN is supported only with LEFT or RIGHT kind");
        if (d.strictness == JoinStrictness::Asof && d.kind != JoinKind::Inner && d.kind != JoinKind::Left)
            throw Exception(ErrorCodes::NOT_IMPLEMENTED, "ASOF only supports LEFT and INNER as base joins");
        d.use_nulls = use_nulls;
        bool left_nullable = d.kind == JoinKind::Right || d.kind == JoinKind::Full;
        bool right_nullable = d.kind == JoinKind::Left || d.kind == JoinKind::Full;

        Scope right;
        right.qualifiers = jt.source.qualifiers;
        right.clause = "JOIN ON";
        std::vector<size_t> right_pos(jt.source.columns.size(), SIZE_MAX);
        for (size_t i = 0; i < jt.source.columns.size(); ++i) {
            if (!jt.read[i]) continue;
            right_pos[i] = right.columns.size();
            st.right_read.push_back(jt.source.columns[i].name);
            right.columns.push_back(jt.source.columns[i]);
        }
        for (auto& c : cur.columns) st.header_in.insert({createColumn(c.type), c.type, c.name});
        Scope left = cur;
        left.clause = "JOIN ON";
        // The output layout: left columns (Nullable on the outer side), then the right's outputs.
        Scope out;
        out.clause = "JOIN ON";
        for (auto& c : cur.columns) {
            out.columns.push_back({c.name, joinedColumnType(c.type, left_nullable, use_nulls)});
            d.left_types.push_back(out.columns.back().type);
        }
        out.qualified = cur.qualified;
        st.out_begin = out.columns.size();
        for (size_t i = 0; i < jt.source.columns.size(); ++i) {
            if (!jt.output[i]) continue;
            d.right_columns.push_back(right_pos[i]);
            d.right_names.push_back(jt.unique[i]);
            addQualified(out, jt, i, out.columns.size());
            out.columns.push_back({jt.unique[i], joinedColumnType(jt.source.columns[i].type, right_nullable, use_nulls)});
        }
        auto addKey = [&](const ExprNodePtr& l, const ExprNodePtr& r) {
            DataTypePtr lt = removeNullable(recursiveRemoveLowCardinality(l->type)), rt = removeNullable(recursiveRemoveLowCardinality(r->type));
            DataTypePtr common;
            auto isDate = [](const DataType& t) { return t.id == TypeId::Date || t.id == TypeId::Date32 || t.id == TypeId::DateTime || t.id == TypeId::DateTime64; };
            if (isDate(*lt) != isDate(*rt) && (lt->isNumber() || rt->isNumber()))
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal types of JOIN keys " + l->name + ": " + l->type->name() + " and " + r->name + ": " + r->type->name());
            // 64-bit integers have no exact floating-point supertype (ClickHouse: NO_COMMON_TYPE).
            auto wideInt = [](const DataType& t) { return t.isInteger() && (t.id == TypeId::Int64 || t.id == TypeId::UInt64); };
            if ((wideInt(*lt) && rt->isFloat()) || (wideInt(*rt) && lt->isFloat()))
                throw Exception(ErrorCodes::NO_COMMON_TYPE, "There is no supertype for types " + lt->name() + ", " + rt->name() +
                                                                " because some of them are integers and some are floating point, but there is no floating point type, that can exactly represent all required integers");
            try {
                common = getLeastSupertype({lt, rt});
            } catch (const Exception& e) {
                throw Exception(e.code(), "Can't infer common type for joined columns: " + l->name + ": " + l->type->name() + " at left, " +
                                              r->name + ": " + r->type->name() + " at right: " + e.what());
            }
            d.left_keys.push_back(l);
            d.right_keys.push_back(r);
            d.null_safe.push_back(false);
            d.key_types.push_back(removeNullable(common));
        };
        auto setAsof = [&](const ExprNodePtr& l, const ExprNodePtr& r, AsofInequality op) {
            DataTypePtr lt = removeNullable(recursiveRemoveLowCardinality(l->type)), rt = removeNullable(recursiveRemoveLowCardinality(r->type));
            DataTypePtr common = getLeastSupertype({lt, rt});
            d.asof_type = removeNullable(common);
            switch (d.asof_type->id) {
                case TypeId::UInt8: case TypeId::UInt16: case TypeId::UInt32: case TypeId::UInt64: case TypeId::Int8: case TypeId::Int16:
                case TypeId::Int32: case TypeId::Int64: case TypeId::Float32: case TypeId::Float64: case TypeId::Date: case TypeId::Date32:
                case TypeId::DateTime: case TypeId::DateTime64: case TypeId::Decimal32: case TypeId::Decimal64: break;
                default: throw Exception(ErrorCodes::BAD_TYPE_OF_FIELD, "ASOF join not supported for type: " + d.asof_type->name());
            }
            d.left_asof = l;
            d.right_asof = r;
            d.asof_inequality = op;
        };
        bool asof = d.strictness == JoinStrictness::Asof;
        // Which side an expression reads in the joined scope: 1 left, 2 right, 3 both, 0 neither.
        const size_t left_width = cur.columns.size();
        auto sideOf = [&](const ASTPtr& e) -> int {
            ExprNodePtr n = tryAnalyze(e, out);
            if (!n) return 3;
            int side = 0;
            std::vector<const ExprNode*> stack{n.get()};
            while (!stack.empty()) {
                const ExprNode* x = stack.back();
                stack.pop_back();
                if (x->kind == ExprNode::Kind::Lambda) return 3;
                if (x->kind == ExprNode::Kind::Input) side |= x->input < left_width ? 1 : 2;
                for (auto& arg : x->args) stack.push_back(arg.get());
            }
            return side;
        };
        std::vector<SourceColumn> appended;   // RIGHT/FULL USING: merged keys after the right columns
        if (!ast.using_columns.empty()) {
            std::set<std::string> seen_using;
            for (size_t u = 0; u < ast.using_columns.size(); ++u) {
                const ASTPtr& ue = ast.using_columns[u];
                if (!ue->as<ASTIdentifier>())
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "JOIN USING expects identifiers, got " + ue->formatSQL(false));
                std::string name = ue->alias.empty() ? ue->getColumnName() : ue->alias;
                if (!seen_using.insert(name).second) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Duplicate column `" + name + "` in JOIN USING");
                auto id = std::make_shared<ASTIdentifier>(std::vector<std::string>{name});
                ExprNodePtr l = tryAnalyze(id, left), r = tryAnalyze(id, right);
                if (!l || l->kind != ExprNode::Kind::Input)
                    throw Exception(ErrorCodes::UNKNOWN_IDENTIFIER, "Cannot find column `" + name + "` in left table expression in JOIN USING");
                if (!r) throw Exception(ErrorCodes::UNKNOWN_IDENTIFIER, "Cannot find column `" + name + "` in right table expression in JOIN USING");
                if (asof && u + 1 == ast.using_columns.size()) {
                    setAsof(l, r, AsofInequality::GreaterOrEquals);
                    continue;
                }
                addKey(l, r);
                DataTypePtr base = getLeastSupertype({recursiveRemoveLowCardinality(l->type), recursiveRemoveLowCardinality(r->type)});
                DataTypePtr ut = base;
                if (d.kind == JoinKind::Full && use_nulls && ut->canBeInsideNullable()) ut = makeNullable(ut);
                // INNER / LEFT: the left column becomes the merged key. RIGHT / FULL: the left column
                // keeps the left's values (as `t.a`) and the merged key is appended under the plain name.
                bool append = left_nullable;
                d.using_columns.push_back({l->input, d.left_keys.size() - 1, ut, append});
                out.qualified.erase(name);
                if (!append) {
                    out.columns[l->input].type = ut;
                    out.columns[l->input].name = name;
                    d.left_types[l->input] = ut;
                } else {
                    out.columns[l->input].type = d.left_types[l->input] = joinedColumnType(base, true, use_nulls);
                    // RIGHT names the left column by its table (`t1.a`); FULL keeps the plain name on
                    // both (as ClickHouse), and the plain name resolves to the merged key.
                    if (out.columns[l->input].name == name && d.kind == JoinKind::Right) {
                        std::string qualified_name;
                        for (auto& [qn, qp] : cur.qualified)
                            if (qp == l->input && (qualified_name.empty() || qn.size() < qualified_name.size())) qualified_name = qn;
                        out.columns[l->input].name = qualified_name.empty() ? "__using_left." + name : qualified_name;
                    }
                    appended.push_back({name, ut});
                }
            }
        } else if (ast.on) {
            ASTs conjuncts, residual;
            splitConjuncts(ast.on, conjuncts);
            for (auto& c : conjuncts) {
                auto* f = c->as<ASTFunction>();
                static const std::pair<const char*, int> kOps[] = {{"equals", -1}, {"isNotDistinctFrom", -3}, {"greaterOrEquals", 0}, {"greater", 1}, {"lessOrEquals", 2}, {"less", 3}};
                int op = -2;
                if (f && f->arguments.size() == 2 && !f->isWindowFunction())
                    for (auto& [name, code] : kOps) if (f->name == name) op = code;
                bool used = false;
                if (op == -1 || op == -3 || (op >= 0 && asof && !d.left_asof)) {
                    for (int swap = 0; swap < 2 && !used; ++swap) {
                        const ASTPtr& a = f->arguments[swap], &b = f->arguments[1 - swap];
                        // Names resolve as in the joined scope (`ON a = a` is the left's a twice).
                        if (sideOf(a) != 1 || sideOf(b) != 2) continue;
                        ExprNodePtr l = tryAnalyze(a, left);
                        if (!l || l->isConstant()) continue;
                        ExprNodePtr r = tryAnalyze(b, right);
                        if (!r || r->isConstant()) continue;
                        if (op == -1 || op == -3) {
                            addKey(l, r);
                            d.null_safe.back() = op == -3;
                        }
                        else {
                            static const AsofInequality direct[] = {AsofInequality::GreaterOrEquals, AsofInequality::Greater, AsofInequality::LessOrEquals, AsofInequality::Less};
                            static const AsofInequality swapped[] = {AsofInequality::LessOrEquals, AsofInequality::Less, AsofInequality::GreaterOrEquals, AsofInequality::Greater};
                            setAsof(l, r, swap ? swapped[op] : direct[op]);
                        }
                        used = true;
                    }
                }
                if (!used) residual.push_back(c);
            }
            if (asof && d.left_asof) {
                // ASOF: other conditions must name one side; they filter that side before the
                // nearest row is picked.
                ASTs left_conds, right_conds;
                for (auto& c : residual) {
                    if (ExprNodePtr r = tryAnalyze(c, right); r && !r->isConstant()) right_conds.push_back(c);
                    else if (ExprNodePtr l = tryAnalyze(c, left); l && !l->isConstant()) left_conds.push_back(c);
                    else throw Exception(ErrorCodes::INVALID_JOIN_ON_EXPRESSION, "ASOF join supports only equi-join keys, one inequality and conditions on one side in ON, got " + ast.on->formatSQL(false));
                }
                if (!left_conds.empty()) { Scope sc = left; d.left_filter = analyzer.analyze(conjunction(left_conds), sc); }
                if (!right_conds.empty()) { Scope sc = right; d.right_filter = analyzer.analyze(conjunction(right_conds), sc); }
                residual.clear();
            }
            if (!residual.empty()) {
                if (asof) throw Exception(ErrorCodes::INVALID_JOIN_ON_EXPRESSION, "ASOF join supports only equi-join keys and one inequality in ON, got " + ast.on->formatSQL(false));
                // Without equality keys only INNER ALL pairs rows by an arbitrary condition; the other
                // kinds accept conditions on their non-preserved side (as ClickHouse does).
                if (d.left_keys.empty() && !(d.kind == JoinKind::Inner && d.strictness == JoinStrictness::All)) {
                    for (auto& c : residual) {
                        ExprNodePtr r = tryAnalyze(c, right), l = tryAnalyze(c, left);
                        bool ok = (r && d.kind != JoinKind::Right && d.kind != JoinKind::Full) || (l && d.kind != JoinKind::Left && d.kind != JoinKind::Full) ||
                                  (r && l && r->isConstant());
                        // ON k1 = k1' OR k2 = k2': every branch has a cross-table equality (evaluated by pairs).
                        auto* orf = c->as<ASTFunction>();
                        if (!ok && orf && orf->name == "or") {
                            ok = true;
                            for (auto& branch : orf->arguments) {
                                ASTs parts;
                                splitConjuncts(branch, parts);
                                bool has_key = false;
                                for (auto& p : parts) {
                                    auto* eq = p->as<ASTFunction>();
                                    if (!eq || eq->name != "equals" || eq->arguments.size() != 2) continue;
                                    for (int sw = 0; sw < 2 && !has_key; ++sw) {
                                        ExprNodePtr el = tryAnalyze(eq->arguments[sw], left), er = tryAnalyze(eq->arguments[1 - sw], right);
                                        has_key = el && er && !el->isConstant() && !er->isConstant();
                                    }
                                }
                                ok = ok && has_key;
                            }
                        }
                        if (!ok)
                            throw Exception(ErrorCodes::INVALID_JOIN_ON_EXPRESSION, "Cannot determine join keys in JOIN ON expression " + ast.on->formatSQL(false));
                    }
                }
                ASTs checked;
                for (auto& c : residual) {
                    if (containsAggregate(c)) throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Aggregate function " + c->getColumnName() + " is found in JOIN ON in query");
                    bool window = false;
                    std::function<void(const ASTPtr&)> findWindow = [&](const ASTPtr& x) {
                        if (auto* fx = x->as<ASTFunction>()) {
                            window = window || fx->isWindowFunction();
                            for (auto& arg : fx->arguments) findWindow(arg);
                        }
                    };
                    findWindow(c);
                    if (window) throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Window function " + c->getColumnName() + " is found in JOIN ON in query");
                    // A lone column or literal is not a join condition; a non-Bool expression must be a number.
                    if (residual.size() == 1 && conjuncts.size() == 1 && (c->as<ASTIdentifier>() || c->as<ASTLiteral>())) {
                        auto* lit = c->as<ASTLiteral>();
                        bool numeric_literal = lit && (lit->value.is<uint64_t>() || lit->value.is<int64_t>() || lit->value.isNull() || lit->value.is<double>());
                        if (!numeric_literal)
                            throw Exception(ErrorCodes::INVALID_JOIN_ON_EXPRESSION, "Wrong type of JOIN ON expression " + c->formatSQL(false));
                    }
                    Scope sc = out;
                    ExprNodePtr n = analyzer.analyze(c, sc);
                    DataTypePtr ft = removeNullable(removeLowCardinality(n->type));
                    if (ft->id == TypeId::UInt8 || ft->id == TypeId::Bool || ft->id == TypeId::Nothing) {
                        checked.push_back(c);
                    } else if (ft->isNumber()) {
                        auto ne = std::make_shared<ASTFunction>();
                        ne->name = "notEquals";
                        ne->arguments = {c, std::make_shared<ASTLiteral>(Field(uint64_t(0)))};
                        checked.push_back(ne);
                    } else {
                        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + n->type->name() + " of JOIN ON condition " + c->formatSQL(false) + ", expected a Bool");
                    }
                }
                ASTPtr cond = conjunction(checked);
                Scope sc = out;
                d.residual = analyzer.analyze(cond, sc);
                if (d.residual->isConstant()) {
                    // ON 1 / ON 0: a cross join, or nothing matches.
                    Field v = (*d.residual->constant).get(0);
                    bool truth = !v.isNull() && v.toSQL() != "0" && v.toSQL() != "false";
                    if (truth) d.residual = nullptr;
                }
            }
            if (asof && !d.left_asof)
                throw Exception(ErrorCodes::INVALID_JOIN_ON_EXPRESSION, "Cannot find inequality in ASOF JOIN ON section " + ast.on->formatSQL(false));
        } else if (d.kind != JoinKind::Cross && d.kind != JoinKind::Paste) {
            throw Exception(ErrorCodes::SYNTAX_ERROR, "JOIN " + ast.table->formatSQL(false) + " requires ON or USING");
        }
        if (asof && d.left_keys.empty()) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "ASOF join needs at least one equi-join column");
        st.out_end = out.columns.size();
        st.right_scope = right;
        for (auto& a : appended) {
            out.qualified[a.name] = out.columns.size();
            out.columns.push_back(a);
        }
        if (auto* sj = dynamic_cast<const StorageJoin*>(jt.source.storage.get())) checkJoinEngine(*sj, d, ast, right);
        st.non_joined = joinHasNonJoinedRows(d.kind, d.strictness);
        cur.columns = out.columns;
        cur.qualified = out.qualified;
        if (!jt.source.checked_table.empty())
            ctx_.catalog->access().check(ctx_.current_user, AccessType::Select, jt.source.checked_database, jt.source.checked_table, &st.right_read);
        steps.push_back(std::move(st));
    }
    scope.columns = cur.columns;
    scope.qualified = cur.qualified;
    scope.qualifiers.clear();
}

// Calls f for each block of the given columns of a source, from several threads at once for
// storages (the build side of a join).
void forEachSourceBlock(const Source& s, const std::vector<std::string>& cols, QueryContext& ctx, const std::function<void(Block)>& f,
                        const ASTPtr& filter = nullptr) {
    if (s.subquery_blocks) {
        std::vector<size_t> positions;
        for (auto& name : cols)
            for (size_t i = 0; i < s.columns.size(); ++i)
                if (s.columns[i].name == name) { positions.push_back(i); break; }
        for (auto& b : *s.subquery_blocks) {
            if (b.rows() == 0) continue;
            Block nb;
            for (size_t p : positions) nb.insert(b.at(p));
            if (positions.empty()) nb.setRowsWithoutColumns(b.rows());
            f(std::move(nb));
        }
        return;
    }
    SelectQueryInfo info;
    info.filter = filter;
    size_t threads = std::max<size_t>(1, ctx.threads());
    Sources sources = s.storage->read(cols, info, ctx, threads);
    parallelFor(sources.size(), std::min(threads, sources.size()), [&](size_t i) {
        MemoryTrackerScope mem(ctx.memory.get());
        while (true) {
            ctx.checkLimits();
            Block b = sources[i]->read();
            if (b.rows() == 0 && b.columns() == 0) break;
            ctx.read_rows.fetch_add(b.rows(), std::memory_order_relaxed);
            ctx.read_bytes.fetch_add(b.bytes(), std::memory_order_relaxed);
            if (b.rows()) f(std::move(b));
        }
    });
}

// Reads each join's right side. It is kept in memory and indexed (HashJoin) unless it outgrows
// max_bytes_in_join (or a quarter of max_memory_usage) while join_algorithm allows spilling
// (grace_hash, partial_merge, auto): then it is split into bucket files (GraceJoin).
void SelectExecutor::buildJoins(std::vector<JoinTable>& tables, std::vector<JoinStep>& steps, size_t first) {
    const auto& st_settings = ctx_.settings;
    const std::string& algorithm = st_settings.join_algorithm;
    bool spill_allowed = algorithm.find("grace_hash") != std::string::npos || algorithm.find("partial_merge") != std::string::npos ||
                         algorithm.find("auto") != std::string::npos;
    size_t limit = st_settings.max_bytes_in_join;
    if (!limit && spill_allowed && st_settings.max_memory_usage) limit = st_settings.max_memory_usage / 4;
    for (size_t k = first; k < steps.size(); ++k) {
        JoinStep& st = steps[k];
        const Source& right_source = tables[k + 1].source;
        Block header;
        for (auto& name : st.right_read)
            for (auto& c : right_source.columns)
                if (c.name == name) { header.insert({createColumn(c.type), c.type, name}); break; }
        bool can_spill = spill_allowed && limit && !st.desc.left_keys.empty() && st.desc.kind != JoinKind::Paste;
        std::mutex mutex;
        std::vector<Block> blocks;
        size_t bytes = 0, rows = 0;
        std::shared_ptr<GraceJoin> grace;
        forEachSourceBlock(right_source, st.right_read, ctx_, [&](Block b) {
            if (st.right_filter) {
                b = filterBlock(b, evaluate(st.right_filter, b));
                if (b.rows() == 0) return;
            }
            std::unique_lock lock(mutex);
            if (grace) {
                lock.unlock();
                grace->addRight(b);
                return;
            }
            bytes += b.bytes();
            rows += b.rows();
            if (st_settings.max_rows_in_join && rows > st_settings.max_rows_in_join)
                throw Exception(ErrorCodes::SET_SIZE_LIMIT_EXCEEDED, "Limit for JOIN exceeded, max rows: " + std::to_string(st_settings.max_rows_in_join) +
                                                                         ", current rows: " + std::to_string(rows));
            blocks.push_back(std::move(b));
            // The index costs about 40 bytes a row on top of the rows (cells at <= 50% load + chain).
            if (!limit || bytes + rows * 40 <= limit) return;
            if (!can_spill)
                throw Exception(ErrorCodes::SET_SIZE_LIMIT_EXCEEDED, "Limit for JOIN exceeded, max bytes: " + std::to_string(limit) +
                                                                         ", current bytes: " + std::to_string(bytes) + " (join_algorithm = '" + algorithm +
                                                                         "' does not spill; use grace_hash)");
            // Spill: buckets sized so one bucket's rows fit the limit about twice over.
            std::optional<uint64_t> total = right_source.storage ? right_source.storage->totalBytes() : std::nullopt;
            size_t estimate = std::max<size_t>((bytes + rows * 40) * 4, total ? size_t(*total) : 0);
            size_t buckets = 4;
            while (buckets < 1024 && estimate / buckets > limit / 2) buckets *= 2;
            grace = std::make_shared<GraceJoin>(st.desc, ctx_.functionContext(), header, buckets, "");
            for (auto& held : blocks) grace->addRight(held);
            blocks.clear();
        }, st.right_filter_ast);
        if (grace) {
            st.grace = grace;
            continue;
        }
        Block right;
        if (st.right_read.empty()) right.setRowsWithoutColumns(rows);
        else right = blocks.empty() ? header : concatBlocks(blocks, header);
        blocks.clear();
        MemoryTrackerScope mem(ctx_.memory.get());
        st.join = std::make_shared<HashJoin>(st.desc, right, ctx_.functionContext(), ctx_.threads());
    }
}

// Later joins that drop unmatched left rows (INNER / RIGHT / SEMI LEFT) and whose keys read only
// the first table's columns: they filter each block before the first join (the most selective join
// of a star schema then works first; the row's own probe comes later as usual).
std::vector<size_t> prefilterSteps(const std::vector<JoinStep>& join_steps) {
    std::vector<size_t> prefilter_steps;
    if (join_steps.empty()) return prefilter_steps;
    size_t width0 = join_steps[0].header_in.columns();
    for (size_t k = 1; k < join_steps.size(); ++k) {
        const auto& d = join_steps[k].desc;
        bool drops = (d.kind == JoinKind::Inner || d.kind == JoinKind::Right || (d.kind == JoinKind::Left && d.strictness == JoinStrictness::Semi)) &&
                     d.strictness != JoinStrictness::Asof && d.strictness != JoinStrictness::Anti && !d.left_keys.empty() && join_steps[k].join;
        for (auto& key : d.left_keys) {
            std::vector<const ExprNode*> stack{key.get()};
            while (!stack.empty() && drops) {
                const ExprNode* x = stack.back();
                stack.pop_back();
                if (x->kind == ExprNode::Kind::Lambda || (x->kind == ExprNode::Kind::Input && x->input >= width0)) drops = false;
                for (auto& a : x->args) stack.push_back(a.get());
            }
        }
        // Earlier RIGHT / FULL joins add rows later; keep it simple and only prefilter INNER chains.
        // (USING replaces a left column by the merged key, whose type the later keys were analyzed with.)
        for (size_t j = 0; j < k && drops; ++j)
            drops = (join_steps[j].desc.kind == JoinKind::Inner || join_steps[j].desc.kind == JoinKind::Left) && join_steps[j].desc.using_columns.empty();
        if (drops) prefilter_steps.push_back(k);
    }
    return prefilter_steps;
}

// Rows a source will produce, as far as known before reading it: a materialized subquery's rows,
// a MergeTree read's rows left by its index analysis, else the table's row count.
std::optional<size_t> estimatedRows(const Source& s, const ASTPtr& filter, QueryContext& ctx) {
    if (s.subquery_blocks) {
        size_t n = 0;
        for (auto& b : *s.subquery_blocks) n += b.rows();
        return n;
    }
    if (!s.storage) return std::nullopt;
    try {
        if (auto* mt = dynamic_cast<const StorageMergeTree*>(s.storage.get()); mt && filter) return mt->analyzeRead(filter, ctx).rows_selected;
        if (auto rows = s.storage->totalRows()) return size_t(*rows);
    } catch (const Exception&) {
        // No estimate: the read itself reports what is wrong.
    }
    return std::nullopt;
}

// Whether the first join should index the first table and stream its right side instead
// (query_plan_join_swap_table: "auto" when the right side is estimated at least 4 times larger and
// 64k rows or more, "1" always): ALL joins on keys — INNER, LEFT and RIGHT without other ON
// conditions (SwappedHashJoin::supported) — whose output is the same rows in the same column
// layout; not with a PASTE join (rows paired by position), spilling or join size limits (they name
// the right side), FINAL or a Join-engine table.
bool SelectExecutor::swapFirstJoin(const std::vector<JoinTable>& tables, const std::vector<JoinStep>& steps, const SelectQueryInfo& left_info) {
    const std::string& mode = ctx_.settings.query_plan_join_swap_table;
    if (steps.empty() || mode == "0") return false;
    if (!SwappedHashJoin::supported(steps[0].desc)) return false;
    for (auto& st : steps)
        if (st.desc.kind == JoinKind::Paste) return false;
    const auto& set = ctx_.settings;
    bool spill_allowed = set.join_algorithm.find("grace_hash") != std::string::npos || set.join_algorithm.find("partial_merge") != std::string::npos ||
                         set.join_algorithm.find("auto") != std::string::npos;
    if (set.max_bytes_in_join || set.max_rows_in_join || (spill_allowed && set.max_memory_usage)) return false;
    const Source& left = tables[0].source;
    const Source& right = tables[1].source;
    if (left_info.final || (!left.storage && !left.subquery_blocks) || (!right.storage && !right.subquery_blocks)) return false;
    if (dynamic_cast<const StorageJoin*>(right.storage.get())) return false;
    if (mode == "1") return true;
    std::optional<size_t> l = estimatedRows(left, left_info.filter, ctx_), r = estimatedRows(right, steps[0].right_filter_ast, ctx_);
    return l && r && *r >= (size_t(1) << 16) && *r >= 4 * *l;
}

// The swapped first join: the first table read whole (pruned by its WHERE conjuncts, rows without a
// match in a later INNER join dropped) and indexed; the right side is then the streamed source.
void SelectExecutor::buildSwappedJoin(std::vector<JoinTable>& tables, std::vector<JoinStep>& steps, const std::vector<std::string>& left_read,
                                      const SelectQueryInfo& left_info) {
    JoinStep& st = steps[0];
    const Source& left_source = tables[0].source;
    Block left_header, right_header;
    for (auto& name : left_read)
        for (auto& c : left_source.columns)
            if (c.name == name) { left_header.insert({createColumn(c.type), c.type, name}); break; }
    for (auto& name : st.right_read)
        for (auto& c : tables[1].source.columns)
            if (c.name == name) { right_header.insert({createColumn(c.type), c.type, name}); break; }
    std::mutex mutex;
    std::vector<Block> blocks;
    size_t rows = 0;
    forEachSourceBlock(left_source, left_read, ctx_, [&](Block b) {
        std::lock_guard lock(mutex);
        rows += b.rows();
        blocks.push_back(std::move(b));
    }, left_info.filter);
    Block left;
    if (left_read.empty()) left.setRowsWithoutColumns(rows);
    else left = blocks.empty() ? left_header : concatBlocks(blocks, left_header);
    blocks.clear();
    MemoryTrackerScope mem(ctx_.memory.get());
    // Left rows a later INNER join would drop anyway (also when they are not matched here: LEFT).
    if (std::vector<size_t> pre = prefilterSteps(steps); !pre.empty() && left.rows()) {
        auto mask = ColumnUInt8::create(left.rows());
        std::memset(mask->getData().data(), 1, left.rows());
        for (size_t k : pre) steps[k].join->keepMatching(left, mask->getData());
        left = filterBlock(left, std::move(mask));
    }
    st.swapped = std::make_shared<SwappedHashJoin>(st.desc, left, right_header, ctx_.functionContext(), ctx_.threads());
    // LEFT: the unmatched left rows come after the streams; RIGHT: unmatched right rows come inline.
    st.non_joined = st.swapped->hasNonJoined();
}

QueryResult SelectExecutor::run(const ASTSelectQuery& q, bool header_only, std::vector<std::string>* explain) {
    // Per-query settings from SETTINGS.
    for (auto& [k, v] : q.settings) ctx_.settings.set(k, v);
    explaining_ = explain != nullptr;
    Analyzer analyzer(ctx_, [this](const ASTPtr& sq, size_t max_rows) { return runSubquery(sq, max_rows); });

    // WITH: CTE subqueries and expression aliases.
    AliasMap aliases;
    for (auto& w : q.with) {
        if (auto* sq = w->as<ASTSubquery>(); sq && !w->alias.empty() && sq->alias == w->alias && false) {
            (void)sq;
        }
        if (auto* sq = w->as<ASTSubquery>()) {
            // `name AS (SELECT ...)` is a CTE (parser stores it as a subquery with alias) — used in
            // FROM; `(SELECT ...) AS name` is a scalar: both are registered; FROM resolution
            // prefers CTEs, expressions use the scalar alias.
            if (!w->alias.empty()) ctes_.push_back({w->alias, sq->query, q.with_recursive, nullptr});
        }
        if (!w->alias.empty()) aliases.add(w->alias, w);
    }

    // Outer WHERE conjuncts go into FROM subqueries, views and CTEs that can take them.
    std::vector<PushdownTarget> push_targets = planPushdown(q);
    lazy_recursive_ = q.joins.empty() && q.limit_length && !explain;
    Source src;
    try {
        src = resolveSource(q.from.get(), &push_targets[0]);
    } catch (...) {
        lazy_recursive_ = false;
        throw;
    }
    lazy_recursive_ = false;
    // A Distributed table: the shards aggregate / sort, this server merges (cluster/distributed_query.h).
    if (auto dist = std::dynamic_pointer_cast<StorageDistributed>(src.storage); dist && !explain) {
        if (auto plan = planDistributedSelect(q, dist, ctx_)) {
            ctx_.table_overrides[plan->override_key] = plan->shards;
            struct Erase {
                QueryContext& c; std::string k;
                ~Erase() { c.table_overrides.erase(k); }
            } erase{ctx_, plan->override_key};
            return run(*plan->outer->as<ASTSelectQuery>(), header_only, explain);
        }
    }
    std::vector<JoinTable> join_tables;
    std::vector<JoinStep> join_steps;
    std::vector<std::shared_ptr<ASTTableJoin>> joins;   // q.joins, NATURAL ones with their USING list
    if (!q.joins.empty()) {
        join_tables.push_back({src, {}, {}, {}, {}});
        std::set<std::string> aliases_seen;
        if (!q.from->alias.empty()) aliases_seen.insert(q.from->alias);
        if (q.from->subquery && q.from->alias.empty())
            throw Exception(ErrorCodes::ALIAS_REQUIRED, "No alias for subquery or table function in JOIN (set joined_subquery_requires_alias=0 to disable restriction). While processing '" +
                                                            q.from->formatSQL(false) + "'");
        for (auto& j : q.joins) {
            if (!j->table->alias.empty() && !aliases_seen.insert(j->table->alias).second)
                throw Exception(ErrorCodes::MULTIPLE_EXPRESSIONS_FOR_ALIAS, "Multiple table expressions with same alias " + j->table->alias);
            if (j->table->subquery && j->table->alias.empty())
                throw Exception(ErrorCodes::ALIAS_REQUIRED, "No alias for subquery or table function in JOIN (set joined_subquery_requires_alias=0 to disable restriction). While processing '" +
                                                                j->table->formatSQL(false) + "'");
        }
        for (auto& j : q.joins) {
            if (j->table->final && j->table->subquery)
                throw Exception(ErrorCodes::UNSUPPORTED_METHOD, "Table expression modifiers FINAL are not supported for subquery " + j->table->subquery->query->formatSQL());
            if (j->table->final) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "FINAL is not supported for the right table of a JOIN");
            PushdownTarget& pt = push_targets[join_tables.size()];
            for (auto& earlier : join_tables)
                for (auto& c : earlier.source.columns) pt.earlier.insert(c.name);
            join_tables.push_back({resolveSource(j->table.get(), &pt), {}, {}, {}, {}});
        }
        // NATURAL JOIN: USING the column names the right table shares with the tables before it.
        joins = q.joins;
        for (size_t k = 0; k < joins.size(); ++k) {
            if (!joins[k]->natural) continue;
            auto nj = std::static_pointer_cast<ASTTableJoin>(joins[k]->clone());
            std::set<std::string> right_names;
            for (auto& c : join_tables[k + 1].source.columns) right_names.insert(c.name);
            std::set<std::string> added;
            for (size_t t = 0; t <= k; ++t)
                for (auto& c : join_tables[t].source.ordinary)
                    if (right_names.count(c) && added.insert(c).second)
                        nj->using_columns.push_back(std::make_shared<ASTIdentifier>(std::vector<std::string>{c}));
            if (nj->using_columns.empty()) nj->join_kind = JoinKind::Cross;
            joins[k] = nj;
        }
        // Unique names, SELECT * lists, qualified names.
        Source joined;
        joined.storage = src.storage;
        joined.subquery_blocks = src.subquery_blocks;
        joined.alias_columns = src.alias_columns;
        joined.description = src.description;
        joined.explain_lines = src.explain_lines;
        joined.checked_database = src.checked_database;
        joined.checked_table = src.checked_table;
        // Labels: alias, else table name; a table name several unaliased tables share is database-qualified.
        std::vector<std::string> labels;
        std::map<std::string, size_t> label_count;   // tables by name, aliased or not
        for (size_t t = 0; t < join_tables.size(); ++t) {
            const ASTTableExpression& te = t == 0 ? *q.from : *joins[t - 1]->table;
            labels.push_back(tableLabel(te, t));
            if (!te.table.empty()) ++label_count[te.table];
            if (t > 0)
                for (auto& u : joins[t - 1]->using_columns) join_tables[t].hidden.insert(u->alias.empty() ? u->getColumnName() : u->alias);
        }
        for (size_t t = 0; t < join_tables.size(); ++t) {
            const ASTTableExpression& te = t == 0 ? *q.from : *joins[t - 1]->table;
            if (te.alias.empty() && !te.table.empty() && label_count[te.table] > 1)
                labels[t] = (te.database.empty() ? ctx_.current_database : te.database) + "." + te.table;
        }
        // Plain names several tables share (USING columns of the right side count once, with the left).
        std::map<std::string, size_t> occurrences;
        for (auto& jt : join_tables)
            for (auto& c : jt.source.columns)
                if (!jt.hidden.count(c.name)) ++occurrences[c.name];
        std::set<std::string> taken;
        const bool chain = joins.size() > 1;
        for (size_t t = 0; t < join_tables.size(); ++t) {
            auto& jt = join_tables[t];
            for (auto& c : jt.source.columns) {
                // One join: the first table keeps its names and right duplicates are qualified. Several
                // joins: every shared name is qualified (unqualified use is ambiguous), as ClickHouse does.
                bool qualify = jt.hidden.count(c.name) || (chain ? occurrences[c.name] > 1 : taken.count(c.name) > 0);
                if (chain && occurrences[c.name] > 1 && !jt.hidden.count(c.name)) join_tables[0].ambiguous.insert(c.name);
                std::string u = qualify ? labels[t] + "." + c.name : c.name;
                for (int n = 2; taken.count(u); ++n) u = labels[t] + "." + c.name + "_" + std::to_string(n);
                taken.insert(u);
                jt.unique.push_back(u);
                joined.columns.push_back({u, c.type});
            }
        }
        // SELECT *: USING columns first (the last join's first), then every other column in table order.
        std::vector<std::string> using_first;
        std::set<std::string> using_names;
        for (size_t k = joins.size(); k-- > 0;)
            for (auto& u : joins[k]->using_columns) {
                std::string n = u->alias.empty() ? u->getColumnName() : u->alias;
                if (using_names.insert(n).second) using_first.push_back(n);
            }
        joined.ordinary = using_first;
        for (size_t t = 0; t < join_tables.size(); ++t) {
            auto& jt = join_tables[t];
            std::vector<std::string> star;
            for (auto& o : jt.source.ordinary)
                for (size_t i = 0; i < jt.source.columns.size(); ++i) {
                    if (jt.source.columns[i].name != o) continue;
                    star.push_back(jt.unique[i]);
                    if (jt.hidden.count(o) || using_names.count(o)) continue;
                    joined.ordinary.push_back(jt.unique[i]);
                }
            for (auto& ql : jt.source.qualifiers) joined.qualified_star[ql] = star;
            if (!labels[t].empty()) joined.qualified_star[labels[t]] = star;
        }
        src = std::move(joined);
    }
    auto select_list = expandSelectList(q, src);
    if (select_list.empty()) throw Exception(ErrorCodes::EMPTY_LIST_OF_COLUMNS_QUERIED, "Empty list of columns in SELECT query");
    // ORDER BY ALL: every select-list column, in order (unless the source has a column `all`).
    std::vector<std::shared_ptr<ASTOrderByElement>> order_by_list = q.order_by;
    if (order_by_list.size() == 1) {
        auto* id = order_by_list[0]->expr->as<ASTIdentifier>();
        bool column_all = false;
        for (auto& c : src.columns) column_all = column_all || toLower(c.name) == "all";
        if (id && id->parts.size() == 1 && toLower(id->parts[0]) == "all" && !column_all && order_by_list[0]->expr->alias.empty()) {
            auto proto = order_by_list[0];
            order_by_list.clear();
            for (size_t i = 0; i < select_list.size(); ++i) {
                auto e = std::make_shared<ASTOrderByElement>(*proto);
                e->expr = std::make_shared<ASTLiteral>(Field(uint64_t(i + 1)));
                order_by_list.push_back(e);
            }
        }
    }
    for (auto& [e, n] : select_list) collectAliases(e, aliases);
    // Table ALIAS columns behave like WITH aliases unless the query defines the name itself.
    for (auto& [n, e] : src.alias_columns)
        if (!aliases.has(n)) { ASTPtr c = e->clone(); c->alias = n; aliases.add(n, c); }
    for (auto* clause : {&q.where, &q.prewhere, &q.having})
        if (*clause) collectAliases(*clause, aliases);

    // Positional arguments (GROUP BY 1, ORDER BY 2).
    auto positional = [&](const ASTPtr& e) -> ASTPtr {
        if (auto* lit = e->as<ASTLiteral>(); lit && lit->value.is<uint64_t>()) {
            uint64_t pos = lit->value.get<uint64_t>();
            if (pos == 0 || pos > select_list.size())
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Positional argument out of bounds: " + std::to_string(pos) + " (expected in range [1, " + std::to_string(select_list.size()) + "])");
            return select_list[pos - 1].first;
        }
        return e;
    };

    // Alias-expanded copies of every clause.
    std::vector<ASTPtr> select_exprs;
    for (auto& [e, n] : select_list) select_exprs.push_back(aliases.expand(e));
    ASTPtr where = q.where ? aliases.expand(q.where) : nullptr;
    ASTPtr prewhere = q.prewhere ? aliases.expand(q.prewhere) : nullptr;
    ASTPtr having = q.having ? aliases.expand(q.having) : nullptr;
    std::vector<ASTPtr> group_by;
    if (q.group_by_all) {
        for (auto& e : select_exprs) if (!containsAggregate(e) && !containsWindowCall(e)) group_by.push_back(e);
    } else {
        for (auto& g : q.group_by) group_by.push_back(aliases.expand(positional(g)));
    }
    std::vector<ASTPtr> order_exprs;
    for (auto& o : order_by_list) order_exprs.push_back(aliases.expand(positional(o->expr)));
    std::vector<ASTPtr> limit_by;
    for (auto& l : q.limit_by) limit_by.push_back(aliases.expand(l));
    // Window functions and QUALIFY: from here on the select list is the pre-window list and ORDER BY
    // / LIMIT BY are evaluated after the window step (select_window.h).
    std::unique_ptr<WindowPlan> window_plan = WindowPlan::build(q, aliases, select_exprs, order_exprs, limit_by);

    bool aggregating = !q.group_by.empty() || q.group_by_all;
    for (auto& e : select_exprs) aggregating = aggregating || containsAggregate(e);
    if (having) aggregating = true;
    for (auto& e : order_exprs) aggregating = aggregating || containsAggregate(e);
    if (q.with_totals && !aggregating) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "WITH TOTALS requires aggregation");

    // ARRAY JOIN: the clauses' items plus arrayJoin(...) calls anywhere (ClickHouse treats the
    // function as an implicit ARRAY JOIN of its argument). Calls are replaced by an identifier
    // naming the joined column. One stage per clause (its items zipped), then one per distinct
    // arrayJoin call; each stage multiplies the rows of the ones before and sees their columns.
    struct ArrayJoinItem { ASTPtr expr; std::string name; bool function = false; };
    struct ArrayJoinStage { std::vector<ArrayJoinItem> items; bool left = false; };
    std::vector<ArrayJoinStage> array_joins;
    // `ARRAY JOIN n [AS p]` of a Nested name (columns n.x, n.y, ... of the table): every n.* array
    // is joined (as p.x, p.y, ...); a bare `n` / `p` is then the tuple of the elements.
    struct NestedJoin { std::string name; std::vector<std::string> subs; DataTypes types; };
    std::vector<NestedJoin> nested_joins;
    auto sourceHas = [&](const std::string& n) {
        return std::any_of(src.columns.begin(), src.columns.end(), [&](const SourceColumn& c) { return c.name == n; });
    };
    if (q.array_join_without_items)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "ARRAY JOIN requires at least single expression");
    for (auto& clause : q.arrayJoinClauses()) {
        ArrayJoinStage stage;
        stage.left = clause.left;
        for (size_t k = clause.begin; k < clause.end; ++k) {
            const ASTPtr& e = q.array_join[k];
            ASTPtr ex = aliases.expand(e);
            std::string n = !e->alias.empty() ? e->alias : e->getColumnName();
            auto* id = ex->as<ASTIdentifier>();
            bool earlier = false;
            for (auto& st : array_joins)
                for (auto& it : st.items) earlier = earlier || (id && it.name == id->name());
            if (id && !earlier && !sourceHas(id->name())) {
                std::string prefix = id->name() + ".";
                NestedJoin nj{n, {}, {}};
                for (auto& c : src.columns) {
                    if (c.name.size() <= prefix.size() || c.name.compare(0, prefix.size(), prefix) != 0 || c.type->id != TypeId::Array) continue;
                    std::vector<std::string> parts;
                    for (size_t b = 0, d; b <= c.name.size(); b = d + 1) {
                        d = c.name.find('.', b);
                        if (d == std::string::npos) d = c.name.size();
                        parts.push_back(c.name.substr(b, d - b));
                    }
                    std::string sub = c.name.substr(prefix.size());
                    stage.items.push_back({std::make_shared<ASTIdentifier>(parts), n + "." + sub, false});
                    nj.subs.push_back(sub);
                    nj.types.push_back(c.type->nested[0]);
                }
                if (!nj.subs.empty()) {
                    nested_joins.push_back(std::move(nj));
                    continue;
                }
            }
            stage.items.push_back({ex, n, false});
        }
        array_joins.push_back(std::move(stage));
    }
    std::function<void(ASTPtr&)> rewriteArrayJoin = [&](ASTPtr& ast) {
        if (!ast) return;
        if (auto* id = ast->as<ASTIdentifier>(); id && id->parts.size() == 1 && !nested_joins.empty() && !sourceHas(id->parts[0])) {
            for (auto& nj : nested_joins) {
                if (nj.name != id->parts[0]) continue;
                // CAST(tuple(p.x, p.y), 'Tuple(x T1, y T2)')
                auto tuple = std::make_shared<ASTFunction>();
                tuple->name = "tuple";
                for (auto& sub : nj.subs) tuple->arguments.push_back(std::make_shared<ASTIdentifier>(std::vector<std::string>{nj.name, sub}));
                auto cast = std::make_shared<ASTFunction>();
                cast->name = "CAST";
                cast->arguments = {tuple, std::make_shared<ASTLiteral>(Field(makeTuple(nj.types, nj.subs)->name()))};
                cast->alias = ast->alias;
                ast = cast;
                return;
            }
            return;
        }
        auto* fn = ast->as<ASTFunction>();
        if (!fn || fn->name == "lambda") return;
        for (auto& a : fn->arguments) rewriteArrayJoin(a);
        if (fn->name == "arrayJoin") {
            if (fn->arguments.size() != 1) throwArgumentCount("arrayJoin", fn->arguments.size(), "1");
            std::string n = fn->getColumnName();
            bool known = false;
            for (auto& st : array_joins)
                for (auto& j : st.items) known = known || j.name == n;
            if (!known) array_joins.push_back({{{fn->arguments[0], n, true}}, false});
            auto id = std::make_shared<ASTIdentifier>(std::vector<std::string>{n});
            id->alias = ast->alias;
            ast = id;
        }
    };
    for (auto& e : select_exprs) rewriteArrayJoin(e);
    for (auto* e : {&where, &prewhere, &having}) rewriteArrayJoin(*e);
    for (auto& e : group_by) rewriteArrayJoin(e);
    for (auto& e : order_exprs) rewriteArrayJoin(e);
    for (auto& e : limit_by) rewriteArrayJoin(e);

    // optimize_functions_to_subcolumns: a String column of a MergeTree table used only as
    // length(s), empty(s) / notEmpty(s), or s = '' / s != '' in the filter is read as its lengths
    // (the `s.size` subcolumn: values skipped, not copied), as ClickHouse does. The length reads
    // as a column named like the expression it replaces, so result names do not change.
    std::map<std::string, std::string> size_columns;   // scope name "length(s)" -> storage name "s.size"
    if (ctx_.settings.optimize_functions_to_subcolumns && join_tables.empty() && array_joins.empty() && !(q.from && q.from->final) &&
        dynamic_cast<const StorageMergeTree*>(src.storage.get()) && !src.subquery_blocks) {
        // Uses of each name (any identifier part), and the uses a rewrite would replace.
        std::map<std::string, size_t> uses, replaceable;
        std::set<std::string> alias_names;   // WITH and expression aliases: a name that may not be the column
        for (auto& w : q.with) if (!w->alias.empty()) alias_names.insert(w->alias);
        bool opaque = false;   // subqueries, *, COLUMNS(...): uses not countable
        auto stringColumn = [&](const ASTPtr& a) -> const ASTIdentifier* {
            auto* id = a ? a->as<ASTIdentifier>() : nullptr;
            if (!id || id->parts.size() != 1) return nullptr;
            for (auto& c : src.columns)
                if (c.name == id->parts[0]) return c.type->id == TypeId::String ? id : nullptr;
            return nullptr;
        };
        auto isEmptyLiteral = [](const ASTPtr& a) {
            auto* l = a ? a->as<ASTLiteral>() : nullptr;
            return l && l->value.is<std::string>() && l->value.get<std::string>().empty();
        };
        // The string column a node tests or measures, or null; `length`: the node is length(s).
        auto match = [&](const ASTPtr& a, bool in_filter, bool& length) -> const ASTIdentifier* {
            auto* fn = a->as<ASTFunction>();
            if (!fn || fn->isWindowFunction() || fn->parameters || fn->distinct) return nullptr;
            length = fn->name == "length" && fn->arguments.size() == 1;
            if (length) return stringColumn(fn->arguments[0]);
            if (!in_filter) return nullptr;
            if ((fn->name == "empty" || fn->name == "notEmpty") && fn->arguments.size() == 1) return stringColumn(fn->arguments[0]);
            if ((fn->name == "equals" || fn->name == "notEquals") && fn->arguments.size() == 2) {
                if (isEmptyLiteral(fn->arguments[1])) return stringColumn(fn->arguments[0]);
                if (isEmptyLiteral(fn->arguments[0])) return stringColumn(fn->arguments[1]);
            }
            return nullptr;
        };
        std::function<void(const ASTPtr&, bool)> count = [&](const ASTPtr& a, bool in_filter) {
            if (!a) return;
            if (!a->alias.empty()) alias_names.insert(a->alias);
            if (auto* id = a->as<ASTIdentifier>()) {
                for (auto& part : id->parts) ++uses[part];
                return;
            }
            if (a->as<ASTAsterisk>() || a->as<ASTColumnsMatcher>() || a->as<ASTSubquery>() || a->as<ASTSelectWithUnion>() || a->as<ASTSelectQuery>()) {
                opaque = true;
                return;
            }
            bool length;
            if (auto* id = match(a, in_filter, length)) ++replaceable[id->parts[0]];
            if (auto* fn = a->as<ASTFunction>()) {
                if (fn->parameters) for (auto& p : *fn->parameters) count(p, in_filter);
                if (fn->window) opaque = true;
            }
            for (auto& c : a->children()) count(c, in_filter);
        };
        // Every clause's expressions, with whether they are the filter.
        auto forEachClause = [&](auto&& f) {
            for (auto& e : select_exprs) f(e, false);
            f(where, true);
            f(prewhere, true);
            f(having, false);
            for (auto& e : group_by) f(e, false);
            for (auto& e : order_exprs) f(e, false);
            for (auto& e : limit_by) f(e, false);
        };
        forEachClause(count);
        if (!opaque) {
            std::function<void(ASTPtr&, bool)> rewrite = [&](ASTPtr& a, bool in_filter) {
                if (!a) return;
                bool length;
                if (auto* id = match(a, in_filter, length)) {
                    const std::string col = id->parts[0];
                    if (replaceable[col] == uses[col] && !alias_names.count(col)) {
                        const std::string name = "length(" + id->getColumnName() + ")";
                        size_columns[name] = col + ".size";
                        auto len = std::make_shared<ASTIdentifier>(std::vector<std::string>{name});
                        if (length) {
                            len->alias = a->alias;
                            a = len;
                            return;
                        }
                        // empty / = '' -> length = 0; notEmpty / != '' -> length != 0
                        auto* fn = a->as<ASTFunction>();
                        bool is_empty = fn->name == "empty" || fn->name == "equals";
                        auto cmp = std::make_shared<ASTFunction>();
                        cmp->name = is_empty ? "equals" : "notEquals";
                        cmp->arguments = {len, std::make_shared<ASTLiteral>(Field(uint64_t(0)))};
                        cmp->alias = a->alias;
                        a = cmp;
                        return;
                    }
                }
                if (auto* fn = a->as<ASTFunction>()) for (auto& c : fn->arguments) rewrite(c, in_filter);
            };
            forEachClause(rewrite);
        }
    }

    // Columns to read: every source column named anywhere.
    std::set<std::string> idents;
    for (auto& st : array_joins)
        for (auto& j : st.items) collectIdentifiers(j.expr, idents);
    for (auto& e : select_exprs) collectIdentifiers(e, idents);
    for (auto* e : {&where, &prewhere, &having}) collectIdentifiers(*e, idents);
    for (auto& e : group_by) collectIdentifiers(e, idents);
    for (auto& e : order_exprs) collectIdentifiers(e, idents);
    for (auto& e : limit_by) collectIdentifiers(e, idents);
    std::vector<std::string> read_columns;
    Scope source_scope;
    source_scope.qualifiers = src.qualifiers;
    if (join_tables.empty()) {
        for (auto& c : src.columns)
            if (idents.count(c.name)) {
                read_columns.push_back(c.name);
                source_scope.columns.push_back(c);
            }
        // `s.size` of a MergeTree String column (written by the user, or from the rewrite above).
        if (dynamic_cast<const StorageMergeTree*>(src.storage.get()) && !src.subquery_blocks) {
            for (auto& c : src.columns) {
                if (c.type->id != TypeId::String || idents.count(c.name + ".size") == 0 || sourceHas(c.name + ".size")) continue;
                read_columns.push_back(c.name + ".size");
                source_scope.columns.push_back({c.name + ".size", makeType(TypeId::UInt64)});
            }
            for (auto& [scope_name, storage_name] : size_columns) {
                read_columns.push_back(storage_name);
                source_scope.columns.push_back({scope_name, makeType(TypeId::UInt64)});
            }
        }
    } else {
        planJoins(joins, join_tables, join_steps, idents, read_columns, source_scope, analyzer);
    }
    // Column-level grants: every column read must be granted (SELECT count() needs any one).
    if (!src.checked_table.empty()) {
        // A `s.size` subcolumn is granted with its column.
        std::vector<std::string> checked = read_columns;
        for (auto& c : checked)
            if (std::string base = stringSizeSubcolumnBase(c); !base.empty() && !sourceHas(c)) c = base;
        ctx_.catalog->access().check(ctx_.current_user, AccessType::Select, src.checked_database, src.checked_table, &checked);
    }
    // After each ARRAY JOIN stage the scope holds the columns before it (replicated) plus one column
    // per joined array, holding its elements; joining a column under its own name replaces it.
    std::vector<ArrayJoinStep> array_join_steps;
    for (auto& stage : array_joins) {
        Scope pre = source_scope;
        pre.clause = "ARRAY JOIN";
        ArrayJoinStep step;
        step.left = stage.left;
        for (auto& j : stage.items) {
            ExprNodePtr n = analyzer.analyze(j.expr, pre);
            DataTypePtr element;
            if (n->type->id == TypeId::Array) element = n->type->nested[0];
            else if (n->type->id == TypeId::Map) element = makeTuple({n->type->nested[0], n->type->nested[1]}, {"keys", "values"});
            else if (j.function) throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Argument for function arrayJoin must be Array or Map.");
            else
                throw Exception(ErrorCodes::TYPE_MISMATCH, "ARRAY JOIN requires expression " + j.expr->formatSQL(false) + " with Array or Map type. Actual: " + n->type->name());
            int replaces = -1;
            for (size_t i = 0; i < source_scope.columns.size(); ++i)
                if (source_scope.columns[i].name == j.name) replaces = int(i);
            if (replaces >= 0) source_scope.columns[replaces].type = element;
            else source_scope.columns.push_back({j.name, element});
            step.nodes.push_back(n);
            step.replaces.push_back(replaces);
            step.names.push_back(j.name);
            step.element_types.push_back(element);
        }
        source_scope.cache.clear();
        array_join_steps.push_back(std::move(step));
    }

    // WHERE / PREWHERE.
    ExprNodePtr filter;
    SelectQueryInfo query_info;
    {
        ASTPtr cond = where;
        if (prewhere && where) {
            auto f = std::make_shared<ASTFunction>();
            f->name = "and";
            f->arguments = {prewhere, where};
            cond = f;
        } else if (prewhere) cond = prewhere;
        if (cond) {
            source_scope.clause = "WHERE";
            if (containsAggregate(cond)) {
                auto* fn = cond->as<ASTFunction>();
                throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Aggregate function " + (fn ? fn->getColumnName() : cond->getColumnName()) + " is found in WHERE in query");
            }
            filter = analyzer.analyze(cond, source_scope);
            // Index analysis sees the condition only when its names are the table's columns (an
            // ARRAY JOIN may rebind them).
            if (array_joins.empty() && join_steps.empty()) query_info.filter = cond;
            if (array_joins.empty() && !join_steps.empty()) {
                query_info.filter = leftOnlyConjuncts(cond, join_tables, join_steps, analyzer);
                pushRightFilters(cond, join_tables, join_steps, source_scope, analyzer);
            }
            DataTypePtr ft = removeNullable(removeLowCardinality(filter->type));
            if (!(ft->id == TypeId::UInt8 || ft->id == TypeId::Bool || ft->id == TypeId::Nothing))
                throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER, "Illegal type " + filter->type->name() + " of column for filter. Must be UInt8 or Nullable(UInt8).");
            source_scope.clause = "SELECT";
        }
    }
    if (q.from && q.from->final) {
        if (q.from->subquery)
            throw Exception(ErrorCodes::UNSUPPORTED_METHOD, "Table expression modifiers FINAL are not supported for subquery " + q.from->subquery->query->formatSQL());
        if (!src.storage || src.subquery_blocks || !src.storage->supportsFinal())
            throw Exception(ErrorCodes::ILLEGAL_FINAL, "Storage " + (src.storage ? src.storage->engineName() : std::string("subquery")) + " doesn't support FINAL");
        query_info.final = true;
    }

    // Expressions per stage.
    std::vector<ExprNodePtr> key_nodes;
    std::vector<AggregateDescription> aggregates;
    Scope post_scope;
    std::vector<ExprNodePtr> out_nodes;     // select list, then ORDER BY / LIMIT BY extras
    std::vector<std::string> out_names;
    ExprNodePtr having_node;
    std::vector<size_t> order_positions, limit_by_positions;

    auto addOutput = [&](const ExprNodePtr& n, const std::string& canonical, std::vector<std::string>& canon) -> size_t {
        for (size_t i = 0; i < canon.size(); ++i)
            if (canon[i] == canonical) return i;
        out_nodes.push_back(n);
        out_names.push_back("__extra_" + std::to_string(out_nodes.size()));
        canon.push_back(canonical);
        return out_nodes.size() - 1;
    };
    std::vector<std::string> canon;
    Scope* expr_scope = &source_scope;
    if (aggregating) {
        source_scope.clause = "GROUP BY";
        for (auto& g : group_by) {
            if (containsAggregate(g)) throw Exception(ErrorCodes::ILLEGAL_AGGREGATION, "Aggregate function " + g->getColumnName() + " is found in GROUP BY in query");
            ExprNodePtr k = analyzer.analyze(g, source_scope);
            std::string kn = g->getColumnName();
            bool dup = false;
            for (auto& existing : post_scope.key_names) dup = dup || existing == kn;
            if (dup) continue;
            key_nodes.push_back(k);
            post_scope.key_names.push_back(kn);
            post_scope.columns.push_back({kn, k->type});
        }
        source_scope.clause = "SELECT";
        post_scope.aggregated = true;
        post_scope.source = &source_scope;
        post_scope.aggregates = &aggregates;
        post_scope.allow_aggregates = true;
        post_scope.qualifiers = src.qualifiers;
        expr_scope = &post_scope;
    }
    for (size_t i = 0; i < select_exprs.size(); ++i) {
        expr_scope->clause = "SELECT";
        out_nodes.push_back(analyzer.analyze(select_exprs[i], *expr_scope));
        out_names.push_back(window_plan ? window_plan->preName(i) : select_list[i].second);
        // Joins: a bare column reference is named after the column it resolves to (`t1.a` -> `a`).
        if (!window_plan && !join_steps.empty() && out_nodes.back()->kind == ExprNode::Kind::Input && select_list[i].first->as<ASTIdentifier>() &&
            select_list[i].first->alias.empty()) {
            size_t in = out_nodes.back()->input;
            // A qualified column keeps the qualifier as written (`a.x` of `a JOIN a AS q`, listed by * as `default.a.x`).
            const auto* written = select_list[i].first->as<ASTIdentifier>();
            if (!aggregating && in < source_scope.columns.size())
                out_names.back() = written->parts.size() > 1 && source_scope.columns[in].name != written->parts.back() ? written->name() : source_scope.columns[in].name;
            else if (aggregating && in < key_nodes.size() && key_nodes[in]->kind == ExprNode::Kind::Input && key_nodes[in]->input < source_scope.columns.size())
                out_names.back() = source_scope.columns[key_nodes[in]->input].name;
        }
        canon.push_back(select_exprs[i]->getColumnName());
    }
    size_t visible = out_nodes.size();
    if (having) {
        post_scope.clause = "HAVING";
        having_node = analyzer.analyze(having, post_scope);
    }
    for (auto& e : order_exprs) {
        expr_scope->clause = "ORDER BY";
        order_positions.push_back(addOutput(analyzer.analyze(e, *expr_scope), e->getColumnName(), canon));
    }
    for (auto& e : limit_by) {
        expr_scope->clause = "LIMIT BY";
        limit_by_positions.push_back(addOutput(analyzer.analyze(e, *expr_scope), e->getColumnName(), canon));
    }
    if (window_plan) {
        std::vector<std::string> select_names;
        for (auto& item : select_list) select_names.push_back(item.second);
        window_plan->analyze(analyzer, out_nodes, select_names);
        visible = window_plan->visible();
        order_positions = window_plan->orderPositions();
        limit_by_positions = window_plan->limitByPositions();
    }

    size_t limit = 0, offset = 0;
    bool has_limit = false;
    int64_t signed_limit = 0, signed_offset = 0;
    if (q.limit_length) { signed_limit = constInt(analyzer.evaluateConstant(q.limit_length, "LIMIT"), "LIMIT"); has_limit = true; }
    if (q.limit_offset) signed_offset = constInt(analyzer.evaluateConstant(q.limit_offset, "OFFSET"), "OFFSET");
    bool negative_limit = signed_limit < 0 || signed_offset < 0;
    limit = size_t(signed_limit < 0 ? 0 : signed_limit);
    offset = size_t(signed_offset < 0 ? 0 : signed_offset);
    size_t limit_by_length = 0, limit_by_offset = 0;
    if (q.limit_by_length) limit_by_length = constUInt(analyzer.evaluateConstant(q.limit_by_length, "LIMIT BY"), "LIMIT BY");
    if (q.limit_by_offset) limit_by_offset = constUInt(analyzer.evaluateConstant(q.limit_by_offset, "LIMIT BY"), "LIMIT BY");

    QueryResult result;
    if (window_plan) result.header = window_plan->header();
    else for (size_t i = 0; i < visible; ++i) result.header.insert({createColumn(out_nodes[i]->type), out_nodes[i]->type, out_names[i]});
    // LIMIT 0 needs no input at all (and must not read an unbounded source).
    bool empty_result = has_limit && !negative_limit && limit == 0 && !q.with_totals;

    if (explain) {
        std::vector<std::string>& e = *explain;
        e.push_back("Expression (Project names)");
        if (has_limit) e.push_back("  Limit (preliminary LIMIT)");
        if (!order_by_list.empty()) e.push_back("  Sorting (Sorting for ORDER BY)");
        if (q.distinct) e.push_back("  Distinct");
        if (having_node) e.push_back("  Filter (HAVING)");
        if (aggregating) e.push_back("  Aggregating (keys: " + std::to_string(key_nodes.size()) + ", aggregates: " + std::to_string(aggregates.size()) + ")");
        if (filter) e.push_back("  Filter (WHERE)");
        e.push_back("  " + src.description);
        for (auto& line : src.explain_lines) e.push_back("    " + line);
        for (size_t k = 0; k < join_steps.size(); ++k) {
            bool swapped = k == 0 && swapFirstJoin(join_tables, join_steps, query_info);
            e.push_back("  Join (" + tableLabel(*joins[k]->table, k + 1) + (swapped ? ", left side indexed" : "") + ")");
            e.push_back("    " + join_tables[k + 1].source.description);
            for (auto& line : join_tables[k + 1].source.explain_lines) e.push_back("      " + line);
        }
        // A bare count() is answered from part metadata (ClickHouse's trivial count): nothing to read.
        bool trivial_count = aggregating && key_nodes.empty() && aggregates.size() == 1 && aggregates[0].args.empty() &&
                             aggregates[0].name == "count()" && !filter && array_joins.empty() && join_steps.empty();
        // EXPLAIN ESTIMATE: one row per table, summed over its reads (as ClickHouse).
        auto estimate = [&](const IStorage* storage, const ASTPtr& filter) {
            auto* mt = dynamic_cast<const StorageMergeTree*>(storage);
            if (!mt || !ctx_.estimates) return;
            MergeTreeReadStats st = mt->analyzeRead(filter, ctx_);
            std::string db = mt->create_query ? mt->create_query->database : "", table = mt->create_query ? mt->create_query->table : "";
            for (auto& est : *ctx_.estimates)
                if (est.database == db && est.table == table) {
                    est.parts += st.parts_selected;
                    est.rows += st.rows_selected;
                    est.marks += st.granules_selected;
                    return;
                }
            ctx_.estimates->push_back({db, table, st.parts_selected, st.rows_selected, st.granules_selected});
        };
        if (!trivial_count) estimate(src.storage.get(), query_info.filter);
        for (size_t k = 0; k < join_steps.size(); ++k) estimate(join_tables[k + 1].source.storage.get(), join_steps[k].right_filter_ast);
        if (auto* mt = dynamic_cast<const StorageMergeTree*>(src.storage.get()); mt && ctx_.explain_indexes) {
            MergeTreeReadStats st = mt->analyzeRead(query_info.filter, ctx_);
            auto counts = [&](size_t parts, size_t granules) {
                e.push_back("        Parts: " + std::to_string(parts) + "/" + std::to_string(st.parts_total));
                e.push_back("        Granules: " + std::to_string(granules) + "/" + std::to_string(st.granules_total));
            };
            e.push_back("  Indexes:");
            if (!mt->partitionKeyDescription().empty()) {
                e.push_back("    Partition");
                e.push_back("      Keys: " + mt->partitionKeyDescription());
                counts(st.parts_after_partition, st.granules_after_partition);
            }
            e.push_back("    PrimaryKey");
            e.push_back("      Keys: " + mt->primaryKeyDescription());
            size_t pk_parts = st.parts_selected, pk_granules = st.granules_selected;
            if (!st.skip.empty()) { pk_parts = st.skip[0].parts_before; pk_granules = st.skip[0].granules_before; }
            counts(pk_parts, pk_granules);
            for (auto& sk : st.skip) {
                e.push_back("    Skip");
                e.push_back("      Name: " + sk.name);
                e.push_back("      Description: " + sk.description);
                e.push_back("        Parts: " + std::to_string(sk.parts_after) + "/" + std::to_string(sk.parts_before));
                e.push_back("        Granules: " + std::to_string(sk.granules_after) + "/" + std::to_string(sk.granules_before));
            }
        }
        return result;
    }
    if (header_only || empty_result) return result;
    const bool swap_first = swapFirstJoin(join_tables, join_steps, query_info);
    buildJoins(join_tables, join_steps, swap_first ? 1 : 0);
    if (swap_first) buildSwappedJoin(join_tables, join_steps, read_columns, query_info);
    bool any_non_joined = false;
    for (auto& st : join_steps) any_non_joined = any_non_joined || st.non_joined || st.grace;

    // ---- streams
    size_t threads = std::max<size_t>(1, ctx_.threads());
    // PASTE JOIN pairs rows by position: the left side is read as one ordered stream.
    for (auto& st : join_steps)
        if (st.desc.kind == JoinKind::Paste) threads = 1;
    Sources sources;
    bool read_in_order = false;
    // optimize_read_in_order: ORDER BY the first sorting-key expressions of a MergeTree table, all
    // in one direction, with a LIMIT — the storage merges its parts in key order.
    auto readInKeyOrder = [&](IStorage* storage, const std::vector<std::string>& cols, const SelectQueryInfo& info,
                              const std::vector<ASTPtr>& order, bool applicable) -> Sources {
        auto* mt = dynamic_cast<StorageMergeTree*>(storage);
        if (!mt || !applicable || !ctx_.settings.optimize_read_in_order || order.empty() || order.size() > mt->sortingKey().size()) return {};
        bool desc = order_by_list[0]->descending;
        for (size_t i = 0; i < order.size(); ++i) {
            const auto& o = *order_by_list[i];
            if (o.descending != desc || o.with_fill || !o.collation.empty() || o.nulls_first.has_value()) return {};
            if (order[i]->getColumnName() != mt->sortingKey()[i]->getColumnName()) return {};
        }
        return mt->readInOrder(cols, info, ctx_, order.size(), desc);
    };
    if (swap_first) {
        // The first join's right side is the streamed one.
        const JoinStep& st = join_steps[0];
        const Source& right = join_tables[1].source;
        if (right.subquery_blocks) {
            std::vector<size_t> positions;
            for (auto& rc : st.right_read)
                for (size_t i = 0; i < right.columns.size(); ++i)
                    if (right.columns[i].name == rc) { positions.push_back(i); break; }
            sources = splitBlocks(right.subquery_blocks, positions, threads, 0);
        } else {
            SelectQueryInfo right_info;
            right_info.filter = st.right_filter_ast;
            sources = right.storage->read(st.right_read, right_info, ctx_, threads);
        }
    } else if (src.subquery_blocks) {
        std::vector<size_t> positions;
        for (auto& rc : read_columns)
            for (size_t i = 0; i < src.columns.size(); ++i)
                if (src.columns[i].name == rc) positions.push_back(i);
        sources = splitBlocks(src.subquery_blocks, positions, threads, 0);
    } else {
        sources = readInKeyOrder(src.storage.get(), read_columns, query_info, order_exprs, has_limit && !negative_limit && !aggregating && join_steps.empty() &&
                                 !q.distinct && limit_by.empty() && array_joins.empty() && !q.limit_with_ties && !q.with_totals && !query_info.final);
        if (!sources.empty()) read_in_order = true;
        else {
            // Top-N dynamic filter: ORDER BY a plain integer/date column of a MergeTree table, LIMIT n.
            const ExprNode* first_order = order_by_list.empty() || window_plan ? nullptr : out_nodes[order_positions[0]].get();
            if (ctx_.settings.use_top_k_dynamic_filtering && first_order && first_order->kind == ExprNode::Kind::Input &&
                first_order->input < source_scope.columns.size() && first_order->input < read_columns.size() && has_limit && !negative_limit && limit > 0 && limit + offset <= 100000 &&
                !aggregating && !q.distinct && join_steps.empty() &&
                limit_by.empty() && array_joins.empty() && !q.limit_with_ties && !q.with_totals && !query_info.final &&
                order_by_list[0]->collation.empty() && !order_by_list[0]->with_fill && topKComparable(*first_order->type) &&
                dynamic_cast<StorageMergeTree*>(src.storage.get()))
                query_info.topk = std::make_shared<TopKThreshold>(read_columns[first_order->input], order_by_list[0]->descending);
            if (query_info.filter && join_steps.empty() && array_joins.empty()) {
                // Columns only the WHERE reads: what the per-stream expressions (keys and
                // aggregate arguments, or the select list with its ORDER BY / LIMIT BY extras) and
                // the top-N filter do not.
                std::set<std::string> used;
                std::vector<const ExprNode*> stack;
                if (aggregating) {
                    for (auto& k : key_nodes) stack.push_back(k.get());
                    for (auto& a : aggregates) for (auto& n : a.args) stack.push_back(n.get());
                } else {
                    for (auto& n : out_nodes) stack.push_back(n.get());
                }
                bool lambda = false;
                std::set<const ExprNode*> seen;
                while (!stack.empty()) {
                    const ExprNode* n = stack.back();
                    stack.pop_back();
                    if (!seen.insert(n).second) continue;
                    if (n->kind == ExprNode::Kind::Lambda) lambda = true;
                    // By the storage's name (a `length(s)` column of the scope is `s.size` there).
                    if (n->kind == ExprNode::Kind::Input && n->input < read_columns.size()) used.insert(read_columns[n->input]);
                    for (auto& a : n->args) stack.push_back(a.get());
                }
                if (query_info.topk) used.insert(query_info.topk->column);
                if (!lambda)
                    for (auto& c : read_columns) if (!used.count(c)) query_info.filter_only_columns.push_back(c);
            }
            sources = src.storage->read(read_columns, query_info, ctx_, threads);
        }
    }
    size_t nstreams = sources.size();
    // LIMIT without ORDER BY / aggregation / DISTINCT lets each stream stop early; so does ORDER BY
    // a sorting-key prefix read in key order (one ordered stream: its first rows are the answer).
    bool early_stop = has_limit && !negative_limit && (order_by_list.empty() || read_in_order) && !aggregating && !q.distinct && limit_by.empty() && !window_plan;
    size_t stream_row_cap = early_stop ? limit + offset : 0;
    // Streaming: rows go to the sink as the streams produce them, OFFSET and LIMIT applied on the
    // way (under one lock, so the sink sees one block at a time).
    bool streaming = sink_ && !window_plan && !aggregating && !q.distinct && !any_non_joined && (order_by_list.empty() || (read_in_order && nstreams == 1)) && limit_by.empty() &&
                     !negative_limit && !q.limit_with_ties && !out_nodes.empty();
    std::mutex sink_mutex;
    size_t sink_skip = offset, sink_left = has_limit ? limit : SIZE_MAX;
    if (streaming) sink_->begin(result.header);

    // Constant GROUP BY keys (GROUP BY 1, 'x', ...) take no part in hashing: the aggregation sees
    // only the other keys (a lone String key then gets its own hash table) and the constants are
    // put back into the result.
    // Likewise keys that are deterministic functions of plain-column keys (GROUP BY ClientIP,
    // ClientIP - 1: ClickHouse's optimize_group_by_function_keys) are computed after aggregation
    // from the keys they are made of.
    std::vector<bool> const_key(key_nodes.size(), false), derived_key(key_nodes.size(), false);
    std::vector<ExprNodePtr> agg_key_nodes;
    std::map<size_t, size_t> column_keys;   // source column -> the key that is just that column
    if (!q.with_totals) {
        size_t variable = 0;
        for (size_t i = 0; i < key_nodes.size(); ++i) variable += !key_nodes[i]->isConstant();
        for (size_t i = 0; i < key_nodes.size(); ++i) const_key[i] = variable > 0 && key_nodes[i]->isConstant();
        for (size_t i = 0; i < key_nodes.size(); ++i)
            if (key_nodes[i]->kind == ExprNode::Kind::Input) column_keys.emplace(key_nodes[i]->input, i);
        auto ofColumnKeys = [&](auto& self, const ExprNode& n) -> bool {
            switch (n.kind) {
                case ExprNode::Kind::Constant: return true;
                case ExprNode::Kind::Input: return column_keys.count(n.input) > 0;
                case ExprNode::Kind::Lambda: return false;
                case ExprNode::Kind::Function:
                    if (!n.function || !n.function->deterministic || n.higher_order) return false;
                    for (auto& a : n.args) if (!self(self, *a)) return false;
                    return true;
            }
            return false;
        };
        if (array_joins.empty())
            for (size_t i = 0; i < key_nodes.size(); ++i)
                derived_key[i] = key_nodes[i]->kind == ExprNode::Kind::Function && ofColumnKeys(ofColumnKeys, *key_nodes[i]);
    }
    AggregatorParams agg_params;
    for (size_t i = 0; i < key_nodes.size(); ++i) {
        if (const_key[i] || derived_key[i]) continue;
        agg_key_nodes.push_back(key_nodes[i]);
        agg_params.key_types.push_back(key_nodes[i]->type);
        agg_params.key_names.push_back(post_scope.key_names[i]);
    }
    for (auto& a : aggregates) { agg_params.functions.push_back(a.function); agg_params.function_names.push_back(a.name); }
    std::vector<std::unique_ptr<AggregatedData>> partials;
    std::vector<StreamOutput> outputs(nstreams);
    // Hash tables sized from earlier runs of this aggregation (same query text, database, streams).
    uint64_t size_stats_key = 0;
    AggregationSizeHint size_hint;
    if (aggregating && !key_nodes.empty()) {
        std::string shape = ctx_.current_database + '\n' + std::to_string(nstreams) + '\n' + q.formatSQL(false);
        size_stats_key = bytesHash(shape.data(), shape.size());
        size_hint = aggregationSizeHint(size_stats_key);
    }
    if (aggregating)
        for (size_t i = 0; i < nstreams; ++i) {
            partials.push_back(std::make_unique<AggregatedData>(agg_params));
            // A result known to be large is merged in hash shards: split each thread's table the same way.
            if (nstreams > 1 && size_hint.merged >= kParallelMergeMinGroups && !q.with_totals) partials.back()->makeTwoLevel(nstreams);
            // Without hash-sharded merging, the first table is where the others are merged.
            bool merged_in_first = i == 0 && partials.back()->method() != AggregationMethod::Key64;
            partials.back()->reserve(merged_in_first ? std::max(size_hint.per_stream, size_hint.merged) : size_hint.per_stream);
        }

    std::vector<ExprNodePtr> stream_nodes;   // evaluated per block in streams
    if (aggregating) {
        stream_nodes = agg_key_nodes;
        for (auto& a : aggregates) for (auto& n : a.args) stream_nodes.push_back(n);
    } else {
        stream_nodes = out_nodes;
    }

    // Source columns the per-stream expressions read after WHERE (others need not be filtered).
    std::vector<bool> used_after_filter(source_scope.columns.size(), false);
    {
        std::vector<const ExprNode*> stack;
        for (auto& n : stream_nodes) stack.push_back(n.get());
        std::set<const ExprNode*> seen;
        while (!stack.empty()) {
            const ExprNode* n = stack.back();
            stack.pop_back();
            if (!seen.insert(n).second) continue;
            if (n->kind == ExprNode::Kind::Input && n->input < used_after_filter.size()) used_after_filter[n->input] = true;
            for (auto& a : n->args) stack.push_back(a.get());
        }
        // Lambda bodies index columns beyond the source block; be conservative if any is present.
        for (auto* n : seen) if (n->kind == ExprNode::Kind::Lambda) used_after_filter.assign(used_after_filter.size(), true);
    }

    // Top-N dynamic filter, executor side: each stream keeps the best limit + offset values of the
    // ORDER BY column among rows that passed WHERE and publishes the worst of them as the bound.
    std::vector<std::vector<double>> topk_heaps(nstreams);
    const size_t topk_n = limit + offset;
    auto offerTopK = [&](const Block& b, std::vector<double>& heap) {
        const TopKThreshold& t = *query_info.topk;
        int pos = b.positionByName(t.column);
        if (pos < 0) return;
        const auto& c = b.at(size_t(pos));
        if (c.column->isConst()) return;
        std::vector<double> values(b.rows());
        topKValues(*c.type, *c.column, values.data());
        // max-heap of the smallest n (ASC) / min-heap of the largest n (DESC)
        auto better = [&](double x, double y) { return t.descending ? x > y : x < y; };
        for (double v : values) {
            if (heap.size() < topk_n) { heap.push_back(v); std::push_heap(heap.begin(), heap.end(), better); continue; }
            if (!better(v, heap.front())) continue;
            std::pop_heap(heap.begin(), heap.end(), better);
            heap.back() = v;
            std::push_heap(heap.begin(), heap.end(), better);
        }
        if (heap.size() == topk_n) query_info.topk->offer(heap.front());
    };
    std::atomic<bool> stop{false};
    // One block after the joins: ARRAY JOIN, WHERE, then aggregation or projection. Returns false
    // when the stream should stop (LIMIT reached, sink done).
    const bool where_in_source = query_info.filter_applied && join_steps.empty();
    auto processBlock = [&](Block b, size_t s) -> bool {
        StreamOutput& out = outputs[s];
        for (auto& step : array_join_steps) {
            b = applyArrayJoin(b, step);
            if (b.rows() == 0) return true;
        }
        if (filter && !where_in_source) {
            b = filterBlock(b, evaluate(filter, b), used_after_filter);
            if (b.rows() == 0) return true;
        }
        if (query_info.topk) offerTopK(b, topk_heaps[s]);
        size_t rows = b.rows();
        std::vector<ColumnPtr> cols = evaluateAll(stream_nodes, b);
        if (aggregating) {
            Columns keys;
            size_t k = 0;
            for (; k < agg_key_nodes.size(); ++k) keys.push_back(materialize(cols[k]));
            std::vector<Columns> args;
            for (auto& a : aggregates) {
                Columns ac;
                for (size_t j = 0; j < a.args.size(); ++j) ac.push_back(recursiveRemoveLowCardinality(materialize(cols[k++])));
                args.push_back(std::move(ac));
            }
            partials[s]->addBlock(keys, args, rows);
            return true;
        }
        if (streaming) {
            Block ob;
            for (size_t i = 0; i < visible; ++i) ob.insert({materialize(cols[i]), out_nodes[i]->type, out_names[i]});
            std::lock_guard lock(sink_mutex);
            // Checked under the lock: after the limit or a failed write, nothing more is sent.
            if (sink_left == 0 || stop.load()) return false;
            size_t skip = std::min(sink_skip, rows);
            sink_skip -= skip;
            size_t take = std::min(sink_left, rows - skip);
            sink_left -= take;
            try {
                if (take) sink_->write(skip || take < rows ? cutBlock(ob, skip, take) : ob);
            } catch (...) {
                stop = true;
                throw;
            }
            if (sink_left == 0) { stop = true; return false; }
            return true;
        }
        Block ob;
        for (size_t i = 0; i < cols.size(); ++i) ob.insert({cols[i], out_nodes[i]->type, out_names[i]});
        if (cols.empty()) ob.setRowsWithoutColumns(rows);
        out.rows += rows;
        out.blocks.push_back(std::move(ob));
        return !(stream_row_cap && out.rows >= stream_row_cap);
    };
    // Later joins that drop unmatched left rows filter each block before the first join (with the
    // first join swapped, they filtered its indexed left side instead).
    std::vector<size_t> prefilter_steps = swap_first ? std::vector<size_t>{} : prefilterSteps(join_steps);
    // Joins a block through join steps [step, end), then processes the results.
    std::function<bool(Block, size_t, size_t)> joinAndProcess = [&](Block b, size_t s, size_t step) -> bool {
        if (step == join_steps.size()) return processBlock(std::move(b), s);
        if (step == 0 && !prefilter_steps.empty() && b.rows()) {
            auto mask = ColumnUInt8::create(b.rows());
            std::memset(mask->getData().data(), 1, b.rows());
            for (size_t k : prefilter_steps) join_steps[k].join->keepMatching(b, mask->getData());
            b = filterBlock(b, mask);
            if (b.rows() == 0) return true;
        }
        if (join_steps[step].grace) {
            join_steps[step].grace->addLeft(b);   // joined bucket by bucket after the streams
            return true;
        }
        if (const auto& swapped = join_steps[step].swapped) {
            // `b` is a block of the right side: its own WHERE conjuncts first, then the probe.
            if (join_steps[step].right_filter) {
                b = filterBlock(b, evaluate(join_steps[step].right_filter, b));
                if (b.rows() == 0) return true;
            }
            std::vector<Block> joined;
            swapped->join(b, joined);
            for (auto& jb : joined)
                if (!joinAndProcess(std::move(jb), s, step + 1)) return false;
            return true;
        }
        std::vector<Block> joined;
        join_steps[step].join->join(b, joined);
        for (auto& jb : joined)
            if (!joinAndProcess(std::move(jb), s, step + 1)) return false;
        return true;
    };
    auto runStream = [&](size_t s) {
        MemoryTrackerScope mem(ctx_.memory.get());
        ISource& source = *sources[s];
        StreamOutput& out = outputs[s];
        while (!stop.load(std::memory_order_relaxed)) {
            ctx_.checkLimits();
            Block b = source.read();
            if (b.rows() == 0 && b.columns() == 0) break;
            out.rows_read += b.rows();
            out.bytes_read += b.bytes();
            // Live progress (system.processes, HTTP headers of a streamed result).
            ctx_.read_rows.fetch_add(b.rows(), std::memory_order_relaxed);
            ctx_.read_bytes.fetch_add(b.bytes(), std::memory_order_relaxed);
            if (!joinAndProcess(std::move(b), s, 0)) break;
        }
    };
    if (nstreams == 1) {
        runStream(0);
    } else {
        // Every stream on its own worker (a stream may wait on a consumer, so all of them run).
        std::vector<std::exception_ptr> errors(nstreams);
        parallelFor(nstreams, nstreams, [&](size_t s) {
            try { runStream(s); } catch (...) { errors[s] = std::current_exception(); stop = true; }
        });
        for (auto& e : errors) if (e) std::rethrow_exception(e);
    }
    // RIGHT / FULL joins: right rows no left row matched, after every stream is done.
    if (any_non_joined && !outputs.empty()) {
        MemoryTrackerScope mem(ctx_.memory.get());
        for (size_t k = 0; k < join_steps.size(); ++k) {
            if (auto& grace = join_steps[k].grace) {
                // Spilled join: buckets shared by the streams' workers (worker w owns stream slot w).
                size_t workers = std::min(outputs.size(), grace->buckets());
                std::vector<std::exception_ptr> errors(workers);
                parallelFor(workers, workers, [&](size_t w) {
                    MemoryTrackerScope wmem(ctx_.memory.get());
                    try {
                        for (size_t b = w; b < grace->buckets(); b += workers)
                            grace->joinBucket(b, join_steps[k].header_in, [&](Block o) { joinAndProcess(std::move(o), w, k + 1); });
                    } catch (...) {
                        errors[w] = std::current_exception();
                    }
                });
                for (auto& e : errors) if (e) std::rethrow_exception(e);
                grace.reset();
                continue;
            }
            if (!join_steps[k].non_joined) continue;
            Block nj = join_steps[k].swapped ? join_steps[k].swapped->nonJoined() : join_steps[k].join->nonJoined(join_steps[k].header_in);
            if (nj.rows()) joinAndProcess(std::move(nj), 0, k + 1);
        }
    }
    for (auto& o : outputs) { result.rows_read += o.rows_read; result.bytes_read += o.bytes_read; }
    for (auto& src : sources) {
        result.rows_read += src->filtered_rows;
        result.bytes_read += src->filtered_bytes;
        ctx_.read_rows += src->filtered_rows;
        ctx_.read_bytes += src->filtered_bytes;
    }
    if (streaming) {
        result.streamed = true;
        return result;
    }

    // ---- finishing
    Block full_header;
    for (size_t i = 0; i < out_nodes.size(); ++i) full_header.insert({createColumn(out_nodes[i]->type), out_nodes[i]->type, out_names[i]});
    Block data;
    if (aggregating) {
        AggregationSizeHint seen;
        size_t partial_groups = 0;
        for (auto& p : partials) {
            seen.per_stream = std::max(seen.per_stream, p->size());
            partial_groups += p->size();
        }
        DataTypes result_types;
        for (auto& a : aggregates) result_types.push_back(a.function->resultType());
        Block agg;
        if (partials.size() > 1 && partials[0]->method() == AggregationMethod::Key64 && partial_groups >= kParallelMergeMinGroups && !q.with_totals) {
            // Millions of groups: merged and finalized in hash shards, one thread each.
            auto shards = mergeShardedKey64(partials, partials.size(), size_hint.merged);
            std::vector<Block> blocks(shards.size());
            parallelFor(shards.size(), shards.size(), [&](size_t i) {
                MemoryTrackerScope mem(ctx_.memory.get());
                blocks[i] = shards[i]->finalize(result_types);
            });
            for (auto& sh : shards) seen.merged += sh->size();
            agg = concatBlocks(blocks, blocks[0].cloneEmpty());
            while (!shards.empty()) shards.pop_back();   // the first shard owns the arenas: freed last
        } else {
            for (size_t i = 1; i < partials.size(); ++i) partials[0]->merge(*partials[i]);
            seen.merged = partials[0]->size();
            agg = partials[0]->finalize(result_types);
        }
        if (size_stats_key) recordAggregationSize(size_stats_key, seen);
        if (agg_key_nodes.size() != key_nodes.size()) {
            // Derived keys are evaluated over a block laid out like the source, holding the
            // aggregated column keys (other columns are constant defaults they never read).
            Block source_like;
            bool any_derived = false;
            for (size_t i = 0; i < key_nodes.size(); ++i) any_derived = any_derived || derived_key[i];
            if (any_derived) {
                std::map<size_t, size_t> agg_position;   // key -> its column in `agg`
                for (size_t i = 0, next = 0; i < key_nodes.size(); ++i)
                    if (!const_key[i] && !derived_key[i]) agg_position[i] = next++;
                for (size_t p = 0; p < source_scope.columns.size(); ++p) {
                    const auto& sc = source_scope.columns[p];
                    auto it = column_keys.find(p);
                    if (it != column_keys.end()) { source_like.insert({agg.at(agg_position.at(it->second)).column, sc.type, sc.name}); continue; }
                    auto one = createColumn(sc.type);
                    one->insertDefault();
                    source_like.insert({std::make_shared<ColumnConst>(std::move(one), agg.rows()), sc.type, sc.name});
                }
            }
            Block with_keys;
            size_t next = 0;
            for (size_t i = 0; i < key_nodes.size(); ++i) {
                if (const_key[i]) with_keys.insert({materialize(evaluate(key_nodes[i], agg)), key_nodes[i]->type, post_scope.key_names[i]});
                else if (derived_key[i]) with_keys.insert({materialize(evaluate(key_nodes[i], source_like)), key_nodes[i]->type, post_scope.key_names[i]});
                else with_keys.insert(agg.at(next++));
            }
            for (; next < agg.columns(); ++next) with_keys.insert(agg.at(next));
            agg = std::move(with_keys);
        }
        // An empty input with GROUP BY produces no rows (without keys: one row).
        auto project = [&](Block& in) {
            if (having_node) in = filterBlock(in, evaluate(having_node, in));
            std::vector<ColumnPtr> cols = evaluateAll(out_nodes, in);
            Block ob;
            for (size_t i = 0; i < cols.size(); ++i) ob.insert({materialize(cols[i]), out_nodes[i]->type, out_names[i]});
            return ob;
        };
        if (q.with_totals) {
            Block t = partials[0]->totals();
            // Keys are defaults in the totals row, except constant keys, which keep their value (as ClickHouse).
            for (size_t i = 0; i < key_nodes.size() && i < t.columns(); ++i)
                if (key_nodes[i]->isConstant()) t.at(i).column = materialize(evaluate(key_nodes[i], t));
            Block tp = project(t);
            if (window_plan) tp = window_plan->apply(tp, ctx_.functionContext());   // window calls over the totals row alone
            Block visible_totals;
            for (size_t i = 0; i < visible; ++i) visible_totals.insert(tp.at(i));
            result.totals = visible_totals;
        }
        data = project(agg);
    } else {
        std::vector<Block> all;
        for (auto& o : outputs) for (auto& b : o.blocks) all.push_back(std::move(b));
        data = all.empty() ? full_header : concatBlocks(all, full_header);
        if (out_nodes.empty()) data.setRowsWithoutColumns(data.rows());
    }
    // Materialize constants so later steps see full columns.
    for (auto& c : data.data()) c.column = materialize(c.column);
    if (window_plan) data = window_plan->apply(data, ctx_.functionContext());

    if (q.distinct) {
        std::vector<size_t> pos;
        for (size_t i = 0; i < visible; ++i) pos.push_back(i);
        data = distinctBlock(data, pos);
    }
    if (!order_by_list.empty()) {
        std::vector<SortColumn> sort;
        for (size_t i = 0; i < order_by_list.size(); ++i) {
            auto& o = *order_by_list[i];
            SortColumn sc;
            sc.position = order_positions[i];
            sc.descending = o.descending;
            // ClickHouse default: NULLs last regardless of direction; NaN like NULL. nulls_direction is
            // where NULLs go in the output (1 = last); the sorts flip it for descending order.
            bool nulls_first = o.nulls_first.value_or(false);
            sc.nulls_direction = nulls_first ? -1 : 1;
            sort.push_back(sc);
        }
        size_t top = (has_limit && limit_by.empty() && !negative_limit) ? limit + offset : 0;
        if (top < limit) top = 0;  // LIMIT + OFFSET overflowed: no top-N, sort everything
        data = sortBlock(data, sort, top);
    }
    if (!limit_by_positions.empty()) data = limitByBlock(data, limit_by_positions, limit_by_length, limit_by_offset);
    if (negative_limit) {
        size_t rows = data.rows();
        size_t begin = 0, end = rows;
        if (signed_offset >= 0) begin = std::min(rows, size_t(signed_offset));
        else end = rows - std::min(rows, 0 - size_t(signed_offset));  // no UB for INT64_MIN
        if (has_limit && signed_limit >= 0) end = std::min(end, begin + size_t(signed_limit));
        else if (has_limit) begin = std::max(begin, end - std::min(end - begin, 0 - size_t(signed_limit)));
        data = cutBlock(data, begin, end - begin);
    } else if (has_limit || offset) {
        data = cutBlock(data, offset, has_limit ? limit : SIZE_MAX);
    }

    Block visible_block;
    for (size_t i = 0; i < visible; ++i) visible_block.insert(data.at(i));
    if (visible_block.rows() > 0) result.blocks.push_back(std::move(visible_block));
    return result;
}

QueryResult runUnion(const ASTPtr& query, QueryContext& ctx, const std::vector<Cte>& outer_ctes, bool header_only,
                     std::vector<std::string>* explain, ResultSink* sink) {
    if (auto* sel = query->as<ASTSelectQuery>()) {
        Settings saved = ctx.settings;
        SelectExecutor ex(ctx, outer_ctes);
        ex.setSink(sink);
        try {
            auto r = ex.run(*sel, header_only, explain);
            ctx.settings = saved;
            return r;
        } catch (...) {
            ctx.settings = saved;
            throw;
        }
    }
    auto* u = query->as<ASTSelectWithUnion>();
    if (!u) throw Exception(ErrorCodes::LOGICAL_ERROR, std::string("Not a SELECT query: ") + query->kind());
    if (u->selects.size() == 1) return runUnion(u->selects[0], ctx, outer_ctes, header_only, explain, sink);
    std::vector<QueryResult> parts;
    for (size_t i = 0; i < u->selects.size(); ++i) {
        if (explain) explain->push_back("Union part " + std::to_string(i + 1));
        parts.push_back(runUnion(u->selects[i], ctx, outer_ctes, header_only, explain));
    }
    size_t ncols = parts[0].header.columns();
    for (auto& p : parts)
        if (p.header.columns() != ncols)
            throw Exception(ErrorCodes::UNION_ALL_RESULT_STRUCTURES_MISMATCH,
                            "Different number of columns in UNION elements: " + std::to_string(ncols) + " and " + std::to_string(p.header.columns()));
    DataTypes types;
    for (size_t c = 0; c < ncols; ++c) {
        DataTypes ts;
        for (auto& p : parts) ts.push_back(p.header.at(c).type);
        types.push_back(getLeastSupertype(ts));
    }
    QueryResult r;
    for (size_t c = 0; c < ncols; ++c) r.header.insert({createColumn(types[c]), types[c], parts[0].header.at(c).name});
    auto fctx = ctx.functionContext();
    for (auto& p : parts) {
        r.rows_read += p.rows_read;
        r.bytes_read += p.bytes_read;
        for (auto& b : p.blocks) {
            Block nb;
            for (size_t c = 0; c < ncols; ++c)
                nb.insert({castColumn(b.at(c).column, b.at(c).type, types[c], fctx), types[c], r.header.at(c).name});
            r.blocks.push_back(std::move(nb));
        }
    }
    // UNION DISTINCT: dedupe everything joined by a DISTINCT (ClickHouse applies it to the whole chain).
    bool any_distinct = std::any_of(u->modes.begin(), u->modes.end(), [](UnionMode m) { return m == UnionMode::Distinct; });
    if (any_distinct && !header_only) {
        Block all = r.blocks.empty() ? r.header : concatBlocks(r.blocks, r.header);
        r.blocks.clear();
        Block d = distinctBlock(all, {});
        if (d.rows()) r.blocks.push_back(d);
    }
    return r;
}

}  // namespace

QueryResult executeSelect(const ASTPtr& query, QueryContext& ctx, ResultSink* sink) {
    numberStatementSubqueries(query);
    return runUnion(query, ctx, {}, false, nullptr, sink);
}

Block selectHeader(const ASTPtr& query, QueryContext& ctx) {
    numberStatementSubqueries(query);
    return runUnion(query, ctx, {}, true, nullptr).header;
}

std::vector<std::string> explainSelect(const ASTPtr& query, QueryContext& ctx) {
    numberStatementSubqueries(query);
    std::vector<std::string> lines;
    runUnion(query, ctx, {}, false, &lines);
    return lines;
}

}  // namespace basalt
