-- Window syntax: column names of window calls, EXPLAIN SYNTAX of OVER / WINDOW / QUALIFY, window
-- calls inside views and subqueries, aliases used in windows.
SELECT row_number() OVER (ORDER BY number DESC NULLS FIRST, number % 3 NULLS LAST), count() OVER (PARTITION BY number % 2, number % 3 ORDER BY number ASC RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING), quantile(0.5)(number) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM numbers(2) ORDER BY number FORMAT TSVWithNames;
SELECT sum(number) OVER w, sum(number) OVER (w ROWS UNBOUNDED PRECEDING), avg(number) OVER (w2) FROM numbers(3) WINDOW w AS (PARTITION BY number % 2 ORDER BY number), w2 AS (ORDER BY number DESC) ORDER BY number FORMAT TSVWithNames;
EXPLAIN SYNTAX SELECT sum(number) OVER (PARTITION BY number % 2 ORDER BY number ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING), count() OVER w FROM numbers(3) WINDOW w AS (ORDER BY number DESC) QUALIFY 1;
EXPLAIN SYNTAX SELECT number, lagInFrame(number, 1) OVER (ORDER BY number RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l FROM numbers(3) WINDOW a AS (PARTITION BY number), b AS (a ORDER BY number);
SELECT number % 3 AS k, sum(number) OVER (ORDER BY k, number) AS s FROM numbers(6) ORDER BY number;
SELECT k, rn FROM (SELECT number % 2 AS k, row_number() OVER (PARTITION BY k ORDER BY number) AS rn FROM numbers(6)) WHERE rn = 2 ORDER BY k;
DROP VIEW IF EXISTS w_view;
CREATE VIEW w_view AS SELECT number, sum(number) OVER (ORDER BY number ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s, rank() OVER w AS r FROM numbers(5) WINDOW w AS (ORDER BY intDiv(number, 2));
SELECT * FROM w_view ORDER BY number;
DROP VIEW w_view;
WITH t AS (SELECT number AS n, number % 3 AS g FROM numbers(9)) SELECT g, n, max(n) OVER (PARTITION BY g) - n AS gap FROM t ORDER BY g, n;
SELECT number, sum(number) OVER (ORDER BY number) AS s FROM numbers(5) ORDER BY s DESC LIMIT 2;
SELECT number, row_number() OVER (ORDER BY number) AS rn FROM numbers(5) ORDER BY number LIMIT 1 BY rn % 2 = 0;
SELECT count(DISTINCT number % 2) OVER (), count(*) OVER (ORDER BY number) FROM numbers(3) ORDER BY number FORMAT TSVWithNames;
SELECT sum(number) OVER `my w` FROM numbers(2) WINDOW `my w` AS () FORMAT TSVWithNames;
SELECT number % 2 AS k, count() OVER () FROM numbers(4) GROUP BY ALL ORDER BY k;
SELECT number, sum(number) OVER () FROM numbers(3) GROUP BY number WITH TOTALS ORDER BY number;
SELECT arrayJoin([3, 1, 2]) AS x, sum(x) OVER (ORDER BY x) ORDER BY x;
SELECT x, row_number() OVER (ORDER BY x) FROM (SELECT [3, 1, 2] AS arr) ARRAY JOIN arr AS x ORDER BY x;
SELECT *, row_number() OVER (ORDER BY a DESC) AS rn FROM (SELECT number AS a, toString(number) AS b FROM numbers(3)) ORDER BY rn;
SELECT number IN (SELECT max(number) OVER () FROM numbers(5)) FROM numbers(6) ORDER BY number;
SELECT row_number() OVER (ORDER BY number) FROM numbers(2) UNION ALL SELECT rank() OVER (ORDER BY number) FROM numbers(2) ORDER BY 1;
SELECT number, if(row_number() OVER (ORDER BY number) = 1, 'first', 'other') AS t, arrayMap(y -> y * 2, groupArray(number) OVER (ORDER BY number)) AS doubled FROM numbers(3) ORDER BY number;
SELECT number, sum(number) OVER (ORDER BY number) AS s FROM numbers(4) ORDER BY s DESC LIMIT 1 WITH TIES;
