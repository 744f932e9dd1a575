-- JOIN error cases with exact ClickHouse error codes, plus the accepted-but-surprising ON forms
-- (conditions on one side only, constant ON, unqualified names, NATURAL JOIN, tuple equality).
CREATE TABLE t1 (a UInt32, b Int64, s String) ENGINE = Memory;
INSERT INTO t1 VALUES (1, 10, 'x'), (2, 20, 'Y'), (2, 21, 'y'), (3, 30, 'z'), (5, 50, 'w');
CREATE TABLE t2 (a UInt64, c Int32, s String) ENGINE = Memory;
INSERT INTO t2 VALUES (2, 200, 'y'), (2, 201, 'y'), (3, 300, 'z'), (4, 400, 'v'), (6, 600, 'x');
CREATE TABLE t3 (a UInt64, d String) ENGINE = Memory;
INSERT INTO t3 VALUES (2, 'd2'), (3, 'd3');
CREATE TABLE u8 (k UInt8, v String) ENGINE = Memory;
INSERT INTO u8 VALUES (1, 'a'), (200, 'b');
CREATE TABLE i64 (k Int64, w String) ENGINE = Memory;
INSERT INTO i64 VALUES (1, 'p'), (-56, 'q');
CREATE TABLE f64 (k Float64, w String) ENGINE = Memory;
INSERT INTO f64 VALUES (1, 'f1'), (1.5, 'f15');
CREATE TABLE u64 (k UInt64) ENGINE = Memory;
INSERT INTO u64 VALUES (1), (18446744073709551615);
-- unknown columns / tables
SELECT * FROM t1 JOIN t2 ON t1.nosuch = t2.a /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 ON nosuch = t2.a /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t3.a /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t3.a JOIN t3 ON t3.a = t2.a /* { serverError 47 } */;
SELECT t3.a FROM t1 JOIN t2 ON t1.a = t2.a /* { serverError 47 } */;
SELECT t1.c FROM t1 JOIN t2 ON t1.a = t2.a /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a ORDER BY nosuch /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 USING (a) WHERE t3.x = 1 /* { serverError 47 } */;
SELECT * FROM t1 JOIN nosuch_table ON t1.a = nosuch_table.a /* { serverError 60 } */;
SELECT * FROM nosuch_table JOIN t1 ON t1.a = nosuch_table.a /* { serverError 60 } */;
SELECT * FROM t1 JOIN nosuch_db.t2 ON t1.a = t2.a /* { serverError 81 } */;
-- USING problems
SELECT * FROM t1 JOIN t2 USING (b) /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 USING (c) /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 USING (nosuch) /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 USING (t1.a) /* { serverError 47 } */;
SELECT * FROM t1 JOIN (SELECT 1 AS z) AS q USING (z) /* { serverError 47 } */;
SELECT * FROM t1 JOIN t2 USING (a, a) /* { serverError 36 } */;
SELECT * FROM t1 JOIN t2 USING (a + 1) /* { serverError 36 } */;
SELECT * FROM t1 JOIN t2 USING () /* { clientError 62 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a USING (a) /* { clientError 62 } */;
-- ambiguous identifiers: with one join the left table wins, with two or more joins it is an error
SELECT a FROM t1 JOIN t2 ON t1.a = t2.a JOIN t3 ON t3.a = t2.a /* { serverError 207 } */;
SELECT s FROM t1 JOIN t2 ON t1.a = t2.a JOIN t3 ON t3.a = t2.a /* { serverError 207 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a JOIN t3 USING (a) /* { serverError 207 } */;
SELECT * FROM t1 AS x JOIN t2 AS x ON x.a = x.a /* { serverError 179 } */;
SELECT s, a FROM t1 JOIN t2 ON t1.a = t2.a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT a FROM t1 JOIN t2 USING (s) ORDER BY ALL;
SELECT s FROM t1 JOIN t2 USING (a) ORDER BY ALL;
SELECT * FROM t1 JOIN t2 USING (a) JOIN t3 USING (a) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT d, t2.s, t1.s FROM t1 JOIN t2 ON t1.a = t2.a JOIN t3 ON t3.a = t2.a ORDER BY ALL;
SELECT count() FROM t1 JOIN t2 ON a = a;
SELECT count() FROM t1 JOIN t2 ON s = t2.s;
-- subqueries in JOIN need an alias
SELECT * FROM t1 JOIN (SELECT 1 AS a) ON t1.a = a /* { serverError 206 } */;
SELECT * FROM (SELECT a, b FROM t1) JOIN (SELECT a, c FROM t2) USING a /* { serverError 206 } */;
SELECT * FROM t1 JOIN (t2 JOIN t3 ON t3.a = t2.a) ON t1.a = t2.a /* { serverError 206 } */;
-- JOIN without ON / USING, wrong kind / strictness combinations
SELECT * FROM t1 JOIN t2 /* { clientError 62 } */;
SELECT * FROM t1 LEFT JOIN t2 /* { clientError 62 } */;
SELECT * FROM t1 FULL JOIN t2 /* { clientError 62 } */;
SELECT * FROM t1 INNER JOIN t2 ON /* { clientError 62 } */;
SELECT * FROM t1 CROSS JOIN t2 ON t1.a = t2.a /* { clientError 62 } */;
SELECT * FROM t1 CROSS JOIN t2 USING (a) /* { clientError 62 } */;
SELECT * FROM t1 ANY CROSS JOIN t2 /* { clientError 62 } */;
SELECT * FROM t1 ANTI INNER JOIN t2 ON t1.a = t2.a /* { clientError 62 } */;
SELECT * FROM t1 SEMI INNER JOIN t2 ON t1.a = t2.a /* { clientError 62 } */;
SELECT * FROM t1 SEMI FULL JOIN t2 ON t1.a = t2.a /* { clientError 62 } */;
SELECT * FROM t1 ANTI FULL JOIN t2 ON t1.a = t2.a /* { clientError 62 } */;
SELECT * FROM t1 ANY FULL JOIN t2 ON t1.a = t2.a /* { serverError 48 } */;
SELECT * FROM t1 ASOF FULL JOIN t2 ON t1.a = t2.a AND t1.b >= t2.c /* { serverError 48 } */;
SELECT * FROM t1 ASOF RIGHT JOIN t2 ON t1.a = t2.a AND t1.b >= t2.c /* { serverError 48 } */;
-- ON expressions that are not boolean conditions
SELECT * FROM t1 JOIN t2 ON t1.a /* { serverError 403 } */;
SELECT * FROM t1 JOIN t2 ON t1.s /* { serverError 403 } */;
SELECT * FROM t1 JOIN t2 ON 'abc' /* { serverError 403 } */;
SELECT * FROM t1 JOIN t2 ON toString(t1.a) /* { serverError 43 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND t1.s /* { serverError 43 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND 'x' /* { serverError 43 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = [1] /* { serverError 43 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND sum(t2.c) > 1 /* { serverError 184 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND count() > 0 /* { serverError 184 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND row_number() OVER () > 0 /* { serverError 184 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a WHERE sum(c) > 0 /* { serverError 184 } */;
-- ON conditions without equi keys: only INNER (and CROSS-like) joins accept them
SELECT * FROM t1 LEFT JOIN t2 ON t1.a < t2.a /* { serverError 403 } */;
SELECT * FROM t1 RIGHT JOIN t2 ON t1.a < t2.a /* { serverError 403 } */;
SELECT * FROM t1 FULL JOIN t2 ON t1.a < t2.a /* { serverError 403 } */;
SELECT * FROM t1 SEMI LEFT JOIN t2 ON t1.a < t2.a /* { serverError 403 } */;
SELECT * FROM t1 ANY JOIN t2 ON t1.a < t2.a /* { serverError 403 } */;
SELECT * FROM t1 LEFT JOIN t2 ON t1.a = t2.a OR t1.b > t2.c /* { serverError 403 } */;
SELECT * FROM t1 LEFT JOIN t2 ON t1.a = 2 /* { serverError 403 } */;
-- key types without a common supertype
SELECT * FROM t1 JOIN t2 ON t1.a = t2.s /* { serverError 386 } */;
SELECT * FROM t1 JOIN t2 ON t1.s = t2.c /* { serverError 386 } */;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND t1.b = t2.c / 10 /* { serverError 386 } */;
SELECT * FROM i64 FULL JOIN f64 USING k /* { serverError 386 } */;
SELECT * FROM u64 JOIN i64 USING k /* { serverError 386 } */;
SELECT * FROM u64 JOIN i64 ON u64.k = i64.k /* { serverError 386 } */;
SELECT * FROM u8 JOIN (SELECT toString(k) AS k FROM i64) AS s ON u8.k = s.k /* { serverError 386 } */;
SELECT * FROM u8 JOIN (SELECT toDate('2020-01-01') AS d) AS s ON u8.k = s.d /* { serverError 43 } */;
-- bad join settings
SELECT 1 FROM t1 JOIN t2 ON t1.a = t2.a SETTINGS join_algorithm = 'nosuch' /* { clientError 418 } */;
-- accepted: conditions on one side only act as filters
SELECT * FROM t1 JOIN t2 ON t1.a = 1 ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t2.c = 200 ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t1.a = t1.b ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND t1.a = t1.b ORDER BY ALL;
SELECT * FROM t1 LEFT JOIN t2 ON t2.c = 200 ORDER BY ALL;
SELECT * FROM t1 RIGHT JOIN t2 ON t1.b = 20 ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t1.a IN (SELECT a FROM t2) ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t1.a IN (2, 3) AND t1.a = t2.a ORDER BY ALL;
-- accepted: constant ON
SELECT * FROM t1 JOIN t2 ON 0 ORDER BY ALL;
SELECT * FROM t1 LEFT JOIN t2 ON 0 ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM t1 JOIN t2 ON NULL ORDER BY ALL;
SELECT count() FROM t1 JOIN t2 ON 1;
SELECT count() FROM t1 JOIN t2 ON 1 = 1;
SELECT count() FROM t1 LEFT JOIN t2 ON 1;
SELECT count() FROM t1 FULL JOIN t2 ON 1 = 1;
SELECT count() FROM t1 JOIN t2 ON t1.a + t2.a;
-- accepted: OR of equalities, nested boolean filters, tuple equality, ==, NATURAL JOIN
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a OR t1.b = 1 ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a OR t1.a + 1 = t2.a ORDER BY ALL;
SELECT * FROM t1 LEFT JOIN t2 ON t1.a = t2.a OR t1.s = t2.s ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND (t1.b > 20 OR t2.c > 200) ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t1.a = t2.a AND NOT t1.b = 20 ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON (t1.a, t1.s) = (t2.a, t2.s) ORDER BY ALL;
SELECT * FROM t1 JOIN t2 ON t1.a == t2.a ORDER BY ALL;
SELECT * FROM t1 NATURAL JOIN t2 ORDER BY ALL FORMAT TSVWithNamesAndTypes;
SELECT * FROM t1 JOIN t2 USING (s) ORDER BY ALL FORMAT TSVWithNamesAndTypes;
