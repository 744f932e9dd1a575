#!/usr/bin/env bash
# bench/bench.sh BASALT_BINARY — `make bench`: basalt vs ClickHouse (chDB) and DuckDB on the seeded
# `events` data (the seed dashboard queries), a synthetic ClickBench `hits` table (its 43
# queries) and the `joins` suite (a star schema and an ASOF join, bench/join_queries.txt): insert
# throughput, bytes on disk, query times, peak memory (bench/bench.js says how).
#
# Generates the data once per row count into bench/data/ (gitignored; generators bench/gen_*.cpp),
# then writes the report into bench/RESULTS.md between the `make bench` markers (the history below
# them is kept) and the per-query ratio chart into bench/ratios.png.
# Env: EVENTS_ROWS, HITS_ROWS, JOINS_ROWS (10,000,000 each), SEED (42), SUITES (events,hits,joins:
# only these suites' data is generated), THREADS (nproc), INSERT_RUNS (3), QUERY_RUNS (5),
# QUIET_WAIT, REUSE — see bench/bench.js.
set -euo pipefail
bin="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/data"; mkdir -p "$data"
export TZ=UTC
seed="${SEED:-42}"; rows="${EVENTS_ROWS:-10000000}"
ANCHORS="$(bash "$here/../../shared/tools/anchors.sh")"; export ANCHORS
export SUITES="${SUITES:-events,hits,joins}"
. "$here/gen_data.sh"
case ",$SUITES," in *,events,*) export EVENTS_TSV="$(gen_data events "$rows" "$seed")" ;; esac
case ",$SUITES," in *,hits,*) export HITS_TSV="$(gen_data hits "${HITS_ROWS:-10000000}" "$seed")" ;; esac
case ",$SUITES," in *,joins,*) export JOINS_TSVS="$(joins_tsvs "${JOINS_ROWS:-10000000}" "$seed")" ;; esac
export REPORT="$data/bench-report.md" CHART="${CHART:-$here/ratios.png}"
node "$here/bench.js" "$bin"

# Replace the block between the markers in RESULTS.md with this run's report.
python3 - "$here/RESULTS.md" "$REPORT" <<'PY'
import sys, datetime
path, report = sys.argv[1], open(sys.argv[2]).read()
begin, end = '<!-- make bench: begin -->', '<!-- make bench: end -->'
text = open(path).read()
block = f"{begin}\n## Latest `make bench` ({datetime.date.today()})\n\n![per-query ratios](ratios.png)\n\n{report}{end}"
if begin in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    head, _, rest = text.partition('\n## ')
    text = f"{head}\n{block}\n\n## {rest}"
open(path, 'w').write(text)
PY
echo "[bench] report written into bench/RESULTS.md, chart $CHART" >&2
