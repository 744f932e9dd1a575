// view.cpp — see view.h.
#include "storage/view.h"

#include <chrono>
#include <thread>
#include <vector>

#include "common/exception.h"
#include "common/periodic.h"
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

std::shared_ptr<ASTSelectWithUnion> StorageMaterializedView::query() const {
    std::lock_guard lock(query_mutex_);
    return query_;
}

std::string StorageMaterializedView::sourceDatabase() const {
    std::lock_guard lock(query_mutex_);
    return source_database_;
}

std::string StorageMaterializedView::sourceTable() const {
    std::lock_guard lock(query_mutex_);
    return source_table_;
}

void StorageMaterializedView::setQuery(std::shared_ptr<ASTSelectWithUnion> query, std::string source_database, std::string source_table) {
    std::lock_guard lock(query_mutex_);
    query_ = std::move(query);
    source_database_ = std::move(source_database);
    source_table_ = std::move(source_table);
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

// ---------------------------------------------------------------- refreshable views
int64_t StorageMaterializedView::nextRefreshAfter(int64_t now) const {
    const auto& s = refresh_->spec;
    if (s.period <= 0) return now + 3600;
    if (!s.every) return now + s.period;
    // The next multiple of the period (from the epoch, in UTC) plus the offset, after `now`.
    int64_t base = (now - s.offset) / s.period * s.period + s.offset;
    while (base <= now) base += s.period;
    return base;
}

void StorageMaterializedView::setRefresh(RefreshSpec spec, Refresher run) {
    refresh_ = std::make_unique<Refresh>();
    refresh_->spec = spec;
    refresh_->run = std::move(run);
    refresh_->state.next_refresh_time = nextRefreshAfter(unixSeconds());
    std::weak_ptr<StorageMaterializedView> self = weak_from_this();
    PeriodicRunner::instance().add(self, [self] {
        if (auto v = self.lock()) v->refreshIfDue();
    });
}

void StorageMaterializedView::refreshNow() {
    if (!refresh_) return;
    std::lock_guard running(refresh_->running);
    {
        std::lock_guard lock(refresh_->mutex);
        if (refresh_->shut_down) return;   // the catalog the refresh reads is going away
    }
    int64_t start = unixSeconds();
    auto t0 = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(refresh_->mutex);
        refresh_->state.status = "Running";
        refresh_->state.last_refresh_time = start;
    }
    std::string error;
    uint64_t rows = 0;
    try {
        rows = refresh_->run(query());
    } catch (const std::exception& e) {
        error = formatException(e);
    }
    std::lock_guard lock(refresh_->mutex);
    auto& st = refresh_->state;
    st.status = refresh_->stopped ? "Disabled" : "Scheduled";
    st.exception = error;
    if (error.empty()) {
        st.last_success_time = start;
        st.last_success_duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
        st.written_rows = rows;
        st.retry = 0;
    } else {
        ++st.retry;
    }
    st.next_refresh_time = nextRefreshAfter(unixSeconds());
}

void StorageMaterializedView::refreshIfDue() {
    if (!refresh_) return;
    {
        std::lock_guard lock(refresh_->mutex);
        if (refresh_->stopped || refresh_->shut_down || !refresh_->state.next_refresh_time ||
            unixSeconds() < *refresh_->state.next_refresh_time)
            return;
    }
    refreshNow();
}

void StorageMaterializedView::shutdown() {
    if (refresh_) {
        {
            std::lock_guard lock(refresh_->mutex);
            refresh_->shut_down = true;
        }
        std::lock_guard running(refresh_->running);   // a refresh in flight finishes first
    }
    if (inner_) inner_->shutdown();
}

void StorageMaterializedView::waitRefresh() {
    if (refresh_) std::lock_guard running(refresh_->running);
}

void StorageMaterializedView::setRefreshStopped(bool stopped) {
    if (!refresh_) return;
    std::lock_guard lock(refresh_->mutex);
    refresh_->stopped = stopped;
    if (refresh_->state.status != "Running") refresh_->state.status = stopped ? "Disabled" : "Scheduled";
}

StorageMaterializedView::RefreshState StorageMaterializedView::refreshState() const {
    if (!refresh_) return {};
    std::lock_guard lock(refresh_->mutex);
    return refresh_->state;
}

std::optional<uint64_t> StorageMaterializedView::totalRows() const { return inner_ ? inner_->totalRows() : std::nullopt; }
std::optional<uint64_t> StorageMaterializedView::totalBytes() const { return inner_ ? inner_->totalBytes() : std::nullopt; }

}  // namespace basalt
