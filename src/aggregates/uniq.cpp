// uniq.cpp — distinct counting: uniqExact (and so COUNT(DISTINCT)), and the approximate uniq,
// uniqCombined(K), uniqCombined64(K), uniqHLL12.
//
// uniqExact keeps every distinct key: numbers up to 64 bits as themselves, strings and other values
// as a 128-bit XXH3 hash (as ClickHouse keeps a 128-bit hash; a collision needs ~2^64 values). Its
// state holds the first few keys in place and only then a hash set: a GROUP BY with a million
// groups mostly sees a handful of distinct values per group, and a table per group would cost
// kilobytes each.
//
// Every function first maps each row to a 64-bit key in one typed loop per block: numbers are their
// own key (floats by bit pattern, signed integers sign-extended) exactly as ClickHouse does, strings
// and composite values are hashed. The states then only see 64-bit keys:
//   uniq          — adaptive sampling set of 32-bit hashes (at most 65536 kept). While it holds every
//                   hash the answer is exact; once full it keeps only hashes whose low `skip` bits are
//                   zero and scales the count by 2^skip, corrected for 32-bit hash collisions.
//   uniqCombined  — exact small array (16) -> exact hash set (up to 2^(K-4) hashes, 2^(K-5) for the
//                   64-bit variant) -> HyperLogLog with 2^K registers, linear counting for small
//                   estimates and a large-range correction for 32-bit hashes.
//   uniqHLL12     — exact small array (16) -> HyperLogLog with 2^12 registers.
// Hash functions, thresholds and estimators follow ClickHouse's documented behaviour so numeric
// inputs give the same numbers as ClickHouse, also in the approximate range.
#include <algorithm>
#include <array>
#include <memory>
#include <cmath>

#include <xxhash.h>

#include "common/crc32c.h"
#include "aggregates/aggregate_helpers.h"
#include "common/hash_table.h"
#include "common/int_hash.h"

namespace basalt {

namespace {

using namespace agg;

// ---------------------------------------------------------------- hashing helpers
// 64-bit -> 32-bit integer hash (Thomas Wang's), used by uniqHLL12's registers.
inline uint32_t intHash32(uint64_t key) { return wangHash64To32(key); }

// CRC-32C of x's 8 little-endian bytes from 0xFFFFFFFF, no final inversion: the SSE4.2 crc32
// instruction's value that ClickHouse uses to "jitter" uniq's estimate.
inline uint32_t crc32c64(uint64_t x) { return crc32cWord(0xFFFFFFFFu, x); }

template <typename T> inline uint64_t numberKey(T v) {
    if constexpr (std::is_same_v<T, double>) { uint64_t u; std::memcpy(&u, &v, 8); return u; }
    else if constexpr (std::is_same_v<T, float>) { uint32_t u; std::memcpy(&u, &v, 4); return u; }
    else if constexpr (sizeof(T) == 16) { return intHash64(uint64_t(v) ^ intHash64(uint64_t(UInt128(v) >> 64))); }
    else if constexpr (std::is_signed_v<T>) return uint64_t(int64_t(v));
    else return uint64_t(v);
}

// Fills out[0..end-begin) with the 64-bit keys of rows [begin, end).
using KeyBatchFn = void (*)(const IColumn** cols, size_t nargs, size_t begin, size_t end, uint64_t* out);

void genericKeys(const IColumn** cols, size_t nargs, size_t begin, size_t end, uint64_t* out) {
    std::string buf;
    for (size_t i = begin; i < end; ++i) {
        uint64_t h = 0;
        for (size_t a = 0; a < nargs; ++a) {
            uint64_t k;
            if (auto* s = dynamic_cast<const ColumnString*>(cols[a])) {
                auto v = s->getView(i);
                k = bytesHash(v.data(), v.size());
            } else {
                buf.clear();
                cols[a]->serializeValue(i, buf);
                k = bytesHash(buf.data(), buf.size());
            }
            h = a == 0 ? k : intHash64(h * 0x9E3779B97F4A7C15ULL + k);
        }
        out[i - begin] = h;
    }
}

void stringKeys(const IColumn** cols, size_t, size_t begin, size_t end, uint64_t* out) {
    auto& s = static_cast<const ColumnString&>(*cols[0]);
    const char* chars = s.getChars().data();
    const auto& offs = s.getOffsets();
    size_t prev = s.offsetAt(begin);
    for (size_t i = begin; i < end; ++i) {
        out[i - begin] = bytesHash(chars + prev, offs[i] - prev);
        prev = offs[i];
    }
}

// uniqHLL12 keeps keys in the argument's own type before hashing: integers are zero-extended, and a
// float's key is its bit pattern converted (numerically) back to the float type.
template <typename T> inline uint64_t hll12Key(T v) {
    if constexpr (std::is_same_v<T, double>) { double y = double(numberKey(v)); uint64_t u; std::memcpy(&u, &y, 8); return u; }
    else if constexpr (std::is_same_v<T, float>) { float y = float(numberKey(v)); uint32_t u; std::memcpy(&u, &y, 4); return u; }
    else if constexpr (sizeof(T) == 16) return numberKey(v);
    else { uint64_t u = 0; std::memcpy(&u, &v, sizeof(T)); return u; }
}

KeyBatchFn chooseKeyFn(const DataTypes& args, bool hll12 = false) {
    if (args.size() != 1) return genericKeys;
    if (args[0]->id == TypeId::String) return stringKeys;
    KeyBatchFn fn = genericKeys;
    dispatchFixed(args[0]->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if (hll12)
            fn = [](const IColumn** cols, size_t, size_t begin, size_t end, uint64_t* out) {
                const T* d = columnData<T>(cols[0]) + begin;
                for (size_t i = 0; i < end - begin; ++i) out[i] = hll12Key(d[i]);
            };
        else
            fn = [](const IColumn** cols, size_t, size_t begin, size_t end, uint64_t* out) {
                const T* d = columnData<T>(cols[0]) + begin;
                for (size_t i = 0; i < end - begin; ++i) out[i] = numberKey(d[i]);
            };
    });
    return fn;
}

// ---------------------------------------------------------------- uniqExact
// 128-bit keys of rows [begin, end): XXH3 of a string's bytes, a 16-byte number's own bits, or XXH3
// of the arguments' serialized values for anything else (several arguments, arrays, tuples, ...).
using Key128BatchFn = void (*)(const IColumn** cols, size_t nargs, size_t begin, size_t end, UInt128* out);

inline UInt128 xxh128(const char* p, size_t n) {
    XXH128_hash_t h = XXH3_128bits(p, n);
    return (UInt128(h.high64) << 64) | h.low64;
}

void genericKeys128(const IColumn** cols, size_t nargs, size_t begin, size_t end, UInt128* out) {
    std::string buf;
    for (size_t i = begin; i < end; ++i) {
        buf.clear();
        for (size_t a = 0; a < nargs; ++a) cols[a]->serializeValue(i, buf);
        out[i - begin] = xxh128(buf.data(), buf.size());
    }
}

void stringKeys128(const IColumn** cols, size_t nargs, size_t begin, size_t end, UInt128* out) {
    auto* s = dynamic_cast<const ColumnString*>(cols[0]);   // once per block: a const or other wrapper takes the generic path
    if (!s) return genericKeys128(cols, nargs, begin, end, out);
    const char* chars = s->getChars().data();
    const auto& offs = s->getOffsets();
    size_t prev = s->offsetAt(begin);
    for (size_t i = begin; i < end; ++i) {
        out[i - begin] = xxh128(chars + prev, offs[i] - prev);
        prev = offs[i];
    }
}

Key128BatchFn chooseKey128Fn(const DataTypes& args) {
    if (args.size() != 1) return genericKeys128;
    if (args[0]->id == TypeId::String) return stringKeys128;
    Key128BatchFn fn = genericKeys128;
    dispatchFixed(args[0]->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (sizeof(T) == 16)
            fn = [](const IColumn** cols, size_t, size_t begin, size_t end, UInt128* out) {
                std::memcpy(out, columnData<T>(cols[0]) + begin, (end - begin) * 16);
            };
    });
    return fn;
}

// Numbers up to 64 bits are their own exact key (floats by bit pattern, as ClickHouse's hash set
// compares them).
bool exactKeyIsValue(const DataTypes& args) {
    bool narrow = false;
    if (args.size() == 1) dispatchFixed(args[0]->id, [&](auto tag) { narrow = sizeof(typename decltype(tag)::type) <= 8; });
    return narrow;
}

template <typename Key>
struct ExactState {
    static constexpr uint32_t kInline = 64 / sizeof(Key);
    uint32_t n = 0;   // keys held in place while `set` is null
    Key keys[kInline];
    std::unique_ptr<FixedHashMap<Key, HashSetMapped>> set;
    size_t size() const { return set ? set->size() : n; }
};

template <typename Key>
[[gnu::noinline]] void exactToSet(ExactState<Key>& s) {
    s.set = std::make_unique<FixedHashMap<Key, HashSetMapped>>(size_t(64));
    bool inserted;
    for (uint32_t i = 0; i < s.n; ++i) s.set->emplace(s.keys[i], inserted);
}

template <typename Key>
[[gnu::always_inline]] inline void exactInsert(ExactState<Key>& s, Key k) {
    if (!s.set) {
        for (uint32_t i = 0; i < s.n; ++i)
            if (s.keys[i] == k) return;
        if (s.n < ExactState<Key>::kInline) { s.keys[s.n++] = k; return; }
        exactToSet(s);
    }
    bool inserted;
    s.set->emplace(k, inserted);
}

template <typename Key>
class UniqExact final : public ObjectStateBase<ExactState<Key>> {
    using Base = ObjectStateBase<ExactState<Key>>;
    using KeyFn = void (*)(const IColumn**, size_t, size_t, size_t, Key*);
public:
    UniqExact(const std::string& name, const DataTypes& args, KeyFn key_fn)
        : Base(name, args, {}, makeType(TypeId::UInt64)), key_fn_(key_fn) {}
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        Key k;
        key_fn_(cols, this->argumentTypes().size(), row, row + 1, &k);
        exactInsert(Base::data(p), k);
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        PODArray<Key> keys(rows);
        key_fn_(cols, this->argumentTypes().size(), 0, rows, keys.data());
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) exactInsert(Base::data(places[i] + off), keys[i]);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        PODArray<Key> keys(rows);
        key_fn_(cols, this->argumentTypes().size(), 0, rows, keys.data());
        auto& s = Base::data(p);
        size_t i = 0;
        for (; i < rows && !s.set; ++i)
            if (!filter || filter[i]) exactInsert(s, keys[i]);
        if (!s.set) return;
        // One big set: fetch the cell a row will probe a few rows ahead (the set outgrows the caches).
        auto& set = *s.set;
        constexpr size_t kAhead = 8;
        bool inserted;
        for (; i < rows; ++i) {
            if (i + kAhead < rows) set.prefetch(FixedHashMap<Key, HashSetMapped>::hashOf(keys[i + kAhead]));
            if (!filter || filter[i]) set.emplace(keys[i], inserted);
        }
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& s = Base::data(p);
        auto& o = const_cast<ExactState<Key>&>(Base::data(r));
        if (!o.set) {
            for (uint32_t i = 0; i < o.n; ++i) exactInsert(s, o.keys[i]);
            return;
        }
        if (!s.set) exactToSet(s);
        s.set->reserveMore(o.set->size());
        o.set->forEach([&](const Key& k, HashSetMapped) { bool inserted; s.set->emplace(k, inserted); });
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& s = const_cast<ExactState<Key>&>(Base::data(p));
        writeVarUInt(out, s.size());
        if (s.set) s.set->forEach([&](const Key& k, HashSetMapped) { writePod(out, k); });
        else for (uint32_t i = 0; i < s.n; ++i) writePod(out, s.keys[i]);
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& s = Base::data(p);
        uint64_t n = readVarUInt(pos, end);
        if (n > size_t(end - pos) / sizeof(Key)) throwTruncated();
        for (uint64_t i = 0; i < n; ++i) exactInsert(s, readPod<Key>(pos, end));
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        static_cast<ColumnUInt64&>(to).insertValue(Base::data(p).size());
    }
private:
    KeyFn key_fn_;
};

// ---------------------------------------------------------------- uniq: adaptive sampling set
constexpr uint32_t kUniqMaxDegree = 17;
constexpr uint32_t kUniqMaxSize = 1u << (kUniqMaxDegree - 1);   // 65536 hashes kept at most
constexpr uint32_t kUniqBitsForSkip = 32 - kUniqMaxDegree;      // low bits are for sampling, high for placement
constexpr uint32_t kUniqInitialDegree = 4;

struct UniqSampleSet {
    PODArray<uint32_t> cells;   // open addressing, 0 = empty; allocated on first non-zero hash
    uint32_t count = 0;          // hashes held, including the zero hash
    uint8_t degree = kUniqInitialDegree;
    uint8_t skip = 0;
    bool has_zero = false;

    size_t mask() const { return (size_t(1) << degree) - 1; }
    size_t place(uint32_t h) const { return (h >> kUniqBitsForSkip) & mask(); }
    bool good(uint32_t h) const { return (h & ((uint32_t(1) << skip) - 1)) == 0; }

    void insertHash(uint32_t h) {
        if (!good(h)) return;
        insertRaw(h);
        shrinkIfNeeded();
    }
    // The hashes of many rows of one group (GROUP BY day: a part's rows are one long run). Once the
    // set is sampling, most rows are rejected: they are dropped branch-free in chunks first, so the
    // probing loop (and its prefetches) sees only those the current rate keeps.
    void insertHashes(const uint32_t* hs, size_t n) {
        constexpr size_t kChunk = 256;
        uint32_t kept[kChunk];
        for (size_t base = 0; base < n; base += kChunk) {
            size_t end = std::min(n, base + kChunk), m = 0;
            const uint32_t low = (uint32_t(1) << skip) - 1;
            for (size_t i = base; i < end; ++i) {
                kept[m] = hs[i];
                m += (hs[i] & low) == 0;
            }
            constexpr size_t kAhead = 8;
            for (size_t j = 0; j < m; ++j) {
                if (j + kAhead < m && cells.size()) __builtin_prefetch(cells.data() + place(kept[j + kAhead]));
                insertHash(kept[j]);   // re-checks the rate: it may have risen inside the chunk
            }
        }
    }
    void insertRaw(uint32_t h) {
        if (h == 0) {
            if (!has_zero) { has_zero = true; ++count; }
            return;
        }
        if (cells.size() == 0) cells.resize_fill(size_t(1) << degree, 0);
        size_t i = place(h);
        while (cells[i]) {
            if (cells[i] == h) return;
            i = (i + 1) & mask();
        }
        cells[i] = h;
        ++count;
    }
    void shrinkIfNeeded() {
        if (count <= (uint32_t(1) << (degree - 1))) return;
        if (count > kUniqMaxSize) {
            // Full: halve the sampling rate until the set fits again.
            while (count > kUniqMaxSize) {
                ++skip;
                rebuild(degree);
            }
        } else {
            rebuild(degree + 1);
        }
    }
    // Re-places the kept hashes into a table of 2^new_degree cells, dropping those the current
    // sampling rate rejects.
    void rebuild(uint8_t new_degree) {
        PODArray<uint32_t> old;
        old.swap(cells);
        degree = new_degree;
        count = has_zero ? 1 : 0;
        cells.resize_fill(size_t(1) << degree, 0);
        for (uint32_t h : old)
            if (h && good(h)) insertRaw(h);
    }
    void merge(const UniqSampleSet& r) {
        if (r.skip > skip) {
            skip = r.skip;
            rebuild(degree);
        }
        if (r.has_zero && !has_zero) {
            has_zero = true;
            ++count;
            shrinkIfNeeded();
        }
        for (uint32_t h : r.cells)
            if (h && good(h)) {
                insertRaw(h);
                shrinkIfNeeded();
            }
    }
    uint64_t estimate() const {
        if (skip == 0) return count;
        uint64_t res = uint64_t(count) << skip;
        // A pseudo-random low part so results are not visibly multiples of 2^skip.
        res += crc32c64(count) & ((uint64_t(1) << skip) - 1);
        // Correct for collisions of `res` random 32-bit hashes.
        const uint64_t p32 = uint64_t(1) << 32;
        return uint64_t(std::round(double(p32) * (std::log(double(p32)) - std::log(double(p32 - res)))));
    }
    // ClickHouse's UniquesHashSet format: skip degree byte, VarUInt count (the zero hash included),
    // then the kept 32-bit hashes (zero first when present), so states interchange with ClickHouse.
    void serialize(std::string& out) const {
        writePod(out, skip);
        writeVarUInt(out, count);
        if (has_zero) writePod(out, uint32_t(0));
        for (uint32_t h : cells)
            if (h) writePod(out, h);
    }
    void deserialize(const char*& pos, const char* end) {
        skip = readPod<uint8_t>(pos, end);
        if (skip > 32) throw Exception(ErrorCodes::INCORRECT_DATA, "Bad uniq state");
        uint64_t n = readVarUInt(pos, end);
        if (n > kUniqMaxSize || size_t(end - pos) < size_t(n) * 4) throwTruncated();
        for (uint64_t i = 0; i < n; ++i) {
            insertRaw(readPod<uint32_t>(pos, end));
            if (count > (uint32_t(1) << (degree - 1))) rebuild(degree + 1);
        }
    }
};

// ---------------------------------------------------------------- HyperLogLog registers
// 2^k one-byte registers holding the maximal rank seen per bucket, plus a histogram of ranks so the
// harmonic-mean denominator is computed the same stable way whatever the insertion order.
class HyperLogLog {
public:
    HyperLogLog(uint8_t k, uint8_t hash_bits) : k_(k), hash_bits_(hash_bits), max_rank_(uint8_t(hash_bits - k + 1)),
                                                registers_(size_t(1) << k, 0), rank_count_(max_rank_ + 1, 0) {
        rank_count_[0] = uint32_t(1) << k;
        zeros_ = uint32_t(1) << k;
    }
    // h: a hash of hash_bits bits. The low k bits choose the bucket; the rank is 1 + the number of
    // trailing zeros of the rest.
    void insert(uint64_t h) {
        uint64_t bucket = h & ((uint64_t(1) << k_) - 1);
        uint64_t tail = h >> k_;
        uint8_t rank = tail == 0 ? max_rank_ : uint8_t(std::min<int>(__builtin_ctzll(tail) + 1, max_rank_));
        update(bucket, rank);
    }
    void merge(const HyperLogLog& r) {
        for (size_t i = 0; i < registers_.size(); ++i) update(i, r.registers_[i]);
    }
    // ClickHouse-exact for uniqHLL12 (`lc_limit` 0): linear counting up to 2.5m, then raw. uniqCombined
    // (ClickHouse switches from linear counting to a table-driven bias correction once the linear
    // estimate reaches 176000) keeps linear counting while the raw estimate is below 5m, where its
    // error is still well under 1%, instead of the tables.
    uint64_t estimate(bool combined = false) const {
        const double m = double(uint64_t(1) << k_);
        double alpha = m == 16 ? 0.673 : m == 32 ? 0.697 : m == 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
        double denominator = 0;
        for (int i = max_rank_; i >= 0; --i) {
            denominator /= 2.0;
            denominator += rank_count_[i];
        }
        double raw = alpha * m * m / denominator;
        double fixed;
        const double p32 = 4294967296.0;
        if (hash_bits_ == 32 && raw > p32 / 30.0) fixed = -p32 * std::log(1.0 - raw / p32);   // hash collisions at the top
        else if (raw <= (combined ? 5.0 : 2.5) * m) fixed = zeros_ != 0 ? m * std::log(m / double(zeros_)) : raw;  // linear counting
        else fixed = raw;
        return uint64_t(fixed + 0.5);
    }
    void serialize(std::string& out) const { out.append(reinterpret_cast<const char*>(registers_.data()), registers_.size()); }
    void deserialize(const char*& pos, const char* end) {
        if (size_t(end - pos) < registers_.size()) throwTruncated();
        for (size_t i = 0; i < registers_.size(); ++i) update(i, std::min<uint8_t>(uint8_t(pos[i]), max_rank_));
        pos += registers_.size();
    }
private:
    void update(size_t bucket, uint8_t rank) {
        uint8_t& cur = registers_[bucket];
        if (rank <= cur) return;
        --rank_count_[cur];
        if (cur == 0) --zeros_;
        ++rank_count_[rank];
        cur = rank;
    }
    uint8_t k_, hash_bits_, max_rank_;
    PODArray<uint8_t> registers_;
    PODArray<uint32_t> rank_count_;
    uint32_t zeros_;
};

// ---------------------------------------------------------------- small exact array (first 16 keys)
template <typename Key>
struct SmallSet {
    static constexpr uint8_t kCapacity = 16;
    Key keys[kCapacity];
    uint8_t n = 0;
    bool contains(Key k) const {
        for (uint8_t i = 0; i < n; ++i) if (keys[i] == k) return true;
        return false;
    }
    bool full() const { return n == kCapacity; }
    void push(Key k) { keys[n++] = k; }
};

// ---------------------------------------------------------------- uniqCombined: small -> set -> HLL
template <typename Key>
struct CombinedState {
    SmallSet<Key> small;
    std::unique_ptr<FixedHashMap<Key, uint8_t>> medium;
    std::unique_ptr<HyperLogLog> large;
};

struct CombinedConfig {
    uint8_t k;
    size_t medium_max;
};

template <typename Key>
void combinedToLarge(CombinedState<Key>& s, const CombinedConfig& c) {
    s.large = std::make_unique<HyperLogLog>(c.k, uint8_t(sizeof(Key) * 8));
    if (s.medium) {
        s.medium->forEach([&](const Key& key, uint8_t) { s.large->insert(key); });
        s.medium.reset();
    } else {
        for (uint8_t i = 0; i < s.small.n; ++i) s.large->insert(s.small.keys[i]);
    }
}

template <typename Key>
void combinedInsert(CombinedState<Key>& s, Key key, const CombinedConfig& c) {
    if (s.large) { s.large->insert(key); return; }
    bool ins;
    if (s.medium) {
        // The set turns into registers as soon as it is at its limit, even for a repeated key.
        if (s.medium->size() < c.medium_max) s.medium->emplace(key, ins);
        else {
            combinedToLarge(s, c);
            s.large->insert(key);
        }
        return;
    }
    if (s.small.contains(key)) return;
    if (!s.small.full()) { s.small.push(key); return; }
    s.medium = std::make_unique<FixedHashMap<Key, uint8_t>>();
    for (uint8_t i = 0; i < s.small.n; ++i) s.medium->emplace(s.small.keys[i], ins);
    s.medium->emplace(key, ins);
}

template <typename Key>
uint64_t combinedSize(const CombinedState<Key>& s) {
    if (s.large) return s.large->estimate(true);
    if (s.medium) return s.medium->size();
    return s.small.n;
}

// ---------------------------------------------------------------- uniqHLL12: small -> HLL(12)
struct Hll12State {
    SmallSet<uint64_t> small;
    std::unique_ptr<HyperLogLog> large;
};
void hll12Insert(Hll12State& s, uint64_t key) {
    if (!s.large) {
        if (s.small.contains(key)) return;
        if (!s.small.full()) { s.small.push(key); return; }
        s.large = std::make_unique<HyperLogLog>(12, 32);
        for (uint8_t i = 0; i < s.small.n; ++i) s.large->insert(intHash32(s.small.keys[i]));
    }
    s.large->insert(intHash32(key));
}

// ---------------------------------------------------------------- the aggregate function shell
// Policy: State type plus insert(state, key64), merge, size, serialize, deserialize.
template <typename Policy>
class UniqFunction final : public ObjectStateBase<typename Policy::State> {
    using Base = ObjectStateBase<typename Policy::State>;
public:
    UniqFunction(const std::string& name, const DataTypes& args, std::vector<Field> params, Policy policy)
        : Base(name, args, std::move(params), makeType(TypeId::UInt64)), policy_(policy), key_fn_(chooseKeyFn(args, Policy::kHll12Keys)) {}
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        uint64_t k;
        key_fn_(cols, this->argumentTypes().size(), row, row + 1, &k);
        policy_.insert(Base::data(p), k);
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        PODArray<uint64_t> keys(rows);
        key_fn_(cols, this->argumentTypes().size(), 0, rows, keys.data());
        if constexpr (requires(const Policy& p, typename Policy::State& st) { p.insertRun(st, nullptr, size_t(0)); }) {
            size_t runs = rows != 0;
            if (!filter)
                for (size_t i = 1; i < rows; ++i) runs += places[i] != places[i - 1];
            if (!filter && runs * 16 <= rows) {
                // Long runs of rows of one group (sorted parts grouped by day or hour): one call each.
                for (size_t i = 0; i < rows;) {
                    size_t j = i + 1;
                    while (j < rows && places[j] == places[i]) ++j;
                    policy_.insertRun(Base::data(places[i] + off), keys.data() + i, j - i);
                    i = j;
                }
                return;
            }
        }
        if constexpr (requires(const Policy& p, typename Policy::State& st) { p.prefetch(st, uint64_t(0)); }) {
            // The sets' cells are hundreds of KiB each: the cell a row will probe is fetched a
            // few rows ahead.
            constexpr size_t kAhead = 8;
            for (size_t i = 0; i < rows; ++i) {
                if (i + kAhead < rows && (!filter || filter[i + kAhead])) policy_.prefetch(Base::data(places[i + kAhead] + off), keys[i + kAhead]);
                if (!filter || filter[i]) policy_.insert(Base::data(places[i] + off), keys[i]);
            }
            return;
        }
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) policy_.insert(Base::data(places[i] + off), keys[i]);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        PODArray<uint64_t> keys(rows);
        key_fn_(cols, this->argumentTypes().size(), 0, rows, keys.data());
        auto& s = Base::data(p);
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) policy_.insert(s, keys[i]);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override { policy_.merge(Base::data(p), Base::data(r)); }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override { policy_.serialize(Base::data(p), out); }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override { policy_.deserialize(Base::data(p), pos, end); }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        static_cast<ColumnUInt64&>(to).insertValue(policy_.size(Base::data(p)));
    }
private:
    Policy policy_;
    KeyBatchFn key_fn_;
};

struct UniqPolicy {
    static constexpr bool kHll12Keys = false;
    using State = UniqSampleSet;
    void insert(State& s, uint64_t key) const { s.insertHash(uint32_t(intHash64(key))); }
    void insertRun(State& s, const uint64_t* keys, size_t n) const {
        constexpr size_t kChunk = 1024;
        uint32_t hs[kChunk];
        for (size_t base = 0; base < n; base += kChunk) {
            size_t m = std::min(kChunk, n - base);
            for (size_t i = 0; i < m; ++i) hs[i] = uint32_t(intHash64(keys[base + i]));
            s.insertHashes(hs, m);
        }
    }
    void prefetch(const State& s, uint64_t key) const {
        if (s.cells.size()) __builtin_prefetch(s.cells.data() + s.place(uint32_t(intHash64(key))));
    }
    void merge(State& s, const State& r) const { s.merge(r); }
    uint64_t size(const State& s) const { return s.estimate(); }
    void serialize(const State& s, std::string& out) const { s.serialize(out); }
    void deserialize(State& s, const char*& pos, const char* end) const { s.deserialize(pos, end); }
};

template <typename Key>
struct CombinedPolicy {
    static constexpr bool kHll12Keys = false;
    using State = CombinedState<Key>;
    CombinedConfig cfg;
    void insert(State& s, uint64_t key) const { combinedInsert<Key>(s, Key(intHash64(key)), cfg); }
    void merge(State& s, const State& r) const {
        if (r.large) {
            if (!s.large) combinedToLarge(s, cfg);
            s.large->merge(*r.large);
        } else if (r.medium) {
            r.medium->forEach([&](const Key& k, uint8_t) { combinedInsert<Key>(s, k, cfg); });
        } else {
            for (uint8_t i = 0; i < r.small.n; ++i) combinedInsert<Key>(s, r.small.keys[i], cfg);
        }
    }
    uint64_t size(const State& s) const { return combinedSize(s); }
    void serialize(const State& s, std::string& out) const {
        if (s.large) { out += char(2); s.large->serialize(out); return; }
        if (s.medium) {
            out += char(1);
            writePod(out, uint64_t(s.medium->size()));
            s.medium->forEach([&](const Key& k, uint8_t) { writePod(out, k); });
            return;
        }
        out += char(0);
        out += char(s.small.n);
        for (uint8_t i = 0; i < s.small.n; ++i) writePod(out, s.small.keys[i]);
    }
    void deserialize(State& s, const char*& pos, const char* end) const {
        uint8_t kind = readPod<uint8_t>(pos, end);
        if (kind == 2) {
            s.large = std::make_unique<HyperLogLog>(cfg.k, uint8_t(sizeof(Key) * 8));
            s.large->deserialize(pos, end);
            return;
        }
        uint64_t n = kind == 1 ? readPod<uint64_t>(pos, end) : readPod<uint8_t>(pos, end);
        if (n > size_t(end - pos) / sizeof(Key)) throwTruncated();
        for (uint64_t i = 0; i < n; ++i) combinedInsert<Key>(s, readPod<Key>(pos, end), cfg);
    }
};

struct Hll12Policy {
    static constexpr bool kHll12Keys = true;
    using State = Hll12State;
    void insert(State& s, uint64_t key) const { hll12Insert(s, key); }
    void merge(State& s, const State& r) const {
        if (r.large) {
            if (!s.large) {
                s.large = std::make_unique<HyperLogLog>(12, 32);
                for (uint8_t i = 0; i < s.small.n; ++i) s.large->insert(intHash32(s.small.keys[i]));
            }
            s.large->merge(*r.large);
        } else {
            for (uint8_t i = 0; i < r.small.n; ++i) hll12Insert(s, r.small.keys[i]);
        }
    }
    uint64_t size(const State& s) const { return s.large ? s.large->estimate() : s.small.n; }
    void serialize(const State& s, std::string& out) const {
        if (s.large) { out += char(1); s.large->serialize(out); return; }
        out += char(0);
        out += char(s.small.n);
        for (uint8_t i = 0; i < s.small.n; ++i) writePod(out, s.small.keys[i]);
    }
    void deserialize(State& s, const char*& pos, const char* end) const {
        if (readPod<uint8_t>(pos, end)) {
            s.large = std::make_unique<HyperLogLog>(12, 32);
            s.large->deserialize(pos, end);
            return;
        }
        uint8_t n = readPod<uint8_t>(pos, end);
        for (uint8_t i = 0; i < n; ++i) hll12Insert(s, readPod<uint64_t>(pos, end));
    }
};

void checkUniqArgs(const std::string& name, const DataTypes& args) {
    if (args.empty()) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Incorrect number of arguments for aggregate function " + name);
}

AggregateFunctionPtr createCombined(const std::string& name, const DataTypes& args, const std::vector<Field>& params, bool is64) {
    checkUniqArgs(name, args);
    if (params.size() > 1)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Aggregate function " + name + " requires one parameter or less.");
    uint64_t k = 17;
    if (!params.empty()) {
        k = uintParam(params[0]);
        if (k < 12 || k > 20)
            throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Parameter for aggregate function " + name + " is out of range: [12, 20].");
    }
    // Exact while the hash set would be smaller than the registers (2 * key size bytes per hash
    // against 2^K * 6 bits).
    CombinedConfig cfg{uint8_t(k), size_t(1) << (k - (is64 ? 5 : 4))};
    if (is64) return std::make_shared<UniqFunction<CombinedPolicy<uint64_t>>>(name, args, params, CombinedPolicy<uint64_t>{cfg});
    return std::make_shared<UniqFunction<CombinedPolicy<uint32_t>>>(name, args, params, CombinedPolicy<uint32_t>{cfg});
}

}  // namespace

void registerUniqAggregateFunctions(AggregateFunctionFactory& f) {
    f.registerFunction("uniqExact", [](const std::string& n, const DataTypes& a, const std::vector<Field>&) -> AggregateFunctionPtr {
        checkUniqArgs(n, a);
        if (exactKeyIsValue(a)) return std::make_shared<UniqExact<uint64_t>>(n, a, chooseKeyFn(a));
        return std::make_shared<UniqExact<UInt128>>(n, a, chooseKey128Fn(a));
    });
    f.registerFunction("uniq", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) -> AggregateFunctionPtr {
        checkUniqArgs(n, a);
        checkNoParams(n, p);
        return std::make_shared<UniqFunction<UniqPolicy>>(n, a, p, UniqPolicy{});
    });
    f.registerFunction("uniqHLL12", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) -> AggregateFunctionPtr {
        checkUniqArgs(n, a);
        checkNoParams(n, p);
        return std::make_shared<UniqFunction<Hll12Policy>>(n, a, p, Hll12Policy{});
    });
    f.registerFunction("uniqCombined", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) {
        return createCombined(n, a, p, false);
    });
    f.registerFunction("uniqCombined64", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) {
        return createCombined(n, a, p, true);
    });
}

}  // namespace basalt
