#!/usr/bin/env bash
# bench/rollups.sh BASALT_BINARY [ROWS] — the materialized-view cascade (issue 4): ingest with three
# cascaded views and dashboard queries over the roll-ups vs raw events, basalt vs ClickHouse (chDB).
# Generates the seeded events TSV like storage.sh (bench/data/, gitignored), then runs rollups.js.
set -euo pipefail
bin="$(realpath "$1")"; rows="${2:-10000000}"
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/data"; mkdir -p "$data"
export TZ=UTC THREADS="${THREADS:-$(nproc)}"
seed="${SEED:-42}"
ANCHORS="$(bash "$here/../../shared/tools/anchors.sh")"; export ANCHORS
. "$here/events_tsv.sh"
node "$here/rollups.js" "$bin" "$tsv" "$rows"
