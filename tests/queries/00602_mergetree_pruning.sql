-- Partition pruning, min/max indexes and the sparse primary index must never change results:
-- every filter shape below is answered exactly as a full scan would answer it.
SYSTEM STOP MERGES;
CREATE TABLE ev (ts DateTime('UTC'), user_id UInt64, event_type LowCardinality(String), value Float64)
ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id) SETTINGS index_granularity = 64;
INSERT INTO ev SELECT toDateTime('2024-03-01 00:00:00', 'UTC') + number * 97, number % 113, ['click', 'view', 'buy', 'scroll'][number % 4 + 1], number / 7 FROM numbers(20000);
INSERT INTO ev SELECT toDateTime('2024-03-10 00:00:00', 'UTC') + number * 13, number % 17, 'view', number FROM numbers(3000);
SELECT count(), sum(user_id), round(sum(value), 3) FROM ev;
SELECT count() FROM ev WHERE ts >= '2024-03-20 00:00:00';
SELECT count() FROM ev WHERE ts >= '2024-03-20 00:00:00' AND ts < '2024-03-21 00:00:00';
SELECT count() FROM ev WHERE ts > '2024-03-20 12:34:56';
SELECT count() FROM ev WHERE ts BETWEEN '2024-03-05 00:00:00' AND '2024-03-05 06:00:00';
SELECT count() FROM ev WHERE toDate(ts) = '2024-03-10';
SELECT count() FROM ev WHERE toYYYYMMDD(ts) = 20240311;
SELECT count() FROM ev WHERE toYYYYMMDD(ts) IN (20240301, 20240322);
SELECT count() FROM ev WHERE event_type = 'buy';
SELECT count() FROM ev WHERE event_type != 'view';
SELECT count() FROM ev WHERE event_type IN ('buy', 'click') AND ts < '2024-03-03 00:00:00';
SELECT count() FROM ev WHERE event_type = 'view' AND ts >= '2024-03-10 00:00:00' AND ts < '2024-03-10 01:00:00';
SELECT count() FROM ev WHERE event_type = 'view' AND user_id = 5;
SELECT count() FROM ev WHERE NOT (event_type = 'view') AND user_id < 3;
SELECT count() FROM ev WHERE event_type = 'click' OR ts < '2024-03-01 01:00:00';
SELECT count() FROM ev WHERE event_type > 'c' AND event_type < 'v';
SELECT count() FROM ev WHERE event_type = 'nope';
SELECT count() FROM ev WHERE ts < '2020-01-01 00:00:00';
SELECT count() FROM ev WHERE ts >= toDateTime('2024-03-22 00:00:00', 'UTC') - INTERVAL 1 HOUR;
SELECT count() FROM ev WHERE user_id = 7;
SELECT count() FROM ev WHERE 0;
SELECT round(sum(value * 1.1), 2) FROM ev WHERE event_type = 'click';
SELECT toStartOfDay(ts) AS d, count(), uniqExact(user_id) FROM ev WHERE ts >= '2024-03-21 00:00:00' GROUP BY d ORDER BY d;
SELECT event_type, ts, user_id FROM ev WHERE event_type = 'scroll' AND ts >= '2024-03-22 00:00:00' ORDER BY ts LIMIT 3;
OPTIMIZE TABLE ev FINAL;
SELECT count() FROM ev WHERE event_type = 'view' AND ts >= '2024-03-10 00:00:00' AND ts < '2024-03-10 01:00:00';
SELECT count() FROM ev WHERE ts >= '2024-03-20 00:00:00';
DROP TABLE ev;

-- Sorting key expressions: ORDER BY (toStartOfDay(ts), user_id, ts) with conditions on ts.
CREATE TABLE k2 (ts DateTime('UTC'), user_id UInt32, v UInt8) ENGINE = MergeTree ORDER BY (toStartOfDay(ts), user_id, ts) SETTINGS index_granularity = 32;
INSERT INTO k2 SELECT toDateTime('2024-01-01 00:00:00', 'UTC') + number * 300, number % 50, number % 256 FROM numbers(10000);
SELECT count(), sum(v) FROM k2 WHERE ts >= '2024-01-30 00:00:00';
SELECT count(), sum(v) FROM k2 WHERE ts < '2024-01-02 12:00:00';
SELECT count(), sum(v) FROM k2 WHERE ts = '2024-01-15 10:05:00';
SELECT count() FROM k2 WHERE ts IN ('2024-01-15 10:05:00', '2024-01-20 00:00:00', '2030-01-01 00:00:00');
SELECT count() FROM k2 WHERE toStartOfDay(ts) = '2024-01-05 00:00:00' AND user_id = 3;
DROP TABLE k2;

-- Integer keys with mixed-type constants (no wrap-around through conversions).
CREATE TABLE k3 (a UInt16, b Int64) ENGINE = MergeTree ORDER BY (a, b) SETTINGS index_granularity = 8;
INSERT INTO k3 SELECT number % 1000, toInt64(number) - 5000 FROM numbers(10000);
SELECT count() FROM k3 WHERE a > -1;
SELECT count() FROM k3 WHERE a < 70000;
SELECT count() FROM k3 WHERE a = 999.5;
SELECT count() FROM k3 WHERE a <= 10.5;
SELECT count() FROM k3 WHERE a = 500 AND b < 0;
SELECT count() FROM k3 WHERE b = -4000;
SELECT count() FROM k3 WHERE a IN (1, 2, 3, 100000);
SELECT count() FROM k3 WHERE a NOT IN (1, 2, 3);
SELECT count() FROM k3 WHERE intDiv(a, 10) = 5;
DROP TABLE k3;

-- EXPLAIN ESTIMATE: parts, rows and marks the indexes leave to read (a bare count() reads nothing).
CREATE TABLE es (d Date, k UInt32) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k SETTINGS index_granularity = 100;
INSERT INTO es SELECT toDate('2024-01-01') + number % 60, number FROM numbers(10000);
SELECT partition, rows, marks FROM system.parts WHERE database = currentDatabase() AND table = 'es' ORDER BY partition;
EXPLAIN ESTIMATE SELECT count() FROM es;
EXPLAIN ESTIMATE SELECT count() FROM es WHERE d >= '2024-02-01';
EXPLAIN ESTIMATE SELECT count() FROM es WHERE k < 150;
EXPLAIN ESTIMATE SELECT count() FROM es WHERE k < 150 AND d < '2024-02-01';
EXPLAIN ESTIMATE SELECT sum(k) FROM es WHERE k IN (5, 5000, 9999);
DROP TABLE es;
