-- SELECT ... FINAL read in parallel over primary-key ranges of one group of parts: each variant's
-- result is the same with one thread and with four, and equals ClickHouse's.
CREATE TABLE r (k UInt32, s LowCardinality(String), ver UInt32, v UInt64) ENGINE = ReplacingMergeTree(ver) ORDER BY (s, k) SETTINGS index_granularity = 16;
SYSTEM STOP MERGES r;
INSERT INTO r SELECT (number * 7) % 500, toString(number % 3), number, number FROM numbers(1200);
INSERT INTO r SELECT (number * 7 + 1) % 500, toString(number % 3), number + 1000, number * 2 FROM numbers(1200);
INSERT INTO r SELECT (number * 7 + 2) % 500, toString(number % 3), number + 2000, number * 3 FROM numbers(1200);
SELECT count(), sum(v), sum(ver), uniqExact(s, k) FROM r FINAL SETTINGS max_threads = 1;
SELECT count(), sum(v), sum(ver), uniqExact(s, k) FROM r FINAL SETTINGS max_threads = 4;
SELECT s, k, ver, v FROM r FINAL WHERE k < 5 ORDER BY s, k SETTINGS max_threads = 4;
CREATE TABLE c (k UInt32, sign Int8, v UInt64) ENGINE = CollapsingMergeTree(sign) ORDER BY k SETTINGS index_granularity = 8;
SYSTEM STOP MERGES c;
INSERT INTO c SELECT number, 1, number FROM numbers(1000);
INSERT INTO c SELECT number * 2, -1, number * 2 FROM numbers(500);
INSERT INTO c SELECT number * 4, 1, number * 40 FROM numbers(250);
SELECT count(), sum(v), sum(k) FROM c FINAL SETTINGS max_threads = 4;
SELECT count(), sum(v), sum(k) FROM c FINAL SETTINGS max_threads = 1;
CREATE TABLE sm (d Date, k UInt32, v Int64) ENGINE = SummingMergeTree ORDER BY (d, k) SETTINGS index_granularity = 8;
SYSTEM STOP MERGES sm;
INSERT INTO sm SELECT toDate('2024-01-01') + number % 10, number % 97, 1 FROM numbers(5000);
INSERT INTO sm SELECT toDate('2024-01-01') + number % 10, number % 97, -1 FROM numbers(2500);
SELECT count(), sum(v), countIf(v = 0) FROM sm FINAL SETTINGS max_threads = 4;
SELECT d, count(), sum(v) FROM sm FINAL GROUP BY d ORDER BY d SETTINGS max_threads = 3;
CREATE TABLE ag (k UInt32, u AggregateFunction(uniq, UInt64), c SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY k SETTINGS index_granularity = 8;
SYSTEM STOP MERGES ag;
INSERT INTO ag SELECT number % 300, uniqState(number), count() FROM numbers(3000) GROUP BY number % 300;
INSERT INTO ag SELECT number % 301, uniqState(number + 1), count() FROM numbers(3000) GROUP BY number % 301;
SELECT count(), sum(c), sum(finalizeAggregation(u)) FROM ag FINAL SETTINGS max_threads = 4;
-- Partitioned by a sorting-key column: partitions and ranges inside them.
CREATE TABLE rp (d Date, k UInt32, ver UInt32) ENGINE = ReplacingMergeTree(ver) PARTITION BY d ORDER BY (d, k) SETTINGS index_granularity = 8;
SYSTEM STOP MERGES rp;
INSERT INTO rp SELECT toDate('2024-01-01') + number % 2, number % 400, number FROM numbers(2000);
INSERT INTO rp SELECT toDate('2024-01-01') + number % 2, number % 400, number + 5000 FROM numbers(1000);
SELECT d, count(), sum(ver) FROM rp FINAL GROUP BY d ORDER BY d SETTINGS max_threads = 4;
SELECT count(), sum(ver) FROM rp FINAL WHERE k BETWEEN 100 AND 200 SETTINGS max_threads = 4;
