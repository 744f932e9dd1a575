-- MergeTree: inserts become sorted parts per partition; reads, OPTIMIZE, system.parts.
SYSTEM STOP MERGES;
DROP TABLE IF EXISTS mt;
CREATE TABLE mt (d Date, s String, x UInt64) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY (s, x);
INSERT INTO mt VALUES ('2024-01-05', 'b', 2), ('2024-01-06', 'a', 1), ('2024-02-01', 'c', 3);
INSERT INTO mt VALUES ('2024-02-07', 'a', 9);
SELECT partition, name, partition_id, rows, min_block_number, max_block_number, level, marks, min_date, max_date, active FROM system.parts WHERE database = currentDatabase() AND table = 'mt' ORDER BY name;
SELECT * FROM mt ORDER BY d;
SELECT s, x FROM mt WHERE d >= '2024-02-01' ORDER BY s, x;
SELECT count() FROM mt;
SELECT count() FROM mt WHERE s = 'a';
SELECT sum(x), min(d), max(d) FROM mt;
OPTIMIZE TABLE mt FINAL;
SELECT partition, name, rows, level, active FROM system.parts WHERE database = currentDatabase() AND table = 'mt' AND active ORDER BY name;
SELECT * FROM mt ORDER BY d;
-- Rows of one partition come back in sorting-key order after a merge.
SELECT s, x FROM mt WHERE toYYYYMM(d) = 202402;
INSERT INTO mt SELECT toDate('2024-03-01') + number % 3, toString(number % 7), number FROM numbers(1000);
SELECT count(), sum(x), uniqExact(s) FROM mt;
SELECT toYYYYMM(d) AS m, count() FROM mt GROUP BY m ORDER BY m;
OPTIMIZE TABLE mt PARTITION 202403 FINAL;
SELECT name, rows FROM system.parts WHERE database = currentDatabase() AND table = 'mt' AND active ORDER BY name;
OPTIMIZE TABLE mt PARTITION ID '202401' FINAL;
SELECT name, rows FROM system.parts WHERE database = currentDatabase() AND table = 'mt' AND active ORDER BY name;
OPTIMIZE TABLE mt PARTITION (1, 2) FINAL /* { serverError 248 } */;
TRUNCATE TABLE mt;
SELECT count() FROM mt;
SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'mt' AND active;
DROP TABLE mt;

-- Every column layout round-trips through a part.
CREATE TABLE types (k UInt32, n Nullable(Int64), a Array(String), aa Array(Array(UInt8)), m Map(String, UInt16), t Tuple(a UInt8, b String),
                    f FixedString(3), dec Decimal(18, 4), dt DateTime('UTC'), dt64 DateTime64(3, 'UTC'), lc LowCardinality(String),
                    e Enum8('x' = 1, 'y' = 2), u UUID, ip IPv4, b Bool, fl Float32)
ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 3;
INSERT INTO types VALUES (5, NULL, ['a', 'bc'], [[1], [2, 3]], {'k': 1}, (1, 'x'), 'abc', 1.5, '2024-01-01 00:00:00', '2024-01-01 00:00:00.123', 'low', 'x', '00000000-0000-0000-0000-000000000001', '1.2.3.4', true, 0.5);
INSERT INTO types VALUES (1, -7, [], [], {}, (2, ''), 'z', -2.25, '2000-01-01 12:00:00', '1999-12-31 23:59:59.999', '', 'y', '61f0c404-5cb3-11e7-907b-a6006ad3dba0', '0.0.0.0', false, -1e10), (3, 42, ['q'], [[]], {'a': 2, 'b': 3}, (3, 'long string value'), '', 0, '2038-01-19 03:14:07', '2024-06-01 10:00:00.5', 'low', 'y', '00000000-0000-0000-0000-000000000000', '255.255.255.255', true, 3.25);
INSERT INTO types SELECT number + 10, if(number % 2, NULL, number), [toString(number)], [range(number % 3)], map(toString(number), number), (number, toString(number)), toString(number), number / 4, toDateTime(number, 'UTC'), toDateTime64(number, 3, 'UTC'), toString(number % 2), 'x', toUUID('00000000-0000-0000-0000-000000000002'), toIPv4(number), number % 2, number FROM numbers(20);
SELECT * FROM types ORDER BY k LIMIT 6;
SELECT k, n, a, m, t.b, lc FROM types WHERE k >= 20 ORDER BY k;
OPTIMIZE TABLE types FINAL;
SELECT count(), sum(k), countIf(n IS NULL), sum(length(a)), sum(length(aa)), sum(length(m)) FROM types;
SELECT * FROM types ORDER BY k LIMIT 3;
SELECT name, rows, marks FROM system.parts WHERE database = currentDatabase() AND table = 'types' AND active;
DROP TABLE types;

-- Tables without a sorting key, with an empty one, with PRIMARY KEY a prefix of ORDER BY.
CREATE TABLE nokey (x UInt64, s String) ENGINE = MergeTree;
INSERT INTO nokey VALUES (3, 'c'), (1, 'a'), (2, 'b');
SELECT * FROM nokey;
CREATE TABLE emptykey (x UInt64) ENGINE = MergeTree ORDER BY tuple();
INSERT INTO emptykey SELECT number FROM numbers(5);
SELECT sum(x) FROM emptykey;
CREATE TABLE pk (a UInt8, b String, c Int32) ENGINE = MergeTree PRIMARY KEY a ORDER BY (a, b);
INSERT INTO pk VALUES (2, 'z', 1), (1, 'y', 2), (2, 'a', 3);
SELECT * FROM pk;
SHOW CREATE TABLE pk;
DROP TABLE nokey;
DROP TABLE emptykey;
DROP TABLE pk;

-- Partition IDs: integers as text, Date as YYYYMMDD, anything else a 128-bit hash.
CREATE TABLE pstr (s String, x UInt64) ENGINE = MergeTree PARTITION BY s ORDER BY x;
INSERT INTO pstr VALUES ('a', 1), ('bb', 2);
SELECT partition, partition_id FROM system.parts WHERE database = currentDatabase() AND table = 'pstr' ORDER BY partition;
CREATE TABLE ptuple (s String, x UInt64) ENGINE = MergeTree PARTITION BY (x, s) ORDER BY x;
INSERT INTO ptuple VALUES ('a', 1), ('bb', 2);
SELECT partition, partition_id FROM system.parts WHERE database = currentDatabase() AND table = 'ptuple' ORDER BY partition;
CREATE TABLE pdate (d Date, x Int32) ENGINE = MergeTree PARTITION BY (d, x) ORDER BY x;
INSERT INTO pdate VALUES ('2024-01-01', -1);
SELECT partition, partition_id FROM system.parts WHERE database = currentDatabase() AND table = 'pdate';
CREATE TABLE pday (ts DateTime('UTC'), v UInt8) ENGINE = MergeTree PARTITION BY toDate(ts) ORDER BY ts;
INSERT INTO pday VALUES ('2024-05-01 10:00:00', 1), ('2024-05-02 11:00:00', 2);
SELECT partition, partition_id, min_time, max_time FROM system.parts WHERE database = currentDatabase() AND table = 'pday' ORDER BY partition;
DROP TABLE pstr;
DROP TABLE ptuple;
DROP TABLE pdate;
DROP TABLE pday;

-- Column codecs: stored as ClickHouse normalizes them, data round-trips through every codec.
CREATE TABLE codecs (ts DateTime('UTC') CODEC(DoubleDelta, LZ4), v Float64 CODEC(Gorilla, ZSTD(3)), n Nullable(UInt32) CODEC(Delta, LZ4),
                     a Array(UInt64) CODEC(T64, LZ4HC(5)), s String CODEC(ZSTD), raw UInt16 CODEC(NONE), d UInt32 CODEC(Delta(2), ZSTD(1)))
ENGINE = MergeTree ORDER BY ts SETTINGS index_granularity = 100;
INSERT INTO codecs SELECT toDateTime('2024-01-01 00:00:00', 'UTC') + number * 10, sin(number), if(number % 5 = 0, NULL, number), range(number % 4), repeat('ab', number % 10), number, number * 3 FROM numbers(2500);
SELECT count(), max(ts), round(sum(v), 6), sum(n), countIf(n IS NULL), sum(arraySum(a)), sum(length(s)), sum(raw), sum(d) FROM codecs;
SELECT name, compression_codec FROM system.columns WHERE database = currentDatabase() AND table = 'codecs' ORDER BY position;
SHOW CREATE TABLE codecs;
OPTIMIZE TABLE codecs FINAL;
SELECT count(), max(ts), round(sum(v), 6), sum(n), countIf(n IS NULL), sum(arraySum(a)), sum(length(s)), sum(raw), sum(d) FROM codecs;
DROP TABLE codecs;
SELECT count() FROM system.merges WHERE database = currentDatabase();
