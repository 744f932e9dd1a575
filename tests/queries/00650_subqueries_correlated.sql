-- ANY / SOME / ALL comparisons with subqueries (rewritten as ClickHouse's parser does: = ANY is IN,
-- != ALL is NOT IN, = ALL / != ANY go through singleValueOrNull, < > <= >= compare with min/max),
-- correlated subqueries, _subquery_N naming, WITH RECURSIVE.
CREATE TABLE t (a UInt32, b String, n Nullable(Int32)) ENGINE = Memory;
INSERT INTO t VALUES (1, 'x', 10), (2, 'y', NULL), (3, 'z', 30), (4, 'x', 40);
CREATE TABLE u (a UInt64, b String, n Nullable(Int32)) ENGINE = MergeTree ORDER BY a;
INSERT INTO u VALUES (2, 'y', 20), (3, 'q', NULL), (5, 'x', 10);
SELECT a, a > ALL (SELECT a FROM u WHERE a > 100), a > ANY (SELECT a FROM u WHERE a > 100), a < ALL (SELECT a FROM u WHERE a > 100), a = ALL (SELECT a FROM u WHERE a > 100), a != ANY (SELECT a FROM u WHERE a > 100), a != ALL (SELECT a FROM u WHERE a > 100) FROM t ORDER BY a;
SELECT a, a > ALL (SELECT a FROM u) AS x, toTypeName(x), a >= SOME (SELECT a FROM u), a = ALL (SELECT a FROM u WHERE a = 2), a != ANY (SELECT a FROM u WHERE a = 2), a != ANY (SELECT a FROM u) FROM t ORDER BY a;
SELECT n, n > ALL (SELECT n FROM u), n < ANY (SELECT n FROM u), n = ANY (SELECT n FROM u) FROM t ORDER BY a;
SELECT a = ANY (SELECT a FROM u) FROM t FORMAT TSVWithNamesAndTypes;
SELECT a > ALL (SELECT a FROM u) FROM t FORMAT TSVWithNamesAndTypes;
SELECT 1 = ANY (SELECT 1 UNION ALL SELECT 2);
SELECT a <= ANY (SELECT a, b FROM u) FROM t /* { serverError 42 } */;
SELECT singleValueOrNull(x) FROM (SELECT 1 AS x UNION ALL SELECT 1);
SELECT singleValueOrNull(number), singleValueOrNull(toNullable(1)) FROM numbers(2);
-- _subquery_N: one counter per statement, FROM first, then the select list
SELECT (SELECT 1), a IN (SELECT 1), (SELECT 2) FROM t WHERE a IN (SELECT 1) FORMAT TSVWithNames;
SELECT (SELECT 1), (SELECT 1), (SELECT (SELECT 3)) FORMAT TSVWithNames;
SELECT a, (SELECT 5) FROM t WHERE a > (SELECT 2) ORDER BY (SELECT 7), a FORMAT TSVWithNames;
SELECT a, (SELECT 5) FROM (SELECT a FROM t WHERE a > (SELECT 3)) FORMAT TSVWithNames;
SELECT sum(a) + (SELECT 1) FROM t FORMAT TSVWithNames;
SELECT (SELECT 1 AS p, 'a' AS q) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT map(1, 2)) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT map(1, 2) WHERE 0) /* { serverError 125 } */;
SELECT (SELECT NULL) FORMAT TSVWithNamesAndTypes;
SELECT (SELECT (1, 2)) FORMAT TSVWithNamesAndTypes;
-- correlated subqueries
SELECT a, (SELECT count() + 1 FROM u WHERE u.a = t.a) AS m FROM t ORDER BY a FORMAT TSVWithNamesAndTypes;
SELECT a, (SELECT sum(u.a) FROM u WHERE u.a = t.a) AS m FROM t ORDER BY a FORMAT TSVWithNamesAndTypes;
SELECT a, (SELECT t.a + 1) AS m FROM t ORDER BY a FORMAT TSVWithNamesAndTypes;
SELECT a, (SELECT [t.a]) AS m FROM t ORDER BY a FORMAT TSVWithNamesAndTypes;
SELECT a, EXISTS (SELECT count() FROM u WHERE u.a = t.a) AS m FROM t ORDER BY a FORMAT TSVWithNamesAndTypes;
SELECT b, (SELECT count() FROM u WHERE u.b = t.b) FROM t GROUP BY b ORDER BY b;
SELECT a, (SELECT u.a, u.b FROM u WHERE u.a = t.a) AS m FROM t ORDER BY a /* { serverError 1 } */;
SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.n = t.n) ORDER BY a;
SELECT a FROM t WHERE (SELECT count() FROM u WHERE u.a > t.a) = 2 ORDER BY a;
SELECT number, (SELECT max(a) FROM t WHERE a <= number) AS m FROM numbers(6) ORDER BY number;
-- transform_null_in
SELECT n, n IN (SELECT n FROM u), n NOT IN (SELECT n FROM u) FROM t ORDER BY a SETTINGS transform_null_in = 1;
-- WITH RECURSIVE: types are the fixed point of the parts' supertype
WITH RECURSIVE r AS (SELECT toUInt8(1) AS i UNION ALL SELECT i + 1 FROM r WHERE i < 4) SELECT * FROM r ORDER BY i FORMAT TSVWithNamesAndTypes;
WITH RECURSIVE r AS (SELECT 1 AS i, 'a' AS s UNION ALL SELECT i + 1, concat(s, 'b') FROM r WHERE i < 3) SELECT * FROM r ORDER BY i;
WITH RECURSIVE r AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM r WHERE i < 2000) SELECT count() FROM r /* { serverError 306 } */;
WITH RECURSIVE r AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM r WHERE i < 2000) SELECT count() FROM r SETTINGS max_recursive_cte_evaluation_depth = 3000;
