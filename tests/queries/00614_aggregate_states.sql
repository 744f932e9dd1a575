-- AggregateFunction(f, T...) and SimpleAggregateFunction(f, T) types, the -State / -Merge /
-- -MergeState / -SimpleState combinators, finalizeAggregation / initializeAggregation, state bytes
-- compatible with ClickHouse, and the type errors.
SET mutations_sync = 0;
SELECT toTypeName(uniqState(number)), toTypeName(sumState(number)), toTypeName(quantilesState(0.5, 0.9)(number)) FROM numbers(10);
SELECT hex(countState()), hex(sumState(number)) FROM numbers(10);
SELECT hex(uniqState(number)) FROM numbers(3);
SELECT hex(maxState(number)), hex(minState(toInt8(-1))), hex(anyState(number)) FROM numbers(3);
SELECT hex(avgState(number)) FROM numbers(3);
SELECT uniqMerge(s) FROM (SELECT uniqState(number) AS s FROM numbers(1000) GROUP BY number % 7);
SELECT finalizeAggregation(s) FROM (SELECT sumState(number) AS s FROM numbers(10));
SELECT quantilesMerge(0.5, 0.9)(s) FROM (SELECT quantilesState(0.5, 0.9)(number) AS s FROM numbers(100));
SELECT toTypeName(initializeAggregation('sumState', number)), finalizeAggregation(initializeAggregation('sumState', number)) FROM numbers(3);
SELECT k, uniqMerge(u), countMerge(c) FROM (SELECT number % 3 AS k, uniqState(number) AS u, countState() AS c FROM numbers(100) GROUP BY k UNION ALL SELECT number % 3 AS k, uniqState(number + 50) AS u, countState() AS c FROM numbers(100) GROUP BY k) GROUP BY k ORDER BY k;
SELECT sumIfState(number, number > 5) AS s, toTypeName(s), finalizeAggregation(s) FROM numbers(10);
SELECT groupArrayMerge(s) FROM (SELECT groupArrayState(number) AS s FROM numbers(5));
SELECT sumMerge(s), avgMerge(a) FROM (SELECT sumState(toUInt8(number)) AS s, avgState(number) AS a FROM numbers(10));
SELECT toTypeName(sumSimpleState(number)), sumSimpleState(number) FROM numbers(3);
SELECT toTypeName(countMergeState(s)), countMerge(s) FROM (SELECT countState() AS s FROM numbers(7));
-- uniq states merge exactly: one step or a cascade give the same answer.
SELECT uniqMerge(s) FROM (SELECT uniqMergeState(s) AS s FROM (SELECT number % 10 AS m, uniqState(number % 5000) AS s FROM numbers(100000) GROUP BY m) GROUP BY m % 3);
SELECT uniq(number % 5000) FROM numbers(100000);
CREATE TABLE t (k UInt8, c AggregateFunction(count), u AggregateFunction(uniq, UInt64), s SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY k;
SYSTEM STOP MERGES t;
INSERT INTO t SELECT number % 2, countState(), uniqState(number), sum(number) FROM numbers(10) GROUP BY number % 2;
SELECT toTypeName(s), toTypeName(u) FROM t LIMIT 1;
INSERT INTO t SELECT number % 2, countState(), uniqState(toUInt32(number)), sum(number) FROM numbers(10) GROUP BY number % 2 /* { serverError 70 } */;
INSERT INTO t SELECT number % 2, sumState(number), uniqState(number), sum(number) FROM numbers(10) GROUP BY number % 2 /* { serverError 70 } */;
INSERT INTO t SELECT number % 2 + 1, countState(), uniqState(number + 3), sum(number) FROM numbers(10) GROUP BY number % 2;
SELECT count() FROM t;
SELECT k, countMerge(c), uniqMerge(u), sum(s) FROM t GROUP BY k ORDER BY k;
SELECT k, finalizeAggregation(c), finalizeAggregation(u), s FROM t FINAL ORDER BY k;
SYSTEM START MERGES t;
OPTIMIZE TABLE t FINAL;
SELECT k, finalizeAggregation(c), finalizeAggregation(u), s FROM t ORDER BY k;
SELECT countMergeState(c) FROM t WHERE k = 0;
SELECT uniqMerge(s) FROM t /* { serverError 43 } */;
SELECT uniqMerge(c) FROM t /* { serverError 42 } */;
SELECT sumMerge(u) FROM t /* { serverError 43 } */;
SELECT finalizeAggregation(s) FROM t /* { serverError 43 } */;
SELECT CAST(sumState(number), 'AggregateFunction(sum, UInt32)') FROM numbers(3) /* { serverError 70 } */;
CREATE TABLE bad (x AggregateFunction(nosuchfunction, UInt8)) ENGINE = Memory /* { serverError 63 } */;
CREATE TABLE bad2 (x AggregateFunction(sum, String)) ENGINE = Memory /* { serverError 43 } */;
