#!/usr/bin/env bash
# bench/server_load.sh — starts a Release `basalt server` on loopback with the seeded `events`
# table (ROWS, default 1,000,000) and runs bench/server_load.js: CONNECTIONS (64) keep-alive HTTP
# clients for DURATION (60) seconds mixing dashboard queries and small INSERTs. Zero errors and
# every acknowledged INSERT present afterwards are required (exit 1 otherwise).
# Usage: bench/server_load.sh [BASALT_BINARY]   (env: ROWS, CONNECTIONS, DURATION)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../build/release/basalt}"
rows="${ROWS:-1000000}"; seed=42; data="$here/data"
mkdir -p "$data"
. "$here/events_tsv.sh"
dir=$(mktemp -d); trap 'kill -9 ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port=$(port); tcp_port=$(port)
"$bin" server --path "$dir/data" --http_port "$http_port" --tcp_port "$tcp_port" > "$dir/log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http_port/ping" > /dev/null && break; sleep 0.1; done
schema='ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String'
curl -sf "http://127.0.0.1:$http_port/" --data-binary "CREATE TABLE events ($schema) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)"
curl -sf "http://127.0.0.1:$http_port/?query=INSERT%20INTO%20events%20FORMAT%20TSV" --data-binary @"$tsv"
echo "[load] events: $(curl -s "http://127.0.0.1:$http_port/" --data-binary 'SELECT count() FROM events') rows; $(nproc) cores" >&2
node "$here/server_load.js" "$http_port" "${CONNECTIONS:-64}" "${DURATION:-60}"
kill -TERM "$pid"; wait "$pid"
