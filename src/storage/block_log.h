// block_log.h — the on-disk form of the Set and Join engines (ClickHouse's `persistent = 1`): every
// INSERT appends one file <n>.bin of Native blocks to the table's data directory (temporary file,
// fsync, rename, so a file is there whole or not at all); at startup the files are read back in
// order; TRUNCATE removes them.
#pragma once
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "columns/block.h"

namespace basalt {

class BlockLog {
public:
    explicit BlockLog(std::string dir);
    void append(const std::vector<Block>& blocks);
    std::vector<Block> load() const;
    void clear();

private:
    std::string dir_;
    uint64_t next_ = 1;
};

// The rows of a Set or Join table: appended by INSERTs, read as immutable snapshots, and, with a
// directory, kept in a BlockLog (an INSERT is on disk before its rows are visible).
class StoredBlocks {
public:
    explicit StoredBlocks(const std::string& dir);   // "" = RAM only
    std::shared_ptr<const std::vector<Block>> snapshot() const;
    void append(std::vector<Block> blocks);
    void clear();
    uint64_t rows() const;

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<Block>> blocks_;
    std::optional<BlockLog> log_;
};

}  // namespace basalt
