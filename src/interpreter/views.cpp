// views.cpp — CREATE VIEW / CREATE MATERIALIZED VIEW, and INSERT through materialized views.
//
// A view's SELECT is stored with every table name qualified by its database (as ClickHouse stores
// it), and with its column list, so loading it at startup needs no other table.
//
// INSERT into a table with materialized views runs in two phases:
//   1. collect: the source's blocks, then for each view whose source is the table, the view's
//      SELECT over just those blocks (the source table replaced by them), converted by column name
//      to the target's columns, defaults filled — recursively for views on the targets;
//   2. publish: every storage prepares its write (MergeTree writes temporary parts), and only when
//      all prepared does each commit. A view that throws, a bad conversion, a full disk or
//      TOO_MANY_PARTS anywhere leave the source and every target unchanged.
#include <functional>
#include <set>

#include "common/exception.h"
#include "exec/block_ops.h"
#include "functions/cast.h"
#include "interpreter/interpreter.h"
#include "interpreter/select.h"
#include "sql/ast.h"
#include "storage/catalog.h"
#include "storage/memory.h"
#include "storage/view.h"
#include "types/create_column.h"

namespace basalt {

std::string generateUUIDv4();   // interpreter.cpp

namespace {
// Tests only: called after each storage of a multi-table INSERT is committed (simulates a crash
// between publishing two tables by throwing).
std::function<void(size_t)> g_insert_commit_hook;
}

namespace {

// Qualifies table names in FROM clauses with `db` (CTE names stay as they are) and returns the
// tables read, "db.table", in order of appearance (innermost FROM of the first SELECT first).
void qualifyTables(const ASTPtr& ast, const std::string& db, const std::set<std::string>& ctes, std::vector<std::pair<std::string, std::string>>& tables) {
    if (!ast) return;
    if (auto* u = ast->as<ASTSelectWithUnion>()) {
        for (auto& s : u->selects) qualifyTables(s, db, ctes, tables);
        return;
    }
    if (auto* sq = ast->as<ASTSubquery>()) {
        qualifyTables(sq->query, db, ctes, tables);
        return;
    }
    if (auto* s = ast->as<ASTSelectQuery>()) {
        std::set<std::string> names = ctes;
        for (auto& w : s->with)
            if (auto* sub = w->as<ASTSubquery>(); sub && sub->cte) names.insert(sub->alias);
        if (s->from) {
            auto& te = *s->from;
            if (te.subquery) qualifyTables(te.subquery->query, db, names, tables);
            else if (!te.table.empty() && !(te.database.empty() && names.count(te.table))) {
                if (te.database.empty()) te.database = db;
                tables.push_back({te.database, te.table});
            }
        }
        for (auto& c : s->children()) qualifyTables(c, db, names, tables);
        return;
    }
    for (auto& c : ast->children()) qualifyTables(c, db, ctes, tables);
}

// The result's header of a view's SELECT: the SELECT over empty tables (also checks they exist).
// Sets ctx.saw_query_parameters when it has {name:Type} placeholders.
Block viewHeader(const ASTPtr& select, QueryContext& ctx) {
    bool saved = ctx.empty_sources;
    ctx.empty_sources = true;
    ctx.saw_query_parameters = false;
    try {
        QueryResult r = executeSelect(select, ctx);
        ctx.empty_sources = saved;
        return r.header;
    } catch (...) {
        ctx.empty_sources = saved;
        throw;
    }
}

// A materialized view's SELECT must produce only target columns, and aggregate states of the
// target's state types (THERE_IS_NO_COLUMN, CANNOT_CONVERT_TYPE at CREATE / MODIFY QUERY).
// (MODIFY QUERY, as ClickHouse, does not require the columns: unknown ones are dropped at INSERT.)
void checkAgainstTarget(const Block& header, const IStorage& target, bool require_columns = true) {
    for (auto& c : header.data()) {
        const auto* tc = target.metadata().find(c.name);
        if (!tc && !require_columns) continue;
        if (!tc)
            throw Exception(ErrorCodes::THERE_IS_NO_COLUMN, "SELECT query outputs column with name '" + c.name +
                                                                 "', which is not found in the target table. Use 'AS' to assign alias that matches a column name.");
        if (!c.type->equals(*tc->type) && (c.type->id == TypeId::AggregateFunction || tc->type->id == TypeId::AggregateFunction))
            throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Conversion from " + c.type->name() + " to " + tc->type->name() +
                                                                 " is not supported: while converting source column " + c.name + " to destination column " + tc->name);
    }
}

std::vector<std::shared_ptr<ASTColumnDeclaration>> columnsOf(const Block& header) {
    std::vector<std::shared_ptr<ASTColumnDeclaration>> cols;
    for (auto& c : header.data()) {
        auto d = std::make_shared<ASTColumnDeclaration>();
        d->name = c.name;
        d->type = c.type->name();
        cols.push_back(d);
    }
    return cols;
}

// The block the view's SELECT produces for `blocks` inserted into its source.
std::vector<Block> runViewQuery(const StorageMaterializedView& mv, const TableMetadata& source_md, const std::vector<Block>& blocks, QueryContext& ctx) {
    auto memory = std::make_shared<StorageMemory>(source_md);
    memory->write(blocks, ctx);
    std::string key = mv.sourceDatabase() + "." + mv.sourceTable();
    auto saved = ctx.table_overrides;
    ctx.table_overrides[key] = memory;
    try {
        QueryResult r = executeSelect(mv.query(), ctx);
        ctx.table_overrides = std::move(saved);
        std::vector<Block> out;
        for (auto& b : r.blocks)
            if (b.rows()) out.push_back(std::move(b));
        return out;
    } catch (...) {
        ctx.table_overrides = std::move(saved);
        throw;
    }
}

// The view's result blocks as INSERT blocks of `target`: columns matched by name, converted to the
// target's types; target columns the view does not produce get their defaults.
std::vector<Block> toTargetBlocks(const std::vector<Block>& result, const TableMetadata& target, QueryContext& ctx) {
    auto fctx = ctx.functionContext();
    std::vector<Block> out;
    for (auto& b : result) {
        Block nb;
        for (auto& c : target.columns) {
            if (c.default_kind == "ALIAS" || c.default_kind == "EPHEMERAL") continue;
            const auto* src = b.findByName(c.name);
            if (!src) continue;
            try {
                nb.insert({materialize(castColumn(src->column, src->type, c.type, fctx)), c.type, c.name});
            } catch (Exception& e) {
                e.addMessage(": while converting source column " + c.name + " to destination column " + c.name);
                throw;
            }
        }
        if (!nb.columns()) nb.setRowsWithoutColumns(b.rows());
        out.push_back(std::move(nb));
    }
    return out;
}

// A view's result as INSERT blocks of `target` (converted by name, defaults filled, constraints
// checked), empty blocks dropped.
std::vector<Block> blocksForTarget(const std::vector<Block>& result, const IStorage& target, QueryContext& ctx, const std::string& name) {
    auto complete = completeInsertBlocks(target.metadata(), toTargetBlocks(result, target.metadata(), ctx), ctx, name);
    std::vector<Block> out;
    for (auto& b : complete)
        if (b.rows()) out.push_back(std::move(b));
    return out;
}

struct PendingWrite {
    StoragePtr storage;
    std::vector<Block> blocks;
};

void collectWrites(const std::string& db, const std::string& table, StoragePtr storage, std::vector<Block> blocks, QueryContext& ctx,
                   std::vector<PendingWrite>& writes, int depth) {
    if (depth > 64) throw Exception(ErrorCodes::TOO_DEEP_RECURSION, "Materialized views nested too deeply (a cycle?) at " + db + "." + table);
    // An INSERT into a materialized view goes to its target.
    if (auto* mv = dynamic_cast<StorageMaterializedView*>(storage.get())) storage = mv->target(ctx);
    const TableMetadata& md = storage->metadata();
    for (auto& d : ctx.catalog->databases())
        for (auto& [name, s] : ctx.catalog->tables(d)) {
            auto* mv = dynamic_cast<StorageMaterializedView*>(s.get());
            if (!mv || mv->refreshable() || mv->sourceDatabase() != db || mv->sourceTable() != table) continue;
            try {
                auto result = runViewQuery(*mv, md, blocks, ctx);
                if (result.empty()) continue;
                StoragePtr target = mv->target(ctx);
                auto converted = blocksForTarget(result, *target, ctx, mv->targetName());
                auto [tdb, ttable] = mv->insertTarget(d, name);
                collectWrites(tdb, ttable, target, std::move(converted), ctx, writes, depth + 1);
            } catch (Exception& e) {
                e.addMessage(": while pushing to view " + d + "." + name);
                throw;
            }
        }
    writes.push_back({storage, std::move(blocks)});
}

}  // namespace

void insertBlocksByName(const std::string& db, const std::string& table, std::vector<Block> blocks, QueryContext& ctx) {
    StoragePtr t = ctx.catalog->getTable(db, table);
    auto complete = blocksForTarget(blocks, *t, ctx, db + "." + table);
    if (!complete.empty()) insertWithViews(db, table, t, std::move(complete), ctx);
}

void insertWithViews(const std::string& db, const std::string& table, const StoragePtr& storage, std::vector<Block> blocks, QueryContext& ctx) {
    PreparedWrites prepared;
    prepareWithViews(db, table, storage, std::move(blocks), ctx, prepared);
    commitPreparedWrites(prepared);
}

void prepareWithViews(const std::string& db, const std::string& table, const StoragePtr& storage, std::vector<Block> blocks, QueryContext& ctx,
                      PreparedWrites& prepared) {
    std::vector<PendingWrite> writes;
    collectWrites(db, table, storage, std::move(blocks), ctx, writes, 0);
    for (auto& w : writes) prepared.push_back(w.storage->prepareWrite(std::move(w.blocks), ctx));
}

void commitPreparedWrites(PreparedWrites& prepared) {
    if (prepared.size() == 1) {   // one storage's commit is atomic by itself: no intent record needed
        prepared[0]->commit();
        prepared[0]->finishCommit();
        return;
    }
    for (auto& p : prepared) p->prepareCommit();
    for (size_t i = 0; i < prepared.size(); ++i) {
        prepared[i]->commit();
        if (g_insert_commit_hook) g_insert_commit_hook(i + 1);
    }
    for (auto& p : prepared) p->finishCommit();
}

void setInsertCommitHookForTests(std::function<void(size_t)> hook) { g_insert_commit_hook = std::move(hook); }

std::shared_ptr<IStorage> createViewStorage(const std::shared_ptr<ASTCreateQuery>& q, QueryContext& ctx) {
    TableMetadata md = buildTableMetadata(*q, ctx);
    if (!q->as_select) throw Exception(ErrorCodes::INCORRECT_QUERY, "A view needs AS SELECT");
    StoragePtr s;
    if (q->what == ASTCreateQuery::What::View) {
        s = std::make_shared<StorageView>(std::move(md), q->as_select);
    } else {
        std::vector<std::pair<std::string, std::string>> tables;
        qualifyTables(q->as_select, q->database.empty() ? ctx.current_database : q->database, {}, tables);
        if (tables.empty())
            throw Exception(ErrorCodes::LOGICAL_ERROR, "Cannot find the source table of materialized view " + q->table);
        StoragePtr inner;
        std::string tdb = q->to_database, ttable = q->to_table;
        if (ttable.empty()) {
            if (!q->engine) throw Exception(ErrorCodes::INCORRECT_QUERY, "ENGINE or TO must be specified for a materialized view");
            // The inner table: the view's columns and storage clauses, data in the view's directory.
            if (q->uuid.empty()) q->uuid = generateUUIDv4();
            auto inner_q = std::make_shared<ASTCreateQuery>();
            inner_q->what = ASTCreateQuery::What::Table;
            inner_q->database = q->database;
            inner_q->table = ".inner_id." + q->uuid;
            inner_q->uuid = q->uuid;
            inner_q->columns = q->columns;
            inner_q->engine = q->engine;
            inner_q->partition_by = q->partition_by;
            inner_q->primary_key = q->primary_key;
            inner_q->order_by = q->order_by;
            inner_q->sample_by = q->sample_by;
            inner_q->ttl = q->ttl;
            inner_q->ttl_where = q->ttl_where;
            inner_q->engine_settings = q->engine_settings;
            inner = createStorageFromQuery(inner_q, ctx);
            // The inner table's settings (index_granularity default) show in the view's definition.
            q->engine_settings = inner_q->engine_settings;
        } else if (tdb.empty()) {
            tdb = q->database.empty() ? ctx.current_database : q->database;
        }
        auto mv = std::make_shared<StorageMaterializedView>(std::move(md), q->as_select, tables.front().first, tables.front().second, tdb, ttable, inner);
        if (!q->refresh_kind.empty()) {
            // A refreshable view: the whole SELECT on a schedule, into the target.
            auto seconds = [](uint64_t v, const std::string& unit) -> int64_t {
                static const std::pair<const char*, int64_t> units[] = {{"SECOND", 1}, {"MINUTE", 60}, {"HOUR", 3600}, {"DAY", 86400},
                                                                        {"WEEK", 7 * 86400}, {"MONTH", 30 * 86400}, {"YEAR", 365 * 86400}};
                for (auto& [n, s] : units)
                    if (unit == n) return int64_t(v) * s;
                return int64_t(v);
            };
            StorageMaterializedView::RefreshSpec spec;
            spec.every = q->refresh_kind == "EVERY";
            spec.period = seconds(q->refresh_value, q->refresh_unit);
            spec.offset = q->refresh_offset_unit.empty() ? 0 : seconds(q->refresh_offset_value, q->refresh_offset_unit);
            spec.append = q->refresh_append;
            Catalog* catalog = ctx.catalog;
            Settings settings = ctx.settings;
            std::string db = q->database.empty() ? ctx.current_database : q->database, name = q->table;
            bool append = spec.append;
            mv->setRefresh(spec, [catalog, settings, db, name, inner, tdb, ttable, append](const std::shared_ptr<ASTSelectWithUnion>& query) -> uint64_t {
                QueryContext lctx;
                lctx.settings = settings;
                lctx.catalog = catalog;
                lctx.current_database = db;
                MemoryTrackerScope scope(lctx.memory.get());
                QueryResult r = executeSelect(query, lctx);
                StoragePtr t = inner ? inner : catalog->getTable(tdb, ttable);
                auto nonempty = blocksForTarget(r.blocks, *t, lctx, db + "." + name);
                uint64_t rows = 0;
                for (auto& b : nonempty) rows += b.rows();
                if (append) {
                    if (!nonempty.empty()) insertWithViews(inner ? db : tdb, inner ? name : ttable, t, std::move(nonempty), lctx);
                } else {
                    t->prepareReplace(std::move(nonempty), lctx)->commit();
                }
                return rows;
            });
        }
        s = mv;
    }
    s->create_query = q;
    return s;
}

void Session::alterViewQuery(const std::string& db, const std::string& table, StorageMaterializedView& mv,
                             const std::shared_ptr<ASTSelectWithUnion>& query, QueryContext& ctx) {
    auto select = std::static_pointer_cast<ASTSelectWithUnion>(query->clone());
    std::vector<std::pair<std::string, std::string>> tables;
    qualifyTables(select, db, {}, tables);
    if (tables.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "The new query of materialized view " + db + "." + table + " reads no table");
    Block header = viewHeader(select, ctx);
    checkAgainstTarget(header, *mv.target(ctx), false);
    mv.setQuery(select, tables.front().first, tables.front().second);
    if (mv.create_query) {
        mv.create_query->as_select = select;
        mv.create_query->columns = columnsOf(header);
    }
    catalog_.updateTableMetadata(db, table);
}

void Session::executeCreateView(std::shared_ptr<ASTCreateQuery> q, QueryContext& ctx) {
    if (!claimNewTable(*q, ctx)) return;
    std::string db = q->database;
    if (!q->as_select) throw Exception(ErrorCodes::INCORRECT_QUERY, "A view needs AS SELECT");
    bool materialized = q->what == ASTCreateQuery::What::MaterializedView;
    if (materialized && !q->refresh_kind.empty() && q->populate)
        throw Exception(ErrorCodes::INCORRECT_QUERY, "POPULATE is not supported with REFRESH");
    if (materialized && q->populate && !q->to_table.empty())
        throw Exception(ErrorCodes::INCORRECT_QUERY, "POPULATE is not supported with TO clause");
    std::vector<std::pair<std::string, std::string>> tables;
    qualifyTables(q->as_select, db, {}, tables);
    Block header = viewHeader(q->as_select, ctx);
    // A parameterized view has no fixed columns (ClickHouse shows none).
    if (q->columns.empty() && !ctx.saw_query_parameters) q->columns = columnsOf(header);
    StoragePtr target;
    if (materialized && !q->to_table.empty()) {
        if (q->to_database.empty()) q->to_database = db;
        target = catalog_.getTable(q->to_database, q->to_table);
        if (!q->refresh_kind.empty() && !q->refresh_append)
            for (auto& d : catalog_.databases())
                for (auto& [n, s] : catalog_.tables(d))
                    if (auto* other = dynamic_cast<StorageMaterializedView*>(s.get());
                        other && other->refreshable() && !other->hasInnerTable() && other->targetName() == q->to_database + "." + q->to_table)
                        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Table " + q->to_database + "." + q->to_table +
                                                                       " is already a target of another refreshable materialized view: " + d + "." + n + ".");
        checkAgainstTarget(header, *target);
    }
    auto storage = createViewStorage(q, ctx);
    if (materialized && q->populate) {
        // Existing rows of the source, through the view, into its (new, inner) table.
        auto* mv = static_cast<StorageMaterializedView*>(storage.get());
        QueryResult r = executeSelect(q->as_select, ctx);
        StoragePtr t = mv->target(ctx);
        auto nonempty = blocksForTarget(r.blocks, *t, ctx, db + "." + q->table);
        try {
            if (!nonempty.empty()) t->write(std::move(nonempty), ctx);
        } catch (...) {
            storage->drop();
            throw;
        }
    }
    // Stored (and shown) as a plain CREATE, as ClickHouse does.
    bool or_replace = q->or_replace, if_not_exists = q->if_not_exists;
    q->or_replace = q->if_not_exists = q->populate = false;
    StoragePtr replaced = or_replace ? catalog_.tryGetTable(db, q->table) : nullptr;
    try {
        catalog_.addTable(db, q->table, storage, if_not_exists, or_replace);
    } catch (...) {
        storage->drop();
        throw;
    }
    if (replaced && replaced != storage) replaced->drop();
    // A refreshable view fills its target at once unless created EMPTY (errors are kept in
    // system.view_refreshes, as a background refresh's would be).
    if (auto* mv = dynamic_cast<StorageMaterializedView*>(storage.get()); mv && mv->refreshable() && !q->empty) mv->refreshNow();
}

}  // namespace basalt
