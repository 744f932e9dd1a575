#!/usr/bin/env bash
# bench/storage.sh BASALT_BINARY [ROWS] — `make bench-storage`: only the `events` suite of bench/bench.js
# (insert rows/s in TSV and JSONEachRow, bytes on disk after OPTIMIZE FINAL, the seed dashboard
# queries, peak memory, primary-key/partition pruning), ROWS default 10,000,000. Prints the markdown
# report; RESULTS.md is not touched. Env as bench/bench.sh.
set -euo pipefail
bin="$(realpath "$1")"; rows="${2:-10000000}"
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/data"; mkdir -p "$data"
export TZ=UTC
seed="${SEED:-42}"
ANCHORS="$(bash "$here/../../shared/tools/anchors.sh")"; export ANCHORS
. "$here/events_tsv.sh"
EVENTS_TSV="$tsv" SUITES=events node "$here/bench.js" "$bin"
