-- AND / OR whose later branches are plain comparisons are evaluated over whole blocks; branches
-- that can throw stay lazy (short-circuit): results and NULL semantics are the same either way.
SELECT count() FROM numbers(1000) WHERE number % 7 = 3 AND toDate('2024-01-01') + number % 40 >= '2024-01-20' AND number IN (3, 10, 59, 101, 500, 997);
SELECT count() FROM numbers(1000) WHERE number < 10 OR number > 990 OR number = 500;
SELECT n, n > 1 AND n < 5, n > 1 OR n IS NULL, NOT (n = 2) AND n >= 0 FROM (SELECT if(number = 3, NULL, number) AS n FROM numbers(6)) ORDER BY n NULLS LAST;
SELECT count() FROM numbers(100) WHERE number > 0 AND intDiv(100, number) > 10;
SELECT sum(number) FROM numbers(100) WHERE number = 0 OR intDiv(100, number) = 1;
SELECT count() FROM numbers(10) WHERE number != 5 AND toInt8(number) - 1 < 3 AND number NOT IN (0, 1);
SELECT count() FROM (SELECT toDateTime('2024-01-01 00:00:00') + number * 3600 AS t FROM numbers(100)) WHERE t >= '2024-01-02 00:00:00' AND t < '2024-01-03 00:00:00';
