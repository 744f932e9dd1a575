-- bench/final_bench.sql — data for timing SELECT ... FINAL split into primary-key ranges
-- (bench/RESULTS.md, 2026-11-27 session 3): three overlapping unmerged parts of 4M rows.
--   rm -rf /tmp/fb && build/release/basalt local --path /tmp/fb --queries-file bench/final_bench.sql
--   time build/release/basalt local --path /tmp/fb -q "SELECT count(), sum(v) FROM r FINAL SETTINGS max_threads = 2"
CREATE TABLE r (k UInt64, ver UInt32, v Float64, s String) ENGINE = ReplacingMergeTree(ver) ORDER BY k;
SYSTEM STOP MERGES r;
INSERT INTO r SELECT number % 3000000, number, number * 0.5, toString(number) FROM numbers(4000000);
INSERT INTO r SELECT number % 3000000, number + 10000000, number * 0.25, toString(number) FROM numbers(4000000);
INSERT INTO r SELECT (number * 7) % 3000000, number + 20000000, number * 0.125, toString(number) FROM numbers(4000000);
