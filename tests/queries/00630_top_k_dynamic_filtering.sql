-- ORDER BY column LIMIT n over MergeTree with top-N dynamic filtering (rows worse than the n-th best
-- seen so far are skipped while reading): same results as without, ties kept, ASC / DESC, OFFSET,
-- with and without a WHERE (PREWHERE) condition, several parts, several threads.
DROP TABLE IF EXISTS t_topk;
CREATE TABLE t_topk (k UInt32, ts DateTime, v Int64, s String) ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 64;
INSERT INTO t_topk SELECT number % 1000, toDateTime('2024-01-01 00:00:00') + intHash32(number) % 100000, toInt64(intHash64(number) % 2001) - 1000, toString(number % 37) FROM numbers(50000);
INSERT INTO t_topk SELECT number % 1000, toDateTime('2024-01-01 00:00:00') + intHash32(number + 7) % 100000, toInt64(intHash64(number + 7) % 2001) - 1000, toString(number % 41) FROM numbers(30000);
SELECT ts, k, v FROM t_topk ORDER BY ts, k, v LIMIT 10 SETTINGS max_threads = 2;
SELECT ts, k, v FROM t_topk ORDER BY ts DESC, k, v LIMIT 5 OFFSET 3 SETTINGS max_threads = 2;
SELECT v, count() FROM (SELECT v FROM t_topk ORDER BY v LIMIT 100) GROUP BY v ORDER BY v;
SELECT s, ts FROM t_topk WHERE s = '7' ORDER BY ts, k LIMIT 8 SETTINGS max_threads = 2;
SELECT s, v, k FROM t_topk WHERE s LIKE '1%' ORDER BY v DESC, k, s LIMIT 6 SETTINGS max_threads = 2;
SELECT k, v FROM t_topk WHERE v > 990 ORDER BY k DESC, v LIMIT 4;
SELECT * FROM t_topk ORDER BY v, k, ts, s LIMIT 3 SETTINGS use_top_k_dynamic_filtering = 0;
SELECT * FROM t_topk ORDER BY v, k, ts, s LIMIT 3 SETTINGS use_top_k_dynamic_filtering = 1;
SELECT count() FROM (SELECT v FROM t_topk WHERE v = -1000 ORDER BY v LIMIT 1000);
SELECT ts FROM t_topk WHERE k = 100000 ORDER BY ts LIMIT 3;
DROP TABLE t_topk;
-- a column added by ALTER: old parts read it as its default
CREATE TABLE t_topk2 (k UInt32) ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 64;
INSERT INTO t_topk2 SELECT number FROM numbers(5000);
ALTER TABLE t_topk2 ADD COLUMN d UInt32 DEFAULT 7;
INSERT INTO t_topk2 SELECT number, number % 5 FROM numbers(5000, 3000);
SELECT d, k FROM t_topk2 ORDER BY d, k LIMIT 4 SETTINGS max_threads = 2;
SELECT d, k FROM t_topk2 WHERE k % 2 = 0 ORDER BY d DESC, k LIMIT 3 SETTINGS max_threads = 2;
DROP TABLE t_topk2;
SELECT value FROM system.settings WHERE name = 'use_top_k_dynamic_filtering';
SELECT 1 SETTINGS use_top_k_dynamic_filtering = 'maybe' /* { serverError 467 } */;
