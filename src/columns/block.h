// block.h — Block: the unit of data flowing between operators: named, typed columns of equal
// length (at most max_block_size rows, 65,536 by default).
#pragma once
#include <string>
#include <vector>

#include "columns/column.h"
#include "types/data_type.h"

namespace basalt {

struct ColumnWithTypeAndName {
    ColumnPtr column;
    DataTypePtr type;
    std::string name;
};
using ColumnsWithTypeAndName = std::vector<ColumnWithTypeAndName>;

class Block {
public:
    Block() = default;
    explicit Block(ColumnsWithTypeAndName cols) : cols_(std::move(cols)) {}

    size_t rows() const { return cols_.empty() ? rows_without_columns_ : cols_[0].column->size(); }
    size_t columns() const { return cols_.size(); }
    bool empty() const { return cols_.empty() && rows_without_columns_ == 0; }
    // A block with no columns can still carry a row count (SELECT count() FROM t reads no column).
    void setRowsWithoutColumns(size_t n) { rows_without_columns_ = n; }

    void insert(ColumnWithTypeAndName c) { cols_.push_back(std::move(c)); }
    const ColumnWithTypeAndName& at(size_t i) const { return cols_[i]; }
    ColumnWithTypeAndName& at(size_t i) { return cols_[i]; }
    const ColumnWithTypeAndName* findByName(const std::string& name) const {
        for (auto& c : cols_) if (c.name == name) return &c;
        return nullptr;
    }
    int positionByName(const std::string& name) const {
        for (size_t i = 0; i < cols_.size(); ++i) if (cols_[i].name == name) return int(i);
        return -1;
    }
    const ColumnsWithTypeAndName& data() const { return cols_; }
    ColumnsWithTypeAndName& data() { return cols_; }
    // Same names and types, no rows.
    Block cloneEmpty() const;
    size_t bytes() const { size_t s = 0; for (auto& c : cols_) s += c.column->byteSize(); return s; }

private:
    ColumnsWithTypeAndName cols_;
    size_t rows_without_columns_ = 0;
};

}  // namespace basalt
