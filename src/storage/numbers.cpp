// numbers.cpp — see numbers.h.
#include "storage/numbers.h"

#include <cstring>

#include "interpreter/context.h"

namespace basalt {

namespace {
class NumbersSource final : public ISource {
public:
    // `count` numbers from `begin`; values wrap past 2^64-1 like ClickHouse's numbers(offset, count).
    NumbersSource(uint64_t begin, uint64_t count, size_t block, bool with_column, bool zeros, std::string name)
        : next_(begin), remaining_(count), block_(block), with_column_(with_column), zeros_(zeros), name_(std::move(name)) {}
    Block read() override {
        if (remaining_ == 0) return Block();
        uint64_t n = std::min<uint64_t>(block_, remaining_);
        Block b;
        if (with_column_) {
            if (zeros_) {
                auto col = ColumnUInt8::create(n);
                std::memset(col->getData().data(), 0, n);
                b.insert({col, makeType(TypeId::UInt8), name_});
            } else {
                auto col = ColumnUInt64::create(n);
                uint64_t* d = col->getData().data();
                uint64_t base = next_;
                for (uint64_t i = 0; i < n; ++i) d[i] = base + i;
                b.insert({col, makeType(TypeId::UInt64), name_});
            }
        } else {
            b.setRowsWithoutColumns(n);
        }
        next_ += n;
        remaining_ -= n;
        return b;
    }
private:
    uint64_t next_, remaining_;
    size_t block_;
    bool with_column_, zeros_;
    std::string name_;
};
}  // namespace

StorageNumbers::StorageNumbers(uint64_t offset, std::optional<uint64_t> limit, bool zeros) : offset_(offset), limit_(limit), zeros_(zeros) {
    metadata_.columns.push_back({zeros ? "zero" : "number", makeType(zeros ? TypeId::UInt8 : TypeId::UInt64), "", nullptr, "", ""});
}

Sources StorageNumbers::read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) {
    Sources r;
    bool with_column = !columns.empty();
    size_t block = ctx.settings.max_block_size;
    std::string name = metadata_.columns[0].name;
    if (!limit_) {
        r.push_back(std::make_unique<NumbersSource>(offset_, UINT64_MAX, std::max<size_t>(block, 1), with_column, zeros_, name));
        return r;
    }
    uint64_t total = *limit_;
    block = std::max<size_t>(block, 1);
    // Small ranges stay in one stream; big ones split into contiguous chunks aligned to blocks.
    // Overflow-safe for counts up to 2^64-1 (no `x + block - 1` rounding).
    uint64_t blocks = total / block + (total % block != 0);
    size_t streams = std::max<size_t>(1, std::min<uint64_t>(num_streams, blocks));
    uint64_t per_blocks = blocks / streams + (blocks % streams != 0);
    uint64_t per = per_blocks > UINT64_MAX / block ? UINT64_MAX : per_blocks * block;
    for (uint64_t s = 0; s < total;) {
        uint64_t n = std::min(per, total - s);
        r.push_back(std::make_unique<NumbersSource>(offset_ + s, n, block, with_column, zeros_, name));
        s += n;
    }
    if (r.empty()) r.push_back(std::make_unique<NumbersSource>(0, 0, block, with_column, zeros_, name));
    return r;
}

StorageOne::StorageOne() { metadata_.columns.push_back({"dummy", makeType(TypeId::UInt8), "", nullptr, "", ""}); }

Sources StorageOne::read(const std::vector<std::string>& columns, QueryContext&, size_t) {
    Block b;
    if (!columns.empty()) {
        auto col = ColumnUInt8::create(1);
        col->getData()[0] = 0;
        b.insert({col, makeType(TypeId::UInt8), "dummy"});
    } else {
        b.setRowsWithoutColumns(1);
    }
    std::vector<Block> blocks{b};
    Sources r;
    r.push_back(std::make_unique<BlocksSource>(std::move(blocks)));
    return r;
}

}  // namespace basalt
