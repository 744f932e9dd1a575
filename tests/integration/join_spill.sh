#!/usr/bin/env bash
# A join whose build side exceeds the memory limit: with join_algorithm = 'hash' it fails with
# MEMORY_LIMIT_EXCEEDED (241); with 'grace_hash' the right side is split into bucket files and the
# same query completes under the same limit with the same result as an unlimited in-memory join —
# for INNER, LEFT, RIGHT and FULL joins, ANY and SEMI strictness, and a spilled join in a chain.
# Also: max_bytes_in_join without a spilling algorithm is SET_SIZE_LIMIT_EXCEEDED (191).
# Usage: join_spill.sh BASALT_BINARY
set -euo pipefail
bin="$1"
sql=$(mktemp); trap 'rm -f "$sql"' EXIT
limit=40000000
cat > "$sql" <<SQL
CREATE TABLE l (k UInt64, v UInt64) ENGINE = MergeTree ORDER BY v;
CREATE TABLE r (k UInt64, s String) ENGINE = MergeTree ORDER BY k;
CREATE TABLE d (k UInt64, w UInt8) ENGINE = Memory;
INSERT INTO l SELECT number % 2000000, number FROM numbers(2000000);
INSERT INTO r SELECT number * 2, repeat('x', 20 + number % 50) FROM numbers(1000000);
INSERT INTO d SELECT number * 3, number % 7 FROM numbers(1000);
SELECT 'hash fails';
SELECT count() FROM l JOIN r USING (k) SETTINGS max_memory_usage = $limit, join_algorithm = 'hash' /* { serverError 241 } */;
SELECT count() FROM l JOIN r USING (k) SETTINGS max_bytes_in_join = 1000000 /* { serverError 191 } */;
SELECT 'grace';
SELECT 'inner', count(), sum(v), sum(length(s)) FROM l JOIN r USING (k) SETTINGS max_memory_usage = $limit, join_algorithm = 'grace_hash';
SELECT 'left', count(), sum(v), sum(length(s)), countIf(s = '') FROM l LEFT JOIN r USING (k) SETTINGS max_memory_usage = $limit, join_algorithm = 'grace_hash';
SELECT 'right', count(), sum(v), sum(length(s)), countIf(v = 0) FROM l RIGHT JOIN r ON l.k = r.k SETTINGS max_memory_usage = $limit, join_algorithm = 'grace_hash';
SELECT 'full', count(), sum(v), sum(length(s)) FROM l FULL JOIN r USING (k) SETTINGS max_memory_usage = $limit, join_algorithm = 'grace_hash';
SELECT 'any', count(), sum(v) FROM l ANY LEFT JOIN r USING (k) SETTINGS max_memory_usage = $limit, join_algorithm = 'grace_hash';
SELECT 'semi', count(), sum(v) FROM l SEMI LEFT JOIN r USING (k) SETTINGS max_memory_usage = $limit, join_algorithm = 'grace_hash';
SELECT 'chain', count(), sum(w), sum(length(s)) FROM l JOIN r USING (k) JOIN d USING (k) SETTINGS max_memory_usage = $limit, join_algorithm = 'grace_hash';
SELECT 'in memory';
SELECT 'inner', count(), sum(v), sum(length(s)) FROM l JOIN r USING (k);
SELECT 'left', count(), sum(v), sum(length(s)), countIf(s = '') FROM l LEFT JOIN r USING (k);
SELECT 'right', count(), sum(v), sum(length(s)), countIf(v = 0) FROM l RIGHT JOIN r ON l.k = r.k;
SELECT 'full', count(), sum(v), sum(length(s)) FROM l FULL JOIN r USING (k);
SELECT 'any', count(), sum(v) FROM l ANY LEFT JOIN r USING (k);
SELECT 'semi', count(), sum(v) FROM l SEMI LEFT JOIN r USING (k);
SELECT 'chain', count(), sum(w), sum(length(s)) FROM l JOIN r USING (k) JOIN d USING (k);
SQL
out=$("$bin" local --testmode --queries-file "$sql")
grace=$(printf '%s\n' "$out" | sed -n '/^grace$/,/^in memory$/p' | sed '1d;$d')
memory=$(printf '%s\n' "$out" | sed -n '/^in memory$/,$p' | sed '1d')
if [ "$grace" != "$memory" ] || [ "$(printf '%s\n' "$grace" | wc -l)" != 7 ]; then
  echo "spilled results differ from in-memory results:"; echo "--- grace"; echo "$grace"; echo "--- in memory"; echo "$memory"; exit 1
fi
# The expected numbers (independent of both join paths).
expected_inner="inner	1000000	999999000000	44500000"
if ! printf '%s\n' "$grace" | grep -qx "$expected_inner"; then echo "unexpected inner join result: $grace"; exit 1; fi
echo "join_spill: ok"
