// quantile.cpp — the quantile family: quantile / median / quantiles (reservoir sample of 8192 values,
// linear interpolation), quantileDeterministic / medianDeterministic / quantilesDeterministic (sample
// chosen by a hash of a second "determinator" argument, so results do not depend on row order or
// threads), and quantileExact / medianExact / quantilesExact with the Low/High variants (all values
// kept, no interpolation: the element at position floor(level * n) of the sorted values).
//
// As in ClickHouse: NaN values are ignored; interpolating functions return Float64 for numbers and
// the argument type for dates and decimals; exact functions return the argument type; an empty
// input gives nan (Float64 results) or zero. Inputs of at most 8192 values are answered exactly by
// every variant.
#include <algorithm>
#include <cmath>

#include "aggregates/aggregate_helpers.h"
#include "common/hash_table.h"

namespace basalt {

namespace {

using namespace agg;

constexpr size_t kSampleSize = 8192;

template <typename T> inline bool isNaNValue(T v) {
    if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
    else return false;
}

template <typename T> double toDouble(T v) { return double(v); }

// Linear interpolation between the neighbours of fractional position level * (n - 1) of sorted v.
template <typename T>
double interpolate(const T* v, size_t n, double level) {
    double index = std::max(0.0, std::min(double(n - 1), level * double(n - 1)));
    size_t left = size_t(index);
    size_t right = left + 1;
    if (right == n) return toDouble(v[left]);
    return toDouble(v[left]) * (double(right) - index) + toDouble(v[right]) * (index - double(left));
}

// A small PCG32 (64-bit multiplicative state, xorshift + random shift output): cheap, good enough
// for sampling, and deterministic per state so repeated runs of a query agree.
struct Pcg32 {
    uint64_t state = 0xcafef00dd15ea5e7ULL;
    uint32_t next() {
        uint64_t old = state;
        state = old * 6364136223846793005ULL;
        uint32_t shift = uint32_t(old >> 61);
        old ^= old >> 22;
        return uint32_t(old >> (22 + shift));
    }
    uint64_t below(uint64_t lim) {
        if (lim <= 0xFFFFFFFFULL) return next() % lim;
        return ((uint64_t(next()) << 32) | next()) % lim;
    }
};

// ---------------------------------------------------------------- reservoir sample
template <typename T>
struct Reservoir {
    PODArray<T> samples;
    uint64_t total = 0;
    Pcg32 rng;
    bool sorted = false;

    void add(T v) {
        if (isNaNValue(v)) return;
        sorted = false;
        ++total;
        if (samples.size() < kSampleSize) { samples.push_back(v); return; }
        uint64_t r = rng.below(total);
        if (r < kSampleSize) samples[r] = v;
    }
    void merge(const Reservoir& b) {
        sorted = false;
        if (b.total <= kSampleSize) {
            for (T v : b.samples) add(v);
        } else if (total <= kSampleSize) {
            PODArray<T> mine;
            mine.swap(samples);
            samples.assign(b.samples.begin(), b.samples.end());
            total = b.total;
            for (T v : mine) add(v);
        } else {
            // Both are samples: take each slot from b with probability b.total / (total + b.total),
            // approximated by replacing every `step`-th slot.
            total += b.total;
            double step = double(total) / double(b.total);
            if (step * 2 >= kSampleSize) {
                uint64_t r = rng.below(uint64_t(step));
                if (r < kSampleSize) samples[r] = b.samples[r];
            } else {
                for (double i = 0; i < kSampleSize; i += step) samples[size_t(i)] = b.samples[size_t(i)];
            }
        }
    }
    void prepare() {
        if (!sorted) { std::sort(samples.begin(), samples.end()); sorted = true; }
    }
    bool empty() const { return samples.size() == 0; }
    double interpolated(double level) { prepare(); return interpolate(samples.data(), samples.size(), level); }
    void serialize(std::string& out) const {
        writePod(out, total);
        writePod(out, rng.state);
        writePod(out, uint64_t(samples.size()));
        out.append(reinterpret_cast<const char*>(samples.data()), samples.size() * sizeof(T));
    }
    void deserialize(const char*& pos, const char* end) {
        total = readPod<uint64_t>(pos, end);
        rng.state = readPod<uint64_t>(pos, end);
        uint64_t n = readPod<uint64_t>(pos, end);
        if (n > kSampleSize || n > total || size_t(end - pos) < n * sizeof(T)) throwTruncated();
        samples.resize(n);
        if (n) std::memcpy(samples.data(), pos, n * sizeof(T));
        pos += n * sizeof(T);
        sorted = false;
    }
};

// ---------------------------------------------------------------- deterministic sample
// Keeps values whose determinator hash has its low `skip` bits zero; when more than kSampleSize are
// kept, the rate halves. The kept set depends only on the multiset of (value, determinator).
template <typename T>
struct DeterministicSample {
    struct Item { T value; uint32_t hash; };
    PODArray<Item> items;
    uint8_t skip = 0;
    bool sorted = false;
    PODArray<T> values;   // sorted copy for answering

    bool good(uint32_t h) const { return (h & ((uint32_t(1) << skip) - 1)) == 0; }
    void addHashed(T v, uint32_t h) {
        if (isNaNValue(v) || !good(h)) return;
        sorted = false;
        items.push_back({v, h});
        while (items.size() > kSampleSize) {
            ++skip;
            size_t w = 0;
            for (size_t i = 0; i < items.size(); ++i)
                if (good(items[i].hash)) items[w++] = items[i];
            items.resize(w);
        }
    }
    void merge(const DeterministicSample& b) {
        if (b.skip > skip) {
            skip = b.skip;
            size_t w = 0;
            for (size_t i = 0; i < items.size(); ++i)
                if (good(items[i].hash)) items[w++] = items[i];
            items.resize(w);
        }
        for (auto& it : b.items) addHashed(it.value, it.hash);
    }
    void prepare() {
        if (sorted) return;
        values.resize(items.size());
        for (size_t i = 0; i < items.size(); ++i) values[i] = items[i].value;
        std::sort(values.begin(), values.end());
        sorted = true;
    }
    bool empty() const { return items.size() == 0; }
    double interpolated(double level) { prepare(); return interpolate(values.data(), values.size(), level); }
    void serialize(std::string& out) const {
        writePod(out, skip);
        writePod(out, uint64_t(items.size()));
        for (auto& it : items) { writePod(out, it.value); writePod(out, it.hash); }
    }
    void deserialize(const char*& pos, const char* end) {
        skip = readPod<uint8_t>(pos, end);
        uint64_t n = readPod<uint64_t>(pos, end);
        if (n > kSampleSize) throwTruncated();
        for (uint64_t i = 0; i < n; ++i) {
            T v = readPod<T>(pos, end);
            uint32_t h = readPod<uint32_t>(pos, end);
            addHashed(v, h);
        }
    }
};

// ---------------------------------------------------------------- exact
template <typename T>
struct ExactValues {
    PODArray<T> values;
    void add(T v) { if (!isNaNValue(v)) values.push_back(v); }
    void merge(const ExactValues& b) { values.append(b.values.data(), b.values.size()); }
    void serialize(std::string& out) const {
        writePod(out, uint64_t(values.size()));
        out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    }
    void deserialize(const char*& pos, const char* end) {
        uint64_t n = readPod<uint64_t>(pos, end);
        if (size_t(end - pos) / sizeof(T) < n) throwTruncated();
        size_t old = values.size();
        values.resize(old + n);
        if (n) std::memcpy(values.data() + old, pos, n * sizeof(T));
        pos += n * sizeof(T);
    }
};

enum class Kind { Sampled, Deterministic, Exact, ExactLow, ExactHigh };

// Position of the answer among n sorted values (exact variants, n > 0).
size_t exactPosition(Kind kind, double level, size_t n) {
    if (level == 0.5 && kind == Kind::ExactLow) return n % 2 ? n / 2 : n / 2 - 1;
    if (level == 0.5 && kind == Kind::ExactHigh) return n / 2;
    return level < 1 ? size_t(level * double(n)) : n - 1;
}

template <typename T, Kind K>
using StoreFor = std::conditional_t<K == Kind::Sampled, Reservoir<T>,
                                    std::conditional_t<K == Kind::Deterministic, DeterministicSample<T>, ExactValues<T>>>;

template <typename T, Kind K>
class Quantile final : public ObjectStateBase<StoreFor<T, K>> {
    using Store = StoreFor<T, K>;
    using Base = ObjectStateBase<Store>;
    static constexpr bool kExact = K == Kind::Exact || K == Kind::ExactLow || K == Kind::ExactHigh;
public:
    Quantile(const std::string& name, const DataTypes& args, const std::vector<Field>& params, DataTypePtr value_type,
             std::vector<double> levels, bool multi, bool float_result)
        : Base(name, args, params, multi ? makeArray(value_type) : value_type), levels_(std::move(levels)), multi_(multi),
          float_result_(float_result) {}

    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        T v = columnData<T>(cols[0])[row];
        if constexpr (K == Kind::Deterministic) Base::data(p).addHashed(v, detHash(cols[1], row));
        else Base::data(p).add(v);
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        if constexpr (K == Kind::Deterministic) {
            IAggregateFunction::addBatch(rows, places, off, cols, a, filter);
        } else {
            const T* d = columnData<T>(cols[0]);
            for (size_t i = 0; i < rows; ++i)
                if (!filter || filter[i]) Base::data(places[i] + off).add(d[i]);
        }
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena* a, const uint8_t* filter) const override {
        if constexpr (K == Kind::Deterministic) {
            IAggregateFunction::addBatchSinglePlace(rows, p, cols, a, filter);
        } else {
            const T* d = columnData<T>(cols[0]);
            Store& s = Base::data(p);
            if constexpr (kExact) {
                if (!filter && !std::is_floating_point_v<T>) { s.values.append(d, rows); return; }
            }
            for (size_t i = 0; i < rows; ++i)
                if (!filter || filter[i]) s.add(d[i]);
        }
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override { Base::data(p).merge(Base::data(r)); }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override { Base::data(p).serialize(out); }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override { Base::data(p).deserialize(pos, end); }

    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        Store& s = Base::data(p);
        IColumn* out = &to;
        if (multi_) out = &static_cast<ColumnArray&>(to).getData();
        for (double level : levels_) {
            if constexpr (kExact) {
                auto& v = s.values;
                T r{};
                if (v.size()) {
                    size_t n = exactPosition(K, level, v.size());
                    std::nth_element(v.begin(), v.begin() + n, v.end());
                    r = v[n];
                }
                static_cast<ColumnVector<T>&>(*out).insertValue(r);
            } else {
                if (float_result_) {
                    double r = s.empty() ? std::numeric_limits<double>::quiet_NaN() : s.interpolated(level);
                    static_cast<ColumnFloat64&>(*out).insertValue(r);
                } else {
                    // Dates and decimals: the interpolated value truncated back to the argument type.
                    T r = s.empty() ? T{} : T(s.interpolated(level));
                    static_cast<ColumnVector<T>&>(*out).insertValue(r);
                }
            }
        }
        if (multi_) {
            auto& arr = static_cast<ColumnArray&>(to);
            arr.getOffsets().push_back(arr.getData().size());
        }
    }

private:
    uint32_t detHash(const IColumn* c, size_t row) const {
        uint64_t k = 0;
        if (c->isFixedAndContiguous()) std::memcpy(&k, c->rawData() + row * c->valueSizeOfFixed(), std::min<size_t>(8, c->valueSizeOfFixed()));
        return uint32_t(intHash64(k));
    }
    std::vector<double> levels_;
    bool multi_;
    bool float_result_;
};

struct Variant {
    const char* name;
    Kind kind;
    bool multi;   // quantiles*: several levels, Array result
};

std::vector<double> parseLevels(const std::string& name, const Variant& v, const std::vector<Field>& params) {
    std::vector<double> levels;
    if (v.multi) {
        if (params.empty())
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH,
                            "Aggregate function for calculation of multiple quantiles require at least one parameter.");
        for (auto& p : params) levels.push_back(floatParam(p));
    } else {
        if (params.size() > 1)
            throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Aggregate function " + name + " requires one level parameter or less.");
        levels.push_back(params.empty() ? 0.5 : floatParam(params[0]));
    }
    for (double l : levels)
        if (!(l >= 0 && l <= 1)) throw Exception(kParameterOutOfBound, "Quantile level is out of range [0..1]");
    return levels;
}

template <Kind K>
AggregateFunctionPtr createTyped(const std::string& name, const DataTypes& args, const std::vector<Field>& params, std::vector<double> levels, bool multi) {
    const DataTypePtr& t = args[0];
    bool allowed = t->isNumber() || t->id == TypeId::Bool || t->isDecimal() || t->id == TypeId::Date || t->id == TypeId::Date32 ||
                   t->id == TypeId::DateTime || t->id == TypeId::DateTime64;
    if (!allowed || t->id == TypeId::UInt256 || t->id == TypeId::Int256 || t->id == TypeId::Decimal256) throwBadArgType(name, t);
    constexpr bool exact = K == Kind::Exact || K == Kind::ExactLow || K == Kind::ExactHigh;
    bool float_result = !exact && (t->isNumber() || t->id == TypeId::Bool);
    DataTypePtr value_type = float_result ? makeType(TypeId::Float64) : t;
    AggregateFunctionPtr r;
    dispatchFixed(t->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        r = std::make_shared<Quantile<T, K>>(name, args, params, value_type, std::move(levels), multi, float_result);
    });
    if (!r) throwBadArgType(name, t);
    return r;
}

AggregateFunctionPtr createQuantile(const std::string& name, const Variant& v, const DataTypes& args, const std::vector<Field>& params) {
    size_t nargs = v.kind == Kind::Deterministic ? 2 : 1;
    if (args.size() != nargs)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH,
                        "Aggregate function " + name + (nargs == 1 ? " requires single argument" : " requires two arguments"));
    if (v.kind == Kind::Deterministic && !args[1]->isInteger())
        throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT,
                        "Illegal type " + args[1]->name() + " of second argument of aggregate function " + name + ", must be integer");
    std::vector<double> levels = parseLevels(name, v, params);
    switch (v.kind) {
        case Kind::Sampled: return createTyped<Kind::Sampled>(name, args, params, std::move(levels), v.multi);
        case Kind::Deterministic: return createTyped<Kind::Deterministic>(name, args, params, std::move(levels), v.multi);
        case Kind::Exact: return createTyped<Kind::Exact>(name, args, params, std::move(levels), v.multi);
        case Kind::ExactLow: return createTyped<Kind::ExactLow>(name, args, params, std::move(levels), v.multi);
        case Kind::ExactHigh: return createTyped<Kind::ExactHigh>(name, args, params, std::move(levels), v.multi);
    }
    return nullptr;
}

}  // namespace

void registerQuantileAggregateFunctions(AggregateFunctionFactory& f) {
    static const Variant variants[] = {
        {"quantile", Kind::Sampled, false},
        {"median", Kind::Sampled, false},
        {"quantiles", Kind::Sampled, true},
        {"quantileDeterministic", Kind::Deterministic, false},
        {"medianDeterministic", Kind::Deterministic, false},
        {"quantilesDeterministic", Kind::Deterministic, true},
        {"quantileExact", Kind::Exact, false},
        {"medianExact", Kind::Exact, false},
        {"quantilesExact", Kind::Exact, true},
        {"quantileExactLow", Kind::ExactLow, false},
        {"medianExactLow", Kind::ExactLow, false},
        {"quantilesExactLow", Kind::ExactLow, true},
        {"quantileExactHigh", Kind::ExactHigh, false},
        {"medianExactHigh", Kind::ExactHigh, false},
        {"quantilesExactHigh", Kind::ExactHigh, true},
    };
    for (const Variant& v : variants) {
        const Variant* vp = &v;
        f.registerFunction(v.name, [vp](const std::string& n, const DataTypes& a, const std::vector<Field>& p) {
            return createQuantile(n, *vp, a, p);
        });
    }
}

}  // namespace basalt
