// join.cpp — HashJoin: build the right side's key index, probe left blocks, emit non-joined rows.
//
// Keys are cast to their common type and laid out per row as one 64-bit value (numbers, dates,
// several narrow keys packed), one 128-bit value, or serialized bytes; the index maps a key to the
// first of its rows, and `next_` chains the others in insertion order (ClickHouse's ANY takes the
// first). NULL in any key never matches. ASOF keeps, per equi key, the rows sorted by the ASOF
// column as order-preserving 64-bit values and binary-searches them. Narrow integer key ranges use
// a flat array instead of a hash table; large build sides are split by key hash into several
// tables built on several threads. SwappedHashJoin is the mirrored HashJoin (right JOIN left).
#include "exec/join.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/hash_table.h"
#include "common/memory_tracker.h"
#include "common/parallel_for.h"
#include "exec/block_ops.h"
#include "functions/cast.h"
#include "sql/ast.h"
#include "types/create_column.h"

namespace basalt {

namespace {

constexpr uint32_t kNone = UINT32_MAX;
// Build sides of at least this many rows are indexed by several threads (partitioned tables).
constexpr size_t kParallelBuildMinRows = 1 << 19;
// A left block whose matches exceed this many pairs is emitted in several blocks.
constexpr size_t kMaxPairsPerBlock = 1 << 18;

enum class KeyLayout { None, Fixed64, Fixed128, Bytes };

// Order-preserving unsigned image of one ASOF value.
uint64_t sortableBits(TypeId id, const char* p) {
    auto sign = [](int64_t v) { return uint64_t(v) ^ (uint64_t(1) << 63); };
    switch (id) {
        case TypeId::UInt8: case TypeId::Bool: return *reinterpret_cast<const uint8_t*>(p);
        case TypeId::UInt16: case TypeId::Date: return *reinterpret_cast<const uint16_t*>(p);
        case TypeId::UInt32: case TypeId::DateTime: return *reinterpret_cast<const uint32_t*>(p);
        case TypeId::UInt64: return *reinterpret_cast<const uint64_t*>(p);
        case TypeId::Int8: return sign(*reinterpret_cast<const int8_t*>(p));
        case TypeId::Int16: return sign(*reinterpret_cast<const int16_t*>(p));
        case TypeId::Int32: case TypeId::Date32: case TypeId::Decimal32: return sign(*reinterpret_cast<const int32_t*>(p));
        case TypeId::Int64: case TypeId::DateTime64: case TypeId::Decimal64: return sign(*reinterpret_cast<const int64_t*>(p));
        case TypeId::Float32: case TypeId::Float64: {
            double d = id == TypeId::Float32 ? double(*reinterpret_cast<const float*>(p)) : *reinterpret_cast<const double*>(p);
            if (d == 0) d = 0;   // -0.0 equals +0.0
            uint64_t u;
            std::memcpy(&u, &d, 8);
            return (u >> 63) ? ~u : u | (uint64_t(1) << 63);
        }
        default: break;
    }
    throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "ASOF join over type is not supported");
}

bool asofTypeSupported(TypeId id) {
    switch (id) {
        case TypeId::UInt8: case TypeId::UInt16: case TypeId::UInt32: case TypeId::UInt64:
        case TypeId::Int8: case TypeId::Int16: case TypeId::Int32: case TypeId::Int64:
        case TypeId::Float32: case TypeId::Float64: case TypeId::Date: case TypeId::Date32:
        case TypeId::DateTime: case TypeId::DateTime64: case TypeId::Decimal32: case TypeId::Decimal64:
            return true;
        default: return false;
    }
}

// Packs fixed-width key columns side by side into one integer per row (the rest zero).
template <typename T, size_t W>
void packColumn(char* dst, const char* src, size_t rows) {
    for (size_t i = 0; i < rows; ++i) std::memcpy(dst + i * sizeof(T), src + i * W, W);
}
template <typename T>
void packFixed(const Columns& keys, size_t rows, PODArray<T>& out) {
    out.resize_fill(rows, T(0));
    size_t at = 0;
    for (auto& c : keys) {
        size_t w = c->valueSizeOfFixed();
        const char* src = c->rawData();
        char* dst = reinterpret_cast<char*>(out.data()) + at;
        // Constant widths: the copies become plain loads and stores.
        switch (w) {
            case 1: packColumn<T, 1>(dst, src, rows); break;
            case 2: packColumn<T, 2>(dst, src, rows); break;
            case 4: packColumn<T, 4>(dst, src, rows); break;
            case 8: packColumn<T, 8>(dst, src, rows); break;
            default:
                for (size_t i = 0; i < rows; ++i) std::memcpy(dst + i * sizeof(T), src + i * w, w);
        }
        at += w;
    }
}

bool isRight(JoinKind k) { return k == JoinKind::Right; }
bool isFull(JoinKind k) { return k == JoinKind::Full; }
bool keepsLeftRows(JoinKind k) { return k == JoinKind::Left || k == JoinKind::Full; }

// A column wrapped as Nullable with no NULLs.
ColumnPtr wrapNullable(const ColumnPtr& c) {
    if (c->isNullable()) return c;
    auto nm = ColumnUInt8::create(c->size());
    if (c->size()) std::memset(nm->getData().data(), 0, c->size());
    return std::make_shared<ColumnNullable>(std::const_pointer_cast<IColumn>(c), std::move(nm));
}

}  // namespace

DataTypePtr joinedColumnType(const DataTypePtr& type, bool nullable_side, bool use_nulls) {
    if (!nullable_side || !use_nulls) return type;
    DataTypePtr t = type;
    if (t->id == TypeId::LowCardinality) t = removeLowCardinality(t);
    if (!t->canBeInsideNullable()) return type;
    return makeNullable(t);
}

bool joinHasNonJoinedRows(JoinKind kind, JoinStrictness strictness) {
    if (strictness == JoinStrictness::Semi) return false;
    return kind == JoinKind::Right || kind == JoinKind::Full;
}

// Per-row key values of one block.
struct HashJoin::Prepared {
    KeyLayout layout = KeyLayout::None;
    PODArray<uint64_t> k64;
    PODArray<unsigned __int128> k128;
    std::string bytes;
    PODArray<size_t> offsets;           // Bytes: end of each row's key
    PODArray<uint8_t> null_rows;        // 1 = a key is NULL (never matches); empty = none
    PODArray<uint64_t> asof;            // ASOF values (sortable)
    Columns raw;                        // evaluated keys (full, no LowCardinality): USING output
    size_t rows = 0;
    std::string_view keyBytes(size_t i) const {
        size_t b = i ? offsets[i - 1] : 0;
        return {bytes.data() + b, offsets[i] - b};
    }
};

// Fixed64 keys in [lo, hi] are looked up in a flat array instead of a hash table when the range is
// narrow (surrogate keys of dimension tables).
bool denseRange(uint64_t lo, uint64_t hi, size_t rows) {
    uint64_t range = hi - lo;
    return lo <= hi && range < std::max<uint64_t>(4096, 4 * uint64_t(rows)) && range < (uint64_t(1) << 26);
}

struct HashJoin::Index {
    KeyLayout layout = KeyLayout::None;
    // One hash table, or (a large build side, built in parallel) several, a key's table chosen by
    // the high half of its hash (the tables' cells are picked by the low bits). The number of tables
    // need not be a power of two: it is chosen so that their power-of-two sizes waste little.
    struct Table {
        FixedHashMap<uint64_t, uint32_t> map64;
        FixedHashMap<unsigned __int128, uint32_t> map128;
        StringHashMap<uint32_t> map_bytes;
    };
    std::vector<Table> tables = std::vector<Table>(1);
    size_t parts = 1;
    size_t part(uint64_t hash) const { return size_t((uint64_t(uint32_t(hash >> 32)) * parts) >> 32); }
    FixedHashMap<uint64_t, uint32_t>& map64(uint64_t hash) const { return const_cast<Table&>(tables[part(hash)]).map64; }
    FixedHashMap<unsigned __int128, uint32_t>& map128(uint64_t hash) const { return const_cast<Table&>(tables[part(hash)]).map128; }
    StringHashMap<uint32_t>& mapBytes(uint64_t hash) const { return const_cast<Table&>(tables[part(hash)]).map_bytes; }
    std::string key_bytes;                 // Bytes: owns the keys map_bytes points into
    PODArray<uint32_t> next;               // chain of rows with the same key (insertion order)
    // Fixed64 keys in a narrow range (surrogate keys of dimension tables): a flat array indexed by
    // key - dense_min replaces the hash table lookups.
    PODArray<uint32_t> dense;
    uint64_t dense_min = 0;

    // ASOF: the groups' table (one table) becomes a flat array when the keys allow.
    void makeDense(size_t rows) {
        auto& m = tables[0].map64;
        if (layout != KeyLayout::Fixed64 || tables.size() != 1 || m.size() == 0) return;
        uint64_t lo = UINT64_MAX, hi = 0;
        m.forEach([&](const uint64_t& k, uint32_t&) { lo = std::min(lo, k); hi = std::max(hi, k); });
        if (!denseRange(lo, hi, rows)) return;
        dense.resize_fill(size_t(hi - lo) + 1, kNone);
        m.forEach([&](const uint64_t& k, uint32_t& v) { dense[size_t(k - lo)] = v; });
        dense_min = lo;
    }
    uint32_t all_head = kNone;             // layout None: every row
    // ASOF: the value `map*` holds is a group; group g's rows are asof_rows[group_begin[g] ..
    // group_begin[g + 1]), sorted by asof_values.
    PODArray<uint32_t> group_begin;
    PODArray<uint32_t> asof_rows;
    PODArray<uint64_t> asof_values;

    void findAll(const Prepared& p, PODArray<uint32_t>& heads) const {
        size_t rows = p.rows;
        constexpr size_t kAhead = 16;
        switch (layout) {
            case KeyLayout::None:
                for (size_t i = 0; i < rows; ++i) heads[i] = all_head;
                return;
            case KeyLayout::Fixed64: {
                if (!dense.empty()) {
                    const uint32_t* d = dense.data();
                    uint64_t n = dense.size(), lo = dense_min;
                    for (size_t i = 0; i < rows; ++i) {
                        uint64_t off = p.k64[i] - lo;
                        heads[i] = off < n ? d[off] : kNone;
                    }
                    return;
                }
                using Map = FixedHashMap<uint64_t, uint32_t>;
                if (parts == 1) {
                    auto& m = map64(0);
                    for (size_t i = 0; i < rows; ++i) {
                        if (i + kAhead < rows) m.prefetch(Map::hashOf(p.k64[i + kAhead]));
                        auto* v = m.find(p.k64[i]);
                        heads[i] = v ? *v : kNone;
                    }
                    return;
                }
                for (size_t i = 0; i < rows; ++i) {
                    if (i + kAhead < rows) {
                        uint64_t ha = Map::hashOf(p.k64[i + kAhead]);
                        map64(ha).prefetch(ha);
                    }
                    auto* v = map64(Map::hashOf(p.k64[i])).find(p.k64[i]);
                    heads[i] = v ? *v : kNone;
                }
                return;
            }
            default:
                for (size_t i = 0; i < rows; ++i) heads[i] = find(p, i);
        }
    }

    uint32_t find(const Prepared& p, size_t i) const {
        switch (layout) {
            case KeyLayout::None: return all_head;
            case KeyLayout::Fixed64: {
                if (!dense.empty()) {
                    uint64_t off = p.k64[i] - dense_min;
                    return off < dense.size() ? dense[off] : kNone;
                }
                uint64_t h = parts > 1 ? FixedHashMap<uint64_t, uint32_t>::hashOf(p.k64[i]) : 0;
                auto* m = map64(h).find(p.k64[i]);
                return m ? *m : kNone;
            }
            case KeyLayout::Fixed128: {
                uint64_t h = parts > 1 ? FixedHashMap<unsigned __int128, uint32_t>::hashOf(p.k128[i]) : 0;
                auto* m = map128(h).find(p.k128[i]);
                return m ? *m : kNone;
            }
            case KeyLayout::Bytes: {
                std::string_view k = p.keyBytes(i);
                uint64_t h = bytesHash(k.data(), k.size());
                auto* m = mapBytes(h).find(k, h);
                return m ? *m : kNone;
            }
        }
        return kNone;
    }
};

HashJoin::~HashJoin() = default;

// 1 per row where `cond` is false or NULL (invert) / true (!invert).
PODArray<uint8_t> filterMask(const ExprNodePtr& cond, const Block& block, bool invert) {
    ColumnPtr f = materialize(evaluate(cond, block));
    const IColumn* fc = f.get();
    const PODArray<uint8_t>* nulls = nullptr;
    if (fc->isNullable()) {
        nulls = &static_cast<const ColumnNullable&>(*fc).getNullMap();
        fc = &static_cast<const ColumnNullable&>(*fc).getNested();
    }
    const uint8_t* fv = reinterpret_cast<const uint8_t*>(fc->rawData());
    PODArray<uint8_t> out(block.rows());
    for (size_t i = 0; i < block.rows(); ++i) {
        bool pass = fv[i] && !(nulls && (*nulls)[i]);
        out[i] = invert ? !pass : pass;
    }
    return out;
}

HashJoin::Prepared HashJoin::prepareKeys(const std::vector<ExprNodePtr>& nodes, const Block& block) const { return prepare(d_, fctx_, nodes, block); }

void HashJoin::keyHashes(const JoinDescription& d, const FunctionContext& fctx, bool right_side, const Block& block, PODArray<uint64_t>& hashes) {
    Prepared p = prepare(d, fctx, right_side ? d.right_keys : d.left_keys, block);
    hashes.resize(p.rows);
    for (size_t i = 0; i < p.rows; ++i) {
        if (!p.null_rows.empty() && p.null_rows[i]) { hashes[i] = 0; continue; }
        switch (p.layout) {
            case KeyLayout::None: hashes[i] = 0; break;
            case KeyLayout::Fixed64: hashes[i] = intHash64(p.k64[i]); break;
            case KeyLayout::Fixed128: hashes[i] = FixedHashMap<unsigned __int128, uint32_t>::hashOf(p.k128[i]); break;
            case KeyLayout::Bytes: { std::string_view k = p.keyBytes(i); hashes[i] = bytesHash(k.data(), k.size()); break; }
        }
    }
}

HashJoin::Prepared HashJoin::prepare(const JoinDescription& d_, const FunctionContext& fctx_, const std::vector<ExprNodePtr>& nodes, const Block& block) {
    Prepared p;
    p.rows = block.rows();
    std::vector<ColumnPtr> cols = evaluateAll(nodes, block);
    Columns keys;
    size_t fixed_bytes = 0;
    bool all_fixed = true;
    for (size_t k = 0; k < nodes.size(); ++k) {
        ColumnPtr c = recursiveRemoveLowCardinality(materialize(cols[k]));
        DataTypePtr t = recursiveRemoveLowCardinality(nodes[k]->type);
        p.raw.push_back(c);
        if (d_.null_safe[k]) {
            // `<=>`: NULL is a key value of its own (serialized with the null flag).
            DataTypePtr to = makeNullable(d_.key_types[k]);
            if (!t->equals(*to)) c = castColumn(c, t, to, fctx_);
            all_fixed = false;
            keys.push_back(c);
            continue;
        }
        if (c->isNullable()) {
            const auto& n = static_cast<const ColumnNullable&>(*c);
            if (p.null_rows.empty()) p.null_rows.resize_fill(p.rows, uint8_t(0));
            const auto& nm = n.getNullMap();
            for (size_t i = 0; i < p.rows; ++i) p.null_rows[i] |= nm[i];
            c = n.getNestedPtr();
            t = removeNullable(t);
        }
        if (!t->equals(*d_.key_types[k])) c = castColumn(c, t, d_.key_types[k], fctx_);
        if (c->isFixedAndContiguous()) fixed_bytes += c->valueSizeOfFixed();
        else all_fixed = false;
        keys.push_back(c);
    }
    if (keys.empty()) p.layout = KeyLayout::None;
    else if (all_fixed && fixed_bytes <= 8) p.layout = KeyLayout::Fixed64;
    else if (all_fixed && fixed_bytes <= 16) p.layout = KeyLayout::Fixed128;
    else p.layout = KeyLayout::Bytes;
    switch (p.layout) {
        case KeyLayout::None: break;
        case KeyLayout::Fixed64: packFixed(keys, p.rows, p.k64); break;
        case KeyLayout::Fixed128: packFixed(keys, p.rows, p.k128); break;
        case KeyLayout::Bytes: {
            p.offsets.resize(p.rows);
            if (keys.size() == 1 && std::string_view(keys[0]->familyName()) == "String") {
                // One String key: its bytes as they are.
                const auto& s = static_cast<const ColumnString&>(*keys[0]);
                for (size_t i = 0; i < p.rows; ++i) {
                    std::string_view v = s.getView(i);
                    p.bytes.append(v.data(), v.size());
                    p.offsets[i] = p.bytes.size();
                }
            } else {
                for (size_t i = 0; i < p.rows; ++i) {
                    for (auto& c : keys) c->serializeValue(i, p.bytes);
                    p.offsets[i] = p.bytes.size();
                }
            }
            break;
        }
    }
    return p;
}

HashJoin::HashJoin(JoinDescription d, const Block& right, const FunctionContext& fctx, size_t threads) : d_(std::move(d)), fctx_(fctx) {
    right_rows_ = right.rows();
    if (right_rows_ >= kNone) throw Exception(ErrorCodes::TOO_MANY_ROWS, "Too many rows in the right side of JOIN");
    bool right_nullable = keepsLeftRows(d_.kind);
    // Output columns of the right side, with the "no match" row appended (a column per thread).
    size_t nout = d_.right_columns.size();
    right_out_types_.resize(nout);
    right_out_.resize(nout);
    MemoryTracker* tracker = currentMemoryTracker();
    parallelFor(nout, right_rows_ >= kParallelBuildMinRows ? threads : 1, [&](size_t k) {
        MemoryTrackerScope scope(tracker);
        const auto& col = right.at(d_.right_columns[k]);
        ColumnPtr full = materialize(col.column);
        DataTypePtr out_type = joinedColumnType(col.type, right_nullable, d_.use_nulls);
        if (!out_type->equals(*col.type)) {
            if (col.type->id == TypeId::LowCardinality) full = recursiveRemoveLowCardinality(full);
            full = wrapNullable(full);
        }
        right_out_types_[k] = out_type;
        auto m = full->cloneEmpty();
        m->reserve(right_rows_ + 1);
        m->insertRangeFrom(*full, 0, right_rows_);
        m->insertDefault();
        right_out_[k] = m;
    });

    index_ = std::make_unique<Index>();
    Index& ix = *index_;
    Prepared keys = prepareKeys(d_.right_keys, right);
    for (auto& u : d_.using_columns) {
        auto m = keys.raw[u.key]->cloneEmpty();
        m->insertRangeFrom(*keys.raw[u.key], 0, right_rows_);
        m->insertDefault();
        right_using_keys_.push_back(m);
    }
    ix.layout = keys.layout;
    ix.next.resize_fill(right_rows_ + 1, kNone);
    flags_ = std::make_unique<std::atomic<uint8_t>[]>(right_rows_ + 1);
    for (size_t i = 0; i <= right_rows_; ++i) flags_[i].store(0, std::memory_order_relaxed);

    auto isNullRow = [&](size_t i) { return !keys.null_rows.empty() && keys.null_rows[i]; };
    if (d_.strictness == JoinStrictness::Asof) {
        // Group rows by equi key, then sort each group's rows by the ASOF value.
        std::vector<ColumnPtr> av = evaluateAll({d_.right_asof}, right);
        ColumnPtr a = recursiveRemoveLowCardinality(materialize(av[0]));
        DataTypePtr at = recursiveRemoveLowCardinality(d_.right_asof->type);
        PODArray<uint8_t> asof_null;
        if (a->isNullable()) {
            asof_null = static_cast<const ColumnNullable&>(*a).getNullMap();
            a = static_cast<const ColumnNullable&>(*a).getNestedPtr();
            at = removeNullable(at);
        }
        if (!at->equals(*d_.asof_type)) a = castColumn(a, at, d_.asof_type, fctx_);
        PODArray<uint8_t> excluded;   // rows failing the right-side ON conditions
        if (d_.right_filter) excluded = filterMask(d_.right_filter, right, true);
        TypeId aid = d_.asof_type->id;
        size_t w = a->valueSizeOfFixed();
        PODArray<uint32_t> group_of(right_rows_);
        uint32_t groups = 0;
        ix.key_bytes = std::move(keys.bytes);   // map_bytes points into it
        for (size_t i = 0; i < right_rows_; ++i) {
            if (isNullRow(i) || (!asof_null.empty() && asof_null[i]) || (!excluded.empty() && excluded[i])) { group_of[i] = kNone; continue; }
            bool inserted = false;
            uint32_t* g = nullptr;
            switch (ix.layout) {
                case KeyLayout::None: g = nullptr; break;
                case KeyLayout::Fixed64: g = &ix.tables[0].map64.emplace(keys.k64[i], inserted); break;
                case KeyLayout::Fixed128: g = &ix.tables[0].map128.emplace(keys.k128[i], inserted); break;
                case KeyLayout::Bytes: {
                    size_t kb = i ? keys.offsets[i - 1] : 0;
                    std::string_view k(ix.key_bytes.data() + kb, keys.offsets[i] - kb);
                    g = &ix.tables[0].map_bytes.emplace(k, bytesHash(k.data(), k.size()), inserted, [&](std::string_view) { return k.data(); });
                    break;
                }
            }
            if (!g) { group_of[i] = 0; groups = 1; continue; }
            if (inserted) *g = groups++;
            group_of[i] = *g;
        }
        if (ix.layout == KeyLayout::None) ix.all_head = 0;
        ix.group_begin.resize_fill(size_t(groups) + 1, uint32_t(0));
        for (size_t i = 0; i < right_rows_; ++i)
            if (group_of[i] != kNone) ++ix.group_begin[group_of[i] + 1];
        for (size_t g = 0; g < groups; ++g) ix.group_begin[g + 1] += ix.group_begin[g];
        size_t total = ix.group_begin[groups];
        ix.asof_rows.resize(total);
        ix.asof_values.resize(total);
        PODArray<uint32_t> cursor(groups);
        for (size_t g = 0; g < groups; ++g) cursor[g] = ix.group_begin[g];
        const char* raw = a->rawData();
        for (size_t i = 0; i < right_rows_; ++i) {
            if (group_of[i] == kNone) continue;
            uint32_t at_pos = cursor[group_of[i]]++;
            ix.asof_rows[at_pos] = uint32_t(i);
            ix.asof_values[at_pos] = sortableBits(aid, raw + i * w);
        }
        for (size_t g = 0; g < groups; ++g) {
            size_t b = ix.group_begin[g], e = ix.group_begin[g + 1];
            std::vector<std::pair<uint64_t, uint32_t>> tmp(e - b);
            for (size_t k = b; k < e; ++k) tmp[k - b] = {ix.asof_values[k], ix.asof_rows[k]};
            std::sort(tmp.begin(), tmp.end());
            for (size_t k = b; k < e; ++k) { ix.asof_values[k] = tmp[k - b].first; ix.asof_rows[k] = tmp[k - b].second; }
        }
        ix.makeDense(right_rows_);
        return;
    }

    // Chains in insertion order: walk the rows backwards, each becoming its key's head.
    const size_t rows = right_rows_;
    if (ix.layout == KeyLayout::None) {
        for (size_t i = rows; i-- > 0;) { ix.next[i] = ix.all_head; ix.all_head = uint32_t(i); }
        return;
    }
    if (ix.layout == KeyLayout::Bytes) ix.key_bytes = std::move(keys.bytes);
    // Narrow Fixed64 key ranges: the flat array directly, no hash table.
    if (ix.layout == KeyLayout::Fixed64) {
        uint64_t lo = UINT64_MAX, hi = 0;
        for (size_t i = 0; i < rows; ++i) {
            if (isNullRow(i)) continue;
            lo = std::min(lo, keys.k64[i]);
            hi = std::max(hi, keys.k64[i]);
        }
        if (denseRange(lo, hi, rows)) {
            ix.dense.resize_fill(size_t(hi - lo) + 1, kNone);
            ix.dense_min = lo;
            uint32_t* d = ix.dense.data();
            for (size_t i = rows; i-- > 0;) {
                if (isNullRow(i)) continue;
                uint32_t& head = d[keys.k64[i] - lo];
                ix.next[i] = head;
                head = uint32_t(i);
            }
            return;
        }
    }
    auto rowKey = [&](size_t i) {
        size_t b = i ? keys.offsets[i - 1] : 0;
        return std::string_view(ix.key_bytes.data() + b, keys.offsets[i] - b);
    };
    // Inserts rows into table t, last row first: rows [0, rows) without NULL keys, or (several
    // tables) the rows of `lists` — table t's rows, each list ascending, the lists in row order —
    // sized for `distinct` keys.
    PODArray<uint64_t> hashes;   // Bytes, several tables: each row's key hash
    auto insertRows = [&](size_t t, const std::vector<const PODArray<uint32_t>*>& lists, size_t distinct) {
        Index::Table& tb = ix.tables[t];
        auto chain = [&](auto& map, auto&& emplace) {
            map.reserve(distinct);
            auto one = [&](size_t i) {
                bool inserted;
                uint32_t& head = emplace(map, i, inserted);
                ix.next[i] = inserted ? kNone : head;
                head = uint32_t(i);
            };
            if (lists.empty()) {
                for (size_t i = rows; i-- > 0;)
                    if (!isNullRow(i)) one(i);
                return;
            }
            for (size_t l = lists.size(); l-- > 0;)
                for (size_t j = lists[l]->size(); j-- > 0;) one((*lists[l])[j]);
        };
        switch (ix.layout) {
            case KeyLayout::Fixed64:
                chain(tb.map64, [&](auto& m, size_t i, bool& ins) -> uint32_t& { return m.emplace(keys.k64[i], ins); });
                break;
            case KeyLayout::Fixed128:
                chain(tb.map128, [&](auto& m, size_t i, bool& ins) -> uint32_t& { return m.emplace(keys.k128[i], ins); });
                break;
            case KeyLayout::Bytes:
                chain(tb.map_bytes, [&](auto& m, size_t i, bool& ins) -> uint32_t& {
                    std::string_view k = rowKey(i);
                    uint64_t h = hashes.empty() ? bytesHash(k.data(), k.size()) : hashes[i];
                    return m.emplace(k, h, ins, [&](std::string_view) { return k.data(); });
                });
                break;
            case KeyLayout::None: break;
        }
    };
    if (threads <= 1 || rows < kParallelBuildMinRows) {
        insertRows(0, {}, rows);
        return;
    }
    // A large build side: its rows are split by key hash into several tables (one or two per
    // thread; the count whose power-of-two table sizes waste least) built at once on `threads`
    // threads. First each thread takes a contiguous range of rows and lists them per table, in
    // order; a key's rows all go to one table, whose lists are then inserted range by range, so
    // every chain is still in insertion order. The same pass estimates the number of distinct keys
    // by linear counting (a bitmap of the hashes' low bits per thread): the tables are sized for
    // it, not for the rows (a fact table's foreign keys repeat).
    size_t parts = 0, best_cells = SIZE_MAX;
    for (size_t p = std::max<size_t>(2, threads); p <= std::max<size_t>(4, 2 * threads) && p <= 64; ++p) {
        size_t cells = 256;
        while (cells < 2 * (rows / p + 1)) cells *= 2;
        if (cells * p < best_cells) { best_cells = cells * p; parts = p; }
    }
    ix.parts = parts;
    ix.tables.resize(parts);
    const size_t workers = threads;
    constexpr unsigned kBitmapBits = 20;   // 128 KiB: in cache; exact enough below ~4M keys, saturated (= all rows) above
    constexpr size_t kBitmapWords = (size_t(1) << kBitmapBits) / 64;
    std::vector<PODArray<uint64_t>> bitmaps(workers);
    std::vector<PODArray<uint32_t>> lists(workers * parts);   // worker w, table t: lists[w * parts + t]
    if (ix.layout == KeyLayout::Bytes) hashes.resize(rows);
    parallelFor(workers, workers, [&](size_t w) {
        MemoryTrackerScope scope(tracker);
        PODArray<uint64_t>& bm = bitmaps[w];
        bm.resize_fill(kBitmapWords, 0);
        size_t begin = rows * w / workers, end = rows * (w + 1) / workers;
        PODArray<uint32_t>* mine = lists.data() + w * parts;
        for (size_t t = 0; t < parts; ++t) mine[t].reserve((end - begin) / parts + (end - begin) / (parts * 16) + 1024);
        for (size_t i = begin; i < end; ++i) {
            if (isNullRow(i)) continue;
            uint64_t h = 0;
            switch (ix.layout) {
                case KeyLayout::Fixed64: h = FixedHashMap<uint64_t, uint32_t>::hashOf(keys.k64[i]); break;
                case KeyLayout::Fixed128: h = FixedHashMap<unsigned __int128, uint32_t>::hashOf(keys.k128[i]); break;
                case KeyLayout::Bytes: { std::string_view k = rowKey(i); h = hashes[i] = bytesHash(k.data(), k.size()); break; }
                case KeyLayout::None: break;
            }
            size_t bit = h & ((size_t(1) << kBitmapBits) - 1);
            bm[bit >> 6] |= uint64_t(1) << (bit & 63);
            mine[ix.part(h)].push_back(uint32_t(i));
        }
    });
    size_t zeros = 0, present = 0;
    for (size_t x = 0; x < kBitmapWords; ++x) {
        uint64_t word = 0;
        for (auto& bm : bitmaps) word |= bm[x];
        zeros += 64 - size_t(__builtin_popcountll(word));
    }
    bitmaps.clear();
    for (auto& l : lists) present += l.size();
    // Saturated (about five keys a bit and more): as many keys as rows.
    const double m = double(size_t(1) << kBitmapBits);
    double estimate = zeros > size_t(m / 128) ? m * std::log(m / double(zeros)) : double(present);
    const size_t distinct = std::min(present, size_t(estimate * 1.2) + 1024);
    parallelFor(parts, threads, [&](size_t t) {
        MemoryTrackerScope scope(tracker);
        std::vector<const PODArray<uint32_t>*> mine;
        size_t n = 0;
        for (size_t w = 0; w < workers; ++w) {
            mine.push_back(&lists[w * parts + t]);
            n += lists[w * parts + t].size();
        }
        insertRows(t, mine, std::min(n, present ? distinct * n / present + 256 : n));
        for (size_t w = 0; w < workers; ++w) PODArray<uint32_t>().swap(lists[w * parts + t]);
    });
}

size_t HashJoin::bytes() const {
    size_t b = index_->key_bytes.size() + index_->next.size() * 4 + index_->asof_rows.size() * 12 + index_->dense.size() * 4;
    for (auto& t : index_->tables) b += t.map64.bytes() + t.map128.bytes();
    for (auto& c : right_out_) b += c->byteSize();
    return b;
}

ColumnPtr HashJoin::mergedUsing(const Block& left, size_t u, const Permutation& li, const Permutation& ri, bool right_only) const {
    const auto& uc = d_.using_columns[u];
    ColumnPtr src;
    DataTypePtr src_type;
    if (right_only) {
        src = right_using_keys_[u]->permute(ri, 0);
        src_type = recursiveRemoveLowCardinality(d_.right_keys[uc.key]->type);
    } else {
        const auto& col = left.at(uc.left_position);
        src = recursiveRemoveLowCardinality(materialize(col.column))->permute(li, 0);
        src_type = recursiveRemoveLowCardinality(col.type);
    }
    if (!src_type->equals(*uc.type)) src = castColumn(src, src_type, uc.type, fctx_);
    return src;
}

Block HashJoin::assemble(const Block& left, const Permutation& li, const Permutation& ri, bool right_only) const {
    Block out;
    size_t rows = ri.size();
    // Every left row once, in order (INNER / LEFT joins to unique dimension keys): no gather.
    bool identity = !right_only && li.size() == left.rows();
    for (size_t i = 0; identity && i < li.size(); ++i) identity = li[i] == i;
    for (size_t c = 0; c < left.columns(); ++c) {
        const auto& col = left.at(c);
        const DataTypePtr& out_type = d_.left_types[c];
        ColumnPtr v;
        for (size_t u = 0; u < d_.using_columns.size(); ++u)
            if (d_.using_columns[u].left_position == c && !d_.using_columns[u].append) v = mergedUsing(left, u, li, ri, right_only);
        if (!v) {
            if (right_only) {
                auto m = createColumn(out_type);
                m->insertManyDefaults(rows);
                v = m;
            } else {
                v = identity ? col.column : materialize(col.column)->permute(li, 0);
                if (!out_type->equals(*col.type)) {
                    if (out_type->isNullable() && removeNullable(out_type)->equals(*col.type)) v = wrapNullable(v);
                    else v = castColumn(recursiveRemoveLowCardinality(v), recursiveRemoveLowCardinality(col.type), out_type, fctx_);
                }
            }
        }
        out.insert({v, out_type, col.name});
    }
    for (size_t k = 0; k < d_.right_columns.size(); ++k) out.insert({right_out_[k]->permute(ri, 0), right_out_types_[k], d_.right_names[k]});
    for (size_t u = 0; u < d_.using_columns.size(); ++u)
        if (d_.using_columns[u].append) out.insert({mergedUsing(left, u, li, ri, right_only), d_.using_columns[u].type, "__using_" + std::to_string(u)});
    if (out.columns() == 0) out.setRowsWithoutColumns(rows);
    return out;
}

void HashJoin::join(const Block& left, std::vector<Block>& out) const {
    const Index& ix = *index_;
    size_t rows = left.rows();
    if (rows == 0) return;
    if (d_.kind == JoinKind::Paste) {
        // Row i of the left side meets row i of the right side (one ordered left stream).
        size_t begin = paste_offset_.fetch_add(rows);
        if (begin >= right_rows_) return;
        size_t n = std::min(rows, right_rows_ - begin);
        Permutation li(n), ri(n);
        for (size_t i = 0; i < n; ++i) { li[i] = uint32_t(i); ri[i] = uint32_t(begin + i); }
        out.push_back(assemble(left, li, ri, false));
        return;
    }
    Prepared keys = prepareKeys(d_.left_keys, left);
    PODArray<uint64_t> asof_left;
    PODArray<uint8_t> asof_left_null;
    if (d_.left_filter) asof_left_null = filterMask(d_.left_filter, left, true);
    if (d_.strictness == JoinStrictness::Asof) {
        std::vector<ColumnPtr> av = evaluateAll({d_.left_asof}, left);
        ColumnPtr a = recursiveRemoveLowCardinality(materialize(av[0]));
        DataTypePtr at = recursiveRemoveLowCardinality(d_.left_asof->type);
        if (a->isNullable()) {
            const auto& nm = static_cast<const ColumnNullable&>(*a).getNullMap();
            if (asof_left_null.empty()) asof_left_null = nm;
            else for (size_t i = 0; i < rows; ++i) asof_left_null[i] |= nm[i];
            a = static_cast<const ColumnNullable&>(*a).getNestedPtr();
            at = removeNullable(at);
        }
        if (!at->equals(*d_.asof_type)) a = castColumn(a, at, d_.asof_type, fctx_);
        asof_left.resize(rows);
        size_t w = a->valueSizeOfFixed();
        const char* raw = a->rawData();
        for (size_t i = 0; i < rows; ++i) asof_left[i] = sortableBits(d_.asof_type->id, raw + i * w);
    }
    const JoinStrictness st = d_.strictness;
    const JoinKind kind = d_.kind;
    const uint32_t no_match = uint32_t(right_rows_);
    bool left_outer = keepsLeftRows(kind);

    // First matching right row (or ASOF group) of every left row, looked up in one pass per layout
    // with the cells a few rows ahead prefetched (the table is usually larger than the caches).
    PODArray<uint32_t> heads(rows);
    ix.findAll(keys, heads);
    if (!keys.null_rows.empty())
        for (size_t i = 0; i < rows; ++i)
            if (keys.null_rows[i]) heads[i] = kNone;

    Permutation cand_l, cand_r;   // candidate pairs of the current chunk
    cand_l.reserve(std::min(rows, kMaxPairsPerBlock));
    cand_r.reserve(std::min(rows, kMaxPairsPerBlock));
    size_t chunk_begin = 0;
    auto flush = [&](size_t chunk_end) {
        // Residual ON conditions filter candidate pairs.
        if (d_.residual && !cand_l.empty()) {
            PODArray<uint8_t> keep = filterMask(d_.residual, assemble(left, cand_l, cand_r, false), false);
            size_t w = 0;
            for (size_t k = 0; k < cand_l.size(); ++k)
                if (keep[k]) { cand_l[w] = cand_l[k]; cand_r[w] = cand_r[k]; ++w; }
            cand_l.resize(w);
            cand_r.resize(w);
        }
        // INNER ALL: the passing pairs are the result as they are.
        if ((st == JoinStrictness::All || st == JoinStrictness::Asof) && kind == JoinKind::Inner) {
            if (!cand_r.empty()) out.push_back(assemble(left, cand_l, cand_r, false));
            cand_l.clear();
            cand_r.clear();
            chunk_begin = chunk_end;
            return;
        }
        // Strictness over the passing pairs, which are grouped by left row in order.
        Permutation li, ri;
        li.reserve(cand_l.size() + (left_outer ? chunk_end - chunk_begin : 0));
        ri.reserve(li.capacity());
        size_t k = 0;
        for (size_t row = chunk_begin; row < chunk_end; ++row) {
            size_t b = k;
            while (k < cand_l.size() && cand_l[k] == row) ++k;
            size_t e = k;
            bool any = b < e;
            if (any && (kind == JoinKind::Right || kind == JoinKind::Full) && (st == JoinStrictness::All || st == JoinStrictness::Anti))
                for (size_t x = b; x < e; ++x) flags_[cand_r[x]].store(1, std::memory_order_relaxed);
            switch (st) {
                case JoinStrictness::All:
                case JoinStrictness::Asof:
                case JoinStrictness::Unspecified:
                    for (size_t x = b; x < e; ++x) { li.push_back(uint32_t(row)); ri.push_back(cand_r[x]); }
                    break;
                case JoinStrictness::Any:
                    if (kind == JoinKind::Right) {
                        // Each right row joins the first left row that reaches it.
                        for (size_t x = b; x < e; ++x)
                            if (flags_[cand_r[x]].exchange(2, std::memory_order_relaxed) != 2) { li.push_back(uint32_t(row)); ri.push_back(cand_r[x]); }
                    } else if (kind == JoinKind::Inner) {
                        // One-to-one: a key joins only its first left row.
                        if (any && flags_[cand_r[b]].exchange(2, std::memory_order_relaxed) != 2) { li.push_back(uint32_t(row)); ri.push_back(cand_r[b]); }
                    } else if (any) {
                        li.push_back(uint32_t(row));
                        ri.push_back(cand_r[b]);
                    }
                    break;
                case JoinStrictness::Semi:
                    if (kind == JoinKind::Right) {
                        for (size_t x = b; x < e; ++x)
                            if (flags_[cand_r[x]].exchange(2, std::memory_order_relaxed) != 2) { li.push_back(uint32_t(row)); ri.push_back(cand_r[x]); }
                    } else if (any) {
                        li.push_back(uint32_t(row));
                        ri.push_back(cand_r[b]);
                    }
                    break;
                case JoinStrictness::Anti:
                    if (kind != JoinKind::Right && !any) { li.push_back(uint32_t(row)); ri.push_back(no_match); }
                    break;
            }
            if (!any && left_outer && st != JoinStrictness::Anti && st != JoinStrictness::Semi) {
                li.push_back(uint32_t(row));
                ri.push_back(no_match);
            }
        }
        if (!ri.empty()) out.push_back(assemble(left, li, ri, false));
        cand_l.clear();
        cand_r.clear();
        chunk_begin = chunk_end;
    };

    for (size_t i = 0; i < rows; ++i) {
        if (heads[i] != kNone) {
            if (st == JoinStrictness::Asof) {
                uint32_t g = heads[i];
                if (g != kNone && (asof_left_null.empty() || !asof_left_null[i])) {
                    const uint64_t* vb = ix.asof_values.data() + ix.group_begin[g];
                    const uint64_t* ve = ix.asof_values.data() + ix.group_begin[g + 1];
                    uint64_t v = asof_left[i];
                    const uint64_t* hit = nullptr;
                    switch (d_.asof_inequality) {
                        case AsofInequality::GreaterOrEquals: { auto p = std::upper_bound(vb, ve, v); if (p != vb) hit = p - 1; break; }
                        case AsofInequality::Greater: { auto p = std::lower_bound(vb, ve, v); if (p != vb) hit = p - 1; break; }
                        case AsofInequality::LessOrEquals: { auto p = std::lower_bound(vb, ve, v); if (p != ve) hit = p; break; }
                        case AsofInequality::Less: { auto p = std::upper_bound(vb, ve, v); if (p != ve) hit = p; break; }
                    }
                    if (hit) {
                        cand_l.push_back(uint32_t(i));
                        cand_r.push_back(ix.asof_rows[hit - ix.asof_values.data()]);
                    }
                }
            } else {
                for (uint32_t r = heads[i]; r != kNone; r = ix.next[r]) {
                    cand_l.push_back(uint32_t(i));
                    cand_r.push_back(r);
                }
            }
        }
        if (cand_l.size() >= kMaxPairsPerBlock) flush(i + 1);
    }
    flush(rows);
}

void HashJoin::keepMatching(const Block& left, PODArray<uint8_t>& mask) const {
    size_t rows = left.rows();
    Prepared keys = prepareKeys(d_.left_keys, left);
    PODArray<uint32_t> heads(rows);
    index_->findAll(keys, heads);
    for (size_t i = 0; i < rows; ++i)
        if (heads[i] == kNone || (!keys.null_rows.empty() && keys.null_rows[i])) mask[i] = 0;
}

Block HashJoin::nonJoined(const Block& left_header) const {
    Permutation li, ri;
    for (size_t r = 0; r < right_rows_; ++r)
        if (flags_[r].load(std::memory_order_relaxed) == 0) ri.push_back(uint32_t(r));
    return assemble(left_header, li, ri, true);
}

bool SwappedHashJoin::supported(const JoinDescription& d) {
    if (d.strictness != JoinStrictness::All || d.left_keys.empty() || d.left_asof || d.left_filter || d.right_filter) return false;
    switch (d.kind) {
        case JoinKind::Inner: return true;
        case JoinKind::Left: return !d.residual;
        case JoinKind::Right: return !d.residual && d.using_columns.empty();
        default: return false;
    }
}

SwappedHashJoin::SwappedHashJoin(const JoinDescription& d, const Block& left, const Block& right_header, const FunctionContext& fctx, size_t threads)
    : d_(d), fctx_(fctx), left_width_(left.columns()), right_header_(right_header.cloneEmpty()) {
    if (!supported(d)) throw Exception(ErrorCodes::LOGICAL_ERROR, "This join cannot be built on its left side");
    JoinDescription m;
    m.kind = d.kind == JoinKind::Left ? JoinKind::Right : d.kind == JoinKind::Right ? JoinKind::Left : JoinKind::Inner;
    m.strictness = JoinStrictness::All;
    m.left_keys = d.right_keys;
    m.right_keys = d.left_keys;
    m.key_types = d.key_types;
    m.null_safe = d.null_safe;
    m.use_nulls = d.use_nulls;
    bool probe_nullable = m.kind == JoinKind::Right;
    for (auto& c : right_header.data()) m.left_types.push_back(joinedColumnType(c.type, probe_nullable, d.use_nulls));
    for (size_t i = 0; i < left.columns(); ++i) {
        m.right_columns.push_back(i);
        m.right_names.push_back(left.at(i).name);
    }
    mirror_ = std::make_unique<HashJoin>(std::move(m), left, fctx, threads);
}

SwappedHashJoin::~SwappedHashJoin() = default;

// [right block..., left...] -> [left (as HashJoin::assemble types them)..., right outputs...]
Block SwappedHashJoin::restore(const Block& b) const {
    size_t rw = right_header_.columns();
    Block o;
    for (size_t c = 0; c < left_width_; ++c) {
        const auto& col = b.at(rw + c);
        const DataTypePtr& t = d_.left_types[c];
        ColumnPtr v = col.column;
        if (!t->equals(*col.type)) {
            if (t->isNullable() && removeNullable(t)->equals(*col.type)) v = wrapNullable(materialize(v));
            else v = castColumn(recursiveRemoveLowCardinality(materialize(v)), recursiveRemoveLowCardinality(col.type), t, fctx_);
        }
        o.insert({v, t, col.name});
    }
    for (size_t k = 0; k < d_.right_columns.size(); ++k) {
        const auto& col = b.at(d_.right_columns[k]);
        o.insert({col.column, col.type, d_.right_names[k]});
    }
    if (o.columns() == 0) o.setRowsWithoutColumns(b.rows());
    return o;
}

void SwappedHashJoin::join(const Block& right, std::vector<Block>& out) const {
    std::vector<Block> mirrored;
    mirror_->join(right, mirrored);
    for (auto& b : mirrored) {
        Block o = restore(b);
        if (d_.residual) {
            PODArray<uint8_t> keep = filterMask(d_.residual, o, false);
            auto mask = ColumnUInt8::create(keep.size());
            if (!keep.empty()) std::memcpy(mask->getData().data(), keep.data(), keep.size());
            o = filterBlock(o, std::move(mask));
            if (o.rows() == 0) continue;
        }
        out.push_back(std::move(o));
    }
}

bool SwappedHashJoin::hasNonJoined() const { return d_.kind == JoinKind::Left; }

Block SwappedHashJoin::nonJoined() const { return restore(mirror_->nonJoined(right_header_)); }

}  // namespace basalt
