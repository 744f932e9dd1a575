-- Constant GROUP BY keys (ClickBench's `GROUP BY 1, URL`) are left out of the hash key and put back
-- into the result; the result is the same as grouping by them.
SELECT 1, number % 3 AS k, count() FROM numbers(10) GROUP BY 1, k ORDER BY k;
SELECT 'x' AS c, toString(number % 2) AS s, sum(number) FROM numbers(10) GROUP BY c, s ORDER BY s;
SELECT k, 2 + 3 AS c2, count() FROM (SELECT number % 2 AS k FROM numbers(6)) GROUP BY c2, k ORDER BY k;
SELECT NULL AS n, number % 2 AS k, count() FROM numbers(4) GROUP BY n, k ORDER BY k;
SELECT 1 AS one, count() FROM numbers(5) GROUP BY one;
SELECT 1 AS one, count() FROM numbers(0) GROUP BY one;
SELECT 1, number, count() FROM numbers(0) GROUP BY 1, number;
SELECT 7 AS c, number % 2 AS k, count() AS n FROM numbers(10) GROUP BY c, k HAVING c = 7 AND n > 0 ORDER BY k, c;
SELECT 1 AS c, number % 2 AS k, count() FROM numbers(10) GROUP BY c, k WITH TOTALS ORDER BY k;
SELECT materialize(1) AS c, number % 2 AS k, count() FROM numbers(10) GROUP BY c, k ORDER BY k;
SELECT toDate('2024-01-01') AS d, number % 2 AS k, uniqExact(number) FROM numbers(10) GROUP BY d, k ORDER BY k;
