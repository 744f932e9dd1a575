-- Columns read only by a WHERE that MergeTree applies while reading (PREWHERE) are not filtered
-- and returned: constants stand in for them. The results must not show it.
DROP TABLE IF EXISTS t_fo;
CREATE TABLE t_fo (k UInt32, x Int16, y UInt64, s String) ENGINE = MergeTree ORDER BY k SETTINGS index_granularity = 16;
INSERT INTO t_fo SELECT number, number % 7 - 3, number * 3, toString(number % 11) FROM numbers(1000);
SELECT count() FROM t_fo WHERE x != 0;
SELECT count(), sum(y) FROM t_fo WHERE x > 1;
SELECT k, y FROM t_fo WHERE x = 2 ORDER BY y DESC LIMIT 3;
SELECT k FROM t_fo WHERE x < -2 AND s = '5' ORDER BY k LIMIT 4;
SELECT x, count() FROM t_fo WHERE x != 0 GROUP BY x ORDER BY x;
SELECT count() FROM t_fo WHERE x != 0 AND k > 900;
SELECT sum(length(s)) FROM t_fo WHERE x = 1;
SELECT count() FROM t_fo WHERE x != 0 SETTINGS optimize_move_to_prewhere = 0;
-- length(s) read as s.size: through the filter, the top-N filter and exact key ranges.
SELECT k, length(s) FROM t_fo WHERE x = 3 ORDER BY length(s) DESC, k LIMIT 3;
SELECT length(s) AS l, k FROM t_fo ORDER BY l, k LIMIT 2;
SELECT sum(length(s)) FROM t_fo WHERE k >= 100 AND k < 500;
SELECT count() FROM t_fo WHERE s != '' AND k < 300;
DROP TABLE t_fo;
