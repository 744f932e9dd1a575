// interpreter.cpp — statement dispatch: SELECT, INSERT, DDL (CREATE/DROP/TRUNCATE/RENAME/EXCHANGE),
// SHOW, DESCRIBE, USE, SET, EXPLAIN.
#include "interpreter/interpreter.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <utility>
#include <random>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>
#include <set>
#include <sstream>

#include "analyzer/analyzer.h"
#include "cluster/cluster_functions.h"
#include "cluster/distributed_ddl.h"
#include "cluster/storage_distributed.h"
#include "common/exception.h"
#include "common/periodic.h"
#include "common/string_utils.h"
#include "exec/block_ops.h"
#include "replication/replicated_merge_tree.h"
#include "functions/cast.h"
#include "sql/parser.h"
#include "dictionaries/dictionary.h"
#include "storage/catalog.h"
#include "storage/file.h"
#include "storage/memory.h"
#include "storage/mergetree/storage_mergetree.h"
#include "storage/numbers.h"
#include "storage/special_engines.h"
#include "storage/system_tables.h"
#include "storage/view.h"
#include "types/create_column.h"
#include "types/nested.h"

namespace basalt {

namespace {

Block oneColumnBlock(const std::string& name, const std::vector<std::string>& values) {
    auto c = ColumnString::create();
    for (auto& v : values) c->insertData(v);
    Block b;
    b.insert({c, makeType(TypeId::String), name});
    return b;
}

StatementOutput blockOutput(Block b, const QueryOutputOptions& output) {
    StatementOutput o;
    o.has_result = true;
    o.format = output.format;
    o.result.header = b.cloneEmpty();
    if (b.rows()) o.result.blocks.push_back(std::move(b));
    return o;
}

// Evaluates constant table-function arguments.
std::vector<Field> constantArgs(const ASTFunction& fn, QueryContext& ctx) {
    Analyzer a(ctx, [&](const ASTPtr& q, size_t) {
        auto r = executeSelect(q, ctx);
        return r.blocks.empty() ? r.header : concatBlocks(r.blocks, r.header);
    });
    std::vector<Field> r;
    for (auto& arg : fn.arguments) {
        if (auto* id = arg->as<ASTIdentifier>()) { r.push_back(Field(id->name())); continue; }   // format(CSV, ...)
        r.push_back(a.evaluateConstant(arg, ("table function " + fn.name + " arguments").c_str()));
    }
    return r;
}

uint64_t fieldUInt(const Field& f, const std::string& fn) {
    if (f.is<uint64_t>()) return f.get<uint64_t>();
    if (f.is<int64_t>() && f.get<int64_t>() >= 0) return uint64_t(f.get<int64_t>());
    throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type of argument of table function " + fn + ": expected unsigned integer, got " + f.toSQL());
}
std::string fieldString(const Field& f, const std::string& fn) {
    if (f.is<std::string>()) return f.get<std::string>();
    throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type of argument of table function " + fn + ": expected string, got " + f.toSQL());
}

// "a UInt8, b String" -> columns.
std::vector<ColumnDescription> parseStructure(const std::string& s) {
    std::vector<ColumnDescription> cols;
    size_t i = 0, depth = 0, start = 0;
    auto flush = [&](size_t end) {
        std::string part = s.substr(start, end - start);
        size_t b = part.find_first_not_of(" \t\n");
        if (b == std::string::npos) return;
        part = part.substr(b);
        size_t sp = part.find_first_of(" \t\n");
        if (sp == std::string::npos) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Structure element must be 'name Type': " + part);
        std::string name = part.substr(0, sp);
        if (name.size() >= 2 && name.front() == '`' && name.back() == '`') name = name.substr(1, name.size() - 2);
        cols.push_back({name, parseDataType(part.substr(sp + 1)), "", nullptr, "", ""});
    };
    bool in_str = false;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\'') in_str = !in_str;
        if (in_str) continue;
        if (c == '(') ++depth;
        else if (c == ')') --depth;
        else if (c == ',' && depth == 0) { flush(i); start = i + 1; }
    }
    flush(s.size());
    if (cols.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Empty structure");
    return cols;
}

std::shared_ptr<IStorage> memoryWith(std::vector<ColumnDescription> cols, std::vector<Block> blocks, QueryContext& ctx) {
    TableMetadata md;
    md.columns = std::move(cols);
    auto s = std::make_shared<StorageMemory>(md);
    s->write(std::move(blocks), ctx);
    return s;
}

std::shared_ptr<IStorage> tableFromFormat(const std::string& fn, const std::string& format, const std::string& data,
                                          const std::string* structure, QueryContext& ctx) {
    FormatSettings fs = ctx.formatSettings();
    std::vector<ColumnDescription> cols;
    if (structure) cols = parseStructure(*structure);
    else for (auto& [n, t] : inferSchema(format, data, fs)) cols.push_back({n, t, "", nullptr, "", ""});
    Block header;
    for (auto& c : cols) header.insert({createColumn(c.type), c.type, c.name});
    auto blocks = parseInputFormat(format, data, header, fs, ctx.settings.max_block_size);
    (void)fn;
    return memoryWith(cols, std::move(blocks), ctx);
}

}  // namespace

std::shared_ptr<IStorage> createTableFunction(const ASTFunction& fn, QueryContext& ctx) {
    std::string name = fn.name;
    if (isClusterTableFunction(name)) return createClusterTableFunction(fn, ctx);
    if (name == "merge") {
        // merge(['db',] 'regexp'): the union of the matching tables, with the first one's structure.
        std::vector<std::string> args;
        for (auto& a : fn.arguments) {
            if (auto* lit = a->as<ASTLiteral>(); lit && lit->value.is<std::string>()) args.push_back(lit->value.get<std::string>());
            else if (auto* f = a->as<ASTFunction>(); f && f->name == "currentDatabase") args.push_back(ctx.current_database);
            else if (auto* id = a->as<ASTIdentifier>()) args.push_back(id->name());
            else throw Exception(ErrorCodes::BAD_ARGUMENTS, "Arguments of table function merge must be constants");
        }
        if (args.empty() || args.size() > 2) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Table function 'merge' requires from 1 to 2 parameters: [db_name,] tables_regexp");
        std::string db = args.size() == 2 ? args[0] : ctx.current_database, re = args.back();
        TableMetadata probe_md;
        probe_md.columns.push_back({"_dummy", makeType(TypeId::UInt8), "", nullptr, "", ""});
        auto tables = StorageMerge(probe_md, db, re, ctx.catalog).tables();
        if (tables.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Table function merge: no table in " + db + " matches " + re);
        TableMetadata md;
        for (auto& c : tables.front().second->metadata().columns)
            if (c.default_kind.empty() || c.default_kind == "DEFAULT") md.columns.push_back(c);
        return std::make_shared<StorageMerge>(md, db, re, ctx.catalog);
    }
    if (name == "dictionary") {
        // dictionary('[db.]name'): the dictionary's rows.
        auto* lit = fn.arguments.size() == 1 ? fn.arguments[0]->as<ASTLiteral>() : nullptr;
        if (!lit || !lit->value.is<std::string>())
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Table function 'dictionary' requires 1 argument: the dictionary name");
        auto dict = ctx.functionContext().find_dictionary(lit->value.get<std::string>());
        if (!dict) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Dictionary (`" + lit->value.get<std::string>() + "`) not found");
        return ctx.catalog->getTable(dict->database(), dict->name());
    }
    std::vector<Field> args = constantArgs(fn, ctx);
    if (name == "numbers" || name == "numbers_mt" || name == "zeros" || name == "zeros_mt") {
        bool zeros = startsWith(name, "zeros");
        if (args.empty() || args.size() > (zeros ? 1 : 3))
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Table function '" + name + "' requires 'length' or 'offset, length'.");
        if (args.size() == 1) return std::make_shared<StorageNumbers>(0, fieldUInt(args[0], name), zeros);
        return std::make_shared<StorageNumbers>(fieldUInt(args[0], name), fieldUInt(args[1], name), zeros);
    }
    if (name == "values") {
        if (args.empty()) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Table function 'values' requires at least 1 argument");
        std::vector<ColumnDescription> cols;
        size_t first = 0;
        if (args.size() > 1 && args[0].is<std::string>()) {
            try { cols = parseStructure(args[0].get<std::string>()); first = 1; } catch (const Exception&) { cols.clear(); }
        }
        auto fctx = ctx.functionContext();
        if (cols.empty()) {
            // Types inferred from the literals: tuples give c1..cN, scalars give c1.
            const Field& f0 = args[0];
            size_t n = f0.is<FieldTuple>() ? f0.get<FieldTuple>().items.size() : 1;
            for (size_t c = 0; c < n; ++c) {
                DataTypes ts;
                for (auto& a : args) {
                    if (a.is<FieldTuple>() && a.get<FieldTuple>().items.size() == n) ts.push_back(literalType(a.get<FieldTuple>().items[c]));
                    else if (n == 1) ts.push_back(literalType(a));
                    else throw Exception(ErrorCodes::BAD_ARGUMENTS, "Elements of table function 'values' must have the same number of columns");
                }
                cols.push_back({"c" + std::to_string(c + 1), getLeastSupertype(ts), "", nullptr, "", ""});
            }
        }
        std::vector<MutableColumnPtr> data;
        for (auto& c : cols) data.push_back(createColumn(c.type));
        for (size_t i = first; i < args.size(); ++i) {
            const Field& a = args[i];
            std::vector<Field> row;
            if (cols.size() == 1 && !(a.is<FieldTuple>() && a.get<FieldTuple>().items.size() == 1)) row = {a};
            else if (a.is<FieldTuple>()) row = a.get<FieldTuple>().items;
            else row = {a};
            if (row.size() != cols.size())
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Expected " + std::to_string(cols.size()) + " values in a row of table function 'values'");
            for (size_t c = 0; c < cols.size(); ++c) {
                ColumnPtr v = castField(row[c], literalType(row[c]), cols[c].type, fctx);
                data[c]->insertFrom(*materialize(v), 0);
            }
        }
        Block b;
        for (size_t c = 0; c < cols.size(); ++c) b.insert({data[c], cols[c].type, cols[c].name});
        return memoryWith(cols, {b}, ctx);
    }
    if (name == "format") {
        if (args.size() < 2 || args.size() > 3) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Table function 'format' requires 2 or 3 arguments");
        std::string fmt = fieldString(args[0], name);
        std::string structure;
        if (args.size() == 3) structure = fieldString(args[1], name);
        return tableFromFormat(name, fmt, fieldString(args.back(), name), args.size() == 3 ? &structure : nullptr, ctx);
    }
    if (name == "file") {
        if (args.empty() || args.size() > 3) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Table function 'file' requires 1 to 3 arguments");
        std::string path = fieldString(args[0], name);
        std::string fmt = args.size() >= 2 ? fieldString(args[1], name) : "";
        if (fmt.empty() || fmt == "auto") {
            std::string ext = path.substr(path.find_last_of('.') == std::string::npos ? path.size() : path.find_last_of('.') + 1);
            ext = toLower(ext);
            fmt = ext == "csv" ? "CSV" : ext == "tsv" ? "TSV" : (ext == "json" || ext == "jsonl" || ext == "ndjson") ? "JSONEachRow" : "TSV";
        }
        if (!isInputFormat(fmt)) throw Exception(ErrorCodes::UNKNOWN_FORMAT, "Unknown input format " + fmt);
        auto file = std::make_shared<MappedFile>(path);
        FormatSettings fs = ctx.formatSettings();
        std::vector<ColumnDescription> cols;
        if (args.size() == 3) cols = parseStructure(fieldString(args[2], name));
        else for (auto& [n, t] : inferSchema(fmt, file->data(), fs)) cols.push_back({n, t, "", nullptr, "", ""});
        // Parsed while the query reads (in parallel for line-based formats).
        return std::make_shared<StorageFile>(file, fmt, std::move(cols), fs);
    }
    throw Exception(ErrorCodes::UNKNOWN_FUNCTION, "Unknown table function " + name);
}

// ---------------------------------------------------------------- storage creation
std::string generateUUIDv4();
namespace {
std::string generateUUIDv4Impl() {
    static std::mutex m;
    static std::mt19937_64 rng{std::random_device{}() ^ uint64_t(std::chrono::steady_clock::now().time_since_epoch().count())};
    uint64_t hi, lo;
    {
        std::lock_guard lock(m);
        hi = rng();
        lo = rng();
    }
    hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x4000;             // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;   // variant 1
    char buf[40];
    snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32), unsigned((hi >> 16) & 0xFFFF), unsigned(hi & 0xFFFF),
             unsigned(lo >> 48), (unsigned long long)(lo & 0xFFFFFFFFFFFFULL));
    return buf;
}
}  // namespace
std::string generateUUIDv4() { return generateUUIDv4Impl(); }
namespace {
}  // namespace

// `n Nested(a T1, b T2)` becomes the declarations `n.a Array(T1)`, `n.b Array(T2)` (ClickHouse's
// flatten_nested = 1), so SHOW CREATE and the stored definition show the flattened columns.
void flattenNestedDeclarations(ASTCreateQuery& q) {
    std::vector<std::shared_ptr<ASTColumnDeclaration>> out;
    for (auto& c : q.columns) {
        if (!isNestedTypeText(c->type)) { out.push_back(c); continue; }
        if (c->default_expr || c->null_modifier)
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Nested column " + c->name + " cannot have a default expression or a NULL modifier");
        for (auto& [name, type] : flattenNestedType(c->name, c->type)) {
            auto d = std::make_shared<ASTColumnDeclaration>(*c);
            d->name = name;
            d->type = type->name();
            out.push_back(d);
        }
    }
    q.columns = std::move(out);
}

TableMetadata buildTableMetadata(const ASTCreateQuery& query, QueryContext& ctx) {
    const ASTCreateQuery* q = &query;
    TableMetadata md;
    md.comment = q->comment;
    Analyzer analyzer(ctx, [&](const ASTPtr& sq, size_t) {
        auto r = executeSelect(sq, ctx);
        return r.blocks.empty() ? r.header : concatBlocks(r.blocks, r.header);
    });
    for (auto& c : q->columns) {
        ColumnDescription d;
        d.name = c->name;
        if (md.find(d.name)) throw Exception(ErrorCodes::DUPLICATE_COLUMN, "Column " + d.name + " already exists");
        d.default_kind = c->default_kind;
        d.default_expr = c->default_expr;
        d.codec = c->codec;
        d.comment = c->comment;
        if (!c->type.empty()) {
            d.type = parseDataType(c->type);
            if (c->null_modifier && *c->null_modifier) d.type = makeNullable(d.type);
        } else if (c->default_expr) {
            Scope scope;
            for (auto& prev : md.columns) scope.columns.push_back({prev.name, prev.type});
            d.type = analyzer.analyze(c->default_expr, scope)->type;
        } else {
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Column " + d.name + " has neither type nor default expression");
        }
        md.columns.push_back(d);
    }
    // Check DEFAULT expressions are valid against the table's columns.
    for (auto& d : md.columns) {
        if (!d.default_expr) continue;
        Scope scope;
        for (auto& other : md.columns) if (&other != &d) scope.columns.push_back({other.name, other.type});
        auto n = analyzer.analyze(d.default_expr, scope);
        (void)n;
    }
    for (auto& c : q->constraints) {
        if (c->type != "CHECK") continue;
        md.constraints.push_back({c->name, c->expr});
        Scope scope;
        for (auto& col : md.columns) scope.columns.push_back({col.name, col.type});
        analyzer.analyze(c->expr, scope);
    }
    return md;
}

// Set and Join keep their rows on disk unless `SETTINGS persistent = 0` (as ClickHouse); only a
// catalog with a data path persists anything.
std::string persistentDataDir(ASTCreateQuery& q, QueryContext& ctx) {
    for (auto& [n, v] : q.engine_settings) {
        if (n == "join_use_nulls" && q.engine->name == "Join") continue;
        if (n != "persistent") throw Exception(ErrorCodes::UNKNOWN_SETTING, "Unknown setting '" + n + "' for storage " + q.engine->name);
        if (v.toSQL() == "0") return "";
    }
    if (!ctx.catalog || ctx.catalog->dataPath().empty()) return "";
    if (q.uuid.empty()) q.uuid = generateUUIDv4();
    return ctx.catalog->tableDataDir(q.uuid);
}

namespace {
bool isMergeTreeFamily(const std::string& engine) {
    return engine == "MergeTree" || engine == "ReplacingMergeTree" || engine == "SummingMergeTree" || engine == "AggregatingMergeTree" ||
           engine == "CollapsingMergeTree" || engine == "VersionedCollapsingMergeTree";
}
}  // namespace

std::shared_ptr<IStorage> createStorageFromQuery(const std::shared_ptr<ASTCreateQuery>& q, QueryContext& ctx) {
    if (q->what == ASTCreateQuery::What::View || q->what == ASTCreateQuery::What::MaterializedView) return createViewStorage(q, ctx);
    if (q->what == ASTCreateQuery::What::Dictionary) return createDictionaryStorage(q, ctx);
    flattenNestedDeclarations(*q);
    TableMetadata md = buildTableMetadata(*q, ctx);
    std::string engine = q->engine ? q->engine->name : "Memory";
    StoragePtr s;
    if (engine == "Memory") s = std::make_shared<StorageMemory>(md);
    else if (isMergeTreeFamily(engine) || (engine.rfind("Replicated", 0) == 0 && isMergeTreeFamily(engine.substr(10)))) {
        bool uuid_given = !q->uuid.empty();
        if (q->uuid.empty()) q->uuid = generateUUIDv4();
        if (!ctx.catalog) throw Exception(ErrorCodes::LOGICAL_ERROR, "MergeTree table without a catalog");
        auto mt = std::make_shared<StorageMergeTree>(md, q, ctx.catalog->tableDataDir(q->uuid), ctx);
        if (mt->isReplicatedEngine())
            mt->setReplication(makeReplicatedMergeTree(*mt, q->database.empty() ? ctx.current_database : q->database, q->table, q->uuid, uuid_given));
        mt->startup();
        s = mt;
    } else if (engine == "Null") {
        s = std::make_shared<StorageNull>(md);
    } else if (engine == "Set") {
        s = std::make_shared<StorageSet>(md, persistentDataDir(*q, ctx));
    } else if (engine == "Join") {
        // Join(ANY | ALL, LEFT | INNER | ..., key, ...)
        auto& args = q->engine->arguments;
        auto word = [](const ASTPtr& a) {
            if (auto* id = a->as<ASTIdentifier>()) return id->name();
            if (auto* lit = a->as<ASTLiteral>(); lit && lit->value.is<std::string>()) return lit->value.get<std::string>();
            return a->formatSQL(false);
        };
        if (args.size() < 3)
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Storage Join requires at least 3 parameters: Join(ANY|ALL|SEMI|ANTI, LEFT|INNER|RIGHT, keys...).");
        std::string strictness = toUpper(word(args[0]));
        if (strictness != "ANY" && strictness != "ALL" && strictness != "SEMI" && strictness != "ANTI")
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "First parameter of storage Join must be ANY or ALL or SEMI or ANTI (without quotes).");
        std::string kind = toUpper(word(args[1]));
        if (kind != "LEFT" && kind != "INNER" && kind != "RIGHT" && kind != "FULL")
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Second parameter of storage Join must be LEFT or INNER or RIGHT or FULL (without quotes).");
        if ((strictness == "SEMI" || strictness == "ANTI") && kind != "LEFT" && kind != "RIGHT")
            throw Exception(ErrorCodes::BAD_ARGUMENTS, strictness + " JOIN is supported only with LEFT or RIGHT kind");
        if (strictness == "ANY" && kind == "FULL") throw Exception(ErrorCodes::NOT_IMPLEMENTED, "ANY FULL JOINs are not implemented");
        std::vector<std::string> keys;
        for (size_t i = 2; i < args.size(); ++i) keys.push_back(word(args[i]));
        std::string db = q->database.empty() ? ctx.current_database : q->database;
        bool use_nulls = false;
        for (auto& [n, v] : q->engine_settings)
            if (n == "join_use_nulls") use_nulls = v.toSQL() != "0";
        auto sj = std::make_shared<StorageJoin>(md, db, q->table, keys, strictness == "ANY", persistentDataDir(*q, ctx), use_nulls);
        sj->setSpec({strictness, kind, keys, use_nulls});
        s = sj;
    } else if (engine == "Buffer") {
        // Buffer(db, table, num_layers, min_time, max_time, min_rows, max_rows, min_bytes, max_bytes)
        auto& args = q->engine->arguments;
        if (args.size() != 9)
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Storage Buffer requires from 9 to 12 parameters: destination_database, destination_table, num_buckets, min_time, max_time, min_rows, max_rows, min_bytes, max_bytes[, flush_time, flush_rows, flush_bytes].");
        auto text = [&](const ASTPtr& a) -> std::string {
            if (auto* lit = a->as<ASTLiteral>(); lit && lit->value.is<std::string>()) return lit->value.get<std::string>();
            if (auto* f = a->as<ASTFunction>(); f && (f->name == "currentDatabase" || f->name == "DATABASE")) return ctx.current_database;
            if (auto* id = a->as<ASTIdentifier>()) return id->name();
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Destination of storage Buffer must be a name: " + a->formatSQL(false));
        };
        auto num = [&](const ASTPtr& a) -> uint64_t {
            auto* lit = a->as<ASTLiteral>();
            if (!lit || !(lit->value.is<uint64_t>() || lit->value.is<int64_t>())) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Parameters of storage Buffer must be numbers");
            return lit->value.is<uint64_t>() ? lit->value.get<uint64_t>() : uint64_t(lit->value.get<int64_t>());
        };
        std::string dest_db = text(args[0]), dest_table = text(args[1]);
        args[0] = std::make_shared<ASTLiteral>(Field(dest_db));
        StorageBuffer::Thresholds t{int64_t(num(args[3])), int64_t(num(args[4])), num(args[5]), num(args[6]), num(args[7]), num(args[8])};
        Catalog* catalog = ctx.catalog;
        Settings settings = ctx.settings;
        auto buffer = std::make_shared<StorageBuffer>(md, dest_db, dest_table, t, catalog, [catalog, settings, dest_db, dest_table](std::vector<Block> blocks) {
            QueryContext lctx;
            lctx.settings = settings;
            lctx.catalog = catalog;
            lctx.current_database = dest_db;
            MemoryTrackerScope scope(lctx.memory.get());
            insertBlocksByName(dest_db, dest_table, std::move(blocks), lctx);
        });
        std::weak_ptr<StorageBuffer> weak = buffer;
        PeriodicRunner::instance().add(weak, [weak] {
            if (auto b = weak.lock()) b->flushIfDue();
        });
        s = buffer;
    } else if (engine == "Merge") {
        // Merge(db, 'regexp'): the database is resolved now (currentDatabase() is stored as its value).
        auto& args = q->engine->arguments;
        if (args.size() != 2) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Storage Merge requires exactly 2 parameters - name of source database and regexp for table names.");
        auto text = [&](const ASTPtr& a) -> std::string {
            if (auto* lit = a->as<ASTLiteral>(); lit && lit->value.is<std::string>()) return lit->value.get<std::string>();
            if (auto* f = a->as<ASTFunction>(); f && (f->name == "currentDatabase" || f->name == "DATABASE")) return ctx.current_database;
            if (auto* id = a->as<ASTIdentifier>()) return id->name();
            throw Exception(ErrorCodes::BAD_ARGUMENTS, "Arguments of storage Merge must be constants: " + a->formatSQL(false));
        };
        std::string db = text(args[0]), re = text(args[1]);
        args[0] = std::make_shared<ASTLiteral>(Field(db));
        args[1] = std::make_shared<ASTLiteral>(Field(re));
        s = std::make_shared<StorageMerge>(md, db, re, ctx.catalog);
    } else if (engine == "Distributed") {
        s = createDistributedStorage(q, md, ctx);
    } else if (engine == "Log" || engine == "TinyLog" || engine == "StripeLog")
        throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Table engine " + engine + " is not supported yet (use ENGINE = Memory)");
    else throw Exception(ErrorCodes::UNKNOWN_STORAGE, "Unknown table engine " + engine);
    // A MergeTree set its own definition before startup() started its background work (which reads
    // it); assigning it again here would race with that work.
    if (s->create_query != q) s->create_query = q;
    return s;
}

// ---------------------------------------------------------------- session
Session::Session(Catalog& catalog) : catalog_(catalog) {}

StatementOutput Session::execute(const std::string& sql) {
    ParserLimits limits;
    limits.max_query_size = settings_.max_query_size;
    limits.max_parser_depth = settings_.max_parser_depth;
    return execute(parseStatement(sql, limits));
}

namespace {
// Between a streaming query and the caller's sink: counts what passes (query_log, quotas) and
// stops the query at max_result_rows.
class CountingSink final : public ResultSink {
public:
    CountingSink(ResultSink& target, uint64_t max_rows) : target_(target), max_rows_(max_rows) {}
    void begin(const Block& header) override { target_.begin(header); }
    void write(const Block& block) override {
        rows += block.rows();
        bytes += block.bytes();
        if (max_rows_ && rows > max_rows_)
            throw Exception(ErrorCodes::TOO_MANY_ROWS, "Limit for result exceeded, max rows: " + std::to_string(max_rows_));
        target_.write(block);
    }
    void writeTotals(const Block& totals) override { target_.writeTotals(totals); }
    uint64_t rows = 0, bytes = 0;

private:
    ResultSink& target_;
    uint64_t max_rows_;
};
}  // namespace

StatementOutput Session::execute(const ParsedStatement& stmt) { return execute(stmt, nullptr); }

StatementOutput Session::execute(const ParsedStatement& stmt, ResultSink* caller_sink) {
    // A statement run from inside another (SHOW ... LIKE) must not take the outer one's sink.
    struct RestoreSink { Session& s; ResultSink* saved; ~RestoreSink() { s.result_sink_ = saved; } } restore_sink{*this, std::exchange(result_sink_, nullptr)};
    QueryContext ctx;
    ctx.settings = settings_;
    ctx.catalog = &catalog_;
    ctx.current_database = current_database_;
    ctx.current_user = client_.user;
    ctx.query_parameters = query_parameters_;
    for (auto& [name, storage] : external_tables_) ctx.table_overrides[current_database_ + "." + name] = storage;
    external_tables_.clear();
    std::string query_id = query_id_.empty() ? generateUUIDv4() : query_id_;
    query_id_.clear();
    last_query_id_ = query_id;
    last_counters_ = {};
    {
        std::lock_guard lock(running_mutex_);
        running_ = &ctx;
    }
    struct Unregister {
        Session& s;
        ~Unregister() {
            std::lock_guard lock(s.running_mutex_);
            s.running_ = nullptr;
        }
    } unregister{*this};
    catalog_.access().quotaBeforeQuery(client_.user, stmt.ast->as<ASTSelectWithUnion>() || stmt.ast->as<ASTSelectQuery>(),
                                       stmt.ast->as<ASTInsertQuery>() != nullptr);
    for (auto& [k, v] : stmt.output.settings) ctx.settings.set(k, v);
    if (auto* sel = stmt.ast->as<ASTSelectWithUnion>()) {
        // A trailing SETTINGS of the last SELECT applies to the whole query.
        if (!sel->selects.empty())
            if (auto* last = sel->selects.back()->as<ASTSelectQuery>())
                for (auto& [k, v] : last->settings) ctx.settings.set(k, v);
    }
    ctx.memory->setLimit(int64_t(ctx.settings.max_memory_usage));
    // The user's tracker is taken before the statement registers (see ProcessList::userMemory).
    int64_t user_limit = ctx.settings.max_memory_usage_for_user ? int64_t(ctx.settings.max_memory_usage_for_user) : -1;
    ctx.memory->setParent(catalog_.processList().userMemory(client_.user, user_limit));
    // Visible in system.processes (and to KILL QUERY) while it runs.
    auto process = catalog_.processList().add(
        {query_id, client_.user, client_.address, client_.interface, stmt.text, current_database_, std::chrono::steady_clock::now()}, ctx);
    MemoryTrackerScope scope(ctx.memory.get());
    std::optional<CountingSink> counting;
    if (caller_sink) counting.emplace(*caller_sink, ctx.settings.max_result_rows);
    auto start_wall = std::chrono::system_clock::now();
    auto log = [&](const char* type, int code, const std::string& error, const StatementOutput* out) {
        QueryLogEntry e;
        auto now = std::chrono::system_clock::now();
        e.type = type;
        e.event_time_us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
        e.event_time = e.event_time_us / 1000000;
        e.query_start_time_us = std::chrono::duration_cast<std::chrono::microseconds>(start_wall.time_since_epoch()).count();
        e.query_duration_ms = uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(now - start_wall).count());
        e.read_rows = ctx.read_rows;
        e.read_bytes = ctx.read_bytes;
        e.written_rows = ctx.written_rows;
        e.written_bytes = ctx.written_bytes;
        if (counting) {
            e.result_rows = counting->rows;
            e.result_bytes = counting->bytes;
        } else if (out && out->has_result) {
            e.result_rows = out->result.rows();
            for (auto& b : out->result.blocks) e.result_bytes += b.bytes();
        }
        e.memory_usage = ctx.memory->peak();
        e.query_id = query_id;
        e.user = client_.user;
        e.address = client_.address;
        e.interface = client_.interface;
        e.client_name = client_.client_name;
        last_counters_ = {ctx.read_rows, ctx.read_bytes, ctx.written_rows, ctx.written_bytes};
        AccessControl::QueryUsage usage;
        usage.error = code != 0;
        usage.result_rows = double(e.result_rows);
        usage.result_bytes = double(e.result_bytes);
        usage.read_rows = double(e.read_rows);
        usage.read_bytes = double(e.read_bytes);
        usage.written_bytes = double(e.written_bytes);
        usage.seconds = double(e.query_duration_ms) / 1000;
        catalog_.access().quotaAfterQuery(client_.user, usage);
        // CREATE USER ... BY 'password' is logged with the password hidden.
        e.query = stmt.ast->as<ASTAccessQuery>() ? stmt.ast->formatSQL(false) : stmt.text;
        e.query_kind = stmt.ast->kind();
        e.current_database = ctx.current_database;
        e.exception_code = code;
        e.exception = error;
        catalog_.queryLog().add(std::move(e));
    };
    StatementOutput out;
    try {
        result_sink_ = counting ? &*counting : nullptr;
        if (!stmt.on_cluster.empty()) {
            // ON CLUSTER: every host of the cluster runs the statement (cluster/distributed_ddl.h).
            // The hosts run it as the cluster's configured user: the initiator checks this user's grants.
            if (ctx.settings.readonly) throw Exception(ErrorCodes::READONLY, "Cannot execute query in readonly mode");
            auto& access = catalog_.access();
            const std::string& user = client_.user;
            auto dbOf = [&](const std::string& d) { return d.empty() ? ctx.current_database : d; };
            if (auto* c = stmt.ast->as<ASTCreateQuery>())
                c->what == ASTCreateQuery::What::Database ? access.check(user, AccessType::Create, c->database.empty() ? c->table : c->database, "*")
                                                           : access.check(user, AccessType::Create, dbOf(c->database), c->table);
            else if (auto* d = stmt.ast->as<ASTDropQuery>())
                d->what == ASTDropQuery::What::Database ? access.check(user, AccessType::Drop, d->database.empty() ? d->table : d->database, "*")
                                                         : access.check(user, d->drop_kind == ASTDropQuery::Kind::Truncate ? AccessType::Truncate : AccessType::Drop, dbOf(d->database), d->table);
            else if (auto* a = stmt.ast->as<ASTAlterQuery>()) access.check(user, AccessType::Alter, dbOf(a->database), a->table);
            else access.check(user, AccessType::Alter, ctx.current_database, "*");
            out = blockOutput(executeOnCluster(stmt.on_cluster, stmt.text_without_on_cluster, ctx), stmt.output);
        } else {
            out = dispatch(stmt.ast, ctx, stmt.output);
        }
        result_sink_ = nullptr;
        // A result that could not stream goes to the sink whole.
        if (counting && out.has_result && !out.result.streamed) {
            counting->begin(out.result.header);
            for (auto& b : out.result.blocks)
                if (b.rows()) counting->write(b);
            if (out.result.totals) counting->writeTotals(*out.result.totals);
            out.result.blocks.clear();
            out.result.streamed = true;
        }
    } catch (const std::exception& ex) {
        int code = 0;
        std::string text = formatException(ex, &code);
        log("ExceptionWhileProcessing", code, text, nullptr);
        throw;
    }
    if (out.format.empty()) out.format = stmt.output.format;
    log("QueryFinish", 0, "", &out);
    return out;
}

void Session::cancel() {
    std::lock_guard lock(running_mutex_);
    if (running_) running_->cancelled = true;
}

namespace {
// The columns an INSERT provides: its column list, or every column that is not MATERIALIZED /
// ALIAS / EPHEMERAL.
std::vector<const ColumnDescription*> insertTargets(const ASTInsertQuery& q, const TableMetadata& md, const std::string& db) {
    std::vector<const ColumnDescription*> targets;
    if (q.columns.empty()) {
        for (auto& c : md.columns)
            if (c.default_kind.empty() || c.default_kind == "DEFAULT") targets.push_back(&c);
        return targets;
    }
    for (auto& n : q.columns) {
        const ColumnDescription* c = md.find(n);
        if (!c) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "No such column " + n + " in table " + db + "." + q.table);
        if (c->default_kind == "MATERIALIZED" || c->default_kind == "ALIAS")
            throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Cannot insert column " + n + ", because it is " + c->default_kind + " column");
        for (auto* t : targets)
            if (t == c) throw Exception(ErrorCodes::DUPLICATE_COLUMN, "Column " + n + " in table " + db + "." + q.table + " specified more than once");
        targets.push_back(c);
    }
    return targets;
}
}  // namespace

Block Session::insertHeader(const ParsedStatement& stmt) {
    auto* q = stmt.ast->as<ASTInsertQuery>();
    if (!q) throw Exception(ErrorCodes::LOGICAL_ERROR, "insertHeader of a statement that is not an INSERT");
    if (settings_.readonly) throw Exception(ErrorCodes::READONLY, "Cannot execute query in readonly mode");
    QueryContext ctx;
    ctx.settings = settings_;
    ctx.catalog = &catalog_;
    ctx.current_database = current_database_;
    std::string db = q->database.empty() ? current_database_ : q->database;
    StoragePtr s = q->table_function ? createTableFunction(*q->table_function, ctx) : catalog_.getTable(db, q->table);
    Block header;
    for (auto* c : insertTargets(*q, s->metadata(), db)) header.insert({createColumn(c->type), c->type, c->name});
    return header;
}

void Session::insertBlocks(const ParsedStatement& stmt, std::vector<Block> blocks) {
    struct Once final : InsertDataSource {
        std::vector<Block> blocks;
        bool next(std::string&, std::vector<Block>& out) override {
            if (blocks.empty()) return false;
            out = std::move(blocks);
            blocks.clear();
            return true;
        }
    } source;
    source.blocks = std::move(blocks);
    insertFrom(stmt, source);
}

StatementOutput Session::insertFrom(const ParsedStatement& stmt, InsertDataSource& source) {
    if (!stmt.ast->as<ASTInsertQuery>()) throw Exception(ErrorCodes::LOGICAL_ERROR, "insertFrom of a statement that is not an INSERT");
    insert_source_ = &source;
    struct Reset { Session& s; ~Reset() { s.insert_source_ = nullptr; } } reset{*this};
    return execute(stmt);
}

StatementOutput Session::dispatch(const ASTPtr& ast, QueryContext& ctx, const QueryOutputOptions& output) {
    auto needWrite = [&] {
        if (ctx.settings.readonly) throw Exception(ErrorCodes::READONLY, "Cannot execute query in readonly mode");
    };
    if (ast->as<ASTSelectWithUnion>() || ast->as<ASTSelectQuery>()) {
        StatementOutput o;
        o.has_result = true;
        ResultSink* sink = result_sink_;
        result_sink_ = nullptr;   // only the statement's own result streams
        o.result = executeSelect(ast, ctx, sink);
        o.format = output.format;
        if (ctx.settings.max_result_rows && o.result.rows() > ctx.settings.max_result_rows)
            throw Exception(ErrorCodes::TOO_MANY_ROWS, "Limit for result exceeded, max rows: " + std::to_string(ctx.settings.max_result_rows));
        return o;
    }
    if (auto* q = ast->as<ASTInsertQuery>()) {
        needWrite();
        if (!q->table_function) {
            // Every column the INSERT writes must be granted (its column list, or all insertable ones).
            std::string db = q->database.empty() ? ctx.current_database : q->database;
            catalog_.access().check(client_.user, AccessType::Insert, db, q->table);
            if (catalog_.access().isSqlUser(client_.user)) {
                std::vector<std::string> columns;
                for (auto* c : insertTargets(*q, catalog_.getTable(db, q->table)->metadata(), db)) columns.push_back(c->name);
                catalog_.access().check(client_.user, AccessType::Insert, db, q->table, &columns);
            }
        }
        executeInsert(*q, ctx);
        return {};
    }
    if (auto* q = ast->as<ASTCreateQuery>()) {
        needWrite();
        if (q->what == ASTCreateQuery::What::Database) catalog_.access().check(client_.user, AccessType::Create, q->database.empty() ? q->table : q->database, "*");
        else catalog_.access().check(client_.user, AccessType::Create, q->database.empty() ? ctx.current_database : q->database, q->table);
        executeCreate(*q, ctx);
        return {};
    }
    if (auto* q = ast->as<ASTAccessQuery>()) {
        if (q->action != ASTAccessQuery::Action::ShowGrants) needWrite();
        auto lines = catalog_.access().execute(*q, catalog_.access().isSqlUser(client_.user) ? client_.user : std::string(), ctx.current_database);
        if (q->action != ASTAccessQuery::Action::ShowGrants) return {};
        if (q->names.empty()) lines = catalog_.access().grantLines(client_.user);
        std::vector<ColumnDescription> cols{col("GRANTS FOR " + (q->names.empty() ? client_.user : q->names[0]), TypeId::String)};
        RowBuilder rb(cols);
        for (auto& l : lines) rb.add({l});
        return blockOutput(rb.build(), output);
    }
    if (auto* q = ast->as<ASTDropQuery>()) {
        needWrite();
        if (q->what == ASTDropQuery::What::Database) {
            catalog_.access().check(client_.user, AccessType::Drop, q->database.empty() ? q->table : q->database, "*");
            if (q->drop_kind == ASTDropQuery::Kind::Truncate) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "TRUNCATE DATABASE is not supported");
            catalog_.dropDatabase(q->database.empty() ? q->table : q->database, q->if_exists);
            if (current_database_ == (q->database.empty() ? q->table : q->database)) current_database_ = "default";
            return {};
        }
        std::string db = q->database.empty() ? ctx.current_database : q->database;
        if (db == "system") throw Exception(ErrorCodes::BAD_ARGUMENTS, "Cannot drop or truncate system tables");
        catalog_.access().check(client_.user, q->drop_kind == ASTDropQuery::Kind::Truncate ? AccessType::Truncate : AccessType::Drop, db, q->table);
        if (q->drop_kind == ASTDropQuery::Kind::Truncate) {
            auto s = q->if_exists ? catalog_.tryGetTable(db, q->table) : catalog_.getTable(db, q->table);
            if (s) s->truncate();
            return {};
        }
        if (q->drop_kind == ASTDropQuery::Kind::Detach) {
            auto s = catalog_.detachTable(db, q->table, q->if_exists);
            if (auto* mt = dynamic_cast<StorageMergeTree*>(s.get())) mt->shutdown();   // stops its merges; data stays
            return {};
        }
        auto s = catalog_.removeTable(db, q->table, q->if_exists);
        if (s) s->drop();
        return {};
    }
    if (auto* q = ast->as<ASTRenameQuery>()) {
        needWrite();
        for (auto& e : q->elements) {
            std::string d1 = e.from_database.empty() ? ctx.current_database : e.from_database;
            std::string d2 = e.to_database.empty() ? ctx.current_database : e.to_database;
            if (q->exchange) catalog_.exchangeTables(d1, e.from_table, d2, e.to_table);
            else if (q->database) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "RENAME DATABASE is not supported yet");
            else catalog_.renameTable(d1, e.from_table, d2, e.to_table);
        }
        return {};
    }
    if (auto* q = ast->as<ASTOptimizeQuery>()) {
        needWrite();
        std::string db = q->database.empty() ? ctx.current_database : q->database;
        auto s = catalog_.getTable(db, q->table);
        if (auto* buffer = dynamic_cast<StorageBuffer*>(s.get())) {
            buffer->flush();   // OPTIMIZE of a Buffer table flushes it
            return {};
        }
        auto* mt = dynamic_cast<StorageMergeTree*>(s.get());
        if (!mt) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Table engine " + s->engineName() + " doesn't support optimization");
        std::optional<std::string> partition;
        if (!q->partition_id.empty()) partition = q->partition_id;
        else if (q->partition) partition = mt->partitionIdFromAST(q->partition, ctx);
        std::vector<size_t> dedup;   // positions of the DEDUPLICATE BY columns; empty = all
        if (q->deduplicate && !q->deduplicate_by.empty()) {
            const auto& cols = mt->schema().columns;
            std::vector<bool> chosen(cols.size(), false);
            auto position = [&](const std::string& name) -> size_t {
                for (size_t i = 0; i < cols.size(); ++i) if (cols[i].name == name) return i;
                throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column with name `" + name + "` in table " + db + "." + q->table);
            };
            for (auto& e : q->deduplicate_by) {
                if (auto* star = e->as<ASTAsterisk>()) {
                    for (size_t i = 0; i < cols.size(); ++i) {
                        bool excluded = std::find(star->transformers.except_names.begin(), star->transformers.except_names.end(), cols[i].name) !=
                                        star->transformers.except_names.end();
                        if (!excluded) chosen[i] = true;
                    }
                    for (auto& n : star->transformers.except_names) position(n);
                } else if (auto* id = e->as<ASTIdentifier>()) {
                    chosen[position(id->name())] = true;
                } else {
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "DEDUPLICATE BY takes column names, * or * EXCEPT (...)");
                }
            }
            // As ClickHouse: the key columns must be among them (rows differing in a key are never duplicates).
            std::set<std::string> key_columns;
            auto collect = [&](const ASTPtr& a, auto&& self) -> void {
                if (!a) return;
                if (auto* id = a->as<ASTIdentifier>()) key_columns.insert(id->name());
                if (auto* f = a->as<ASTFunction>()) for (auto& x : f->arguments) self(x, self);
            };
            collect(mt->create_query->order_by, collect);
            collect(mt->create_query->primary_key, collect);
            collect(mt->create_query->partition_by, collect);
            std::string expanded;
            for (size_t i = 0; i < cols.size(); ++i)
                if (chosen[i]) expanded += std::string(expanded.empty() ? "" : ", ") + "'" + cols[i].name + "'";
            for (size_t i = 0; i < cols.size(); ++i)
                if (key_columns.count(cols[i].name) && !chosen[i])
                    throw Exception(ErrorCodes::THERE_IS_NO_COLUMN,
                                    "DEDUPLICATE BY expression must include all columns used in table's ORDER BY, PRIMARY KEY, or PARTITION BY but '" +
                                        cols[i].name + "' is missing. Expanded DEDUPLICATE BY columns expression: [" + expanded + "]");
            for (size_t i = 0; i < cols.size(); ++i) if (chosen[i]) dedup.push_back(i);
        }
        bool merged = mt->optimize(partition, q->final, ctx, q->deduplicate ? &dedup : nullptr);
        if (!merged && ctx.settings.optimize_throw_if_noop)
            throw Exception(ErrorCodes::CANNOT_ASSIGN_OPTIMIZE, "There is no need to merge parts according to merge selector algorithm");
        return {};
    }
    if (auto* q = ast->as<ASTAlterQuery>()) {
        needWrite();
        for (auto& [k, v] : q->settings) ctx.settings.set(k, v);
        executeAlter(*q, ctx);
        return {};
    }
    if (auto* q = ast->as<ASTDeleteQuery>()) {
        // Lightweight DELETE: a delete mutation the statement waits for (ClickHouse's
        // lightweight_deletes_sync = 2).
        needWrite();
        ctx.settings.mutations_sync = std::max<uint64_t>(ctx.settings.mutations_sync, 2);
        ASTAlterQuery a;
        a.database = q->database;
        a.table = q->table;
        ASTAlterCommand c;
        c.type = ASTAlterCommand::Type::Delete;
        c.predicate = q->predicate;
        a.commands.push_back(c);
        executeAlter(a, ctx);
        return {};
    }
    if (auto* q = ast->as<ASTKillQuery>(); q && q->what == "QUERY") {
        // KILL QUERY: the statements matching the WHERE over system.processes are cancelled (they
        // stop with QUERY_WAS_CANCELLED at their next block); SYNC waits until they are gone.
        ParsedStatement sel = parseStatement("SELECT query_id, user, query FROM system.processes WHERE " + q->where->formatSQL(false));
        QueryResult r = executeSelect(sel.ast, ctx);
        std::vector<ColumnDescription> cols{col("kill_status", TypeId::String), col("query_id", TypeId::String), col("user", TypeId::String),
                                            col("query", TypeId::String)};
        std::string own_id = last_query_id_;
        std::vector<std::vector<std::string>> found;
        for (auto& b : r.blocks)
            for (size_t i = 0; i < b.rows(); ++i) {
                std::string id = b.at(0).column->get(i).get<std::string>();
                if (id == own_id) continue;   // not itself
                found.push_back({id, b.at(1).column->get(i).get<std::string>(), b.at(2).column->get(i).get<std::string>()});
            }
        if (q->mode != "TEST") {
            std::vector<std::string> ids;
            for (auto& f : found) ids.push_back(f[0]);
            catalog_.processList().cancel(ids);
        }
        RowBuilder rb(cols);
        for (auto& f : found) {
            std::string status = q->mode == "TEST" ? "cant_cancel" : "waiting";
            if (q->mode == "SYNC") {
                while (catalog_.processList().running(f[0])) {
                    ctx.checkLimits();
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
                status = "finished";
            }
            rb.add({status, f[0], f[1], f[2]});
        }
        return blockOutput(rb.build(), output);
    }
    if (auto* q = ast->as<ASTKillQuery>()) {
        // KILL MUTATION: the matching rows of system.mutations are killed (TEST only lists them).
        needWrite();
        ParsedStatement sel = parseStatement("SELECT database, table, mutation_id, command FROM system.mutations WHERE " + q->where->formatSQL(false));
        QueryResult r = executeSelect(sel.ast, ctx);
        std::vector<ColumnDescription> cols{col("kill_status", TypeId::String), col("database", TypeId::String), col("table", TypeId::String),
                                            col("mutation_id", TypeId::String), col("command", TypeId::String)};
        RowBuilder rb(cols);
        for (auto& b : r.blocks)
            for (size_t i = 0; i < b.rows(); ++i) {
                std::string db = b.at(0).column->get(i).get<std::string>(), table = b.at(1).column->get(i).get<std::string>();
                std::string id = b.at(2).column->get(i).get<std::string>();
                auto* mt = dynamic_cast<StorageMergeTree*>(catalog_.tryGetTable(db, table).get());
                if (!mt) continue;
                if (q->mode != "TEST" && !mt->killMutation(id)) continue;   // killed meanwhile
                rb.add({std::string("waiting"), db, table, id, b.at(3).column->get(i).get<std::string>()});
            }
        return blockOutput(rb.build(), output);
    }
    if (auto* q = ast->as<ASTSystemQuery>()) {
        if (q->action == "STOP MERGES" || q->action == "START MERGES" || q->action == "STOP TTL MERGES" || q->action == "START TTL MERGES") {
            bool stop = q->action.rfind("STOP", 0) == 0;
            bool ttl_only = q->action.find("TTL") != std::string::npos;
            auto apply = [&](const StoragePtr& s) {
                if (auto* mt = dynamic_cast<StorageMergeTree*>(s.get()); mt && !ttl_only) mt->setMergesStopped(stop);
            };
            if (!q->table.empty()) apply(catalog_.getTable(q->database.empty() ? ctx.current_database : q->database, q->table));
            else {
                if (!ttl_only) StorageMergeTree::setAllMergesStopped(stop);
                for (auto& d : catalog_.databases())
                    for (auto& [n, s] : catalog_.tables(d)) apply(s);
            }
            return {};
        }
        if (q->action == "FLUSH LOGS") return {};   // system.query_log is written synchronously
        if (q->action == "SYNC REPLICA" || q->action == "RESTART REPLICA" || q->action == "RESTART REPLICAS") {
            auto replicated = [&](const StoragePtr& s) -> ReplicatedMergeTree* {
                auto* mt = dynamic_cast<StorageMergeTree*>(s.get());
                return mt ? dynamic_cast<ReplicatedMergeTree*>(mt->replication()) : nullptr;
            };
            if (q->action == "RESTART REPLICAS") {
                for (auto& d : catalog_.databases())
                    for (auto& [n, s] : catalog_.tables(d))
                        if (auto* r = replicated(s)) r->restartReplica();
                return {};
            }
            std::string db = q->database.empty() ? ctx.current_database : q->database;
            auto* r = replicated(catalog_.getTable(db, q->table));
            if (!r) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Table " + db + "." + q->table + " is not replicated");
            if (q->action == "SYNC REPLICA") r->syncReplica(ctx);
            else r->restartReplica();
            return {};
        }
        if (q->action == "FLUSH DISTRIBUTED" || q->action == "STOP DISTRIBUTED SENDS" || q->action == "START DISTRIBUTED SENDS") {
            auto apply = [&](const StoragePtr& s, const std::string& name) {
                auto* d = dynamic_cast<StorageDistributed*>(s.get());
                if (!d) {
                    if (q->table.empty()) return;
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Table " + name + " is not distributed");
                }
                if (q->action == "FLUSH DISTRIBUTED") d->flushQueue();
                else d->setSendsStopped(q->action[2] == 'O');
            };
            if (!q->table.empty()) {
                std::string db = q->database.empty() ? ctx.current_database : q->database;
                apply(catalog_.getTable(db, q->table), db + "." + q->table);
            } else {
                for (auto& d : catalog_.databases())
                    for (auto& [n, s] : catalog_.tables(d)) apply(s, d + "." + n);
            }
            return {};
        }
        if (q->action.size() > 5 && (q->action.compare(q->action.size() - 5, 5, " VIEW") == 0 || q->action.compare(q->action.size() - 6, 6, " VIEWS") == 0)) {
            // SYSTEM REFRESH | WAIT | STOP | START | CANCEL VIEW v (or VIEWS: every refreshable view).
            std::string verb = q->action.substr(0, q->action.find(' '));
            auto apply = [&](StorageMaterializedView& mv) {
                if (verb == "REFRESH") mv.refreshNow();
                else if (verb == "WAIT") mv.waitRefresh();
                else if (verb == "STOP") mv.setRefreshStopped(true);
                else if (verb == "START") mv.setRefreshStopped(false);
            };
            if (q->action.back() == 'W') {
                std::string db = q->database.empty() ? ctx.current_database : q->database;
                auto s = catalog_.tryGetTable(db, q->table);
                auto* mv = dynamic_cast<StorageMaterializedView*>(s.get());
                if (!mv || !mv->refreshable()) {
                    if (verb == "STOP" || verb == "START") return {};   // ClickHouse ignores these
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Refreshable view " + db + "." + q->table + " doesn't exist.");
                }
                apply(*mv);
            } else {
                for (auto& d : catalog_.databases())
                    for (auto& [n, s] : catalog_.tables(d))
                        if (auto* mv = dynamic_cast<StorageMaterializedView*>(s.get()); mv && mv->refreshable()) apply(*mv);
            }
            return {};
        }
        if (q->action == "RELOAD DICTIONARY" || q->action == "RELOAD DICTIONARIES") {
            auto reload = [&](const StoragePtr& s, const std::string& name) {
                auto* d = dynamic_cast<StorageDictionary*>(s.get());
                if (!d) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Dictionary (`" + name + "`) not found");
                d->dictionary()->reload();
            };
            if (q->action == "RELOAD DICTIONARY") {
                std::string db = q->database.empty() ? ctx.current_database : q->database;
                auto s = catalog_.tryGetTable(db, q->table);
                reload(s, q->table);
            } else {
                for (auto& d : catalog_.databases())
                    for (auto& [n, s] : catalog_.tables(d))
                        if (dynamic_cast<StorageDictionary*>(s.get())) reload(s, n);
            }
            return {};
        }
        throw Exception(ErrorCodes::NOT_IMPLEMENTED, "SYSTEM " + q->action + " is not supported");
    }
    if (auto* q = ast->as<ASTUseQuery>()) {
        catalog_.assertDatabase(q->database);
        current_database_ = q->database;
        return {};
    }
    if (auto* q = ast->as<ASTSetQuery>()) {
        Settings copy = settings_;
        auto params = query_parameters_;
        for (auto& [k, v] : q->changes) {
            // SET param_x = 'value' binds {x:Type} for the session's next statements.
            if (k.rfind("param_", 0) == 0 && k.size() > 6) params[k.substr(6)] = v.is<std::string>() ? v.get<std::string>() : v.toSQL();
            else copy.set(k, v);
        }
        settings_ = copy;
        query_parameters_ = std::move(params);
        return {};
    }
    if (auto* q = ast->as<ASTShowQuery>()) {
        switch (q->what) {
            case ASTShowQuery::What::Databases: {
                std::vector<std::string> names = catalog_.databases();
                std::vector<std::string> r;
                for (auto& n : names) {
                    if (!q->like.empty()) {
                        // LIKE via the like() function semantics: % and _ wildcards.
                        auto out = execute("SELECT " + quoteString(n) + (q->not_like ? " NOT " : " ") + (q->ilike ? "ILIKE " : "LIKE ") + quoteString(q->like));
                        if (out.result.blocks.empty() || out.result.blocks[0].at(0).column->get(0) == Field(uint64_t(0))) continue;
                    }
                    r.push_back(n);
                }
                return blockOutput(oneColumnBlock("name", r), output);
            }
            case ASTShowQuery::What::Tables: {
                std::string db = q->database.empty() ? ctx.current_database : q->database;
                catalog_.assertDatabase(db);
                std::vector<std::string> r;
                for (auto& [n, s] : catalog_.tables(db)) {
                    if (!q->like.empty()) {
                        auto out = execute("SELECT " + quoteString(n) + (q->not_like ? " NOT " : " ") + (q->ilike ? "ILIKE " : "LIKE ") + quoteString(q->like));
                        if (out.result.blocks.empty() || out.result.blocks[0].at(0).column->get(0) == Field(uint64_t(0))) continue;
                    }
                    r.push_back(n);
                }
                std::sort(r.begin(), r.end());
                return blockOutput(oneColumnBlock("name", r), output);
            }
            case ASTShowQuery::What::CreateTable: {
                std::string db = q->database.empty() ? ctx.current_database : q->database;
                auto s = catalog_.getTable(db, q->table);
                std::string text;
                if (s->create_query) {
                    auto c = std::static_pointer_cast<ASTCreateQuery>(s->create_query->clone());
                    c->database = db;
                    c->table = q->table;
                    c->if_not_exists = false;
                    c->or_replace = false;
                    c->populate = false;
                    if (c->what == ASTCreateQuery::What::Table) c->as_select = nullptr;   // CREATE TABLE ... AS SELECT
                    text = c->formatSQL();
                } else {
                    text = "CREATE TABLE " + db + "." + q->table + "\n(\n";
                    auto& cols = s->metadata().columns;
                    for (size_t i = 0; i < cols.size(); ++i)
                        text += "    `" + cols[i].name + "` " + cols[i].type->name() + (i + 1 < cols.size() ? ",\n" : "\n");
                    text += ")\nENGINE = " + s->engineName();
                }
                return blockOutput(oneColumnBlock("statement", {text}), output);
            }
            case ASTShowQuery::What::CreateDatabase: {
                std::string db = q->database.empty() ? q->table : q->database;
                catalog_.assertDatabase(db);
                return blockOutput(oneColumnBlock("statement", {"CREATE DATABASE " + db + "\nENGINE = Atomic"}), output);
            }
            case ASTShowQuery::What::Settings: {
                std::string sql = "SELECT name, type, value FROM system.settings";
                if (!q->like.empty()) sql += std::string(" WHERE name ") + (q->ilike ? "ILIKE " : "LIKE ") + quoteString(q->like);
                return dispatch(parseStatement(sql).ast, ctx, output);
            }
            case ASTShowQuery::What::Functions: {
                std::string sql = "SELECT name, is_aggregate, case_insensitive FROM system.functions";
                if (!q->like.empty()) sql += std::string(" WHERE name ") + (q->ilike ? "ILIKE " : "LIKE ") + quoteString(q->like);
                return dispatch(parseStatement(sql + " ORDER BY name").ast, ctx, output);
            }
            case ASTShowQuery::What::Columns: {
                std::string db = q->database.empty() ? ctx.current_database : q->database;
                auto s = catalog_.getTable(db, q->table);
                std::vector<std::string> n, t;
                for (auto& c : s->metadata().columns) { n.push_back(c.name); t.push_back(c.type->name()); }
                Block b = oneColumnBlock("field", n);
                b.insert(oneColumnBlock("type", t).at(0));
                return blockOutput(b, output);
            }
        }
    }
    if (auto* q = ast->as<ASTDescribeQuery>()) {
        std::vector<std::pair<std::string, DataTypePtr>> cols;
        std::vector<const ColumnDescription*> descs;
        StoragePtr s;
        auto& te = *q->table;
        if (te.subquery) {
            Block h = selectHeader(te.subquery->query, ctx);
            for (auto& c : h.data()) cols.push_back({c.name, c.type});
        } else {
            s = te.table_function ? createTableFunction(*te.table_function, ctx)
                                  : catalog_.getTable(te.database.empty() ? ctx.current_database : te.database, te.table);
            for (auto& c : s->metadata().columns) { cols.push_back({c.name, c.type}); descs.push_back(&c); }
        }
        std::vector<std::string> names, types, dkind, dexpr, comment, codec, ttl;
        for (size_t i = 0; i < cols.size(); ++i) {
            names.push_back(cols[i].first);
            types.push_back(cols[i].second->name());
            const ColumnDescription* d = i < descs.size() ? descs[i] : nullptr;
            dkind.push_back(d ? d->default_kind : "");
            dexpr.push_back(d && d->default_expr ? d->default_expr->formatSQL(false) : "");
            comment.push_back(d ? d->comment : "");
            codec.push_back(d && !d->codec.empty() ? "CODEC(" + d->codec + ")" : "");
            ttl.push_back("");
        }
        Block b;
        for (auto& [n, v] : std::vector<std::pair<std::string, std::vector<std::string>*>>{
                 {"name", &names}, {"type", &types}, {"default_type", &dkind}, {"default_expression", &dexpr},
                 {"comment", &comment}, {"codec_expression", &codec}, {"ttl_expression", &ttl}})
            b.insert(oneColumnBlock(n, *v).at(0));
        return blockOutput(b, output);
    }
    if (auto* q = ast->as<ASTExplainQuery>()) {
        std::vector<std::string> lines;
        switch (q->explain_kind) {
            case ASTExplainQuery::Kind::AST: {
                std::string t = dumpTree(*q->query);
                std::stringstream ss(t);
                std::string line;
                while (std::getline(ss, line)) lines.push_back(line);
                break;
            }
            case ASTExplainQuery::Kind::Syntax: {
                std::string t = formatCanonical(*q->query);
                std::stringstream ss(t);
                std::string line;
                while (std::getline(ss, line)) lines.push_back(line);
                break;
            }
            case ASTExplainQuery::Kind::Estimate: {
                if (!q->query->as<ASTSelectWithUnion>() && !q->query->as<ASTSelectQuery>())
                    throw Exception(ErrorCodes::INCORRECT_QUERY, "EXPLAIN ESTIMATE is only supported for SELECT queries");
                std::vector<QueryContext::ReadEstimate> est;
                ctx.estimates = &est;
                explainSelect(q->query, ctx);
                ctx.estimates = nullptr;
                std::vector<ColumnDescription> cols{col("database", TypeId::String), col("table", TypeId::String), col("parts", TypeId::UInt64),
                                                    col("rows", TypeId::UInt64), col("marks", TypeId::UInt64)};
                RowBuilder rb(cols);
                for (auto& e : est) rb.add({e.database, e.table, uint64_t(e.parts), uint64_t(e.rows), uint64_t(e.marks)});
                return blockOutput(rb.build(), output);
            }
            case ASTExplainQuery::Kind::Plan:
            case ASTExplainQuery::Kind::Pipeline:
                if (!q->query->as<ASTSelectWithUnion>() && !q->query->as<ASTSelectQuery>())
                    throw Exception(ErrorCodes::INCORRECT_QUERY, "EXPLAIN PLAN is only supported for SELECT queries");
                for (auto& [k, v] : q->explain_settings)
                    if (k == "indexes") ctx.explain_indexes = !(v.is<uint64_t>() && v.get<uint64_t>() == 0);
                lines = explainSelect(q->query, ctx);
                break;
        }
        return blockOutput(oneColumnBlock("explain", lines), output);
    }
    throw Exception(ErrorCodes::NOT_IMPLEMENTED, std::string("Unsupported statement: ") + ast->kind());
}

namespace {

// rows where `predicate` is true (NULL counts as false)
Filter predicateMask(const ExprNodePtr& predicate, const Block& block) {
    Filter f;
    size_t kept = 0;
    predicateToFilter(evaluate(predicate, block), block.rows(), f, kept);
    return f;
}

Block filterRows(const Block& b, const Filter& keep) {
    size_t n = 0;
    for (size_t i = 0; i < keep.size(); ++i) n += keep[i] != 0;
    if (n == b.rows()) return b;
    Block r;
    for (auto& c : b.data()) r.insert({c.column->filter(keep, n), c.type, c.name});
    return r;
}

ASTPtr makeCast(const ASTPtr& e, const DataTypePtr& t) {
    auto f = std::make_shared<ASTFunction>();
    f->name = "CAST";
    f->arguments = {e, std::make_shared<ASTLiteral>(Field(t->name()))};
    return f;
}

std::shared_ptr<ASTIdentifier> ident(const std::string& n) { return std::make_shared<ASTIdentifier>(std::vector<std::string>{n}); }

// Names of the columns an expression reads.
void collectColumnsUsed(const ASTPtr& a, std::set<std::string>& out) {
    if (!a) return;
    if (auto* id = a->as<ASTIdentifier>()) out.insert(id->name());
    if (auto* f = a->as<ASTFunction>()) for (auto& x : f->arguments) collectColumnsUsed(x, out);
}

// True if `name` is used by the table's ORDER BY, PRIMARY KEY or PARTITION BY.
bool usedByKey(const StorageMergeTree& mt, const std::string& name) {
    std::set<std::string> used;
    auto cq = mt.create_query;
    for (auto& key : {cq->order_by, cq->primary_key, cq->partition_by}) collectColumnsUsed(key, used);
    return used.count(name) > 0;
}

// The partition ID an ALTER command's PARTITION clause names (nullopt: none, or PARTITION ALL).
std::optional<std::string> alterPartitionId(StorageMergeTree& mt, const ASTAlterCommand& c, QueryContext& ctx) {
    if (!c.has_partition || c.partition_all) return std::nullopt;
    if (!c.partition_id.empty()) return c.partition_id;
    return mt.partitionIdFromAST(c.partition, ctx);
}

// The data mutation an ALTER command asks for (DELETE, UPDATE, CLEAR COLUMN, MATERIALIZE / CLEAR
// INDEX, MATERIALIZE TTL); false if the command has nothing to do. `m.command` is the command's
// SQL (with the partition as IN PARTITION ID '...'), from which the table rebuilds the mutation
// after a restart or a change of columns.
bool buildDataMutation(StorageMergeTree& mt, const ASTAlterCommand& c, QueryContext& ctx, StorageMergeTree::Mutation& m) {
    using T = ASTAlterCommand::Type;
    const TableMetadata& md = mt.metadata();
    m.partition = alterPartitionId(mt, c, ctx);
    std::string in_partition = m.partition ? " IN PARTITION ID " + quoteString(*m.partition) : "";
    auto isKeyColumn = [&](const std::string& name) { return usedByKey(mt, name); };
    switch (c.type) {
        case T::Delete: {
            ExprNodePtr pred = mt.analyzeOverColumns(c.predicate, ctx);
            m.command = "DELETE" + in_partition + " WHERE " + c.predicate->formatSQL(false);
            m.transform = [pred](Block b) {
                Filter del = predicateMask(pred, b);
                for (auto& x : del) x = !x;
                return filterRows(b, del);
            };
            return true;
        }
        case T::Update: {
            std::vector<std::pair<std::string, ExprNodePtr>> sets;
            std::string text;
            for (auto& [col, expr] : c.assignments) {
                const ColumnDescription* d = md.find(col);
                if (!d) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column `" + col + "` in table");
                if (isKeyColumn(col)) throw Exception(ErrorCodes::CANNOT_UPDATE_COLUMN, "Cannot UPDATE key column `" + col + "`");
                if (d->default_kind == "ALIAS" || d->default_kind == "MATERIALIZED")
                    throw Exception(ErrorCodes::CANNOT_UPDATE_COLUMN, "Cannot UPDATE " + d->default_kind + " column `" + col + "`");
                auto f = std::make_shared<ASTFunction>();
                f->name = "if";
                f->arguments = {c.predicate, makeCast(expr, d->type), ident(col)};
                sets.push_back({col, mt.analyzeOverColumns(f, ctx)});
                text += (text.empty() ? "" : ", ") + col + " = " + expr->formatSQL(false);
            }
            m.command = "UPDATE " + text + in_partition + " WHERE " + c.predicate->formatSQL(false);
            m.transform = [sets](Block b) {
                std::vector<ColumnPtr> values;
                for (auto& [col, node] : sets) values.push_back(evaluate(node, b));
                for (size_t i = 0; i < sets.size(); ++i) {
                    int pos = b.positionByName(sets[i].first);
                    b.at(pos).column = values[i]->convertToFullColumn(values[i]);
                }
                return b;
            };
            return true;
        }
        case T::ClearColumn: {
            const ColumnDescription* d = md.find(c.column_name);
            if (!d) {
                if (c.if_exists) return false;
                throw Exception(ErrorCodes::NOT_FOUND_COLUMN_IN_BLOCK, "Wrong column. Cannot find column " + c.column_name + " to modify");
            }
            if (isKeyColumn(c.column_name))
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Cannot clear column " + c.column_name + " because it's a part of the key");
            ASTPtr value = d->default_expr ? makeCast(d->default_expr, d->type) : nullptr;
            ExprNodePtr node = value ? mt.analyzeOverColumns(value, ctx) : nullptr;
            DataTypePtr type = d->type;
            std::string name = c.column_name;
            m.command = "CLEAR COLUMN " + ident(name)->formatSQL(false) + in_partition;
            m.transform = [node, type, name](Block b) {
                int pos = b.positionByName(name);
                if (node) {
                    ColumnPtr v = evaluate(node, b);
                    b.at(pos).column = v->convertToFullColumn(v);
                } else {
                    auto col = createColumn(type);
                    col->insertManyDefaults(b.rows());
                    b.at(pos).column = std::move(col);
                }
                return b;
            };
            return true;
        }
        case T::MaterializeIndex:
        case T::ClearIndex: {
            bool exists = false;
            for (auto& i : mt.create_query->indices) exists = exists || i->name == c.index_name;
            if (!exists) return false;   // as ClickHouse: nothing to do
            if (c.type == T::MaterializeIndex) {
                // Rewrites the parts, which builds every index of the table for them.
                m.command = "MATERIALIZE INDEX " + ident(c.index_name)->formatSQL(false) + in_partition;
                m.transform = [](Block b) { return b; };
            } else {
                m.command = "CLEAR INDEX " + ident(c.index_name)->formatSQL(false) + in_partition;
                m.cleared_indexes.insert(c.index_name);
            }
            return true;
        }
        case T::MaterializeTTL: {
            // Rewrites the parts, which records their TTL moments (ttl.txt); TTL merges follow.
            bool has_ttl = mt.create_query->ttl != nullptr;
            for (auto& col : mt.create_query->columns) has_ttl = has_ttl || col->ttl != nullptr;
            if (!has_ttl) return false;
            m.command = "MATERIALIZE TTL" + in_partition;
            m.transform = [](Block b) { return b; };
            return true;
        }
        default:
            throw Exception(ErrorCodes::LOGICAL_ERROR, "Not a data mutation command");
    }
}

// Rebuilds a queued mutation from its SQL (StorageMergeTree::MutationBuilder).
StorageMergeTree::Mutation rebuildMutation(StorageMergeTree& mt, const std::string& command, QueryContext& ctx) {
    ParsedStatement st = parseStatement("ALTER TABLE _ " + command);
    auto* alter = st.ast ? st.ast->as<ASTAlterQuery>() : nullptr;
    if (!alter || alter->commands.size() != 1) throw Exception(ErrorCodes::LOGICAL_ERROR, "Cannot rebuild mutation: " + command);
    StorageMergeTree::Mutation m;
    if (!buildDataMutation(mt, alter->commands[0], ctx, m)) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Mutation has nothing to do any more: " + command);
    return m;
}

}  // namespace

void Session::executeAlter(const ASTAlterQuery& q, QueryContext& ctx) {
    using T = ASTAlterCommand::Type;
    std::string db = q.database.empty() ? ctx.current_database : q.database;
    catalog_.access().check(client_.user, AccessType::Alter, db, q.table);
    StoragePtr storage = catalog_.getTable(db, q.table);
    if (auto* mv = dynamic_cast<StorageMaterializedView*>(storage.get())) {
        for (const auto& c : q.commands) {
            if (c.type != T::ModifyQuery)
                throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Alter of type other than MODIFY QUERY is not supported by storage MaterializedView");
            alterViewQuery(db, q.table, *mv, c.query, ctx);
        }
        return;
    }
    if (auto* join = dynamic_cast<StorageJoin*>(storage.get())) {
        // Join tables (small, in memory): ALTER DELETE rewrites the rows that remain.
        for (const auto& c : q.commands)
            if (c.type != T::Delete) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Table engine Join supports only ALTER DELETE");
        for (const auto& c : q.commands) {
            ParsedStatement sel = parseStatement("SELECT * FROM " + backQuote(db) + "." + backQuote(q.table) + " WHERE NOT (" + c.predicate->formatSQL(false) + ")");
            QueryResult r = executeSelect(sel.ast, ctx);
            join->truncate();
            if (!r.blocks.empty()) join->write(std::move(r.blocks), ctx);
        }
        return;
    }
    auto* mt = dynamic_cast<StorageMergeTree*>(storage.get());
    if (!mt) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Table engine " + storage->engineName() + " does not support ALTER yet");
    auto partitionOf = [&](const ASTAlterCommand& c) { return alterPartitionId(*mt, c, ctx); };
    auto isKeyColumn = [&](const std::string& name) { return usedByKey(*mt, name); };
    for (const auto& c : q.commands) {
        const TableMetadata& md = mt->metadata();
        auto noColumn = [&](const std::string& n) {
            return Exception(ErrorCodes::NOT_FOUND_COLUMN_IN_BLOCK, "Wrong column. Cannot find column " + n + " to modify");
        };
        switch (c.type) {
            case T::Delete:
            case T::Update:
            case T::ClearColumn:
            case T::MaterializeIndex:
            case T::ClearIndex:
            case T::MaterializeTTL: {
                StorageMergeTree::Mutation m;
                if (!buildDataMutation(*mt, c, ctx, m)) continue;   // nothing to do (IF EXISTS, unknown index)
                // ClickHouse waits for CLEAR COLUMN / CLEAR INDEX (ALTERs, alter_sync) but queues
                // DELETE / UPDATE / MATERIALIZE unless mutations_sync is set.
                bool wait = c.type == T::ClearColumn || c.type == T::ClearIndex || ctx.settings.mutations_sync > 0;
                mt->mutate(m, ctx, wait);
                continue;
            }
            case T::DropPartition:
            case T::DetachPartition: {
                auto pid = partitionOf(c);
                mt->dropPartition(pid, c.type == T::DetachPartition, ctx);
                continue;
            }
            case T::DropPart:
            case T::DetachPart:
                mt->dropPart(c.part_name, c.type == T::DetachPart);
                continue;
            case T::AttachPartition:
                mt->attachDetached(partitionOf(c), std::nullopt);
                continue;
            case T::AttachPart:
                mt->attachDetached(std::nullopt, c.part_name);
                continue;
            case T::AttachPartitionFrom:
            case T::ReplacePartition: {
                auto src = catalog_.getTable(c.from_database.empty() ? ctx.current_database : c.from_database, c.from_table);
                auto* smt = dynamic_cast<StorageMergeTree*>(src.get());
                if (!smt) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Source table must be a MergeTree table");
                auto pid = partitionOf(c);
                if (!pid) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "ATTACH/REPLACE PARTITION ALL is not supported");
                mt->attachPartitionFrom(*smt, *pid, c.type == T::ReplacePartition, ctx);
                continue;
            }
            case T::MovePartitionToTable: {
                auto dst = catalog_.getTable(c.to_database.empty() ? ctx.current_database : c.to_database, c.to_table);
                auto* dmt = dynamic_cast<StorageMergeTree*>(dst.get());
                if (!dmt) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Destination table must be a MergeTree table");
                auto pid = partitionOf(c);
                if (!pid) throw Exception(ErrorCodes::NOT_IMPLEMENTED, "MOVE PARTITION ALL is not supported");
                dmt->attachPartitionFrom(*mt, *pid, false, ctx);
                mt->dropPartition(pid, false, ctx);
                continue;
            }
            case T::Freeze: {
                std::filesystem::path root = std::filesystem::path(mt->dataDir()).parent_path().parent_path().parent_path().parent_path();
                std::filesystem::path shadow = root / "shadow";
                std::filesystem::create_directories(shadow);
                std::string name = c.freeze_name;
                if (name.empty()) {
                    uint64_t inc = 0;
                    std::ifstream in(shadow / "increment.txt");
                    in >> inc;
                    ++inc;
                    writeFileAtomically((shadow / "increment.txt").string(), std::to_string(inc));
                    name = std::to_string(inc);
                }
                std::string rel = std::filesystem::path(mt->dataDir()).lexically_relative(root).string();
                mt->freeze(c.has_partition ? partitionOf(c) : std::nullopt, (shadow / name / rel).string() + "/");
                continue;
            }
            case T::MaterializeColumn:
                continue;   // MATERIALIZED columns are written by INSERT
            default: break;
        }
        // Structure and metadata changes: edit a copy of the CREATE statement, rebuild and apply.
        auto nq = std::static_pointer_cast<ASTCreateQuery>(mt->create_query->clone());
        std::unique_ptr<StorageMergeTree::Mutation> mutation;
        auto findDecl = [&](const std::string& n) -> std::shared_ptr<ASTColumnDeclaration>* {
            for (auto& d : nq->columns) if (d->name == n) return &d;
            return nullptr;
        };
        switch (c.type) {
            case T::AddColumn: {
                if (findDecl(c.column->name)) {
                    if (c.if_not_exists) continue;
                    throw Exception(ErrorCodes::DUPLICATE_COLUMN, "Cannot add column `" + c.column->name + "`: column with this name already exists");
                }
                auto decl = std::static_pointer_cast<ASTColumnDeclaration>(c.column->clone());
                if (c.first) nq->columns.insert(nq->columns.begin(), decl);
                else if (!c.after.empty()) {
                    auto* a = findDecl(c.after);
                    if (!a) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "Wrong column name. Cannot find column " + c.after + " to insert after");
                    nq->columns.insert(nq->columns.begin() + (a - nq->columns.data()) + 1, decl);
                } else nq->columns.push_back(decl);
                // A DEFAULT that depends on other columns is materialized into existing parts now;
                // a constant one is filled in by readers (metadata-only ADD).
                if (decl->default_expr && (decl->default_kind.empty() || decl->default_kind == "DEFAULT" || decl->default_kind == "MATERIALIZED")) {
                    std::set<std::string> deps;
                    collectColumnsUsed(decl->default_expr, deps);
                    if (!deps.empty()) {
                        TableMetadata probe = buildTableMetadata(*nq, ctx);
                        DataTypePtr type = probe.find(decl->name)->type;
                        ExprNodePtr node = mt->analyzeOverColumns(makeCast(decl->default_expr, type), ctx);
                        std::string name = decl->name;
                        mutation = std::make_unique<StorageMergeTree::Mutation>();
                        mutation->command = "ADD COLUMN " + name;
                        mutation->transform = [node, type, name](Block b) {
                            ColumnPtr v = evaluate(node, b);
                            b.insert({v->convertToFullColumn(v), type, name});
                            return b;
                        };
                    }
                }
                break;
            }
            case T::DropColumn: {
                auto* d = findDecl(c.column_name);
                if (!d) {
                    if (c.if_exists) continue;
                    throw Exception(ErrorCodes::NOT_FOUND_COLUMN_IN_BLOCK, "Wrong column name. Cannot find column " + c.column_name + " to drop");
                }
                for (auto& other : nq->columns) {
                    if (other->name == c.column_name || !other->default_expr) continue;
                    std::set<std::string> deps;
                    collectColumnsUsed(other->default_expr, deps);
                    if (deps.count(c.column_name))
                        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Cannot drop column `" + c.column_name + "`, because column `" + other->name + "` depends on it");
                }
                // Key expressions would lose their input (ClickHouse reports the missing column).
                if (isKeyColumn(c.column_name))
                    throw Exception(ErrorCodes::UNKNOWN_IDENTIFIER, "Missing columns: '" + c.column_name + "' while processing the table's key expressions");
                nq->columns.erase(nq->columns.begin() + (d - nq->columns.data()));
                if (nq->columns.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Cannot DROP or CLEAR all columns");
                mutation = std::make_unique<StorageMergeTree::Mutation>();
                mutation->command = "DROP COLUMN " + c.column_name;
                break;
            }
            case T::ModifyColumn: {
                auto* d = findDecl(c.column->name);
                if (!d) {
                    if (c.if_exists) continue;
                    throw noColumn(c.column->name);
                }
                auto& decl = *d;
                bool type_change = !c.column->type.empty() && parseDataType(c.column->type)->name() != md.find(decl->name)->type->name();
                if (type_change && isKeyColumn(decl->name))
                    throw Exception(ErrorCodes::ALTER_OF_COLUMN_IS_FORBIDDEN, "ALTER of key column " + decl->name + " is forbidden");
                auto updated = std::static_pointer_cast<ASTColumnDeclaration>(decl->clone());
                if (!c.column->type.empty()) { updated->type = c.column->type; updated->null_modifier = c.column->null_modifier; }
                if (c.column->default_expr || !c.column->default_kind.empty()) { updated->default_kind = c.column->default_kind; updated->default_expr = c.column->default_expr; }
                if (!c.column->codec.empty()) updated->codec = c.column->codec;
                if (!c.column->comment.empty()) updated->comment = c.column->comment;
                if (c.column->ttl) updated->ttl = c.column->ttl;
                if (c.remove_ttl) updated->ttl = nullptr;
                decl = updated;
                if (type_change) {
                    TableMetadata probe = buildTableMetadata(*nq, ctx);
                    DataTypePtr from = md.find(decl->name)->type, to = probe.find(decl->name)->type;
                    std::string name = decl->name;
                    // Fail now, before anything is rewritten, if existing values do not convert.
                    mutation = std::make_unique<StorageMergeTree::Mutation>();
                    mutation->command = "MODIFY COLUMN " + name + " " + to->name();
                    auto fctx = ctx.functionContext();
                    mutation->transform = [from, to, name, fctx](Block b) {
                        int pos = b.positionByName(name);
                        b.at(pos).column = castColumn(b.at(pos).column, from, to, fctx);
                        b.at(pos).type = to;
                        return b;
                    };
                }
                break;
            }
            case T::RenameColumn: {
                auto* d = findDecl(c.column_name);
                if (!d) {
                    if (c.if_exists) continue;
                    throw Exception(ErrorCodes::NOT_FOUND_COLUMN_IN_BLOCK, "Wrong column name. Cannot find column " + c.column_name + " to rename");
                }
                if (findDecl(c.new_name)) throw Exception(ErrorCodes::DUPLICATE_COLUMN, "Cannot rename to " + c.new_name + ": column with this name already exists");
                if (isKeyColumn(c.column_name))
                    throw Exception(ErrorCodes::ALTER_OF_COLUMN_IS_FORBIDDEN, "Trying to ALTER RENAME key " + c.column_name + " column which is a part of key expression");
                auto renamed = std::static_pointer_cast<ASTColumnDeclaration>((*d)->clone());
                renamed->name = c.new_name;
                *d = renamed;
                mutation = std::make_unique<StorageMergeTree::Mutation>();
                mutation->command = "RENAME COLUMN " + c.column_name + " TO " + c.new_name;
                mutation->renamed_from[c.new_name] = c.column_name;
                break;
            }
            case T::CommentColumn: {
                auto* d = findDecl(c.column_name);
                if (!d) {
                    if (c.if_exists) continue;
                    throw noColumn(c.column_name);
                }
                auto updated = std::static_pointer_cast<ASTColumnDeclaration>((*d)->clone());
                updated->comment = c.comment;
                *d = updated;
                break;
            }
            case T::ModifySetting:
                for (auto& [k, v] : c.settings) {
                    bool found = false;
                    for (auto& [ek, ev] : nq->engine_settings) if (ek == k) { ev = v; found = true; }
                    if (!found) nq->engine_settings.push_back({k, v});
                }
                break;
            case T::ResetSetting:
                for (auto& k : c.reset_settings)
                    nq->engine_settings.erase(std::remove_if(nq->engine_settings.begin(), nq->engine_settings.end(),
                                                             [&](auto& kv) { return kv.first == k && k != "index_granularity"; }),
                                              nq->engine_settings.end());
                break;
            case T::AddIndex: {
                // Metadata only: parts get the index from merges, mutations or MATERIALIZE INDEX.
                for (auto& i : nq->indices)
                    if (i->name == c.index_name) {
                        if (c.if_not_exists) goto next_command;
                        throw Exception(ErrorCodes::ILLEGAL_COLUMN, "Cannot add index " + c.index_name + ": index with this name already exists");
                    }
                auto decl = cloneAs(*c.index);
                auto pos = nq->indices.end();
                if (c.first) pos = nq->indices.begin();
                else if (!c.after.empty()) {
                    pos = std::find_if(nq->indices.begin(), nq->indices.end(), [&](auto& i) { return i->name == c.after; });
                    if (pos == nq->indices.end())
                        throw Exception(ErrorCodes::BAD_ARGUMENTS, "Wrong index name. Cannot find index `" + c.after + "` to insert after");
                    ++pos;
                }
                nq->indices.insert(pos, decl);
                break;
            }
            case T::DropIndex: {
                auto it = std::find_if(nq->indices.begin(), nq->indices.end(), [&](auto& i) { return i->name == c.index_name; });
                if (it == nq->indices.end()) {
                    if (c.if_exists) continue;
                    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Wrong index name. Cannot find index `" + c.index_name + "` to drop");
                }
                nq->indices.erase(it);
                // Parts are re-linked without the index's file.
                mutation = std::make_unique<StorageMergeTree::Mutation>();
                mutation->command = "DROP INDEX " + c.index_name;
                break;
            }
            case T::ModifyTTL: nq->ttl = c.ttl; nq->ttl_where = c.ttl_where; break;
            case T::RemoveTTL: nq->ttl = nullptr; nq->ttl_where = nullptr; break;
            case T::ModifyComment: nq->comment = c.comment; break;
            default: throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Unsupported ALTER command");
        }
        {
            TableMetadata nmd = buildTableMetadata(*nq, ctx);
            mt->alter(std::move(nmd), nq, mutation.get(), ctx);
            catalog_.updateTableMetadata(db, q.table);
        }
    next_command:;
    }
}

// CREATE TABLE / VIEW: resolves the database (UNKNOWN_DATABASE) and the name (TABLE_ALREADY_EXISTS
// unless OR REPLACE); false when IF NOT EXISTS finds it taken.
bool Session::claimNewTable(ASTCreateQuery& q, QueryContext& ctx) {
    std::string db = q.database.empty() ? ctx.current_database : q.database;
    catalog_.assertDatabase(db);
    q.database = db;
    if (catalog_.hasTable(db, q.table) && !q.or_replace) {
        if (q.if_not_exists) return false;
        throw Exception(ErrorCodes::TABLE_ALREADY_EXISTS, "Table " + db + "." + q.table + " already exists");
    }
    return true;
}

void Session::executeCreate(const ASTCreateQuery& q_in, QueryContext& ctx) {
    auto q = std::static_pointer_cast<ASTCreateQuery>(q_in.clone());
    if (q->attach) {
        std::string db = q->database.empty() ? ctx.current_database : q->database;
        if (catalog_.hasTable(db, q->table)) {
            if (q->if_not_exists) return;
            throw Exception(ErrorCodes::TABLE_ALREADY_EXISTS, "Table " + db + "." + q->table + " already exists");
        }
        // Same CREATE statement (same UUID, so the same data directory): parts are loaded again.
        auto stored = catalog_.takeDetached(db, q->table);
        auto storage = createStorageFromQuery(stored, ctx);
        catalog_.addTable(db, q->table, storage, false);
        return;
    }
    if (q->what == ASTCreateQuery::What::Database) {
        std::string name = q->database.empty() ? q->table : q->database;
        catalog_.createDatabase(name, q->if_not_exists, q->engine ? q->engine->name : "Atomic");
        return;
    }
    if (q->what == ASTCreateQuery::What::View || q->what == ASTCreateQuery::What::MaterializedView) {
        executeCreateView(q, ctx);
        return;
    }
    if (q->what == ASTCreateQuery::What::Dictionary) {
        std::string db = q->database.empty() ? ctx.current_database : q->database;
        catalog_.assertDatabase(db);
        q->database = db;
        if (catalog_.hasTable(db, q->table)) {
            if (q->if_not_exists) return;
            throw Exception(ErrorCodes::DICTIONARY_ALREADY_EXISTS, "Dictionary " + db + "." + q->table + " already exists.");
        }
        auto storage = createDictionaryStorage(q, ctx);
        q->if_not_exists = false;
        catalog_.addTable(db, q->table, storage, false);
        return;
    }
    if (!claimNewTable(*q, ctx)) return;
    std::string db = q->database;
    std::optional<QueryResult> select_result;
    if (!q->as_table.empty()) {
        auto other = catalog_.getTable(q->as_database.empty() ? ctx.current_database : q->as_database, q->as_table);
        if (q->columns.empty() && other->create_query) {
            for (auto& c : other->create_query->columns) q->columns.push_back(cloneAs(*c));
            for (auto& c : other->create_query->constraints) q->constraints.push_back(cloneAs(*c));
        } else if (q->columns.empty()) {
            for (auto& c : other->metadata().columns) {
                auto d = std::make_shared<ASTColumnDeclaration>();
                d->name = c.name;
                d->type = c.type->name();
                q->columns.push_back(d);
            }
        }
        if (!q->engine && other->create_query && other->create_query->engine) {
            // The whole storage definition comes along: engine, keys, TTL, settings, indexes.
            auto& o = *other->create_query;
            q->engine = cloneAs(*o.engine);
            for (auto [dst, src] : {std::pair{&q->partition_by, &o.partition_by}, {&q->primary_key, &o.primary_key}, {&q->order_by, &o.order_by},
                                    {&q->sample_by, &o.sample_by}, {&q->ttl, &o.ttl}})
                if (!*dst && *src) *dst = (*src)->clone();
            if (q->engine_settings.empty()) q->engine_settings = o.engine_settings;
            if (q->indices.empty()) q->indices = o.indices;
        }
        q->as_database.clear();
        q->as_table.clear();
    }
    if (q->as_table_function) {
        auto s = createTableFunction(*q->as_table_function, ctx);
        s->create_query = q;
        catalog_.addTable(db, q->table, s, q->if_not_exists, q->or_replace);
        return;
    }
    if (q->as_select) {
        select_result = executeSelect(q->as_select, ctx);
        if (q->columns.empty())
            for (auto& c : select_result->header.data()) {
                auto d = std::make_shared<ASTColumnDeclaration>();
                d->name = c.name;
                d->type = c.type->name();
                q->columns.push_back(d);
            }
    }
    if (q->columns.empty() && q->engine && q->engine->name == "Merge") {
        // ENGINE = Merge without columns: the structure of the first matching table.
        auto probe = std::static_pointer_cast<ASTCreateQuery>(q->clone());
        auto d = std::make_shared<ASTColumnDeclaration>();
        d->name = "_dummy";
        d->type = "UInt8";
        probe->columns.push_back(d);
        auto tables = static_cast<StorageMerge&>(*createStorageFromQuery(probe, ctx)).tables();
        if (tables.empty()) throw Exception(ErrorCodes::BAD_ARGUMENTS, "There are no tables satisfied provided regexp, you must specify table structure manually");
        for (auto& c : tables.front().second->metadata().columns) {
            if (!c.default_kind.empty() && c.default_kind != "DEFAULT") continue;
            auto cd = std::make_shared<ASTColumnDeclaration>();
            cd->name = c.name;
            cd->type = c.type->name();
            q->columns.push_back(cd);
        }
        q->engine = probe->engine;
    }
    if (q->columns.empty()) throw Exception(ErrorCodes::INCORRECT_QUERY, "Table " + db + "." + q->table + " has no columns");
    auto storage = createStorageFromQuery(q, ctx);
    // CREATE (not loading stored metadata) validates types as ClickHouse's InterpreterCreateQuery.
    if (!ctx.settings.allow_suspicious_low_cardinality_types)
        for (auto& c : storage->metadata().columns) checkSuspiciousLowCardinality(*c.type);
    if (select_result) {
        // Fill before publishing, so a failure leaves no table behind.
        auto ins = std::make_shared<ASTInsertQuery>();
        (void)ins;
        std::vector<Block> blocks;
        auto fctx = ctx.functionContext();
        for (auto& b : select_result->blocks) {
            Block nb;
            size_t i = 0;
            for (auto& c : storage->metadata().columns) {
                if (i >= b.columns()) break;
                nb.insert({castColumn(b.at(i).column, b.at(i).type, c.type, fctx), c.type, c.name});
                ++i;
            }
            blocks.push_back(std::move(nb));
        }
        storage->write(std::move(blocks), ctx);
    }
    StoragePtr replaced = q->or_replace ? catalog_.tryGetTable(db, q->table) : nullptr;
    try {
        catalog_.addTable(db, q->table, storage, q->if_not_exists, q->or_replace);
    } catch (...) {
        storage->drop();
        throw;
    }
    if (replaced && replaced != storage) replaced->drop();
}

namespace {
// Blocks from a client (native protocol): columns by name, converted to the table's types.
std::vector<Block> convertClientBlocks(std::vector<Block>& blocks, const std::vector<const ColumnDescription*>& targets, const std::string& table,
                                       const FunctionContext& fctx) {
    std::vector<Block> input;
    for (auto& b : blocks) {
        if (!b.rows()) continue;
        Block nb;
        for (auto& c : b.data()) {
            const ColumnDescription* target = nullptr;
            for (auto* t : targets) if (t->name == c.name) target = t;
            if (!target) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "No such column " + c.name + " in table " + table);
            nb.insert({materialize(castColumn(c.column, c.type, target->type, fctx)), target->type, target->name});
        }
        if (!nb.columns()) nb.setRowsWithoutColumns(b.rows());
        input.push_back(std::move(nb));
    }
    return input;
}
}  // namespace

void Session::executeInsert(const ASTInsertQuery& q, QueryContext& ctx) {
    std::string db = q.database.empty() ? ctx.current_database : q.database;
    // INSERT ... SELECT ... SETTINGS: the settings are the whole statement's (as in ClickHouse),
    // e.g. distributed_foreground_insert or max_insert_block_size.
    if (q.select) {
        const IAST* last = q.select.get();
        while (auto* u = last->as<ASTSelectWithUnion>()) {
            if (u->selects.empty()) break;
            last = u->selects.back().get();
        }
        if (auto* sq = last->as<ASTSelectQuery>())
            for (auto& [k, v] : sq->settings) ctx.settings.set(k, v);
    }
    StoragePtr s;
    if (q.table_function) s = createTableFunction(*q.table_function, ctx);
    else s = catalog_.getTable(db, q.table);
    const TableMetadata& md = s->metadata();
    // Columns the data provides.
    std::vector<const ColumnDescription*> targets = insertTargets(q, md, db);
    Block header;
    for (auto* c : targets) header.insert({createColumn(c->type), c->type, c->name});
    std::vector<Block> input;
    auto fctx = ctx.functionContext();
    if (insert_source_ && !q.select) {
        InsertDataSource& source = *std::exchange(insert_source_, nullptr);   // not for the views' own statements
        std::string fmt = q.format.empty() ? "Values" : q.format;
        // Pieces are parsed as they come and prepared about max_insert_block_size rows at a time
        // (so parts are as big as a one-shot INSERT's); everything is published at the end.
        PreparedWrites prepared;
        std::vector<Block> pending;
        size_t pending_rows = 0, pending_bytes = 0;
        size_t block_rows = std::max<uint64_t>(1, ctx.settings.max_insert_block_size);
        auto prepare = [&](std::vector<Block> blocks) {
            auto out = completeInsertBlocks(md, std::move(blocks), ctx, db + "." + q.table);
            for (auto& b : out) { ctx.written_rows += b.rows(); ctx.written_bytes += b.bytes(); }
            if (q.table_function) prepared.push_back(s->prepareWrite(std::move(out), ctx));
            else prepareWithViews(db, q.table, s, std::move(out), ctx, prepared);
        };
        // Prepares whole max_insert_block_size batches (`all`: the rest too), keeping the remainder.
        auto flush = [&](bool all) {
            while (pending_rows >= block_rows || (all && pending_rows) || pending_bytes >= (size_t(256) << 20)) {
                std::vector<Block> batch;
                size_t rows = 0;
                while (!pending.empty() && rows < block_rows) {
                    Block& b = pending.front();
                    size_t take = std::min(b.rows(), block_rows - rows);
                    if (take == b.rows()) {
                        batch.push_back(std::move(b));
                        pending.erase(pending.begin());
                    } else {
                        batch.push_back(cutBlock(b, 0, take));
                        b = cutBlock(b, take, b.rows() - take);
                    }
                    rows += take;
                }
                pending_rows -= rows;
                pending_bytes = 0;
                for (auto& b : pending) pending_bytes += b.bytes();
                prepare(std::move(batch));
            }
        };
        std::string text;
        std::vector<Block> client_blocks;
        uint64_t rows_before = 0;   // rows of the earlier pieces
        while (true) {
            ctx.checkLimits();
            text.clear();
            client_blocks.clear();
            if (!source.next(text, client_blocks)) break;
            std::vector<Block> piece;
            if (!text.empty()) {
                try {
                    piece = parseInputFormatParallel(fmt, text, header, ctx.formatSettings(), ctx.settings.max_block_size, ctx.threads());
                } catch (const Exception& e) {
                    // The parser counts rows within the piece; the client counts them within its data.
                    std::string msg = e.what();
                    size_t at = msg.rfind("(at row ");
                    if (at == std::string::npos || rows_before == 0) throw;
                    size_t n = std::strtoull(msg.c_str() + at + 8, nullptr, 10);
                    throw Exception(e.code(), msg.substr(0, at) + "(at row " + std::to_string(n + rows_before) + ")");
                }
            } else {
                piece = convertClientBlocks(client_blocks, targets, db + "." + q.table, fctx);
            }
            for (auto& b : piece) {
                rows_before += b.rows();
                if (!b.rows()) continue;
                pending_rows += b.rows();
                pending_bytes += b.bytes();
                pending.push_back(std::move(b));
            }
            flush(false);
        }
        flush(true);
        commitPreparedWrites(prepared);
        return;
    }
    if (q.select) {
        QueryResult r = executeSelect(q.select, ctx);
        if (r.header.columns() != targets.size())
            throw Exception(ErrorCodes::NUMBER_OF_COLUMNS_DOESNT_MATCH,
                            "Number of columns doesn't match (source: " + std::to_string(r.header.columns()) + " and result: " + std::to_string(targets.size()) + ")");
        for (auto& b : r.blocks) {
            Block nb;
            for (size_t i = 0; i < targets.size(); ++i)
                nb.insert({materialize(castColumn(b.at(i).column, b.at(i).type, targets[i]->type, fctx)), targets[i]->type, targets[i]->name});
            input.push_back(std::move(nb));
        }
    } else if (q.has_inline_data) {
        std::string fmt = q.format.empty() ? "Values" : q.format;
        try {
            input = parseInputFormatParallel(fmt, q.data, header, ctx.formatSettings(), ctx.settings.max_block_size, ctx.threads());
        } catch (const Exception& e) {
            // Values rows may hold expressions (`(1 + 1, now())`), which ClickHouse evaluates
            // (input_format_values_interpret_expressions). The literal fast path failed, so evaluate
            // the rows as arguments of the values() table function; if that fails too, report the
            // original parse error.
            if (!iequals(fmt, "Values")) throw;
            std::string structure;
            for (auto* c : targets) structure += (structure.empty() ? "" : ", ") + std::string("`") + c->name + "` " + c->type->name();
            std::string data(q.data);
            while (!data.empty() && (isspace((unsigned char)data.back()) || data.back() == ';')) data.pop_back();
            try {
                auto fn = parseStatement("SELECT * FROM values(" + quoteString(structure) + ", " + data + ")");
                QueryResult r = executeSelect(fn.ast, ctx);
                input = std::move(r.blocks);
            } catch (const Exception&) {
                throw e;
            }
        }
    } else {
        throw Exception(ErrorCodes::INCORRECT_QUERY, "INSERT query has no data (VALUES, FORMAT or SELECT)");
    }
    auto out = completeInsertBlocks(md, std::move(input), ctx, db + "." + q.table);
    for (auto& b : out) { ctx.written_rows += b.rows(); ctx.written_bytes += b.bytes(); }
    if (q.table_function) s->write(std::move(out), ctx);
    else insertWithViews(db, q.table, s, std::move(out), ctx);
}

// Fills missing columns (defaults, MATERIALIZED) and checks constraints before anything is written.
std::vector<Block> completeInsertBlocks(const TableMetadata& md, std::vector<Block> input, QueryContext& ctx, const std::string& table_name) {
    auto fctx = ctx.functionContext();
    Analyzer analyzer(ctx, [&](const ASTPtr& sq, size_t) {
        auto r = executeSelect(sq, ctx);
        return r.blocks.empty() ? r.header : concatBlocks(r.blocks, r.header);
    });
    std::vector<Block> out;
    size_t row_base = 0;
    for (auto& b : input) {
        size_t rows = b.rows();
        Block full;
        for (auto& c : md.columns) {
            if (c.default_kind == "ALIAS" || c.default_kind == "EPHEMERAL") continue;
            if (const auto* given = b.findByName(c.name)) {
                full.insert({materialize(given->column), c.type, c.name});
                continue;
            }
            if (c.default_expr) {
                Scope scope;
                Block provided;
                for (auto& g : b.data()) { scope.columns.push_back({g.name, g.type}); provided.insert(g); }
                for (auto& g : full.data()) if (!provided.findByName(g.name)) { scope.columns.push_back({g.name, g.type}); provided.insert(g); }
                if (provided.columns() == 0) provided.setRowsWithoutColumns(rows);
                ExprNodePtr e = analyzer.analyze(c.default_expr, scope);
                ColumnPtr v = materialize(castColumn(evaluate(e, provided), e->type, c.type, fctx));
                full.insert({v, c.type, c.name});
            } else {
                auto col = createColumn(c.type);
                col->insertManyDefaults(rows);
                full.insert({col, c.type, c.name});
            }
        }
        for (auto& con : md.constraints) {
            Scope scope;
            for (auto& g : full.data()) scope.columns.push_back({g.name, g.type});
            ExprNodePtr e = analyzer.analyze(con.expr, scope);
            ColumnPtr r = materialize(evaluate(e, full));
            for (size_t i = 0; i < rows; ++i) {
                Field v = r->get(i);
                bool ok = !v.isNull() && !(v == Field(uint64_t(0))) && !(v == Field(false));
                if (!ok) {
                    std::string values;
                    std::set<std::string> used;
                    for (auto& g : full.data()) {
                        if (con.expr->formatSQL(false).find(g.name) == std::string::npos) continue;
                        if (!values.empty()) values += ", ";
                        values += g.name + " = " + g.column->get(i).toSQL();
                    }
                    throw Exception(ErrorCodes::VIOLATED_CONSTRAINT,
                                    "Constraint `" + con.name + "` for table " + table_name + " is violated at row " +
                                        std::to_string(row_base + i + 1) + ". Expression: (" + con.expr->formatSQL(false) + ")" +
                                        (values.empty() ? "" : ". Column values: " + values));
                }
            }
        }
        row_base += rows;
        out.push_back(std::move(full));
    }
    return out;
}

std::string Session::formatResult(const StatementOutput& out, const std::string& default_format) {
    std::string text;
    writeResult(out, default_format, [&](std::string_view s) { text.append(s); });
    return text;
}

void Session::writeResult(const StatementOutput& out, const std::string& default_format, const WriteCallback& write) {
    if (!out.has_result) return;
    FormattingSink sink(out.format.empty() ? default_format : out.format, formatSettings(), write);
    sink.begin(out.result.header);
    for (auto& b : out.result.blocks) sink.write(b);
    if (out.result.totals) sink.writeTotals(*out.result.totals);
    OutputStatistics st;
    st.rows_read = out.result.rows_read;
    st.bytes_read = out.result.bytes_read;
    sink.finish(st);
}

FormatSettings Session::formatSettings() const {
    QueryContext c;
    c.settings = settings_;
    return c.formatSettings();
}

Session::Counters Session::runningCounters() {
    std::lock_guard lock(running_mutex_);
    if (!running_) return {};
    return {running_->read_rows.load(), running_->read_bytes.load(), running_->written_rows.load(), running_->written_bytes.load()};
}

void FormattingSink::begin(const Block& header) {
    writer_ = createOutputFormat(format_, header, write_, settings_);
    writer_->writePrefix();
}

void FormattingSink::write(const Block& block) {
    rows_ += block.rows();
    bytes_ += block.bytes();
    writer_->write(block);
    writer_->flush();   // a streamed block reaches the client now, not when the format's buffer fills
}

void FormattingSink::writeTotals(const Block& totals) { writer_->writeTotals(totals); }

void FormattingSink::finish(const OutputStatistics& stats) {
    if (!writer_) return;
    writer_->writeSuffix(stats);
    writer_->flush();
}

std::unique_ptr<Catalog> openCatalog(const std::string& path) {
    StorageMergeTree::setMutationBuilder(rebuildMutation);
    auto catalog = std::make_unique<Catalog>(path);
    registerSystemTables(*catalog);
    catalog->loadFromDisk([&](const std::string& db, const std::shared_ptr<ASTCreateQuery>& q) {
        QueryContext ctx;
        ctx.catalog = catalog.get();
        ctx.current_database = db;
        if (q->as_table_function) {
            auto s = createTableFunction(*q->as_table_function, ctx);
            s->create_query = q;
            return s;
        }
        return createStorageFromQuery(q, ctx);
    });
    return catalog;
}

}  // namespace basalt
