-- LowCardinality columns in parts: per-granule dictionaries + indexes, nested in Nullable / Array / Map, across merges.
SYSTEM STOP MERGES;
SET allow_suspicious_low_cardinality_types = 1;
CREATE TABLE l (k UInt32, a LowCardinality(Nullable(String)), b Array(LowCardinality(String)), c LowCardinality(UInt64), d Map(LowCardinality(String), UInt8)) ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 7;
INSERT INTO l SELECT number, if(number % 5 = 0, NULL, toString(number % 13)), arrayMap(x -> toString(x % 4), range(number % 3)), number % 1000 * 1000, map(toString(number % 2), 1) FROM numbers(300);
INSERT INTO l SELECT number, toString(number), [toString(number)], number, map('z', 2) FROM numbers(1000, 50);
SELECT count(), countIf(a IS NULL), sum(length(b)), sum(c), uniqExact(a), sum(d['1']), sum(d['z']) FROM l;
OPTIMIZE TABLE l FINAL;
SELECT count(), countIf(a IS NULL), sum(length(b)), sum(c), uniqExact(a), sum(d['1']), sum(d['z']) FROM l;
SELECT a, k, b, c FROM l WHERE k IN (5, 7, 1003) ORDER BY k;
SELECT toTypeName(a), toTypeName(b) FROM l LIMIT 1;
DROP TABLE l;
