-- MergeTree error cases: bad engine clauses, settings, codecs; TOO_MANY_PARTS; nothing partial.
SYSTEM STOP MERGES;
CREATE TABLE e1 (x UInt64) ENGINE = MergeTree ORDER BY y /* { serverError 47 } */;
CREATE TABLE e1 (x UInt64) ENGINE = MergeTree ORDER BY x PRIMARY KEY (x, x) /* { serverError 36 } */;
CREATE TABLE e1 (x UInt64, y UInt64) ENGINE = MergeTree ORDER BY x PRIMARY KEY y /* { serverError 36 } */;
CREATE TABLE e1 (x UInt64) ENGINE = MergeTree ORDER BY x SETTINGS foo = 1 /* { serverError 115 } */;
CREATE TABLE e1 (x UInt64) ENGINE = MergeTree ORDER BY x SETTINGS index_granularity = 0 /* { serverError 36 } */;
CREATE TABLE e1 (x Nullable(UInt64)) ENGINE = MergeTree ORDER BY x /* { serverError 44 } */;
CREATE TABLE e1 (x UInt64) ENGINE = MergeTree PARTITION BY z ORDER BY x /* { serverError 47 } */;
CREATE TABLE e1 (x UInt64 CODEC(Foo)) ENGINE = MergeTree ORDER BY x /* { serverError 432 } */;
CREATE TABLE e1 (x UInt64 CODEC(ZSTD(100))) ENGINE = MergeTree ORDER BY x /* { serverError 433 } */;
CREATE TABLE e1 (s String CODEC(Delta, LZ4)) ENGINE = MergeTree ORDER BY s /* { serverError 36 } */;
SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'e1';

CREATE TABLE e2 (x UInt64) ENGINE = MergeTree ORDER BY x SETTINGS parts_to_throw_insert = 2;
INSERT INTO e2 VALUES (1);
INSERT INTO e2 VALUES (2);
INSERT INTO e2 /* { serverError 252 } */ VALUES (3);
INSERT INTO e2 SELECT number FROM numbers(10) /* { serverError 252 } */;
SELECT count(), sum(x) FROM e2;
OPTIMIZE TABLE e2 FINAL;
INSERT INTO e2 VALUES (3);
SELECT count(), sum(x) FROM e2;
DROP TABLE e2;

-- A failing INSERT writes no part at all (constraint checked before any part is written).
CREATE TABLE e3 (d Date, x UInt64, CONSTRAINT c CHECK x < 100) ENGINE = MergeTree PARTITION BY d ORDER BY x;
INSERT INTO e3 /* { serverError 469 } */ VALUES ('2024-01-01', 1), ('2024-01-02', 2), ('2024-01-03', 200);
SELECT count() FROM e3;
SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'e3';
OPTIMIZE TABLE e3 PARTITION ('2024-01-01', 2) FINAL /* { serverError 248 } */;
OPTIMIZE TABLE e3 PARTITION 'not a date' FINAL /* { serverError 38 } */;
DROP TABLE e3;
OPTIMIZE TABLE nonexistent FINAL /* { serverError 60 } */;
