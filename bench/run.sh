#!/usr/bin/env bash
# bench/run.sh BASALT_BINARY — times bench/queries.txt in basalt, ClickHouse (chDB) and DuckDB on
# this machine with the same thread count (best of RUNS) and prints ratios. Reference engines come
# from ../shared/tools/anchors.sh (npm). Results go to stdout; copy them into bench/RESULTS.md.
set -euo pipefail
bin="$1"; here="$(cd "$(dirname "$0")" && pwd)"
THREADS="${THREADS:-$(nproc)}"; RUNS="${RUNS:-3}"
bash "$here/../../shared/tools/anchors.sh" >/dev/null
printf '| query | basalt s | ClickHouse s | DuckDB s | basalt/ClickHouse | basalt/DuckDB |\n|---|---|---|---|---|---|\n'
grep -v '^#' "$here/queries.txt" | while IFS='|' read -r name sql duck; do
  name=$(echo $name); sql=$(echo "$sql" | sed 's/^ *//;s/ *$//'); duck=$(echo "$duck" | sed 's/^ *//;s/ *$//')
  best=999999
  for i in $(seq "$RUNS"); do
    s=$(date +%s.%N); "$bin" local --format Null -q "$sql SETTINGS max_threads = $THREADS" >/dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc); best=$(echo "if ($t < $best) $t else $best" | bc)
  done
  ch=$(node "$here/engines.js" clickhouse "$THREADS" "$RUNS" "$sql")
  dk=$(node "$here/engines.js" duckdb "$THREADS" "$RUNS" "$duck")
  printf '| %s | %.3f | %s | %s | %.2f | %.2f |\n' "$name" "$best" "$ch" "$dk" "$(echo "$best / $ch" | bc -l)" "$(echo "$best / $dk" | bc -l)"
done
