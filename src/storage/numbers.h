// numbers.h — generated tables: numbers(N) / numbers(a, N) / system.numbers, zeros(N), system.one.
// numbers splits its range into contiguous per-stream ranges so parallel readers never coordinate.
#pragma once
#include "storage/storage.h"

namespace basalt {

class StorageNumbers final : public IStorage {
public:
    // limit = nullopt: unbounded (system.numbers); then readers must stop via LIMIT.
    StorageNumbers(uint64_t offset, std::optional<uint64_t> limit, bool zeros = false);
    std::string engineName() const override { return zeros_ ? "Zeros" : "Numbers"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    std::optional<uint64_t> totalRows() const override { return limit_; }
    bool isSystem() const override { return true; }

private:
    uint64_t offset_;
    std::optional<uint64_t> limit_;
    bool zeros_;
};

class StorageOne final : public IStorage {
public:
    StorageOne();
    std::string engineName() const override { return "SystemOne"; }
    Sources read(const std::vector<std::string>& columns, QueryContext& ctx, size_t num_streams) override;
    bool isSystem() const override { return true; }
};

}  // namespace basalt
