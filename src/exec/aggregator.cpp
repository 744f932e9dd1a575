// aggregator.cpp — see aggregator.h.
#include "exec/aggregator.h"

#include <cstring>
#include <mutex>
#include <unordered_map>

#include "columns/column_low_cardinality.h"
#include "common/exception.h"
#include "common/memory_tracker.h"
#include "common/parallel_for.h"
#include "types/create_column.h"

namespace basalt {

AggregationMethod chooseAggregationMethod(const DataTypes& lc_key_types) {
    if (lc_key_types.empty()) return AggregationMethod::NoKeys;
    DataTypes key_types;
    for (auto& t : lc_key_types) key_types.push_back(removeLowCardinality(t));
    size_t total = 0;
    if (key_types.size() == 1 && key_types[0]->id == TypeId::String) return AggregationMethod::OneString;
    for (auto& t : key_types) {
        size_t s = t->valueSize();
        if (s == 0 || t->isNullable()) return AggregationMethod::Serialized;
        total += s;
    }
    if (key_types.size() == 1 && total <= 8) return AggregationMethod::Key64;
    if (key_types.size() == 1 && key_types[0]->id == TypeId::String) return AggregationMethod::OneString;
    if (total <= 16) return AggregationMethod::Key128;
    return AggregationMethod::Serialized;
}

AggregatedData::AggregatedData(const AggregatorParams& params) : params_(params) {
    method_ = chooseAggregationMethod(params.key_types);
    for (auto& f : params.functions) {
        size_t a = f->alignOfData();
        align_ = std::max(align_, a);
        total_size_ = (total_size_ + a - 1) / a * a;
        offsets_.push_back(total_size_);
        total_size_ += f->sizeOfData();
    }
    if (total_size_ == 0) total_size_ = 1;
    for (auto& t : params.key_types) {
        plain_key_types_.push_back(removeLowCardinality(t));
        key_sizes_.push_back(plain_key_types_.back()->valueSize());
    }
    arenas_.push_back(std::make_unique<Arena>());
    arena_ = arenas_[0].get();
    bool trivial = !params.functions.empty();
    for (auto& f : params.functions) trivial = trivial && f->hasTrivialDestructor();   // POD states (TrivialStateBase)
    inline_states_ = method_ == AggregationMethod::Key64 && trivial && total_size_ <= sizeof(char*) && align_ <= alignof(char*);
    count_only_ = inline_states_ && params.functions.size() == 1 && params.functions[0]->isCountStar();
}

void AggregatedData::createInline(char*& mapped) {
    mapped = nullptr;
    char* p = reinterpret_cast<char*>(&mapped);
    for (size_t j = 0; j < params_.functions.size(); ++j) params_.functions[j]->create(p + offsets_[j]);
}

AggregatedData::~AggregatedData() {
    bool trivial = true;
    for (auto& f : params_.functions) trivial = trivial && f->hasTrivialDestructor();
    if (trivial) return;
    forEachGroup([&](char* place) { destroyState(place); });
}

char* AggregatedData::newState() {
    char* p = arena_->alloc(total_size_, align_);
    size_t created = 0;
    try {
        for (; created < params_.functions.size(); ++created) params_.functions[created]->create(p + offsets_[created]);
    } catch (...) {
        for (size_t i = 0; i < created; ++i) params_.functions[i]->destroy(p + offsets_[i]);
        throw;
    }
    return p;
}

void AggregatedData::destroyState(char* place) {
    for (size_t i = 0; i < params_.functions.size(); ++i) params_.functions[i]->destroy(place + offsets_[i]);
}

template <typename F>
void AggregatedData::forEachGroup(F&& f) {
    switch (method_) {
        case AggregationMethod::NoKeys: if (no_keys_place_) f(no_keys_place_); break;
        case AggregationMethod::Key64:
            forEachMap64([&](FixedHashMap<uint64_t, char*>& m) {
                if (inline_states_) m.forEach([&](const uint64_t&, char*& p) { f(placeOf(p)); });
                else m.forEach([&](const uint64_t&, char*& p) { if (p) f(p); });
            });
            break;
        case AggregationMethod::Key128: map128_.forEach([&](const UInt128&, char*& p) { if (p) f(p); }); break;
        case AggregationMethod::OneString:
            // Short strings live in the fixed-key maps (see addBlock), long ones in map_str_.
            map64_.forEach([&](const uint64_t&, char*& p) { if (p) f(p); });
            map128_.forEach([&](const UInt128&, char*& p) { if (p) f(p); });
            map_str_.forEach([&](std::string_view, char*& p) { if (p) f(p); });
            break;
        case AggregationMethod::Serialized: map_str_.forEach([&](std::string_view, char*& p) { if (p) f(p); }); break;
    }
}

namespace {
std::mutex g_size_stats_mutex;
std::unordered_map<uint64_t, AggregationSizeHint> g_size_stats;
constexpr size_t kMaxSizeStats = 10000;            // ClickHouse's max_entries_for_hash_table_stats
constexpr size_t kMinGroupsToPreallocate = 10000;  // smaller tables grow cheaply
constexpr size_t kMaxGroupsToPreallocate = size_t(1) << 27;
}  // namespace

AggregationSizeHint aggregationSizeHint(uint64_t query_key) {
    std::lock_guard lock(g_size_stats_mutex);
    auto it = g_size_stats.find(query_key);
    return it == g_size_stats.end() ? AggregationSizeHint{} : it->second;
}

void recordAggregationSize(uint64_t query_key, AggregationSizeHint sizes) {
    std::lock_guard lock(g_size_stats_mutex);
    if (g_size_stats.size() >= kMaxSizeStats && !g_size_stats.count(query_key)) g_size_stats.clear();
    g_size_stats[query_key] = sizes;
}

bool AggregatedData::reserve(size_t groups) {
    if (groups < kMinGroupsToPreallocate) return false;
    groups = std::min(groups, kMaxGroupsToPreallocate);
    if (method_ == AggregationMethod::Key64) {
        size_t n = std::max<size_t>(1, buckets64_.size());
        forEachMap64([&](FixedHashMap<uint64_t, char*>& m) { m.reserve(groups / n); });
    }
    else if (method_ == AggregationMethod::Key128) map128_.reserve(groups);
    else if (method_ == AggregationMethod::Serialized) map_str_.reserve(groups);
    else return false;
    return true;
}

void AggregatedData::makeTwoLevel(size_t buckets) {
    if (method_ != AggregationMethod::Key64 || buckets < 2 || size() || !buckets64_.empty()) return;
    buckets64_.resize(buckets);
}

size_t AggregatedData::size() const {
    switch (method_) {
        case AggregationMethod::NoKeys: return no_keys_place_ ? 1 : 0;
        case AggregationMethod::Key64: {
            if (buckets64_.empty()) return map64_.size();
            size_t n = 0;
            for (auto& m : buckets64_) n += m.size();
            return n;
        }
        case AggregationMethod::Key128: return map128_.size();
        case AggregationMethod::OneString: return map64_.size() + map128_.size() + map_str_.size();
        case AggregationMethod::Serialized: return map_str_.size();
    }
    return 0;
}

void AggregatedData::addBlock(const Columns& keys, const std::vector<Columns>& args, size_t rows) {
    std::vector<std::vector<const IColumn*>> raw(args.size());
    for (size_t j = 0; j < args.size(); ++j)
        for (auto& c : args[j]) raw[j].push_back(c.get());
    if (method_ == AggregationMethod::NoKeys) {
        if (!no_keys_place_) no_keys_place_ = newState();
        for (size_t j = 0; j < params_.functions.size(); ++j)
            params_.functions[j]->addBatchSinglePlace(rows, no_keys_place_ + offsets_[j], raw[j].data(), arena_);
        return;
    }
    places_.resize(rows);
    char** places = places_.data();
    if (keys.size() == 1 && keys[0]->isLowCardinality()) {
        // One group lookup per distinct dictionary value the block uses.
        auto& lc = static_cast<const ColumnLowCardinality&>(*keys[0]);
        auto used = lc.getUsedDictionary();
        size_t m = used.values->size(), d = used.position.size();
        PODArray<char*> used_places(m), dict_places(d);
        emplaceKeys({used.values}, m, used_places.data());
        for (size_t k = 0; k < d; ++k) dict_places[k] = m ? used_places[used.position[k]] : nullptr;
        char* const* dp = dict_places.data();
        lc.withIndexes([&](const auto* ix) {
            for (size_t i = 0; i < rows; ++i) places[i] = dp[ix[i]];
        });
    } else {
        bool any_lc = false;
        for (auto& k : keys) any_lc = any_lc || k->isLowCardinality();
        if (any_lc) {
            Columns plain;
            for (auto& k : keys) plain.push_back(removeLowCardinality(k));
            emplaceKeys(plain, rows, places);
        } else {
            emplaceKeys(keys, rows, places, count_only_);
            if (count_only_) return;   // emplaceKeys counted the rows
        }
    }
    for (size_t j = 0; j < params_.functions.size(); ++j)
        params_.functions[j]->addBatch(rows, places, offsets_[j], raw[j].data(), arena_);
}

namespace {
// Out of line so that the per-row probing loops keep their state in registers.
[[gnu::noinline]] char*& insertCold(FixedHashMap<uint64_t, char*>& map, uint64_t key, uint64_t h, bool& inserted) {
    return map.emplaceWithHash(key, h, inserted);
}

// The Key64 tables (one, or the buckets of a two-level table) as the per-row loops see them: each
// table's cells and mask in a small array, probed directly; the map is called only to insert a new
// key (growth and the zero key are handled there). Going through emplaceWithHash for every row
// kept the loop's state in memory around the out-of-line growth call and cost a third of a
// million-group GROUP BY. Passed by value into the loops so the compiler keeps it in registers.
struct RawKey64Table {
    FixedHashMap<uint64_t, char*>::Cell* cells;
    uint64_t mask;
};
struct RawKey64Tables {
    FixedHashMap<uint64_t, char*>* maps;
    RawKey64Table* raw;
    size_t count;

    void refresh(size_t b) { raw[b] = {maps[b].cellsBegin(), uint64_t(maps[b].cellCount() - 1)}; }
    size_t bucketOf(uint64_t h) const { return count == 1 ? 0 : size_t(((h >> 32) * uint64_t(count)) >> 32); }
    void prefetch(uint64_t h) const {
        const RawKey64Table& r = raw[bucketOf(h)];
        __builtin_prefetch(r.cells + (h & r.mask));
    }
    // The slot of `key`; `grew`: inserting it rehashed its table (earlier slots moved).
    [[gnu::always_inline]] char*& slotOf(uint64_t key, uint64_t h, bool& is_new, bool& grew) {
        const size_t b = bucketOf(h);
        const RawKey64Table r = raw[b];
        uint64_t p = h & r.mask;
        while (r.cells[p].key != key && r.cells[p].key != 0) p = (p + 1) & r.mask;
        if (r.cells[p].key == key && key != 0) {
            is_new = false;
            grew = false;
            return r.cells[p].mapped;
        }
        char*& slot = insertCold(maps[b], key, h, is_new);
        grew = maps[b].cellsBegin() != r.cells;
        if (grew) refresh(b);
        return slot;
    }
};
}  // namespace

void AggregatedData::emplaceKeys(const Columns& keys, size_t rows, char** places, bool count_rows) {
    bool inserted;
    switch (method_) {
        case AggregationMethod::Key64: {
            const IColumn& k = *keys[0];
            size_t ks = key_sizes_[0];
            const char* data = k.rawData();
            hashes_.resize(rows);
            uint64_t* hs = hashes_.data();
            // The hot loop probes the tables' cells directly (their addresses and masks held in a
            // small local array) and calls into the map only to insert a new key: going through
            // emplaceWithHash for every row kept the loop's state on the stack around its
            // out-of-line growth call, which cost a third of a million-group GROUP BY.
            using Map = FixedHashMap<uint64_t, char*>;
            const size_t nb = buckets64_.empty() ? 1 : buckets64_.size();
            RawKey64Table raw_small[8];
            std::vector<RawKey64Table> raw_big;
            RawKey64Tables tables{buckets64_.empty() ? &map64_ : buckets64_.data(), raw_small, nb};
            if (nb > 8) { raw_big.resize(nb); tables.raw = raw_big.data(); }
            for (size_t b = 0; b < nb; ++b) tables.refresh(b);
            // Rows of a part often come in runs of one key (data sorted by time, grouped by day or
            // hour): a row equal to the previous one reuses its group without a lookup.
            auto run = [&, tables](const auto* d) mutable {
                for (size_t i = 0; i < rows; ++i) hs[i] = Map::hashOf(uint64_t(d[i]));
                // 32 rows ahead: at ~3-4 ns a row, 16 was shorter than a DRAM miss on the AMD EPYC
                // machine (top10_users, a million groups: 102 -> 87 ms; bench/RESULTS.md).
                constexpr size_t kAhead = 32;
                if (!rows) return;
                bool grew, is_new;
                const uint64_t* const hsl = hs;
                char** const pl = places;
                if (count_rows) {
                    // count() alone: the state is the count in the cell's mapped bits (offset 0),
                    // bumped here. It is stepped as a char* value, not through a uint64_t*: a
                    // uint64_t store may alias the tables' size_t fields, and the compiler would
                    // reload them on every row.
                    auto bump = [](char*& slot) { slot = reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(slot) + 1); };
                    char** last = nullptr;
                    for (size_t i = 0; i < rows; ++i) {
                        if (i + kAhead < rows) tables.prefetch(hsl[i + kAhead]);
                        if (last && d[i] == d[i - 1]) { bump(*last); continue; }
                        char*& slot = tables.slotOf(uint64_t(d[i]), hsl[i], is_new, grew);
                        if (is_new) slot = nullptr;   // count()'s fresh state: zero
                        last = &slot;
                        bump(slot);
                    }
                    return;
                }
                if (!inline_states_) {
                    for (size_t i = 0; i < rows; ++i) {
                        if (i && d[i] == d[i - 1]) { pl[i] = pl[i - 1]; continue; }
                        if (i + kAhead < rows) tables.prefetch(hsl[i + kAhead]);
                        char*& slot = tables.slotOf(uint64_t(d[i]), hsl[i], is_new, grew);
                        if (is_new) { slot = nullptr; slot = newState(); }
                        pl[i] = slot;
                    }
                    return;
                }
                for (size_t i = 0; i < rows; ++i) {
                    if (i && d[i] == d[i - 1]) { pl[i] = pl[i - 1]; continue; }
                    if (i + kAhead < rows) tables.prefetch(hsl[i + kAhead]);
                    char*& slot = tables.slotOf(uint64_t(d[i]), hsl[i], is_new, grew);
                    if (is_new) {
                        createInline(slot);
                        if (grew) {
                            // The table grew: the cells of this block's earlier rows moved.
                            for (size_t j = 0; j < i; ++j) places[j] = placeOf(*map64For(hs[j]).find(uint64_t(d[j])));
                        }
                    }
                    pl[i] = placeOf(slot);
                }
            };
            if (ks == 8) run(reinterpret_cast<const uint64_t*>(data));
            else if (ks == 4) run(reinterpret_cast<const uint32_t*>(data));
            else if (ks == 2) run(reinterpret_cast<const uint16_t*>(data));
            else run(reinterpret_cast<const uint8_t*>(data));
            break;
        }
        case AggregationMethod::OneString: {
            // Strings of up to 7 bytes become a uint64 key and up to 15 bytes a 128-bit key, with
            // the length in the top byte (so "a" and "a\0" differ): no arena pointer to follow and
            // no memcmp on lookup. Longer strings go to the byte-string map.
            auto& sc = static_cast<const ColumnString&>(*keys[0]);
            hashes_.resize(rows);
            uint64_t* hs = hashes_.data();
            for (size_t i = 0; i < rows; ++i) {
                auto v = sc.getView(i);
                if (v.size() <= 7) {
                    uint64_t k = uint64_t(v.size()) << 56;
                    std::memcpy(&k, v.data(), v.size());
                    hs[i] = FixedHashMap<uint64_t, char*>::hashOf(k);
                } else if (v.size() <= 15) {
                    UInt128 k = UInt128(v.size()) << 120;
                    std::memcpy(&k, v.data(), v.size());
                    hs[i] = FixedHashMap<UInt128, char*>::hashOf(k);
                } else {
                    hs[i] = bytesHash(v.data(), v.size());
                }
            }
            constexpr size_t kAhead = 16;
            auto persist = [&](std::string_view str) { return arena_->insert(str.data(), str.size()); };
            for (size_t i = 0; i < rows; ++i) {
                if (i + kAhead < rows) {
                    size_t ahead = sc.getView(i + kAhead).size();
                    if (ahead <= 7) map64_.prefetch(hs[i + kAhead]);
                    else if (ahead <= 15) map128_.prefetch(hs[i + kAhead]);
                    else map_str_.prefetch(hs[i + kAhead]);
                }
                auto v = sc.getView(i);
                char** slot;
                if (v.size() <= 7) {
                    uint64_t k = uint64_t(v.size()) << 56;
                    std::memcpy(&k, v.data(), v.size());
                    slot = &map64_.emplaceWithHash(k, hs[i], inserted);
                } else if (v.size() <= 15) {
                    UInt128 k = UInt128(v.size()) << 120;
                    std::memcpy(&k, v.data(), v.size());
                    slot = &map128_.emplaceWithHash(k, hs[i], inserted);
                } else {
                    slot = &map_str_.emplace(v, hs[i], inserted, persist);
                }
                if (inserted) { *slot = nullptr; *slot = newState(); }
                places[i] = *slot;
            }
            break;
        }
        case AggregationMethod::Key128: {
            // Keys packed column by column into 128-bit values, hashed for the whole block, then
            // looked up with the cell of a row 16 ahead prefetched (tables of millions of groups
            // live in DRAM).
            keys128_.resize(rows);
            hashes_.resize(rows);
            UInt128* ks = keys128_.data();
            std::memset(static_cast<void*>(ks), 0, rows * sizeof(UInt128));
            size_t off = 0;
            for (size_t c = 0; c < keys.size(); ++c) {
                const char* d = keys[c]->rawData();
                const size_t w = key_sizes_[c];
                auto pack = [&](auto tag) {
                    using T = decltype(tag);
                    const T* v = reinterpret_cast<const T*>(d);
                    for (size_t i = 0; i < rows; ++i) std::memcpy(reinterpret_cast<char*>(ks + i) + off, v + i, sizeof(T));
                };
                if (w == 8) pack(uint64_t{});
                else if (w == 4) pack(uint32_t{});
                else if (w == 2) pack(uint16_t{});
                else if (w == 1) pack(uint8_t{});
                else for (size_t i = 0; i < rows; ++i) std::memcpy(reinterpret_cast<char*>(ks + i) + off, d + i * w, w);
                off += w;
            }
            uint64_t* hs = hashes_.data();
            for (size_t i = 0; i < rows; ++i) hs[i] = FixedHashMap<UInt128, char*>::hashOf(ks[i]);
            constexpr size_t kAhead = 16;
            for (size_t i = 0; i < rows; ++i) {
                if (i && ks[i] == ks[i - 1]) { places[i] = places[i - 1]; continue; }
                if (i + kAhead < rows) map128_.prefetch(hs[i + kAhead]);
                char*& slot = map128_.emplaceWithHash(ks[i], hs[i], inserted);
                if (inserted) { slot = nullptr; slot = newState(); }
                places[i] = slot;
            }
            break;
        }
        case AggregationMethod::Serialized: {
            // Keys of fixed-width and String columns (GROUP BY UserID, SearchPhrase) are laid out
            // for the whole block column by column, in serializeValue's format (raw bytes; uint32
            // length + bytes), hashed, then looked up with the cell of a row 16 ahead prefetched.
            // Other key types (Nullable, arrays, ...) are serialized row by row.
            bool batch = true;
            for (auto& k : keys) batch = batch && (k->valueSizeOfFixed() > 0 || dynamic_cast<const ColumnString*>(k.get()));
            if (batch) {
                key_offsets_.resize(rows + 1);
                size_t* ko = key_offsets_.data();
                std::memset(ko, 0, (rows + 1) * sizeof(size_t));
                for (auto& k : keys) {
                    if (size_t w = k->valueSizeOfFixed()) { for (size_t i = 0; i < rows; ++i) ko[i + 1] += w; continue; }
                    auto& sc = static_cast<const ColumnString&>(*k);
                    for (size_t i = 0; i < rows; ++i) ko[i + 1] += 4 + (sc.offsetAt(i + 1) - sc.offsetAt(i));
                }
                for (size_t i = 0; i < rows; ++i) ko[i + 1] += ko[i];
                key_bytes_.resize(ko[rows]);
                char* kb = key_bytes_.data();
                cursor_.resize(rows);
                size_t* cur = cursor_.data();
                std::memcpy(cur, ko, rows * sizeof(size_t));
                for (auto& k : keys) {
                    if (size_t w = k->valueSizeOfFixed()) {
                        const char* d = k->rawData();
                        for (size_t i = 0; i < rows; ++i) { std::memcpy(kb + cur[i], d + i * w, w); cur[i] += w; }
                        continue;
                    }
                    auto& sc = static_cast<const ColumnString&>(*k);
                    const char* chars = sc.getChars().data();
                    for (size_t i = 0; i < rows; ++i) {
                        size_t b = sc.offsetAt(i);
                        uint32_t len = uint32_t(sc.offsetAt(i + 1) - b);
                        std::memcpy(kb + cur[i], &len, 4);
                        std::memcpy(kb + cur[i] + 4, chars + b, len);
                        cur[i] += 4 + len;
                    }
                }
                hashes_.resize(rows);
                uint64_t* hs = hashes_.data();
                for (size_t i = 0; i < rows; ++i) hs[i] = bytesHash(kb + ko[i], ko[i + 1] - ko[i]);
                constexpr size_t kAhead = 16;
                auto persist = [&](std::string_view str) { return arena_->insert(str.data(), str.size()); };
                for (size_t i = 0; i < rows; ++i) {
                    if (i + kAhead < rows) map_str_.prefetch(hs[i + kAhead]);
                    char*& slot = map_str_.emplace(std::string_view(kb + ko[i], ko[i + 1] - ko[i]), hs[i], inserted, persist);
                    if (inserted) { slot = nullptr; slot = newState(); }
                    places[i] = slot;
                }
                break;
            }
            std::string buf;
            for (size_t i = 0; i < rows; ++i) {
                buf.clear();
                for (auto& k : keys) k->serializeValue(i, buf);
                uint64_t h = bytesHash(buf.data(), buf.size());
                char*& slot = map_str_.emplace(buf, h, inserted, [&](std::string_view s) { return arena_->insert(s.data(), s.size()); });
                if (inserted) { slot = nullptr; slot = newState(); }
                places[i] = slot;
            }
            break;
        }
        default: break;
    }
}

void AggregatedData::merge(AggregatedData& other) {
    for (auto& a : other.arenas_) arenas_.push_back(std::move(a));
    other.arenas_.clear();
    bool inserted;
    auto mergeInto = [&](char*& slot, char*& src) {
        if (inserted) { slot = src; return; }   // inline states: copies the state bytes
        char* to = placeOf(slot);
        char* from = other.placeOf(src);
        for (size_t j = 0; j < params_.functions.size(); ++j)
            params_.functions[j]->merge(to + offsets_[j], from + offsets_[j], arena_);
        destroyState(from);
    };
    switch (method_) {
        case AggregationMethod::NoKeys:
            if (other.no_keys_place_) {
                if (!no_keys_place_) no_keys_place_ = other.no_keys_place_;
                else {
                    for (size_t j = 0; j < params_.functions.size(); ++j)
                        params_.functions[j]->merge(no_keys_place_ + offsets_[j], other.no_keys_place_ + offsets_[j], arena_);
                    destroyState(other.no_keys_place_);
                }
                other.no_keys_place_ = nullptr;
            }
            break;
        case AggregationMethod::Key64:
            other.forEachMap64([&](FixedHashMap<uint64_t, char*>& from) {
                from.forEach([&](const uint64_t& k, char*& p) {
                    uint64_t h = FixedHashMap<uint64_t, char*>::hashOf(k);
                    char*& slot = map64For(h).emplaceWithHash(k, h, inserted);
                    mergeInto(slot, p);
                });
                from = FixedHashMap<uint64_t, char*>();
            });
            break;
        case AggregationMethod::Key128: {
            // One rehash up front instead of several on the way; target cells prefetched ahead.
            map128_.reserveMore(other.map128_.size());
            if (other.map128_.hasZeroKey()) { char*& slot = map128_.emplace(0, inserted); mergeInto(slot, other.map128_.zeroCell().mapped); }
            auto* cells = other.map128_.cellsBegin();
            const size_t n = other.map128_.cellCount();
            constexpr size_t kAhead = 16;
            for (size_t i = 0; i < n; ++i) {
                if (i + kAhead < n && cells[i + kAhead].key) map128_.prefetch(FixedHashMap<UInt128, char*>::hashOf(cells[i + kAhead].key));
                if (!cells[i].key) continue;
                char*& slot = map128_.emplace(cells[i].key, inserted);
                mergeInto(slot, cells[i].mapped);
            }
            other.map128_ = FixedHashMap<UInt128, char*>();
            break;
        }
        case AggregationMethod::OneString:
            other.map64_.forEach([&](const uint64_t& k, char*& p) { char*& slot = map64_.emplace(k, inserted); mergeInto(slot, p); });
            other.map64_ = FixedHashMap<uint64_t, char*>();
            other.map128_.forEach([&](const UInt128& k, char*& p) { char*& slot = map128_.emplace(k, inserted); mergeInto(slot, p); });
            other.map128_ = FixedHashMap<UInt128, char*>();
            [[fallthrough]];
        case AggregationMethod::Serialized:
            // Keys live in the adopted arenas, so the views stay valid.
            other.map_str_.forEach([&](std::string_view k, char*& p) {
                char*& slot = map_str_.emplace(k, bytesHash(k.data(), k.size()), inserted, [](std::string_view s) { return s.data(); });
                mergeInto(slot, p);
            });
            other.map_str_ = StringHashMap<char*>();
            break;
    }
}

std::vector<std::unique_ptr<AggregatedData>> mergeShardedKey64(std::vector<std::unique_ptr<AggregatedData>>& partials, size_t shards,
                                                               size_t groups_hint) {
    using Map = FixedHashMap<uint64_t, char*>;
    const AggregatorParams& params = partials.front()->params_;
    // Two-level partials split like the shards: shard s starts from the first partial's bucket s.
    bool adopt = true;
    for (auto& p : partials) adopt = adopt && p->buckets64_.size() == shards;
    std::vector<std::unique_ptr<AggregatedData>> out;
    for (size_t s = 0; s < shards; ++s) {
        out.push_back(std::make_unique<AggregatedData>(params));
        if (adopt) out.back()->map64_ = std::move(partials[0]->buckets64_[s]);
        else if (groups_hint) out.back()->reserve(groups_hint / shards);   // the size growing would reach (cached blocks reused)
    }
    MemoryTracker* tracker = currentMemoryTracker();   // the query's, for the worker threads too
    parallelFor(shards, shards, [&](size_t shard) {
        MemoryTrackerScope mem(tracker);
        AggregatedData& dst = *out[shard];
        bool inserted;
        auto mergeOne = [&](char*& slot, char*& src) {
            if (inserted) { slot = src; return; }   // inline states: copies the state bytes
            char* to = dst.placeOf(slot);
            char* from = dst.placeOf(src);
            for (size_t j = 0; j < params.functions.size(); ++j)
                params.functions[j]->merge(to + dst.offsets_[j], from + dst.offsets_[j], dst.arena_);
            dst.destroyState(from);
        };
        const bool inline_states = dst.inline_states_;
        // In batches: hash and filter the shard's keys, prefetch their target cells and source
        // states, then insert — the misses of a batch overlap instead of stalling one by one.
        constexpr size_t kBatch = 32;
        uint64_t hs[kBatch];
        Map::Cell* sel[kBatch];
        char** slots[kBatch];
        auto mergeFrom = [&](Map& from) {
            if (from.hasZeroKey() && AggregatedData::shardOfHash(Map::hashOf(0), shards) == shard) {
                char*& slot = dst.map64_.emplace(0, inserted);
                mergeOne(slot, from.zeroCell().mapped);
            }
            Map::Cell* cells = from.cellsBegin();
            size_t n = from.cellCount();
            for (size_t base = 0; base < n; base += kBatch) {
                size_t m = 0, end = std::min(n, base + kBatch);
                // Branch-free selection: about half the cells are empty, in no predictable pattern.
                for (size_t i = base; i < end; ++i) {
                    uint64_t h = Map::hashOf(cells[i].key);
                    hs[m] = h;
                    sel[m] = &cells[i];
                    m += (cells[i].key != 0) & (adopt || AggregatedData::shardOfHash(h, shards) == shard);
                }
                for (size_t j = 0; j < m; ++j) {
                    dst.map64_.prefetch(hs[j]);
                    if (!inline_states) __builtin_prefetch(sel[j]->mapped);
                }
                // New keys take the source state; existing ones are merged once their states
                // have been prefetched too.
                size_t cells_before = dst.map64_.cellCount(), pending = 0;
                for (size_t j = 0; j < m; ++j) {
                    char*& slot = dst.map64_.emplaceWithHash(sel[j]->key, hs[j], inserted);
                    if (inserted) { slot = sel[j]->mapped; continue; }
                    if (!inline_states) __builtin_prefetch(slot);
                    slots[pending] = &slot;
                    sel[pending] = sel[j];
                    hs[pending++] = hs[j];
                }
                bool grown = dst.map64_.cellCount() != cells_before;   // earlier slot references moved
                inserted = false;
                for (size_t j = 0; j < pending; ++j) {
                    char*& slot = grown ? dst.map64_.emplaceWithHash(sel[j]->key, hs[j], inserted) : *slots[j];
                    mergeOne(slot, sel[j]->mapped);
                }
            }
        };
        if (adopt) {
            for (size_t p = 1; p < partials.size(); ++p) mergeFrom(partials[p]->buckets64_[shard]);
        } else {
            for (auto& src : partials) src->forEachMap64(mergeFrom);
        }
    });
    // Every state now belongs to exactly one shard; the memory stays in the partials' arenas.
    for (auto& src : partials) {
        for (auto& a : src->arenas_) out[0]->arenas_.push_back(std::move(a));
        src->arenas_.clear();
        src->map64_ = Map();
        src->buckets64_.clear();
    }
    return out;
}

Block AggregatedData::finalize(const std::vector<DataTypePtr>& result_types) {
    std::vector<MutableColumnPtr> key_cols, res_cols;
    for (auto& t : plain_key_types_) key_cols.push_back(createColumn(t));
    for (auto& t : result_types) res_cols.push_back(createColumn(t));
    size_t n = size();
    for (auto& c : key_cols) c->reserve(n);
    for (auto& c : res_cols) c->reserve(n);
    auto emitStates = [&](char* place) {
        for (size_t j = 0; j < params_.functions.size(); ++j)
            params_.functions[j]->insertResultInto(place + offsets_[j], *res_cols[j], arena_);
    };
    switch (method_) {
        case AggregationMethod::NoKeys:
            if (!no_keys_place_) no_keys_place_ = newState();
            emitStates(no_keys_place_);
            break;
        case AggregationMethod::Key64: {
            // In batches: the keys are written straight into the key column's array and each
            // function appends a batch of results with one virtual call (a million groups).
            auto& kc = *key_cols[0];
            const size_t ks = key_sizes_[0];
            const bool raw_keys = kc.isFixedAndContiguous() && kc.valueSizeOfFixed() == ks;
            constexpr size_t kBatch = 1024;
            uint64_t batch_keys[kBatch];
            char* batch_places[kBatch];
            size_t m = 0;
            auto flush = [&] {
                if (!m) return;
                if (raw_keys) {
                    size_t base = kc.size();
                    kc.insertManyDefaults(m);
                    char* out = const_cast<char*>(kc.rawData()) + base * ks;
                    for (size_t i = 0; i < m; ++i) std::memcpy(out + i * ks, &batch_keys[i], ks);   // little-endian: the low bytes
                } else {
                    for (size_t i = 0; i < m; ++i) {
                        const char* kp = reinterpret_cast<const char*>(&batch_keys[i]);
                        kc.deserializeAndInsert(kp);
                    }
                }
                for (size_t j = 0; j < params_.functions.size(); ++j)
                    params_.functions[j]->insertResultsInto(batch_places, m, offsets_[j], *res_cols[j], arena_);
                m = 0;
            };
            forEachMap64([&](FixedHashMap<uint64_t, char*>& map) {
                if (map.hasZeroKey()) {
                    batch_keys[m] = 0;
                    batch_places[m++] = placeOf(map.zeroCell().mapped);
                    if (m == kBatch) flush();
                }
                auto* cells = map.cellsBegin();
                size_t n = map.cellCount();
                if (inline_states_) {
                    // Branch-free compaction of the occupied cells (about half of them are, in no
                    // pattern a branch predictor could follow).
                    for (size_t base = 0; base < n;) {
                        size_t end = std::min(n, base + (kBatch - m));
                        for (size_t i = base; i < end; ++i) {
                            batch_keys[m] = cells[i].key;
                            batch_places[m] = reinterpret_cast<char*>(&cells[i].mapped);
                            m += cells[i].key != 0;
                        }
                        base = end;
                        if (m == kBatch) flush();
                    }
                    return;
                }
                // States are scattered over the arena: prefetch a few groups ahead.
                constexpr size_t kAhead = 16;
                for (size_t i = 0; i < n; ++i) {
                    if (i + kAhead < n && cells[i + kAhead].key) __builtin_prefetch(cells[i + kAhead].mapped);
                    if (!cells[i].key) continue;
                    batch_keys[m] = cells[i].key;
                    batch_places[m++] = cells[i].mapped;
                    if (m == kBatch) flush();
                }
            });
            flush();
            break;
        }
        case AggregationMethod::Key128: {
            auto emit = [&](const UInt128& k, char* p) {
                const char* kp = reinterpret_cast<const char*>(&k);
                for (auto& kc : key_cols) kc->deserializeAndInsert(kp);
                emitStates(p);
            };
            if (map128_.hasZeroKey()) emit(0, map128_.zeroCell().mapped);
            // States are scattered over the arena: prefetch a few groups ahead (as for Key64).
            auto* cells = map128_.cellsBegin();
            const size_t cn = map128_.cellCount();
            constexpr size_t kAhead = 16;
            for (size_t i = 0; i < cn; ++i) {
                if (i + kAhead < cn && cells[i + kAhead].key) __builtin_prefetch(cells[i + kAhead].mapped);
                if (cells[i].key) emit(cells[i].key, cells[i].mapped);
            }
            break;
        }
        case AggregationMethod::OneString: {
            auto& out = static_cast<ColumnString&>(*key_cols[0]);
            map64_.forEach([&](const uint64_t& k, char*& p) {
                out.insertData({reinterpret_cast<const char*>(&k), size_t(k >> 56)});
                emitStates(p);
            });
            map128_.forEach([&](const UInt128& k, char*& p) {
                out.insertData({reinterpret_cast<const char*>(&k), size_t(k >> 120)});
                emitStates(p);
            });
            map_str_.forEach([&](std::string_view k, char*& p) {
                out.insertData(k);
                emitStates(p);
            });
            break;
        }
        case AggregationMethod::Serialized:
            map_str_.forEach([&](std::string_view k, char*& p) {
                const char* kp = k.data();
                for (auto& kc : key_cols) kc->deserializeAndInsert(kp);
                emitStates(p);
            });
            break;
    }
    Block b;
    for (size_t i = 0; i < key_cols.size(); ++i) {
        ColumnPtr k = key_cols[i];
        if (params_.key_types[i]->id == TypeId::LowCardinality) k = convertToLowCardinality(k, params_.key_types[i]);
        b.insert({k, params_.key_types[i], params_.key_names[i]});
    }
    for (size_t j = 0; j < res_cols.size(); ++j) b.insert({res_cols[j], result_types[j], params_.function_names[j]});
    if (b.columns() == 0) b.setRowsWithoutColumns(method_ == AggregationMethod::NoKeys ? 1 : n);
    return b;
}

Block AggregatedData::totals() {
    char* total = arena_->alloc(total_size_, align_);
    for (size_t j = 0; j < params_.functions.size(); ++j) params_.functions[j]->create(total + offsets_[j]);
    forEachGroup([&](char* p) {
        for (size_t j = 0; j < params_.functions.size(); ++j) params_.functions[j]->merge(total + offsets_[j], p + offsets_[j], arena_);
    });
    Block b;
    for (size_t i = 0; i < params_.key_types.size(); ++i) {
        auto c = createColumn(params_.key_types[i]);
        c->insertDefault();
        b.insert({c, params_.key_types[i], params_.key_names[i]});
    }
    for (size_t j = 0; j < params_.functions.size(); ++j) {
        auto c = createColumn(params_.functions[j]->resultType());
        params_.functions[j]->insertResultInto(total + offsets_[j], *c, arena_);
        b.insert({c, params_.functions[j]->resultType(), params_.function_names[j]});
    }
    destroyState(total);
    if (b.columns() == 0) b.setRowsWithoutColumns(1);
    return b;
}

}  // namespace basalt
