// cast_wide.cpp — conversions that involve Int256, UInt256 or Decimal256 (castColumn hands them
// over after its Nullable / LowCardinality / String handling). Kept apart so the 256-bit type is
// not instantiated into cast.cpp's per-type kernels: values go through one Int256 representation
// (plus a scale for decimals), then are written to the target type with ClickHouse's rules:
// integers wrap, decimal -> integer and anything -> decimal check ranges (DECIMAL_OVERFLOW),
// accurateCast checks every range (CANNOT_CONVERT_TYPE), and in OrNull/OrZero modes failing rows are
// marked in `bad` instead.
#include <cmath>
#include <limits>

#include "common/exception.h"
#include "common/wide_integer.h"
#include "functions/cast.h"
#include "types/create_column.h"

namespace basalt {

namespace {

// The source as Int256 bits (`huge`: a UInt256 value >= 2^255, whose bits read as negative) or as
// doubles for a float source; decimal sources keep their scaled integers with `scale`.
struct WideSource {
    PODArray<Int256> v;
    PODArray<double> f;
    bool is_float = false;
    bool is_unsigned256 = false;
    bool is_decimal = false;
    uint32_t scale = 0;
    bool huge(size_t i) const { return is_unsigned256 && v[i].isNegative(); }
};

WideSource load(const IColumn& col, const DataTypePtr& from) {
    WideSource s;
    size_t n = col.size();
    s.is_decimal = from->isDecimal();
    s.scale = s.is_decimal ? from->scale : 0;
    switch (from->id) {
        case TypeId::Int256: case TypeId::Decimal256: {
            auto& d = static_cast<const ColumnVector<Int256>&>(col).getData();
            s.v.assign(d.begin(), d.end());
            return s;
        }
        case TypeId::UInt256: {
            auto& d = static_cast<const ColumnVector<UInt256>&>(col).getData();
            s.v.resize(n);
            for (size_t i = 0; i < n; ++i) s.v[i] = Int256(d[i]);
            s.is_unsigned256 = true;
            return s;
        }
        case TypeId::Float32: case TypeId::Float64: {
            s.is_float = true;
            s.f.resize(n);
            if (from->id == TypeId::Float32) { auto& d = static_cast<const ColumnFloat32&>(col).getData(); for (size_t i = 0; i < n; ++i) s.f[i] = d[i]; }
            else { auto& d = static_cast<const ColumnFloat64&>(col).getData(); for (size_t i = 0; i < n; ++i) s.f[i] = d[i]; }
            return s;
        }
        default: break;
    }
    s.v.resize(n);
    bool ok = dispatchFixed(from->id, [&](auto tag) {
        using From = typename decltype(tag)::type;
        if constexpr (std::is_floating_point_v<From>) {
            return;
        } else {
            auto& d = static_cast<const ColumnVector<From>&>(col).getData();
            for (size_t i = 0; i < n; ++i) s.v[i] = Int256(d[i]);
        }
    });
    if (!ok || from->id == TypeId::DateTime64 || from->id == TypeId::UUID || from->id == TypeId::IPv6)
        throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Conversion from " + from->name() + " is not supported");
    return s;
}

template <typename T> constexpr bool is_wide_v = std::is_same_v<T, Int256> || std::is_same_v<T, UInt256>;

// Whether the value (bits v, `huge` as above) lies in T's range.
template <typename T>
bool fits(const Int256& v, bool huge) {
    if constexpr (std::is_same_v<T, UInt256>) return huge || !v.isNegative();
    else if constexpr (std::is_same_v<T, Int256>) return !huge;
    else {
        if (huge) return false;
        Int256 lo, hi;
        if constexpr (std::is_same_v<T, Int128>) { lo = Int256(Int128(UInt128(1) << 127)); hi = Int256(Int128((UInt128(1) << 127) - 1)); }
        else if constexpr (std::is_same_v<T, UInt128>) { lo = Int256(0); hi = Int256(~UInt128(0)); }
        else { lo = Int256(std::numeric_limits<T>::min()); hi = Int256(std::numeric_limits<T>::max()); }
        return !(v < lo) && !(hi < v);
    }
}

// Low bits of v as T (wrapping narrowing).
template <typename T>
T narrow(const Int256& v) {
    if constexpr (std::is_same_v<T, Int256>) return v;
    else if constexpr (std::is_same_v<T, UInt256>) return UInt256(v);
    else if constexpr (std::is_same_v<T, Int128>) return Int128(v);
    else if constexpr (std::is_same_v<T, UInt128>) return UInt128(v);
    else return T(uint64_t(v));
}

template <typename T>
std::shared_ptr<ColumnVector<T>> makeVector(size_t n) { return std::make_shared<ColumnVector<T>>(n); }

// Calls f(TypeTag<T>) with the storage type of `id` including the 256-bit ones.
template <typename F>
bool dispatchWithWide(TypeId id, F&& f) {
    if (id == TypeId::Int256 || id == TypeId::Decimal256) { f(TypeTag<Int256>{}); return true; }
    if (id == TypeId::UInt256) { f(TypeTag<UInt256>{}); return true; }
    return dispatchFixed(id, f);
}

double toDouble(const WideSource& s, size_t i) {
    if (s.is_float) return s.f[i];
    double d = s.huge(i) ? double(UInt256(s.v[i])) : double(s.v[i]);
    return s.scale ? d / std::pow(10.0, double(s.scale)) : d;
}

}  // namespace

ColumnPtr castWideColumn(const IColumn& col, const DataTypePtr& from, const DataTypePtr& to, bool accurate, uint8_t* bad) {
    size_t n = col.size();
    WideSource s = load(col, from);
    auto fail = [&](size_t i, int code, const std::string& msg) {
        if (!bad) throw Exception(code, msg);
        bad[i] = 1;
    };

    if (to->id == TypeId::Bool) {
        auto res = ColumnUInt8::create(n);
        for (size_t i = 0; i < n; ++i) res->getData()[i] = s.is_float ? s.f[i] != 0 : !s.v[i].isZero();
        return res;
    }
    if (to->isFloat()) {
        if (to->id == TypeId::Float32) {
            auto res = ColumnFloat32::create(n);
            for (size_t i = 0; i < n; ++i) res->getData()[i] = float(toDouble(s, i));
            return res;
        }
        auto res = ColumnFloat64::create(n);
        for (size_t i = 0; i < n; ++i) res->getData()[i] = toDouble(s, i);
        return res;
    }

    if (to->isDecimal()) {
        // Rescale to the target scale, then check the target storage's range.
        MutableColumnPtr out = createColumn(to);
        out->insertManyDefaults(n);
        Int256 mul = pow10Int256(to->scale >= s.scale ? to->scale - s.scale : 0);
        Int256 div = pow10Int256(s.scale > to->scale ? s.scale - to->scale : 0);
        double fmul = std::pow(10.0, double(to->scale));
        dispatchWithWide(to->id, [&](auto tag) {
            using T = typename decltype(tag)::type;
            T* dst = const_cast<T*>(reinterpret_cast<const T*>(out->rawData()));
            for (size_t i = 0; i < n; ++i) {
                Int256 r;
                if (s.is_float) {
                    double d = s.f[i] * fmul;
                    if (!std::isfinite(d)) { fail(i, ErrorCodes::DECIMAL_OVERFLOW, "Decimal convert overflow. Cannot convert infinity or NaN to decimal"); continue; }
                    if (std::fabs(d) >= 5.78960446186581e76) { fail(i, ErrorCodes::DECIMAL_OVERFLOW, "Decimal convert overflow. Float is out of Decimal range"); continue; }
                    r = Int256(d);
                } else {
                    if (s.huge(i)) { fail(i, ErrorCodes::DECIMAL_OVERFLOW, "Decimal convert overflow"); continue; }
                    if (to->scale >= s.scale) {
                        if (mulOverflow(s.v[i], mul, r)) { fail(i, ErrorCodes::DECIMAL_OVERFLOW, "Decimal convert overflow"); continue; }
                    } else {
                        r = s.v[i] / div;
                    }
                }
                if (!fits<T>(r, false)) {
                    fail(i, ErrorCodes::DECIMAL_OVERFLOW, s.is_float ? "Decimal convert overflow. Float is out of Decimal range" : "Decimal convert overflow");
                    continue;
                }
                dst[i] = narrow<T>(r);
            }
        });
        return out;
    }

    if (to->id == TypeId::DateTime64 || to->id == TypeId::UUID || to->id == TypeId::IPv6 || to->isEnum())
        throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Conversion from " + from->name() + " to " + to->name() + " is not supported");

    // Integer-like targets (numbers, dates as their day/second counts).
    ColumnPtr result;
    Int256 div = pow10Int256(s.scale);
    bool ok = dispatchWithWide(to->id, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_floating_point_v<T>) {
            return;
        } else {
            auto res = makeVector<T>(n);
            T* dst = res->getData().data();
            for (size_t i = 0; i < n; ++i) {
                if (s.is_float) {
                    // Only reached for 256-bit targets: truncation toward zero.
                    double d = s.f[i];
                    if (!std::isfinite(d)) {
                        fail(i, ErrorCodes::CANNOT_CONVERT_TYPE, "Unexpected inf or nan to integer conversion");
                        dst[i] = T{};
                        continue;
                    }
                    if (accurate && !(std::isfinite(d) && d == std::trunc(d) && fits<T>(Int256(d), false) &&
                                      (!std::is_same_v<T, UInt256> || d >= 0) && std::fabs(d) < 1.157920892373162e77)) {
                        fail(i, ErrorCodes::CANNOT_CONVERT_TYPE, "Value in column " + from->name() + " cannot be safely converted into type " + to->name());
                        dst[i] = T{};
                        continue;
                    }
                    dst[i] = narrow<T>(Int256(d));
                    continue;
                }
                Int256 v = s.v[i];
                bool huge = s.huge(i);
                if (s.is_decimal) {
                    // Decimal -> integer: the truncated whole part must fit (DECIMAL_OVERFLOW).
                    if (s.scale) v = v / div;
                    if (!fits<T>(v, huge)) { fail(i, ErrorCodes::DECIMAL_OVERFLOW, "Convert overflow"); dst[i] = T{}; continue; }
                } else if (accurate && !fits<T>(v, huge)) {
                    fail(i, ErrorCodes::CANNOT_CONVERT_TYPE, "Value in column " + from->name() + " cannot be safely converted into type " + to->name());
                    dst[i] = T{};
                    continue;
                }
                dst[i] = narrow<T>(v);
            }
            result = res;
        }
    });
    if (!ok || !result) throw Exception(ErrorCodes::CANNOT_CONVERT_TYPE, "Conversion from " + from->name() + " to " + to->name() + " is not supported");
    return result;
}

}  // namespace basalt
