#!/usr/bin/env bash
# bench/joins.sh BASALT_BINARY [SCALE] — `make bench-joins`: only the `joins` suite of bench/bench.js,
# basalt vs ClickHouse (chDB) and DuckDB on
#   - a star schema: `sales` (SCALE rows, default 10,000,000) joined to `stores` (1k), `products`
#     (10k) and `customers` (100k), grouped by two dimension attributes with count/sum;
#   - a point-in-time join: `pit_events` (SCALE rows) ASOF LEFT / INNER JOIN `pit_features`
#     (SCALE/10 updates) ON entity AND e.ts >= f.ts, aggregated per day / event type;
# (queries in bench/join_queries.txt, data from bench/gen_joins.cpp, generated once into
# bench/data/). Results of basalt, ClickHouse and DuckDB are compared value by value. Prints the
# markdown report (also kept in bench/data/joins-report.md); RESULTS.md is not touched.
# Env as bench/bench.sh (SEED, THREADS, QUERY_RUNS, JOINS_INSERT_RUNS (1), QUIET_WAIT, REUSE, WORK).
set -euo pipefail
bin="$(realpath "$1")"; scale="${2:-10000000}"
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/data"; mkdir -p "$data"
export TZ=UTC
seed="${SEED:-42}"
ANCHORS="$(bash "$here/../../shared/tools/anchors.sh")"; export ANCHORS
. "$here/gen_data.sh"
JOINS_TSVS="$(joins_tsvs "$scale" "$seed")" REPORT="${REPORT:-$data/joins-report.md}" SUITES=joins node "$here/bench.js" "$bin"
