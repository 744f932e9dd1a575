// block_log.h — the on-disk form of the Set and Join engines (ClickHouse's `persistent = 1`): every
// INSERT appends one file <n>.bin of Native blocks to the table's data directory (temporary file,
// fsync, rename, so a file is there whole or not at all); at startup the files are read back in
// order; TRUNCATE removes them.
#pragma once
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

}  // namespace basalt
