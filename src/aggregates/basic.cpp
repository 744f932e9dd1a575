// basic.cpp — count, sum, avg, min, max, any, anyLast, argMin, argMax, groupArray,
// groupBitAnd/Or/Xor. Numeric arguments get typed states and tight batch loops; other types use a
// generic Field-based state (correct for every type, slower, never on the numeric hot path).
#include <cmath>
#include <limits>
#include <new>
#include <unordered_set>

#include "aggregates/aggregate_function.h"
#include "aggregates/aggregate_helpers.h"
#include "common/exception.h"
#include "common/hash_table.h"
#include "common/wide_integer.h"
#include "types/create_column.h"

namespace basalt {

namespace {

template <typename T> const T* columnData(const IColumn* c) { return static_cast<const ColumnVector<T>*>(c)->getData().data(); }

[[noreturn]] void badArgType(const std::string& fn, const DataTypePtr& t) {
    throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of argument for aggregate function " + fn);
}
void checkArgs(const std::string& fn, const DataTypes& args, size_t n) {
    if (args.size() != n)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Aggregate function " + fn + " requires " + std::to_string(n) +
                                                                          " argument" + (n == 1 ? "" : "s") + ", passed " + std::to_string(args.size()));
}

// States that are one trivially copyable struct share TrivialStateBase (aggregate_helpers.h).
using agg::TrivialStateBase;
using agg::addTo;

// ---------------------------------------------------------------- count
class Count final : public TrivialStateBase<uint64_t> {
public:
    Count(DataTypes args) : TrivialStateBase("count", std::move(args), {}, makeType(TypeId::UInt64)) {}
    void add(AggregateDataPtr p, const IColumn**, size_t, Arena*) const override { ++data(p); }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn**, Arena*, const uint8_t* filter) const override {
        if (filter) {
            for (size_t i = 0; i < rows; ++i) if (filter[i]) ++data(places[i] + off);
            return;
        }
        // Groups' states are scattered over the arena (a million groups: a cache miss each), so
        // they are prefetched a few rows ahead.
        constexpr size_t kAhead = 16;
        size_t i = 0;
        for (; i + kAhead < rows; ++i) {
            __builtin_prefetch(places[i + kAhead] + off, 1);
            ++data(places[i] + off);
        }
        for (; i < rows; ++i) ++data(places[i] + off);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn**, Arena*, const uint8_t* filter) const override {
        if (!filter) { data(p) += rows; return; }
        uint64_t n = 0;
        for (size_t i = 0; i < rows; ++i) n += filter[i] != 0;
        data(p) += n;
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override { data(p) += data(r); }
    // ClickHouse's state format: the count as VarUInt.
    void serialize(ConstAggregateDataPtr p, std::string& out) const override { agg::writeVarUInt(out, data(p)); }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override { data(p) = agg::readVarUInt(pos, end); }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override { static_cast<ColumnUInt64&>(to).insertValue(data(p)); }
    void insertResultsInto(AggregateDataPtr* places, size_t n, size_t off, IColumn& to, Arena*) const override {
        auto& out = static_cast<ColumnUInt64&>(to).getData();
        size_t base = out.size();
        out.resize(base + n);
        for (size_t i = 0; i < n; ++i) out[base + i] = data(places[i] + off);
    }
    bool isCountStar() const override { return argumentTypes().empty(); }
};

// ---------------------------------------------------------------- sum / avg
template <typename T, typename Acc>
class Sum final : public TrivialStateBase<Acc> {
    using Base = TrivialStateBase<Acc>;
public:
    Sum(const std::string& name, DataTypes args, DataTypePtr rt) : Base(name, std::move(args), {}, std::move(rt)) {}
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override { addTo(Base::data(p), Acc(columnData<T>(cols[0])[row])); }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        const T* d = columnData<T>(cols[0]);
        if (filter) { for (size_t i = 0; i < rows; ++i) if (filter[i]) addTo(Base::data(places[i] + off), Acc(d[i])); return; }
        // Runs of one group (keys that follow the table's sort order) are summed in a register:
        // a load-add-store on the same state per row waits on the previous row's store.
        for (size_t i = 0; i < rows;) {
            AggregateDataPtr p = places[i];
            Acc s = Acc(d[i]);
            size_t j = i + 1;
            for (; j < rows && places[j] == p; ++j) addTo(s, Acc(d[j]));
            addTo(Base::data(p + off), s);
            i = j;
        }
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        const T* d = columnData<T>(cols[0]);
        if (filter) {
            Acc s{};
            for (size_t i = 0; i < rows; ++i) addTo(s, filter[i] ? Acc(d[i]) : Acc(0));
            addTo(Base::data(p), s);
            return;
        }
        // Independent partial sums let the compiler vectorize (integers) and shorten the float
        // dependency chain; integer results are exact either way.
        constexpr size_t U = 8;
        Acc part[U] = {};
        size_t i = 0;
        for (; i + U <= rows; i += U)
            for (size_t k = 0; k < U; ++k) addTo(part[k], Acc(d[i + k]));
        Acc s{};
        for (size_t k = 0; k < U; ++k) addTo(s, part[k]);
        for (; i < rows; ++i) addTo(s, Acc(d[i]));
        addTo(Base::data(p), s);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override { addTo(Base::data(p), Base::data(r)); }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override { static_cast<ColumnVector<Acc>&>(to).insertValue(Base::data(p)); }
};

template <typename Acc> struct AvgData { Acc sum; uint64_t count; };

template <typename T, typename Acc>
class Avg final : public TrivialStateBase<AvgData<Acc>> {
    using Base = TrivialStateBase<AvgData<Acc>>;
public:
    // scale_div: 10^S for Decimal(P, S) arguments, whose sum is kept as a scaled Int128.
    Avg(DataTypes args, double scale_div = 1) : Base("avg", std::move(args), {}, makeType(TypeId::Float64)), scale_div_(scale_div) {}
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        auto& d = Base::data(p);
        addTo(d.sum, Acc(columnData<T>(cols[0])[row]));
        ++d.count;
    }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        const T* v = columnData<T>(cols[0]);
        if (filter) {
            for (size_t i = 0; i < rows; ++i) {
                if (!filter[i]) continue;
                auto& d = Base::data(places[i] + off);
                addTo(d.sum, Acc(v[i]));
                ++d.count;
            }
            return;
        }
        // Runs of one group summed in registers, as Sum::addBatch.
        for (size_t i = 0; i < rows;) {
            AggregateDataPtr p = places[i];
            Acc s = Acc(v[i]);
            size_t j = i + 1;
            for (; j < rows && places[j] == p; ++j) addTo(s, Acc(v[j]));
            auto& d = Base::data(p + off);
            addTo(d.sum, s);
            d.count += j - i;
            i = j;
        }
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        const T* v = columnData<T>(cols[0]);
        auto& d = Base::data(p);
        if (filter) {
            for (size_t i = 0; i < rows; ++i) if (filter[i]) { addTo(d.sum, Acc(v[i])); ++d.count; }
            return;
        }
        constexpr size_t U = 8;
        Acc part[U] = {};
        size_t i = 0;
        for (; i + U <= rows; i += U)
            for (size_t k = 0; k < U; ++k) addTo(part[k], Acc(v[i + k]));
        Acc s{};
        for (size_t k = 0; k < U; ++k) addTo(s, part[k]);
        for (; i < rows; ++i) addTo(s, Acc(v[i]));
        addTo(d.sum, s);
        d.count += rows;
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        addTo(Base::data(p).sum, Base::data(r).sum);
        Base::data(p).count += Base::data(r).count;
    }
    // ClickHouse's state format: the numerator as stored, then the count as VarUInt.
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& d = Base::data(p);
        out.append(reinterpret_cast<const char*>(&d.sum), sizeof(Acc));
        agg::writeVarUInt(out, d.count);
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& d = Base::data(p);
        if (size_t(end - pos) < sizeof(Acc)) agg::throwTruncated();
        std::memcpy(&d.sum, pos, sizeof(Acc));
        pos += sizeof(Acc);
        d.count = agg::readVarUInt(pos, end);
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& d = Base::data(p);
        // Empty input: 0/0 would be a negative-signed NaN on x86 (printed "-nan"); ClickHouse shows nan.
        // Decimals: the sum converts to Float64 first, then divides by the count (as ClickHouse).
        static_cast<ColumnFloat64&>(to).insertValue(d.count ? double(d.sum) / scale_div_ / double(d.count) : std::numeric_limits<double>::quiet_NaN());
    }
private:
    double scale_div_ = 1;
};

// Calls f(TypeTag<T>) with the storage type of Decimal32/64/128; false for other types.
template <typename F>
bool dispatchDecimalStorage(TypeId id, F&& f) {
    switch (id) {
        case TypeId::Decimal32: f(TypeTag<int32_t>{}); return true;
        case TypeId::Decimal64: f(TypeTag<int64_t>{}); return true;
        case TypeId::Decimal128: f(TypeTag<Int128>{}); return true;
        default: return false;
    }
}

// ---------------------------------------------------------------- min / max / any / anyLast (numeric)
enum class Pick { Min, Max, Any, AnyLast };

template <typename T> struct PickData { T value; bool has; };

template <typename T>
class PickNumeric final : public TrivialStateBase<PickData<T>> {
    using Base = TrivialStateBase<PickData<T>>;
public:
    PickNumeric(const std::string& name, Pick pick, DataTypes args) : Base(name, args, {}, args[0]), pick_(pick) {}
    inline void update(PickData<T>& d, T v) const {
        if (!d.has) { d.value = v; d.has = true; return; }
        switch (pick_) {
            case Pick::Min: if (v < d.value) d.value = v; break;
            case Pick::Max: if (v > d.value) d.value = v; break;
            case Pick::Any: break;
            case Pick::AnyLast: d.value = v; break;
        }
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override { update(Base::data(p), columnData<T>(cols[0])[row]); }
    void addBatch(size_t rows, AggregateDataPtr* places, size_t off, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        const T* v = columnData<T>(cols[0]);
        for (size_t i = 0; i < rows; ++i) if (!filter || filter[i]) update(Base::data(places[i] + off), v[i]);
    }
    void addBatchSinglePlace(size_t rows, AggregateDataPtr p, const IColumn** cols, Arena*, const uint8_t* filter) const override {
        const T* v = columnData<T>(cols[0]);
        auto& d = Base::data(p);
        if (filter || pick_ == Pick::Any || pick_ == Pick::AnyLast || rows == 0 || std::is_floating_point_v<T>) {
            for (size_t i = 0; i < rows; ++i) if (!filter || filter[i]) update(d, v[i]);
            return;
        }
        T m = v[0];
        if (pick_ == Pick::Min) for (size_t i = 1; i < rows; ++i) m = v[i] < m ? v[i] : m;
        else for (size_t i = 1; i < rows; ++i) m = v[i] > m ? v[i] : m;
        update(d, m);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& rd = Base::data(r);
        if (!rd.has) return;
        if (pick_ == Pick::Any && Base::data(p).has) return;
        update(Base::data(p), rd.value);
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        static_cast<ColumnVector<T>&>(to).insertValue(Base::data(p).value);
    }
    // ClickHouse's state format: a has-value byte, then the value when there is one.
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& d = Base::data(p);
        out += char(d.has);
        if (d.has) out.append(reinterpret_cast<const char*>(&d.value), sizeof(T));
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& d = Base::data(p);
        if (pos >= end) agg::throwTruncated();
        d.has = *pos++ != 0;
        if (d.has) {
            if (size_t(end - pos) < sizeof(T)) agg::throwTruncated();
            std::memcpy(&d.value, pos, sizeof(T));
            pos += sizeof(T);
        }
    }
private:
    Pick pick_;
};

// Generic single-value state over any type: keeps a one-row column copy.
struct GenericValue {
    MutableColumnPtr value;   // 0 or 1 rows
};

class PickGeneric final : public IAggregateFunction {
public:
    PickGeneric(const std::string& name, Pick pick, DataTypes args) : IAggregateFunction(name, args, {}, args[0]), pick_(pick) {}
    size_t sizeOfData() const override { return sizeof(GenericValue); }
    size_t alignOfData() const override { return alignof(GenericValue); }
    void create(AggregateDataPtr p) const override { new (p) GenericValue{createColumn(resultType())}; }
    void destroy(AggregateDataPtr p) const noexcept override { reinterpret_cast<GenericValue*>(p)->~GenericValue(); }
    void consider(GenericValue& d, const IColumn& col, size_t row) const {
        if (d.value->size() == 0) { d.value->insertFrom(col, row); return; }
        bool replace = false;
        switch (pick_) {
            case Pick::Min: replace = col.compareAt(row, 0, *d.value, 1) < 0; break;
            case Pick::Max: replace = col.compareAt(row, 0, *d.value, -1) > 0; break;
            case Pick::Any: break;
            case Pick::AnyLast: replace = true; break;
        }
        if (replace) { d.value->popBack(1); d.value->insertFrom(col, row); }
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        consider(*reinterpret_cast<GenericValue*>(p), *cols[0], row);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& rd = *reinterpret_cast<const GenericValue*>(r);
        if (rd.value->size()) consider(*reinterpret_cast<GenericValue*>(p), *rd.value, 0);
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& d = *reinterpret_cast<const GenericValue*>(p);
        out += char(d.value->size());
        if (d.value->size()) d.value->serializeValue(0, out);
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& d = *reinterpret_cast<GenericValue*>(p);
        if (pos >= end) throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Truncated aggregate state");
        if (*pos++) d.value->deserializeAndInsert(pos);
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& d = *reinterpret_cast<GenericValue*>(p);
        if (d.value->size()) to.insertFrom(*d.value, 0);
        else to.insertDefault();
    }
private:
    Pick pick_;
};

// ---------------------------------------------------------------- singleValueOrNull
// The value when every (non-NULL) row holds the same one; NULL for no rows or several distinct values.
struct SingleValueState { MutableColumnPtr value; bool many = false; };

class SingleValueOrNull final : public IAggregateFunction {
public:
    SingleValueOrNull(const std::string& name, DataTypes args)
        : IAggregateFunction(name, args, {}, args[0]->canBeInsideNullable() ? makeNullable(args[0]) : args[0]) {}
    size_t sizeOfData() const override { return sizeof(SingleValueState); }
    size_t alignOfData() const override { return alignof(SingleValueState); }
    void create(AggregateDataPtr p) const override { new (p) SingleValueState{createColumn(argumentTypes()[0]), false}; }
    void destroy(AggregateDataPtr p) const noexcept override { reinterpret_cast<SingleValueState*>(p)->~SingleValueState(); }
    void consider(SingleValueState& d, const IColumn& col, size_t row) const {
        if (d.many) return;
        if (d.value->size() == 0) { d.value->insertFrom(col, row); return; }
        if (col.compareAt(row, 0, *d.value, 1) != 0) d.many = true;
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        consider(*reinterpret_cast<SingleValueState*>(p), *cols[0], row);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& rd = *reinterpret_cast<const SingleValueState*>(r);
        auto& d = *reinterpret_cast<SingleValueState*>(p);
        if (rd.many) d.many = true;
        else if (rd.value->size()) consider(d, *rd.value, 0);
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& d = *reinterpret_cast<const SingleValueState*>(p);
        out += char(d.value->size());
        if (d.value->size()) d.value->serializeValue(0, out);
        out += char(d.many);
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& d = *reinterpret_cast<SingleValueState*>(p);
        if (pos >= end) throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Truncated aggregate state");
        if (*pos++) d.value->deserializeAndInsert(pos);
        if (pos >= end) throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Truncated aggregate state");
        d.many = *pos++ != 0;
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& d = *reinterpret_cast<SingleValueState*>(p);
        if (!to.isNullable()) {
            if (d.value->size() && !d.many) to.insertFrom(*d.value, 0);
            else to.insertDefault();
            return;
        }
        auto& n = static_cast<ColumnNullable&>(to);
        if (d.value->size() && !d.many) {
            n.insertFromNotNullable(*d.value, 0);
        } else {
            to.insertDefault();
        }
    }
};

// ---------------------------------------------------------------- argMin / argMax
struct ArgState { MutableColumnPtr arg; MutableColumnPtr val; };

class ArgMinMax final : public IAggregateFunction {
public:
    ArgMinMax(const std::string& name, bool is_max, DataTypes args) : IAggregateFunction(name, args, {}, args[0]), is_max_(is_max) {}
    size_t sizeOfData() const override { return sizeof(ArgState); }
    size_t alignOfData() const override { return alignof(ArgState); }
    void create(AggregateDataPtr p) const override { new (p) ArgState{createColumn(argumentTypes()[0]), createColumn(argumentTypes()[1])}; }
    void destroy(AggregateDataPtr p) const noexcept override { reinterpret_cast<ArgState*>(p)->~ArgState(); }
    void consider(ArgState& d, const IColumn& a, const IColumn& v, size_t row) const {
        if (d.val->size()) {
            int c = v.compareAt(row, 0, *d.val, is_max_ ? -1 : 1);
            if (is_max_ ? c <= 0 : c >= 0) return;
            d.val->popBack(1);
            d.arg->popBack(1);
        }
        d.val->insertFrom(v, row);
        d.arg->insertFrom(a, row);
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        consider(*reinterpret_cast<ArgState*>(p), *cols[0], *cols[1], row);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& rd = *reinterpret_cast<const ArgState*>(r);
        if (rd.val->size()) consider(*reinterpret_cast<ArgState*>(p), *rd.arg, *rd.val, 0);
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& d = *reinterpret_cast<const ArgState*>(p);
        out += char(d.val->size());
        if (d.val->size()) { d.arg->serializeValue(0, out); d.val->serializeValue(0, out); }
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& d = *reinterpret_cast<ArgState*>(p);
        if (pos >= end) throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Truncated aggregate state");
        if (*pos++) { d.arg->deserializeAndInsert(pos); d.val->deserializeAndInsert(pos); }
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& d = *reinterpret_cast<ArgState*>(p);
        if (d.arg->size()) to.insertFrom(*d.arg, 0);
        else to.insertDefault();
    }
private:
    bool is_max_;
};

// ---------------------------------------------------------------- groupArray
struct ArrayState { MutableColumnPtr values; };

class GroupArray final : public IAggregateFunction {
public:
    GroupArray(const std::string& name, DataTypes args, std::vector<Field> params, size_t max_size)
        : IAggregateFunction(name, args, std::move(params), makeArray(args[0])), max_size_(max_size) {}
    size_t sizeOfData() const override { return sizeof(ArrayState); }
    size_t alignOfData() const override { return alignof(ArrayState); }
    void create(AggregateDataPtr p) const override { new (p) ArrayState{createColumn(argumentTypes()[0])}; }
    void destroy(AggregateDataPtr p) const noexcept override { reinterpret_cast<ArrayState*>(p)->~ArrayState(); }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override {
        auto& d = *reinterpret_cast<ArrayState*>(p);
        if (d.values->size() < max_size_) d.values->insertFrom(*cols[0], row);
    }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override {
        auto& d = *reinterpret_cast<ArrayState*>(p);
        auto& rd = *reinterpret_cast<const ArrayState*>(r);
        size_t take = std::min(rd.values->size(), max_size_ - std::min(max_size_, d.values->size()));
        d.values->insertRangeFrom(*rd.values, 0, take);
    }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override {
        auto& d = *reinterpret_cast<const ArrayState*>(p);
        uint64_t n = d.values->size();
        out.append(reinterpret_cast<const char*>(&n), 8);
        for (size_t i = 0; i < n; ++i) d.values->serializeValue(i, out);
    }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        auto& d = *reinterpret_cast<ArrayState*>(p);
        if (end - pos < 8) throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Truncated aggregate state");
        uint64_t n;
        std::memcpy(&n, pos, 8);
        pos += 8;
        if (n > size_t(end - pos)) throw Exception(ErrorCodes::TOO_LARGE_ARRAY_SIZE, "Too large array size in aggregate state");
        for (size_t i = 0; i < n; ++i) d.values->deserializeAndInsert(pos);
    }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override {
        auto& d = *reinterpret_cast<ArrayState*>(p);
        auto& arr = static_cast<ColumnArray&>(to);
        arr.getData().insertRangeFrom(*d.values, 0, d.values->size());
        arr.getOffsets().push_back(arr.getData().size());
    }
private:
    size_t max_size_;
};

// ---------------------------------------------------------------- groupBit*
enum class BitOp { And, Or, Xor };
template <typename T>
class GroupBit final : public TrivialStateBase<PickData<T>> {
    using Base = TrivialStateBase<PickData<T>>;
public:
    GroupBit(const std::string& name, BitOp op, DataTypes args) : Base(name, args, {}, args[0]), op_(op) {}
    void apply(PickData<T>& d, T v) const {
        if (!d.has) { d.value = v; d.has = true; return; }
        d.value = op_ == BitOp::And ? T(d.value & v) : op_ == BitOp::Or ? T(d.value | v) : T(d.value ^ v);
    }
    void add(AggregateDataPtr p, const IColumn** cols, size_t row, Arena*) const override { apply(Base::data(p), columnData<T>(cols[0])[row]); }
    void merge(AggregateDataPtr p, ConstAggregateDataPtr r, Arena*) const override { if (Base::data(r).has) apply(Base::data(p), Base::data(r).value); }
    void insertResultInto(AggregateDataPtr p, IColumn& to, Arena*) const override { static_cast<ColumnVector<T>&>(to).insertValue(Base::data(p).value); }
private:
    BitOp op_;
};

bool isSummable(const DataTypePtr& t) { return t->isNumber() || t->id == TypeId::Bool; }

AggregateFunctionPtr createSum(const std::string& name, const DataTypes& args, const std::vector<Field>&) {
    checkArgs(name, args, 1);
    AggregateFunctionPtr r;
    const DataTypePtr& t = args[0];
    // sum(Decimal(P, S)) -> Decimal(38, S), accumulated exactly in 128 bits.
    if (dispatchDecimalStorage(t->id, [&](auto tag) {
            r = std::make_shared<Sum<typename decltype(tag)::type, Int128>>(name, args, makeDecimal(38, t->scale));
        }))
        return r;
    // 128/256-bit integers and Decimal256 keep their type (the 256-bit sum wraps like ClickHouse's).
    switch (t->id) {
        case TypeId::Int128: return std::make_shared<Sum<Int128, Int128>>(name, args, t);
        case TypeId::UInt128: return std::make_shared<Sum<UInt128, UInt128>>(name, args, t);
        case TypeId::Int256: return std::make_shared<Sum<Int256, Int256>>(name, args, t);
        case TypeId::UInt256: return std::make_shared<Sum<UInt256, UInt256>>(name, args, t);
        case TypeId::Decimal256: return std::make_shared<Sum<Int256, Int256>>(name, args, makeDecimal(76, t->scale));
        default: break;
    }
    if (!isSummable(t)) badArgType(name, t);
    dispatchNumber(t->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_floating_point_v<T>) r = std::make_shared<Sum<T, double>>(name, args, makeType(TypeId::Float64));
        else if constexpr (std::is_signed_v<T>) r = std::make_shared<Sum<T, int64_t>>(name, args, makeType(TypeId::Int64));
        else r = std::make_shared<Sum<T, uint64_t>>(name, args, makeType(TypeId::UInt64));
    });
    return r;
}

// sumWithOverflow(x): the sum in x's own type, wrapping (SummingMergeTree sums columns this way).
AggregateFunctionPtr createSumWithOverflow(const std::string& name, const DataTypes& args, const std::vector<Field>&) {
    checkArgs(name, args, 1);
    AggregateFunctionPtr r;
    const DataTypePtr& t = args[0];
    DataTypePtr rt = removeSimpleAggregate(t);
    if (dispatchDecimalStorage(t->id, [&](auto tag) {
            using S = typename decltype(tag)::type;
            r = std::make_shared<Sum<S, S>>(name, args, rt);
        }))
        return r;
    switch (t->id) {
        case TypeId::Int128: return std::make_shared<Sum<Int128, Int128>>(name, args, rt);
        case TypeId::UInt128: return std::make_shared<Sum<UInt128, UInt128>>(name, args, rt);
        case TypeId::Int256: case TypeId::Decimal256: return std::make_shared<Sum<Int256, Int256>>(name, args, rt);
        case TypeId::UInt256: return std::make_shared<Sum<UInt256, UInt256>>(name, args, rt);
        default: break;
    }
    if (!isSummable(t)) badArgType(name, t);
    dispatchNumber(t->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        r = std::make_shared<Sum<T, T>>(name, args, rt);
    });
    return r;
}

AggregateFunctionPtr createAvg(const std::string& name, const DataTypes& args, const std::vector<Field>&) {
    checkArgs(name, args, 1);
    AggregateFunctionPtr r;
    if (dispatchDecimalStorage(args[0]->id, [&](auto tag) {
            double div = 1;
            for (uint32_t i = 0; i < args[0]->scale; ++i) div *= 10;
            r = std::make_shared<Avg<typename decltype(tag)::type, Int128>>(args, div);
        }))
        return r;
    switch (args[0]->id) {
        case TypeId::Int128: return std::make_shared<Avg<Int128, Int128>>(args);
        case TypeId::UInt128: return std::make_shared<Avg<UInt128, UInt128>>(args);
        case TypeId::Int256: return std::make_shared<Avg<Int256, Int256>>(args);
        case TypeId::UInt256: return std::make_shared<Avg<UInt256, UInt256>>(args);
        case TypeId::Decimal256: {
            double div = 1;
            for (uint32_t i = 0; i < args[0]->scale; ++i) div *= 10;
            return std::make_shared<Avg<Int256, Int256>>(args, div);
        }
        default: break;
    }
    if (!isSummable(args[0])) badArgType(name, args[0]);
    dispatchNumber(args[0]->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_floating_point_v<T>) r = std::make_shared<Avg<T, double>>(args);
        else if constexpr (std::is_signed_v<T>) r = std::make_shared<Avg<T, int64_t>>(args);
        else r = std::make_shared<Avg<T, uint64_t>>(args);
    });
    return r;
}

AggregateFunctionPtr createPick(const std::string& name, Pick pick, const DataTypes& args) {
    checkArgs(name, args, 1);
    AggregateFunctionPtr r;
    if (args[0]->id == TypeId::Nothing) return std::make_shared<PickGeneric>(name, pick, args);
    if (args[0]->id == TypeId::Int256 || args[0]->id == TypeId::Decimal256) return std::make_shared<PickNumeric<Int256>>(name, pick, args);
    if (args[0]->id == TypeId::UInt256) return std::make_shared<PickNumeric<UInt256>>(name, pick, args);
    bool typed = dispatchFixed(args[0]->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        r = std::make_shared<PickNumeric<T>>(name, pick, args);
    });
    if (!typed) r = std::make_shared<PickGeneric>(name, pick, args);
    return r;
}

}  // namespace

void registerBasicAggregateFunctions(AggregateFunctionFactory& f) {
    f.registerFunction("count", [](const std::string&, const DataTypes& args, const std::vector<Field>&) -> AggregateFunctionPtr {
        return std::make_shared<Count>(args);
    }, true);
    f.registerFunction("sum", createSum, true);
    f.registerFunction("avg", createAvg, true);
    f.registerFunction("sumWithOverflow", createSumWithOverflow);
    f.registerFunction("min", [](auto& n, auto& a, auto&) { return createPick(n, Pick::Min, a); }, true);
    f.registerFunction("max", [](auto& n, auto& a, auto&) { return createPick(n, Pick::Max, a); }, true);
    f.registerFunction("any", [](auto& n, auto& a, auto&) { return createPick(n, Pick::Any, a); }, true);
    f.registerFunction("any_value", [](auto& n, auto& a, auto&) { return createPick(n, Pick::Any, a); }, true);
    f.registerFunction("first_value", [](auto& n, auto& a, auto&) { return createPick(n, Pick::Any, a); }, true);
    f.registerFunction("anyLast", [](auto& n, auto& a, auto&) { return createPick(n, Pick::AnyLast, a); });
    f.registerFunction("last_value", [](auto& n, auto& a, auto&) { return createPick(n, Pick::AnyLast, a); }, true);
    f.registerFunction("singleValueOrNull", [](const std::string& n, const DataTypes& a, const std::vector<Field>&) -> AggregateFunctionPtr {
        checkArgs(n, a, 1);
        return std::make_shared<SingleValueOrNull>(n, a);
    });
    for (auto [name, is_max] : {std::pair{"argMin", false}, std::pair{"argMax", true}}) {
        bool m = is_max;
        f.registerFunction(name, [m](const std::string& n, const DataTypes& a, const std::vector<Field>&) -> AggregateFunctionPtr {
            checkArgs(n, a, 2);
            return std::make_shared<ArgMinMax>(n, m, a);
        });
    }
    f.registerFunction("groupArray", [](const std::string& n, const DataTypes& a, const std::vector<Field>& params) -> AggregateFunctionPtr {
        checkArgs(n, a, 1);
        size_t max_size = std::numeric_limits<size_t>::max();
        if (!params.empty()) {
            if (!params[0].is<uint64_t>() || params[0].get<uint64_t>() == 0)
                throw Exception(ErrorCodes::BAD_ARGUMENTS, "Parameter for aggregate function " + n + " should be positive number");
            max_size = params[0].get<uint64_t>();
        }
        return std::make_shared<GroupArray>(n, a, params, max_size);
    });
    for (auto [name, op] : {std::pair{"groupBitAnd", BitOp::And}, std::pair{"groupBitOr", BitOp::Or}, std::pair{"groupBitXor", BitOp::Xor}}) {
        BitOp o = op;
        f.registerFunction(name, [o](const std::string& n, const DataTypes& a, const std::vector<Field>&) -> AggregateFunctionPtr {
            checkArgs(n, a, 1);
            AggregateFunctionPtr r;
            if (!a[0]->isInteger()) badArgType(n, a[0]);
            switch (a[0]->id) {
                case TypeId::Int128: return std::make_shared<GroupBit<Int128>>(n, o, a);
                case TypeId::UInt128: return std::make_shared<GroupBit<UInt128>>(n, o, a);
                case TypeId::Int256: return std::make_shared<GroupBit<Int256>>(n, o, a);
                case TypeId::UInt256: return std::make_shared<GroupBit<UInt256>>(n, o, a);
                default: break;
            }
            dispatchNumber(a[0]->id, [&](auto tag) {
                using T = typename decltype(tag)::type;
                if constexpr (std::is_integral_v<T>) r = std::make_shared<GroupBit<T>>(n, o, a);
            });
            return r;
        });
    }
}

}  // namespace basalt
