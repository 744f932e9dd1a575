// memory.h — the Memory table engine: blocks kept in RAM. Readers take an immutable snapshot of the
// block list (shared_ptr), writers publish a new list under a mutex, so an INSERT becomes visible
// all at once and a running SELECT never sees a half-written insert.
#pragma once
#include <mutex>

#include "storage/storage.h"

namespace basalt {

class StorageMemory final : public IStorage {
public:
    explicit StorageMemory(TableMetadata md) { metadata_ = std::move(md); blocks_ = std::make_shared<std::vector<Block>>(); }
    std::string engineName() const override { return "Memory"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    void write(std::vector<Block> blocks, QueryContext& ctx) override;
    void truncate() override;
    std::optional<uint64_t> totalRows() const override;
    std::optional<uint64_t> totalBytes() const override;

private:
    std::shared_ptr<const std::vector<Block>> snapshot() const {
        std::lock_guard lock(mutex_);
        return blocks_;
    }
    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<Block>> blocks_;
};

}  // namespace basalt
