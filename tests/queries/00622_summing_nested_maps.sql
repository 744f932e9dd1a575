-- SummingMergeTree: nested maps (`<x>Map.<a>` Array columns) summed per key, Map(K, V) columns kept
-- from the first row, Nested(...) declarations flattened, array sizes of a Nested structure checked.
SET optimize_on_insert = 0;
CREATE TABLE n (k UInt32, fooMap Nested(id UInt32, cnt UInt64), v UInt64) ENGINE = SummingMergeTree ORDER BY k;
DESCRIBE TABLE n;
SHOW CREATE TABLE n;
INSERT INTO n VALUES (1, [1,2], [10,20], 1), (1, [2,3], [5,7], 1), (2, [1], [0], 0), (5, [1,1], [1,2], 0);
SELECT * FROM n FINAL ORDER BY k;
SELECT fooMap.id, fooMap.cnt FROM n FINAL ORDER BY k;
SYSTEM STOP MERGES n;
INSERT INTO n VALUES (1, [3, 4], [1, 1], 5);
INSERT INTO n VALUES (1, [4], [-1], 5);
SELECT * FROM n FINAL ORDER BY k;
SYSTEM START MERGES n;
OPTIMIZE TABLE n FINAL;
SELECT * FROM n ORDER BY k;
-- All-zero rows stay in a table with a nested map.
CREATE TABLE z (k UInt32, fooMap Nested(id UInt32, cnt Int64), v Int64) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO z VALUES (1, [], [], 1), (1, [], [], -1), (2, [1], [1], 1), (2, [1], [-1], -1), (3, [1], [1], 0), (3, [1], [1], 0);
SELECT * FROM z FINAL ORDER BY k;
-- A listed column does not stop the nested map from being summed.
CREATE TABLE l1 (k UInt32, fooMap Nested(id UInt32, cnt UInt64), v UInt64) ENGINE = SummingMergeTree(v) ORDER BY k;
INSERT INTO l1 VALUES (1, [1], [1], 1), (1, [1], [2], 1);
SELECT * FROM l1 FINAL ORDER BY k;
CREATE TABLE l2 (k UInt32, fooMap Nested(id UInt32, cnt UInt64), v UInt64) ENGINE = SummingMergeTree(fooMap) ORDER BY k;
INSERT INTO l2 VALUES (1, [1], [1], 1), (1, [1], [2], 1);
SELECT * FROM l2 FINAL ORDER BY k;
-- Composite keys (*ID, *Key, *Type), several value columns, decimals, floats, wrapping sums.
CREATE TABLE c1 (k UInt32, `xMap.k1` Array(String), `xMap.c` Array(Int64), `xMap.k2Type` Array(UInt8)) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO c1 VALUES (1, ['b','a'], [1,1], [2,1]), (1, ['a'], [3], [0]);
SELECT * FROM c1 FINAL ORDER BY k;
CREATE TABLE c2 (k UInt32, `aMap.id` Array(UInt32), `aMap.c1` Array(UInt64), `aMap.c2` Array(Int32)) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO c2 VALUES (1, [3,1], [1,1], [1,-1]), (1, [1], [5], [1]);
SELECT * FROM c2 FINAL ORDER BY k;
CREATE TABLE c3 (k UInt32, `xMap.k1` Array(UInt32), `xMap.c` Array(Decimal(10,2)), `xMap.d` Array(Float32)) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO c3 VALUES (1, [1,2], [1.5, 2], [0.5, 0]), (1, [2], [-2], [0]);
SELECT * FROM c3 FINAL ORDER BY k;
CREATE TABLE c4 (k UInt32, `xMap.k1` Array(UInt8), `xMap.c` Array(UInt8)) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO c4 VALUES (1, [1], [200]), (1, [1], [100]);
SELECT * FROM c4 FINAL ORDER BY k;
CREATE TABLE c5 (`xMap.k1` Array(UInt32), `xMap.c` Array(Int64), k UInt32) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO c5 VALUES ([2,1], [1,1], 1), ([1], [3], 1);
SELECT * FROM c5 FINAL ORDER BY k;
-- Not nested maps: the name does not end with "Map", a float key, one column, a string value.
CREATE TABLE o1 (k UInt32, `xmap.k1` Array(UInt32), `xmap.c` Array(Int64)) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO o1 VALUES (1, [1], [1]), (1, [1], [3]);
SELECT * FROM o1 FINAL ORDER BY k;
CREATE TABLE o2 (k UInt32, `xMap.k1` Array(Float64), `xMap.c` Array(Int64)) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO o2 VALUES (1, [1], [1]), (1, [1], [3]);
SELECT * FROM o2 FINAL ORDER BY k;
CREATE TABLE o3 (k UInt32, `xMap.k1` Array(UInt32)) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO o3 VALUES (1, [1]), (1, [2]);
SELECT * FROM o3 FINAL ORDER BY k;
CREATE TABLE o4 (k UInt32, fooMap Nested(id String, cnt Float64, s String), v UInt64) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO o4 VALUES (1, ['b','a'], [1,1], ['x','y'], 1), (1, ['a'], [2], ['z'], 1);
SELECT * FROM o4 FINAL ORDER BY k;
CREATE TABLE o5 (k UInt32, foo Nested(id UInt32, cnt UInt64), v UInt64) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO o5 VALUES (1, [1,2], [10,20], 1), (1, [2,3], [5,7], 1);
SELECT * FROM o5 FINAL ORDER BY k;
-- Map(K, V) columns are not summed; the row still vanishes when its sums are zero.
CREATE TABLE m1 (k UInt32, m Map(String, Int64), v Int64) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO m1 VALUES (1, {'a':1}, 1), (1, {'b':1}, -1), (2, {'a':1}, 1), (2, {'a':2}, 1);
SELECT * FROM m1 FINAL ORDER BY k;
SELECT count() FROM m1 FINAL;
CREATE TABLE m2 (k UInt32, m Map(String, UInt64), v UInt64) ENGINE = SummingMergeTree((m, v)) ORDER BY k;
INSERT INTO m2 VALUES (1, {'a':1}, 1), (1, {'a':3}, 2);
SELECT * FROM m2 FINAL ORDER BY k;
-- Errors: a listed column in the sorting key, an unknown listed column, different array sizes.
CREATE TABLE e1 (k UInt32, s String, v Int64) ENGINE = SummingMergeTree(k) ORDER BY k /* { serverError 36 } */;
CREATE TABLE e2 (k UInt32, s String, v Int64) ENGINE = SummingMergeTree(zz) ORDER BY k /* { serverError 16 } */;
CREATE TABLE e3 (k UInt32, `fooMap.id` Array(UInt32), `fooMap.cnt` Array(UInt64), v UInt64) ENGINE = SummingMergeTree ORDER BY k;
INSERT INTO e3 SELECT 1, [1, 2], [1], 1 /* { serverError 190 } */;
INSERT INTO e3 SELECT 1, [1], [2], 1;
SELECT * FROM e3;
