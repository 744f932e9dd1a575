-- The seed article's pipeline end to end (../shared/seed/00-clickhouse-*.md, sections 2-4): raw events
-- with a 90-day TTL -> 1-minute AggregatingMergeTree roll-up -> cascaded 1-hour -> 1-day roll-ups;
-- a CDC sink on ReplacingMergeTree read with FINAL and with argMax; SummingMergeTree counters;
-- CollapsingMergeTree updates; dictionary enrichment; backfill of a new view below a cutoff.
SET mutations_sync = 0;
CREATE TABLE events (ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String)
ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id) TTL ts + INTERVAL 90 DAY;
CREATE TABLE events_1m (minute DateTime, event_type LowCardinality(String), events AggregateFunction(count), users AggregateFunction(uniq, UInt64), value_sum AggregateFunction(sum, Float64))
ENGINE = AggregatingMergeTree PARTITION BY toYYYYMMDD(minute) ORDER BY (event_type, minute);
CREATE MATERIALIZED VIEW events_1m_mv TO events_1m AS
SELECT toStartOfMinute(ts) AS minute, event_type, countState() AS events, uniqState(user_id) AS users, sumState(value) AS value_sum
FROM events GROUP BY minute, event_type;
CREATE TABLE events_1h (hour DateTime, event_type LowCardinality(String), events AggregateFunction(count), users AggregateFunction(uniq, UInt64))
ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(hour) ORDER BY (event_type, hour);
CREATE MATERIALIZED VIEW events_1h_mv TO events_1h AS
SELECT toStartOfHour(minute) AS hour, event_type, countMergeState(events) AS events, uniqMergeState(users) AS users
FROM events_1m GROUP BY hour, event_type;
CREATE TABLE events_1d (day Date, event_type LowCardinality(String), events AggregateFunction(count), users AggregateFunction(uniq, UInt64))
ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(day) ORDER BY (event_type, day);
CREATE MATERIALIZED VIEW events_1d_mv TO events_1d AS
SELECT toDate(hour) AS day, event_type, countMergeState(events) AS events, uniqMergeState(users) AS users
FROM events_1h GROUP BY day, event_type;
INSERT INTO events SELECT toDateTime('2035-06-15 00:00:00') + number * 37, number % 101, ['click', 'view', 'purchase', 'signup'][number % 4 + 1], (number % 1000) / 10, '' FROM numbers(20000);
INSERT INTO events SELECT toDateTime('2035-06-18 00:00:00') + number * 53, number % 211, ['click', 'view', 'purchase', 'signup'][number % 3 + 1], (number % 700) / 10, '' FROM numbers(10000);
SELECT count() FROM events;
-- Dashboard query over the 1-minute roll-up (a fixed 24-hour window).
SELECT minute, event_type, countMerge(events) AS events, uniqMerge(users) AS users, round(sumMerge(value_sum), 2) AS value_sum
FROM events_1m WHERE minute >= toDateTime('2035-06-20 23:50:00') AND minute < toDateTime('2035-06-21 00:00:00')
GROUP BY minute, event_type ORDER BY minute, event_type;
-- The cascade answers what the raw events answer.
SELECT day, event_type, countMerge(events), uniqMerge(users) FROM events_1d GROUP BY day, event_type ORDER BY day, event_type;
SELECT toDate(ts) AS day, event_type, count(), uniq(user_id) FROM events GROUP BY day, event_type ORDER BY day, event_type;
SELECT hour, countMerge(events), uniqMerge(users) FROM events_1h WHERE hour < toDateTime('2035-06-15 06:00:00') GROUP BY hour ORDER BY hour;
SELECT toStartOfHour(ts) AS hour, count(), uniq(user_id) FROM events WHERE ts < toDateTime('2035-06-15 06:00:00') GROUP BY hour ORDER BY hour;
SELECT uniqMerge(users) FROM events_1d;
SELECT uniq(user_id) FROM events;
-- CDC sink: the current state with FINAL and with argMax.
CREATE TABLE orders_cdc (order_id UInt64, status LowCardinality(String), amount Decimal(12, 2), updated_at DateTime)
ENGINE = ReplacingMergeTree(updated_at) ORDER BY order_id;
INSERT INTO orders_cdc VALUES (1, 'placed', 100, '2035-06-15 10:00:00'), (2, 'placed', 50, '2035-06-15 10:05:00');
INSERT INTO orders_cdc VALUES (1, 'paid', 100, '2035-06-15 11:00:00'), (3, 'placed', 75.5, '2035-06-15 11:30:00');
INSERT INTO orders_cdc VALUES (1, 'delivered', 100, '2035-06-15 12:00:00'), (2, 'cancelled', 0, '2035-06-15 12:10:00');
SELECT order_id, status, amount, updated_at FROM orders_cdc FINAL ORDER BY order_id;
-- (The seed's `max(updated_at) AS updated_at` shadows the column inside argMax: ClickHouse refuses it.)
SELECT order_id, argMax(status, updated_at) AS status, argMax(amount, updated_at) AS amount, max(updated_at) AS updated_at
FROM orders_cdc GROUP BY order_id ORDER BY order_id /* { serverError 184 } */;
SELECT order_id, argMax(status, updated_at) AS status, argMax(amount, updated_at) AS amount, max(updated_at) AS last_update
FROM orders_cdc GROUP BY order_id ORDER BY order_id;
CREATE VIEW orders_current AS
SELECT order_id, argMax(status, updated_at) AS status, argMax(amount, updated_at) AS amount, max(updated_at) AS last_update
FROM orders_cdc GROUP BY order_id;
SELECT * FROM orders_current WHERE status != 'cancelled' ORDER BY order_id;
-- SummingMergeTree counters.
CREATE TABLE clicks_daily (day Date, page_id String, clicks UInt64) ENGINE = SummingMergeTree(clicks) PARTITION BY toYYYYMM(day) ORDER BY (day, page_id);
INSERT INTO clicks_daily VALUES ('2026-06-15', 'A', 1), ('2026-06-15', 'A', 1), ('2026-06-15', 'B', 1), ('2026-06-15', 'A', 1);
INSERT INTO clicks_daily VALUES ('2026-06-15', 'B', 5), ('2026-06-16', 'A', 2);
SELECT day, page_id, sum(clicks) AS clicks FROM clicks_daily WHERE day = '2026-06-15' GROUP BY day, page_id ORDER BY clicks DESC;
OPTIMIZE TABLE clicks_daily FINAL;
SELECT * FROM clicks_daily ORDER BY day, page_id;
-- CollapsingMergeTree updates.
CREATE TABLE orders_collapsing (order_id UInt64, status LowCardinality(String), sign Int8) ENGINE = CollapsingMergeTree(sign) ORDER BY order_id;
-- (argMax(status, sign) below sees the rows before any merge: background merges are held.)
SYSTEM STOP MERGES orders_collapsing;
INSERT INTO orders_collapsing VALUES (1, 'placed', 1);
INSERT INTO orders_collapsing VALUES (1, 'placed', -1), (1, 'shipped', 1);
INSERT INTO orders_collapsing VALUES (2, 'placed', 1);
INSERT INTO orders_collapsing VALUES (2, 'placed', -1);
-- (argMax ties go to the first row read: one thread reads the parts in insertion order.)
SELECT order_id, argMax(status, sign) AS status FROM orders_collapsing GROUP BY order_id HAVING sum(sign) > 0 ORDER BY order_id SETTINGS max_threads = 1;
SELECT * FROM orders_collapsing FINAL ORDER BY order_id;
SYSTEM START MERGES orders_collapsing;
OPTIMIZE TABLE orders_collapsing FINAL;
SELECT * FROM orders_collapsing ORDER BY order_id;
-- Dictionary enrichment at query time.
CREATE TABLE users (user_id UInt64, country String, tier String) ENGINE = MergeTree ORDER BY user_id;
INSERT INTO users SELECT number, ['DE', 'FR', 'US', 'JP'][number % 4 + 1], if(number % 10 = 0, 'gold', 'basic') FROM numbers(150);
CREATE DICTIONARY users_dict (user_id UInt64, country String, tier String) PRIMARY KEY user_id SOURCE(CLICKHOUSE(TABLE 'users')) LIFETIME(MIN 300 MAX 600) LAYOUT(HASHED());
CREATE TABLE events_enriched (ts DateTime, user_id UInt64, event_type LowCardinality(String)) ENGINE = MergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW events_enriched_mv TO events_enriched AS SELECT ts, user_id, event_type FROM events;
INSERT INTO events SELECT toDateTime('2035-06-25 00:00:00') + number * 10, number % 250, ['click', 'view'][number % 2 + 1], 1, '' FROM numbers(1000);
SELECT event_type, dictGet('users_dict', 'country', user_id) AS country, count() FROM events_enriched
WHERE ts >= toDateTime('2035-06-25 00:00:00') GROUP BY event_type, country ORDER BY event_type, country;
SELECT dictGet('users_dict', 'tier', user_id) AS tier, uniq(user_id) FROM events_enriched GROUP BY tier ORDER BY tier;
-- Backfill of a new roll-up below a cutoff: the view catches new rows, INSERT ... SELECT the old ones.
CREATE TABLE events_by_hour (hour DateTime, event_type LowCardinality(String), events AggregateFunction(count), users AggregateFunction(uniq, UInt64))
ENGINE = AggregatingMergeTree ORDER BY (event_type, hour);
CREATE MATERIALIZED VIEW events_by_hour_mv TO events_by_hour AS
SELECT toStartOfHour(ts) AS hour, event_type, countState() AS events, uniqState(user_id) AS users FROM events GROUP BY hour, event_type;
INSERT INTO events SELECT toDateTime('2035-06-26 00:00:00') + number * 17, number % 77, 'click', 2, '' FROM numbers(3000);
INSERT INTO events_by_hour SELECT toStartOfHour(ts) AS hour, event_type, countState() AS events, uniqState(user_id) AS users
FROM events WHERE ts < toDateTime('2035-06-26 00:00:00') GROUP BY hour, event_type;
SELECT countMerge(events), uniqMerge(users) FROM events_by_hour;
SELECT count(), uniq(user_id) FROM events;
SELECT toDate(hour) AS d, countMerge(events) FROM events_by_hour GROUP BY d ORDER BY d;
SELECT toDate(ts) AS d, count() FROM events GROUP BY d ORDER BY d;
