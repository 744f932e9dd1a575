#!/usr/bin/env bash
# bench/ab.sh OLD_BINARY NEW_BINARY DATA_DIR "SQL" [RUNS] — A/B of one query on the same tables:
# each binary runs the query RUNS times (default 7) in one `basalt local` process, alternating
# binaries three times; prints each process's median (ms, from system.query_log, first run dropped).
# For profiling work: `bench/ab.sh bench/data/basalt-OLD build/release/basalt bench/data/w/basalt_hits "SELECT ..."`.
set -euo pipefail
old="$1"; new="$2"; dir="$3"; sql="$4"; runs="${5:-7}"
export TZ=UTC
q=$(mktemp); trap 'rm -f "$q"' EXIT
for i in $(seq "$runs"); do echo "$sql FORMAT Null;"; done > "$q"
echo "SELECT arraySort(groupArray(query_duration_ms)) FROM (SELECT dateDiff('microsecond', query_start_time_microseconds, event_time_microseconds) / 1000 AS query_duration_ms, event_time_microseconds FROM system.query_log WHERE type = 'QueryFinish' AND query NOT LIKE '%system.query_log%' ORDER BY event_time_microseconds LIMIT 1, $((runs - 1)));" >> "$q"
for round in 1 2 3; do
  for b in "$old" "$new"; do
    printf '%-40s %s\n' "$b" "$("$b" local --path "$dir" --queries-file "$q" | tail -1)"
  done
done
