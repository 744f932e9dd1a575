// block_ops.cpp — see block_ops.h.
#include "exec/block_ops.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
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
    uint8_t* o = out.data();
    size_t k = 0;
    // Two loops, so the common no-NULLs one vectorizes.
    if (nulls) {
        for (size_t i = 0; i < rows; ++i) {
            uint8_t v = d[i] != 0 && !nulls[i];
            o[i] = v;
            k += v;
        }
    } else {
        for (size_t i = 0; i < rows; ++i) {
            uint8_t v = d[i] != 0;
            o[i] = v;
            k += v;
        }
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

namespace {

// Order-preserving unsigned 64-bit keys of a column's rows, when its type allows (integers, dates,
// floats, LowCardinality via dictionary ranks). `hint`: where NaN/NULL compare (1 = greater).
// Descending order is the bitwise complement.
template <typename T>
bool numericOrderKeys(const IColumn& col, int hint, bool desc, std::vector<uint64_t>& out) {
    auto* c = dynamic_cast<const ColumnVector<T>*>(&col);
    if (!c) return false;
    const auto& d = c->getData();
    out.resize(d.size());
    for (size_t i = 0; i < d.size(); ++i) {
        uint64_t k;
        if constexpr (std::is_floating_point_v<T>) {
            double v = double(d[i]);
            if (v != v) k = hint > 0 ? UINT64_MAX : 0;
            else {
                if (v == 0) v = 0;   // -0 == +0
                uint64_t bits;
                std::memcpy(&bits, &v, 8);
                k = (bits >> 63) ? ~bits : bits | (uint64_t(1) << 63);
                if (k == UINT64_MAX) k = UINT64_MAX - 1;
                if (k == 0) k = 1;
            }
        } else if constexpr (std::is_signed_v<T>) {
            k = uint64_t(int64_t(d[i])) ^ (uint64_t(1) << 63);
        } else {
            k = uint64_t(d[i]);
        }
        out[i] = desc ? ~k : k;
    }
    return true;
}

bool orderKeys(const IColumn& col, int hint, bool desc, std::vector<uint64_t>& out) {
    if (auto* lc = dynamic_cast<const ColumnLowCardinality*>(&col)) {
        // Rank of each dictionary value, then each row's rank.
        const IColumn& dict = lc->getDictionaryValues();
        if (dict.size() > (1u << 31)) return false;
        Permutation p;
        dict.getPermutation(false, 0, hint, p);
        std::vector<uint64_t> rank(dict.size());
        for (size_t i = 0; i < p.size(); ++i) rank[p[i]] = i;
        out.resize(lc->size());
        for (size_t i = 0; i < out.size(); ++i) out[i] = desc ? ~rank[lc->indexAt(i)] : rank[lc->indexAt(i)];
        return true;
    }
    return numericOrderKeys<uint8_t>(col, hint, desc, out) || numericOrderKeys<uint16_t>(col, hint, desc, out) ||
           numericOrderKeys<uint32_t>(col, hint, desc, out) || numericOrderKeys<uint64_t>(col, hint, desc, out) ||
           numericOrderKeys<int8_t>(col, hint, desc, out) || numericOrderKeys<int16_t>(col, hint, desc, out) ||
           numericOrderKeys<int32_t>(col, hint, desc, out) || numericOrderKeys<int64_t>(col, hint, desc, out) ||
           numericOrderKeys<float>(col, hint, desc, out) || numericOrderKeys<double>(col, hint, desc, out);
}

// Full multi-column sort, column by column: sort each run of rows equal so far by the next
// column with a typed comparison (no virtual call per comparison), then split it into runs of
// equal values. Ties end in row order (stable).
void refineSort(const std::vector<ColumnPtr>& keys, const std::vector<SortColumn>& columns, Permutation& perm) {
    size_t rows = perm.size();
    std::vector<std::pair<size_t, size_t>> ranges{{0, rows}}, next;
    std::vector<uint64_t> order;
    std::vector<std::pair<uint64_t, uint32_t>> tmp;
    std::vector<size_t> counts;
    std::vector<uint32_t> scratch;
    for (size_t k = 0; k < keys.size() && !ranges.empty(); ++k) {
        const IColumn& col = *keys[k];
        bool desc = columns[k].descending;
        int hint = desc ? -columns[k].nulls_direction : columns[k].nulls_direction;
        bool last = k + 1 == keys.size();
        next.clear();
        auto splitRuns = [&](size_t b, size_t e, auto&& equal) {
            if (last) return;
            for (size_t i = b; i < e;) {
                size_t j = i + 1;
                while (j < e && equal(perm[i], perm[j])) ++j;
                if (j - i > 1) next.push_back({i, j});
                i = j;
            }
        };
        if (orderKeys(col, hint, desc, order)) {
            for (auto [b, e] : ranges) {
                // Within a run rows are in row order, so a run already ordered by this key stays
                // (common: time-ordered input sorted by time within groups).
                uint64_t lo = order[perm[b]], hi = lo;
                bool ordered = true;
                for (size_t i = b + 1; i < e; ++i) {
                    uint64_t v = order[perm[i]];
                    ordered = ordered && order[perm[i - 1]] <= v;
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                }
                if (!ordered) {
                    size_t n = e - b;
                    if (hi - lo < (uint64_t(1) << 16) && hi - lo < 4 * n) {
                        // Few distinct values: stable counting sort.
                        counts.assign(size_t(hi - lo) + 2, 0);
                        for (size_t i = b; i < e; ++i) ++counts[order[perm[i]] - lo + 1];
                        for (size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
                        scratch.resize(n);
                        for (size_t i = b; i < e; ++i) scratch[counts[order[perm[i]] - lo]++] = perm[i];
                        std::copy(scratch.begin(), scratch.end(), perm.begin() + b);
                    } else {
                        tmp.resize(n);
                        for (size_t i = b; i < e; ++i) tmp[i - b] = {order[perm[i]], perm[i]};
                        std::sort(tmp.begin(), tmp.end());
                        for (size_t i = b; i < e; ++i) perm[i] = tmp[i - b].second;
                    }
                }
                splitRuns(b, e, [&](uint32_t x, uint32_t y) { return order[x] == order[y]; });
            }
        } else if (auto* str = dynamic_cast<const ColumnString*>(&col)) {
            const char* chars = str->getChars().data();
            const auto& off = str->getOffsets();
            auto view = [&](uint32_t i) { size_t s = i ? off[i - 1] : 0; return std::string_view(chars + s, off[i] - s); };
            for (auto [b, e] : ranges) {
                std::sort(perm.begin() + b, perm.begin() + e, [&](uint32_t x, uint32_t y) {
                    int c = view(x).compare(view(y));
                    if (c) return desc ? c > 0 : c < 0;
                    return x < y;
                });
                splitRuns(b, e, [&](uint32_t x, uint32_t y) { return view(x) == view(y); });
            }
        } else {
            for (auto [b, e] : ranges) {
                std::sort(perm.begin() + b, perm.begin() + e, [&](uint32_t x, uint32_t y) {
                    int c = col.compareAt(x, y, col, hint);
                    if (c) return desc ? c > 0 : c < 0;
                    return x < y;
                });
                splitRuns(b, e, [&](uint32_t x, uint32_t y) { return col.compareAt(x, y, col, hint) == 0; });
            }
        }
        std::swap(ranges, next);
    }
}

}  // namespace

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
        else refineSort(keys, columns, perm);
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
