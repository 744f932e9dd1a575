-- GROUP BY with hundreds of thousands of groups over several threads: hash-sharded parallel merge
-- (one UInt64-sized key) and hash tables pre-sized from the previous run of the same query.
SET max_threads = 2, max_block_size = 8192;
SELECT count(), sum(c), sum(k), max(c) FROM (SELECT number % 300007 AS k, count() AS c FROM numbers(2000000) GROUP BY k);
SELECT count(), sum(c), sum(k), max(c) FROM (SELECT number % 300007 AS k, count() AS c FROM numbers(2000000) GROUP BY k);
SELECT count(), sum(s), sum(length(a)), sum(u) FROM (SELECT intDiv(number, 3) AS k, sum(number) AS s, groupArray(number) AS a, uniqExact(number % 2) AS u FROM numbers(600000) GROUP BY k);
SELECT count(), sum(s), sum(length(a)), sum(u) FROM (SELECT intDiv(number, 3) AS k, sum(number) AS s, groupArray(number) AS a, uniqExact(number % 2) AS u FROM numbers(600000) GROUP BY k);
SELECT k, c FROM (SELECT toUInt32(number % 250000) AS k, count() AS c FROM numbers(1000000) GROUP BY k) ORDER BY c DESC, k LIMIT 3;
SELECT count(), sum(toUInt64(k)) FROM (SELECT toString(number % 150000) AS k FROM numbers(600000) GROUP BY k);
SELECT k, count() FROM (SELECT number % 200000 AS k FROM numbers(400000)) GROUP BY k WITH TOTALS ORDER BY k LIMIT 2;
SELECT count(), sum(s), sum(m) FROM (SELECT number % 300007 AS k, sum(number) AS s, max(toUInt32(number)) AS m FROM numbers(2000000) GROUP BY k);
SELECT count(), sum(s) FROM (SELECT number % 300007 AS k, sum(number) AS s FROM numbers(2000000) GROUP BY k);
SELECT count(), sum(m) FROM (SELECT toUInt8(number % 256) AS k, min(number) AS m FROM numbers(100000) GROUP BY k);
SELECT toStartOfDay(t), toStartOfHour(t), toStartOfMinute(t), toStartOfDay(k), toStartOfHour(k) FROM (SELECT toDateTime(number * 7919 + 1700000000, 'UTC') AS t, toDateTime(number * 7919 + 1700000000, 'Asia/Kolkata') AS k FROM numbers(4));
SELECT day, count() FROM (SELECT toStartOfDay(toDateTime(number * 3600, 'UTC')) AS day FROM numbers(100)) GROUP BY day ORDER BY day;
-- the same query after the table shrank: tables split for a large result, merged one by one
CREATE TABLE g (k UInt64, v UInt64) ENGINE = MergeTree ORDER BY v SETTINGS index_granularity = 1024;
INSERT INTO g SELECT number * 7, number FROM numbers(300000);
SELECT count(), sum(c), sum(k) FROM (SELECT k, count() AS c FROM g GROUP BY k);
SELECT count(), sum(c), sum(k) FROM (SELECT k, count() AS c FROM g GROUP BY k);
TRUNCATE TABLE g;
INSERT INTO g SELECT number % 1000, number FROM numbers(50000);
SELECT count(), sum(c), sum(k) FROM (SELECT k, count() AS c FROM g GROUP BY k);
SELECT count(), sum(s) FROM (SELECT k, sum(v) AS s FROM g GROUP BY k);
SELECT count(), sum(s) FROM (SELECT k, sum(v) AS s FROM g GROUP BY k);
