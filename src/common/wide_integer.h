// wide_integer.h — 256-bit integers (Int256 / UInt256) with ClickHouse's memory layout: four 64-bit
// limbs, least significant first, two's complement — so columns can be memcpy'd to and from
// RowBinary and MergeTree files. Arithmetic wraps like the built-in integers.
//
// Include only where 256-bit values are stored or computed (columns, casts, arithmetic,
// comparisons, text formats, aggregates); the out-of-line parts (multiplication, division, text,
// floating-point conversion) live in wide_integer.cpp.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace basalt {

template <bool Signed>
struct WideInt {
    static constexpr bool is_signed = Signed;
    uint64_t w[4];   // little-endian limbs; trivially copyable, value-initialized to zero

    WideInt() = default;
    template <typename I, typename = std::enable_if_t<std::is_integral_v<I>>>
    constexpr WideInt(I v) : w{uint64_t(v), 0, 0, 0} {
        if constexpr (std::is_signed_v<I>) {
            if (v < 0) w[1] = w[2] = w[3] = ~uint64_t(0);
        }
    }
    constexpr WideInt(__int128 v) : w{uint64_t(v), uint64_t(static_cast<unsigned __int128>(v) >> 64), 0, 0} {
        if (v < 0) w[2] = w[3] = ~uint64_t(0);
    }
    constexpr WideInt(unsigned __int128 v) : w{uint64_t(v), uint64_t(v >> 64), 0, 0} {}
    // Same bits, other signedness (like static_cast between int64_t and uint64_t).
    constexpr explicit WideInt(const WideInt<!Signed>& o) : w{o.w[0], o.w[1], o.w[2], o.w[3]} {}
    // Truncates toward zero; NaN/inf give 0; values beyond the range wrap exactly as in ClickHouse.
    explicit WideInt(double d);
    explicit WideInt(float f) : WideInt(double(f)) {}

    static constexpr WideInt fromLimbs(uint64_t a, uint64_t b, uint64_t c, uint64_t d) { WideInt r{}; r.w[0] = a; r.w[1] = b; r.w[2] = c; r.w[3] = d; return r; }
    static constexpr WideInt max() { return Signed ? fromLimbs(~0ULL, ~0ULL, ~0ULL, ~0ULL >> 1) : fromLimbs(~0ULL, ~0ULL, ~0ULL, ~0ULL); }
    static constexpr WideInt min() { return Signed ? fromLimbs(0, 0, 0, 1ULL << 63) : fromLimbs(0, 0, 0, 0); }

    constexpr bool isNegative() const { return Signed && (w[3] >> 63); }
    constexpr bool isZero() const { return !(w[0] | w[1] | w[2] | w[3]); }
    // Low bits, like a narrowing integer conversion.
    template <typename I, typename = std::enable_if_t<std::is_integral_v<I>>>
    constexpr explicit operator I() const { return I(w[0]); }
    constexpr explicit operator __int128() const { return __int128((static_cast<unsigned __int128>(w[1]) << 64) | w[0]); }
    constexpr explicit operator unsigned __int128() const { return (static_cast<unsigned __int128>(w[1]) << 64) | w[0]; }
    constexpr explicit operator bool() const { return !isZero(); }
    explicit operator long double() const;
    explicit operator double() const { return double(static_cast<long double>(*this)); }
    explicit operator float() const { return float(static_cast<long double>(*this)); }
    // Whether the value fits a 64-bit integer of that signedness.
    constexpr bool fitsInt64() const {
        uint64_t ext = (w[0] >> 63) ? ~0ULL : 0;
        return (!Signed ? ext == 0 : true) && w[1] == ext && w[2] == ext && w[3] == ext;
    }
    constexpr bool fitsUInt64() const { return !isNegative() && !(w[1] | w[2] | w[3]); }

    // ---- arithmetic (wrapping)
    constexpr WideInt& operator+=(const WideInt& o) {
        unsigned __int128 c = 0;
        for (int i = 0; i < 4; ++i) {
            c += static_cast<unsigned __int128>(w[i]) + o.w[i];
            w[i] = uint64_t(c);
            c >>= 64;
        }
        return *this;
    }
    constexpr WideInt& operator-=(const WideInt& o) {
        uint64_t borrow = 0;
        for (int i = 0; i < 4; ++i) {
            uint64_t a = w[i], b = o.w[i];
            uint64_t d = a - b - borrow;
            borrow = (a < b) || (a - b < borrow) ? 1 : 0;
            w[i] = d;
        }
        return *this;
    }
    WideInt& operator*=(const WideInt& o);
    WideInt& operator/=(const WideInt& o);   // divisor must not be zero (callers check)
    WideInt& operator%=(const WideInt& o);
    constexpr WideInt& operator&=(const WideInt& o) { for (int i = 0; i < 4; ++i) w[i] &= o.w[i]; return *this; }
    constexpr WideInt& operator|=(const WideInt& o) { for (int i = 0; i < 4; ++i) w[i] |= o.w[i]; return *this; }
    constexpr WideInt& operator^=(const WideInt& o) { for (int i = 0; i < 4; ++i) w[i] ^= o.w[i]; return *this; }
    constexpr WideInt operator~() const { return fromLimbs(~w[0], ~w[1], ~w[2], ~w[3]); }
    constexpr WideInt operator-() const { WideInt r = ~*this; r += WideInt(1); return r; }
    constexpr WideInt operator+() const { return *this; }
    WideInt& operator++() { return *this += WideInt(1); }
    // Shifts by 0..255 bits; larger shifts give 0 (or -1 for a negative signed right shift).
    WideInt shiftLeft(unsigned n) const;
    WideInt shiftRight(unsigned n) const;   // arithmetic for Int256, logical for UInt256

    friend constexpr WideInt operator+(WideInt a, const WideInt& b) { return a += b; }
    friend constexpr WideInt operator-(WideInt a, const WideInt& b) { return a -= b; }
    friend WideInt operator*(WideInt a, const WideInt& b) { return a *= b; }
    friend WideInt operator/(WideInt a, const WideInt& b) { return a /= b; }
    friend WideInt operator%(WideInt a, const WideInt& b) { return a %= b; }
    friend constexpr WideInt operator&(WideInt a, const WideInt& b) { return a &= b; }
    friend constexpr WideInt operator|(WideInt a, const WideInt& b) { return a |= b; }
    friend constexpr WideInt operator^(WideInt a, const WideInt& b) { return a ^= b; }

    // ---- comparison
    friend constexpr bool operator==(const WideInt& a, const WideInt& b) {
        return a.w[0] == b.w[0] && a.w[1] == b.w[1] && a.w[2] == b.w[2] && a.w[3] == b.w[3];
    }
    friend constexpr bool operator!=(const WideInt& a, const WideInt& b) { return !(a == b); }
    friend constexpr bool operator<(const WideInt& a, const WideInt& b) {
        if (a.isNegative() != b.isNegative()) return a.isNegative();
        for (int i = 3; i >= 0; --i)
            if (a.w[i] != b.w[i]) return a.w[i] < b.w[i];
        return false;
    }
    friend constexpr bool operator>(const WideInt& a, const WideInt& b) { return b < a; }
    friend constexpr bool operator<=(const WideInt& a, const WideInt& b) { return !(b < a); }
    friend constexpr bool operator>=(const WideInt& a, const WideInt& b) { return !(a < b); }

    // Decimal text ("-123"); parse returns false on syntax errors or overflow of the type's range.
    std::string toString() const;
    static bool parse(std::string_view s, WideInt& out);
};

using Int256 = WideInt<true>;
using UInt256 = WideInt<false>;

// Overflow-checked operations for Decimal256 (true on overflow of the Int256 range).
bool addOverflow(const Int256& a, const Int256& b, Int256& r);
bool subOverflow(const Int256& a, const Int256& b, Int256& r);
bool mulOverflow(const Int256& a, const Int256& b, Int256& r);
// 10^n for n <= 76.
Int256 pow10Int256(unsigned n);
// Unsigned magnitude of a signed value (|MIN| = 2^255 is representable unsigned).
inline UInt256 magnitude(const Int256& v) { return v.isNegative() ? UInt256(-v) : UInt256(v); }

extern template struct WideInt<true>;
extern template struct WideInt<false>;

}  // namespace basalt
