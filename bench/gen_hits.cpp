// gen_hits.cpp — deterministic generator of a synthetic table with ClickBench's `hits` schema (105
// columns; bench/hits_schema.txt names them in order) as TabSeparated, for bench/bench.js.
//
//   gen_hits ROWS OUT.tsv [SEED]        (defaults: SEED 42)
//
// ClickBench's real data set (a Yandex.Metrica dump) is 100M rows and 75 GB of TSV; this one is
// scalable and small enough for CI-sized machines but keeps the shapes its 43 queries depend on:
//   - EventTime over July 2013 (UTC) in arrival order with a diurnal curve; EventDate its date.
//   - UserID Zipf(0.9) over ROWS/5 users; per-user attributes (ClientIP, RegionID, OS, UserAgent,
//     resolution, mobile phone, language, country, age/sex/income, time zone, Flash) are a function
//     of the user, as in real traffic; rank 1000 is user 435090932899640449 (ClickBench's Q20).
//   - CounterID Zipf(1.1) over 20,000 sites, the most popular being 62 (Q37–Q43 filter on it).
//   - URL: a domain (Zipf over 5,000, a few google.* ones) and a page: 70% of the hits go to
//     popular pages (Zipf over 200,000), 30% to long-tail pages (16M), so GROUP BY URL has
//     millions of keys at 10M rows; Title is a function of the page; URLHash/RefererHash hash the strings, the
//     top page of site 62 hashing to 2868770270353813622 and the top referer to
//     3594120000172545465 (Q42, Q41).
//   - Referer: half empty, else a search-engine results page carrying the SearchPhrase or another
//     site's page. SearchPhrase: ~18% of hits, Zipf over 300,000 phrases of 1–4 words.
//   - Flags with realistic rates (IsRefresh 8%, DontCountHits 3%, IsLink 2%, IsDownload 0.5%,
//     AdvEngineID non-zero 3%, IsMobile ~12%) and many all-zero / all-empty columns, as in the
//     original. Strings never contain a tab, newline or backslash (no TSV escaping needed).
// The same ROWS and SEED give byte-identical output on any machine.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gen_common.h"

using namespace gen;

namespace {

constexpr int64_t START_TS = 1372636800;   // 2013-07-01 00:00:00 UTC
constexpr int64_t DAYS = 31;
constexpr uint32_t COUNTERS = 20000;
constexpr uint32_t DOMAINS = 5000;
constexpr uint32_t POPULAR_PAGES = 200000;
constexpr uint32_t PHRASES = 300000;
constexpr uint32_t REGIONS = 3000;
constexpr uint64_t Q20_USER = 435090932899640449ULL;
constexpr int64_t Q41_REFERER_HASH = 3594120000172545465LL;
constexpr int64_t Q42_URL_HASH = 2868770270353813622LL;

uint64_t mix(uint64_t x) {   // splitmix64 finalizer: a stable hash of an integer
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

int64_t hashString(const std::string& s) {   // FNV-1a, mixed, as a non-negative Int64
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return int64_t(mix(h) >> 1);
}

// Words are syllable strings; a few real words the queries search for are mixed in.
const char* kSyllables[] = {"ka", "ro", "mi", "te", "sa", "lo", "vi", "na", "po", "re", "du", "ze", "la", "mo",
                            "ti", "ne", "ba", "gu", "fe", "sho", "kra", "pla", "sto", "dri", "vel", "mar", "tor", "lin"};
const char* kRealWords[] = {"news", "sport", "video", "games", "weather", "music", "movie", "film", "shop", "cart",
                            "search", "auto", "travel", "photo", "online", "free", "download", "forum", "map", "radio"};
std::string word(uint64_t id) {   // word number `id` of the vocabulary
    const uint64_t h = mix(id ^ 0xa5a5a5a5ULL);
    if (h % 7 == 0) return kRealWords[(h / 7) % 20];
    std::string w;
    int n = 2 + int((h >> 8) % 3);
    for (int i = 0; i < n; ++i) w += kSyllables[(h >> (12 + 5 * i)) % 28];
    return w;
}
std::string words(uint64_t seed, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
        if (i) s += ' ';
        s += word(mix(seed * 31 + uint64_t(i)) % 50021);   // a 50k-word vocabulary
    }
    return s;
}

const char* kTlds[] = {"ru", "com", "net", "org", "ua", "by", "kz", "de"};
std::string domain(uint32_t rank) {   // rank 1..DOMAINS
    if (rank == 3) return "google.com";
    if (rank == 17) return "images.google.ru";
    if (rank == 40) return "maps.google.com";
    uint64_t h = mix(rank);
    std::string d = word(h % 50021);
    if (h % 3 == 0) d = word((h >> 20) % 50021) + "." + d;
    return d + "." + kTlds[(h >> 40) % 8];
}

const char* kSections[] = {"news", "catalog", "item", "article", "video", "search", "forum", "user", "photo", "page"};
std::string pagePath(uint64_t page) {   // page 0 = the home page
    if (page == 0) return "/";
    uint64_t h = mix(page);
    std::string p = "/";
    p += kSections[h % 10];
    p += '/';
    if (h % 4 == 0) { p += word((h >> 8) % 50021); p += '/'; }
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)(page % 1000003));
    p += num;
    if ((h >> 30) % 5 == 0) p += ".html";
    if ((h >> 34) % 6 == 0) { p += "?utm_source="; p += word((h >> 40) % 50021); }
    return p;
}

const char* kModels[] = {"iPhone", "iPad", "GT-I9300", "GT-N7100", "Lumia 920", "HTC One", "Nexus 4", "Xperia Z",
                         "GT-S5830", "Galaxy S4", "Desire HD", "Optimus G"};
const char* kLanguages[] = {"ru", "en", "uk", "be", "kk", "de", "tr", "fr"};
const char* kCountries[] = {"ru", "ua", "by", "kz", "us", "de", "tr", "fr", "il", "uz"};
const int kWidths[] = {1366, 1920, 1280, 1024, 1440, 1600, 1680, 1360, 320, 360, 768, 2560};
const int kHeights[] = {768, 1080, 1024, 768, 900, 900, 1050, 768, 480, 640, 1024, 1440};
const char* kCharsets[] = {"utf-8", "windows-1251", "koi8-r", ""};
const char* kColors[] = {"D", "E", "F", "5"};
const char* kUtm[] = {"yandex", "google", "vk", "email", "facebook", "direct"};
const char* kSearchHosts[] = {"http://www.google.com/search?q=", "http://yandex.ru/yandsearch?text=",
                              "https://go.mail.ru/search?q=", "http://nova.rambler.ru/search?query="};

struct User {   // attributes fixed per user
    int64_t user_id, client_ip, ip_network;
    int32_t region, os, user_agent, width, height, tz, age, sex, income, interests, flash_major, flash_minor;
    int32_t is_mobile, mobile_phone, java, ua_major;
    const char* model; const char* lang; const char* country; const char* ua_minor;
};

User makeUser(uint32_t rank, const Zipf& regions) {
    Rng r(mix(rank) ^ 0x5eed);
    User u{};
    u.user_id = rank == 1000 ? int64_t(Q20_USER) : int64_t(mix(uint64_t(rank) * 2654435761ULL) >> 1);
    u.client_ip = int64_t(int32_t(uint32_t(r.next())));
    u.ip_network = int64_t(r.below(100000));
    u.region = int32_t(regions.sample(r));
    u.os = int32_t(r.below(100) < 60 ? r.below(5) : r.below(100));
    u.user_agent = int32_t(r.below(100) < 70 ? r.below(8) : r.below(120));
    u.is_mobile = r.below(100) < 12;
    int res = u.is_mobile ? 8 + int(r.below(3)) : int(r.below(8) + (r.below(10) == 0 ? 4 : 0)) % 12;
    u.width = kWidths[res]; u.height = kHeights[res];
    u.mobile_phone = u.is_mobile ? int32_t(1 + r.below(40)) : 0;
    u.model = u.is_mobile ? kModels[r.below(12)] : "";
    uint32_t l = r.below(100);
    u.lang = l < 70 ? "ru" : kLanguages[r.below(8)];
    u.country = l < 65 ? "ru" : kCountries[r.below(10)];
    if (r.below(100) < 3) u.country = "";
    u.tz = int32_t(r.below(10) < 8 ? 3 : int(r.below(25)) - 12);
    u.age = int32_t(r.below(100) < 40 ? 0 : 16 + r.below(50));
    u.sex = int32_t(u.age ? 1 + r.below(2) : 0);
    u.income = int32_t(u.age ? r.below(5) : 0);
    u.interests = int32_t(r.below(3) ? r.below(1024) : 0);
    u.flash_major = int32_t(u.is_mobile ? 0 : r.below(100) < 70 ? 11 : r.below(11));
    u.flash_minor = int32_t(u.flash_major ? r.below(10) : 0);
    u.java = r.below(100) < 70;
    u.ua_major = int32_t(r.below(40));
    static const char* kMinor[] = {"0", "1", "2", "5", "D7", "a", "10"};
    u.ua_minor = kMinor[r.below(7)];
    return u;
}

struct Out {
    std::vector<char> buf = std::vector<char>(1 << 23);
    char* p = buf.data();
    FILE* f;
    void i(int64_t v) { p = putInt(p, v); *p++ = '\t'; }
    void s(const char* v) { p = putStr(p, v); *p++ = '\t'; }
    void s(const std::string& v) { memcpy(p, v.data(), v.size()); p += v.size(); *p++ = '\t'; }
    void dateTime(int64_t ts) {
        int y; unsigned m, d;
        civil(ts / 86400, y, m, d);
        p = putUInt(p, unsigned(y)); *p++ = '-'; p = put2(p, m); *p++ = '-'; p = put2(p, d); *p++ = ' ';
        int64_t sod = ts % 86400;
        p = put2(p, unsigned(sod / 3600)); *p++ = ':'; p = put2(p, unsigned(sod / 60 % 60)); *p++ = ':';
        p = put2(p, unsigned(sod % 60)); *p++ = '\t';
    }
    void date(int64_t ts) {
        int y; unsigned m, d;
        civil(ts / 86400, y, m, d);
        p = putUInt(p, unsigned(y)); *p++ = '-'; p = put2(p, m); *p++ = '-'; p = put2(p, d); *p++ = '\t';
    }
    void endRow() {
        p[-1] = '\n';
        if (size_t(p - buf.data()) > buf.size() - 65536) flush();
    }
    void flush() { fwrite(buf.data(), 1, size_t(p - buf.data()), f); p = buf.data(); }
};

}  // namespace

int main(int argc, char** argv) {
    uint64_t rows, seed;
    Out o;
    o.f = openGeneratorArgs(argc, argv, "gen_hits", rows, seed);

    Rng rng(seed);
    const uint32_t users_n = uint32_t(std::max<uint64_t>(2000, rows / 5));
    Zipf users(users_n, 0.9), counters(COUNTERS, 1.1), domains(DOMAINS, 1.0), pages(POPULAR_PAGES, 1.0),
        phrases(PHRASES, 0.9), regions(REGIONS, 1.2), adv(30, 1.5);
    const std::vector<double> day_cdf = diurnalDayCdf();
    const std::string top_url = "http://" + domain(1) + "/";
    const std::string top_referer = "http://www.google.com/";

    for (uint64_t row = 0; row < rows; ++row) {
        double q = (double(row) + 0.5) / double(rows) * double(DAYS);
        int64_t day = std::min<int64_t>(DAYS - 1, int64_t(q));
        int64_t sec = std::lower_bound(day_cdf.begin(), day_cdf.end(), q - double(day)) - day_cdf.begin();
        int64_t ts = START_TS + day * 86400 + std::min<int64_t>(sec, 86399);

        const User u = makeUser(users.sample(rng), regions);
        uint32_t counter_rank = counters.sample(rng);
        int64_t counter_id = counter_rank == 1 ? 62 : 100 + int64_t(mix(counter_rank) % 1000000);

        // URL: the counter's own site for most hits, its home page often.
        uint32_t dom = rng.below(100) < 70 ? 1 + uint32_t(mix(counter_rank) % DOMAINS) : domains.sample(rng);
        if (counter_rank == 1) dom = 1;
        uint64_t page = rng.below(100) < 70 ? (rng.below(100) < 15 ? 0 : pages.sample(rng))
                                            : POPULAR_PAGES + (rng.next() >> 40);
        const bool https = mix(dom) % 5 == 0, www = mix(dom + 7) % 3 == 0;
        std::string url = std::string(https ? "https://" : "http://") + (www ? "www." : "") + domain(dom) + pagePath(page);
        if (rng.below(1000) == 0) url.clear();
        std::string title;
        if (!url.empty() && rng.below(100) < 95) {
            title = words(mix(page) ^ dom, 2 + int(mix(page + 3) % 4));
            if (dom == 3 || dom == 17 || dom == 40 || rng.below(1000) < 3) title += " - Google";
            else { title += " - "; title += words(dom, 1); }
        }

        // Search and referer.
        int32_t search_engine = 0;
        std::string phrase, referer;
        uint32_t rr = rng.below(100);
        if (rr < 18) {
            uint32_t ph = phrases.sample(rng);
            phrase = words(uint64_t(ph) * 7919, 1 + int(mix(ph) % 4));
            search_engine = int32_t(1 + rng.below(4));
            referer = std::string(kSearchHosts[search_engine - 1]) + phrase;
            for (char& c : referer) if (c == ' ') c = '+';
        } else if (rr < 22) {
            referer = top_referer;
        } else if (rr < 50) {
            uint32_t rd = domains.sample(rng);
            referer = "http://" + std::string(mix(rd + 7) % 3 == 0 ? "www." : "") + domain(rd) + pagePath(pages.sample(rng));
        }
        const int64_t url_hash = url == top_url ? Q42_URL_HASH : hashString(url);
        const int64_t referer_hash = referer == top_referer ? Q41_REFERER_HASH : hashString(referer);
        const int32_t adv_engine = rng.below(100) < 3 ? int32_t(adv.sample(rng)) : 0;
        const uint32_t ts_r = rng.below(100);
        const int32_t trafic = search_engine ? 2 : adv_engine ? 3 : referer.empty() ? (ts_r < 50 ? -1 : 1) : (ts_r < 30 ? 6 : 0);
        const bool refresh = rng.below(100) < 8;
        const uint32_t timing = rng.below(100);

        o.i(int64_t(rng.next() >> 1));                          // WatchID
        o.i(u.java);                                            // JavaEnable
        o.s(title);                                             // Title
        o.i(1);                                                 // GoodEvent
        o.dateTime(ts);                                         // EventTime
        o.date(ts);                                             // EventDate
        o.i(counter_id);                                        // CounterID
        o.i(u.client_ip);                                       // ClientIP
        o.i(u.region);                                          // RegionID
        o.i(u.user_id);                                         // UserID
        o.i(counter_rank % 3);                                  // CounterClass
        o.i(u.os);                                              // OS
        o.i(u.user_agent);                                      // UserAgent
        o.s(url);                                               // URL
        o.s(referer);                                           // Referer
        o.i(refresh);                                           // IsRefresh
        o.i(referer.empty() ? 0 : int64_t(mix(referer_hash) % 20));   // RefererCategoryID
        o.i(referer.empty() ? 0 : u.region);                    // RefererRegionID
        o.i(int64_t(mix(dom) % 30));                            // URLCategoryID
        o.i(int64_t(mix(dom + 1) % 300));                       // URLRegionID
        o.i(u.width);                                           // ResolutionWidth
        o.i(u.height);                                          // ResolutionHeight
        o.i(u.is_mobile ? 32 : 24);                             // ResolutionDepth
        o.i(u.flash_major);                                     // FlashMajor
        o.i(u.flash_minor);                                     // FlashMinor
        o.s(u.flash_major ? "0" : "");                          // FlashMinor2
        o.i(u.is_mobile ? 0 : 4);                               // NetMajor
        o.i(0);                                                 // NetMinor
        o.i(u.ua_major);                                        // UserAgentMajor
        o.s(u.ua_minor);                                        // UserAgentMinor
        o.i(1);                                                 // CookieEnable
        o.i(1);                                                 // JavascriptEnable
        o.i(u.is_mobile);                                       // IsMobile
        o.i(u.mobile_phone);                                    // MobilePhone
        o.s(u.model);                                           // MobilePhoneModel
        o.s(rng.below(100) < 2 ? "p=1" : "");                   // Params
        o.i(u.ip_network);                                      // IPNetworkID
        o.i(trafic);                                            // TraficSourceID
        o.i(search_engine);                                     // SearchEngineID
        o.s(phrase);                                            // SearchPhrase
        o.i(adv_engine);                                        // AdvEngineID
        o.i(0);                                                 // IsArtifical
        o.i(u.width - int32_t(rng.below(40)));                  // WindowClientWidth
        o.i(u.height - 100 - int32_t(rng.below(60)));           // WindowClientHeight
        o.i(u.tz);                                              // ClientTimeZone
        o.dateTime(ts + int64_t(rng.below(5)));                 // ClientEventTime
        o.i(0); o.i(0); o.i(0); o.i(0);                         // SilverlightVersion1..4
        o.s(kCharsets[mix(dom + 2) % 4]);                       // PageCharset
        o.i(int64_t(500 + mix(counter_rank) % 400));            // CodeVersion
        o.i(rng.below(1000) < 20);                              // IsLink
        o.i(rng.below(1000) < 5);                               // IsDownload
        o.i(rng.below(100) < 40);                               // IsNotBounce
        o.i(rng.below(2) ? int64_t(rng.next() >> 1) : 0);       // FUniqID
        o.s("");                                                // OriginalURL
        o.i(int64_t(rng.next() >> 33));                         // HID
        o.i(0);                                                 // IsOldCounter
        o.i(0);                                                 // IsEvent
        o.i(0);                                                 // IsParameter
        o.i(rng.below(100) < 3);                                // DontCountHits
        o.i(0);                                                 // WithHash
        o.s(kColors[rng.below(4)]);                             // HitColor
        o.dateTime(ts + 3600 * (u.tz - 3));                      // LocalEventTime
        o.i(u.age);                                             // Age
        o.i(u.sex);                                             // Sex
        o.i(u.income);                                          // Income
        o.i(u.interests);                                       // Interests
        o.i(rng.below(100) < 5 ? int64_t(rng.below(4)) : 0);    // Robotness
        o.i(int64_t(int32_t(uint32_t(u.client_ip) ^ 0x5a5a)));  // RemoteIP
        o.i(-1);                                                // WindowName
        o.i(-1);                                                // OpenerName
        o.i(int64_t(rng.below(20)));                            // HistoryLength
        o.s(u.lang);                                            // BrowserLanguage
        o.s(u.country);                                         // BrowserCountry
        o.s("");                                                // SocialNetwork
        o.s("");                                                // SocialAction
        o.i(0);                                                 // HTTPError
        o.i(timing < 50 ? 0 : int64_t(rng.below(2000)));        // SendTiming
        o.i(timing < 50 ? 0 : int64_t(rng.below(200)));         // DNSTiming
        o.i(timing < 50 ? 0 : int64_t(rng.below(500)));         // ConnectTiming
        o.i(timing < 50 ? 0 : int64_t(rng.below(3000)));        // ResponseStartTiming
        o.i(timing < 50 ? 0 : int64_t(rng.below(5000)));        // ResponseEndTiming
        o.i(timing < 50 ? 0 : int64_t(rng.below(1000)));        // FetchTiming
        o.i(0);                                                 // SocialSourceNetworkID
        o.s("");                                                // SocialSourcePage
        o.i(adv_engine ? int64_t(rng.below(100000)) : 0);       // ParamPrice
        o.s("");                                                // ParamOrderID
        o.s(adv_engine ? "RUB" : "");                           // ParamCurrency
        o.i(adv_engine ? 643 : 0);                              // ParamCurrencyID
        o.s("");                                                // OpenstatServiceName
        o.s("");                                                // OpenstatCampaignID
        o.s("");                                                // OpenstatAdID
        o.s("");                                                // OpenstatSourceID
        const bool utm = rng.below(100) < 3;
        o.s(utm ? kUtm[rng.below(6)] : "");                     // UTMSource
        o.s(utm ? "cpc" : "");                                  // UTMMedium
        o.s(utm ? "summer" : "");                               // UTMCampaign
        o.s("");                                                // UTMContent
        o.s("");                                                // UTMTerm
        o.s(rng.below(100) < 1 ? "ad" : "");                    // FromTag
        o.i(0);                                                 // HasGCLID
        o.i(referer_hash);                                      // RefererHash
        o.i(url_hash);                                          // URLHash
        o.i(0);                                                 // CLID
        o.endRow();
    }
    o.flush();
    if (fclose(o.f) != 0) { perror(argv[2]); return 1; }
    return 0;
}
