// asof_join_test.cpp — point-in-time property test of ASOF JOIN through SQL (Session): random
// events (entity key, event time) and random feature updates (entity key, update time, value) over
// many entities — duplicate event times, entities without updates, keys with no entity at all,
// events before the first and after the last update, events exactly at an update time — joined by
// `events ASOF [LEFT] JOIN features ON e.k = f.k AND e.t <op> f.t` for every <op>, and each event's
// result checked against a brute-force scan of its key's updates:
//   >=  the latest update at or before the event,   >  the latest strictly before it,
//   <=  the earliest update at or after the event,   <  the earliest strictly after it;
// LEFT keeps every event once (no match: f.id = 0), INNER keeps exactly the matched events.
// Update times are unique per key in the main property, so the expected update is unique and is
// checked by id; `Ties` lets several updates of a key share a time (with different values) and
// checks only that the matched update has the event's key and the expected time.
// Each seed also varies the key type, the time types of both sides (mixed types go through the
// common type), the way the inequality is written, the block size and the thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "test_engine.h"

using namespace basalt;

namespace {

struct Event { uint32_t id; uint64_t k; int64_t t; };
struct Update { uint32_t id; uint64_t k; int64_t t; int64_t v; };

enum class Op { GreaterOrEquals, Greater, LessOrEquals, Less };
const char* opSql(Op op) {
    switch (op) {
        case Op::GreaterOrEquals: return ">=";
        case Op::Greater: return ">";
        case Op::LessOrEquals: return "<=";
        case Op::Less: return "<";
    }
    return "";
}
// The same condition with the sides swapped (`e.t >= f.t` is `f.t <= e.t`).
const char* mirroredSql(Op op) {
    switch (op) {
        case Op::GreaterOrEquals: return "<=";
        case Op::Greater: return "<";
        case Op::LessOrEquals: return ">=";
        case Op::Less: return ">";
    }
    return "";
}
bool holds(Op op, int64_t event_t, int64_t update_t) {
    switch (op) {
        case Op::GreaterOrEquals: return event_t >= update_t;
        case Op::Greater: return event_t > update_t;
        case Op::LessOrEquals: return event_t <= update_t;
        case Op::Less: return event_t < update_t;
    }
    return false;
}
// Whether update time `a` is a better match than `b` (closer to the event on the allowed side).
bool better(Op op, int64_t a, int64_t b) { return op == Op::GreaterOrEquals || op == Op::Greater ? a > b : a < b; }

// Column types of one run: the key, then the event and feature time types and how a raw int64
// time becomes a value of each (`{}` is the raw time; both sides get the same offset, so the
// order of raw times is the order of the stored values).
struct TimeTypes { const char* left_type; const char* left_expr; const char* right_type; const char* right_expr; };
const TimeTypes kTimeTypes[] = {
    {"Int64", "t", "Int64", "t"},
    {"Int32", "toInt32(t)", "Int64", "t"},
    {"UInt32", "toUInt32(t + 1000000)", "UInt64", "toUInt64(t + 1000000)"},
    {"DateTime", "toDateTime(t + 1700000000)", "DateTime", "toDateTime(t + 1700000000)"},
    {"DateTime64(3)", "toDateTime64(t + 1700000000, 3)", "DateTime64(3)", "toDateTime64(t + 1700000000, 3)"},
    {"DateTime", "toDateTime(t + 1700000000)", "DateTime64(3)", "toDateTime64(t + 1700000000, 3)"},
    {"Float64", "toFloat64(t)", "Int64", "t"},
};
struct KeyType { const char* type; const char* expr; };
const KeyType kKeyTypes[] = {
    {"UInt64", "k"},
    {"String", "concat('entity-', toString(k))"},
    {"LowCardinality(String)", "toLowCardinality(concat('e', toString(k)))"},
    {"Int32", "toInt32(k) - 500"},
};

struct Data {
    std::vector<Event> events;
    std::vector<Update> updates;   // updates[i].id == i + 1
    std::map<uint64_t, std::vector<const Update*>> by_key;
};

// `entities` entity keys (scattered); the first ~20% get no updates; events also use keys that are
// no entity at all. Update times lie in [0, span); event times in [-span/10, span + span/10), and a
// third of the events of entities with updates sit exactly on one of their updates' times.
Data generate(std::mt19937_64& rng, size_t entities, size_t n_events, size_t n_updates, int64_t span, bool unique_times) {
    Data d;
    auto keyOf = [](size_t entity) { return uint64_t(entity) * 7 + 3; };
    size_t no_updates = entities / 5;
    std::uniform_int_distribution<size_t> updated_entity(no_updates, entities - 1);
    std::uniform_int_distribution<int64_t> update_time(0, span - 1);
    std::uniform_int_distribution<int64_t> value(-1000000, 1000000);
    std::set<std::pair<uint64_t, int64_t>> used;
    while (d.updates.size() < n_updates) {
        uint64_t k = keyOf(updated_entity(rng));
        int64_t t = update_time(rng);
        if (unique_times && !used.insert({k, t}).second) continue;
        d.updates.push_back({uint32_t(d.updates.size() + 1), k, t, value(rng)});
    }
    if (!unique_times) {
        // Make ties certain: copy some updates' (key, time) onto new updates with other values.
        for (size_t i = 0, n = d.updates.size() / 4; i < n; ++i) {
            Update u = d.updates[rng() % d.updates.size()];
            u.id = uint32_t(d.updates.size() + 1);
            u.v = value(rng);
            d.updates.push_back(u);
        }
    }
    std::shuffle(d.updates.begin(), d.updates.end(), rng);   // insertion order is not time order
    for (size_t i = 0; i < d.updates.size(); ++i) d.updates[i].id = uint32_t(i + 1);
    for (const auto& u : d.updates) d.by_key[u.k].push_back(&u);

    std::uniform_int_distribution<size_t> any_entity(0, entities + entities / 10);   // past `entities`: unknown keys
    std::uniform_int_distribution<int64_t> event_time(-span / 10, span + span / 10 - 1);
    for (size_t i = 0; i < n_events; ++i) {
        uint64_t k = keyOf(any_entity(rng));
        int64_t t = event_time(rng);
        auto it = d.by_key.find(k);
        if (it != d.by_key.end() && rng() % 3 == 0) t = it->second[rng() % it->second.size()]->t;
        d.events.push_back({uint32_t(i + 1), k, t});
    }
    return d;
}

// The best update for an event under `op`, or null.
const Update* bruteForce(const Data& d, const Event& e, Op op) {
    auto it = d.by_key.find(e.k);
    if (it == d.by_key.end()) return nullptr;
    const Update* best = nullptr;
    for (const Update* u : it->second)
        if (holds(op, e.t, u->t) && (!best || better(op, u->t, best->t))) best = u;
    return best;
}

// Loads the data into Memory tables `events` / `features` with the given types; events in several
// INSERTs so the probe side has several blocks.
void load(TestEngine& eng, const Data& d, const KeyType& key, const TimeTypes& tt) {
    std::ostringstream ev, fv;
    for (size_t i = 0; i < d.events.size(); ++i) ev << (i ? "," : "") << '(' << d.events[i].id << ',' << d.events[i].k << ',' << d.events[i].t << ')';
    for (size_t i = 0; i < d.updates.size(); ++i) {
        const Update& u = d.updates[i];
        fv << (i ? "," : "") << '(' << u.id << ',' << u.k << ',' << u.t << ',' << u.v << ')';
    }
    eng.run("DROP TABLE IF EXISTS events_raw");
    eng.run("DROP TABLE IF EXISTS features_raw");
    eng.run("DROP TABLE IF EXISTS events");
    eng.run("DROP TABLE IF EXISTS features");
    eng.run("CREATE TABLE events_raw (id UInt32, k UInt64, t Int64) ENGINE = Memory");
    eng.run("CREATE TABLE features_raw (id UInt32, k UInt64, t Int64, v Int64) ENGINE = Memory");
    eng.run("INSERT INTO events_raw VALUES " + ev.str());
    eng.run("INSERT INTO features_raw VALUES " + fv.str());
    eng.run(std::string("CREATE TABLE events (id UInt32, k ") + key.type + ", t " + tt.left_type + ") ENGINE = Memory");
    eng.run(std::string("CREATE TABLE features (id UInt32, k ") + key.type + ", t " + tt.right_type + ", v Int64) ENGINE = Memory");
    for (int part = 0; part < 4; ++part)
        eng.run(std::string("INSERT INTO events SELECT id, ") + key.expr + ", " + tt.left_expr + " FROM events_raw WHERE id % 4 = " + std::to_string(part));
    for (int part = 0; part < 2; ++part)
        eng.run(std::string("INSERT INTO features SELECT id, ") + key.expr + ", " + tt.right_expr + ", v FROM features_raw WHERE id % 2 = " + std::to_string(part));
}

struct Row { uint32_t event_id; uint32_t update_id; int64_t v; };
std::vector<Row> parse(const std::string& tsv) {
    std::vector<Row> rows;
    std::istringstream in(tsv);
    std::string line;
    while (std::getline(in, line)) {
        Row r{};
        std::istringstream f(line);
        f >> r.event_id >> r.update_id >> r.v;
        rows.push_back(r);
    }
    return rows;
}

// Runs `op` as ASOF LEFT and ASOF INNER and checks every event. With `exact_ids` the matched
// update must be the brute-force one; otherwise (ties) any update of the event's key at the
// brute-force time. Returns the number of events the join matched.
size_t checkOp(TestEngine& eng, const Data& d, Op op, bool mirrored, const std::string& settings, bool exact_ids, const std::string& label) {
    std::string cond = mirrored ? std::string("f.t ") + mirroredSql(op) + " e.t" : std::string("e.t ") + opSql(op) + " f.t";
    std::string on = " ON e.k = f.k AND " + cond;
    size_t matched = 0;
    for (bool left : {true, false}) {
        std::string sql = std::string("SELECT e.id, f.id, f.v FROM events AS e ASOF ") + (left ? "LEFT " : "") + "JOIN features AS f" + on + settings;
        SCOPED_TRACE(label + ": " + sql);
        std::vector<Row> rows = parse(eng.run(sql));
        std::vector<int> seen(d.events.size() + 1, 0);
        size_t expected_rows = 0, bad = 0;
        for (const Event& ev : d.events) expected_rows += left || bruteForce(d, ev, op) ? 1 : 0;
        EXPECT_EQ(rows.size(), expected_rows);
        for (const Row& r : rows) {
            if (r.event_id < 1 || r.event_id > d.events.size()) {
                ADD_FAILURE() << "event id " << r.event_id << " out of range";
                return matched;
            }
            ++seen[r.event_id];
            const Event& ev = d.events[r.event_id - 1];
            const Update* want = bruteForce(d, ev, op);
            const Update* got = r.update_id ? &d.updates.at(r.update_id - 1) : nullptr;
            bool ok;
            if (!want) ok = !got && r.v == 0 && left;
            else if (!got) ok = false;
            else if (exact_ids) ok = got == want && r.v == want->v;
            else ok = got->k == ev.k && got->t == want->t && r.v == got->v;
            if (!ok && ++bad <= 5)
                ADD_FAILURE() << "event " << ev.id << " (k " << ev.k << ", t " << ev.t << "): expected "
                              << (want ? "update " + std::to_string(want->id) + " (t " + std::to_string(want->t) + ")" : std::string("no match"))
                              << ", got " << (got ? "update " + std::to_string(got->id) + " (k " + std::to_string(got->k) + ", t " + std::to_string(got->t) + ")" : std::string("no match"))
                              << " v " << r.v;
            if (got && !holds(op, ev.t, got->t) && bad <= 6) ADD_FAILURE() << "event " << ev.id << " matched an update on the wrong side of its time";
            matched += left && got ? 1 : 0;
        }
        EXPECT_EQ(bad, 0u);
        for (const Event& ev : d.events) {
            int want = left || bruteForce(d, ev, op) ? 1 : 0;
            if (seen[ev.id] != want) {
                ADD_FAILURE() << "event " << ev.id << " appears " << seen[ev.id] << " times, expected " << want;
                break;
            }
        }
        // The join feeding an aggregation (the benchmark's shape) agrees too.
        int64_t sum = 0;
        size_t count = 0;
        for (const Event& ev : d.events)
            if (const Update* u = bruteForce(d, ev, op)) { ++count; sum += u->v; }
            else if (left) ++count;
        if (exact_ids) {
            std::string agg = std::string("SELECT count(), sum(f.v) FROM events AS e ASOF ") + (left ? "LEFT " : "") + "JOIN features AS f" + on + settings;
            EXPECT_EQ(eng.run(agg), std::to_string(count) + "\t" + std::to_string(sum) + "\n") << agg;
        }
    }
    return matched;
}

struct Config { size_t entities, events, updates; int64_t span; };

void runSeed(uint64_t seed, bool unique_times) {
    std::mt19937_64 rng(seed);
    // Seed 12: a feature table larger than one block (65,536 rows) and many rows per key.
    const Config cfg = !unique_times ? Config{200, 3000, 1500, 3000} : seed == 12 ? Config{1000, 20000, 70000, 1000000} : Config{300, 4000, 2500, 20000};
    Data d = generate(rng, cfg.entities, cfg.events, cfg.updates, cfg.span, unique_times);
    const KeyType& key = kKeyTypes[seed % std::size(kKeyTypes)];
    const TimeTypes& tt = kTimeTypes[(seed / 3) % std::size(kTimeTypes)];
    TestEngine eng;
    load(eng, d, key, tt);
    const size_t block = std::vector<size_t>{97, 1000, 65536}[seed % 3];
    const int threads = int(1 + seed % 4);
    const std::string settings = " SETTINGS max_threads = " + std::to_string(threads) + ", max_block_size = " + std::to_string(block);
    const std::string label = "seed " + std::to_string(seed) + ", key " + key.type + ", times " + tt.left_type + " / " + tt.right_type +
                              ", " + settings;

    // The generator covers what the property is about.
    size_t before_first = 0, no_updates = 0, on_update = 0;
    for (const Event& ev : d.events) {
        auto it = d.by_key.find(ev.k);
        if (it == d.by_key.end()) { ++no_updates; continue; }
        int64_t first = INT64_MAX;
        for (const Update* u : it->second) first = std::min(first, u->t);
        before_first += ev.t < first;
        on_update += std::any_of(it->second.begin(), it->second.end(), [&](const Update* u) { return u->t == ev.t; });
    }
    EXPECT_GT(before_first, 0u) << label;
    EXPECT_GT(no_updates, 0u) << label;
    EXPECT_GT(on_update, d.events.size() / 5) << label;

    for (Op op : {Op::GreaterOrEquals, Op::Greater, Op::LessOrEquals, Op::Less}) {
        size_t matched = checkOp(eng, d, op, /*mirrored=*/(seed + int(op)) % 2 == 1, settings, unique_times, label);
        EXPECT_GT(matched, 0u) << label;
        EXPECT_LT(matched, d.events.size()) << label;
    }
}

}  // namespace

TEST(AsofJoin, PointInTimeMatchesBruteForce) {
    // Seeds 1..21 cover every key type, time-type pair, block size and thread count.
    for (uint64_t seed = 1; seed <= 21; ++seed) runSeed(seed, true);
}

TEST(AsofJoin, TiesMatchTheExpectedTime) {
    for (uint64_t seed : {101, 102, 103, 104}) runSeed(seed, false);
}

// The feature side as a subquery that filters and renames, and a second equi key: the same
// brute-force answer restricted to the surviving updates.
TEST(AsofJoin, SubqueryRightSideAndTwoKeys) {
    std::mt19937_64 rng(77);
    Data d = generate(rng, 150, 2000, 1200, 5000, true);
    TestEngine eng;
    load(eng, d, kKeyTypes[0], kTimeTypes[0]);
    std::map<uint32_t, std::pair<uint32_t, int64_t>> expected;   // event id -> (update id, value), only kept updates (v even)
    for (const Event& ev : d.events) {
        const Update* best = nullptr;
        auto it = d.by_key.find(ev.k);
        if (it != d.by_key.end())
            for (const Update* u : it->second)
                if (u->v % 2 == 0 && ev.t >= u->t && (!best || u->t > best->t)) best = u;
        expected[ev.id] = best ? std::make_pair(best->id, best->v) : std::make_pair(0u, int64_t(0));
    }
    std::string sql = "SELECT e.id, s.uid, s.val FROM events AS e ASOF LEFT JOIN "
                      "(SELECT id AS uid, k AS key, k % 2 AS parity, t AS ut, v AS val FROM features WHERE v % 2 = 0) AS s "
                      "ON e.k = s.key AND e.k % 2 = s.parity AND e.t >= s.ut ORDER BY e.id SETTINGS max_threads = 3, max_block_size = 500";
    std::vector<Row> rows = parse(eng.run(sql));
    ASSERT_EQ(rows.size(), d.events.size());
    size_t bad = 0;
    for (const Row& r : rows) {
        auto want = expected.at(r.event_id);
        if ((r.update_id != want.first || r.v != want.second) && ++bad <= 5)
            ADD_FAILURE() << "event " << r.event_id << ": expected update " << want.first << ", got " << r.update_id;
    }
    EXPECT_EQ(bad, 0u);
}
