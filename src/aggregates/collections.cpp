// collections.cpp — aggregates whose result is a collection of input values:
//   groupUniqArray([max])(x)      distinct values as Array(T)
//   topK([N[, load_factor]])(x)   approximate N most frequent values (Space-Saving), Array(T)
//   topKWeighted(N)(x, weight)    the same with integer weights
//   sumMap / minMap / maxMap(keys, values...)  per-key sum/min/max of parallel arrays, keys sorted,
//                                 Tuple(Array(K), Array(V)...); sumMap drops keys whose sums are all 0.
// Numeric groupUniqArray keeps its values in an open-addressing set with the same hash, growth and
// probing as ClickHouse's, so the (unspecified) result order matches ClickHouse's for numbers; other
// types keep first-seen order. topK ranks by count descending, earlier-seen first among equal counts.
#include <algorithm>
#include <unordered_map>

#include "aggregates/aggregate_helpers.h"
#include "common/hash_table.h"

namespace basalt {

namespace {

using namespace agg;

// ---------------------------------------------------------------- groupUniqArray (numbers)
// Linear-probing set of T: the zero value lives out of line and is listed first; the table starts
// at 16 cells and grows 4x (2x past 2^23) when more than half full, moving entries in place the way
// ClickHouse's HashTable does so that iteration order is the same.
template <typename T>
struct NumberSet {
    PODArray<T> cells;
    size_t count = 0;   // including the zero value
    uint8_t degree = 4;
    bool has_zero = false;

    static bool isZero(const T& v) {
        static const T zero{};
        return std::memcmp(&v, &zero, sizeof(T)) == 0;
    }
    static size_t hashOf(const T& v) {
        uint64_t u = 0;
        std::memcpy(&u, &v, sizeof(T));
        return intHash64(u);
    }
    size_t mask() const { return (size_t(1) << degree) - 1; }
    size_t find(const T& v, size_t place) const {
        while (!isZero(cells[place]) && std::memcmp(&cells[place], &v, sizeof(T)) != 0) place = (place + 1) & mask();
        return place;
    }
    void insert(const T& v) {
        if (isZero(v)) {
            if (!has_zero) { has_zero = true; ++count; }
            return;
        }
        if (cells.size() == 0) cells.resize_fill(size_t(1) << degree, T{});
        size_t place = find(v, hashOf(v) & mask());
        if (!isZero(cells[place])) return;
        cells[place] = v;
        ++count;
        if (count > (size_t(1) << (degree - 1))) grow();
    }
    void grow() {
        size_t old_size = cells.size();
        degree += degree >= 23 ? 1 : 2;
        cells.resize_fill(size_t(1) << degree, T{});
        // Entries either stay, move right to their new home, or move left into a freed slot.
        size_t i = 0;
        for (; i < old_size; ++i)
            if (!isZero(cells[i])) reinsert(i);
        // A collision chain that wrapped around the old end continues after it.
        for (; i < cells.size() && !isZero(cells[i]); ++i) reinsert(i);
    }
    void reinsert(size_t i) {
        size_t place = hashOf(cells[i]) & mask();
        if (place == i) return;
        place = find(cells[i], place);
        if (!isZero(cells[place])) return;   // reached itself: stays where it is
        cells[place] = cells[i];
        cells[i] = T{};
    }
    template <typename F> void forEach(F&& f) const {
        if (has_zero) f(T{});
        for (const T& v : cells)
            if (!isZero(v)) f(v);
    }
};

template <typename T>
class GroupUniqArrayNumber final : public ObjectStateBase<NumberSet<T>> {
    using Base = ObjectStateBase<NumberSet<T>>;
public:
    GroupUniqArrayNumber(const std::string& name, const DataTypes& args, const std::vector<Field>& params, size_t limit)
        : Base(name, args, params, makeArray(args[0])), limit_(limit) {}
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        auto& s = Base::data(p);
        if (s.count < limit_) s.insert(columnData<T>(cols[0])[row]);
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        const T* d = columnData<T>(cols[0]);
        for (size_t i = 0; i < rows; ++i) {
            if (filter && !filter[i]) continue;
            auto& s = Base::data(places[i] + off);
            if (s.count < limit_) s.insert(d[i]);
        }
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        const T* d = columnData<T>(cols[0]);
        auto& s = Base::data(p);
        for (size_t i = 0; i < rows && s.count < limit_; ++i)
            if (!filter || filter[i]) s.insert(d[i]);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& s = Base::data(p);
        Base::data(r).forEach([&](const T& v) { if (s.count < limit_) s.insert(v); });
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& s = Base::data(p);
        writePod(out, uint64_t(s.count));
        s.forEach([&](const T& v) { writePod(out, v); });
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        uint64_t n = readPod<uint64_t>(pos, end);
        if (n > size_t(end - pos) / sizeof(T)) throwTruncated();
        for (uint64_t i = 0; i < n; ++i) Base::data(p).insert(readPod<T>(pos, end));
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& arr = static_cast<ColumnArray&>(to);
        auto& data = static_cast<ColumnVector<T>&>(arr.getData());
        Base::data(p).forEach([&](const T& v) { data.insertValue(v); });
        arr.getOffsets().push_back(data.size());
    }
private:
    size_t limit_;
};

// ---------------------------------------------------------------- groupUniqArray (any type)
struct GenericSetState {
    FixedHashMap<UInt128, uint8_t> seen;   // 128-bit hash of the serialized value
    MutableColumnPtr values;               // distinct values in first-seen order
};

UInt128 hash128(const std::string& s) {
    uint64_t h1 = bytesHash(s.data(), s.size());
    uint64_t h2 = intHash64(h1 ^ (s.size() * 0x9E3779B97F4A7C15ULL)) ^ (s.size() > 1 ? bytesHash(s.data() + 1, s.size() - 1) : 0x5bd1e995);
    UInt128 k = (UInt128(h1) << 64) | h2;
    return k == 0 ? 1 : k;
}

class GroupUniqArrayGeneric final : public IAggregateFunction {
public:
    GroupUniqArrayGeneric(const std::string& name, const DataTypes& args, const std::vector<Field>& params, size_t limit)
        : IAggregateFunction(name, args, params, makeArray(args[0])), limit_(limit) {}
    size_t sizeOfData() const override { return sizeof(GenericSetState); }
    size_t alignOfData() const override { return alignof(GenericSetState); }
    void create(AggregateDataPtr p) const override { new (p) GenericSetState{{}, createColumn(argumentTypes()[0])}; }
    void destroy(AggregateDataPtr p) const noexcept override { st(p).~GenericSetState(); }
    static GenericSetState& st(AggregateDataPtr p) { return *reinterpret_cast<GenericSetState*>(p); }
    static const GenericSetState& st(ConstAggregateDataPtr p) { return *reinterpret_cast<const GenericSetState*>(p); }
    void addValue(GenericSetState& s, const IColumn& col, size_t row) const {
        if (s.values->size() >= limit_) return;
        std::string key;
        col.serializeValue(row, key);
        bool ins;
        s.seen.emplace(hash128(key), ins);
        if (ins) s.values->insertFrom(col, row);
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override { addValue(st(p), *cols[0], row); }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& rv = *st(r).values;
        for (size_t i = 0; i < rv.size(); ++i) addValue(st(p), rv, i);
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& v = *st(p).values;
        writePod(out, uint64_t(v.size()));
        for (size_t i = 0; i < v.size(); ++i) v.serializeValue(i, out);
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        uint64_t n = readPod<uint64_t>(pos, end);
        if (n > size_t(end - pos)) throwTruncated();
        auto tmp = createColumn(argumentTypes()[0]);
        for (uint64_t i = 0; i < n; ++i) tmp->deserializeAndInsert(pos);
        for (size_t i = 0; i < tmp->size(); ++i) addValue(st(p), *tmp, i);
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& arr = static_cast<ColumnArray&>(to);
        auto& v = *st(p).values;
        arr.getData().insertRangeFrom(v, 0, v.size());
        arr.getOffsets().push_back(arr.getData().size());
    }
private:
    size_t limit_;
};

// ---------------------------------------------------------------- topK: Space-Saving
// Counters are kept sorted by count descending: an increment only moves a counter towards the front,
// and a new value takes over the last (smallest) counter, inheriting its count as error bound.
template <typename Key>
struct SpaceSaving {
    struct Counter { Key key; uint64_t count; uint64_t error; };
    std::vector<Counter> counters;
    std::unordered_map<Key, size_t> index;

    void insert(const Key& key, uint64_t w, size_t capacity) {
        auto it = index.find(key);
        size_t pos;
        if (it != index.end()) {
            pos = it->second;
            counters[pos].count += w;
        } else if (counters.size() < capacity) {
            pos = counters.size();
            counters.push_back({key, w, 0});
            index.emplace(key, pos);
        } else {
            pos = counters.size() - 1;
            Counter& last = counters[pos];
            index.erase(last.key);
            last.error = last.count;
            last.count += w;
            last.key = key;
            index.emplace(key, pos);
        }
        // Move up past counters with a strictly smaller count.
        while (pos > 0 && counters[pos].count > counters[pos - 1].count) {
            std::swap(counters[pos], counters[pos - 1]);
            index[counters[pos].key] = pos;
            index[counters[pos - 1].key] = pos - 1;
            --pos;
        }
    }
    // Merge of two summaries: a value missing from a full summary may have been counted up to that
    // summary's minimum, so it is credited with it.
    void merge(const SpaceSaving& r, size_t capacity) {
        uint64_t m1 = counters.size() >= capacity && !counters.empty() ? counters.back().count : 0;
        uint64_t m2 = r.counters.size() >= capacity && !r.counters.empty() ? r.counters.back().count : 0;
        std::vector<Counter> merged = counters;
        for (auto& c : merged) {
            auto it = r.index.find(c.key);
            if (it != r.index.end()) { c.count += r.counters[it->second].count; c.error += r.counters[it->second].error; }
            else { c.count += m2; c.error += m2; }
        }
        for (auto& c : r.counters)
            if (!index.count(c.key)) merged.push_back({c.key, c.count + m1, c.error + m1});
        std::stable_sort(merged.begin(), merged.end(), [](const Counter& a, const Counter& b) { return a.count > b.count; });
        if (merged.size() > capacity) merged.resize(capacity);
        counters = std::move(merged);
        index.clear();
        for (size_t i = 0; i < counters.size(); ++i) index.emplace(counters[i].key, i);
    }
};

struct StringKeyHash {
    size_t operator()(const std::string& s) const { return bytesHash(s.data(), s.size()); }
};
template <typename T> struct NumberKeyHash {
    size_t operator()(const T& v) const { uint64_t u = 0; std::memcpy(&u, &v, std::min(sizeof(T), size_t(8))); return intHash64(u); }
};

// Key = T for fixed-width values, std::string (serialized value) otherwise.
template <typename Key>
class TopK final : public ObjectStateBase<SpaceSaving<Key>> {
    using Base = ObjectStateBase<SpaceSaving<Key>>;
    static constexpr bool kFixed = !std::is_same_v<Key, std::string>;
public:
    TopK(const std::string& name, const DataTypes& args, const std::vector<Field>& params, size_t k, size_t capacity, bool weighted)
        : Base(name, args, params, makeArray(args[0])), k_(k), capacity_(capacity), weighted_(weighted) {}
    Key keyAt(const IColumn* c, size_t row) const {
        if constexpr (kFixed) return columnData<Key>(c)[row];
        else { std::string s; c->serializeValue(row, s); return s; }
    }
    uint64_t weightAt(const IColumn** cols, size_t row) const {
        if (!weighted_) return 1;
        const IColumn* w = cols[1];
        uint64_t v = 0;
        std::memcpy(&v, w->rawData() + row * w->valueSizeOfFixed(), std::min<size_t>(8, w->valueSizeOfFixed()));
        return v;
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        Base::data(p).insert(keyAt(cols[0], row), weightAt(cols, row), capacity_);
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        if constexpr (kFixed) {
            if (!weighted_) {
                const Key* d = columnData<Key>(cols[0]);
                for (size_t i = 0; i < rows; ++i)
                    if (!filter || filter[i]) Base::data(places[i] + off).insert(d[i], 1, capacity_);
                return;
            }
        }
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) Base::data(places[i] + off).insert(keyAt(cols[0], i), weightAt(cols, i), capacity_);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        auto& s = Base::data(p);
        if constexpr (kFixed) {
            if (!weighted_) {
                const Key* d = columnData<Key>(cols[0]);
                for (size_t i = 0; i < rows; ++i)
                    if (!filter || filter[i]) s.insert(d[i], 1, capacity_);
                return;
            }
        }
        for (size_t i = 0; i < rows; ++i)
            if (!filter || filter[i]) s.insert(keyAt(cols[0], i), weightAt(cols, i), capacity_);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override { Base::data(p).merge(Base::data(r), capacity_); }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& s = Base::data(p);
        writePod(out, uint64_t(s.counters.size()));
        for (auto& c : s.counters) {
            if constexpr (kFixed) writePod(out, c.key);
            else { writePod(out, uint64_t(c.key.size())); out += c.key; }
            writePod(out, c.count);
            writePod(out, c.error);
        }
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& s = Base::data(p);
        uint64_t n = readPod<uint64_t>(pos, end);
        if (n > capacity_) throwTruncated();
        for (uint64_t i = 0; i < n; ++i) {
            Key key;
            if constexpr (kFixed) key = readPod<Key>(pos, end);
            else {
                uint64_t len = readPod<uint64_t>(pos, end);
                if (len > size_t(end - pos)) throwTruncated();
                key.assign(pos, len);
                pos += len;
            }
            uint64_t count = readPod<uint64_t>(pos, end);
            uint64_t error = readPod<uint64_t>(pos, end);
            if (s.index.count(key)) continue;
            s.index.emplace(key, s.counters.size());
            s.counters.push_back({key, count, error});
        }
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& s = Base::data(p);
        auto& arr = static_cast<ColumnArray&>(to);
        size_t n = std::min(k_, s.counters.size());
        for (size_t i = 0; i < n; ++i) {
            if constexpr (kFixed) static_cast<ColumnVector<Key>&>(arr.getData()).insertValue(s.counters[i].key);
            else { const char* pos = s.counters[i].key.data(); arr.getData().deserializeAndInsert(pos); }
        }
        arr.getOffsets().push_back(arr.getData().size());
    }
private:
    size_t k_, capacity_;
    bool weighted_;
};

// ---------------------------------------------------------------- sumMap / minMap / maxMap
enum class MapOp { Sum, Min, Max };
enum class NumKind : uint8_t { Signed, Unsigned, Float };

union Num { int64_t i; uint64_t u; double f; };

struct MapState {
    std::unordered_map<std::string, size_t, StringKeyHash> index;   // serialized key -> entry
    MutableColumnPtr keys;                                           // one row per entry
    std::vector<Num> values;                                         // entries x value columns
};

class SumMap final : public IAggregateFunction {
public:
    SumMap(const std::string& name, const DataTypes& args, DataTypePtr rt, MapOp op, std::vector<NumKind> kinds, DataTypes value_types)
        : IAggregateFunction(name, args, {}, std::move(rt)), op_(op), kinds_(std::move(kinds)), value_types_(std::move(value_types)) {}
    size_t sizeOfData() const override { return sizeof(MapState); }
    size_t alignOfData() const override { return alignof(MapState); }
    void create(AggregateDataPtr p) const override { new (p) MapState{{}, createColumn(argumentTypes()[0]->nested[0]), {}}; }
    void destroy(AggregateDataPtr p) const noexcept override { st(p).~MapState(); }
    static MapState& st(AggregateDataPtr p) { return *reinterpret_cast<MapState*>(p); }
    static const MapState& st(ConstAggregateDataPtr p) { return *reinterpret_cast<const MapState*>(p); }

    Num readNum(const IColumn& c, size_t row, size_t v) const {
        Num n{};
        dispatchNumber(value_types_[v]->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            T x = columnData<T>(&c)[row];
            if constexpr (std::is_floating_point_v<T>) n.f = double(x);
            else if constexpr (std::is_signed_v<T>) n.i = int64_t(x);
            else n.u = uint64_t(x);
        });
        return n;
    }
    void combine(Num& acc, Num x, NumKind k) const {
        switch (op_) {
            case MapOp::Sum:
                if (k == NumKind::Float) acc.f += x.f;
                else acc.u += x.u;   // two's complement: same bits for signed and unsigned
                break;
            case MapOp::Min:
                if (k == NumKind::Float ? x.f < acc.f : k == NumKind::Signed ? x.i < acc.i : x.u < acc.u) acc = x;
                break;
            case MapOp::Max:
                if (k == NumKind::Float ? x.f > acc.f : k == NumKind::Signed ? x.i > acc.i : x.u > acc.u) acc = x;
                break;
        }
    }
    // Adds one (key, values) pair, given the key's serialization.
    void addEntry(MapState& s, std::string&& key, const IColumn& key_col, size_t key_row, const Num* vals) const {
        size_t nv = kinds_.size();
        auto [it, inserted] = s.index.emplace(std::move(key), s.keys->size());
        if (inserted) {
            s.keys->insertFrom(key_col, key_row);
            s.values.insert(s.values.end(), vals, vals + nv);
            return;
        }
        Num* acc = &s.values[it->second * nv];
        for (size_t v = 0; v < nv; ++v) combine(acc[v], vals[v], kinds_[v]);
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        auto& s = st(p);
        size_t nv = kinds_.size();
        auto& karr = static_cast<const ColumnArray&>(*cols[0]);
        size_t b = karr.offsetAt(row), n = karr.sizeAt(row);
        for (size_t v = 0; v < nv; ++v)
            if (static_cast<const ColumnArray&>(*cols[v + 1]).sizeAt(row) != n)
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Sizes of keys and values arrays do not match");
        std::vector<Num> vals(nv);
        for (size_t i = 0; i < n; ++i) {
            if (karr.getData().isNullAt(b + i)) continue;   // NULL keys are skipped
            for (size_t v = 0; v < nv; ++v) {
                auto& varr = static_cast<const ColumnArray&>(*cols[v + 1]);
                vals[v] = readNum(varr.getData(), varr.offsetAt(row) + i, v);
            }
            std::string key;
            karr.getData().serializeValue(b + i, key);
            addEntry(s, std::move(key), karr.getData(), b + i, vals.data());
        }
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& rs = st(r);
        size_t nv = kinds_.size();
        for (size_t e = 0; e < rs.keys->size(); ++e) {
            std::string key;
            rs.keys->serializeValue(e, key);
            addEntry(st(p), std::move(key), *rs.keys, e, &rs.values[e * nv]);
        }
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& s = st(p);
        writePod(out, uint64_t(s.keys->size()));
        for (size_t e = 0; e < s.keys->size(); ++e) s.keys->serializeValue(e, out);
        out.append(reinterpret_cast<const char*>(s.values.data()), s.values.size() * sizeof(Num));
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        uint64_t n = readPod<uint64_t>(pos, end);
        if (n > size_t(end - pos)) throwTruncated();
        size_t nv = kinds_.size();
        auto keys = createColumn(argumentTypes()[0]->nested[0]);
        for (uint64_t i = 0; i < n; ++i) keys->deserializeAndInsert(pos);
        if (size_t(end - pos) / sizeof(Num) < n * nv) throwTruncated();
        std::vector<Num> vals(n * nv);
        if (!vals.empty()) std::memcpy(vals.data(), pos, vals.size() * sizeof(Num));
        pos += vals.size() * sizeof(Num);
        for (size_t e = 0; e < n; ++e) {
            std::string key;
            keys->serializeValue(e, key);
            addEntry(st(p), std::move(key), *keys, e, &vals[e * nv]);
        }
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& s = st(p);
        size_t nv = kinds_.size();
        Permutation perm;
        s.keys->getPermutation(false, 0, 1, perm);
        auto& tuple = static_cast<ColumnTuple&>(to);
        auto& karr = static_cast<ColumnArray&>(*tuple.getColumnPtr(0));
        for (uint32_t e : perm) {
            const Num* vals = &s.values[size_t(e) * nv];
            if (op_ == MapOp::Sum) {
                // Keys whose sums are all zero are dropped.
                bool all_zero = true;
                for (size_t v = 0; v < nv; ++v) all_zero &= kinds_[v] == NumKind::Float ? vals[v].f == 0 : vals[v].u == 0;
                if (all_zero) continue;
            }
            karr.getData().insertFrom(*s.keys, e);
            for (size_t v = 0; v < nv; ++v) {
                auto& varr = static_cast<ColumnArray&>(*tuple.getColumnPtr(v + 1));
                writeNum(varr.getData(), vals[v], v);
            }
        }
        for (size_t c = 0; c <= nv; ++c) {
            auto& arr = static_cast<ColumnArray&>(*tuple.getColumnPtr(c));
            arr.getOffsets().push_back(arr.getData().size());
        }
    }
private:
    void writeNum(IColumn& col, Num n, size_t v) const {
        if (op_ == MapOp::Sum) {
            if (kinds_[v] == NumKind::Float) static_cast<ColumnFloat64&>(col).insertValue(n.f);
            else if (kinds_[v] == NumKind::Signed) static_cast<ColumnInt64&>(col).insertValue(n.i);
            else static_cast<ColumnUInt64&>(col).insertValue(n.u);
            return;
        }
        dispatchNumber(value_types_[v]->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            T x = kinds_[v] == NumKind::Float ? T(n.f) : kinds_[v] == NumKind::Signed ? T(n.i) : T(n.u);
            static_cast<ColumnVector<T>&>(col).insertValue(x);
        });
    }
    MapOp op_;
    std::vector<NumKind> kinds_;
    DataTypes value_types_;
};

AggregateFunctionPtr createMap(const std::string& name, MapOp op, const DataTypes& args, const std::vector<Field>& params) {
    checkNoParams(name, params);
    if (args.size() < 2)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Aggregate function " + name + " requires at least two arguments of Array type");
    for (auto& a : args)
        if (a->id != TypeId::Array) throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Aggregate function " + name + " requires map as argument");
    DataTypes result{args[0]};
    std::vector<NumKind> kinds;
    DataTypes value_types;
    for (size_t i = 1; i < args.size(); ++i) {
        const DataTypePtr& t = args[i]->nested[0];
        bool number = dispatchNumber(t->id, [](auto) {});
        if (!number) throwBadArgType(name, t);
        NumKind k = t->isFloat() ? NumKind::Float : t->isSignedInteger() ? NumKind::Signed : NumKind::Unsigned;
        kinds.push_back(k);
        value_types.push_back(t);
        if (op == MapOp::Sum)
            result.push_back(makeArray(makeType(k == NumKind::Float ? TypeId::Float64 : k == NumKind::Signed ? TypeId::Int64 : TypeId::UInt64)));
        else result.push_back(args[i]);
    }
    return std::make_shared<SumMap>(name, args, makeTuple(result), op, std::move(kinds), std::move(value_types));
}

// ---------------------------------------------------------------- creators
size_t limitParam(const std::string& name, const std::vector<Field>& params) {
    if (params.empty()) return std::numeric_limits<size_t>::max();
    if (params.size() > 1) throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Incorrect number of parameters for aggregate function " + name + ", should be 0 or 1");
    uint64_t n = uintParam(params[0]);
    if (n == 0) throw Exception(ErrorCodes::BAD_ARGUMENTS, "Parameter for aggregate function " + name + " should be positive number");
    return n;
}

AggregateFunctionPtr createGroupUniqArray(const std::string& name, const DataTypes& args, const std::vector<Field>& params) {
    checkArgCount(name, args, 1);
    size_t limit = limitParam(name, params);
    AggregateFunctionPtr r;
    if (args[0]->valueSize() <= 8)
        dispatchFixed(args[0]->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            if constexpr (sizeof(T) <= 8) r = std::make_shared<GroupUniqArrayNumber<T>>(name, args, params, limit);
        });
    if (!r) r = std::make_shared<GroupUniqArrayGeneric>(name, args, params, limit);
    return r;
}

AggregateFunctionPtr createTopK(const std::string& name, const DataTypes& args, const std::vector<Field>& params, bool weighted) {
    checkArgCount(name, args, weighted ? 2 : 1);
    if (weighted && !args[1]->isInteger())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "The second argument for aggregate function '" + name + "' must have integer type");
    if (params.size() > 2)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Aggregate function '" + name + "' requires two parameters or less");
    uint64_t k = 10, load_factor = 3;
    if (!params.empty()) k = uintParam(params[0]);
    if (params.size() > 1) load_factor = uintParam(params[1]);
    if (k == 0 || load_factor == 0)
        throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Parameter 0 is illegal for aggregate function '" + name + "'");
    constexpr uint64_t kMax = 0xFFFFFF;
    if (k > kMax || load_factor > kMax || k * load_factor > kMax)
        throw Exception(ErrorCodes::ARGUMENT_OUT_OF_BOUND, "Too large parameter(s) for aggregate function '" + name + "' (maximum is " + std::to_string(kMax) + ")");
    size_t capacity = k * load_factor;
    AggregateFunctionPtr r;
    dispatchFixed(args[0]->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (sizeof(T) <= 8) r = std::make_shared<TopK<T>>(name, args, params, k, capacity, weighted);
    });
    if (!r) r = std::make_shared<TopK<std::string>>(name, args, params, k, capacity, weighted);
    return r;
}

}  // namespace

void registerCollectionAggregateFunctions(AggregateFunctionFactory& f) {
    f.registerFunction("groupUniqArray", createGroupUniqArray);
    f.registerFunction("topK", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) { return createTopK(n, a, p, false); });
    f.registerFunction("topKWeighted", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) { return createTopK(n, a, p, true); });
    f.registerFunction("sumMap", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) { return createMap(n, MapOp::Sum, a, p); });
    f.registerFunction("minMap", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) { return createMap(n, MapOp::Min, a, p); });
    f.registerFunction("maxMap", [](const std::string& n, const DataTypes& a, const std::vector<Field>& p) { return createMap(n, MapOp::Max, a, p); });
}
}  // namespace basalt
