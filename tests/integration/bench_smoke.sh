#!/usr/bin/env bash
# Smoke test of the benchmark's inputs (bench/): the seeded generators are deterministic and write
# the schemas the harness declares, basalt loads the data sets through file() and the JSONEachRow
# conversion, and every query of the suites (the seed dashboard suite, ClickBench's 43 and the
# joins suite's star-schema and ASOF queries) runs in basalt — so `make bench` / `make bench-joins`
# cannot silently break as the engine changes. Timing is not checked.
# Usage: bench_smoke.sh BASALT_BINARY
set -uo pipefail
bin="$(realpath "$1")"
here="$(cd "$(dirname "$0")/../../bench" && pwd)"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export TZ=UTC

for g in events hits; do
  c++ -O1 -std=c++20 -o "$dir/gen_$g" "$here/gen_$g.cpp" || fail "gen_$g does not compile"
  "$dir/gen_$g" 3000 "$dir/$g.tsv" 7 || fail "gen_$g failed"
  "$dir/gen_$g" 3000 "$dir/$g.again.tsv" 7 || fail "gen_$g failed"
  cmp -s "$dir/$g.tsv" "$dir/$g.again.tsv" || fail "gen_$g is not deterministic"
  [ "$(wc -l < "$dir/$g.tsv")" = 3000 ] || fail "gen_$g row count"
done
"$dir/gen_hits" 3000 "$dir/hits.seed8.tsv" 8
cmp -s "$dir/hits.tsv" "$dir/hits.seed8.tsv" && fail "the seed does not change the data"
fields=$(awk -F'\t' '{print NF}' "$dir/hits.tsv" | sort -u)
[ "$fields" = "$(wc -l < "$here/hits_schema.txt")" ] || fail "hits rows have $fields fields, hits_schema.txt lists $(wc -l < "$here/hits_schema.txt") columns"
[ "$(awk -F'\t' '{print NF}' "$dir/events.tsv" | sort -u)" = 5 ] || fail "events field count"

hits_schema=$(paste -sd, "$here/hits_schema.txt" | sed 's/,/, /g')
events_schema='ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String'
db="$dir/db"
"$bin" local --path "$db" -q "
  CREATE TABLE hits ($hits_schema) ENGINE = MergeTree ORDER BY (CounterID, EventDate, UserID, EventTime, WatchID);
  INSERT INTO hits SELECT * FROM file('$dir/hits.tsv', 'TSV', '$hits_schema');
  CREATE TABLE events ($events_schema) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id);
  INSERT INTO events SELECT * FROM file('$dir/events.tsv', 'TSV', '$events_schema')" || fail "loading the TSV data"
[ "$("$bin" local --path "$db" -q "SELECT count() FROM hits")" = 3000 ] || fail "hits rows loaded"
# The JSONEachRow form of the events (as bench.js makes it) loads to the same rows.
"$bin" local --format JSONEachRow -q "SELECT * FROM file('$dir/events.tsv', 'TSV', '$events_schema')" > "$dir/events.jsonl" || fail "JSONEachRow conversion"
digest="SELECT count(), sum(cityHash64(ts, user_id, event_type, value, properties))"
from_json=$("$bin" local -q "$digest FROM file('$dir/events.jsonl', 'JSONEachRow', '$events_schema')") || fail "reading JSONEachRow"
from_tsv=$("$bin" local -q "$digest FROM file('$dir/events.tsv', 'TSV', '$events_schema')") || fail "reading TSV"
[ "${from_tsv%%$'\t'*}" = 3000 ] || fail "TSV digest: $from_tsv"
[ "$from_json" = "$from_tsv" ] || fail "JSONEachRow round trip differs: $from_json vs $from_tsv"

n=0
while IFS= read -r q; do
  n=$((n + 1))
  "$bin" local --path "$db" --format Null -q "$q" 2> "$dir/err" || fail "ClickBench Q$n: $(head -c 400 "$dir/err")"
done < <(grep '^SELECT' "$here/clickbench_queries.sql" | sed 's/;$//')
[ "$n" = 43 ] || fail "expected 43 ClickBench queries, found $n"
m=0
while IFS='|' read -r name sql duck; do
  m=$((m + 1))
  "$bin" local --path "$db" --format Null -q "$sql" 2> "$dir/err" || fail "dashboard query $name: $(head -c 400 "$dir/err")"
done < <(grep -v '^#' "$here/storage_queries.txt" | grep -v '^$')
[ "$m" -ge 8 ] || fail "dashboard suite has $m queries"

# The joins suite (bench/gen_joins.cpp, bench/join_queries.txt) at scale 3000: every table the
# generator writes has the field count of the schema bench.js declares, loads, and every query runs.
c++ -O1 -std=c++20 -o "$dir/gen_joins" "$here/gen_joins.cpp" || fail "gen_joins does not compile"
schemas=$(node -e '
  const src = require("fs").readFileSync(process.argv[1], "utf8");
  const m = /const JOIN_TABLES = (\[[\s\S]*?\n\]);/.exec(src);
  for (const [t, schema, engine] of eval(m[1])) console.log([t, schema, engine].join("|"));' "$here/bench.js") || fail "JOIN_TABLES not found in bench.js"
[ "$(echo "$schemas" | wc -l)" = 6 ] || fail "bench.js declares $(echo "$schemas" | wc -l) joins tables"
jdb="$dir/joins_db"
while IFS='|' read -r t schema engine; do
  "$dir/gen_joins" 3000 "$dir/j_$t.tsv" 7 "$t" || fail "gen_joins $t failed"
  "$dir/gen_joins" 3000 "$dir/j_$t.again.tsv" 7 "$t" || fail "gen_joins $t failed"
  cmp -s "$dir/j_$t.tsv" "$dir/j_$t.again.tsv" || fail "gen_joins $t is not deterministic"
  ncols=$(echo "$schema" | awk -F', ' '{print NF}')
  [ "$(awk -F'\t' '{print NF}' "$dir/j_$t.tsv" | sort -u)" = "$ncols" ] || fail "gen_joins $t rows do not have $ncols fields"
  "$bin" local --path "$jdb" -q "CREATE TABLE $t ($schema) $engine; INSERT INTO $t SELECT * FROM file('$dir/j_$t.tsv', 'TSV', '$schema')" 2> "$dir/err" || fail "loading joins table $t: $(head -c 400 "$dir/err")"
done <<< "$schemas"
[ "$("$bin" local --path "$jdb" -q "SELECT count() FROM sales")" = 3000 ] || fail "sales rows"
[ "$("$bin" local --path "$jdb" -q "SELECT count() FROM pit_features")" = 300 ] || fail "pit_features rows (scale / 10)"
[ "$("$bin" local --path "$jdb" -q "SELECT count() = uniqExact(entity_id, ts) FROM pit_features")" = 1 ] || fail "pit_features (entity_id, ts) not unique"
j=0; checked=0
while IFS='|' read -r name sql duck; do
  j=$((j + 1)); name=${name//[[:space:]]/}
  "$bin" local --path "$jdb" -q "$sql" > "$dir/out" 2> "$dir/err" || fail "joins query $name: $(head -c 400 "$dir/err")"
  case $name in   # every sale has its dimensions; every event is kept by ASOF LEFT, some (not all) by ASOF INNER
    star_1dim) checked=$((checked + 1)); [ "$(awk -F'\t' '{s += $2} END {print s}' "$dir/out")" = 3000 ] || fail "star_1dim does not count every sale" ;;
    asof_left_day) checked=$((checked + 1)); [ "$(awk -F'\t' '{s += $2} END {print s}' "$dir/out")" = 3000 ] || fail "asof_left_day does not count every event" ;;
    asof_inner_staleness) checked=$((checked + 1)); matched=$(awk -F'\t' '{s += $2} END {print s}' "$dir/out")
      [ "$matched" -gt 0 ] && [ "$matched" -lt 3000 ] || fail "asof_inner_staleness matched $matched of 3000 events" ;;
  esac
done < <(grep -v '^#' "$here/join_queries.txt" | grep -v '^$')
[ "$j" -ge 5 ] && [ "$checked" = 3 ] || fail "joins suite: $j queries, $checked of the 3 checked ones found"
echo "OK: generators deterministic, data loads, $n ClickBench, $m dashboard and $j joins queries run"
