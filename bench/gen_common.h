// gen_common.h — what the seeded benchmark data generators (gen_events.cpp, gen_hits.cpp) share: a
// xoshiro256** generator, Zipf sampling by inverse CDF, civil dates and fast integer printing. The
// same seed gives byte-identical data on any machine, so results can be compared across engines
// and sessions.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace gen {

struct Rng {   // xoshiro256** seeded by splitmix64
    uint64_t s[4];
    explicit Rng(uint64_t seed) {
        for (auto& x : s) {
            seed += 0x9e3779b97f4a7c15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            x = z ^ (z >> 31);
        }
    }
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t next() {
        uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
        return r;
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }   // [0, 1)
    uint32_t below(uint32_t n) { return uint32_t((uint64_t(uint32_t(next() >> 32)) * n) >> 32); }
};

// Zipf(s) over ranks 1..n by inverse CDF: a table of cumulative weights, binary-searched.
struct Zipf {
    std::vector<double> cdf;
    Zipf(uint32_t n, double s) : cdf(n) {
        double acc = 0;
        for (uint32_t k = 1; k <= n; ++k) cdf[k - 1] = (acc += std::pow(double(k), -s));
        for (auto& c : cdf) c /= acc;
    }
    uint32_t sample(Rng& r) const {
        return uint32_t(std::upper_bound(cdf.begin(), cdf.end(), r.uniform()) - cdf.begin()) + 1;
    }
};

inline void civil(int64_t days, int& y, unsigned& m, unsigned& d) {   // days since 1970-01-01 -> date
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = unsigned(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = int(int64_t(yoe) + era * 400 + (m <= 2));
}

inline char* put2(char* p, unsigned v) { p[0] = char('0' + v / 10); p[1] = char('0' + v % 10); return p + 2; }

inline char* putUInt(char* p, uint64_t v) {
    char tmp[24]; int n = 0;
    do { tmp[n++] = char('0' + v % 10); v /= 10; } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

// A non-negative amount in hundredths, printed the way ClickHouse prints the Float64 it parses
// (shortest form: 12.5, 3, 0.07).
inline char* putCents(char* p, uint64_t cents) {
    p = putUInt(p, cents / 100);
    unsigned frac = unsigned(cents % 100);
    if (frac) {
        *p++ = '.';
        *p++ = char('0' + frac / 10);
        if (frac % 10) *p++ = char('0' + frac % 10);
    }
    return p;
}

inline char* putStr(char* p, const char* s) { size_t n = strlen(s); memcpy(p, s, n); return p + n; }

inline char* putInt(char* p, int64_t v) {
    if (v < 0) { *p++ = '-'; return putUInt(p, uint64_t(0) - uint64_t(v)); }
    return putUInt(p, uint64_t(v));
}

// `NAME ROWS OUT.tsv [SEED]`: parses the arguments every generator takes and opens the output.
inline FILE* openGeneratorArgs(int argc, char** argv, const char* name, uint64_t& rows, uint64_t& seed) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ROWS OUT.tsv [SEED]\n", name);
        exit(2);
    }
    rows = strtoull(argv[1], nullptr, 10);
    seed = argc > 3 ? strtoull(argv[3], nullptr, 10) : 42;
    FILE* out = fopen(argv[2], "wb");
    if (!out) { perror(argv[2]); exit(1); }
    return out;
}

// Per-second cumulative arrival curve of one day: rate 2 + cos(2*pi*(h - 20)/24), peaking at 20:00
// UTC at ~3x the 04:00 trough. A timestamp is the inverse of this curve at evenly spaced quantiles,
// so generated times are non-decreasing.
inline std::vector<double> diurnalDayCdf() {
    std::vector<double> cdf(86400);
    double acc = 0;
    for (int s = 0; s < 86400; ++s) cdf[s] = (acc += 2.0 + std::cos(2 * M_PI * (s / 3600.0 - 20.0) / 24.0));
    for (auto& c : cdf) c /= acc;
    return cdf;
}

}  // namespace gen
