// system_tables.h — system.one, system.numbers, system.databases, system.tables, system.columns,
// system.functions, system.settings, system.formats. Each is generated at read time from the
// catalog / registries, so it is always current.
#pragma once
#include <functional>

#include "storage/storage.h"

namespace basalt {

class Catalog;

// A table whose single block is computed by `generate` on every read.
class StorageGenerated final : public IStorage {
public:
    using Generator = std::function<Block(QueryContext&)>;
    StorageGenerated(std::string engine, std::vector<ColumnDescription> columns, Generator g)
        : engine_(std::move(engine)), generate_(std::move(g)) { metadata_.columns = std::move(columns); }
    std::string engineName() const override { return engine_; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    bool isSystem() const override { return true; }

private:
    std::string engine_;
    Generator generate_;
};

// The one source of a generated table: `full`'s columns in the order asked (NO_SUCH_COLUMN_IN_TABLE,
// 16, for a missing one; none asked: only the row count).
Sources sourceOfGeneratedBlock(const Block& full, const std::vector<std::string>& columns, const std::string& table);

void registerSystemTables(Catalog& catalog);
// system.parts, system.parts_columns, system.detached_parts (storage/mergetree/system_parts.cpp).
void registerMergeTreeSystemTables(Catalog& catalog);

// Builds a block row by row from Fields (system tables are small).
struct RowBuilder {
    std::vector<ColumnDescription> cols;
    std::vector<MutableColumnPtr> data;
    explicit RowBuilder(const std::vector<ColumnDescription>& c);
    void add(std::vector<Field> row);
    Block build();
};
ColumnDescription col(const std::string& n, TypeId t);
ColumnDescription col(const std::string& n, DataTypePtr t);

}  // namespace basalt
