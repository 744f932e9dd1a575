-- WHERE conjuncts over the columns of a FROM subquery, view or CTE are pushed into it (its
-- select-list expressions substituted), so the inner MergeTree read prunes partitions and granules
-- (EXPLAIN ESTIMATE), and never where that would change the result: LIMIT / LIMIT BY / window
-- functions / arrayJoin / rand() inside, aggregates, the NULL-extended side of outer joins.
SYSTEM STOP MERGES;
CREATE TABLE es (d Date, k UInt32, s String) ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY k SETTINGS index_granularity = 100;
INSERT INTO es SELECT toDate('2024-01-01') + number % 60, number, toString(number % 7) FROM numbers(10000);

-- Pruning through subqueries, views, CTEs, nested subqueries, UNION ALL, GROUP BY keys.
EXPLAIN ESTIMATE SELECT count() FROM (SELECT * FROM es) WHERE d >= '2024-02-01';
EXPLAIN ESTIMATE SELECT count() FROM (SELECT k, d FROM es) AS t WHERE t.k < 150;
EXPLAIN ESTIMATE SELECT count() FROM (SELECT * FROM (SELECT * FROM (SELECT d, k FROM es))) WHERE k < 150 AND d < '2024-02-01';
EXPLAIN ESTIMATE WITH c AS (SELECT * FROM es) SELECT count() FROM c WHERE d >= '2024-02-01';
EXPLAIN ESTIMATE SELECT count() FROM (SELECT * FROM es UNION ALL SELECT * FROM es) WHERE k < 150;
EXPLAIN ESTIMATE SELECT count() FROM (SELECT d, count() AS c FROM es GROUP BY d) WHERE d >= '2024-02-01';
EXPLAIN ESTIMATE SELECT count() FROM (SELECT d AS day, k AS key FROM es) WHERE key < 150 AND day >= '2024-02-01';
EXPLAIN ESTIMATE SELECT count() FROM (SELECT * EXCEPT s FROM es) WHERE k BETWEEN 1000 AND 1099;
CREATE VIEW v AS SELECT d, k, s FROM es WHERE s != '3';
EXPLAIN ESTIMATE SELECT count() FROM v WHERE d >= '2024-02-01';
EXPLAIN ESTIMATE SELECT count() FROM v AS w WHERE w.k < 150;
SELECT count(), sum(k) FROM v WHERE d >= '2024-02-01';
SELECT count(), sum(k) FROM v AS w WHERE w.k < 150 AND s = '1';
-- Not pushed: LIMIT inside, aggregate results, arrayJoin, nothing names the subquery.
EXPLAIN ESTIMATE SELECT count() FROM (SELECT * FROM es LIMIT 100000) WHERE d >= '2024-02-01';
EXPLAIN ESTIMATE SELECT count() FROM (SELECT d, count() AS c FROM es GROUP BY d) WHERE c > 5;
-- The right side of an INNER join takes its conjuncts, a LEFT join's does not.
EXPLAIN ESTIMATE SELECT count() FROM es AS a INNER JOIN (SELECT * FROM es) AS b ON a.k = b.k WHERE b.d >= '2024-02-01';
SELECT count(), sum(b.k) FROM es AS a INNER JOIN (SELECT * FROM es) AS b ON a.k = b.k WHERE b.d >= '2024-02-01';
SELECT count(), sum(b.k) FROM (SELECT k FROM es WHERE k < 20) AS a LEFT JOIN (SELECT k, d FROM es WHERE k % 2 = 0) AS b ON a.k = b.k WHERE b.k = 0 ORDER BY ALL;

-- Results a wrong push would change.
SELECT * FROM (SELECT number AS n FROM numbers(100) ORDER BY n LIMIT 10) WHERE n > 5 ORDER BY n;
SELECT * FROM (SELECT number AS n FROM numbers(100) ORDER BY n LIMIT 3 OFFSET 10) WHERE n > 5 ORDER BY n;
SELECT * FROM (SELECT number % 3 AS g, number AS n FROM numbers(10) ORDER BY n LIMIT 1 BY g) WHERE n > 0 ORDER BY n;
SELECT * FROM (SELECT number % 4 AS g, count() AS c, sum(number) AS t FROM numbers(10) GROUP BY g) WHERE g = 1 AND c > 2 ORDER BY g;
SELECT * FROM (SELECT number % 4 AS g, count() AS c FROM numbers(10) GROUP BY g HAVING c > 2) WHERE g < 3 ORDER BY g;
SELECT * FROM (SELECT count() AS c FROM numbers(10)) WHERE c = 10;
SELECT * FROM (SELECT count() AS c FROM numbers(10) WHERE number > 100) WHERE c = 0;
SELECT * FROM (SELECT max(number) AS m, number % 2 AS p FROM numbers(10) GROUP BY p) WHERE m > 8;
SELECT * FROM (SELECT number AS n, sum(number) OVER () AS total FROM numbers(10)) WHERE n < 3 ORDER BY n;
SELECT * FROM (SELECT number AS n, row_number() OVER (ORDER BY number) AS rn FROM numbers(10)) WHERE n >= 5 ORDER BY n;
SELECT * FROM (SELECT arrayJoin([1, 2, 3]) AS x, 'a' AS y) WHERE x >= 2 ORDER BY x;
SELECT * FROM (SELECT number AS n, arrayJoin(range(number)) AS x FROM numbers(4)) WHERE n = 3 AND x > 0 ORDER BY x;
SELECT n, x FROM (SELECT number AS n, arr FROM numbers(4) ARRAY JOIN [number, number * 10] AS arr) ARRAY JOIN [1] AS x WHERE n = 2 ORDER BY ALL;
SELECT count() > 400 FROM (SELECT rand() AS r FROM numbers(1000)) WHERE r % 2 = 0;
SELECT count() FROM (SELECT number AS n, rand() AS r FROM numbers(1000)) WHERE n < 100;
SELECT * FROM (SELECT number AS n FROM numbers(10) WHERE n != 0) WHERE intDiv(10, n) > 2 ORDER BY n;
SELECT * FROM (SELECT number AS n FROM numbers(10) WHERE n != 0) WHERE intDiv(12, n) > 3 ORDER BY n SETTINGS short_circuit_function_evaluation = 'disable';
SELECT * FROM (SELECT number % 4 AS g, count() AS c FROM numbers(10) GROUP BY g HAVING g != 0) WHERE intDiv(12, g) > 3 ORDER BY g;
SELECT * FROM (SELECT DISTINCT number % 5 AS m FROM numbers(20)) WHERE m > 2 ORDER BY m;
-- UNION ALL: every branch, by position (names of the first), values cast to the common type.
SELECT * FROM (SELECT 1 AS a, 'x' AS b UNION ALL SELECT number, toString(number) FROM numbers(5) UNION ALL SELECT 7, 'y') WHERE a >= 3 ORDER BY a;
SELECT * FROM (SELECT toUInt8(number) AS a FROM numbers(3) UNION ALL SELECT 300) WHERE a > 200;
SELECT a FROM (SELECT number AS a FROM numbers(3) UNION ALL SELECT number FROM numbers(10) LIMIT 2) WHERE a = 1 ORDER BY a;
SELECT * FROM (SELECT number AS a FROM numbers(4) UNION DISTINCT SELECT number FROM numbers(6)) WHERE a % 2 = 1 ORDER BY a;
-- Aliases: an outer alias is not the subquery's column; inner aliases are substituted.
SELECT k + 1 AS d FROM (SELECT k, d FROM es) WHERE d = 5;
WITH 3 AS lim SELECT n FROM (SELECT number AS n FROM numbers(10)) WHERE n < lim ORDER BY n;
SELECT * FROM (SELECT number AS n, n * 2 AS m FROM numbers(10)) WHERE m > 14 ORDER BY n;
SELECT * FROM (SELECT *, k * 2 AS kk FROM es) WHERE kk < 6 ORDER BY k;
SELECT * FROM (SELECT * REPLACE (k + 1 AS k) FROM es WHERE k < 5) WHERE k = 3;
SELECT * FROM (SELECT d, k + 1 AS k FROM es WHERE k < 5) WHERE k = 3;
SELECT * FROM (SELECT d, k + 1 AS k FROM es) WHERE k = 3;
SELECT x FROM (SELECT [1, 2, 3] AS x, 2 AS y) WHERE arrayExists(y -> y = 2, x);
-- Outer joins: the NULL-extended side is not filtered first.
SELECT a.n, b.n FROM (SELECT number AS n FROM numbers(5)) AS a LEFT JOIN (SELECT number AS n FROM numbers(3)) AS b ON a.n = b.n WHERE b.n = 0 ORDER BY a.n;
SELECT a.n, b.n FROM (SELECT number AS n FROM numbers(3)) AS a RIGHT JOIN (SELECT number AS n FROM numbers(5)) AS b ON a.n = b.n WHERE a.n = 0 ORDER BY b.n;
SELECT a.n, b.n FROM (SELECT number AS n FROM numbers(3)) AS a FULL JOIN (SELECT number + 1 AS n FROM numbers(3)) AS b ON a.n = b.n WHERE a.n = 0 OR b.n = 3 ORDER BY ALL;
SELECT a.n, b.v FROM (SELECT number AS n FROM numbers(5)) AS a LEFT JOIN (SELECT number AS n, toNullable(number * 10) AS v FROM numbers(3)) AS b ON a.n = b.n WHERE b.v IS NULL ORDER BY a.n SETTINGS join_use_nulls = 1;
SELECT a.n, b.n FROM (SELECT number AS n FROM numbers(5)) AS a INNER JOIN (SELECT number AS n FROM numbers(5)) AS b ON a.n = b.n WHERE b.n > 2 AND a.n < 4 ORDER BY a.n;
SELECT a.n, b.m FROM (SELECT number AS n FROM numbers(4)) AS a, (SELECT number AS m FROM numbers(4)) AS b WHERE b.m = 2 AND a.n > 1 ORDER BY ALL;
SELECT count() FROM (SELECT number AS n FROM numbers(10)) AS a INNER JOIN (SELECT number AS n FROM numbers(10)) AS b USING (n) WHERE n > 6;
DROP VIEW v;
DROP TABLE es;
