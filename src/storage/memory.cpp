// memory.cpp — see memory.h.
#include "storage/memory.h"

#include "common/exception.h"

namespace basalt {

Sources StorageMemory::read(const std::vector<std::string>& columns, QueryContext&, size_t num_streams) {
    auto snap = snapshot();
    std::vector<size_t> positions;
    for (auto& c : columns) {
        size_t idx = 0;
        bool found = false;
        for (size_t i = 0; i < metadata_.columns.size(); ++i)
            if (metadata_.columns[i].name == c) { idx = i; found = true; }
        if (!found) throw Exception(ErrorCodes::NO_SUCH_COLUMN_IN_TABLE, "There is no column " + c + " in table");
        positions.push_back(idx);
    }
    return splitBlocks(snap, positions, num_streams, 0);
}

void StorageMemory::write(std::vector<Block> blocks, QueryContext&) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<std::vector<Block>>(*blocks_);
    for (auto& b : blocks)
        if (b.rows()) next->push_back(std::move(b));
    blocks_ = std::move(next);
}

void StorageMemory::truncate() {
    std::lock_guard lock(mutex_);
    blocks_ = std::make_shared<std::vector<Block>>();
}

std::optional<uint64_t> StorageMemory::totalRows() const {
    uint64_t n = 0;
    for (auto& b : *snapshot()) n += b.rows();
    return n;
}

std::optional<uint64_t> StorageMemory::totalBytes() const {
    uint64_t n = 0;
    for (auto& b : *snapshot()) n += b.bytes();
    return n;
}

}  // namespace basalt
