-- Window ranking functions: row_number, rank, dense_rank, percent_rank, cume_dist, ntile over
-- PARTITION BY / ORDER BY combinations, ties, NULL keys, named windows, empty input.
DROP TABLE IF EXISTS w_rank;
CREATE TABLE w_rank (g String, k Nullable(Int32), v UInt32) ENGINE = Memory;
INSERT INTO w_rank VALUES ('a', 1, 10), ('a', 1, 20), ('a', 2, 30), ('a', NULL, 40), ('b', 5, 50), ('b', 3, 60), ('b', 3, 70), ('c', NULL, 80), ('c', NULL, 90), ('a', 4, 100);
SELECT number, row_number() OVER (PARTITION BY number % 2 ORDER BY number DESC) FROM numbers(6) ORDER BY number FORMAT TSVWithNames;
SELECT g, k, v, row_number() OVER (PARTITION BY g ORDER BY k, v) AS rn, rank() OVER (PARTITION BY g ORDER BY k) AS r, dense_rank() OVER (PARTITION BY g ORDER BY k) AS dr FROM w_rank ORDER BY g, v;
SELECT g, k, v, percent_rank() OVER (PARTITION BY g ORDER BY k) AS pr, cume_dist() OVER (PARTITION BY g ORDER BY k) AS cd FROM w_rank ORDER BY g, v;
SELECT v, rank() OVER (ORDER BY k DESC) AS r, dense_rank() OVER (ORDER BY k DESC NULLS FIRST) AS dr, rank() OVER (ORDER BY k NULLS FIRST) AS r2 FROM w_rank ORDER BY v;
SELECT v, row_number() OVER (ORDER BY v) AS a, row_number() OVER (ORDER BY v DESC) AS b, rank() OVER () AS c, dense_rank() OVER () AS d, percent_rank() OVER () AS e, cume_dist() OVER () AS f FROM w_rank ORDER BY v;
SELECT g, v, rank() OVER (PARTITION BY g ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rows_rank, dense_rank() OVER (PARTITION BY g ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rows_dense FROM w_rank ORDER BY g, k, v;
SELECT number, ntile(3) OVER (ORDER BY number) AS t FROM numbers(10) ORDER BY number;
SELECT number, ntile(4) OVER (PARTITION BY number % 2 ORDER BY number) AS t, ntile(100) OVER (ORDER BY number RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS t2 FROM numbers(9) ORDER BY number;
SELECT number, ntile(2) OVER (ORDER BY number ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS t FROM numbers(5) ORDER BY number;
SELECT toTypeName(row_number() OVER ()), toTypeName(rank() OVER ()), toTypeName(dense_rank() OVER ()), toTypeName(percent_rank() OVER ()), toTypeName(cume_dist() OVER ()), toTypeName(ntile(2) OVER (ORDER BY number)) FROM numbers(1);
SELECT v, count() OVER w AS c, rank() OVER (w ORDER BY k) AS r, row_number() OVER (w ORDER BY v DESC) FROM w_rank WINDOW w AS (PARTITION BY g) ORDER BY v FORMAT TSVWithNames;
SELECT v, row_number() OVER w2 FROM w_rank WINDOW w1 AS (PARTITION BY g ORDER BY v), w2 AS (w1) ORDER BY v;
SELECT number, row_number() OVER () FROM numbers(0);
SELECT count() FROM (SELECT rank() OVER (ORDER BY number) FROM numbers(0));
SELECT lc, n, row_number() OVER (PARTITION BY lc ORDER BY n) AS r, dense_rank() OVER (ORDER BY lc) AS d FROM (SELECT toLowCardinality(toString(number % 3)) AS lc, number AS n FROM numbers(7)) ORDER BY n;
SELECT number, ROW_NUMBER() OVER (ORDER BY number DESC) AS x, RANK() OVER (ORDER BY intDiv(number, 2)) AS y FROM numbers(5) ORDER BY number;
SELECT number, row_number() OVER (ORDER BY number DESC) FROM numbers(4) ORDER BY row_number() OVER (ORDER BY number DESC);
SELECT number, row_number() OVER (PARTITION BY NULL ORDER BY number) FROM numbers(3) ORDER BY number;
SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v DESC) AS rn, count() OVER (PARTITION BY k) AS c, max(v) OVER (PARTITION BY k) AS m FROM w_rank ORDER BY k, v;
DROP TABLE w_rank;
