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
#include <functional>
#include <map>
#include <exception>
#include <mutex>
#include <thread>

#include <re2/re2.h>

#include "analyzer/analyzer.h"
#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "common/parallel_for.h"
#include "exec/aggregator.h"
#include "exec/block_ops.h"
#include "interpreter/select_window.h"
#include "functions/cast.h"
#include "sql/parser.h"
#include "storage/catalog.h"
#include "storage/memory.h"
#include "storage/mergetree/storage_mergetree.h"
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
};

// A resolved FROM source.
struct Source {
    StoragePtr storage;                       // table or table function
    std::shared_ptr<std::vector<Block>> subquery_blocks;   // FROM (subquery)
    std::vector<SourceColumn> columns;        // every column the source offers
    std::vector<std::string> ordinary;        // columns of SELECT *
    std::map<std::string, ASTPtr> alias_columns;   // table ALIAS columns
    std::set<std::string> qualifiers;
    std::string description;                  // EXPLAIN
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
    }
}

class SelectExecutor {
public:
    SelectExecutor(QueryContext& ctx, std::vector<Cte> ctes) : ctx_(ctx), ctes_(std::move(ctes)) {}

    QueryResult run(const ASTSelectQuery& q, bool header_only, std::vector<std::string>* explain);
    // The top-level query's sink (subqueries never stream).
    void setSink(ResultSink* sink) { sink_ = sink; }

private:
    Source resolveSource(const ASTSelectQuery& q, Analyzer& analyzer);
    Block runSubquery(const ASTPtr& query, size_t max_rows);

    QueryContext& ctx_;
    std::vector<Cte> ctes_;
    ResultSink* sink_ = nullptr;
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

Source SelectExecutor::resolveSource(const ASTSelectQuery& q, Analyzer& analyzer) {
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
    auto fromSubquery = [&](const ASTPtr& query) {
        Block b = runSubquery(query, 0);
        src.subquery_blocks = std::make_shared<std::vector<Block>>();
        if (b.rows()) src.subquery_blocks->push_back(b);
        for (auto& c : b.data()) {
            src.columns.push_back({c.name, c.type});
            src.ordinary.push_back(c.name);
        }
        if (src.subquery_blocks->empty()) src.subquery_blocks->push_back(b.cloneEmpty());
    };
    if (!q.from) {
        src.storage = ctx_.catalog->getTable("system", "one");
        addStorageColumns(src.storage);
        src.description = "ReadFromStorage (SystemOne)";
        return src;
    }
    auto& from = *q.from;
    if (from.subquery) {
        fromSubquery(from.subquery->query);
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
                fromSubquery(view->query());
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
            // The CTE body must not see itself (no recursive CTEs).
            std::vector<Cte> saved = ctes_;
            ctes_.erase(std::next(it).base(), ctes_.end());
            try {
                fromSubquery(it->query);
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
                fromSubquery(inner.ast);
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
        fromSubquery(view->query());
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
    (void)analyzer;
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
        out.push_back({item, item->alias.empty() ? item->getColumnName() : item->alias});
    }
    return out;
}

// Replicates each row by the size of its arrays and appends the flattened elements. All joined
// arrays must have equal sizes per row. LEFT ARRAY JOIN keeps rows with empty arrays (one row with
// the element type's default).
Block applyArrayJoin(const Block& in, const std::vector<ExprNodePtr>& nodes, const std::vector<int>& replaces,
                     const std::vector<std::string>& names, bool left) {
    std::vector<ColumnPtr> arrays = evaluateAll(nodes, in);
    for (auto& a : arrays) a = materialize(a);
    size_t rows = in.rows();
    const auto& first = static_cast<const ColumnArray&>(*arrays[0]);
    for (size_t k = 1; k < arrays.size(); ++k) {
        const auto& other = static_cast<const ColumnArray&>(*arrays[k]);
        for (size_t i = 0; i < rows; ++i)
            if (other.sizeAt(i) != first.sizeAt(i))
                throw Exception(ErrorCodes::SIZES_OF_ARRAYS_DONT_MATCH, "Sizes of ARRAY-JOIN-ed arrays do not match");
    }
    Offsets offsets(rows);
    size_t total = 0;
    for (size_t i = 0; i < rows; ++i) {
        size_t n = first.sizeAt(i);
        total += (left && n == 0) ? 1 : n;
        offsets[i] = total;
    }
    std::vector<ColumnPtr> elements;
    for (auto& a : arrays) {
        const auto& arr = static_cast<const ColumnArray&>(*a);
        if (!left) { elements.push_back(arr.getDataPtr()); continue; }
        auto e = arr.getData().cloneEmpty();
        for (size_t i = 0; i < rows; ++i) {
            if (arr.sizeAt(i) == 0) e->insertDefault();
            else e->insertRangeFrom(arr.getData(), arr.offsetAt(i), arr.sizeAt(i));
        }
        elements.push_back(e);
    }
    Block out;
    for (size_t c = 0; c < in.columns(); ++c) out.insert({in.at(c).column->replicate(offsets), in.at(c).type, in.at(c).name});
    for (size_t k = 0; k < nodes.size(); ++k) {
        ColumnWithTypeAndName col{elements[k], nodes[k]->type->nested[0], names[k]};
        if (replaces[k] >= 0) out.at(size_t(replaces[k])) = col;
        else out.insert(col);
    }
    if (out.columns() == 0) out.setRowsWithoutColumns(total);
    return out;
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

QueryResult SelectExecutor::run(const ASTSelectQuery& q, bool header_only, std::vector<std::string>* explain) {
    // Per-query settings from SETTINGS.
    for (auto& [k, v] : q.settings) ctx_.settings.set(k, v);
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
            if (!w->alias.empty()) ctes_.push_back({w->alias, sq->query});
        }
        if (!w->alias.empty()) aliases.add(w->alias, w);
    }

    Source src = resolveSource(q, analyzer);
    auto select_list = expandSelectList(q, src);
    if (select_list.empty()) throw Exception(ErrorCodes::EMPTY_LIST_OF_COLUMNS_QUERIED, "Empty list of columns in SELECT query");
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
    for (auto& o : q.order_by) order_exprs.push_back(aliases.expand(positional(o->expr)));
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

    // ARRAY JOIN: explicit clause items plus arrayJoin(...) calls anywhere (ClickHouse treats the
    // function as an implicit ARRAY JOIN of its argument). Calls are replaced by an identifier
    // naming the joined column.
    struct ArrayJoinItem { ASTPtr expr; std::string name; };
    std::vector<ArrayJoinItem> array_joins;
    for (auto& e : q.array_join) {
        ASTPtr ex = aliases.expand(e);
        std::string n = !e->alias.empty() ? e->alias : e->getColumnName();
        array_joins.push_back({ex, n});
    }
    std::function<void(ASTPtr&)> rewriteArrayJoin = [&](ASTPtr& ast) {
        auto* fn = ast ? ast->as<ASTFunction>() : nullptr;
        if (!fn || fn->name == "lambda") return;
        for (auto& a : fn->arguments) rewriteArrayJoin(a);
        if (fn->name == "arrayJoin") {
            if (fn->arguments.size() != 1) throwArgumentCount("arrayJoin", fn->arguments.size(), "1");
            std::string n = fn->getColumnName();
            bool known = false;
            for (auto& j : array_joins) known = known || j.name == n;
            if (!known) array_joins.push_back({fn->arguments[0], n});
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

    // Columns to read: every source column named anywhere.
    std::set<std::string> idents;
    for (auto& j : array_joins) collectIdentifiers(j.expr, idents);
    for (auto& e : select_exprs) collectIdentifiers(e, idents);
    for (auto* e : {&where, &prewhere, &having}) collectIdentifiers(*e, idents);
    for (auto& e : group_by) collectIdentifiers(e, idents);
    for (auto& e : order_exprs) collectIdentifiers(e, idents);
    for (auto& e : limit_by) collectIdentifiers(e, idents);
    std::vector<std::string> read_columns;
    Scope source_scope;
    source_scope.qualifiers = src.qualifiers;
    for (auto& c : src.columns)
        if (idents.count(c.name)) {
            read_columns.push_back(c.name);
            source_scope.columns.push_back(c);
        }
    // Column-level grants: every column read must be granted (SELECT count() needs any one).
    if (!src.checked_table.empty()) ctx_.catalog->access().check(ctx_.current_user, AccessType::Select, src.checked_database, src.checked_table, &read_columns);
    // After ARRAY JOIN the scope holds the read columns (replicated) plus one column per joined
    // array, holding its elements; joining a column under its own name replaces it.
    std::vector<ExprNodePtr> array_join_nodes;
    std::vector<int> array_join_replaces;   // position in the read columns replaced, or -1
    if (!array_joins.empty()) {
        Scope pre = source_scope;
        pre.clause = "ARRAY JOIN";
        for (auto& j : array_joins) {
            ExprNodePtr n = analyzer.analyze(j.expr, pre);
            if (n->type->id != TypeId::Array)
                throw Exception(ErrorCodes::TYPE_MISMATCH, "ARRAY JOIN requires an array argument, got " + n->type->name() + " in " + j.expr->formatSQL(false));
            array_join_nodes.push_back(n);
            int replaces = -1;
            for (size_t i = 0; i < source_scope.columns.size(); ++i)
                if (source_scope.columns[i].name == j.name) replaces = int(i);
            array_join_replaces.push_back(replaces);
            if (replaces >= 0) source_scope.columns[replaces].type = n->type->nested[0];
            else source_scope.columns.push_back({j.name, n->type->nested[0]});
        }
        source_scope.cache.clear();
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
            if (array_joins.empty()) query_info.filter = cond;
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
        if (!q.order_by.empty()) e.push_back("  Sorting (Sorting for ORDER BY)");
        if (q.distinct) e.push_back("  Distinct");
        if (having_node) e.push_back("  Filter (HAVING)");
        if (aggregating) e.push_back("  Aggregating (keys: " + std::to_string(key_nodes.size()) + ", aggregates: " + std::to_string(aggregates.size()) + ")");
        if (filter) e.push_back("  Filter (WHERE)");
        e.push_back("  " + src.description);
        // A bare count() is answered from part metadata (ClickHouse's trivial count): nothing to read.
        bool trivial_count = aggregating && key_nodes.empty() && aggregates.size() == 1 && aggregates[0].args.empty() &&
                             aggregates[0].name == "count()" && !filter && array_joins.empty();
        if (auto* mt = dynamic_cast<const StorageMergeTree*>(src.storage.get()); mt && ctx_.estimates && !trivial_count) {
            MergeTreeReadStats st = mt->analyzeRead(query_info.filter, ctx_);
            std::string db = mt->create_query ? mt->create_query->database : "", table = mt->create_query ? mt->create_query->table : "";
            ctx_.estimates->push_back({db, table, st.parts_selected, st.rows_selected, st.granules_selected});
        }
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

    // ---- streams
    size_t threads = std::max<size_t>(1, ctx_.threads());
    Sources sources;
    bool read_in_order = false;
    // optimize_read_in_order: ORDER BY the first sorting-key expressions of a MergeTree table, all
    // in one direction, with a LIMIT — the storage merges its parts in key order.
    auto readInKeyOrder = [&](IStorage* storage, const std::vector<std::string>& cols, const SelectQueryInfo& info,
                              const std::vector<ASTPtr>& order, bool applicable) -> Sources {
        auto* mt = dynamic_cast<StorageMergeTree*>(storage);
        if (!mt || !applicable || !ctx_.settings.optimize_read_in_order || order.empty() || order.size() > mt->sortingKey().size()) return {};
        bool desc = q.order_by[0]->descending;
        for (size_t i = 0; i < order.size(); ++i) {
            const auto& o = *q.order_by[i];
            if (o.descending != desc || o.with_fill || !o.collation.empty() || o.nulls_first.has_value()) return {};
            if (order[i]->getColumnName() != mt->sortingKey()[i]->getColumnName()) return {};
        }
        return mt->readInOrder(cols, info, ctx_, order.size(), desc);
    };
    if (src.subquery_blocks) {
        std::vector<size_t> positions;
        for (auto& rc : read_columns)
            for (size_t i = 0; i < src.columns.size(); ++i)
                if (src.columns[i].name == rc) positions.push_back(i);
        sources = splitBlocks(src.subquery_blocks, positions, threads, 0);
    } else {
        sources = readInKeyOrder(src.storage.get(), read_columns, query_info, order_exprs, has_limit && !negative_limit && !aggregating &&
                                 !q.distinct && limit_by.empty() && array_joins.empty() && !q.limit_with_ties && !q.with_totals && !query_info.final);
        if (!sources.empty()) read_in_order = true;
        else {
            // Top-N dynamic filter: ORDER BY a plain integer/date column of a MergeTree table, LIMIT n.
            const ExprNode* first_order = q.order_by.empty() || window_plan ? nullptr : out_nodes[order_positions[0]].get();
            if (ctx_.settings.use_top_k_dynamic_filtering && first_order && first_order->kind == ExprNode::Kind::Input &&
                first_order->input < source_scope.columns.size() && has_limit && !negative_limit && limit > 0 && limit + offset <= 100000 &&
                !aggregating && !q.distinct &&
                limit_by.empty() && array_joins.empty() && !q.limit_with_ties && !q.with_totals && !query_info.final &&
                q.order_by[0]->collation.empty() && !q.order_by[0]->with_fill && topKComparable(*first_order->type) &&
                dynamic_cast<StorageMergeTree*>(src.storage.get()))
                query_info.topk = std::make_shared<TopKThreshold>(source_scope.columns[first_order->input].name, q.order_by[0]->descending);
            sources = src.storage->read(read_columns, query_info, ctx_, threads);
        }
    }
    size_t nstreams = sources.size();
    // LIMIT without ORDER BY / aggregation / DISTINCT lets each stream stop early; so does ORDER BY
    // a sorting-key prefix read in key order (one ordered stream: its first rows are the answer).
    bool early_stop = has_limit && !negative_limit && (q.order_by.empty() || read_in_order) && !aggregating && !q.distinct && limit_by.empty() && !window_plan;
    size_t stream_row_cap = early_stop ? limit + offset : 0;
    // Streaming: rows go to the sink as the streams produce them, OFFSET and LIMIT applied on the
    // way (under one lock, so the sink sees one block at a time).
    bool streaming = sink_ && !window_plan && !aggregating && !q.distinct && (q.order_by.empty() || (read_in_order && nstreams == 1)) && limit_by.empty() &&
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

    std::vector<std::string> array_joins_names;
    for (auto& j : array_joins) array_joins_names.push_back(j.name);

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
            if (!array_join_nodes.empty()) {
                b = applyArrayJoin(b, array_join_nodes, array_join_replaces, array_joins_names, q.left_array_join);
                if (b.rows() == 0) continue;
            }
            if (filter && !query_info.filter_applied) {
                b = filterBlock(b, evaluate(filter, b), used_after_filter);
                if (b.rows() == 0) continue;
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
            } else {
                if (streaming) {
                    Block ob;
                    for (size_t i = 0; i < visible; ++i) ob.insert({materialize(cols[i]), out_nodes[i]->type, out_names[i]});
                    std::lock_guard lock(sink_mutex);
                    // Checked under the lock: after the limit or a failed write, nothing more is sent.
                    if (sink_left == 0 || stop.load()) break;
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
                    if (sink_left == 0) { stop = true; break; }
                    continue;
                }
                Block ob;
                for (size_t i = 0; i < cols.size(); ++i) ob.insert({cols[i], out_nodes[i]->type, out_names[i]});
                if (cols.empty()) ob.setRowsWithoutColumns(rows);
                out.rows += rows;
                out.blocks.push_back(std::move(ob));
                if (stream_row_cap && out.rows >= stream_row_cap) break;
            }
        }
    };
    if (nstreams == 1) {
        runStream(0);
    } else {
        std::vector<std::thread> pool;
        std::vector<std::exception_ptr> errors(nstreams);
        for (size_t s = 0; s < nstreams; ++s)
            pool.emplace_back([&, s] {
                try { runStream(s); } catch (...) { errors[s] = std::current_exception(); stop = true; }
            });
        for (auto& t : pool) t.join();
        for (auto& e : errors) if (e) std::rethrow_exception(e);
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
    if (!q.order_by.empty()) {
        std::vector<SortColumn> sort;
        for (size_t i = 0; i < q.order_by.size(); ++i) {
            auto& o = *q.order_by[i];
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

QueryResult executeSelect(const ASTPtr& query, QueryContext& ctx, ResultSink* sink) { return runUnion(query, ctx, {}, false, nullptr, sink); }

Block selectHeader(const ASTPtr& query, QueryContext& ctx) { return runUnion(query, ctx, {}, true, nullptr).header; }

std::vector<std::string> explainSelect(const ASTPtr& query, QueryContext& ctx) {
    std::vector<std::string> lines;
    runUnion(query, ctx, {}, false, &lines);
    return lines;
}

}  // namespace basalt
