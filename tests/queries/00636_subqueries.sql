-- Subqueries: IN / NOT IN (single column and tuples), NULLs in IN sets, GLOBAL IN, scalar
-- subqueries (one row, zero rows, several rows), EXISTS, correlated subqueries (EXISTS and scalar;
-- enabled by default in ClickHouse 26.7), CTEs referenced twice, nested and scalar CTEs.
CREATE TABLE t (a UInt32, b String, n Nullable(Int32)) ENGINE = Memory;
INSERT INTO t VALUES (1, 'x', 10), (2, 'y', NULL), (3, 'z', 30), (4, 'x', 40);
CREATE TABLE u (a UInt64, b String, n Nullable(Int32)) ENGINE = MergeTree ORDER BY a;
INSERT INTO u VALUES (2, 'y', 20), (3, 'q', NULL), (5, 'x', 10);
-- IN / NOT IN
SELECT a FROM t WHERE a IN (SELECT a FROM u) ORDER BY a;
SELECT a FROM t WHERE a NOT IN (SELECT a FROM u) ORDER BY a;
SELECT a, a IN (SELECT a FROM u) FROM t ORDER BY a;
SELECT a, a IN (SELECT a FROM u) AS i, toTypeName(i) FROM t ORDER BY a;
SELECT a FROM t WHERE a IN (SELECT a FROM u WHERE a > 100) ORDER BY a;
SELECT a FROM t WHERE a NOT IN (SELECT a FROM u WHERE a > 100) ORDER BY a;
SELECT a FROM t WHERE a IN (SELECT toUInt8(a) FROM u) ORDER BY a;
SELECT a FROM t WHERE a IN (SELECT toString(a) FROM u) ORDER BY a;
SELECT a FROM t WHERE a IN (SELECT a FROM u UNION ALL SELECT 4) ORDER BY a;
SELECT a FROM t WHERE a IN (SELECT a FROM u WHERE a IN (SELECT a FROM t WHERE b != 'z')) ORDER BY a;
SELECT a FROM t WHERE b IN ('x', 'q') AND a NOT IN (SELECT a FROM u) ORDER BY a;
SELECT a FROM t WHERE a IN (SELECT a FROM u) OR b = 'z' ORDER BY a;
SELECT a IN (SELECT a FROM u) AS i, count() FROM t GROUP BY i ORDER BY i;
SELECT b, a IN (SELECT a FROM u) FROM t ORDER BY b, a;
SELECT a FROM t WHERE a = ANY (SELECT a FROM u) ORDER BY a;
SELECT a FROM t WHERE a > ALL (SELECT a FROM u WHERE a < 5) ORDER BY a;
-- tuples
SELECT a FROM t WHERE (a, b) IN (SELECT a, b FROM u) ORDER BY a;
SELECT a FROM t WHERE (a, b) NOT IN (SELECT a, b FROM u) ORDER BY a;
SELECT a FROM t WHERE (b, a) IN (SELECT b, a FROM u) ORDER BY a;
SELECT a FROM t WHERE (b, n) IN (SELECT b, n FROM u) ORDER BY a;
SELECT a FROM t WHERE (a, n) IN (SELECT a, n FROM u) ORDER BY a;
-- NULLs in IN sets (transform_null_in = 0 by default: NULL never matches, a non-NULL value not
-- in a set containing NULL gives 0, not NULL)
SELECT a FROM t WHERE n IN (SELECT n FROM u) ORDER BY a;
SELECT a FROM t WHERE n NOT IN (SELECT n FROM u) ORDER BY a;
SELECT a, n, n IN (SELECT n FROM u), n NOT IN (SELECT n FROM u) FROM t ORDER BY a;
SELECT a, n, n IN (10, NULL), n NOT IN (10, NULL) FROM t ORDER BY a;
SELECT NULL IN (SELECT n FROM u), NULL NOT IN (SELECT n FROM u);
SELECT a FROM t WHERE a IN (1, 2, NULL) ORDER BY a;
SELECT a FROM t WHERE a NOT IN (1, 2, NULL) ORDER BY a;
SELECT a, n, n IN (SELECT n FROM u) FROM t ORDER BY a SETTINGS transform_null_in = 1;
SELECT a, n, n NOT IN (SELECT n FROM u) FROM t ORDER BY a SETTINGS transform_null_in = 1;
-- GLOBAL IN behaves like IN on one node
SELECT a FROM t WHERE a GLOBAL IN (SELECT a FROM u) ORDER BY a;
SELECT a FROM t WHERE a GLOBAL NOT IN (SELECT a FROM u) ORDER BY a;
SELECT a FROM t WHERE (a, b) GLOBAL IN (SELECT a, b FROM u) ORDER BY a;
-- IN errors
SELECT a FROM t WHERE a IN (SELECT a, b FROM u) /* { serverError 20 } */;
SELECT a FROM t WHERE a IN u /* { serverError 20 } */;
SELECT a FROM t WHERE (a, b) IN (SELECT a FROM u) /* { serverError 43 } */;
SELECT a FROM t WHERE a IN (SELECT nosuch FROM u) /* { serverError 47 } */;
-- scalar subqueries: the result is Nullable and named _subquery_N
SELECT (SELECT max(a) FROM u), (SELECT count() FROM u) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT 1), (SELECT 'a'), (SELECT 1) AS x FORMAT TSVWithNamesAndTypes;
SELECT (SELECT count() FROM u) AS c, toTypeName(c) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT a FROM u ORDER BY a LIMIT 1) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT n FROM u WHERE a = 2) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT [1, 2]) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT 1, 2) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT a, b FROM u WHERE a = 2) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT a FROM u WHERE a = 2) + 1 FORMAT TSVWithNamesAndTypes;
SELECT a, a * (SELECT count() FROM u) FROM t ORDER BY a;
SELECT a FROM t WHERE a > (SELECT min(a) FROM u) ORDER BY a;
-- zero rows give NULL
SELECT (SELECT a FROM u WHERE a > 100) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT b FROM u WHERE a > 100) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT n FROM u WHERE a > 100) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT a, b FROM u WHERE a > 100) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT 1 WHERE 0) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT toDate('2024-01-01') WHERE 0) FORMAT TSVWithNamesAndTypes;
SELECT a FROM t WHERE a = (SELECT a FROM u WHERE a > 100) ORDER BY a;
-- more than one row, or an empty non-Nullable-able type, is an error
SELECT (SELECT a FROM u) /* { serverError 125 } */;
SELECT (SELECT a, b FROM u) /* { serverError 125 } */;
SELECT (SELECT [1, 2] WHERE 0) /* { serverError 125 } */;
SELECT a FROM t WHERE a = (SELECT a FROM u) /* { serverError 125 } */;
-- EXISTS
SELECT EXISTS (SELECT 1 FROM u WHERE a = 5), EXISTS (SELECT 1 FROM u WHERE a = 6);
SELECT EXISTS (SELECT 1 FROM u WHERE a = 5) AS e FORMAT TSVWithNamesAndTypes;
SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u) ORDER BY a;
SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE a > 100) ORDER BY a;
SELECT a FROM t WHERE EXISTS (SELECT nosuch FROM u) /* { serverError 47 } */;
-- correlated subqueries (EXISTS and scalar); correlated IN is not supported
SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a) ORDER BY a;
SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a) ORDER BY a;
SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.b = t.b AND u.a > t.a) ORDER BY a;
SELECT a, EXISTS (SELECT 1 FROM u WHERE u.a = t.a) AS e FROM t ORDER BY a FORMAT TSVWithNamesAndTypes;
SELECT a, (SELECT max(u.n) FROM u WHERE u.a = t.a) AS m FROM t ORDER BY a FORMAT TSVWithNamesAndTypes;
SELECT a, (SELECT b FROM u WHERE u.a = t.a) FROM t ORDER BY a;
SELECT a FROM t WHERE a > (SELECT min(u.a) FROM u WHERE u.b = t.b) ORDER BY a;
SELECT a FROM t WHERE a < (SELECT min(u.a) FROM u WHERE u.b = t.b) ORDER BY a;
-- a correlated count() over no rows is NULL in ClickHouse, not 0
SELECT a, (SELECT count() FROM u WHERE u.a <= t.a) AS m FROM t ORDER BY a FORMAT TSVWithNamesAndTypes;
SELECT a FROM t WHERE a IN (SELECT a FROM u WHERE u.b = t.b) /* { serverError 48 } */;
-- CTEs
WITH x AS (SELECT a, b FROM t WHERE a < 4) SELECT * FROM x JOIN x AS y ON x.a + 1 = y.a ORDER BY ALL FORMAT TSVWithNamesAndTypes;
WITH x AS (SELECT a, b FROM t) SELECT count() FROM x AS p, x AS q WHERE p.b = q.b;
WITH x AS (SELECT a, b FROM t) SELECT p.a, q.a FROM x AS p LEFT JOIN x AS q ON p.b = q.b AND p.a < q.a ORDER BY ALL;
WITH x AS (SELECT 1 AS a) SELECT * FROM x, x AS x2 FORMAT TSVWithNamesAndTypes;
WITH x AS (SELECT a FROM t), y AS (SELECT a * 10 AS a FROM x WHERE a > 1) SELECT * FROM y ORDER BY a;
WITH x AS (SELECT a FROM t), y AS (SELECT a FROM x WHERE a IN (SELECT a FROM u)) SELECT sum(a) FROM y;
WITH x AS (WITH z AS (SELECT 5 AS v) SELECT v + 1 AS w FROM z) SELECT * FROM x;
WITH x AS (SELECT a FROM t) SELECT * FROM x WHERE a = (SELECT max(a) FROM x);
WITH x AS (SELECT a FROM t) SELECT a FROM t WHERE a IN x ORDER BY a;
WITH x AS (SELECT a FROM t) SELECT a FROM u WHERE a IN (SELECT a FROM x) ORDER BY a;
WITH (SELECT max(a) FROM u) AS m SELECT a, m FROM t WHERE a < m ORDER BY a FORMAT TSVWithNamesAndTypes;
WITH 3 AS lim SELECT a FROM t WHERE a < lim ORDER BY a;
WITH RECURSIVE r AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM r WHERE i < 4) SELECT * FROM r ORDER BY i;
SELECT * FROM (SELECT * FROM (SELECT a FROM t WHERE a > 1) WHERE a < 4) ORDER BY a;
WITH x AS (SELECT a FROM t) SELECT * FROM y /* { serverError 60 } */;
