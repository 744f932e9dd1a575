// storage.cpp — IStorage defaults and block sources.
#include "storage/storage.h"

#include "common/exception.h"
#include "types/create_column.h"

namespace basalt {

bool topKComparable(const DataType& type) {
    bool ok = false;
    dispatchFixed(type.id, [&](auto tag) { using T = typename decltype(tag)::type; ok = std::is_integral_v<T> && sizeof(T) <= 8; });
    return ok;
}

void topKValues(const DataType& type, const IColumn& column, double* out) {
    dispatchFixed(type.id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_integral_v<T> && sizeof(T) <= 8) {
            const T* d = reinterpret_cast<const T*>(column.rawData());
            for (size_t i = 0, n = column.size(); i < n; ++i) out[i] = double(d[i]);
        }
    });
}

void IStorage::write(std::vector<Block>, QueryContext&) {
    throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Table engine " + engineName() + " doesn't support INSERT");
}

void IStorage::truncate() {
    throw Exception(ErrorCodes::NOT_IMPLEMENTED, "Table engine " + engineName() + " doesn't support TRUNCATE");
}

Block BlocksSource::read() {
    while (next_ < blocks_.size()) {
        Block& b = blocks_[next_++];
        if (positions_.empty()) return std::move(b);
        Block r;
        for (size_t p : positions_) r.insert(b.at(p));
        if (positions_.empty() || r.columns() == 0) r.setRowsWithoutColumns(b.rows());
        return r;
    }
    return Block();
}

namespace {
class SharedBlocksSource final : public ISource {
public:
    SharedBlocksSource(std::shared_ptr<const std::vector<Block>> blocks, std::vector<size_t> positions, size_t stream, size_t n, bool project_none)
        : blocks_(std::move(blocks)), positions_(std::move(positions)), next_(stream), step_(n), project_none_(project_none) {}
    Block read() override {
        while (next_ < blocks_->size()) {
            const Block& b = (*blocks_)[next_];
            next_ += step_;
            if (b.rows() == 0) continue;
            Block r;
            if (project_none_) { r.setRowsWithoutColumns(b.rows()); return r; }
            for (size_t p : positions_) r.insert(b.at(p));
            return r;
        }
        return Block();
    }
private:
    std::shared_ptr<const std::vector<Block>> blocks_;
    std::vector<size_t> positions_;
    size_t next_, step_;
    bool project_none_;
};
}  // namespace

Sources splitBlocks(std::shared_ptr<const std::vector<Block>> blocks, const std::vector<size_t>& positions, size_t n, size_t) {
    Sources r;
    n = std::max<size_t>(1, std::min(n, blocks->size()));
    for (size_t i = 0; i < n; ++i) r.push_back(std::make_unique<SharedBlocksSource>(blocks, positions, i, n, positions.empty()));
    return r;
}

// Storages without a separate prepare step write in commit().
std::unique_ptr<IStorage::PreparedWrite> IStorage::prepareWrite(std::vector<Block> blocks, QueryContext& ctx) {
    class Deferred final : public PreparedWrite {
    public:
        Deferred(IStorage& s, std::vector<Block> b, QueryContext& c) : s_(s), blocks_(std::move(b)), ctx_(c) {}
        void commit() override { s_.write(std::move(blocks_), ctx_); }
    private:
        IStorage& s_;
        std::vector<Block> blocks_;
        QueryContext& ctx_;
    };
    return std::make_unique<Deferred>(*this, std::move(blocks), ctx);
}

std::unique_ptr<IStorage::PreparedWrite> IStorage::prepareReplace(std::vector<Block> blocks, QueryContext& ctx) {
    class Replace final : public PreparedWrite {
    public:
        Replace(IStorage& s, std::vector<Block> b, QueryContext& c) : s_(s), blocks_(std::move(b)), ctx_(c) {}
        void commit() override {
            s_.truncate();
            s_.write(std::move(blocks_), ctx_);
        }
    private:
        IStorage& s_;
        std::vector<Block> blocks_;
        QueryContext& ctx_;
    };
    return std::make_unique<Replace>(*this, std::move(blocks), ctx);
}

}  // namespace basalt
