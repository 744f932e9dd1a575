#!/usr/bin/env bash
# bench/http_insert.sh — HTTP INSERT throughput and server memory: starts a Release `basalt server`
# on loopback, creates the seed's `events` table (MergeTree, daily partitions) and POSTs the seeded
# events TSV (ROWS, default 10,000,000) as one `INSERT ... FORMAT TSV` body, plain and gzip'd.
# Prints rows/s, MB/s of body and the server's peak RSS (VmHWM) after each load; the body is
# streamed (8 MiB pieces), so peak RSS should stay far below the body's size.
# Usage: bench/http_insert.sh [BASALT_BINARY]   (env: ROWS)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../build/release/basalt}"
rows="${ROWS:-10000000}"; seed=42; data="$here/data"
mkdir -p "$data"
. "$here/events_tsv.sh"
dir=$(mktemp -d); trap 'kill -9 ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port=$(port); tcp_port=$(port)
"$bin" server --path "$dir/data" --http_port "$http_port" --tcp_port "$tcp_port" > "$dir/log" 2>&1 &
pid=$!
url="http://127.0.0.1:$http_port/"
for _ in $(seq 1 100); do curl -sf "${url}ping" > /dev/null && break; sleep 0.1; done
schema='ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String'
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
