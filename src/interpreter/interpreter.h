// interpreter.h — Session: runs parsed statements against the catalog. One Session per client
// connection (or per `basalt local` process); it owns the session settings and current database.
// Every statement is atomic from the user's point of view: INSERT and CREATE ... AS SELECT either
// publish all their rows or none.
#pragma once
#include <functional>
#include <map>
#include <mutex>
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

// A ResultSink that formats rows as they arrive: `format` (the statement's FORMAT, else the
// caller's default) created at begin(), its suffix written by finish().
class FormattingSink final : public ResultSink {
public:
    FormattingSink(std::string format, FormatSettings settings, WriteCallback write)
        : format_(std::move(format)), settings_(std::move(settings)), write_(std::move(write)) {}
    void begin(const Block& header) override;
    void write(const Block& block) override;
    void writeTotals(const Block& totals) override;
    // Suffix (JSON statistics, ...) and flush; nothing when begin() never ran (no result set).
    void finish(const OutputStatistics& stats);
    bool begun() const { return writer_ != nullptr; }
    const std::string& format() const { return format_; }
    // Rows and bytes (of the blocks) written so far.
    uint64_t rows() const { return rows_; }
    uint64_t bytes() const { return bytes_; }

private:
    std::string format_;
    FormatSettings settings_;
    WriteCallback write_;
    std::unique_ptr<IOutputFormat> writer_;
    uint64_t rows_ = 0, bytes_ = 0;
};

// The data of an INSERT that arrives while the statement runs (an HTTP body, native Data
// packets), one piece per call: `text` holds whole rows in the statement's FORMAT (with the
// format's header rows in front, if it has them), or `blocks` holds client blocks. False at the end.
class InsertDataSource {
public:
    virtual ~InsertDataSource() = default;
    virtual bool next(std::string& text, std::vector<Block>& blocks) = 0;
};

class StorageMaterializedView;
struct ASTSelectWithUnion;

// Who runs a session's statements: recorded in system.query_log (set by the network servers).
struct ClientInfo {
    std::string user = "default";
    std::string address;              // "ip:port" of the client
    std::string interface = "Local";  // "TCP", "HTTP", "Local"
    std::string client_name;
};

class Session {
public:
    explicit Session(Catalog& catalog);

    // Runs one statement. Result sets are returned for formatting by the caller.
    StatementOutput execute(const ParsedStatement& stmt);
    // Same, delivering any result set to `sink` instead: streamed while the query runs when the
    // query allows it, else handed over whole at the end; the returned result keeps only its
    // header and totals (max_result_rows is enforced on the way).
    StatementOutput execute(const ParsedStatement& stmt, ResultSink* sink);
    // Parses `sql` and runs it (convenience for tests and tools).
    StatementOutput execute(const std::string& sql);

    Settings& settings() { return settings_; }
    const std::string& currentDatabase() const { return current_database_; }
    Catalog& catalog() { return catalog_; }

    // Formats a result with `format` into a string (tests, HTTP handler).
    std::string formatResult(const StatementOutput& out, const std::string& default_format);
    // Same, handing the text to `write` piece by piece (the HTTP handler streams it).
    void writeResult(const StatementOutput& out, const std::string& default_format, const WriteCallback& write);

    ClientInfo& clientInfo() { return client_; }
    // The next statement's id (system.query_log); cleared after it runs. Empty: one is generated.
    void setQueryId(std::string id) { query_id_ = std::move(id); }
    const std::string& lastQueryId() const { return last_query_id_; }
    // Values of {name:Type} placeholders for the following statements (HTTP param_name).
    std::map<std::string, std::string>& queryParameters() { return query_parameters_; }
    // What the last statement read and wrote (HTTP X-ClickHouse-Summary, native Progress).
    struct Counters { uint64_t read_rows = 0, read_bytes = 0, written_rows = 0, written_bytes = 0; };
    const Counters& lastCounters() const { return last_counters_; }
    // What the running statement has read and written so far (zeros when none runs).
    Counters runningCounters();
    // Format settings from the session's settings (output formats, HTTP and local results).
    FormatSettings formatSettings() const;
    // Cancels the statement running in this session from another thread (QUERY_WAS_CANCELLED).
    void cancel();
    // Tables the client sent with its next statement (native protocol external tables): readable
    // by that statement under these names in the current database, then gone.
    void setExternalTables(std::map<std::string, std::shared_ptr<IStorage>> tables) { external_tables_ = std::move(tables); }

    // INSERT whose rows arrive as blocks (native protocol): the columns the client must send, in
    // order (the statement's column list, or every insertable column) ...
    Block insertHeader(const ParsedStatement& stmt);
    // ... and the insert itself: columns matched by name and converted to the table's types,
    // defaults filled, views run, all blocks published together.
    void insertBlocks(const ParsedStatement& stmt, std::vector<Block> blocks);
    // An INSERT (without inline data) whose data comes from `source` piece by piece: pieces are
    // parsed, completed and prepared (MergeTree parts written to temporary directories) as they
    // arrive, about max_insert_block_size rows at a time; all are published together at the end,
    // or none (an error, a cancel). Memory stays bounded by a piece for MergeTree tables.
    StatementOutput insertFrom(const ParsedStatement& stmt, InsertDataSource& source);

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
    ClientInfo client_;
    std::string query_id_, last_query_id_;
    std::map<std::string, std::string> query_parameters_;
    Counters last_counters_;
    InsertDataSource* insert_source_ = nullptr;       // insertFrom: where the INSERT's data comes from
    std::map<std::string, std::shared_ptr<IStorage>> external_tables_;   // for the next statement only
    ResultSink* result_sink_ = nullptr;               // the running statement's sink, taken by its SELECT
    std::mutex running_mutex_;
    QueryContext* running_ = nullptr;                 // the statement in progress (cancel())
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
// The same in two steps, for an INSERT whose data arrives in pieces: each piece's writes (the
// table's and its views') are prepared (MergeTree parts written to temporary directories) ...
using PreparedWrites = std::vector<std::unique_ptr<IStorage::PreparedWrite>>;
void prepareWithViews(const std::string& db, const std::string& table, const std::shared_ptr<IStorage>& storage, std::vector<Block> blocks,
                      QueryContext& ctx, PreparedWrites& prepared);
// ... and all are published together at the end (in preparation order).
void commitPreparedWrites(PreparedWrites& prepared);
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
