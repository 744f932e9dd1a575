#!/usr/bin/env bash
# A 2-shard × 2-replica cluster of real basalt servers on loopback: Distributed table over
# MergeTree tables (internal_replication = false: the Distributed table writes every replica).
# Checks: rows land on the shard ClickHouse's sharding gives (cityHash64(user_id) % 2), replicas
# equal; query results equal a single-node table with the same rows (two-phase aggregation,
# ORDER BY ... LIMIT, plain reads); _shard_num; cluster() / clusterAllReplicas() / remote();
# a replica killed with SIGKILL: reads fail over, queued inserts reach it after its restart,
# no row lost or duplicated; the insert queue survives a SIGKILL of the initiator; a whole shard
# down: a clear error, or partial results under skip_unavailable_shards; error codes.
# Usage: distributed.sh BASALT_BINARY
set -uo pipefail
bin="$1"
source "$(dirname "$0")/server_lib.sh"
root=$(mktemp -d)
declare -a tcp http pids
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done; rm -rf "$root"; }
trap cleanup EXIT
for i in 1 2 3 4; do tcp[$i]=$(free_port); http[$i]=$(free_port); done

write_node_config() {
  local i=$1 d="$root/n$1"
  mkdir -p "$d"
  cat > "$d/config.yaml" <<YAML
listen_host: 127.0.0.1
http_port: ${http[$i]}
tcp_port: ${tcp[$i]}
path: $d/data
logger: { level: information, log: $d/server.log, console: false }
remote_servers:
  c2x2:
    shard:
      - internal_replication: false
        replica: [ { host: 127.0.0.1, port: ${tcp[1]} }, { host: 127.0.0.1, port: ${tcp[2]} } ]
      - internal_replication: false
        replica: [ { host: 127.0.0.1, port: ${tcp[3]} }, { host: 127.0.0.1, port: ${tcp[4]} } ]
  single:
    shard:
      - replica: [ { host: 127.0.0.1, port: ${tcp[1]} } ]
macros: { shard: "0$(( (i + 1) / 2 ))", replica: "r$i" }
YAML
}


for i in 1 2 3 4; do write_node_config $i; start_node $i; done

N=${ROWS:-1000000}
local_ddl="CREATE TABLE events_local (ts DateTime, user_id UInt64, event_type LowCardinality(String), duration_ms UInt32, url String)
           ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)"
# ON CLUSTER: every host runs the DDL; one status row per host.
ddl=$(q 1 "${local_ddl/events_local/events_local ON CLUSTER c2x2}") || fail "create events_local ON CLUSTER"
eq "$(echo "$ddl" | wc -l)" 4 "ON CLUSTER status rows"
eq "$(echo "$ddl" | cut -f3 | sort -u)" 0 "ON CLUSTER status"
q 1 "CREATE TABLE events ON CLUSTER c2x2 AS events_local ENGINE = Distributed(c2x2, currentDatabase(), events_local, cityHash64(user_id))" > /dev/null || fail "create events"
for i in 2 3 4; do eq "$(q $i "SELECT engine FROM system.tables WHERE name = 'events'")" Distributed "events on node $i"; done
expect_error 1 "CREATE TABLE events_local ON CLUSTER c2x2 (x UInt8) ENGINE = Memory" 57
expect_error 1 "CREATE TABLE t ON CLUSTER nope (x UInt8) ENGINE = Memory" 701
q 1 "CREATE TABLE events_single AS events_local" || fail "create events_single"
gen="SELECT toDateTime('2026-11-01 00:00:00') + number * 13 % (30 * 86400), number % 50000, ['view','click','buy','scroll'][number % 4 + 1], number % 1000, concat('/p/', toString(number % 97)) FROM numbers($N)"
q 1 "INSERT INTO events_single $gen" || fail "insert single"

# --- synchronous insert through the Distributed table
q 1 "INSERT INTO events $gen SETTINGS distributed_foreground_insert = 1" || fail "distributed insert"
total=0
for i in 1 2 3 4; do
  c=$(q $i "SELECT count() FROM events_local"); total=$((total + c)); [ -n "${DEBUG:-}" ] && echo "node $i: $c"
  shard=$(( (i - 1) / 2 ))
  wrong=$(q $i "SELECT count() FROM events_local WHERE cityHash64(user_id) % 2 != $shard")
  eq "$wrong" 0 "rows on the wrong shard on node $i"
done
eq "$total" "$((2 * N))" "rows over all replicas"
eq "$(q 1 'SELECT count() FROM events_local')" "$(q 2 'SELECT count() FROM events_local')" "shard 1 replicas differ"
eq "$(q 3 'SELECT count() FROM events_local')" "$(q 4 'SELECT count() FROM events_local')" "shard 2 replicas differ"

# --- query results equal the single-node table
queries=(
  "SELECT count() FROM @T"
  "SELECT event_type, count(), sum(duration_ms), avg(duration_ms), uniqExact(user_id) FROM @T GROUP BY event_type ORDER BY event_type"
  "SELECT toDate(ts) AS d, count() AS c, max(duration_ms) FROM @T WHERE event_type = 'click' GROUP BY d ORDER BY d"
  "SELECT user_id, count() AS c FROM @T GROUP BY user_id ORDER BY c DESC, user_id LIMIT 10"
  "SELECT url, quantileExact(0.5)(duration_ms), quantilesExact(0.1, 0.9)(duration_ms), sumIf(duration_ms, event_type = 'buy') FROM @T GROUP BY url HAVING count() > 100 ORDER BY url LIMIT 5"
  "SELECT sum(duration_ms) / count() AS mean, min(ts), max(ts) FROM @T WHERE ts >= '2026-11-20 00:00:00'"
  "SELECT ts, user_id, url FROM @T ORDER BY ts DESC, user_id LIMIT 7 OFFSET 3"
  "SELECT user_id FROM @T WHERE user_id = 4242 ORDER BY ts LIMIT 3"
  "SELECT count(DISTINCT user_id) FROM @T"
  "SELECT uniq(user_id) FROM @T"
  "SELECT count(), sum(duration_ms) FROM @T WHERE user_id GLOBAL IN (SELECT user_id FROM @T WHERE event_type = 'buy' AND user_id < 300)"
  "SELECT event_type, count() FROM @T WHERE user_id GLOBAL NOT IN (SELECT number FROM numbers(40000)) GROUP BY event_type ORDER BY event_type"
  "SELECT d.label, count(), sum(duration_ms) FROM @T AS e GLOBAL JOIN (SELECT number AS user_id, toString(number % 7) AS label FROM numbers(20000)) AS d USING (user_id) GROUP BY d.label ORDER BY d.label"
  "SELECT e.user_id, d.label FROM @T AS e GLOBAL LEFT JOIN (SELECT number AS user_id, concat('L', toString(number % 3)) AS label FROM numbers(100)) AS d ON e.user_id = d.user_id ORDER BY e.ts, e.user_id LIMIT 5"
  "SELECT count(), countIf(ts = 0) FROM @T GLOBAL RIGHT JOIN (SELECT number AS user_id FROM numbers(60000)) AS d USING (user_id)"
)
for sql in "${queries[@]}"; do
  a=$(q 1 "${sql//@T/events}") || fail "distributed: $sql"
  b=$(q 1 "${sql//@T/events_single}") || fail "single: $sql"
  [ "$a" = "$b" ] || fail "results differ for: $sql"$'\n'"distributed: $a"$'\n'"single: $b"
done
# The shards did the aggregation and the sorting (two-phase): their query_log shows the rewritten
# queries (partial states, ORDER BY ... LIMIT offset+n).
shard2_log() { echo $(( $(q 3 "SELECT count() FROM system.query_log WHERE $1") + $(q 4 "SELECT count() FROM system.query_log WHERE $1") )); }
[ "$(shard2_log "query LIKE '%uniqExactState(user_id) AS _a%' AND query LIKE '%GROUP BY event_type%'")" -ge 1 ] || fail "no partial aggregation ran on shard 2"
[ "$(shard2_log "query LIKE '%AS _o1%LIMIT 10'")" -ge 1 ] || fail "ORDER BY ... LIMIT was not pushed to shard 2"
# GLOBAL IN: the subquery ran once on the initiator and travelled as a temporary table.
[ "$(shard2_log "query LIKE '%user_id IN _global_subquery_1%'")" -ge 1 ] || fail "GLOBAL IN was not sent as a temporary table"
# GLOBAL JOIN: the right side ran once on the initiator; the shards joined with the temporary table.
[ "$(shard2_log "query LIKE '%JOIN _global_join_1 AS d USING (user_id)%'")" -ge 1 ] || fail "GLOBAL JOIN was not broadcast"
eq "$(q 1 'SELECT _shard_num, count() > 0 FROM events GROUP BY _shard_num ORDER BY 1' | tr '\t\n' ' ')" "1 1 2 1 " "_shard_num"
eq "$(q 1 'SELECT count() FROM events GROUP BY event_type ORDER BY 1 LIMIT 1 SETTINGS distributed_group_by_no_merge = 1' | wc -l)" 2 "no_merge: one row per shard"
eq "$(q 3 "SELECT count() FROM events")" "$N" "the Distributed table queried on node 3"
eq "$(q 1 "SELECT count() FROM cluster('c2x2', default.events_local)")" "$N" "cluster()"
eq "$(q 1 "SELECT count() FROM clusterAllReplicas('c2x2', default, events_local)")" "$((2 * N))" "clusterAllReplicas()"
eq "$(q 1 "SELECT count() FROM remote('127.0.0.1:${tcp[1]},127.0.0.1:${tcp[3]}', default, events_local)")" "$N" "remote()"
eq "$(q 1 "SELECT count() FROM remote('127.0.0.1:{${tcp[1]},${tcp[3]}}', default.events_local)")" "$N" "remote() with {a,b}"
eq "$(q 1 "SELECT count() FROM remote('127.0.0.1:${tcp[1]}|127.0.0.1:${tcp[2]}', default, events_local)")" "$((N - $(q 3 'SELECT count() FROM events_local')))" "remote() with replicas"
eq "$(q 1 "SELECT count() FROM system.clusters WHERE cluster = 'c2x2'")" 4 "system.clusters"
eq "$(q 3 "SELECT substitution FROM system.macros WHERE macro = 'shard'")" "02" "system.macros"

# --- a replica down: reads fail over; async inserts queue for it and arrive after its restart
kill_node 2
eq "$(q 1 'SELECT count() FROM events SETTINGS load_balancing = '"'in_order'")" "$N" "read with replica 2 down"
q 1 "INSERT INTO events SELECT * FROM events_single WHERE user_id < 1000" || fail "async insert with a replica down"
extra=$(q 1 "SELECT count() FROM events_single WHERE user_id < 1000")
sleep 1
[ "$(q 1 "SELECT sum(data_files) FROM system.distribution_queue WHERE table = 'events'")" -ge 1 ] || fail "no queued file for the dead replica"
start_node 2
q 1 "SYSTEM FLUSH DISTRIBUTED events" || fail "flush distributed"
eq "$(q 1 'SELECT count() FROM events_local')" "$(q 2 'SELECT count() FROM events_local')" "replica 2 caught up"
eq "$(q 3 'SELECT count() FROM events_local')" "$(q 4 'SELECT count() FROM events_local')" "shard 2 replicas after async insert"
eq "$(q 1 'SELECT count() FROM events')" "$((N + extra))" "rows after async insert"
eq "$(q 1 "SELECT sum(data_files) FROM system.distribution_queue WHERE table = 'events'")" 0 "queue drained"

# --- the queue survives a SIGKILL of the initiator: stopped sends, insert, kill -9, restart, flush
q 1 "SYSTEM STOP DISTRIBUTED SENDS events" || fail "stop sends"
q 1 "INSERT INTO events SELECT * FROM events_single WHERE user_id >= 1000 AND user_id < 1500" || fail "queued insert"
extra2=$(q 1 "SELECT count() FROM events_single WHERE user_id >= 1000 AND user_id < 1500")
kill_node 1
start_node 1
q 1 "SYSTEM FLUSH DISTRIBUTED events" || fail "flush after restart"
eq "$(q 1 'SELECT count() FROM events')" "$((N + extra + extra2))" "rows after initiator restart"
eq "$(q 1 'SELECT count() FROM events_local')" "$(q 2 'SELECT count() FROM events_local')" "replicas equal after restart"

# --- a whole shard down: error, or partial results with skip_unavailable_shards
kill_node 3; kill_node 4
expect_error 1 "SELECT count() FROM events" 279
s1=$(q 1 "SELECT count() FROM events_local")
eq "$(q 1 'SELECT count() FROM events SETTINGS skip_unavailable_shards = 1')" "$s1" "skip_unavailable_shards"
start_node 3; start_node 4

# --- errors
expect_error 1 "CREATE TABLE bad1 (x UInt64) ENGINE = Distributed(nope, default, t)" 701
expect_error 1 "CREATE TABLE bad2 (x UInt64) ENGINE = Distributed(c2x2)" 42
expect_error 1 "CREATE TABLE bad3 (s String) ENGINE = Distributed(c2x2, default, t, s)" 53
q 1 "CREATE TABLE nokey AS events_local ENGINE = Distributed(c2x2, default, events_local)" || fail "create nokey"
expect_error 1 "INSERT INTO nokey SELECT * FROM events_single LIMIT 1 SETTINGS distributed_foreground_insert = 1" 55
expect_error 1 "SELECT * FROM cluster('nope', system.one)" 701
expect_error 1 "SELECT * FROM remote('127.0.0.1:1', system.one)" 519
expect_error 1 "SET load_balancing = 'sideways'" 200
echo "distributed: ok"
