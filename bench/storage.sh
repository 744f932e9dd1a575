#!/usr/bin/env bash
# bench/storage.sh BASALT_BINARY [ROWS] — MergeTree storage measurements (issue 3): insert rows/s,
# on-disk bytes after OPTIMIZE FINAL, the seed dashboard queries and primary-key/partition pruning,
# basalt vs ClickHouse (chDB) and DuckDB on this machine with the same thread count.
#
# Generates the seeded `events` data (bench/gen_events.cpp, ROWS default 10,000,000) into
# bench/data/ (gitignored) once per row count, then runs bench/storage.js, which prints markdown
# tables to stdout (progress on stderr) and writes the raw numbers to
# bench/data/storage-results-ROWS.json. Env: THREADS (default nproc), INSERT_RUNS (3),
# QUERY_RUNS (5), INSERT_STDIN (1; 0 skips the slow stdin INSERT form), SEED (42), QUIET_WAIT
# (seconds to wait before each measured step for the rest of the machine to be at most
# QUIET_MAX_BUSY = 0.1 busy; default 0: measure at once, the busy share is recorded either way).
set -euo pipefail
bin="$(realpath "$1")"; rows="${2:-10000000}"
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/data"; mkdir -p "$data"
export TZ=UTC THREADS="${THREADS:-$(nproc)}"
seed="${SEED:-42}"
ANCHORS="$(bash "$here/../../shared/tools/anchors.sh")"; export ANCHORS

. "$here/events_tsv.sh"
node "$here/storage.js" "$bin" "$tsv" "$rows"
