// column_low_cardinality.cpp — ColumnUnique and ColumnLowCardinality (see column_low_cardinality.h).
#include "columns/column_low_cardinality.h"

#include <algorithm>
#include <cstring>

#include "common/exception.h"
#include "common/hash_table.h"

namespace basalt {

// ---------------------------------------------------------------- ColumnUnique
namespace {
// An empty value of a column that never allocated has a null data pointer.
inline uint64_t hashView(std::string_view v) { return bytesHash(v.empty() ? "" : v.data(), v.size()); }
}  // namespace

ColumnUnique::ColumnUnique(MutableColumnPtr empty_values) : values_(std::move(empty_values)) {
    if (values_->size() != 0) throw Exception(ErrorCodes::LOGICAL_ERROR, "ColumnUnique needs an empty column");
    nullable_ = values_->isNullable();
    if (nullable_) {
        auto& n = static_cast<ColumnNullable&>(*values_);
        plain_ = &n.getNested();
        null_map_ = &n.getNullMap();
    } else {
        plain_ = values_.get();
    }
    if (dynamic_cast<ColumnString*>(plain_)) kind_ = Kind::String;
    else if (dynamic_cast<ColumnFixedString*>(plain_)) kind_ = Kind::FixedString;
    else if (plain_->isFixedAndContiguous()) {
        kind_ = Kind::Fixed;
        fixed_size_ = plain_->valueSizeOfFixed();
        is_float_ = dynamic_cast<ColumnFloat32*>(plain_) || dynamic_cast<ColumnFloat64*>(plain_);
    }
    else throw Exception(ErrorCodes::LOGICAL_ERROR, std::string("LowCardinality dictionary of column ") + plain_->familyName());
    slots_.resize_fill(16, 0);
    mask_ = 15;
    if (nullable_) {
        values_->insertDefault();   // row 0: NULL
        hashes_.push_back(0);
    }
    plain_->insertDefault();        // the nested type's default value
    if (nullable_) null_map_->push_back(0);
    refreshData();
    std::string_view v = viewAt(*plain_, size() - 1);
    uint64_t h = hashView(v);
    hashes_.push_back(h);
    addToIndex(size() - 1, h);
}

ColumnUnique::ColumnUnique(const ColumnUnique& o)
    : values_(o.values_->cloneResized(o.values_->size())), nullable_(o.nullable_), kind_(o.kind_), fixed_size_(o.fixed_size_),
      is_float_(o.is_float_), hashes_(o.hashes_), slots_(o.slots_), mask_(o.mask_), indexed_(o.indexed_) {
    if (nullable_) {
        auto& n = static_cast<ColumnNullable&>(*values_);
        plain_ = &n.getNested();
        null_map_ = &n.getNullMap();
    } else {
        plain_ = values_.get();
    }
    refreshData();
}

std::shared_ptr<ColumnUnique> ColumnUnique::clone() const { return std::make_shared<ColumnUnique>(*this); }
std::shared_ptr<ColumnUnique> ColumnUnique::cloneEmpty() const { return std::make_shared<ColumnUnique>(values_->cloneEmpty()); }

void ColumnUnique::refreshData() { fixed_data_ = kind_ == Kind::Fixed ? plain_->rawData() : nullptr; }

std::string_view ColumnUnique::canonical(std::string_view v) const {
    static const char zero[8] = {};
    if (fixed_size_ == 8) { double d; std::memcpy(&d, v.data(), 8); if (d == 0) return {zero, 8}; }
    else { float f; std::memcpy(&f, v.data(), 4); if (f == 0) return {zero, 4}; }
    return v;
}

std::string_view ColumnUnique::viewAt(const IColumn& plain, size_t row) const {
    switch (kind_) {
        case Kind::Fixed: {
            std::string_view v{plain.rawData() + row * fixed_size_, fixed_size_};
            return is_float_ ? canonical(v) : v;
        }
        case Kind::String: return static_cast<const ColumnString&>(plain).getView(row);
        case Kind::FixedString: return static_cast<const ColumnFixedString&>(plain).getView(row);
    }
    return {};
}

template <ColumnUnique::Kind K>
int64_t ColumnUnique::lookup(std::string_view v, uint64_t h) const {
    size_t s = h & mask_;
    const uint32_t* slots = slots_.data();
    const uint64_t* hashes = hashes_.data();
    while (uint32_t e = slots[s]) {
        size_t r = e - 1;
        if (hashes[r] == h) {
            std::string_view d;
            if constexpr (K == Kind::Fixed) d = {fixed_data_ + r * fixed_size_, fixed_size_};
            else if constexpr (K == Kind::String) d = static_cast<const ColumnString&>(*plain_).getView(r);
            else d = static_cast<const ColumnFixedString&>(*plain_).getView(r);
            if (d == v) return int64_t(r);
        }
        s = (s + 1) & mask_;
    }
    return -1;
}

void ColumnUnique::addToIndex(size_t row, uint64_t h) {
    if ((indexed_ + 1) * 2 > slots_.size()) grow();
    size_t s = h & mask_;
    while (slots_[s]) s = (s + 1) & mask_;
    slots_[s] = uint32_t(row + 1);
    ++indexed_;
}

void ColumnUnique::grow() {
    size_t n = slots_.size() * 2;
    slots_.clear();
    slots_.resize_fill(n, 0);
    mask_ = n - 1;
    for (size_t r = nullable_ ? 1 : 0; r < hashes_.size(); ++r) {
        size_t s = hashes_[r] & mask_;
        while (slots_[s]) s = (s + 1) & mask_;
        slots_[s] = uint32_t(r + 1);
    }
}

size_t ColumnUnique::uniqueInsertLast() {
    size_t last = size() - 1;
    if (nullable_ && (*null_map_)[last]) {
        values_->popBack(1);
        return 0;
    }
    refreshData();
    std::string_view v = viewAt(*plain_, last);
    uint64_t h = hashView(v);
    int64_t r;
    switch (kind_) {
        case Kind::Fixed: r = lookup<Kind::Fixed>(v, h); break;
        case Kind::String: r = lookup<Kind::String>(v, h); break;
        default: r = lookup<Kind::FixedString>(v, h); break;
    }
    if (r >= 0) {
        values_->popBack(1);
        refreshData();
        return size_t(r);
    }
    hashes_.push_back(h);
    addToIndex(last, h);
    return last;
}

size_t ColumnUnique::uniqueInsertFrom(const IColumn& src, size_t n) {
    uint64_t pos;
    uniqueInsertRangeFrom(src, n, 1, &pos);
    return size_t(pos);
}

void ColumnUnique::uniqueInsertRangeFrom(const IColumn& src_in, size_t start, size_t length, uint64_t* out) {
    const IColumn* src = &src_in;
    const uint8_t* src_nulls = nullptr;
    if (src->isNullable()) {
        auto& sn = static_cast<const ColumnNullable&>(*src);
        src_nulls = sn.getNullMap().data();
        src = &sn.getNested();
    }
    auto run = [&](auto kind_tag) {
        constexpr Kind K = decltype(kind_tag)::value;
        const char* src_fixed = K == Kind::Fixed ? src->rawData() : nullptr;
        // The previous row's value and index: runs of equal values (sorted MergeTree columns, where
        // LowCardinality columns usually lead the key) skip hashing and the table lookup.
        std::string_view prev;
        uint64_t prev_index = 0;
        bool has_prev = false;
        for (size_t i = 0; i < length; ++i) {
            size_t row = start + i;
            if (src_nulls && src_nulls[row]) { out[i] = nullable_ ? 0 : nestedDefaultIndex(); continue; }
            std::string_view v;
            if constexpr (K == Kind::Fixed) {
                v = {src_fixed + row * fixed_size_, fixed_size_};
                if (is_float_) v = canonical(v);
            } else if constexpr (K == Kind::String) v = static_cast<const ColumnString&>(*src).getView(row);
            else v = static_cast<const ColumnFixedString&>(*src).getView(row);
            if (has_prev && v.size() == prev.size() && std::memcmp(v.data(), prev.data(), v.size()) == 0) {
                out[i] = prev_index;
                continue;
            }
            uint64_t h = hashView(v);
            int64_t r = lookup<K>(v, h);
            if (r < 0) {
                r = int64_t(size());
                plain_->insertFrom(*src, row);
                if (nullable_) null_map_->push_back(0);
                refreshData();
                hashes_.push_back(h);
                addToIndex(size_t(r), h);
            }
            out[i] = uint64_t(r);
            // `v` points into the source column, which outlives this loop (canonical() floats
            // point to a static buffer: not remembered).
            has_prev = !(K == Kind::Fixed && is_float_);
            prev = v;
            prev_index = uint64_t(r);
        }
    };
    switch (kind_) {
        case Kind::Fixed:
            if (src->valueSizeOfFixed() != fixed_size_) throw Exception(ErrorCodes::LOGICAL_ERROR, "LowCardinality: value size mismatch");
            run(std::integral_constant<Kind, Kind::Fixed>{});
            break;
        case Kind::String: run(std::integral_constant<Kind, Kind::String>{}); break;
        case Kind::FixedString: run(std::integral_constant<Kind, Kind::FixedString>{}); break;
    }
}

size_t ColumnUnique::uniqueInsertField(const Field& f) {
    values_->insert(f);
    return uniqueInsertLast();
}

size_t ColumnUnique::uniqueDeserializeAndInsert(const char*& pos) {
    values_->deserializeAndInsert(pos);
    return uniqueInsertLast();
}

int64_t ColumnUnique::find(const IColumn& src_in, size_t n) const {
    const IColumn* src = &src_in;
    if (src->isNullable()) {
        auto& sn = static_cast<const ColumnNullable&>(*src);
        if (sn.isNullAt(n)) return nullable_ ? 0 : -1;
        src = &sn.getNested();
    }
    std::string_view v = viewAt(*src, n);
    uint64_t h = hashView(v);
    switch (kind_) {
        case Kind::Fixed: return lookup<Kind::Fixed>(v, h);
        case Kind::String: return lookup<Kind::String>(v, h);
        default: return lookup<Kind::FixedString>(v, h);
    }
}

size_t ColumnUnique::byteSize() const { return values_->byteSize() + hashes_.size() * 8 + slots_.size() * 4; }

// ---------------------------------------------------------------- ColumnLowCardinality
namespace {
MutableColumnPtr makeIndexColumn(size_t width) {
    switch (width) {
        case 1: return std::make_shared<ColumnUInt8>();
        case 2: return std::make_shared<ColumnUInt16>();
        case 4: return std::make_shared<ColumnUInt32>();
        default: return std::make_shared<ColumnUInt64>();
    }
}
size_t widthFor(size_t max_index) {
    return max_index <= 0xFF ? 1 : max_index <= 0xFFFF ? 2 : max_index <= 0xFFFFFFFFULL ? 4 : 8;
}
template <typename F>
void withMutableIndexes(IColumn& idx, size_t width, F&& f) {
    switch (width) {
        case 1: f(static_cast<ColumnUInt8&>(idx).getData()); break;
        case 2: f(static_cast<ColumnUInt16&>(idx).getData()); break;
        case 4: f(static_cast<ColumnUInt32&>(idx).getData()); break;
        default: f(static_cast<ColumnUInt64&>(idx).getData()); break;
    }
}
}  // namespace

ColumnLowCardinality::ColumnLowCardinality(MutableColumnPtr empty_values)
    : dict_(std::make_shared<ColumnUnique>(std::move(empty_values))), idx_(std::make_shared<ColumnUInt8>()), width_(1) {}

ColumnLowCardinality::ColumnLowCardinality(std::shared_ptr<ColumnUnique> dict, MutableColumnPtr indexes)
    : dict_(std::move(dict)), idx_(std::move(indexes)), width_(idx_->valueSizeOfFixed()) {}

MutableColumnPtr ColumnLowCardinality::cloneEmpty() const {
    return std::make_shared<ColumnLowCardinality>(dict_->cloneEmpty(), std::make_shared<ColumnUInt8>());
}

ColumnUnique& ColumnLowCardinality::mutableDict() {
    // Copy-on-write: other columns (filter/permute results) or readers of the values may share it.
    if (dict_.use_count() > 1 || dict_->valuesPtr().use_count() > 1) dict_ = dict_->clone();
    return *dict_;
}

void ColumnLowCardinality::ensureWidthFor(size_t max_index) {
    size_t need = widthFor(max_index);
    if (need <= width_) return;
    auto wider = makeIndexColumn(need);
    withIndexes([&](const auto* src) {
        withMutableIndexes(*wider, need, [&](auto& dst) {
            size_t n = idx_->size();
            dst.resize(n);
            for (size_t i = 0; i < n; ++i) dst[i] = src[i];
        });
    });
    idx_ = std::move(wider);
    width_ = need;
}

void ColumnLowCardinality::pushIndex(size_t i) {
    ensureWidthFor(i);
    withMutableIndexes(*idx_, width_, [&](auto& d) { d.push_back(static_cast<std::decay_t<decltype(d[0])>>(i)); });
}

void ColumnLowCardinality::appendIndexes(const uint64_t* positions, size_t n) {
    uint64_t mx = 0;
    for (size_t i = 0; i < n; ++i) mx = std::max(mx, positions[i]);
    ensureWidthFor(mx);
    withMutableIndexes(*idx_, width_, [&](auto& d) {
        using T = std::decay_t<decltype(d[0])>;
        size_t old = d.size();
        d.resize(old + n);
        for (size_t i = 0; i < n; ++i) d[old + i] = T(positions[i]);
    });
}

void ColumnLowCardinality::insert(const Field& f) { pushIndex(mutableDict().uniqueInsertField(f)); }

void ColumnLowCardinality::insertManyDefaults(size_t n) {
    withMutableIndexes(*idx_, width_, [&](auto& d) { d.resize_fill(d.size() + n, 0); });
}

void ColumnLowCardinality::insertFrom(const IColumn& src, size_t n) {
    if (src.isLowCardinality()) {
        auto& s = static_cast<const ColumnLowCardinality&>(src);
        size_t si = s.indexAt(n);
        if (s.dict_ == dict_) { pushIndex(si); return; }
        pushIndex(mutableDict().uniqueInsertFrom(s.getDictionaryValues(), si));
        return;
    }
    if (src.isConst()) { insertFrom(static_cast<const ColumnConst&>(src).getDataColumn(), 0); return; }
    pushIndex(mutableDict().uniqueInsertFrom(src, n));
}

void ColumnLowCardinality::insertRangeFrom(const IColumn& src, size_t start, size_t length) {
    if (!length) return;
    if (src.isConst()) {
        for (size_t i = 0; i < length; ++i) insertFrom(src, 0);
        return;
    }
    if (!src.isLowCardinality()) { insertRangeFromFull(src, start, length); return; }
    auto& s = static_cast<const ColumnLowCardinality&>(src);
    if (s.dict_ != dict_ && pristine()) {
        // Nothing of ours references the dictionary yet: share the source's instead of re-inserting.
        dict_ = s.dict_;
        idx_ = makeIndexColumn(s.width_);
        width_ = s.width_;
    }
    if (s.dict_ == dict_) {
        ensureWidthFor(dict_->size() ? dict_->size() - 1 : 0);
        s.withIndexes([&](const auto* from) {
            withMutableIndexes(*idx_, width_, [&](auto& d) {
                using T = std::decay_t<decltype(d[0])>;
                size_t old = d.size();
                d.resize(old + length);
                for (size_t i = 0; i < length; ++i) d[old + i] = T(from[start + i]);
            });
        });
        return;
    }
    ColumnUnique& d = mutableDict();
    PODArray<uint64_t> pos(length);
    const IColumn& sv = s.getDictionaryValues();
    if (s.dict_->size() <= 2 * length + 256) {
        // Remap each source dictionary row once.
        PODArray<uint64_t> map(s.dict_->size(), UINT64_MAX);
        s.withIndexes([&](const auto* from) {
            for (size_t i = 0; i < length; ++i) {
                size_t si = from[start + i];
                if (map[si] == UINT64_MAX) map[si] = d.uniqueInsertFrom(sv, si);
                pos[i] = map[si];
            }
        });
    } else {
        s.withIndexes([&](const auto* from) {
            for (size_t i = 0; i < length; ++i) pos[i] = d.uniqueInsertFrom(sv, from[start + i]);
        });
    }
    appendIndexes(pos.data(), length);
}

void ColumnLowCardinality::insertRangeFromFull(const IColumn& src, size_t start, size_t length) {
    if (!length) return;
    PODArray<uint64_t> pos(length);
    mutableDict().uniqueInsertRangeFrom(src, start, length, pos.data());
    appendIndexes(pos.data(), length);
}

template <typename T>
void ColumnLowCardinality::insertIndexed(const IColumn& keys, const T* positions, size_t n) {
    if (!n) return;
    PODArray<uint64_t> map(keys.size());
    mutableDict().uniqueInsertRangeFrom(keys, 0, keys.size(), map.data());
    PODArray<uint64_t> pos(n);
    for (size_t i = 0; i < n; ++i) {
        if (positions[i] >= keys.size()) throw Exception(ErrorCodes::CORRUPTED_DATA, "LowCardinality index out of its dictionary");
        pos[i] = map[positions[i]];
    }
    appendIndexes(pos.data(), n);
}
template void ColumnLowCardinality::insertIndexed<uint8_t>(const IColumn&, const uint8_t*, size_t);
template void ColumnLowCardinality::insertIndexed<uint16_t>(const IColumn&, const uint16_t*, size_t);
template void ColumnLowCardinality::insertIndexed<uint32_t>(const IColumn&, const uint32_t*, size_t);

ColumnPtr ColumnLowCardinality::filter(const Filter& mask, size_t hint) const {
    return std::make_shared<ColumnLowCardinality>(dict_, std::const_pointer_cast<IColumn>(idx_->filter(mask, hint)));
}
ColumnPtr ColumnLowCardinality::permute(const Permutation& perm, size_t limit) const {
    return std::make_shared<ColumnLowCardinality>(dict_, std::const_pointer_cast<IColumn>(idx_->permute(perm, limit)));
}
ColumnPtr ColumnLowCardinality::cut(size_t start, size_t length) const {
    return std::make_shared<ColumnLowCardinality>(dict_, std::const_pointer_cast<IColumn>(idx_->cut(start, length)));
}
ColumnPtr ColumnLowCardinality::replicate(const Offsets& offsets) const {
    return std::make_shared<ColumnLowCardinality>(dict_, std::const_pointer_cast<IColumn>(idx_->replicate(offsets)));
}

int ColumnLowCardinality::compareAt(size_t n, size_t m, const IColumn& rhs, int nan_hint) const {
    if (rhs.isLowCardinality()) {
        auto& r = static_cast<const ColumnLowCardinality&>(rhs);
        return dict_->values().compareAt(indexAt(n), r.indexAt(m), r.getDictionaryValues(), nan_hint);
    }
    if (rhs.isConst()) return dict_->values().compareAt(indexAt(n), 0, static_cast<const ColumnConst&>(rhs).getDataColumn(), nan_hint);
    return dict_->values().compareAt(indexAt(n), m, rhs, nan_hint);
}

void ColumnLowCardinality::getPermutation(bool reverse, size_t limit, int nan_hint, Permutation& res) const {
    size_t n = size(), d = dict_->size();
    if (d > n || d > (1u << 24)) {
        // Comparison sort; the hint is flipped for descending order like the nested layouts do.
        IColumn::getPermutation(reverse, limit, reverse ? -nan_hint : nan_hint, res);
        return;
    }
    // Rank the dictionary once (equal values share a rank), then counting-sort the rows by rank:
    // stable, so equal rows keep their order as in the other columns' sorts.
    const IColumn& values = dict_->values();
    int hint = reverse ? -nan_hint : nan_hint;   // as ColumnVector: NaN/NULL placement survives the reversal
    Permutation dict_order;
    values.getPermutation(false, 0, hint, dict_order);
    PODArray<uint32_t> rank(d);
    uint32_t r = 0;
    for (size_t k = 0; k < d; ++k) {
        if (k && values.compareAt(dict_order[k - 1], dict_order[k], values, hint) != 0) ++r;
        rank[dict_order[k]] = r;
    }
    uint32_t ranks = r + 1;
    if (reverse)
        for (size_t k = 0; k < d; ++k) rank[k] = ranks - 1 - rank[k];
    PODArray<uint32_t> count(ranks + 1);
    std::fill(count.begin(), count.end(), 0);
    withIndexes([&](const auto* ix) {
        for (size_t i = 0; i < n; ++i) ++count[rank[ix[i]] + 1];
        for (size_t k = 1; k <= ranks; ++k) count[k] += count[k - 1];
        res.resize(n);
        for (size_t i = 0; i < n; ++i) res[count[rank[ix[i]]]++] = uint32_t(i);
    });
    (void)limit;
}

void ColumnLowCardinality::deserializeAndInsert(const char*& pos) { pushIndex(mutableDict().uniqueDeserializeAndInsert(pos)); }

void ColumnLowCardinality::updateHashes(uint64_t* hashes) const {
    PODArray<uint64_t> dh(dict_->size());
    std::fill(dh.begin(), dh.end(), 0);
    dict_->values().updateHashes(dh.data());
    withIndexes([&](const auto* ix) {
        for (size_t i = 0; i < size(); ++i) hashes[i] = hashMix(hashes[i], dh[ix[i]]);
    });
}

ColumnPtr ColumnLowCardinality::convertToFull() const {
    if (width_ == 4) return dict_->values().permute(static_cast<const ColumnUInt32&>(*idx_).getData(), 0);
    Permutation perm(size());
    withIndexes([&](const auto* ix) {
        for (size_t i = 0; i < perm.size(); ++i) perm[i] = uint32_t(ix[i]);
    });
    return dict_->values().permute(perm, 0);
}

ColumnLowCardinality::UsedDictionary ColumnLowCardinality::getUsedDictionary() const {
    size_t n = size(), d = dict_->size();
    UsedDictionary r;
    PODArray<uint8_t> mark(d);
    std::memset(mark.data(), 0, d);
    withIndexes([&](const auto* ix) {
        for (size_t i = 0; i < n; ++i) mark[ix[i]] = 1;
    });
    r.position.resize(d);
    Permutation used;
    for (size_t k = 0; k < d; ++k) {
        r.position[k] = mark[k] ? uint32_t(used.size()) : 0;
        if (mark[k]) used.push_back(uint32_t(k));
    }
    if (used.size() == d) r.values = dict_->valuesPtr();
    else r.values = dict_->values().permute(used, 0);
    return r;
}

Permutation ColumnLowCardinality::usedPositions(const UsedDictionary& used) const {
    Permutation out(size());
    const uint32_t* pos = used.position.data();
    withIndexes([&](const auto* ix) {
        for (size_t i = 0; i < out.size(); ++i) out[i] = pos[ix[i]];
    });
    return out;
}

ColumnPtr ColumnLowCardinality::mapResults(const ColumnLowCardinality& empty, const IColumn& results, const UsedDictionary& used) const {
    auto res = std::static_pointer_cast<ColumnLowCardinality>(empty.cloneEmpty());
    size_t n = size(), m = results.size(), d = dict_->size();
    if (n == 0) return res;
    PODArray<uint64_t> pos(m);
    res->mutableDict().uniqueInsertRangeFrom(results, 0, m, pos.data());
    // Result row per dictionary row, then one pass over the rows writing indexes of the final width.
    PODArray<uint64_t> per_dict_row(d);
    for (size_t k = 0; k < d; ++k) per_dict_row[k] = pos[used.position[k]];
    size_t width = widthFor(res->dict_->size() - 1);
    res->idx_ = makeIndexColumn(width);
    res->width_ = width;
    const uint64_t* map = per_dict_row.data();
    withIndexes([&](const auto* ix) {
        withMutableIndexes(*res->idx_, width, [&](auto& out) {
            using T = std::decay_t<decltype(out[0])>;
            out.resize(n);
            for (size_t i = 0; i < n; ++i) out[i] = T(map[ix[i]]);
        });
    });
    return res;
}

// ---------------------------------------------------------------- helpers
ColumnPtr removeLowCardinality(const ColumnPtr& c) {
    if (c->isConst()) {
        auto& cc = static_cast<const ColumnConst&>(*c);
        if (!cc.getDataColumn().isLowCardinality()) return c;
        return std::make_shared<ColumnConst>(static_cast<const ColumnLowCardinality&>(cc.getDataColumn()).convertToFull(), cc.size());
    }
    if (c->isLowCardinality()) return static_cast<const ColumnLowCardinality&>(*c).convertToFull();
    return c;
}

ColumnPtr recursiveRemoveLowCardinality(const ColumnPtr& c) {
    if (c->isConst()) {
        auto& cc = static_cast<const ColumnConst&>(*c);
        ColumnPtr d = recursiveRemoveLowCardinality(cc.getDataColumnPtr());
        return d == cc.getDataColumnPtr() ? c : std::make_shared<ColumnConst>(d, cc.size());
    }
    if (c->isLowCardinality()) return static_cast<const ColumnLowCardinality&>(*c).convertToFull();
    if (auto* a = dynamic_cast<const ColumnArray*>(c.get())) {
        ColumnPtr nested = recursiveRemoveLowCardinality(a->getDataPtr());
        if (nested == a->getDataPtr()) return c;
        return std::make_shared<ColumnArray>(std::const_pointer_cast<IColumn>(nested), a->getOffsets());
    }
    if (auto* t = dynamic_cast<const ColumnTuple*>(c.get())) {
        std::vector<MutableColumnPtr> cols;
        bool changed = false;
        for (size_t i = 0; i < t->tupleSize(); ++i) {
            ColumnPtr e = recursiveRemoveLowCardinality(t->getColumnPtr(i));
            changed = changed || e != t->getColumnPtr(i);
            cols.push_back(std::const_pointer_cast<IColumn>(e));
        }
        if (!changed) return c;
        return std::make_shared<ColumnTuple>(std::move(cols));
    }
    return c;
}

}  // namespace basalt
