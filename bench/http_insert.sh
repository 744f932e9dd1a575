#!/usr/bin/env bash
# bench/http_insert.sh — HTTP INSERT throughput and server memory: starts a Release `basalt server`
# on loopback, creates the seed's `events` table (MergeTree, daily partitions) and POSTs the seeded
# events TSV (ROWS, default 10,000,000) as one `INSERT ... FORMAT TSV` body, plain and gzip'd.
# Prints rows/s, MiB/s of body and the server's peak RSS (VmHWM) after each load; the body is
# streamed (8 MiB pieces), so peak RSS follows max_insert_block_size, not the body's size.
# Usage: bench/http_insert.sh [BASALT_BINARY]   (env: ROWS, INSERT_SETTINGS='&setting=value...')
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
default_rows=10000000
. "$here/bench_server.sh"
hwm() { grep VmHWM "/proc/$pid/status" | awk '{printf "%.0f MiB", $2 / 1024}'; }
bytes=$(stat -c %s "$tsv")
echo "[insert] $rows rows, $((bytes / 1048576)) MiB TSV; $(nproc) cores; server RSS before: $(hwm)"
load() {   # load NAME FILE [curl args]
  curl -sf "$url" --data-binary "DROP TABLE IF EXISTS events" > /dev/null
  curl -sf "$url" --data-binary "CREATE TABLE events ($schema) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)" > /dev/null
  local s e n
  s=$(date +%s.%N)
  curl -sf "${url}?query=INSERT%20INTO%20events%20FORMAT%20TSV${INSERT_SETTINGS:-}" --data-binary @"$2" "${@:3}" > /dev/null
  e=$(date +%s.%N)
  n=$(curl -sf "$url" --data-binary "SELECT count() FROM events")
  [ "$n" = "$rows" ] || { echo "[insert] $1: expected $rows rows, got $n" >&2; exit 1; }
  echo "[insert] $1: $(echo "$e - $s" | bc) s, $(echo "$rows / ($e - $s)" | bc) rows/s, $(echo "$bytes / 1048576 / ($e - $s)" | bc) MiB/s of TSV; peak RSS $(hwm)"
}
load "TSV" "$tsv"
gzip -1 -c "$tsv" > "$dir/events.tsv.gz"
load "TSV gzip" "$dir/events.tsv.gz" -H 'Content-Encoding: gzip'
kill -TERM "$pid"; wait "$pid"
