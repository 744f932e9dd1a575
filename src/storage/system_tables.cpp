// system_tables.cpp — see system_tables.h.
#include "storage/system_tables.h"

#include "cluster/cluster_functions.h"

#include <algorithm>

#include "aggregates/aggregate_function.h"
#include "common/exception.h"
#include "dictionaries/dictionary.h"
#include "formats/format.h"
#include "functions/function.h"
#include "interpreter/context.h"
#include "storage/catalog.h"
#include "storage/mergetree/storage_mergetree.h"
#include "storage/numbers.h"
#include "storage/view.h"
#include "types/create_column.h"

namespace basalt {

Sources sourceOfGeneratedBlock(const Block& full, const std::vector<std::string>& columns, const std::string& table) {
    Block b;
    for (auto& c : columns) {
        const auto* col = full.findByName(c);
        if (!col) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + c + " in table" + (table.empty() ? "" : " " + table));
        b.insert(*col);
    }
    if (columns.empty()) b.setRowsWithoutColumns(full.rows());
    std::vector<Block> blocks;
    if (b.rows()) blocks.push_back(std::move(b));
    Sources r;
    r.push_back(std::make_unique<BlocksSource>(std::move(blocks)));
    return r;
}

Sources StorageGenerated::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t) {
    return sourceOfGeneratedBlock(generate_(ctx), columns, "");
}

RowBuilder::RowBuilder(const std::vector<ColumnDescription>& c) : cols(c) {
    for (auto& d : cols) data.push_back(createColumn(d.type));
}

void RowBuilder::add(std::vector<Field> row) {
    for (size_t i = 0; i < data.size(); ++i) data[i]->insert(row[i]);
}

Block RowBuilder::build() {
    Block b;
    for (size_t i = 0; i < data.size(); ++i) b.insert({data[i], cols[i].type, cols[i].name});
    return b;
}

ColumnDescription col(const std::string& n, TypeId t) { return {n, makeType(t), "", nullptr, "", ""}; }
ColumnDescription col(const std::string& n, DataTypePtr t) { return {n, std::move(t), "", nullptr, "", ""}; }

namespace {

// ---- information_schema -------------------------------------------------------------------------
// ClickHouse defines these as views over system tables with every column twice: lower-case, then
// upper-case (MySQL / PostgreSQL clients spell them either way). Registered in both
// "information_schema" and "INFORMATION_SCHEMA", each under a lower- and an upper-case table name.

std::string upper(std::string s) {
    for (auto& c : s)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return s;
}

// Columns plus their upper-case twins; rows are built for the lower-case half and duplicated.
std::vector<ColumnDescription> withUpperCase(const std::vector<ColumnDescription>& cols) {
    auto r = cols;
    for (auto& c : cols) r.push_back(col(upper(c.name), c.type));
    return r;
}

std::vector<Field> twice(std::vector<Field> row) {
    size_t n = row.size();
    for (size_t i = 0; i < n; ++i) row.push_back(row[i]);
    return row;
}

bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

// Numbers inside the parentheses of a type name: "Decimal(10, 3)" -> {10, 3}.
std::vector<uint64_t> typeArgs(const std::string& t) {
    std::vector<uint64_t> r;
    size_t p = t.find('(');
    while (p != std::string::npos && p < t.size()) {
        size_t q = p + 1;
        while (q < t.size() && t[q] == ' ') ++q;
        if (q < t.size() && t[q] >= '0' && t[q] <= '9') r.push_back(std::stoull(t.substr(q)));
        else break;
        p = t.find(',', q);
    }
    return r;
}

void registerInformationSchema(Catalog& catalog) {
    auto nstr = makeNullable(makeType(TypeId::String));
    auto nu64 = makeNullable(makeType(TypeId::UInt64));
    auto addBoth = [&](const std::string& name, const std::function<StoragePtr()>& make) {
        for (const char* db : {"information_schema", "INFORMATION_SCHEMA"}) {
            catalog.addTable(db, name, make(), false);
            catalog.addTable(db, upper(name), make(), false);
        }
    };

    auto schemata = withUpperCase({col("catalog_name", TypeId::String), col("schema_name", TypeId::String),
                                   col("schema_owner", TypeId::String), col("default_character_set_catalog", nstr),
                                   col("default_character_set_schema", nstr), col("default_character_set_name", nstr),
                                   col("sql_path", nstr)});
    addBoth("schemata", [&] {
        return std::make_shared<StorageGenerated>("View", schemata, [schemata](QueryContext& ctx) {
            RowBuilder rb(schemata);
            for (auto& d : ctx.catalog->databases()) rb.add(twice({d, d, "default", Field(), Field(), Field(), Field()}));
            return rb.build();
        });
    });

    auto tables = withUpperCase({col("table_catalog", TypeId::String), col("table_schema", TypeId::String),
                                 col("table_name", TypeId::String), col("table_type", TypeId::String), col("table_rows", nu64),
                                 col("data_length", nu64), col("index_length", nu64), col("table_collation", nstr),
                                 col("table_comment", nstr)});
    addBoth("tables", [&] {
        return std::make_shared<StorageGenerated>("View", tables, [tables](QueryContext& ctx) {
            RowBuilder rb(tables);
            for (auto& d : ctx.catalog->databases())
                for (auto& [n, s] : ctx.catalog->tables(d)) {
                    std::string engine = s->engineName();
                    std::string type;
                    if (engine.size() >= 4 && engine.compare(engine.size() - 4, 4, "View") == 0) type = "VIEW";
                    else if (s->isSystem()) type = "SYSTEM VIEW";
                    else if (engine.find("MergeTree") != std::string::npos) type = "BASE TABLE";
                    else type = "FOREIGN TABLE";
                    auto rows = s->totalRows();
                    auto bytes = s->totalBytes();
                    rb.add(twice({d, d, n, type, rows ? Field(*rows) : Field(), bytes ? Field(*bytes) : Field(), uint64_t(0),
                                  "utf8mb4_0900_ai_ci", s->metadata().comment}));
                }
            return rb.build();
        });
    });

    auto columns = withUpperCase(
        {col("table_catalog", TypeId::String), col("table_schema", TypeId::String), col("table_name", TypeId::String),
         col("column_name", TypeId::String), col("ordinal_position", TypeId::UInt64), col("column_default", TypeId::String),
         col("is_nullable", TypeId::String), col("data_type", TypeId::String), col("character_maximum_length", nu64),
         col("character_octet_length", nu64), col("numeric_precision", nu64), col("numeric_precision_radix", nu64),
         col("numeric_scale", nu64), col("datetime_precision", nu64), col("character_set_catalog", nstr),
         col("character_set_schema", nstr), col("character_set_name", nstr), col("collation_catalog", nstr),
         col("collation_schema", nstr), col("collation_name", nstr), col("domain_catalog", nstr), col("domain_schema", nstr),
         col("domain_name", nstr), col("extra", nstr), col("column_comment", TypeId::String), col("column_type", TypeId::String)});
    addBoth("columns", [&] {
        return std::make_shared<StorageGenerated>("View", columns, [columns](QueryContext& ctx) {
            RowBuilder rb(columns);
            for (auto& d : ctx.catalog->databases())
                for (auto& [n, s] : ctx.catalog->tables(d)) {
                    uint64_t pos = 0;
                    for (auto& c : s->metadata().columns) {
                        std::string type = c.type->name();
                        bool nullable = startsWith(type, "Nullable(");
                        std::string base = nullable ? type.substr(9, type.size() - 10) : type;
                        Field char_len, precision, radix, scale, dt_precision;
                        auto args = typeArgs(base);
                        if (startsWith(base, "FixedString(") && !args.empty()) char_len = args[0];
                        if ((startsWith(base, "Int") || startsWith(base, "UInt")) && base.find('(') == std::string::npos) {
                            precision = uint64_t(std::stoull(base.substr(base[0] == 'U' ? 4 : 3)));
                            radix = uint64_t(2);
                            scale = uint64_t(0);
                        } else if (startsWith(base, "Decimal") && args.size() == 2) {
                            precision = args[0];
                            radix = uint64_t(10);
                            scale = args[1];
                        } else if (startsWith(base, "DateTime64")) {
                            dt_precision = args.empty() ? uint64_t(3) : args[0];
                        } else if (startsWith(base, "Date")) {
                            dt_precision = uint64_t(0);
                        }
                        std::string extra = c.default_kind == "DEFAULT" ? "DEFAULT_GENERATED"
                                            : c.default_kind == "MATERIALIZED" ? "STORED GENERATED"
                                            : c.default_kind == "ALIAS" ? "VIRTUAL GENERATED" : "";
                        rb.add(twice({d, d, n, c.name, ++pos, c.default_expr ? c.default_expr->formatSQL(false) : "",
                                      nullable ? "1" : "0", type, char_len, char_len, precision, radix, scale, dt_precision,
                                      Field(), Field(), Field(), Field(), Field(), Field(), Field(), Field(), Field(), extra,
                                      c.comment, type}));
                    }
                }
            return rb.build();
        });
    });
}

}  // namespace

void registerSystemTables(Catalog& catalog) {
    auto add = [&](const std::string& name, StoragePtr s) { catalog.addTable("system", name, std::move(s), false); };
    add("one", std::make_shared<StorageOne>());
    add("numbers", std::make_shared<StorageNumbers>(0, std::nullopt));
    add("numbers_mt", std::make_shared<StorageNumbers>(0, std::nullopt));
    add("zeros", std::make_shared<StorageNumbers>(0, std::nullopt, true));

    std::vector<ColumnDescription> dbcols{col("name", TypeId::String), col("engine", TypeId::String), col("data_path", TypeId::String),
                                          col("metadata_path", TypeId::String), col("comment", TypeId::String)};
    add("databases", std::make_shared<StorageGenerated>("SystemDatabases", dbcols, [dbcols](QueryContext& ctx) {
        RowBuilder rb(dbcols);
        const std::string& path = ctx.catalog->dataPath();
        for (auto& d : ctx.catalog->databases())
            rb.add({d, d == "system" ? "Memory" : "Atomic", path.empty() ? "" : path + "/data/" + d + "/",
                    path.empty() ? "" : path + "/metadata/" + d + "/", ""});
        return rb.build();
    }));

    std::vector<ColumnDescription> tcols{col("database", TypeId::String), col("name", TypeId::String), col("engine", TypeId::String),
                                         col("is_temporary", TypeId::UInt8), col("create_table_query", TypeId::String),
                                         col("engine_full", TypeId::String),
                                         col("total_rows", makeNullable(makeType(TypeId::UInt64))),
                                         col("total_bytes", makeNullable(makeType(TypeId::UInt64))), col("comment", TypeId::String),
                                         col("partition_key", TypeId::String), col("sorting_key", TypeId::String),
                                         col("primary_key", TypeId::String)};
    add("tables", std::make_shared<StorageGenerated>("SystemTables", tcols, [tcols](QueryContext& ctx) {
        RowBuilder rb(tcols);
        for (auto& d : ctx.catalog->databases())
            for (auto& [n, s] : ctx.catalog->tables(d)) {
                auto rows = s->totalRows();
                auto bytes = s->totalBytes();
                std::string create = s->create_query ? s->create_query->formatSQL() : "";
                // engine_full: the ENGINE clause of the definition on one line, as ClickHouse shows it.
                std::string engine_full = s->engineName();
                if (size_t at = create.find("\nENGINE = "); at != std::string::npos) {
                    engine_full = create.substr(at + 10);
                    if (size_t c = engine_full.find("\nCOMMENT "); c != std::string::npos) engine_full.resize(c);
                    std::replace(engine_full.begin(), engine_full.end(), '\n', ' ');
                }
                std::string partition_key, sorting_key, primary_key;
                if (auto* mt = dynamic_cast<const StorageMergeTree*>(s.get())) {
                    partition_key = mt->partitionKeyDescription();
                    sorting_key = mt->sortingKeyDescription();
                    primary_key = mt->primaryKeyDescription();
                }
                rb.add({d, n, s->isSystem() ? "System" + s->engineName() : s->engineName(), uint64_t(0), create, engine_full,
                        rows ? Field(*rows) : Field(), bytes ? Field(*bytes) : Field(), s->metadata().comment, partition_key, sorting_key,
                        primary_key});
            }
        return rb.build();
    }));

    std::vector<ColumnDescription> ccols{col("database", TypeId::String), col("table", TypeId::String), col("name", TypeId::String),
                                         col("type", TypeId::String), col("position", TypeId::UInt64), col("default_kind", TypeId::String),
                                         col("default_expression", TypeId::String), col("comment", TypeId::String),
                                         col("compression_codec", TypeId::String)};
    add("columns", std::make_shared<StorageGenerated>("SystemColumns", ccols, [ccols](QueryContext& ctx) {
        RowBuilder rb(ccols);
        for (auto& d : ctx.catalog->databases())
            for (auto& [n, s] : ctx.catalog->tables(d)) {
                uint64_t pos = 0;
                for (auto& c : s->metadata().columns)
                    rb.add({d, n, c.name, c.type->name(), ++pos, c.default_kind, c.default_expr ? c.default_expr->formatSQL(false) : "",
                            c.comment, c.codec.empty() ? "" : "CODEC(" + c.codec + ")"});
            }
        return rb.build();
    }));

    auto strings = makeArray(makeType(TypeId::String));
    std::vector<ColumnDescription> dcols{col("database", TypeId::String), col("name", TypeId::String), col("uuid", TypeId::String),
                                         col("status", TypeId::String), col("origin", TypeId::String), col("type", TypeId::String),
                                         col("key.names", strings), col("key.types", strings), col("attribute.names", strings),
                                         col("attribute.types", strings), col("bytes_allocated", TypeId::UInt64), col("query_count", TypeId::UInt64),
                                         col("element_count", TypeId::UInt64), col("source", TypeId::String), col("lifetime_min", TypeId::UInt64),
                                         col("lifetime_max", TypeId::UInt64), col("loading_start_time", makeDateTime()),
                                         col("last_successful_update_time", makeDateTime()), col("loading_duration", TypeId::Float32),
                                         col("last_exception", TypeId::String), col("comment", TypeId::String)};
    add("dictionaries", std::make_shared<StorageGenerated>("SystemDictionaries", dcols, [dcols](QueryContext& ctx) {
        RowBuilder rb(dcols);
        for (auto& d : ctx.catalog->databases())
            for (auto& [n, s] : ctx.catalog->tables(d)) {
                auto* sd = dynamic_cast<const StorageDictionary*>(s.get());
                if (!sd) continue;
                const auto& dict = *sd->dictionary();
                const auto& st = dict.structure();
                auto status = dict.status();
                FieldArray kn, kt, an, at;
                for (size_t i = 0; i < st.key_names.size(); ++i) { kn.items.push_back(Field(st.key_names[i])); kt.items.push_back(Field(st.key_types[i]->name())); }
                for (auto& c : st.columns)
                    if (!st.isKey(c.name)) { an.items.push_back(Field(c.name)); at.items.push_back(Field(c.type->name())); }
                rb.add({d, n, s->create_query ? s->create_query->uuid : "", status.status, d + "." + n, st.layoutName(), Field(kn), Field(kt),
                        Field(an), Field(at), status.bytes_allocated, status.query_count, status.element_count, st.source_description,
                        st.lifetime_min, st.lifetime_max, uint64_t(status.loading_start_time), uint64_t(status.last_successful_update_time),
                        status.loading_duration, status.last_exception, s->metadata().comment});
            }
        return rb.build();
    }));

    auto ndt = makeNullable(makeDateTime());
    auto nu64 = makeNullable(makeType(TypeId::UInt64));
    std::vector<ColumnDescription> rcols{col("database", TypeId::String), col("view", TypeId::String), col("uuid", TypeId::String),
                                         col("status", TypeId::String), col("last_success_time", ndt), col("last_success_duration_ms", nu64),
                                         col("last_refresh_time", ndt), col("last_refresh_replica", TypeId::String), col("next_refresh_time", ndt),
                                         col("exception", TypeId::String), col("retry", TypeId::UInt64), col("progress", makeNullable(makeType(TypeId::Float64))),
                                         col("read_rows", nu64), col("read_bytes", nu64), col("total_rows", nu64), col("written_rows", nu64),
                                         col("written_bytes", nu64)};
    add("view_refreshes", std::make_shared<StorageGenerated>("SystemViewRefreshes", rcols, [rcols](QueryContext& ctx) {
        RowBuilder rb(rcols);
        auto opt = [](const std::optional<int64_t>& v) { return v ? Field(uint64_t(*v)) : Field(); };
        for (auto& d : ctx.catalog->databases())
            for (auto& [n, s] : ctx.catalog->tables(d)) {
                auto* mv = dynamic_cast<const StorageMaterializedView*>(s.get());
                if (!mv || !mv->refreshable()) continue;
                auto st = mv->refreshState();
                rb.add({d, n, s->create_query ? s->create_query->uuid : "", st.status, opt(st.last_success_time), opt(st.last_success_duration_ms),
                        opt(st.last_refresh_time), "", opt(st.next_refresh_time), st.exception, st.retry, Field(), Field(), Field(), Field(),
                        st.written_rows ? Field(*st.written_rows) : Field(), Field()});
            }
        return rb.build();
    }));

    std::vector<ColumnDescription> fcols{col("name", TypeId::String), col("is_aggregate", TypeId::UInt8), col("case_insensitive", TypeId::UInt8)};
    add("functions", std::make_shared<StorageGenerated>("SystemFunctions", fcols, [fcols](QueryContext&) {
        RowBuilder rb(fcols);
        auto& ff = FunctionFactory::instance();
        for (auto& n : ff.names()) {
            auto* p = ff.properties(n);
            rb.add({n, uint64_t(0), uint64_t(p && p->case_insensitive)});
        }
        for (auto& n : AggregateFunctionFactory::instance().names()) rb.add({n, uint64_t(1), uint64_t(0)});
        return rb.build();
    }));

    std::vector<ColumnDescription> scols{col("name", TypeId::String), col("value", TypeId::String), col("changed", TypeId::UInt8),
                                         col("description", TypeId::String), col("type", TypeId::String), col("default", TypeId::String)};
    add("settings", std::make_shared<StorageGenerated>("SystemSettings", scols, [scols](QueryContext& ctx) {
        RowBuilder rb(scols);
        for (auto& r : ctx.settings.describe()) rb.add({r.name, r.value, uint64_t(r.changed), r.description, r.type, r.default_value});
        return rb.build();
    }));

    registerInformationSchema(catalog);

    std::vector<ColumnDescription> qlcols{
        col("type", TypeId::String), col("event_date", TypeId::Date), col("event_time", TypeId::DateTime),
        col("event_time_microseconds", parseDataType("DateTime64(6)")), col("query_start_time", TypeId::DateTime),
        col("query_start_time_microseconds", parseDataType("DateTime64(6)")), col("query_duration_ms", TypeId::UInt64),
        col("read_rows", TypeId::UInt64), col("read_bytes", TypeId::UInt64), col("written_rows", TypeId::UInt64),
        col("written_bytes", TypeId::UInt64), col("result_rows", TypeId::UInt64), col("result_bytes", TypeId::UInt64),
        col("memory_usage", TypeId::UInt64), col("current_database", TypeId::String), col("query", TypeId::String),
        col("query_kind", TypeId::String), col("exception_code", TypeId::Int32), col("exception", TypeId::String),
        col("is_initial_query", TypeId::UInt8), col("user", TypeId::String), col("query_id", TypeId::String),
        col("address", TypeId::String), col("interface", TypeId::UInt8), col("client_name", TypeId::String)};
    add("query_log", std::make_shared<StorageGenerated>("SystemQueryLog", qlcols, [qlcols](QueryContext& ctx) {
        RowBuilder rb(qlcols);
        auto kind = [](const std::string& k) -> std::string {
            if (k == "SelectWithUnionQuery" || k == "SelectQuery" || k == "ExplainQuery" || k == "ShowQuery" || k == "DescribeQuery") return "Select";
            if (k == "InsertQuery") return "Insert";
            if (k == "CreateQuery") return "Create";
            if (k == "DropQuery") return "Drop";
            if (k == "RenameQuery") return "Rename";
            if (k == "OptimizeQuery") return "Optimize";
            if (k == "SystemQuery") return "System";
            if (k == "SetQuery") return "Set";
            if (k == "UseQuery") return "Use";
            return "";
        };
        for (auto& e : ctx.catalog->queryLog().snapshot())
            rb.add({e.type, uint64_t(e.event_time / 86400), uint64_t(e.event_time), e.event_time_us, uint64_t(e.query_start_time_us / 1000000),
                    e.query_start_time_us, e.query_duration_ms, e.read_rows, e.read_bytes, e.written_rows, e.written_bytes, e.result_rows,
                    e.result_bytes, uint64_t(std::max<int64_t>(0, e.memory_usage)), e.current_database, e.query, kind(e.query_kind),
                    int64_t(e.exception_code), e.exception, uint64_t(1), e.user.empty() ? std::string("default") : e.user, e.query_id,
                    e.address, uint64_t(e.interface == "TCP" ? 1 : e.interface == "HTTP" ? 2 : 6), e.client_name});
        return rb.build();
    }));
    std::vector<ColumnDescription> pscols{
        col("is_initial_query", TypeId::UInt8), col("user", TypeId::String), col("query_id", TypeId::String), col("address", TypeId::String),
        col("elapsed", TypeId::Float64), col("read_rows", TypeId::UInt64), col("read_bytes", TypeId::UInt64), col("written_rows", TypeId::UInt64),
        col("written_bytes", TypeId::UInt64), col("memory_usage", TypeId::Int64), col("peak_memory_usage", TypeId::Int64), col("query", TypeId::String),
        col("current_database", TypeId::String), col("interface", TypeId::UInt8), col("is_cancelled", TypeId::UInt8)};
    add("processes", std::make_shared<StorageGenerated>("SystemProcesses", pscols, [pscols](QueryContext& ctx) {
        RowBuilder rb(pscols);
        for (auto& p : ctx.catalog->processList().snapshot())
            rb.add({uint64_t(1), p.info.user, p.info.query_id, p.info.address, p.elapsed, p.read_rows, p.read_bytes, p.written_rows, p.written_bytes,
                    p.memory_usage, p.peak_memory_usage, p.info.query, p.info.current_database,
                    uint64_t(p.info.interface == "TCP" ? 1 : p.info.interface == "HTTP" ? 2 : 6), uint64_t(p.cancelled)});
        return rb.build();
    }));
    std::vector<ColumnDescription> ucols{col("name", TypeId::String), col("storage", TypeId::String), col("auth_type", TypeId::String),
                                         col("readonly", TypeId::UInt8)};
    add("users", std::make_shared<StorageGenerated>("SystemUsers", ucols, [ucols](QueryContext& ctx) {
        RowBuilder rb(ucols);
        for (auto& u : ctx.catalog->access().users())
            rb.add({u.name, std::string("local_directory"), std::string(u.password_sha256_hex.empty() ? "no_password" : "sha256_password"), uint64_t(u.readonly)});
        return rb.build();
    }));
    std::vector<ColumnDescription> rolecols{col("name", TypeId::String), col("storage", TypeId::String)};
    add("roles", std::make_shared<StorageGenerated>("SystemRoles", rolecols, [rolecols](QueryContext& ctx) {
        RowBuilder rb(rolecols);
        for (auto& r : ctx.catalog->access().roles()) rb.add({r.name, std::string("local_directory")});
        return rb.build();
    }));
    std::vector<ColumnDescription> gcols{col("user_name", TypeId::String), col("role_name", TypeId::String), col("access_type", TypeId::String),
                                         col("database", TypeId::String), col("table", TypeId::String)};
    add("grants", std::make_shared<StorageGenerated>("SystemGrants", gcols, [gcols](QueryContext& ctx) {
        RowBuilder rb(gcols);
        auto& access = ctx.catalog->access();
        for (auto& u : access.users())
            for (auto& g : u.grants) rb.add({u.name, std::string(), std::string(accessTypeName(g.type)), g.database, g.table});
        for (auto& r : access.roles())
            for (auto& g : r.grants) rb.add({std::string(), r.name, std::string(accessTypeName(g.type)), g.database, g.table});
        return rb.build();
    }));
    std::vector<ColumnDescription> pcols{col("name", TypeId::String), col("short_name", TypeId::String), col("database", TypeId::String),
                                         col("table", TypeId::String), col("select_filter", TypeId::String)};
    add("row_policies", std::make_shared<StorageGenerated>("SystemRowPolicies", pcols, [pcols](QueryContext& ctx) {
        RowBuilder rb(pcols);
        for (auto& p : ctx.catalog->access().rowPolicies())
            rb.add({p.name + " ON " + p.database + "." + p.table, p.name, p.database, p.table, p.condition->formatSQL(false)});
        return rb.build();
    }));
    std::vector<ColumnDescription> qucols{col("quota_name", TypeId::String), col("user_name", TypeId::String), col("duration", TypeId::UInt64),
                                          col("resource", TypeId::String), col("used", TypeId::Float64), col("max", TypeId::Float64)};
    add("quota_usage", std::make_shared<StorageGenerated>("SystemQuotaUsage", qucols, [qucols](QueryContext& ctx) {
        RowBuilder rb(qucols);
        for (auto& r : ctx.catalog->access().quotaUsage()) rb.add({r.quota, r.user, r.duration, r.resource, r.used, r.max});
        return rb.build();
    }));
    registerMergeTreeSystemTables(catalog);
    registerClusterSystemTables(catalog);

    std::vector<ColumnDescription> fmcols{col("name", TypeId::String), col("is_input", TypeId::UInt8), col("is_output", TypeId::UInt8)};
    add("formats", std::make_shared<StorageGenerated>("SystemFormats", fmcols, [fmcols](QueryContext&) {
        RowBuilder rb(fmcols);
        for (auto& [n, in, out] : listFormats()) rb.add({n, uint64_t(in), uint64_t(out)});
        return rb.build();
    }));
}

}  // namespace basalt
