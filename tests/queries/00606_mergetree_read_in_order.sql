-- ORDER BY a sorting-key prefix with LIMIT reads the parts merged in key order
-- (optimize_read_in_order): same rows as a full sort, across parts, both directions.
SYSTEM STOP MERGES;
DROP TABLE IF EXISTS ro;
CREATE TABLE ro (d Date, k UInt32, s String, v Float64) ENGINE = MergeTree ORDER BY (d, k) SETTINGS index_granularity = 8;
INSERT INTO ro SELECT toDate('2024-01-01') + intDiv(number, 50), (number * 7919) % 1000, toString(number), number / 3 FROM numbers(500);
INSERT INTO ro SELECT toDate('2024-01-03') + intDiv(number, 40), (number * 104729) % 1000 + 1000, toString(number), number / 7 FROM numbers(400);
INSERT INTO ro SELECT toDate('2023-12-30') + intDiv(number, 30), number + 5000, 'x', 0 FROM numbers(90);
SELECT count() FROM system.parts WHERE table = 'ro' AND active;
SELECT d, k, s FROM ro ORDER BY d, k LIMIT 12;
SELECT d, k, s FROM ro ORDER BY d DESC, k DESC LIMIT 12;
SELECT d, k FROM ro ORDER BY d, k LIMIT 5 OFFSET 37;
SELECT d, k, v FROM ro WHERE k % 3 = 0 ORDER BY d, k LIMIT 10;
SELECT d, k FROM ro WHERE d >= '2024-01-05' ORDER BY d, k LIMIT 6;
SELECT d, k FROM ro WHERE d >= '2024-01-05' ORDER BY d DESC, k DESC LIMIT 6;
SELECT k FROM ro ORDER BY d, k LIMIT 3;
SELECT d, count() FROM (SELECT d FROM ro ORDER BY d LIMIT 100) GROUP BY d ORDER BY d;
SELECT d AS day, k FROM ro ORDER BY day, k LIMIT 4;
SELECT d, k FROM ro ORDER BY d, k DESC LIMIT 4;
SELECT d, k FROM ro ORDER BY d, k LIMIT 1000000 FORMAT Null;
SELECT d, k FROM ro ORDER BY d, k LIMIT 4 SETTINGS optimize_read_in_order = 0;
DROP TABLE ro;
CREATE TABLE rf (f Float64, i Int32) ENGINE = MergeTree ORDER BY f SETTINGS index_granularity = 4;
INSERT INTO rf VALUES (1.5, 1), (nan, 2), (-3, 3), (inf, 4);
INSERT INTO rf VALUES (0, 5), (nan, 6), (-inf, 7), (2, 8);
SELECT f, i FROM rf ORDER BY f LIMIT 6;
SELECT f FROM rf ORDER BY f DESC LIMIT 6;
DROP TABLE rf;
