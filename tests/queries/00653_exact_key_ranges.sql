-- Filters the primary key or the partition min/max index proves for whole granule ranges: those
-- rows are returned without evaluating the filter (and without reading columns only it uses);
-- every other row is still filtered. Results must equal a full scan's.
DROP TABLE IF EXISTS ek;
CREATE TABLE ek (k LowCardinality(String), ts DateTime, n UInt32, v Float64, s String) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (k, ts, n) SETTINGS index_granularity = 8;
INSERT INTO ek SELECT ['a', 'b', 'c'][number % 3 + 1], toDateTime('2026-10-01 00:00:00', 'UTC') + number * 1800, number, number / 4, toString(number) FROM numbers(600);
SELECT count(), sum(v) FROM ek WHERE k = 'b';
SELECT count(), sum(n) FROM ek WHERE k IN ('a', 'c');
SELECT count() FROM ek WHERE k != 'a';
SELECT count() FROM ek WHERE NOT (k = 'a') AND ts >= '2026-10-05 00:00:00';
SELECT count(), min(ts), max(ts) FROM ek WHERE ts >= '2026-10-03 12:00:00' AND ts < '2026-10-07 06:00:00';
SELECT count() FROM ek WHERE k = 'b' AND v > 50;
SELECT count() FROM ek WHERE k = 'b' OR n < 10;
SELECT count() FROM ek WHERE k LIKE 'b%';
SELECT count() FROM ek WHERE k >= 'b';
SELECT k, count() FROM ek WHERE k IN ('b', 'c') GROUP BY k ORDER BY k;
SELECT k, s FROM ek WHERE k = 'c' ORDER BY n LIMIT 3;
SELECT toStartOfDay(ts) AS d, count() FROM ek WHERE ts >= '2026-10-08 00:00:00' GROUP BY d ORDER BY d;
SELECT count() FROM ek WHERE ts >= '2026-10-08 00:00:00' AND s LIKE '%7';
-- A key reached through a monotonic function bounds f(ts), not ts: neither NOT nor exactness may follow from it.
DROP TABLE IF EXISTS ek_day;
CREATE TABLE ek_day (ts DateTime, v UInt32) ENGINE = MergeTree ORDER BY toStartOfDay(ts) SETTINGS index_granularity = 4;
INSERT INTO ek_day SELECT toDateTime('2026-10-05 00:00:00', 'UTC') + number * 3600, number FROM numbers(48);
SELECT count() FROM ek_day WHERE NOT (ts >= toDateTime('2026-10-05 12:00:00', 'UTC'));
SELECT count() FROM ek_day WHERE ts < toDateTime('2026-10-05 12:00:00', 'UTC');
SELECT count() FROM ek_day WHERE ts >= toDateTime('2026-10-05 12:00:00', 'UTC');
SELECT count() FROM ek_day WHERE NOT (ts < toDateTime('2026-10-06 06:00:00', 'UTC'));
-- A floating-point key: NaN rows sort last, inside [10, +inf) by the index, yet NaN >= 10 is false.
DROP TABLE IF EXISTS ek_f;
CREATE TABLE ek_f (f Float64, v UInt32) ENGINE = MergeTree ORDER BY f SETTINGS index_granularity = 4;
INSERT INTO ek_f SELECT if(number % 4 = 0, nan, number), number FROM numbers(64);
SELECT count() FROM ek_f WHERE f >= 10;
SELECT count(), sum(v) FROM ek_f WHERE f >= 10 AND v < 40;
DROP TABLE ek;
DROP TABLE ek_day;
DROP TABLE ek_f;
