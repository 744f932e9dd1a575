// distributed_query.cpp — splitting a SELECT over a Distributed table into the shards' part and
// the initiator's part (see distributed_query.h).
#include "cluster/distributed_query.h"

#include <atomic>
#include <functional>
#include <map>
#include <set>

#include "aggregates/aggregate_function.h"
#include "cluster/storage_distributed.h"
#include "common/exception.h"
#include "common/string_utils.h"
#include "interpreter/context.h"
#include "interpreter/select.h"

namespace basalt {

namespace {

// The shards' partial results as a table: every read runs the shard query once per shard and
// projects the requested columns.
class StorageShardResults final : public IStorage {
public:
    StorageShardResults(std::shared_ptr<StorageDistributed> table, std::string query, Block header, ExternalTables external)
        : table_(std::move(table)), query_(std::move(query)), header_(std::move(header)), external_(std::move(external)) {
        for (auto& c : header_.data()) metadata_.columns.push_back({c.name, c.type, "", nullptr, "", ""});
    }
    std::string engineName() const override { return "Distributed"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t) override {
        std::vector<size_t> positions;
        for (auto& name : columns) {
            int p = header_.positionByName(name);
            if (p < 0) throw Exception(ErrorCodes::LOGICAL_ERROR, "No column " + name + " in the shards' result");
            positions.push_back(size_t(p));
        }
        Sources remote = table_->readQuery(query_, header_, ctx, SIZE_MAX, false, external_);
        Sources out;
        for (auto& s : remote) out.push_back(std::make_unique<Projecting>(std::move(s), positions));
        return out;
    }

private:
    class Projecting final : public ISource {
    public:
        Projecting(SourcePtr in, std::vector<size_t> positions) : in_(std::move(in)), positions_(std::move(positions)) {}
        Block read() override {
            Block b = in_->read();
            filtered_rows = in_->filtered_rows;
            filtered_bytes = in_->filtered_bytes;
            if (b.empty()) return b;
            Block out;
            for (size_t p : positions_) out.insert(b.at(p));
            if (positions_.empty()) out.setRowsWithoutColumns(b.rows());
            return out;
        }

    private:
        SourcePtr in_;
        std::vector<size_t> positions_;
    };

    std::shared_ptr<StorageDistributed> table_;
    std::string query_;
    Block header_;
    ExternalTables external_;
};

bool hasWindowOrDistinctAggregate(const ASTPtr& ast) {
    if (!ast) return false;
    if (auto* f = ast->as<ASTFunction>()) {
        if (f->isWindowFunction()) return true;
        if (f->distinct && AggregateFunctionFactory::instance().isAggregateFunctionName(f->name)) return true;
    }
    for (auto& c : ast->children())
        if (hasWindowOrDistinctAggregate(c)) return true;
    return false;
}

bool isAggregateCall(const ASTPtr& ast) {
    auto* f = ast->as<ASTFunction>();
    return f && !f->isWindowFunction() && AggregateFunctionFactory::instance().isAggregateFunctionName(f->name);
}

bool containsAggregate(const ASTPtr& ast) {
    if (!ast) return false;
    if (isAggregateCall(ast)) return true;
    for (auto& c : ast->children())
        if (containsAggregate(c)) return true;
    return false;
}

void collectIdentifierNames(const ASTPtr& ast, std::set<std::string>& out) {
    if (!ast) return;
    if (auto* id = ast->as<ASTIdentifier>()) out.insert(id->name());
    if (ast->as<ASTSubquery>()) return;
    for (auto& c : ast->children()) collectIdentifierNames(c, out);
}

std::shared_ptr<ASTFunction> makeFunction(const std::string& name, ASTs args) {
    auto f = std::make_shared<ASTFunction>();
    f->name = name;
    f->arguments = std::move(args);
    return f;
}

ASTPtr identifier(const std::string& name) { return std::make_shared<ASTIdentifier>(std::vector<std::string>{name}); }

// The FROM of the shard query: the remote table, under the user's alias.
std::shared_ptr<ASTTableExpression> remoteFrom(const ASTSelectQuery& q, const StorageDistributed& t) {
    auto from = cloneAs(*q.from);
    from->table_function = nullptr;
    from->subquery = nullptr;
    from->database = t.remoteDatabase();
    from->table = t.remoteTable();
    return from;
}

std::shared_ptr<ASTTableExpression> shardsFrom(const ASTSelectQuery& q, const std::string& db, const std::string& table) {
    auto from = std::make_shared<ASTTableExpression>();
    from->database = db;
    from->table = table;
    from->alias = q.from->alias;
    return from;
}

std::atomic<uint64_t> g_plan_counter{0};

}  // namespace

ASTPtr materializeGlobalSubqueries(const ASTPtr& ast, QueryContext& ctx, ExternalTables& external) {
    if (!ast) return ast;
    auto* f = ast->as<ASTFunction>();
    if (!f) return ast;
    if ((f->name == "globalIn" || f->name == "globalNotIn") && f->arguments.size() == 2 && f->arguments[1]->as<ASTSubquery>()) {
        QueryResult r = executeSelect(f->arguments[1]->as<ASTSubquery>()->query, ctx);
        std::string name = "_global_subquery_" + std::to_string(external.size() + 1);
        std::vector<Block> blocks{r.header.cloneEmpty()};
        for (auto& b : r.blocks)
            if (b.rows()) blocks.push_back(std::move(b));
        external.emplace_back(name, std::move(blocks));
        auto copy = cloneAs(*f);
        copy->name = f->name == "globalIn" ? "in" : "notIn";
        copy->arguments[1] = identifier(name);
        return copy;
    }
    std::shared_ptr<ASTFunction> copy;
    for (size_t i = 0; i < f->arguments.size(); ++i) {
        ASTPtr a = materializeGlobalSubqueries(f->arguments[i], ctx, external);
        if (a == f->arguments[i]) continue;
        if (!copy) copy = cloneAs(*f);
        copy->arguments[i] = a;
    }
    return copy ? copy : ast;
}

// GLOBAL JOIN: the right side runs once on the initiator and travels to every shard as an
// external table `_global_join_N`, which the shard query joins instead (ClickHouse's broadcast).
static std::shared_ptr<ASTTableJoin> materializeGlobalJoin(const ASTTableJoin& join, QueryContext& ctx, ExternalTables& external) {
    auto copy = cloneAs(join);
    auto right = cloneAs(*join.table);
    right->alias.clear();
    auto select = std::make_shared<ASTSelectQuery>();
    select->select.push_back(std::make_shared<ASTAsterisk>());
    select->from = right;
    QueryResult r = executeSelect(right->subquery ? right->subquery->query : ASTPtr(select), ctx);
    std::string name = "_global_join_" + std::to_string(external.size() + 1);
    std::vector<Block> blocks{r.header.cloneEmpty()};
    for (auto& b : r.blocks)
        if (b.rows()) blocks.push_back(std::move(b));
    external.emplace_back(name, std::move(blocks));
    auto te = std::make_shared<ASTTableExpression>();
    te->table = name;
    // `dim.x` keeps working: an unaliased table is aliased by its name.
    te->alias = !join.table->alias.empty() ? join.table->alias : (join.table->subquery || join.table->table_function ? "" : join.table->table);
    copy->table = te;
    copy->global = false;
    return copy;
}

std::optional<DistributedPlan> planDistributedSelect(const ASTSelectQuery& q, const std::shared_ptr<StorageDistributed>& table, QueryContext& ctx) {
    // One GLOBAL JOIN is broadcast; a RIGHT / FULL one would repeat the right side's unmatched
    // rows once per shard, so it (and any other join) is run on the initiator instead.
    bool broadcast_join = q.joins.size() == 1 && q.joins[0]->global && !q.joins[0]->natural && q.joins[0]->join_kind != JoinKind::Right &&
                          q.joins[0]->join_kind != JoinKind::Full && q.joins[0]->join_kind != JoinKind::Paste;
    if (!q.from || (!q.joins.empty() && !broadcast_join) || !q.array_join.empty() || q.qualify || !q.windows.empty() || q.group_by_all ||
        q.with_rollup || q.with_cube || q.with_totals || q.from->final)
        return std::nullopt;
    for (auto& e : q.select)
        if (hasWindowOrDistinctAggregate(e)) return std::nullopt;
    for (auto& o : q.order_by)
        if (hasWindowOrDistinctAggregate(o->expr)) return std::nullopt;
    if (hasWindowOrDistinctAggregate(q.having)) return std::nullopt;

    // _shard_num exists on the initiator only: such queries read the rows plainly.
    if (q.formatSQL().find("_shard_num") != std::string::npos) return std::nullopt;

    DistributedPlan plan;
    std::string shards_db = "_distributed", shards_table = "_shards_" + std::to_string(++g_plan_counter);
    plan.override_key = shards_db + "." + shards_table;

    auto finish = [&](std::shared_ptr<ASTSelectQuery> inner, std::shared_ptr<ASTSelectQuery> outer) -> std::optional<DistributedPlan> {
        if (broadcast_join) inner->joins = {materializeGlobalJoin(*q.joins[0], ctx, plan.external)};
        if (inner->where) inner->where = materializeGlobalSubqueries(inner->where, ctx, plan.external);
        if (inner->prewhere) inner->prewhere = materializeGlobalSubqueries(inner->prewhere, ctx, plan.external);
        plan.shard_query = inner->formatSQL();
        Block header = table->remoteHeader(plan.shard_query, ctx, plan.external);
        plan.shards = std::make_shared<StorageShardResults>(table, plan.shard_query, header, plan.external);
        outer->from = shardsFrom(q, shards_db, shards_table);
        plan.outer = outer;
        return plan;
    };

    if (ctx.settings.distributed_group_by_no_merge) {
        // Shards run the whole query; the initiator concatenates their results.
        auto inner = cloneAs(q);
        inner->from = remoteFrom(q, *table);
        auto outer = std::make_shared<ASTSelectQuery>();
        outer->select.push_back(std::make_shared<ASTAsterisk>());
        return finish(inner, outer);
    }

    std::set<std::string> table_columns;
    for (auto& c : table->metadata().columns) table_columns.insert(c.name);
    std::map<std::string, ASTPtr> select_aliases;   // alias → expression (without alias)
    for (auto& e : q.select)
        if (!e->alias.empty()) {
            auto expr = e->clone();
            expr->alias.clear();
            select_aliases[e->alias] = expr;
        }
    std::set<std::string> with_aliases;
    for (auto& w : q.with)
        if (!w->alias.empty()) with_aliases.insert(w->alias);
    // The shard query keeps WHERE / PREWHERE / keys but not the select list: they must not use
    // select-list aliases (the shard would not know them).
    auto usesSelectAlias = [&](const ASTPtr& e) {
        std::set<std::string> ids;
        collectIdentifierNames(e, ids);
        for (auto& id : ids)
            if (select_aliases.count(id) && !table_columns.count(id)) return true;
        return false;
    };
    if (usesSelectAlias(q.where) || usesSelectAlias(q.prewhere)) return std::nullopt;

    bool aggregating = !q.group_by.empty() || containsAggregate(q.having);
    for (auto& e : q.select) aggregating = aggregating || containsAggregate(e);
    for (auto& o : q.order_by) aggregating = aggregating || containsAggregate(o->expr);

    if (aggregating) {
        // Keys: GROUP BY items, a select alias or position replaced by its expression.
        std::vector<ASTPtr> keys;
        std::map<std::string, size_t> key_index;   // expression text → key number
        for (auto& g : q.group_by) {
            ASTPtr e = g->clone();
            e->alias.clear();
            if (auto* id = g->as<ASTIdentifier>(); id && select_aliases.count(id->name()) && !table_columns.count(id->name()))
                e = select_aliases[id->name()]->clone();
            else if (auto* lit = g->as<ASTLiteral>(); lit && lit->value.is<uint64_t>()) {
                uint64_t pos = lit->value.get<uint64_t>();
                if (pos == 0 || pos > q.select.size()) return std::nullopt;
                e = q.select[pos - 1]->clone();
                e->alias.clear();
            }
            if (containsAggregate(e) || usesSelectAlias(e)) return std::nullopt;
            std::string text = e->formatSQL(false);
            if (key_index.count(text)) continue;
            key_index[text] = keys.size();
            keys.push_back(e);
        }
        std::vector<ASTPtr> aggregates;
        std::map<std::string, size_t> aggregate_index;
        bool ok = true;
        // Rewrites an expression of the initiator's query: keys → _kN, f(args) → fMerge(_aN).
        std::function<ASTPtr(const ASTPtr&)> rewrite = [&](const ASTPtr& e) -> ASTPtr {
            if (!e || !ok) return e;
            std::string text = e->formatSQL(false);
            if (auto it = key_index.find(text); it != key_index.end()) {
                ASTPtr id = identifier("_k" + std::to_string(it->second + 1));
                id->alias = e->alias;
                return id;
            }
            if (isAggregateCall(e)) {
                auto* f = e->as<ASTFunction>();
                if (f->name.size() > 5 && (f->name.compare(f->name.size() - 5, 5, "State") == 0 || f->name.compare(f->name.size() - 5, 5, "Merge") == 0)) { ok = false; return e; }
                size_t j;
                if (auto it = aggregate_index.find(text); it != aggregate_index.end()) j = it->second;
                else {
                    j = aggregates.size();
                    aggregate_index[text] = j;
                    auto state = cloneAs(*f);
                    state->name = f->name + "State";
                    state->alias = "_a" + std::to_string(j + 1);
                    aggregates.push_back(state);
                }
                auto merge = makeFunction(f->name + "Merge", {identifier("_a" + std::to_string(j + 1))});
                merge->parameters = f->parameters;
                merge->alias = e->alias;
                return merge;
            }
            if (auto* id = e->as<ASTIdentifier>()) {
                // Outside keys and aggregates only aliases can be used (else: NOT_AN_AGGREGATE,
                // reported by the plain path).
                if (!select_aliases.count(id->name()) && !with_aliases.count(id->name())) ok = false;
                return e;
            }
            if (auto* f = e->as<ASTFunction>()) {
                if (f->name == "lambda") { ok = false; return e; }
                auto copy = cloneAs(*f);
                for (auto& a : copy->arguments) a = rewrite(a);
                return copy;
            }
            if (e->as<ASTLiteral>()) return e;
            ok = false;   // asterisks, subqueries, ...: the plain path
            return e;
        };

        auto outer = cloneAs(q);
        outer->where = nullptr;
        outer->prewhere = nullptr;
        outer->joins.clear();
        outer->select.clear();
        for (auto& item : q.select) {
            ASTPtr r = rewrite(item);
            // The initiator's column keeps the user's name: `sum(x)`, not `sumMerge(_a1)`.
            if (item->alias.empty() && r->formatSQL(false) != item->formatSQL(false)) r->alias = item->getColumnName();
            outer->select.push_back(r);
        }
        if (q.having) outer->having = rewrite(q.having);
        for (auto& o : outer->order_by) o->expr = rewrite(o->expr);
        for (auto& l : outer->limit_by) l = rewrite(l);
        outer->group_by.clear();
        for (size_t i = 0; i < keys.size(); ++i) outer->group_by.push_back(identifier("_k" + std::to_string(i + 1)));
        if (!ok) return std::nullopt;
        // An outer alias named like a remaining key would shadow it: leave such queries alone.
        for (auto& item : outer->select)
            if (!item->alias.empty() && startsWith(item->alias, "_k")) return std::nullopt;

        auto inner = std::make_shared<ASTSelectQuery>();
        inner->with = q.with;
        inner->from = remoteFrom(q, *table);
        inner->where = q.where;
        inner->prewhere = q.prewhere;
        inner->settings = q.settings;
        for (size_t i = 0; i < keys.size(); ++i) {
            ASTPtr k = keys[i]->clone();
            k->alias = "_k" + std::to_string(i + 1);
            inner->select.push_back(k);
            inner->group_by.push_back(keys[i]->clone());
        }
        for (auto& a : aggregates) inner->select.push_back(a);
        if (inner->select.empty()) return std::nullopt;
        return finish(inner, outer);
    }

    // No aggregation: ORDER BY ... LIMIT n runs on the shards too (each returns offset + n rows).
    if (q.order_by.empty() || !q.limit_length || q.distinct || !q.limit_by.empty() || q.limit_with_ties) return std::nullopt;
    auto* limit = q.limit_length->as<ASTLiteral>();
    auto* offset = q.limit_offset ? q.limit_offset->as<ASTLiteral>() : nullptr;
    if (!limit || !limit->value.is<uint64_t>() || (q.limit_offset && (!offset || !offset->value.is<uint64_t>()))) return std::nullopt;
    std::set<std::string> names;
    auto inner = cloneAs(q);
    inner->from = remoteFrom(q, *table);
    inner->limit_offset = nullptr;
    inner->limit_length = std::make_shared<ASTLiteral>(Field(limit->value.get<uint64_t>() + (offset ? offset->value.get<uint64_t>() : 0)));
    auto outer = std::make_shared<ASTSelectQuery>();
    outer->with = q.with;
    for (size_t i = 0; i < q.select.size(); ++i) {
        auto& item = q.select[i];
        if (item->as<ASTAsterisk>() || item->as<ASTColumnsMatcher>()) return std::nullopt;
        std::string name = item->alias.empty() ? item->getColumnName() : item->alias;
        if (!names.insert(name).second) return std::nullopt;
        if (!item->alias.empty()) {
            outer->select.push_back(identifier(name));
            continue;
        }
        // An unaliased item travels as _sN (`e.user_id` would read as a qualified name on the
        // initiator) and gets its name back there.
        inner->select[i] = item->clone();
        inner->select[i]->alias = "_s" + std::to_string(i + 1);
        ASTPtr back = identifier("_s" + std::to_string(i + 1));
        back->alias = name;
        outer->select.push_back(back);
    }
    for (size_t j = 0; j < q.order_by.size(); ++j) {
        ASTPtr e = q.order_by[j]->expr->clone();
        e->alias = "_o" + std::to_string(j + 1);
        inner->select.push_back(e);
        auto o = cloneAs(*q.order_by[j]);
        o->expr = identifier("_o" + std::to_string(j + 1));
        outer->order_by.push_back(o);
    }
    outer->limit_length = q.limit_length;
    outer->limit_offset = q.limit_offset;
    outer->settings = q.settings;
    return finish(inner, outer);
}

}  // namespace basalt
