-- LowCardinality columns in Memory tables: inserts in several formats, WHERE on the dictionary,
-- GROUP BY (single LowCardinality key, mixed keys, WITH TOTALS), ORDER BY, DISTINCT, IN, LIMIT BY, output formats.
CREATE TABLE lc (s LowCardinality(String), n LowCardinality(Nullable(String)), f LowCardinality(FixedString(3)), i UInt32) ENGINE = Memory;
INSERT INTO lc VALUES ('b', 'x', 'ab', 1), ('a', NULL, 'abc', 2), ('b', 'y', 'ab', 3), ('c', 'x', '', 4), ('a', NULL, 'zz', 5);
INSERT INTO lc FORMAT TSV
b	\N	ab	6
d	z	zz	7
;
INSERT INTO lc FORMAT CSV
"a","x","ab",8
"",\N,"",9
;
INSERT INTO lc FORMAT JSONEachRow {"s":"e","n":null,"f":"q","i":10} {"s":"a","n":"y","f":"ab","i":11}
;
INSERT INTO lc SELECT toString(number % 3), if(number % 2, NULL, 'w'), 'n', 100 + number FROM numbers(6);
SELECT * FROM lc ORDER BY i;
SELECT name, type FROM system.columns WHERE database = 'default' AND table = 'lc' ORDER BY name;
DESCRIBE TABLE lc;
SELECT toTypeName(s), toTypeName(n), toTypeName(f) FROM lc LIMIT 1;
SELECT s, count(), sum(i), arraySort(groupArray(i)) FROM lc GROUP BY s ORDER BY s;
SELECT n, count(), min(i) FROM lc GROUP BY n ORDER BY n;
SELECT n, count() FROM lc GROUP BY n ORDER BY n DESC;
SELECT n, count() FROM lc GROUP BY n ORDER BY n NULLS FIRST;
SELECT f, count() FROM lc GROUP BY f ORDER BY f;
SELECT s, n, count() FROM lc GROUP BY s, n ORDER BY s, n;
SELECT s, i % 2 AS k, count() FROM lc GROUP BY s, k ORDER BY s, k;
SELECT toTypeName(s), s, count() FROM lc GROUP BY s WITH TOTALS ORDER BY s;
SELECT lower(s) AS l, count() FROM lc GROUP BY l ORDER BY l;
SELECT s, count() FROM lc GROUP BY s HAVING count() > 2 ORDER BY s;
SELECT i FROM lc WHERE s = 'a' ORDER BY i;
SELECT i FROM lc WHERE s != 'a' AND s > 'a' ORDER BY i;
SELECT i FROM lc WHERE n = 'x' ORDER BY i;
SELECT i FROM lc WHERE n IS NULL ORDER BY i;
SELECT i FROM lc WHERE n IS NOT NULL AND s IN ('a', 'b') ORDER BY i;
SELECT i FROM lc WHERE s IN ('c', 'd', 'zz') ORDER BY i;
SELECT i FROM lc WHERE s NOT IN ('a', 'b', '0', '1', '2') ORDER BY i;
SELECT i FROM lc WHERE s IN (SELECT 'e') ORDER BY i;
SELECT i FROM lc WHERE n IN ('y', 'z') ORDER BY i;
SELECT i FROM lc WHERE f = 'ab' ORDER BY i;
SELECT i FROM lc WHERE length(s) = 0 OR startsWith(n, 'z') ORDER BY i;
SELECT i, s IN ('a'), toTypeName(s IN ('a')), n IN ('x') FROM lc WHERE i < 4 ORDER BY i;
SELECT DISTINCT s FROM lc ORDER BY s;
SELECT DISTINCT s FROM lc ORDER BY s DESC;
SELECT DISTINCT n FROM lc ORDER BY n;
SELECT DISTINCT s, n FROM lc ORDER BY s, n LIMIT 5;
SELECT s, n, i FROM lc ORDER BY s DESC, n, i LIMIT 6;
SELECT s, i FROM lc ORDER BY s, i DESC LIMIT 4;
SELECT n, i FROM lc ORDER BY n DESC, i LIMIT 8;
SELECT s, i FROM lc ORDER BY s LIMIT 1 BY s;
SELECT count(DISTINCT s), uniqExact(n), count(n), countIf(s = 'a') FROM lc;
SELECT s, i FROM lc WHERE i IN (1, 2) FORMAT JSONEachRow;
SELECT s, n FROM lc WHERE i IN (1, 2) FORMAT CSV;
SELECT s, n FROM lc WHERE i IN (1, 2) FORMAT Vertical;
SELECT s, n, i FROM lc WHERE i IN (1, 2) FORMAT PrettyCompact;
SELECT s, n, f FROM lc WHERE i = 2 FORMAT Markdown;
SELECT s, n FROM lc WHERE i IN (1, 2) FORMAT Values;
SELECT s, n FROM lc WHERE i IN (1, 2) FORMAT JSONCompactEachRow;
SELECT s, n FROM lc WHERE i IN (1, 2) FORMAT TSVWithNamesAndTypes;
SELECT hex(s), hex(n) FROM lc WHERE i = 1;
SELECT arrayJoin([s, 'q']) AS x, toTypeName(x) FROM lc WHERE i = 1;
SELECT x FROM lc ARRAY JOIN [s, n] AS x WHERE i IN (1, 2) ORDER BY x;
SELECT s, n, f, i FROM lc WHERE i > 100 ORDER BY i;
CREATE TABLE lc2 ENGINE = Memory AS SELECT s, n, i FROM lc WHERE i < 5;
SELECT toTypeName(s), toTypeName(n), count() FROM lc2 GROUP BY s, n ORDER BY count(), s LIMIT 1;
INSERT INTO lc2 SELECT s, n, i FROM lc WHERE i >= 5;
SELECT s, count() FROM lc2 GROUP BY s ORDER BY s;
CREATE TABLE lc3 (a LowCardinality(UInt8)) ENGINE = Memory /* { serverError 455 } */;
CREATE TABLE lc3 (a LowCardinality(Array(String))) ENGINE = Memory /* { serverError 43 } */;
CREATE TABLE lc3 (a Array(LowCardinality(UInt32))) ENGINE = Memory /* { serverError 455 } */;
SET allow_suspicious_low_cardinality_types = 1;
CREATE TABLE lc3 (a LowCardinality(UInt32), b LowCardinality(Nullable(Int64)), d LowCardinality(Date)) ENGINE = Memory;
INSERT INTO lc3 VALUES (1, -1, '2020-01-01'), (300, NULL, '2021-02-03'), (1, 5, '2020-01-01');
SELECT a, b, d, a + 1, toTypeName(a + 1), b * 2, toTypeName(b * 2), d + 1, toTypeName(d + 1) FROM lc3 ORDER BY a, b;
SELECT a, count(), sum(b) FROM lc3 GROUP BY a ORDER BY a;
SELECT b, count() FROM lc3 GROUP BY b ORDER BY b;
SELECT d, count() FROM lc3 GROUP BY d ORDER BY d DESC;
SELECT sum(a), avg(a), max(b), toTypeName(sum(a)) FROM lc3;
