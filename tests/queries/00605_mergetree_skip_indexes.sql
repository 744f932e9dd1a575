-- Data-skipping indexes: minmax, set, bloom_filter, tokenbf_v1, ngrambf_v1 — results and the
-- granules each leaves to read (EXPLAIN ESTIMATE: database, table, parts, rows, marks).
SYSTEM STOP MERGES;
SET mutations_sync = 2;
DROP TABLE IF EXISTS si;
CREATE TABLE si (k UInt64, v UInt64, s String, tags Array(String), n Nullable(UInt32),
    INDEX iv v TYPE minmax GRANULARITY 1,
    INDEX iset s TYPE set(3) GRANULARITY 2,
    INDEX ibf s TYPE bloom_filter GRANULARITY 1,
    INDEX itok s TYPE tokenbf_v1(256, 2, 0) GRANULARITY 1,
    INDEX ingr s TYPE ngrambf_v1(3, 256, 2, 0) GRANULARITY 1,
    INDEX itags tags TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX inn n TYPE minmax GRANULARITY 1)
ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 4;
INSERT INTO si SELECT number, number * 10, concat('w', toString(intDiv(number, 8)), ' x'), [concat('t', toString(number % 16))], if(number % 3 = 0, NULL, toUInt32(number)) FROM numbers(64);
SHOW CREATE TABLE si;

-- minmax
SELECT count(), sum(k) FROM si WHERE v = 300;
EXPLAIN ESTIMATE SELECT * FROM si WHERE v = 300;
SELECT count() FROM si WHERE v BETWEEN 100 AND 150;
EXPLAIN ESTIMATE SELECT * FROM si WHERE v BETWEEN 100 AND 150;
SELECT count() FROM si WHERE v IN (20, 630, 5000);
EXPLAIN ESTIMATE SELECT * FROM si WHERE v IN (20, 630, 5000);
SELECT count() FROM si WHERE NOT (v = 300);
EXPLAIN ESTIMATE SELECT * FROM si WHERE NOT (v = 300);
SELECT count() FROM si WHERE n = 7;
EXPLAIN ESTIMATE SELECT * FROM si WHERE n = 7;
SELECT count() FROM si WHERE n > 60;
EXPLAIN ESTIMATE SELECT * FROM si WHERE n > 60;

-- set, bloom_filter, tokens and n-grams on s
SELECT count(), min(k) FROM si WHERE s = 'w3 x';
EXPLAIN ESTIMATE SELECT * FROM si WHERE s = 'w3 x';
SELECT count() FROM si WHERE s IN ('w1 x', 'w6 x');
EXPLAIN ESTIMATE SELECT * FROM si WHERE s IN ('w1 x', 'w6 x');
SELECT count() FROM si WHERE s = 'nothing';
EXPLAIN ESTIMATE SELECT * FROM si WHERE s = 'nothing';
SELECT count() FROM si WHERE hasToken(s, 'w5');
EXPLAIN ESTIMATE SELECT * FROM si WHERE hasToken(s, 'w5');
SELECT count() FROM si WHERE s LIKE '%w5 %';
EXPLAIN ESTIMATE SELECT * FROM si WHERE s LIKE '%w5 %';
SELECT count() FROM si WHERE s LIKE 'w7%';
EXPLAIN ESTIMATE SELECT * FROM si WHERE s LIKE 'w7%';
SELECT count() FROM si WHERE startsWith(s, 'w2 ');
EXPLAIN ESTIMATE SELECT * FROM si WHERE startsWith(s, 'w2 ');
SELECT count() FROM si WHERE s != 'w3 x';
EXPLAIN ESTIMATE SELECT * FROM si WHERE s != 'w3 x';
SELECT count() FROM si WHERE s = 'w3 x' OR v = 600;
EXPLAIN ESTIMATE SELECT * FROM si WHERE s = 'w3 x' OR v = 600;
SELECT count() FROM si WHERE s = 'w3 x' AND v = 600;
EXPLAIN ESTIMATE SELECT * FROM si WHERE s = 'w3 x' AND v = 600;

-- bloom_filter over array elements
SELECT count() FROM si WHERE has(tags, 't5');
EXPLAIN ESTIMATE SELECT * FROM si WHERE has(tags, 't5');
SELECT count() FROM si WHERE hasAny(tags, ['t1', 't2']);
EXPLAIN ESTIMATE SELECT * FROM si WHERE hasAny(tags, ['t1', 't2']);

-- settings
EXPLAIN ESTIMATE SELECT * FROM si WHERE v = 300 SETTINGS use_skip_indexes = 0;
SELECT count() FROM si WHERE v = 300 SETTINGS force_data_skipping_indices = 'iv';
SELECT count() FROM si WHERE v = 300 SETTINGS force_data_skipping_indices = 'iset' /* { serverError 277 } */;

-- ADD INDEX is metadata only until MATERIALIZE INDEX; CLEAR INDEX drops the data, DROP INDEX the definition
ALTER TABLE si ADD INDEX iv2 upper(s) TYPE set(2) GRANULARITY 1 AFTER iv;
EXPLAIN ESTIMATE SELECT * FROM si WHERE upper(s) = 'W3 X';
ALTER TABLE si MATERIALIZE INDEX iv2;
EXPLAIN ESTIMATE SELECT * FROM si WHERE upper(s) = 'W3 X';
SELECT count() FROM si WHERE upper(s) = 'W3 X';
ALTER TABLE si CLEAR INDEX iv;
EXPLAIN ESTIMATE SELECT * FROM si WHERE v = 300;
ALTER TABLE si MATERIALIZE INDEX iv;
EXPLAIN ESTIMATE SELECT * FROM si WHERE v = 300;
ALTER TABLE si DROP INDEX iset;
ALTER TABLE si DROP INDEX iv2;
SHOW CREATE TABLE si;

-- merges build the indexes of the merged part; they survive DETACH / ATTACH
INSERT INTO si SELECT number, number * 10, concat('w', toString(intDiv(number, 8)), ' x'), [concat('t', toString(number % 16))], NULL FROM numbers(64, 64);
OPTIMIZE TABLE si FINAL;
SELECT count(), sum(k) FROM si WHERE v = 900;
EXPLAIN ESTIMATE SELECT * FROM si WHERE v = 900;
EXPLAIN ESTIMATE SELECT * FROM si WHERE s = 'w12 x';
DETACH TABLE si;
ATTACH TABLE si;
EXPLAIN ESTIMATE SELECT * FROM si WHERE v = 900;
EXPLAIN ESTIMATE SELECT * FROM si WHERE has(tags, 't3');
SELECT count() FROM si WHERE has(tags, 't3');
DROP TABLE si;

-- LIKE / startsWith with a constant prefix become key ranges (primary key and minmax/set indexes)
CREATE TABLE pl (s String, k UInt32) ENGINE = MergeTree ORDER BY s SETTINGS index_granularity = 4;
INSERT INTO pl SELECT concat(toString(number % 7), '-', leftPad(toString(number), 3, '0')), number FROM numbers(70);
SELECT count() FROM pl WHERE s LIKE '3-%';
EXPLAIN ESTIMATE SELECT * FROM pl WHERE s LIKE '3-%';
SELECT count() FROM pl WHERE startsWith(s, '3-0');
EXPLAIN ESTIMATE SELECT * FROM pl WHERE startsWith(s, '3-0');
SELECT count() FROM pl WHERE s LIKE '3-%1';
EXPLAIN ESTIMATE SELECT * FROM pl WHERE s LIKE '3-%1';
SELECT count() FROM pl WHERE NOT (s LIKE '3-%');
EXPLAIN ESTIMATE SELECT * FROM pl WHERE NOT (s LIKE '3-%');
SELECT count() FROM pl WHERE NOT (s LIKE '3-%1');
EXPLAIN ESTIMATE SELECT * FROM pl WHERE NOT (s LIKE '3-%1');
SELECT count() FROM pl WHERE s LIKE '3-066';
EXPLAIN ESTIMATE SELECT * FROM pl WHERE s LIKE '3-066';
DROP TABLE pl;

-- errors
CREATE TABLE e1 (a UInt64, INDEX i1 a TYPE foo GRANULARITY 1) ENGINE = MergeTree ORDER BY a /* { serverError 80 } */;
CREATE TABLE e2 (a UInt64, INDEX i1 b TYPE minmax GRANULARITY 1) ENGINE = MergeTree ORDER BY a /* { serverError 47 } */;
CREATE TABLE e3 (a UInt64, INDEX i1 a TYPE minmax GRANULARITY 0) ENGINE = MergeTree ORDER BY a /* { serverError 36 } */;
CREATE TABLE e4 (a UInt64, INDEX i1 a TYPE tokenbf_v1(256, 2, 0) GRANULARITY 1) ENGINE = MergeTree ORDER BY a /* { serverError 36 } */;
CREATE TABLE e5 (a UInt64, s String, INDEX i1 s TYPE ngrambf_v1(3, 256) GRANULARITY 1) ENGINE = MergeTree ORDER BY a /* { serverError 36 } */;
CREATE TABLE e6 (a UInt64, s String, INDEX i1 s TYPE bloom_filter(2) GRANULARITY 1) ENGINE = MergeTree ORDER BY a /* { serverError 36 } */;
CREATE TABLE e7 (a UInt64, s String, INDEX i1 s TYPE bloom_filter(0.5, 3) GRANULARITY 1) ENGINE = MergeTree ORDER BY a /* { serverError 42 } */;
CREATE TABLE e8 (a UInt64, s String, INDEX i1 s TYPE set GRANULARITY 1) ENGINE = MergeTree ORDER BY a /* { serverError 80 } */;
CREATE TABLE e9 (a UInt64, s String, INDEX i1 s TYPE minmax, INDEX i1 a TYPE minmax) ENGINE = MergeTree ORDER BY a /* { serverError 127 } */;
CREATE TABLE e10 (a UInt64, s Nullable(String), INDEX i1 s TYPE tokenbf_v1(256, 2, 0)) ENGINE = MergeTree ORDER BY a /* { serverError 36 } */;
CREATE TABLE ok1 (a UInt64, s String, INDEX i1 s TYPE minmax) ENGINE = MergeTree ORDER BY a;
ALTER TABLE ok1 ADD INDEX i1 a TYPE minmax /* { serverError 44 } */;
ALTER TABLE ok1 DROP INDEX nope /* { serverError 36 } */;
ALTER TABLE ok1 DROP INDEX IF EXISTS nope;
ALTER TABLE ok1 ADD INDEX IF NOT EXISTS i1 a TYPE minmax;
SHOW CREATE TABLE ok1;
DROP TABLE ok1;
