// wide_integer.cpp — the out-of-line parts of Int256 / UInt256 (see wide_integer.h).
#include "common/wide_integer.h"

#include <cmath>
#include <limits>

namespace basalt {

namespace {

using U128 = unsigned __int128;

// Wrapping product of the low 256 bits (two's complement makes it sign-agnostic).
void mulLimbs(const uint64_t* a, const uint64_t* b, uint64_t* r) {
    uint64_t out[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; ++i) {
        if (!a[i]) continue;
        uint64_t carry = 0;
        for (int j = 0; i + j < 4; ++j) {
            U128 t = U128(a[i]) * b[j] + out[i + j] + carry;
            out[i + j] = uint64_t(t);
            carry = uint64_t(t >> 64);
        }
    }
    std::memcpy(r, out, sizeof(out));
}

// Full 512-bit product of two unsigned 256-bit values.
void mulFull(const uint64_t* a, const uint64_t* b, uint64_t* r) {
    uint64_t out[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 4; ++i) {
        uint64_t carry = 0;
        for (int j = 0; j < 4; ++j) {
            U128 t = U128(a[i]) * b[j] + out[i + j] + carry;
            out[i + j] = uint64_t(t);
            carry = uint64_t(t >> 64);
        }
        out[i + 4] = carry;
    }
    std::memcpy(r, out, sizeof(out));
}

int highestBit(const UInt256& v) {
    for (int i = 3; i >= 0; --i)
        if (v.w[i]) return i * 64 + 63 - __builtin_clzll(v.w[i]);
    return -1;
}

// Unsigned division with remainder; d != 0.
void divModUnsigned(const UInt256& n, const UInt256& d, UInt256& q, UInt256& r) {
    if (!(d.w[1] | d.w[2] | d.w[3])) {
        // 64-bit divisor: one hardware-assisted step per limb.
        uint64_t dv = d.w[0];
        U128 rem = 0;
        q = UInt256{};
        for (int i = 3; i >= 0; --i) {
            U128 cur = (rem << 64) | n.w[i];
            q.w[i] = uint64_t(cur / dv);
            rem = cur % dv;
        }
        r = UInt256(uint64_t(rem));
        return;
    }
    q = UInt256{};
    r = UInt256{};
    if (n < d) { r = n; return; }
    for (int bit = highestBit(n); bit >= 0; --bit) {
        r = r.shiftLeft(1);
        r.w[0] |= (n.w[bit / 64] >> (bit % 64)) & 1;
        if (!(r < d)) {
            r -= d;
            q.w[bit / 64] |= uint64_t(1) << (bit % 64);
        }
    }
}

}  // namespace

// ClickHouse's wide_integer algorithm (base/wide_integer_impl.h, set_multiplier), reproduced step
// by step in long double so results match it bit for bit, including how values beyond the 256-bit
// range wrap (toInt256(1e100)).
template <typename T>
void setMultiplier(UInt256& self, T t) {
    constexpr uint64_t max_int = ~uint64_t(0);
    if (!std::isfinite(t)) { self = UInt256{}; return; }
    const T alpha = t / static_cast<T>(max_int);
    if (alpha < static_cast<T>(max_int)) self = UInt256(static_cast<uint64_t>(alpha));
    else setMultiplier<double>(self, static_cast<double>(alpha));
    self *= UInt256(max_int);
    T rest = t - std::floor(alpha) * static_cast<T>(max_int);
    uint64_t add;
    if (rest >= 0 && rest < static_cast<T>(18446744073709551616.0L)) add = static_cast<uint64_t>(rest);
    else if (rest < 0 && rest > static_cast<T>(-9223372036854775808.0L)) add = uint64_t(static_cast<int64_t>(rest));
    else add = 0;
    self += UInt256(add);
}

template <bool S>
WideInt<S>::WideInt(double rhs) : w{0, 0, 0, 0} {
    constexpr int64_t max_int = std::numeric_limits<int64_t>::max();
    constexpr int64_t min_int = std::numeric_limits<int64_t>::min();
    if (rhs > static_cast<long double>(min_int) && rhs < static_cast<long double>(max_int)) {
        *this = WideInt(static_cast<int64_t>(rhs));
        return;
    }
    long double t = static_cast<long double>(rhs) < 0 ? -static_cast<long double>(rhs) : static_cast<long double>(rhs);
    UInt256 u;
    setMultiplier(u, t);
    *this = WideInt(u);
    if (rhs < 0) *this = -*this;
}

// As ClickHouse: accumulate the limbs in long double, then round to double.
template <bool S>
WideInt<S>::operator long double() const {
    if (isZero()) return 0;
    bool neg = isNegative();
    UInt256 m = neg ? UInt256(-*this) : UInt256(*this);
    long double res = 0;
    for (int i = 3; i >= 0; --i) {
        long double t = res;
        res *= static_cast<long double>(~uint64_t(0));
        res += t;
        res += static_cast<long double>(m.w[i]);
    }
    return neg ? -res : res;
}

template <bool S>
WideInt<S>& WideInt<S>::operator*=(const WideInt& o) {
    mulLimbs(w, o.w, w);
    return *this;
}

template <bool S>
WideInt<S>& WideInt<S>::operator/=(const WideInt& o) {
    UInt256 q, r;
    if constexpr (S) {
        bool neg = isNegative() != o.isNegative();
        divModUnsigned(magnitude(*this), magnitude(o), q, r);
        *this = WideInt(q);
        if (neg) *this = -*this;
    } else {
        divModUnsigned(*this, o, q, r);
        *this = q;
    }
    return *this;
}

template <bool S>
WideInt<S>& WideInt<S>::operator%=(const WideInt& o) {
    UInt256 q, r;
    if constexpr (S) {
        bool neg = isNegative();
        divModUnsigned(magnitude(*this), magnitude(o), q, r);
        *this = WideInt(r);
        if (neg) *this = -*this;
    } else {
        divModUnsigned(*this, o, q, r);
        *this = r;
    }
    return *this;
}

template <bool S>
WideInt<S> WideInt<S>::shiftLeft(unsigned n) const {
    if (n >= 256) return WideInt{};
    WideInt r{};
    unsigned limbs = n / 64, bits = n % 64;
    for (int i = 3; i >= int(limbs); --i) {
        uint64_t v = w[i - limbs] << bits;
        if (bits && i - int(limbs) - 1 >= 0) v |= w[i - limbs - 1] >> (64 - bits);
        r.w[i] = v;
    }
    return r;
}

template <bool S>
WideInt<S> WideInt<S>::shiftRight(unsigned n) const {
    uint64_t fill = isNegative() ? ~uint64_t(0) : 0;
    if (n >= 256) return fromLimbs(fill, fill, fill, fill);
    WideInt r = fromLimbs(fill, fill, fill, fill);
    unsigned limbs = n / 64, bits = n % 64;
    for (unsigned i = 0; i + limbs < 4; ++i) {
        uint64_t lo = w[i + limbs];
        uint64_t hi = i + limbs + 1 < 4 ? w[i + limbs + 1] : fill;
        r.w[i] = bits ? (lo >> bits) | (hi << (64 - bits)) : lo;
    }
    return r;
}

template <bool S>
std::string WideInt<S>::toString() const {
    bool neg = isNegative();
    UInt256 m = neg ? UInt256(-*this) : UInt256(*this);
    if (m.isZero()) return "0";
    // Chunks of 19 digits (10^19 < 2^64) from the least significant end.
    static const UInt256 chunk(uint64_t(10000000000000000000ULL));
    char buf[80];
    char* end = buf + sizeof(buf);
    char* p = end;
    while (!m.isZero()) {
        UInt256 q, r;
        divModUnsigned(m, chunk, q, r);
        uint64_t part = r.w[0];
        for (int k = 0; k < 19; ++k) {
            *--p = char('0' + part % 10);
            part /= 10;
            if (q.isZero() && part == 0) break;
        }
        m = q;
    }
    if (neg) *--p = '-';
    return std::string(p, size_t(end - p));
}

template <bool S>
bool WideInt<S>::parse(std::string_view s, WideInt& out) {
    size_t i = 0;
    bool neg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == s.size()) return false;
    UInt256 m{};
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        uint64_t prod[8];
        static const UInt256 ten(10);
        mulFull(m.w, ten.w, prod);
        if (prod[4]) return false;
        UInt256 next = UInt256::fromLimbs(prod[0], prod[1], prod[2], prod[3]);
        UInt256 sum = next + UInt256(s[i] - '0');
        if (sum < next) return false;
        m = sum;
    }
    if constexpr (S) {
        UInt256 limit = UInt256(Int256::max()) + UInt256(neg ? 1 : 0);
        if (limit < m) return false;
        out = WideInt(m);
        if (neg) out = -out;
    } else {
        if (neg && !m.isZero()) return false;
        out = m;
    }
    return true;
}

template struct WideInt<true>;
template struct WideInt<false>;

bool addOverflow(const Int256& a, const Int256& b, Int256& r) {
    r = a + b;
    return a.isNegative() == b.isNegative() && r.isNegative() != a.isNegative();
}

bool subOverflow(const Int256& a, const Int256& b, Int256& r) {
    r = a - b;
    return a.isNegative() != b.isNegative() && r.isNegative() != a.isNegative();
}

bool mulOverflow(const Int256& a, const Int256& b, Int256& r) {
    UInt256 ma = magnitude(a), mb = magnitude(b);
    uint64_t prod[8];
    mulFull(ma.w, mb.w, prod);
    bool neg = a.isNegative() != b.isNegative();
    UInt256 m = UInt256::fromLimbs(prod[0], prod[1], prod[2], prod[3]);
    r = Int256(m);
    if (neg) r = -r;
    if (prod[4] | prod[5] | prod[6] | prod[7]) return true;
    // The magnitude must fit: <= 2^255 - 1, or exactly 2^255 for a negative result.
    if (m.w[3] >> 63) return !(neg && m == UInt256(Int256::min()));
    return false;
}

Int256 pow10Int256(unsigned n) {
    static const auto table = [] {
        struct T { Int256 v[77]; } t{};
        Int256 x(1);
        for (int i = 0; i <= 76; ++i) { t.v[i] = x; x *= Int256(10); }
        return t;
    }();
    return table.v[n > 76 ? 76 : n];
}

}  // namespace basalt
