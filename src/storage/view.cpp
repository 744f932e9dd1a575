// view.cpp — see view.h.
#include "storage/view.h"

#include "common/exception.h"
#include "interpreter/context.h"
#include "sql/ast.h"
#include "storage/catalog.h"

namespace basalt {

StorageView::StorageView(TableMetadata md, std::shared_ptr<ASTSelectWithUnion> query) : query_(std::move(query)) { metadata_ = std::move(md); }

Sources StorageView::read(const std::vector<std::string>&, QueryContext&, size_t) {
    // The SELECT executor reads a view as a subquery; nothing should reach here.
    throw Exception(ErrorCodes::LOGICAL_ERROR, "A View is read through its query");
}

void StorageView::write(std::vector<Block>, QueryContext&) {
    throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Method write is not supported by storage View");
}

StorageMaterializedView::StorageMaterializedView(TableMetadata md, std::shared_ptr<ASTSelectWithUnion> query, std::string source_database,
                                                 std::string source_table, std::string target_database, std::string target_table, StoragePtr inner)
    : query_(std::move(query)), source_database_(std::move(source_database)), source_table_(std::move(source_table)),
      target_database_(std::move(target_database)), target_table_(std::move(target_table)), inner_(std::move(inner)) {
    metadata_ = std::move(md);
}

StoragePtr StorageMaterializedView::target(QueryContext& ctx) const {
    if (inner_) return inner_;
    return ctx.catalog->getTable(target_database_, target_table_);
}

Sources StorageMaterializedView::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) {
    return target(ctx)->read(columns, ctx, num_streams);
}

void StorageMaterializedView::write(std::vector<Block> blocks, QueryContext& ctx) { target(ctx)->write(std::move(blocks), ctx); }

void StorageMaterializedView::truncate() {
    if (inner_) inner_->truncate();
}

void StorageMaterializedView::drop() {
    if (inner_) inner_->drop();
}

std::optional<uint64_t> StorageMaterializedView::totalRows() const { return inner_ ? inner_->totalRows() : std::nullopt; }
std::optional<uint64_t> StorageMaterializedView::totalBytes() const { return inner_ ? inner_->totalBytes() : std::nullopt; }

}  // namespace basalt
