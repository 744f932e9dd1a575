// block.cpp — Block helpers.
#include "columns/block.h"

namespace basalt {

Block Block::cloneEmpty() const {
    Block b;
    for (auto& c : cols_) b.insert({c.column->cloneEmpty(), c.type, c.name});
    return b;
}

}  // namespace basalt
