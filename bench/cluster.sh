#!/usr/bin/env bash
# bench/cluster.sh BASALT_BINARY [ROWS] — `make bench-cluster`: the seed dashboard queries
# (bench/storage_queries.txt) through a Distributed table over 1 shard vs 2 shards holding the same
# ROWS events (default 10,000,000) on loopback, the delivery lag of a Distributed table's insert
# queue to a second replica under a steady insert load, and the replication lag of a
# ReplicatedMergeTree table (ZooKeeper from Debian's zookeeper package) under a steady insert load.
# Prints a markdown report. LAG_ONLY=1 skips the dashboard comparison (ROWS unused then).
# All servers share this machine's cores, so 2 shards measure the distribution overhead and the
# parallelism a second process adds, not a second machine.
set -euo pipefail
bin="$(realpath "$1")"; rows="${2:-10000000}"
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/data"; mkdir -p "$data"
export TZ=UTC
seed="${SEED:-42}"
. "$here/events_tsv.sh"
root=$(mktemp -d)
declare -a pids tcp http isp
cleanup() { for p in "${pids[@]:-}" "${zk_pid:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done; rm -rf "$root"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
for i in 1 2 3; do tcp[$i]=$(port); http[$i]=$(port); isp[$i]=$(port); done
# ZooKeeper for the ReplicatedMergeTree lag (tests/integration/zk_lib.sh; skipped without it).
free_port() { port; }
fail() { echo "FAIL: $*" >&2; exit 1; }
zk_dir="$root"; zk_pid=""
. "$here/../tests/integration/zk_lib.sh"
zk_config=""
if [ -x "$zk_server" ]; then
  start_zk
  zk_config="zookeeper: { node: [ { host: 127.0.0.1, port: $zk_port } ], session_timeout_ms: 10000 }"
fi
for i in 1 2 3; do
  mkdir -p "$root/n$i"
  cat > "$root/n$i/config.yaml" <<YAML
listen_host: 127.0.0.1
http_port: ${http[$i]}
tcp_port: ${tcp[$i]}
path: $root/n$i/data
logger: { level: warning, log: $root/n$i/server.log, console: false }
interserver_http_port: ${isp[$i]}
interserver_http_host: 127.0.0.1
macros: { replica: "r$i" }
$zk_config
remote_servers:
  one_shard:
    shard: [ { replica: [ { host: 127.0.0.1, port: ${tcp[1]} } ] } ]
  two_shards:
    shard:
      - replica: [ { host: 127.0.0.1, port: ${tcp[2]} } ]
      - replica: [ { host: 127.0.0.1, port: ${tcp[3]} } ]
  one_shard_two_replicas:
    shard: [ { internal_replication: false, replica: [ { host: 127.0.0.1, port: ${tcp[2]} }, { host: 127.0.0.1, port: ${tcp[3]} } ] } ]
YAML
  "$bin" server --config "$root/n$i/config.yaml" > "$root/n$i/stdout" 2>&1 &
  pids[$i]=$!
done
for i in 1 2 3; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:${http[$i]}/ping" > /dev/null && break; sleep 0.1; done
done
q() { local i=$1; shift; "$bin" client --port "${tcp[$i]}" -q "$*"; }
if [ "${LAG_ONLY:-0}" != 1 ]; then
schema="ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String"
engine="ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)"
for i in 1 2 3; do q $i "CREATE TABLE events_local ($schema) $engine"; done
q 1 "CREATE TABLE events1 AS events_local ENGINE = Distributed(one_shard, default, events_local, cityHash64(user_id))"
q 1 "CREATE TABLE events2 AS events_local ENGINE = Distributed(two_shards, default, events_local, cityHash64(user_id))"
q 1 "CREATE TABLE staging ($schema) ENGINE = Memory"
curl -sf "http://127.0.0.1:${http[1]}/?query=INSERT%20INTO%20staging%20FORMAT%20TabSeparated" --data-binary @"$tsv"
q 1 "INSERT INTO events1 SELECT * FROM staging SETTINGS distributed_foreground_insert = 1"
q 1 "INSERT INTO events2 SELECT * FROM staging SETTINGS distributed_foreground_insert = 1"
q 1 "DROP TABLE staging"
for i in 1 2 3; do q $i "OPTIMIZE TABLE events_local FINAL"; done
[ "$(q 1 'SELECT count() FROM events1')" = "$rows" ] && [ "$(q 1 'SELECT count() FROM events2')" = "$rows" ] || { echo "row counts differ" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() {   # timeit NODE SQL: median wall seconds of 5 runs (after one warm-up)
  local i=$1 sql=$2 t
  q "$i" "$sql" > /dev/null
  for _ in 1 2 3 4 5; do
    s=$(date +%s.%N); q "$i" "$sql" > /dev/null; echo "$(date +%s.%N) - $s" | bc
  done | median
}
echo "| query | 1 shard (s) | 2 shards (s) | 2 shards / 1 shard | same result |"
echo "|---|---:|---:|---:|---|"
while IFS='|' read -r name sql _; do
  name=$(echo "$name" | sed 's/^ *//;s/ *$//'); sql=$(echo "$sql" | sed 's/^ *//;s/ *$//')
  [ -z "$name" ] || [[ "$name" == \#* ]] || [ "$name" = noop ] && continue
  a=$(q 1 "${sql//FROM events/FROM events1}"); b=$(q 1 "${sql//FROM events/FROM events2}")
  same=yes; [ "$a" = "$b" ] || same=no
  [[ "$sql" == *uniq\(* ]] && [ "$same" = no ] && same="no (uniq is approximate)"
  t1=$(timeit 1 "${sql//FROM events/FROM events1}"); t2=$(timeit 1 "${sql//FROM events/FROM events2}")
  printf '| %s | %.3f | %.3f | %.2f | %s |\n' "$name" "$t1" "$t2" "$(echo "$t2 / $t1" | bc -l)" "$same"
done < "$here/storage_queries.txt"

fi

# Queue delivery lag: 20 inserts of 10,000 rows, one every 0.5 s, into a Distributed table whose
# one shard has two replicas (the table writes both); after each insert, how long until replica 2
# (node 3) has the rows.
for i in 2 3; do q $i "CREATE TABLE lag_local (id UInt64, ts DateTime64(3)) ENGINE = MergeTree ORDER BY id"; done
q 1 "CREATE TABLE lag AS events_local ENGINE = Distributed(one_shard_two_replicas, default, lag_local)" 2>/dev/null || true
q 1 "DROP TABLE IF EXISTS lag"
q 1 "CREATE TABLE lag (id UInt64, ts DateTime64(3)) ENGINE = Distributed(one_shard_two_replicas, default, lag_local)"
lags=()
for k in $(seq 0 19); do
  q 1 "INSERT INTO lag SELECT $k * 10000 + number, now64(3) FROM numbers(10000)"
  s=$(date +%s.%N); want=$(( (k + 1) * 10000 ))
  while [ "$(q 3 'SELECT count() FROM lag_local')" -lt "$want" ]; do sleep 0.01; done
  lags+=("$(echo "$(date +%s.%N) - $s" | bc)")
  sleep 0.5
done
printf '%s\n' "${lags[@]}" | sort -n | awk '{a[NR]=$1} END {printf "\nInsert queue delivery lag to the second replica (20 inserts of 10k rows, 2/s): median %.3f s, max %.3f s\n", a[int((NR+1)/2)], a[NR]}'

# ReplicatedMergeTree replication lag: two replicas (nodes 2 and 3); 40 inserts of 10,000 rows into
# replica 1, four per second; after each acknowledged insert, how long until replica 2 serves the
# rows (it learns of the part through the log watch and fetches it over the interserver port).
if [ -n "$zk_config" ]; then
  for i in 2 3; do q $i "CREATE TABLE rlag (id UInt64, ts DateTime64(3)) ENGINE = ReplicatedMergeTree('/bench/rlag', '{replica}') ORDER BY id"; done
  lags=()
  for k in $(seq 0 39); do
    q 2 "INSERT INTO rlag SELECT $k * 10000 + number, now64(3) FROM numbers(10000)"
    s=$(date +%s.%N); want=$(( (k + 1) * 10000 ))
    while [ "$(q 3 'SELECT count() FROM rlag')" -lt "$want" ]; do sleep 0.005; done
    lags+=("$(echo "$(date +%s.%N) - $s" | bc)")
    sleep 0.25
  done
  printf '%s\n' "${lags[@]}" | sort -n | awk '{a[NR]=$1} END {printf "ReplicatedMergeTree replication lag to the second replica (40 inserts of 10k rows, 4/s): median %.3f s, p90 %.3f s, max %.3f s\n", a[int((NR+1)/2)], a[int(NR*0.9)], a[NR]}'
  probe=$( { s=$(date +%s.%N); q 3 'SELECT count() FROM rlag' > /dev/null; echo "$(date +%s.%N) - $s" | bc; } )
  printf '(one polling query costs %.3f s of that: the lag is at most the figure above)\n' "$probe"
else
  echo "ReplicatedMergeTree replication lag: skipped (ZooKeeper not installed)"
fi
