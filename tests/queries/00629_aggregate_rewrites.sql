-- sum(x ± c) computed as sum(x) ± c * count(x) (same values and types), and GROUP BY keys that are
-- functions of other keys computed after aggregation (ClickBench queries 30 and 36).
SELECT toTypeName(sum(x + 1)), sum(x + 1), sum(x - 3), sum(5 - x), sum(x + 1000), toTypeName(sum(y + 1)), sum(y + 1), sum(y - 3), toTypeName(sum(y - 3)), sum(z + 2), toTypeName(sum(z + 2)) FROM (SELECT toInt16(number) - 5 AS x, toUInt8(number) AS y, toUInt64(number) AS z FROM numbers(10));
SELECT sum(x + 1), toTypeName(sum(x + 1)) FROM (SELECT toInt16(number) AS x FROM numbers(0));
SELECT k, sum(x + 7), sum(x + 8), sum(x), count() FROM (SELECT number % 2 AS k, toInt32(number) AS x FROM numbers(10)) GROUP BY k ORDER BY k;
SELECT sum(n + 1), toTypeName(sum(n + 1)) FROM (SELECT if(number % 2, NULL, number) AS n FROM numbers(10));
SELECT sum(f + 1), sum(toDecimal32(number, 2) + 1) FROM (SELECT number, number / 3 AS f FROM numbers(10));
SELECT sum(number + 18446744073709551615), sum(toInt64(number) - 9223372036854775807) FROM numbers(3);
SELECT sum(ResolutionWidth), sum(ResolutionWidth + 1), sum(ResolutionWidth + 89) FROM (SELECT toInt16(number % 1920) AS ResolutionWidth FROM numbers(100000));
SELECT ClientIP, ClientIP - 1, ClientIP - 2, ClientIP - 3, count() AS c FROM (SELECT toInt32(number % 7) - 3 AS ClientIP FROM numbers(100)) GROUP BY ClientIP, ClientIP - 1, ClientIP - 2, ClientIP - 3 ORDER BY c DESC, ClientIP LIMIT 5;
SELECT a, concat(toString(a), '-', b) AS ab, b, count() FROM (SELECT number % 3 AS a, toString(number % 2) AS b FROM numbers(12)) GROUP BY a, ab, b ORDER BY a, b;
SELECT k * 2 AS k2, count() FROM (SELECT number % 4 AS k FROM numbers(8)) GROUP BY k, k2 ORDER BY k2;
SELECT number % 3 + 1 AS k, count() FROM numbers(9) GROUP BY k ORDER BY k;
SELECT k, k + rand() * 0 AS r, count() FROM (SELECT number % 2 AS k FROM numbers(4)) GROUP BY k, r ORDER BY k;
SELECT toString(d) AS s, d, count() FROM (SELECT toDate('2024-01-01') + number % 3 AS d FROM numbers(9)) GROUP BY d, s ORDER BY d;
SELECT sum(x), avg(x), sum(-x - 1), sumIf(x, 1) FROM (SELECT toInt64(9223372036854775807) AS x FROM numbers(3));
