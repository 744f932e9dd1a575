-- uniqExact / COUNT(DISTINCT): values kept in place for small groups, then a hash set; numbers up
-- to 64 bits as themselves, strings and other values as 128-bit hashes; merge across threads and
-- through -State / -Merge.
SELECT uniqExact(number % 1000), count(DISTINCT number % 1000), uniqExact(toString(number % 777)) FROM numbers(100000);
SELECT k, uniqExact(v), uniqExact(toString(v)), count(DISTINCT v) FROM (SELECT number % 10 AS k, intDiv(number, 10) % (k * k + 1) AS v FROM numbers(20000)) GROUP BY k ORDER BY k;
-- groups of 1..40 distinct values cross the in-place limit (8 numbers, 4 hashes) at different rows
SELECT sum(u), sum(us), max(u) FROM (SELECT number % 40 AS k, uniqExact(intDiv(number, 40) % (k + 1)) AS u, uniqExact(toString(intDiv(number, 40) % (k + 1))) AS us FROM numbers(40000) GROUP BY k);
SELECT uniqExact(x) FROM (SELECT toInt8(number % 256 - 128) AS x FROM numbers(1000));
SELECT uniqExact(x), uniqExact(-x) FROM (SELECT toInt64(number) - 500 AS x FROM numbers(1000));
SELECT uniqExact(toFloat64(number) / 4), uniqExact(toFloat32(number % 100)) FROM numbers(1000);
SELECT uniqExact(toDate('2020-01-01') + number % 45), uniqExact(toDateTime('2020-01-01 00:00:00') + number % 301) FROM numbers(1000);
SELECT uniqExact(number % 3, toString(number % 5)), uniqExact((number % 7, number % 2)) FROM numbers(1000);
SELECT uniqExact(toUInt128(number % 50)), uniqExact(toUUID('00000000-0000-0000-0000-000000000001')) FROM numbers(1000);
SELECT uniqExact(if(number % 3 = 0, NULL, number % 10)) FROM numbers(100);
SELECT uniqExact(s) FROM (SELECT arrayJoin(['', 'a', '', 'b', 'a', 'a long string over sixteen bytes', 'a long string over sixteen bytes']) AS s);
SELECT uniqExact([number % 3, number % 4]) FROM numbers(100);
SELECT uniqExact(x) FROM (SELECT number AS x FROM numbers(0));
SELECT k, uniqExact(x) FROM (SELECT number % 2 AS k, number AS x FROM numbers(10)) WHERE x > 100 GROUP BY k;
SELECT uniqExactIf(number, number % 2 = 0), uniqExactIf(toString(number), number < 10) FROM numbers(1000);
SELECT uniqExactMerge(s) FROM (SELECT k, uniqExactState(number % 97) AS s FROM (SELECT number, number % 3 AS k FROM numbers(3000)) GROUP BY k);
SELECT uniqExactMerge(s) FROM (SELECT k, uniqExactState(toString(number % 97)) AS s FROM (SELECT number, number % 3 AS k FROM numbers(3000)) GROUP BY k);
SELECT k, uniqExactMerge(s) FROM (SELECT number % 4 AS k, uniqExactState(number % 5) AS s FROM numbers(100) GROUP BY k, number % 3) GROUP BY k ORDER BY k;
SELECT count(DISTINCT number % 100000) FROM numbers(1000000) SETTINGS max_threads = 2;
SELECT sum(c) FROM (SELECT number % 1000 AS k, count(DISTINCT intDiv(number, 1000) % 50) AS c FROM numbers(1000000) GROUP BY k) SETTINGS max_threads = 2;
SELECT uniqExact() FROM numbers(10) /* { serverError 42 } */;
