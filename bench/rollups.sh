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
gen="$data/gen_events"
if [ ! -x "$gen" ] || [ "$here/gen_events.cpp" -nt "$gen" ]; then
  flock /tmp/basalt-build.lock c++ -O2 -std=c++20 -o "$gen" "$here/gen_events.cpp"
fi
tsv="$data/events_${rows}_seed${seed}.tsv"
[ -s "$tsv" ] || { "$gen" "$rows" "$tsv.tmp" "$seed" && mv "$tsv.tmp" "$tsv"; }
node "$here/rollups.js" "$bin" "$tsv" "$rows"
