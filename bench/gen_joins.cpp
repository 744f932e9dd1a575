// gen_joins.cpp — deterministic generator for the `joins` benchmark suite (bench/bench.js): a star
// schema and a point-in-time (ASOF) pair, as TabSeparated, one table per run.
//
//   gen_joins SCALE OUT.tsv SEED TABLE      (SCALE is the suite's size N; each table derives its size)
//
// Tables (the same SCALE, SEED and TABLE give byte-identical output on any machine):
//   sales        N rows     (sale_date Date, store_id UInt16, product_id UInt32, customer_id UInt32,
//                            quantity UInt16, amount Float64) — the fact table, in date order:
//                sale_date   365 days of 2026, evenly spread
//                store_id    uniform over the 1,000 stores
//                product_id  Zipf(s = 0.9) over the 10,000 products, rank mapped to a scattered id
//                customer_id Zipf(s = 0.6) over the 100,000 customers, rank mapped to a scattered id
//                quantity    1 + Zipf(s = 1.5) over 1..10 (mostly 1-2)
//                amount      quantity * the product's list price (two decimals)
//   stores       1,000      (store_id UInt16, region LowCardinality(String), country String, sqm UInt32)
//                region one of 8, country one of 40 (each country in one region)
//   products     10,000     (product_id UInt32, category LowCardinality(String), brand String, price Float64)
//                category Zipf over 30, brand one of 500, price 1.00-500.00 (a hash of the id)
//   customers    100,000    (customer_id UInt32, segment LowCardinality(String), country String, signup Date)
//                segment consumer 70% / smb 20% / enterprise 10%
//   pit_events   N rows     (ts DateTime, entity_id UInt32, event_type LowCardinality(String)) —
//                30 days ending 2026-11-01 00:00:00 UTC, ts non-decreasing up to 59 s of jitter;
//                entity Zipf(s = 0.8) over N/100 * 1.1 entities: the last tenth of the ranks never
//                get a feature update
//   pit_features N/10 rows  (entity_id UInt32, ts DateTime, value Float64) — feature updates of the
//                first N/100 entities (Zipf(s = 0.8), the same rank → id map as the events), times
//                uniform from 2 days before the events' window to its end, in time order; (entity, ts)
//                is unique, so "the latest update at or before t" is one row in every engine;
//                value 0.00-1000.00
// Dimension tables have fixed sizes; every foreign key of `sales` exists in its dimension.
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

constexpr uint32_t STORES = 1000, PRODUCTS = 10000, CUSTOMERS = 100000;
constexpr int64_t SALES_DAY0 = 20454;           // 2026-01-01
constexpr int64_t END_TS = 1793491200;          // 2026-11-01 00:00:00 UTC
constexpr int64_t SPAN = 30 * 86400;
constexpr int64_t START_TS = END_TS - SPAN;

const char* kRegions[] = {"north-america", "south-america", "western-europe", "eastern-europe", "middle-east", "africa", "south-asia", "east-asia"};
const char* kCategories[] = {"grocery", "produce", "dairy", "bakery", "beverages", "snacks", "frozen", "household", "cleaning", "personal-care",
                             "baby", "pets", "pharmacy", "electronics", "phones", "computers", "gaming", "toys", "books", "music",
                             "clothing", "shoes", "jewelry", "sports", "outdoor", "garden", "tools", "automotive", "furniture", "office"};
const char* kSegments[] = {"consumer", "smb", "enterprise"};
const char* kEventTypes[] = {"view", "click", "add_to_cart", "purchase"};

// A scattered id in [1, n] for rank r in [1, n] (multiplication by a constant coprime to n).
uint32_t scatter(uint32_t r, uint32_t n, uint64_t mult) { return uint32_t((uint64_t(r - 1) * mult) % n) + 1; }
uint64_t mix(uint64_t x) {   // splitmix64 finalizer: per-id attributes without a generator
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
uint64_t priceCents(uint32_t product_id) { return 100 + mix(product_id * 31 + 7) % 49901; }   // 1.00 .. 500.00
uint32_t countryOfStore(uint32_t store_id) { return uint32_t(mix(store_id) % 40); }

char* putDate(char* p, int64_t days) {
    int y; unsigned m, d;
    gen::civil(days, y, m, d);
    p = gen::putUInt(p, unsigned(y)); *p++ = '-';
    p = gen::put2(p, m); *p++ = '-';
    return gen::put2(p, d);
}
char* putDateTime(char* p, int64_t ts) {
    p = putDate(p, ts / 86400); *p++ = ' ';
    int64_t sod = ts % 86400;
    p = gen::put2(p, unsigned(sod / 3600)); *p++ = ':';
    p = gen::put2(p, unsigned(sod / 60 % 60)); *p++ = ':';
    return gen::put2(p, unsigned(sod % 60));
}

struct Writer {   // buffered TSV output
    FILE* out;
    std::vector<char> buf = std::vector<char>((1 << 22) + 4096);
    char* p = buf.data();
    void flushIfFull() { if (size_t(p - buf.data()) >= (1u << 22)) flush(); }
    void flush() { fwrite(buf.data(), 1, size_t(p - buf.data()), out); p = buf.data(); }
};

}  // namespace

using namespace gen;

int main(int argc, char** argv) {
    uint64_t scale, seed;
    if (argc < 5) {
        fprintf(stderr, "usage: gen_joins SCALE OUT.tsv SEED sales|stores|products|customers|pit_events|pit_features\n");
        return 2;
    }
    FILE* out = openGeneratorArgs(argc, argv, "gen_joins", scale, seed);
    const std::string table = argv[4];
    Writer w{out};

    if (table == "stores") {
        Rng r(seed * 1000003 + 1);
        for (uint32_t id = 1; id <= STORES; ++id) {
            uint32_t country = countryOfStore(id);
            w.p = putUInt(w.p, id); *w.p++ = '\t';
            w.p = putStr(w.p, kRegions[country % 8]); *w.p++ = '\t';
            w.p = putStr(w.p, "country-"); w.p = putUInt(w.p, country); *w.p++ = '\t';
            w.p = putUInt(w.p, 200 + r.below(9800)); *w.p++ = '\n';
        }
    } else if (table == "products") {
        Rng r(seed * 1000003 + 2);
        Zipf categories(30, 0.7);
        for (uint32_t id = 1; id <= PRODUCTS; ++id) {
            w.p = putUInt(w.p, id); *w.p++ = '\t';
            w.p = putStr(w.p, kCategories[categories.sample(r) - 1]); *w.p++ = '\t';
            w.p = putStr(w.p, "brand-"); w.p = putUInt(w.p, r.below(500)); *w.p++ = '\t';
            w.p = putCents(w.p, priceCents(id)); *w.p++ = '\n';
        }
    } else if (table == "customers") {
        Rng r(seed * 1000003 + 3);
        for (uint32_t id = 1; id <= CUSTOMERS; ++id) {
            uint32_t s = r.below(100);
            w.p = putUInt(w.p, id); *w.p++ = '\t';
            w.p = putStr(w.p, kSegments[s < 70 ? 0 : s < 90 ? 1 : 2]); *w.p++ = '\t';
            w.p = putStr(w.p, "country-"); w.p = putUInt(w.p, r.below(40)); *w.p++ = '\t';
            w.p = putDate(w.p, SALES_DAY0 - 1 - r.below(3650)); *w.p++ = '\n';
            w.flushIfFull();
        }
    } else if (table == "sales") {
        Rng r(seed * 1000003 + 4);
        Zipf products(PRODUCTS, 0.9), customers(CUSTOMERS, 0.6), quantity(10, 1.5);
        for (uint64_t i = 0; i < scale; ++i) {
            int64_t day = SALES_DAY0 + int64_t((double(i) + 0.5) / double(scale) * 365.0);
            uint32_t store = 1 + r.below(STORES);
            uint32_t product = scatter(products.sample(r), PRODUCTS, 7919);
            uint32_t customer = scatter(customers.sample(r), CUSTOMERS, 104729);
            uint32_t q = quantity.sample(r);
            w.p = putDate(w.p, day); *w.p++ = '\t';
            w.p = putUInt(w.p, store); *w.p++ = '\t';
            w.p = putUInt(w.p, product); *w.p++ = '\t';
            w.p = putUInt(w.p, customer); *w.p++ = '\t';
            w.p = putUInt(w.p, q); *w.p++ = '\t';
            w.p = putCents(w.p, q * priceCents(product)); *w.p++ = '\n';
            w.flushIfFull();
        }
    } else if (table == "pit_events" || table == "pit_features") {
        // Entities: ranks 1..E_all by Zipf popularity; only ranks 1..E get feature updates.
        const uint32_t with_updates = uint32_t(std::max<uint64_t>(10, scale / 100));
        const uint32_t all = with_updates + with_updates / 10;
        // A scattered id per rank: rank * a constant modulo the prime 4294967291 (distinct for every rank).
        auto entityId = [](uint32_t rank) { return uint32_t((uint64_t(rank) * 2654435761ULL) % 4294967291ULL); };
        if (table == "pit_events") {
            Rng r(seed * 1000003 + 5);
            Zipf entities(all, 0.8);
            for (uint64_t i = 0; i < scale; ++i) {
                int64_t ts = START_TS + int64_t((double(i) + 0.5) / double(scale) * double(SPAN)) + r.below(60);
                if (ts >= END_TS) ts -= 60;
                uint32_t t = r.below(100);
                w.p = putDateTime(w.p, ts); *w.p++ = '\t';
                w.p = putUInt(w.p, entityId(entities.sample(r))); *w.p++ = '\t';
                w.p = putStr(w.p, kEventTypes[t < 70 ? 0 : t < 90 ? 1 : t < 97 ? 2 : 3]); *w.p++ = '\n';
                w.flushIfFull();
            }
        } else {
            Rng r(seed * 1000003 + 6);
            Zipf entities(with_updates, 0.8);
            const uint64_t n = std::max<uint64_t>(1, scale / 10);
            struct U { uint32_t entity; int64_t ts; uint32_t cents; };
            std::vector<U> us(n);
            const int64_t from = START_TS - 2 * 86400, span = END_TS - from;
            for (auto& u : us) u = {entityId(entities.sample(r)), from + int64_t(r.below(uint32_t(span))), r.below(100001)};
            // (entity, ts) unique: a repeated time moves one second later (and past any it then meets).
            std::sort(us.begin(), us.end(), [](const U& a, const U& b) { return a.entity != b.entity ? a.entity < b.entity : a.ts < b.ts; });
            for (size_t i = 1; i < us.size(); ++i)
                if (us[i].entity == us[i - 1].entity && us[i].ts <= us[i - 1].ts) us[i].ts = us[i - 1].ts + 1;
            std::stable_sort(us.begin(), us.end(), [](const U& a, const U& b) { return a.ts < b.ts; });
            for (const auto& u : us) {
                w.p = putUInt(w.p, u.entity); *w.p++ = '\t';
                w.p = putDateTime(w.p, u.ts); *w.p++ = '\t';
                w.p = putCents(w.p, u.cents); *w.p++ = '\n';
                w.flushIfFull();
            }
        }
    } else {
        fprintf(stderr, "gen_joins: unknown table %s\n", table.c_str());
        return 2;
    }
    w.flush();
    if (fclose(out) != 0) { perror(argv[2]); return 1; }
    return 0;
}
