-- Aggregate functions over windows (running, sliding, whole-partition frames), combinators and
-- parameters, windows over GROUP BY results, QUALIFY, Nullable / LowCardinality arguments, several
-- different windows in one query, window results inside expressions.
DROP TABLE IF EXISTS w_sales;
CREATE TABLE w_sales (region LowCardinality(String), day Date, amount Nullable(Int64), qty UInt32) ENGINE = Memory;
INSERT INTO w_sales SELECT ['north', 'south', 'east'][number % 3 + 1], toDate('2024-03-01') + intDiv(number, 3), if(number % 7 = 5, NULL, toInt64(number * 13 % 50) - 10), number % 4 + 1 FROM numbers(30);
SELECT region, day, amount, sum(amount) OVER (PARTITION BY region ORDER BY day) AS running, avg(amount) OVER (PARTITION BY region ORDER BY day ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving_avg, count(amount) OVER (PARTITION BY region) AS cnt, count() OVER (PARTITION BY region) AS rows_in_region FROM w_sales ORDER BY region, day;
SELECT region, day, min(amount) OVER w AS mn, max(amount) OVER w AS mx, argMax(day, amount) OVER w AS best_day, groupArray(qty) OVER w AS qs FROM w_sales WINDOW w AS (PARTITION BY region ORDER BY day ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) ORDER BY region, day;
SELECT region, day, uniq(qty) OVER (PARTITION BY region ORDER BY day) AS u, uniqExact(qty) OVER (PARTITION BY region ORDER BY day ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS ue, quantile(0.5)(amount) OVER (PARTITION BY region ORDER BY day ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS med, quantileExact(0.9)(qty) OVER (PARTITION BY region) AS p90 FROM w_sales ORDER BY region, day;
SELECT region, day, sumIf(qty, amount > 0) OVER (PARTITION BY region ORDER BY day) AS pos_qty, countIf(amount IS NULL) OVER (PARTITION BY region) AS nulls, count(DISTINCT qty) OVER (PARTITION BY region ORDER BY day) AS dq, sumOrNull(qty) OVER (ORDER BY day, region ROWS BETWEEN 2 FOLLOWING AND 3 FOLLOWING) AS ahead FROM w_sales ORDER BY region, day;
SELECT region, sum(amount) AS total, sum(sum(amount)) OVER (ORDER BY region) AS cum, total / sum(total) OVER () AS share, rank() OVER (ORDER BY sum(qty) DESC) AS qty_rank, count() OVER () AS regions FROM w_sales GROUP BY region ORDER BY region;
SELECT day, sum(qty) AS q, sum(q) OVER (ORDER BY day ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS q3, lagInFrame(q, 1, 0) OVER (ORDER BY day ROWS 1 PRECEDING) AS prev FROM w_sales GROUP BY day ORDER BY day;
SELECT region, day, qty, row_number() OVER (PARTITION BY region ORDER BY qty DESC, day) AS rn FROM w_sales QUALIFY rn <= 2 ORDER BY region, rn;
SELECT region, day, amount FROM w_sales QUALIFY amount = max(amount) OVER (PARTITION BY region) ORDER BY region, day;
SELECT day, count() FROM w_sales GROUP BY day QUALIFY sum(count()) OVER (ORDER BY day) <= 9 ORDER BY day;
SELECT number FROM numbers(10) QUALIFY number % 3 = 0 ORDER BY number;
SELECT n, x, sum(x) OVER (ORDER BY n) AS s, toTypeName(s), avg(x) OVER () AS a, max(x) OVER (ORDER BY n ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS m, toTypeName(m) FROM (SELECT number AS n, if(number % 2 = 1, NULL, toNullable(number)) AS x FROM numbers(6)) ORDER BY n;
SELECT lc, n, max(lc) OVER (PARTITION BY lc) AS m, toTypeName(m), any(lc) OVER (ORDER BY n) AS f, lagInFrame(lc) OVER (ORDER BY n ROWS 1 PRECEDING) AS l, toTypeName(l), count() OVER (PARTITION BY lc ORDER BY n) AS c FROM (SELECT number AS n, toLowCardinality(toString(number % 2)) AS lc FROM numbers(5)) ORDER BY n;
SELECT number, sum(number) OVER (ORDER BY number) AS a, sum(number) OVER (ORDER BY number DESC) AS b, count() OVER (PARTITION BY number % 2) AS c, max(number) OVER (PARTITION BY number % 3 ORDER BY number ROWS BETWEEN 1 PRECEDING AND 1 PRECEDING) AS d, a + b - number AS total, sum(number) OVER () / count() OVER () AS mean FROM numbers(8) ORDER BY number;
SELECT number, sumState(number) OVER (ORDER BY number) AS st, finalizeAggregation(st) AS fin FROM numbers(4) ORDER BY number FORMAT TSVWithNames;
SELECT number % 3 AS k, groupArray(number) OVER (PARTITION BY k ORDER BY number DESC) AS g FROM numbers(7) ORDER BY number LIMIT 4;
SELECT DISTINCT number % 2 AS p, count() OVER (PARTITION BY number % 2) AS c FROM numbers(5) ORDER BY p;
SELECT count(), sum(c) FROM (SELECT count() OVER (PARTITION BY number % 100 ORDER BY number ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS c FROM numbers(20000));
SELECT sum(r), max(r), sum(s) FROM (SELECT row_number() OVER (PARTITION BY number % 1000 ORDER BY number DESC) AS r, sum(number) OVER (PARTITION BY number % 7 ORDER BY number) AS s FROM numbers(50000));
SELECT sum(x) OVER () FROM (SELECT 1 AS x) WHERE 0;
SELECT sum(number) OVER (ORDER BY number) FROM numbers(0);
SELECT a, sum(b) OVER (PARTITION BY a) FROM (SELECT number % 2 AS a, number AS b FROM numbers(4) WHERE number > 10) ORDER BY a;
DROP TABLE w_sales;
