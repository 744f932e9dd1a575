// block_ops.cpp — see block_ops.h.
#include "exec/block_ops.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/hash_table.h"

namespace basalt {

Block concatBlocks(const std::vector<Block>& blocks, const Block& header) {
    if (blocks.size() == 1) return blocks[0];
    Block out;
    size_t total = 0;
    for (auto& b : blocks) total += b.rows();
    for (size_t c = 0; c < header.columns(); ++c) {
        auto col = header.at(c).column ? header.at(c).column->cloneEmpty() : nullptr;
        if (!col) throw Exception(ErrorCodes::LOGICAL_ERROR, "Header without column");
        col->reserve(total);
        for (auto& b : blocks) {
            ColumnPtr src = materialize(b.at(c).column);
            col->insertRangeFrom(*src, 0, src->size());
        }
        out.insert({col, header.at(c).type, header.at(c).name});
    }
    if (header.columns() == 0) out.setRowsWithoutColumns(total);
    return out;
}

void predicateToFilter(const ColumnPtr& predicate, size_t rows, Filter& out, size_t& kept) {
    out.resize(rows);
    ColumnPtr p = predicate;
    if (p->isConst()) {
        Field v = p->get(0);
        bool keep = !v.isNull() && !(v == Field(uint64_t(0))) && !(v == Field(int64_t(0))) && !(v == Field(false)) && !(v == Field(0.0));
        std::memset(out.data(), keep ? 1 : 0, rows);
        kept = keep ? rows : 0;
        return;
    }
    if (p->isLowCardinality()) {
        // lc = 'x' and friends: the truth of each dictionary value, looked up per row.
        auto& lc = static_cast<const ColumnLowCardinality&>(*p);
        Filter dict_truth;
        size_t unused;
        predicateToFilter(lc.getDictionary().valuesPtr(), lc.getDictionary().size(), dict_truth, unused);
        size_t k = 0;
        lc.withIndexes([&](const auto* ix) {
            for (size_t i = 0; i < rows; ++i) { uint8_t v = dict_truth[ix[i]]; out[i] = v; k += v; }
        });
        kept = k;
        return;
    }
    const uint8_t* nulls = nullptr;
    if (p->isNullable()) {
        auto& nc = static_cast<const ColumnNullable&>(*p);
        nulls = nc.getNullMap().data();
        p = nc.getNestedPtr();
    }
    auto* u8 = dynamic_cast<const ColumnUInt8*>(p.get());
    if (!u8) throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER, std::string("Illegal type of column for filter: ") + p->familyName() + ". Must be UInt8 or Nullable(UInt8)");
    const uint8_t* d = u8->getData().data();
    size_t k = 0;
    for (size_t i = 0; i < rows; ++i) {
        uint8_t v = d[i] != 0 && !(nulls && nulls[i]);
        out[i] = v;
        k += v;
    }
    kept = k;
}

namespace {
// A non-nullable UInt8 predicate column is used as the filter directly (no copy).
const Filter* directFilter(const ColumnPtr& predicate, size_t& kept) {
    auto* u8 = dynamic_cast<const ColumnUInt8*>(predicate.get());
    if (!u8) return nullptr;
    const Filter& f = u8->getData();
    size_t k = 0;
    for (size_t i = 0; i < f.size(); ++i) k += f[i] != 0;
    kept = k;
    return &f;
}
}  // namespace

Block filterBlock(const Block& block, const ColumnPtr& predicate, const std::vector<bool>& used) {
    size_t rows = block.rows();
    Filter scratch;
    size_t kept = 0;
    const Filter* f = directFilter(predicate, kept);
    if (!f) {
        predicateToFilter(predicate, rows, scratch, kept);
        f = &scratch;
    }
    if (kept == rows) return block;
    Block out;
    for (size_t i = 0; i < block.columns(); ++i) {
        auto& c = block.at(i);
        ColumnPtr col;
        if (kept == 0) col = c.column->cloneEmpty();
        else if (i < used.size() && !used[i]) {
            auto one = c.column->cloneEmpty();
            one->insertDefault();
            col = std::make_shared<ColumnConst>(std::move(one), kept);
        } else col = c.column->filter(*f, kept);
        out.insert({col, c.type, c.name});
    }
    if (block.columns() == 0) out.setRowsWithoutColumns(kept);
    return out;
}

Block filterBlock(const Block& block, const ColumnPtr& predicate) { return filterBlock(block, predicate, {}); }

Block sortBlock(const Block& block, const std::vector<SortColumn>& columns, size_t limit) {
    size_t rows = block.rows();
    if (rows == 0 || columns.empty()) return limit && limit < rows ? cutBlock(block, 0, limit) : block;
    std::vector<ColumnPtr> keys;
    for (auto& sc : columns) keys.push_back(materialize(block.at(sc.position).column));
    Permutation perm;
    if (columns.size() == 1) {
        keys[0]->getPermutation(columns[0].descending, limit, columns[0].nulls_direction, perm);
    } else {
        perm.resize(rows);
        for (size_t i = 0; i < rows; ++i) perm[i] = uint32_t(i);
        auto less = [&](uint32_t a, uint32_t b) {
            for (size_t k = 0; k < columns.size(); ++k) {
                int hint = columns[k].descending ? -columns[k].nulls_direction : columns[k].nulls_direction;
                int c = keys[k]->compareAt(a, b, *keys[k], hint);
                if (c) return columns[k].descending ? c > 0 : c < 0;
            }
            return a < b;
        };
        if (limit && limit < rows) std::partial_sort(perm.begin(), perm.begin() + limit, perm.end(), less);
        else std::sort(perm.begin(), perm.end(), less);
    }
    size_t n = limit && limit < rows ? limit : rows;
    Block out;
    for (auto& c : block.data()) out.insert({materialize(c.column)->permute(perm, n), c.type, c.name});
    return out;
}

Block distinctBlock(const Block& block, const std::vector<size_t>& positions_in) {
    std::vector<size_t> positions = positions_in;
    if (positions.empty()) for (size_t i = 0; i < block.columns(); ++i) positions.push_back(i);
    size_t rows = block.rows();
    std::vector<ColumnPtr> cols;
    for (size_t p : positions) cols.push_back(materialize(block.at(p).column));
    std::unordered_set<std::string> seen;
    Filter f(rows);
    size_t kept = 0;
    std::string key;
    for (size_t i = 0; i < rows; ++i) {
        key.clear();
        for (auto& c : cols) c->serializeValue(i, key);
        bool fresh = seen.insert(key).second;
        f[i] = fresh;
        kept += fresh;
    }
    if (kept == rows) return block;
    Block out;
    for (auto& c : block.data()) out.insert({materialize(c.column)->filter(f, kept), c.type, c.name});
    return out;
}

Block limitByBlock(const Block& block, const std::vector<size_t>& positions, size_t length, size_t offset) {
    size_t rows = block.rows();
    std::vector<ColumnPtr> cols;
    for (size_t p : positions) cols.push_back(materialize(block.at(p).column));
    std::unordered_map<std::string, size_t> counts;
    Filter f(rows);
    size_t kept = 0;
    std::string key;
    for (size_t i = 0; i < rows; ++i) {
        key.clear();
        for (auto& c : cols) c->serializeValue(i, key);
        size_t n = counts[key]++;
        bool keep = n >= offset && n < offset + length;
        f[i] = keep;
        kept += keep;
    }
    Block out;
    for (auto& c : block.data()) out.insert({materialize(c.column)->filter(f, kept), c.type, c.name});
    return out;
}

Block cutBlock(const Block& block, size_t offset, size_t length) {
    size_t rows = block.rows();
    if (offset >= rows) offset = rows;
    length = std::min(length, rows - offset);
    if (offset == 0 && length == rows) return block;
    Block out;
    for (auto& c : block.data()) out.insert({c.column->cut(offset, length), c.type, c.name});
    if (block.columns() == 0) out.setRowsWithoutColumns(length);
    return out;
}

}  // namespace basalt
