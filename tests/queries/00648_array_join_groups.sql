-- Each distinct arrayJoin() call multiplies the rows; the items of one ARRAY JOIN clause are zipped.
SELECT arrayJoin([1, 2]) AS a, arrayJoin([10, 20, 30]) AS b ORDER BY a, b;
SELECT arrayJoin([1, 2]) AS a, arrayJoin([1, 2]) AS b ORDER BY a, b;
SELECT count(), sum(a * b) FROM (SELECT arrayJoin(range(10)) AS a, arrayJoin(range(7)) AS b);
SELECT x, y, arrayJoin(z) AS w FROM (SELECT 1 AS x, [5, 6] AS arr, ['a', 'b', 'c'] AS z) ARRAY JOIN arr AS y ORDER BY y, w;
SELECT x, y, arrayJoin(z) AS w FROM (SELECT 1 AS x, [] :: Array(UInt8) AS arr, ['a', 'b'] AS z) LEFT ARRAY JOIN arr AS y ORDER BY w;
SELECT number, arrayJoin(range(number)) AS r, arrayJoin(['p', 'q']) AS s FROM numbers(4) ORDER BY number, r, s;
SELECT number AS n, k, v FROM numbers(2) ARRAY JOIN [1, 2] AS k, ['x', 'y'] AS v ORDER BY n, k;
SELECT count() FROM numbers(3) ARRAY JOIN [1, 2] AS a WHERE arrayJoin([1, 2, 3]) > 1;
SELECT arrayJoin(1) /* { serverError 43 } */;
SELECT arrayJoin([1, 2], [3]) /* { serverError 42 } */;
