// city_hash.cpp — CityHash v1.0.2 (CityHash64, CityHash128), implemented from Google's 2011
// release. The v1.0.2 specifics that later releases changed are marked where they occur; the unit
// tests pin the output against checksums of compressed blocks written by real ClickHouse.
#include "common/city_hash.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace basalt::city {

namespace {

constexpr uint64_t k0 = 0xc3a5c85c97cb3127ULL;
constexpr uint64_t k1 = 0xb492b66fbe98f273ULL;
constexpr uint64_t k2 = 0x9ae16a3b2f90404fULL;
constexpr uint64_t k3 = 0xc949d7c7509e6557ULL;

// Unaligned little-endian loads (basalt only targets little-endian hosts, as ClickHouse's format
// is little-endian on disk).
inline uint64_t load64(const char* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }
inline uint32_t load32(const char* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
inline uint64_t rotr64(uint64_t v, int s) { return s == 0 ? v : (v >> s) | (v << (64 - s)); }
inline uint64_t shiftMix(uint64_t v) { return v ^ (v >> 47); }

inline uint64_t hashLen16(uint64_t u, uint64_t v) { return hash128to64(u, v); }

uint64_t hashLen0to16(const char* s, size_t len) {
    if (len > 8) {
        uint64_t a = load64(s), b = load64(s + len - 8);
        // v1.0.2 rotates by at least one bit here (later versions changed this step).
        int shift = int(len);
        uint64_t r = ((b + len) >> shift) | ((b + len) << (64 - shift));
        return hashLen16(a, r) ^ b;
    }
    if (len >= 4) {
        uint64_t a = load32(s);
        return hashLen16(len + (a << 3), load32(s + len - 4));
    }
    if (len > 0) {
        uint8_t a = uint8_t(s[0]), b = uint8_t(s[len >> 1]), c = uint8_t(s[len - 1]);
        uint32_t y = uint32_t(a) + (uint32_t(b) << 8);
        uint32_t z = uint32_t(len) + (uint32_t(c) << 2);
        return shiftMix(y * k2 ^ z * k3) * k2;
    }
    return k2;
}

uint64_t hashLen17to32(const char* s, size_t len) {
    uint64_t a = load64(s) * k1;
    uint64_t b = load64(s + 8);
    uint64_t c = load64(s + len - 8) * k2;
    uint64_t d = load64(s + len - 16) * k0;
    return hashLen16(rotr64(a - b, 43) + rotr64(c, 30) + d, a + rotr64(b ^ k3, 20) - c + len);
}

inline std::pair<uint64_t, uint64_t> weakHashLen32WithSeeds(uint64_t w, uint64_t x, uint64_t y, uint64_t z, uint64_t a, uint64_t b) {
    a += w;
    b = rotr64(b + a + z, 21);
    uint64_t c = a;
    a += x;
    a += y;
    b += rotr64(a, 44);
    return {a + z, b + c};
}

inline std::pair<uint64_t, uint64_t> weakHashLen32WithSeeds(const char* s, uint64_t a, uint64_t b) {
    return weakHashLen32WithSeeds(load64(s), load64(s + 8), load64(s + 16), load64(s + 24), a, b);
}

uint64_t hashLen33to64(const char* s, size_t len) {
    uint64_t z = load64(s + 24);
    uint64_t a = load64(s) + (len + load64(s + len - 16)) * k0;
    uint64_t b = rotr64(a + z, 52);
    uint64_t c = rotr64(a, 37);
    a += load64(s + 8);
    c += rotr64(a, 7);
    a += load64(s + 16);
    uint64_t vf = a + z;
    uint64_t vs = b + rotr64(a, 31) + c;
    a = load64(s + 16) + load64(s + len - 32);
    z = load64(s + len - 8);
    b = rotr64(a + z, 52);
    c = rotr64(a, 37);
    a += load64(s + len - 24);
    c += rotr64(a, 7);
    a += load64(s + len - 16);
    uint64_t wf = a + z;
    uint64_t ws = b + rotr64(a, 31) + c;
    uint64_t r = shiftMix((vf + ws) * k2 + (wf + vs) * k0);
    return shiftMix(r * k0 + vs) * k2;
}

// CityHash128's helper for inputs shorter than 128 bytes ("City and Murmur").
Hash128 cityMurmur(const char* s, size_t len, Hash128 seed) {
    uint64_t a = seed.low, b = seed.high, c = 0, d = 0;
    if (len <= 16) {
        // ClickHouse's v1.0.2 pre-mixes `a` and ShiftMixes d here; some copies circulating as
        // "1.0.2" use a plain 32-bit rotation instead, which does not match ClickHouse's checksums.
        a = shiftMix(a * k1) * k1;
        c = b * k1 + hashLen0to16(s, len);
        d = shiftMix(a + (len >= 8 ? load64(s) : c));
    } else {
        c = hashLen16(load64(s + len - 8) + k1, a);
        d = hashLen16(b + len, c + load64(s + len - 16));
        a += d;
        ptrdiff_t l = ptrdiff_t(len) - 16;
        do {
            a ^= shiftMix(load64(s) * k1) * k1;
            a *= k1;
            b ^= a;
            c ^= shiftMix(load64(s + 8) * k1) * k1;
            c *= k1;
            d ^= c;
            s += 16;
            l -= 16;
        } while (l > 0);
    }
    a = hashLen16(a, c);
    b = hashLen16(d, b);
    return {a ^ b, hashLen16(b, a)};
}

}  // namespace

uint64_t hash128to64(uint64_t low, uint64_t high) {
    const uint64_t mul = 0x9ddfea08eb382d69ULL;
    uint64_t a = (low ^ high) * mul;
    a ^= a >> 47;
    uint64_t b = (high ^ a) * mul;
    b ^= b >> 47;
    return b * mul;
}

uint64_t cityHash64(const char* s, size_t len) {
    if (len <= 32) return len <= 16 ? hashLen0to16(s, len) : hashLen17to32(s, len);
    if (len <= 64) return hashLen33to64(s, len);
    // Longer inputs: hash the tail first, then 64-byte chunks keeping 56 bytes of state.
    uint64_t x = load64(s);
    uint64_t y = load64(s + len - 16) ^ k1;
    uint64_t z = load64(s + len - 56) ^ k0;
    auto v = weakHashLen32WithSeeds(s + len - 64, len, y);
    auto w = weakHashLen32WithSeeds(s + len - 32, len * k1, k0);
    z += shiftMix(v.second) * k1;
    x = rotr64(z + x, 39) * k1;
    y = rotr64(y, 33) * k1;
    len = (len - 1) & ~size_t(63);
    do {
        x = rotr64(x + y + v.first + load64(s + 16), 37) * k1;
        y = rotr64(y + v.second + load64(s + 48), 42) * k1;
        x ^= w.second;
        y ^= v.first;
        z = rotr64(z ^ w.first, 33);
        v = weakHashLen32WithSeeds(s, v.second * k1, x + w.first);
        w = weakHashLen32WithSeeds(s + 32, z + w.second, y);
        std::swap(z, x);
        s += 64;
        len -= 64;
    } while (len != 0);
    return hashLen16(hashLen16(v.first, w.first) + shiftMix(y) * k1 + z, hashLen16(v.second, w.second) + x);
}

Hash128 cityHash128WithSeed(const char* s, size_t len, Hash128 seed) {
    if (len < 128) return cityMurmur(s, len, seed);

    // 56 bytes of state (v, w, x, y, z); the same inner loop as cityHash64, unrolled twice.
    std::pair<uint64_t, uint64_t> v, w;
    uint64_t x = seed.low;
    uint64_t y = seed.high;
    uint64_t z = len * k1;
    v.first = rotr64(y ^ k1, 49) * k1 + load64(s);
    v.second = rotr64(v.first, 42) * k1 + load64(s + 8);
    w.first = rotr64(y + z, 35) * k1 + x;
    w.second = rotr64(x + load64(s + 88), 53) * k1;
    auto chunk = [&] {
        x = rotr64(x + y + v.first + load64(s + 16), 37) * k1;
        y = rotr64(y + v.second + load64(s + 48), 42) * k1;
        x ^= w.second;
        y ^= v.first;
        z = rotr64(z ^ w.first, 33);
        v = weakHashLen32WithSeeds(s, v.second * k1, x + w.first);
        w = weakHashLen32WithSeeds(s + 32, z + w.second, y);
        std::swap(z, x);
        s += 64;
    };
    do {
        chunk();
        chunk();
        len -= 128;
    } while (len >= 128);
    y += rotr64(w.first, 37) * k0 + z;
    x += rotr64(v.first + z, 49) * k0;
    // 0 <= len < 128 bytes remain: hash up to four 32-byte chunks taken from the end.
    for (size_t tail_done = 0; tail_done < len;) {
        tail_done += 32;
        y = rotr64(y - x, 42) * k0 + v.second;
        w.first += load64(s + len - tail_done + 16);
        x = rotr64(x, 49) * k0 + w.first;
        w.first += v.first;
        v = weakHashLen32WithSeeds(s + len - tail_done, v.first, v.second);
    }
    x = hashLen16(x, v.first);
    y = hashLen16(y, w.first);
    return {hashLen16(x + v.second, w.second) + y, hashLen16(x + w.second, y + v.second)};
}

Hash128 cityHash128(const char* s, size_t len) {
    if (len >= 16) return cityHash128WithSeed(s + 16, len - 16, {load64(s) ^ k3, load64(s + 8)});
    if (len >= 8) return cityHash128WithSeed(nullptr, 0, {load64(s) ^ (len * k0), load64(s + len - 8) ^ k1});
    return cityHash128WithSeed(s, len, {k0, k1});
}

}  // namespace basalt::city

namespace basalt {

void CityHash128Stream::update(const char* data, size_t n) {
    total_ += n;
    if (used_) {
        size_t take = std::min(n, kChunkSize - used_);
        std::memcpy(buf_ + used_, data, take);
        used_ += take;
        data += take;
        n -= take;
        if (used_ < kChunkSize) return;
        state_ = city::cityHash128WithSeed(buf_, kChunkSize, state_);
        used_ = 0;
    }
    // Whole chunks straight from the caller's memory.
    for (; n >= kChunkSize; data += kChunkSize, n -= kChunkSize) state_ = city::cityHash128WithSeed(data, kChunkSize, state_);
    if (n) {
        std::memcpy(buf_, data, n);
        used_ = n;
    }
}

Hash128 CityHash128Stream::digest() const {
    return used_ ? city::cityHash128WithSeed(buf_, used_, state_) : state_;
}

}  // namespace basalt
