// aggregate_helpers.h — small shared pieces for the aggregate function implementations in
// statistical.cpp, uniq.cpp, quantile.cpp and collections.cpp: argument/parameter checking with
// ClickHouse's error codes, a base for trivially copyable states, and typed column access.
#pragma once
#include <type_traits>
#include <cmath>
#include <cstring>
#include <new>
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/aggregate_function.h"
#include "common/exception.h"
#include "types/create_column.h"

namespace basalt::agg {

// ClickHouse's PARAMETER_OUT_OF_BOUND; not (yet) in common/exception.h's list.
inline constexpr int kParameterOutOfBound = 12;

// One state of `f` in heap memory, reused: create() / load() make a fresh state (destroying the
// previous one), the destructor destroys the last. For code that needs a scratch state per row
// (-Merge, finalizeAggregation, AggregatingMergeTree merges) without allocating per row.
class ScratchPlace {
public:
    explicit ScratchPlace(const IAggregateFunction& f) : f_(f), buf_(f.sizeOfData() + f.alignOfData()) {
        size_t al = std::max<size_t>(f.alignOfData(), 1);
        place_ = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(buf_.data()) + al - 1) & ~(uintptr_t(al) - 1));
    }
    ScratchPlace(const ScratchPlace&) = delete;
    ScratchPlace& operator=(const ScratchPlace&) = delete;
    ~ScratchPlace() { clear(); }
    char* create() {
        clear();
        f_.create(place_);
        live_ = true;
        return place_;
    }
    // A fresh state deserialized from `state`.
    char* load(std::string_view state, Arena* a) {
        create();
        const char* pos = state.data();
        f_.deserialize(place_, pos, state.data() + state.size(), a);
        return place_;
    }
    void clear() {
        if (live_) f_.destroy(place_);
        live_ = false;
    }
private:
    const IAggregateFunction& f_;
    std::vector<char> buf_;
    char* place_;
    bool live_ = false;
};

template <typename T> inline const T* columnData(const IColumn* c) { return static_cast<const ColumnVector<T>*>(c)->getData().data(); }

[[noreturn]] inline void throwBadArgType(const std::string& fn, const DataTypePtr& t) {
    throw Exception(ErrorCodes::ILLEGAL_TYPE_OF_ARGUMENT, "Illegal type " + t->name() + " of argument for aggregate function " + fn);
}
inline void checkArgCount(const std::string& fn, const DataTypes& args, size_t n) {
    if (args.size() != n)
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Aggregate function " + fn + " requires " + std::to_string(n) +
                                                                          " argument" + (n == 1 ? "" : "s") + ", passed " + std::to_string(args.size()));
}
inline void checkNoParams(const std::string& fn, const std::vector<Field>& params) {
    if (!params.empty())
        throw Exception(ErrorCodes::NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "Aggregate function " + fn + " cannot have parameters");
}

// A numeric parameter as double (quantile levels). Strings are CANNOT_CONVERT_TYPE as in ClickHouse.
inline double floatParam(const Field& f) {
    if (f.is<double>()) return f.get<double>();
    if (f.is<uint64_t>()) return double(f.get<uint64_t>());
    if (f.is<int64_t>()) return double(f.get<int64_t>());
    if (f.is<bool>()) return f.get<bool>() ? 1.0 : 0.0;
    if (f.is<std::string>()) throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Cannot convert String to double");
    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Parameter of aggregate function should be a number, got " + f.toSQL());
}
inline uint64_t uintParam(const Field& f) {
    if (f.is<uint64_t>()) return f.get<uint64_t>();
    if (f.is<int64_t>() && f.get<int64_t>() >= 0) return uint64_t(f.get<int64_t>());
    if (f.is<bool>()) return f.get<bool>();
    if (f.is<std::string>()) throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Cannot convert String to unsigned long");
    throw Exception(ErrorCodes::BAD_ARGUMENTS, "Parameter of aggregate function should be a non-negative integer, got " + f.toSQL());
}

// Integer sums wrap around on overflow, as in ClickHouse. C++ leaves signed overflow undefined, so
// signed integer accumulators add through the unsigned type (the same bits, defined behaviour;
// vectorizes the same).
template <typename A> inline void addTo(A& acc, A v) {
    if constexpr (std::is_integral_v<A> && std::is_signed_v<A>) acc = A(std::make_unsigned_t<A>(acc) + std::make_unsigned_t<A>(v));
    else acc += v;
}

[[noreturn]] inline void throwTruncated() { throw Exception(ErrorCodes::CANNOT_READ_ALL_DATA, "Truncated aggregate state"); }

// Binary reading/writing of state fields.
template <typename T> inline void writePod(std::string& out, const T& v) { out.append(reinterpret_cast<const char*>(&v), sizeof(T)); }
// ClickHouse's VarUInt (LEB128): the state formats of count, uniq and avg use it.
inline void writeVarUInt(std::string& out, uint64_t x) {
    while (x >= 0x80) { out += char(uint8_t(x) | 0x80); x >>= 7; }
    out += char(x);
}
inline uint64_t readVarUInt(const char*& pos, const char* end) {
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) throwTruncated();
        uint8_t b = uint8_t(*pos++);
        x |= uint64_t(b & 0x7F) << shift;
        if (!(b & 0x80)) return x;
    }
    return x;
}
template <typename T> inline T readPod(const char*& pos, const char* end) {
    if (size_t(end - pos) < sizeof(T)) throwTruncated();
    T v;
    std::memcpy(&v, pos, sizeof(T));
    pos += sizeof(T);
    return v;
}

// Base for states that are one trivially copyable struct (moments, counters).
template <typename Data>
class TrivialStateBase : public IAggregateFunction {
public:
    using IAggregateFunction::IAggregateFunction;
    size_t sizeOfData() const override { return sizeof(Data); }
    size_t alignOfData() const override { return alignof(Data); }
    void create(AggregateDataPtr p) const override { new (p) Data{}; }
    void destroy(AggregateDataPtr) const noexcept override {}
    bool hasTrivialDestructor() const override { return true; }
    void serialize(ConstAggregateDataPtr p, std::string& out) const override { out.append(p, sizeof(Data)); }
    void deserialize(AggregateDataPtr p, const char*& pos, const char* end, Arena*) const override {
        if (size_t(end - pos) < sizeof(Data)) throwTruncated();
        std::memcpy(p, pos, sizeof(Data));
        pos += sizeof(Data);
    }
    static Data& data(AggregateDataPtr p) { return *reinterpret_cast<Data*>(p); }
    static const Data& data(ConstAggregateDataPtr p) { return *reinterpret_cast<const Data*>(p); }
};

// Base for states that own heap memory: a C++ object constructed in place and destroyed in destroy().
template <typename Data>
class ObjectStateBase : public IAggregateFunction {
public:
    using IAggregateFunction::IAggregateFunction;
    size_t sizeOfData() const override { return sizeof(Data); }
    size_t alignOfData() const override { return alignof(Data); }
    void create(AggregateDataPtr p) const override { new (p) Data{}; }
    void destroy(AggregateDataPtr p) const noexcept override { data(p).~Data(); }
    static Data& data(AggregateDataPtr p) { return *reinterpret_cast<Data*>(p); }
    static const Data& data(ConstAggregateDataPtr p) { return *reinterpret_cast<const Data*>(p); }
};

// Converts rows of a numeric or Decimal column to double, in one typed loop per block. Decimal values
// are divided by 10^scale (ClickHouse converts Decimal to Float64 the same way).
struct DoubleReader {
    using BatchFn = void (*)(const IColumn*, size_t, double, double*);
    using RowFn = double (*)(const IColumn*, size_t, double);
    BatchFn batch = nullptr;
    RowFn row = nullptr;
    double divisor = 1;

    // Returns false when the type is not numeric/Decimal/Bool.
    bool init(const DataTypePtr& t) {
        bool ok = false;
        auto set = [&](auto tag) {
            using T = typename decltype(tag)::type;
            batch = [](const IColumn* c, size_t n, double div, double* out) {
                const T* d = columnData<T>(c);
                if (div == 1) for (size_t i = 0; i < n; ++i) out[i] = double(d[i]);
                else for (size_t i = 0; i < n; ++i) out[i] = double(d[i]) / div;
            };
            row = [](const IColumn* c, size_t i, double div) { return div == 1 ? double(columnData<T>(c)[i]) : double(columnData<T>(c)[i]) / div; };
            ok = true;
        };
        if (t->isDecimal() && t->id != TypeId::Decimal256) {
            divisor = std::pow(10.0, double(t->scale));
            if (t->id == TypeId::Decimal32) set(TypeTag<int32_t>{});
            else if (t->id == TypeId::Decimal64) set(TypeTag<int64_t>{});
            else set(TypeTag<Int128>{});
            return ok;
        }
        if (t->id == TypeId::UInt128) { set(TypeTag<UInt128>{}); return ok; }
        if (t->id == TypeId::Int128) { set(TypeTag<Int128>{}); return ok; }
        dispatchNumber(t->id, set);
        return ok;
    }
};

}  // namespace basalt::agg

namespace basalt {
// Registration entry points of the files behind registerStatisticalAggregateFunctions.
void registerUniqAggregateFunctions(AggregateFunctionFactory& f);
void registerQuantileAggregateFunctions(AggregateFunctionFactory& f);
void registerCollectionAggregateFunctions(AggregateFunctionFactory& f);
}  // namespace basalt
