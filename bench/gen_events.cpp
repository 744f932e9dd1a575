// gen_events.cpp — deterministic generator for the seed `events` table (bench/storage.sh):
//   (ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String)
// as TabSeparated, one row per line, in roughly arrival order (ts non-decreasing up to a minute of
// jitter), like an event stream landing in ClickHouse.
//
//   gen_events ROWS OUT.tsv [SEED]        (defaults: SEED 42)
//
// Distribution (fixed; the same ROWS and SEED give byte-identical output on any machine):
//   ts          30 days ending at END_TS (2026-11-01 00:00:00 UTC, exclusive), diurnal load: the
//               rate follows a day curve peaking at 20:00 UTC (~3x the 04:00 trough)
//   user_id     Zipf(s = 0.8) over 1,000,000 users; rank r maps to a scattered id in [1, 1000002]
//   event_type  view 60%, click 25%, scroll 10%, purchase 4%, signup 1%
//   value       view: seconds on page (exponential, mean 30); click: 1; scroll: percent 0-100;
//               purchase: price 1.00-500.00 (log-uniform); signup: 0 — two decimals at most
//   properties  {"page":"/p/N","device":"mobile|desktop|tablet"} and, for purchases, ,"price":X
//               page ~ Zipf(1.0) over 10,000 pages; device 55/35/10
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gen_common.h"

namespace {

constexpr int64_t END_TS = 1793491200;          // 2026-11-01 00:00:00 UTC
constexpr int64_t SPAN = 30 * 86400;
constexpr int64_t START_TS = END_TS - SPAN;     // 2026-10-02 00:00:00 UTC
constexpr uint32_t USERS = 1000000;
constexpr uint32_t PAGES = 10000;

}  // namespace

using namespace gen;

int main(int argc, char** argv) {
    uint64_t rows, seed;
    FILE* out = openGeneratorArgs(argc, argv, "gen_events", rows, seed);

    Rng rng(seed);
    Zipf users(USERS, 0.8), pages(PAGES, 1.0);
    const std::vector<double> day_cdf = diurnalDayCdf();

    static const char* kTypes[] = {"view", "click", "scroll", "purchase", "signup"};
    static const char* kDevices[] = {"mobile", "desktop", "tablet"};
    const size_t kBuf = 1 << 22;
    std::vector<char> buf(kBuf + 4096);
    char* p = buf.data();
    int64_t cached_day = -1;
    char date_prefix[40];

    for (uint64_t i = 0; i < rows; ++i) {
        // Evenly spaced quantile over 30 days; the day is the integer part, the second in the day
        // comes from the diurnal curve; then up to 59 s of jitter (folded back inside the range).
        double q = (double(i) + 0.5) / double(rows) * 30.0;
        int64_t day = std::min<int64_t>(29, int64_t(q));
        double frac = q - double(day);
        int64_t sec = std::lower_bound(day_cdf.begin(), day_cdf.end(), frac) - day_cdf.begin();
        int64_t ts = START_TS + day * 86400 + std::min<int64_t>(sec, 86399) + rng.below(60);
        if (ts >= END_TS) ts -= 60;   // jitter folds back instead of piling up at the end

        int64_t d = ts / 86400, sod = ts % 86400;
        if (d != cached_day) {
            int y; unsigned m, dd;
            civil(d, y, m, dd);
            snprintf(date_prefix, sizeof date_prefix, "%04d-%02u-%02u ", y, m, dd);
            cached_day = d;
        }
        memcpy(p, date_prefix, 11); p += 11;
        p = put2(p, unsigned(sod / 3600)); *p++ = ':';
        p = put2(p, unsigned(sod / 60 % 60)); *p++ = ':';
        p = put2(p, unsigned(sod % 60)); *p++ = '\t';

        uint32_t rank = users.sample(rng);
        uint64_t user_id = 1 + (uint64_t(rank) * 387420489ULL) % 1000003ULL;
        p = putUInt(p, user_id); *p++ = '\t';

        uint32_t t = rng.below(1000);
        int type = t < 600 ? 0 : t < 850 ? 1 : t < 950 ? 2 : t < 990 ? 3 : 4;
        p = putStr(p, kTypes[type]); *p++ = '\t';

        uint64_t cents = 0;
        switch (type) {
            case 0: cents = uint64_t(-std::log(1.0 - rng.uniform()) * 3000.0); break;    // mean 30 s
            case 1: cents = 100; break;
            case 2: cents = uint64_t(rng.below(101)) * 100; break;
            case 3: cents = uint64_t(std::exp(std::log(100.0) + rng.uniform() * std::log(500.0))); break;
            default: cents = 0;
        }
        p = putCents(p, cents); *p++ = '\t';

        uint32_t dv = rng.below(100);
        p = putStr(p, "{\"page\":\"/p/");
        p = putUInt(p, pages.sample(rng));
        p = putStr(p, "\",\"device\":\"");
        p = putStr(p, kDevices[dv < 55 ? 0 : dv < 90 ? 1 : 2]);
        *p++ = '"';
        if (type == 3) { p = putStr(p, ",\"price\":"); p = putCents(p, cents); }
        *p++ = '}'; *p++ = '\n';

        if (size_t(p - buf.data()) >= kBuf) {
            fwrite(buf.data(), 1, size_t(p - buf.data()), out);
            p = buf.data();
        }
    }
    fwrite(buf.data(), 1, size_t(p - buf.data()), out);
    if (fclose(out) != 0) { perror(argv[2]); return 1; }
    return 0;
}
