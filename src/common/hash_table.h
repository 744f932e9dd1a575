// hash_table.h — open-addressing hash maps for GROUP BY, DISTINCT, IN sets and uniqExact.
// Linear probing over a power-of-two array of cells with the zero/empty key kept out of line, grown at
// 50% load. Keys are fixed-size values (FixedHashMap) or arena-owned byte strings with a cached hash
// (StringHashMap). Memory is charged to the query via PODArray/trackedAlloc. Hand-written because
// std::unordered_map's node allocation and pointer chasing cost several times more per row on the
// aggregation hot path.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <string_view>
#include <utility>

#include "common/memory_tracker.h"
#include "common/pod_array.h"

namespace basalt {

inline uint64_t intHash64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

inline uint64_t bytesHash(const char* p, size_t n) {
    // 8 bytes at a time with a final mix; strings as keys are usually short.
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
    while (n >= 8) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        h = (h ^ intHash64(v)) * 0x100000001b3ULL;
        p += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h ^= intHash64(tail ^ n);
    return intHash64(h);
}

// Map from a trivially copyable Key (compared bytewise) to a trivially copyable Mapped. With an empty
// Mapped (HashSetMapped) it is a set whose cells are just the keys.
struct HashSetMapped {};

template <typename Key, typename Mapped>
class FixedHashMap {
public:
    struct Cell { Key key; [[no_unique_address]] Mapped mapped; };

    FixedHashMap() { init(256); }
    // A table starting at `initial_cells` (a power of two): small per-group sets start small.
    explicit FixedHashMap(size_t initial_cells) { init(initial_cells); }

    static uint64_t hashOf(const Key& k) {
        if constexpr (std::is_same_v<Key, unsigned __int128>) {
            // Two 64-bit mixes instead of bytesHash's four (GROUP BY of two integer columns).
            return intHash64(uint64_t(k) ^ intHash64(uint64_t(k >> 64) + 0x9E3779B97F4A7C15ULL));
        } else if constexpr (sizeof(Key) <= 8) {
            uint64_t v = 0;
            std::memcpy(&v, &k, sizeof(Key));
#if defined(__SSE4_2__)
            // CRC32 as ClickHouse's HashCRC32: one instruction, and linear, so keys from a dense
            // range land in distinct cells (short probe chains, few mispredicted probe loops: a
            // quarter off a million-group GROUP BY). The low half indexes the table; the high
            // half (the CRC of the byte-swapped key) picks the bucket of a two-level table.
            return uint64_t(__builtin_ia32_crc32di(~0ULL, v)) | (uint64_t(__builtin_ia32_crc32di(~0ULL, __builtin_bswap64(v))) << 32);
#else
            return intHash64(v);
#endif
        } else {
            return bytesHash(reinterpret_cast<const char*>(&k), sizeof(Key));
        }
    }

    // Returns the mapped slot; `inserted` tells whether the key is new (slot then uninitialized).
    Mapped& emplace(const Key& key, bool& inserted) { return emplaceWithHash(key, hashOf(key), inserted); }

    // Inlined into the per-row loops of aggregation (a call per row showed as 15-19% of a
    // million-group GROUP BY); growing stays out of line.
    [[gnu::always_inline]] inline Mapped& emplaceWithHash(const Key& key, uint64_t h, bool& inserted) {
        if (isZero(key)) {
            inserted = !has_zero_;
            has_zero_ = true;
            zero_.key = key;
            return zero_.mapped;
        }
        while (true) {
            size_t i = h & mask_;
            Cell* c = cells_.data();
            while (true) {
                if (isZero(c[i].key)) break;
                if (keyEquals(c[i].key, key)) { inserted = false; return c[i].mapped; }
                i = (i + 1) & mask_;
            }
            if ((size_ + 1) * 2 > cells_.size()) {
                grow();
                continue;
            }
            c[i].key = key;
            ++size_;
            inserted = true;
            return c[i].mapped;
        }
    }

    // Brings the cell a key with hash h would start probing at into cache (hides DRAM latency when
    // called a few dozen rows ahead of emplaceWithHash).
    void prefetch(uint64_t h) const { __builtin_prefetch(cells_.data() + (h & mask_)); }
    static bool isZeroKey(const Key& k) { return isZero(k); }

    Mapped* find(const Key& key) {
        if (isZero(key)) return has_zero_ ? &zero_.mapped : nullptr;
        size_t i = hashOf(key) & mask_;
        Cell* c = cells_.data();
        while (!isZero(c[i].key)) {
            if (keyEquals(c[i].key, key)) return &c[i].mapped;
            i = (i + 1) & mask_;
        }
        return nullptr;
    }

    size_t size() const { return size_ + (has_zero_ ? 1 : 0); }

    template <typename F>
    void forEach(F&& f) {
        if (has_zero_) f(zero_.key, zero_.mapped);
        for (auto& c : cells_)
            if (!isZero(c.key)) f(c.key, c.mapped);
    }

    size_t bytes() const { return cells_.allocatedBytes(); }

    // Raw cell access for batched passes (merging, finalizing): cells with a zero key are empty;
    // the zero key itself, if present, is zeroCell().
    Cell* cellsBegin() { return cells_.data(); }
    size_t cellCount() const { return cells_.size(); }
    bool hasZeroKey() const { return has_zero_; }
    Cell& zeroCell() { return zero_; }

    // Sizes an empty table for about n keys at once (no rehash on the way there).
    void reserve(size_t n) {
        if (size_ || has_zero_) return;
        size_t cells = 256;
        while (cells < n * 2) cells *= 2;
        if (cells > cells_.size()) init(cells);
    }

    // Makes room for `more` further keys with at most one rehash (before merging a table into this one).
    void reserveMore(size_t more) {
        size_t cells = cells_.size();
        while ((size_ + more + 1) * 2 > cells) cells *= 2;
        if (cells > cells_.size()) rehash(cells);
    }

private:
    // Integer keys compare as integers: a memcmp call per probe costs more than the probe.
    static constexpr bool kIntegerKey = std::is_integral_v<Key> || std::is_same_v<Key, unsigned __int128>;
    static bool keyEquals(const Key& a, const Key& b) {
        if constexpr (kIntegerKey) return a == b;
        else return std::memcmp(&a, &b, sizeof(Key)) == 0;
    }
    static bool isZero(const Key& k) {
        if constexpr (kIntegerKey) return k == Key{};
        static const Key zero{};
        return std::memcmp(&k, &zero, sizeof(Key)) == 0;
    }
    void init(size_t n) {
        cells_.resize(n);
        adviseHugePages(cells_.data(), n * sizeof(Cell));
        std::memset(static_cast<void*>(cells_.data()), 0, n * sizeof(Cell));
        mask_ = n - 1;
    }
    [[gnu::noinline]] void grow() {
        // x4 while small (few rehashes), x2 from 16 MiB of cells on: a 1M-key table ends at 2M
        // cells instead of 4M, and every cell is memory the kernel zeroes on first touch.
        rehash(cells_.size() * (cells_.size() * sizeof(Cell) < (size_t(16) << 20) / 4 ? 4 : 2));
    }
    void rehash(size_t cells) {
        PODArray<Cell> old;
        old.swap(cells_);
        init(cells);
        Cell* c = cells_.data();
        for (auto& o : old) {
            if (isZero(o.key)) continue;
            size_t i = hashOf(o.key) & mask_;
            while (!isZero(c[i].key)) i = (i + 1) & mask_;
            c[i] = o;
        }
    }

    PODArray<Cell> cells_;
    size_t mask_ = 0;
    size_t size_ = 0;
    bool has_zero_ = false;
    Cell zero_{};
};

// Map from byte strings (owned by the caller's arena; the map stores views) to Mapped.
template <typename Mapped>
class StringHashMap {
public:
    struct Cell { const char* data; uint32_t size; uint32_t used; uint64_t hash; Mapped mapped; };

    StringHashMap() { init(256); }

    // On insert the caller must make `key` durable (copy into an arena) and call setKey on the
    // returned cell... simpler: pass a persist callback.
    template <typename Persist>
    Mapped& emplace(std::string_view key, uint64_t h, bool& inserted, Persist&& persist) {
        size_t i = h & mask_;
        Cell* c = cells_.data();
        while (c[i].used) {
            if (c[i].hash == h && c[i].size == key.size() && std::memcmp(c[i].data, key.data(), key.size()) == 0) {
                inserted = false;
                return c[i].mapped;
            }
            i = (i + 1) & mask_;
        }
        if ((size_ + 1) * 2 > cells_.size()) {
            grow();
            return emplace(key, h, inserted, persist);
        }
        c[i].data = persist(key);
        c[i].size = uint32_t(key.size());
        c[i].used = 1;
        c[i].hash = h;
        ++size_;
        inserted = true;
        return c[i].mapped;
    }

    void prefetch(uint64_t h) const { __builtin_prefetch(cells_.data() + (h & mask_)); }

    Mapped* find(std::string_view key, uint64_t h) {
        size_t i = h & mask_;
        Cell* c = cells_.data();
        while (c[i].used) {
            if (c[i].hash == h && c[i].size == key.size() && std::memcmp(c[i].data, key.data(), key.size()) == 0) return &c[i].mapped;
            i = (i + 1) & mask_;
        }
        return nullptr;
    }

    // Sizes an empty table for about n keys at once (no rehash on the way there).
    void reserve(size_t n) {
        if (size_) return;
        size_t cells = 256;
        while (cells < n * 2) cells *= 2;
        if (cells > cells_.size()) init(cells);
    }

    size_t size() const { return size_; }

    template <typename F>
    void forEach(F&& f) {
        for (auto& c : cells_)
            if (c.used) f(std::string_view(c.data, c.size), c.mapped);
    }

private:
    void init(size_t n) {
        cells_.resize(n);
        adviseHugePages(cells_.data(), n * sizeof(Cell));
        std::memset(static_cast<void*>(cells_.data()), 0, n * sizeof(Cell));
        mask_ = n - 1;
    }
    [[gnu::noinline]] void grow() {
        PODArray<Cell> old;
        old.swap(cells_);
        init(old.size() * (old.size() < (1u << 20) ? 4 : 2));
        Cell* c = cells_.data();
        for (auto& o : old) {
            if (!o.used) continue;
            size_t i = o.hash & mask_;
            while (c[i].used) i = (i + 1) & mask_;
            c[i] = o;
        }
    }

    PODArray<Cell> cells_;
    size_t mask_ = 0;
    size_t size_ = 0;
};

}  // namespace basalt
