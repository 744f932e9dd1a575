#!/usr/bin/env bash
# bench/server_load.sh — starts a Release `basalt server` on loopback with the seeded `events`
# table (ROWS, default 1,000,000) and runs bench/server_load.js: CONNECTIONS (64) keep-alive HTTP
# clients for DURATION (60) seconds mixing dashboard queries and small INSERTs. Zero errors and
# every acknowledged INSERT present afterwards are required (exit 1 otherwise).
# Usage: bench/server_load.sh [BASALT_BINARY]   (env: ROWS, CONNECTIONS, DURATION)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
default_rows=1000000
. "$here/bench_server.sh"
curl -sf "http://127.0.0.1:$http_port/" --data-binary "CREATE TABLE events ($schema) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)"
curl -sf "http://127.0.0.1:$http_port/?query=INSERT%20INTO%20events%20FORMAT%20TSV" --data-binary @"$tsv"
echo "[load] events: $(curl -s "http://127.0.0.1:$http_port/" --data-binary 'SELECT count() FROM events') rows; $(nproc) cores" >&2
node "$here/server_load.js" "$http_port" "${CONNECTIONS:-64}" "${DURATION:-60}"
kill -TERM "$pid"; wait "$pid"
