// interpreter.h — Session: runs parsed statements against the catalog. One Session per client
// connection (or per `basalt local` process); it owns the session settings and current database.
// Every statement is atomic from the user's point of view: INSERT and CREATE ... AS SELECT either
// publish all their rows or none.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "formats/format.h"
#include "interpreter/context.h"
#include "interpreter/select.h"
#include "sql/ast.h"
#include "storage/storage.h"

namespace basalt {

class Catalog;

struct StatementOutput {
    bool has_result = false;       // SELECT-like statements produce a result to format
    QueryResult result;
    std::string format;            // FORMAT clause, or "" for the caller's default
};

class StorageMaterializedView;
struct ASTSelectWithUnion;

class Session {
public:
    explicit Session(Catalog& catalog);

    // Runs one statement. Result sets are returned for formatting by the caller.
    StatementOutput execute(const ParsedStatement& stmt);
    // Parses `sql` and runs it (convenience for tests and tools).
    StatementOutput execute(const std::string& sql);

    Settings& settings() { return settings_; }
    const std::string& currentDatabase() const { return current_database_; }
    Catalog& catalog() { return catalog_; }

    // Formats a result with `format` into a string (tests, HTTP handler).
    std::string formatResult(const StatementOutput& out, const std::string& default_format);

private:
    StatementOutput dispatch(const ASTPtr& ast, QueryContext& ctx, const QueryOutputOptions& output);
    void executeInsert(const ASTInsertQuery& q, QueryContext& ctx);
    void executeCreate(const ASTCreateQuery& q, QueryContext& ctx);
    void executeAlter(const ASTAlterQuery& q, QueryContext& ctx);
    // CREATE [OR REPLACE] VIEW / CREATE MATERIALIZED VIEW [TO t | ENGINE ...] [POPULATE] (views.cpp).
    void executeCreateView(std::shared_ptr<ASTCreateQuery> q, QueryContext& ctx);
    bool claimNewTable(ASTCreateQuery& q, QueryContext& ctx);
    // ALTER TABLE mv MODIFY QUERY (views.cpp).
    void alterViewQuery(const std::string& db, const std::string& table, StorageMaterializedView& mv,
                        const std::shared_ptr<ASTSelectWithUnion>& query, QueryContext& ctx);

    Catalog& catalog_;
    Settings settings_;
    std::string current_database_ = "default";
};

// Columns, defaults and constraints of a CREATE TABLE statement, validated (types, DEFAULT
// expressions, CHECK constraints).
TableMetadata buildTableMetadata(const ASTCreateQuery& q, QueryContext& ctx);
// Creates the storage described by a CREATE TABLE statement (used by Session and catalog loading).
std::shared_ptr<IStorage> createStorageFromQuery(const std::shared_ptr<ASTCreateQuery>& q, QueryContext& ctx);
// Fills defaults / MATERIALIZED columns of INSERT blocks and checks the table's CONSTRAINTs.
std::vector<Block> completeInsertBlocks(const TableMetadata& md, std::vector<Block> input, QueryContext& ctx, const std::string& table_name);
// Writes complete blocks into db.table and runs the materialized views whose source it is (and
// theirs, in cascade); the source's rows and every view's rows are published together or, when
// anything fails, not at all (views.cpp).
void insertWithViews(const std::string& db, const std::string& table, const std::shared_ptr<IStorage>& storage, std::vector<Block> blocks,
                     QueryContext& ctx);
// Dictionary storage (engine Dictionary) from a CREATE DICTIONARY statement (dictionaries.cpp).
std::shared_ptr<IStorage> createDictionaryStorage(const std::shared_ptr<ASTCreateQuery>& q, QueryContext& ctx);
// Tests only: `hook(n)` runs after the n-th storage of a multi-table INSERT is committed.
void setInsertCommitHookForTests(std::function<void(size_t)> hook);
// INSERT of blocks shaped like another table's into db.table: columns matched by name and converted,
// defaults filled, views run (Buffer flushes).
void insertBlocksByName(const std::string& db, const std::string& table, std::vector<Block> blocks, QueryContext& ctx);
// View / MaterializedView storage from a CREATE VIEW statement with its column list (views.cpp).
std::shared_ptr<IStorage> createViewStorage(const std::shared_ptr<ASTCreateQuery>& q, QueryContext& ctx);
// Builds the process catalog: system tables registered, persisted metadata loaded from `path`.
std::unique_ptr<Catalog> openCatalog(const std::string& path);

}  // namespace basalt
