// system_tables.cpp — see system_tables.h.
#include "storage/system_tables.h"

#include "aggregates/aggregate_function.h"
#include "common/exception.h"
#include "formats/format.h"
#include "functions/function.h"
#include "interpreter/context.h"
#include "storage/catalog.h"
#include "storage/numbers.h"
#include "types/create_column.h"

namespace basalt {

Sources StorageGenerated::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t) {
    Block full = generate_(ctx);
    Block b;
    for (auto& c : columns) {
        const auto* col = full.findByName(c);
        if (!col) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + c + " in table");
        b.insert(*col);
    }
    if (columns.empty()) b.setRowsWithoutColumns(full.rows());
    std::vector<Block> blocks;
    if (b.rows()) blocks.push_back(std::move(b));
    Sources r;
    r.push_back(std::make_unique<BlocksSource>(std::move(blocks)));
    return r;
}

namespace {

// Builds a block row by row from Fields (system tables are small).
struct RowBuilder {
    std::vector<ColumnDescription> cols;
    std::vector<MutableColumnPtr> data;
    explicit RowBuilder(const std::vector<ColumnDescription>& c) : cols(c) {
        for (auto& d : cols) data.push_back(createColumn(d.type));
    }
    void add(std::vector<Field> row) {
        for (size_t i = 0; i < data.size(); ++i) data[i]->insert(row[i]);
    }
    Block build() {
        Block b;
        for (size_t i = 0; i < data.size(); ++i) b.insert({data[i], cols[i].type, cols[i].name});
        return b;
    }
};

ColumnDescription col(const std::string& n, TypeId t) { return {n, makeType(t), "", nullptr, "", ""}; }
ColumnDescription col(const std::string& n, DataTypePtr t) { return {n, std::move(t), "", nullptr, "", ""}; }

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
                                         col("total_bytes", makeNullable(makeType(TypeId::UInt64))), col("comment", TypeId::String)};
    add("tables", std::make_shared<StorageGenerated>("SystemTables", tcols, [tcols](QueryContext& ctx) {
        RowBuilder rb(tcols);
        for (auto& d : ctx.catalog->databases())
            for (auto& [n, s] : ctx.catalog->tables(d)) {
                auto rows = s->totalRows();
                auto bytes = s->totalBytes();
                std::string create = s->create_query ? s->create_query->formatSQL() : "";
                std::string engine_full = s->engineName();
                rb.add({d, n, s->isSystem() ? "System" + s->engineName() : s->engineName(), uint64_t(0), create, engine_full,
                        rows ? Field(*rows) : Field(), bytes ? Field(*bytes) : Field(), s->metadata().comment});
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

    std::vector<ColumnDescription> fmcols{col("name", TypeId::String), col("is_input", TypeId::UInt8), col("is_output", TypeId::UInt8)};
    add("formats", std::make_shared<StorageGenerated>("SystemFormats", fmcols, [fmcols](QueryContext&) {
        RowBuilder rb(fmcols);
        for (auto& [n, in, out] : listFormats()) rb.add({n, uint64_t(in), uint64_t(out)});
        return rb.build();
    }));
}

}  // namespace basalt
