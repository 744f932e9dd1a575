#!/usr/bin/env bash
# ReplicatedMergeTree on a real ZooKeeper and four basalt servers (2 shards × 2 replicas) on
# loopback: the seed's events_local (ReplicatedMergeTree) and events (Distributed on
# cityHash64(user_id), internal_replication = true) created ON CLUSTER; 1M rows inserted through
# the Distributed table. Checks: each shard holds exactly the rows ClickHouse's sharding gives it,
# both replicas of a shard hold the same rows, queries equal a single-node table; merges agreed
# through the log give identical part sets; and the faults of issue 8:
#   - kill -9 a replica during inserts, restart, SYSTEM SYNC REPLICA: nothing lost or doubled;
#   - kill -9 the replica taking the inserts, retry the unacknowledged block on the other replica:
#     deduplicated, exactly once;
#   - a retried identical block (and insert_deduplication_token) is deduplicated;
#   - ZooKeeper stopped mid-insert: clean TABLE_IS_READ_ONLY (242) errors, reads still served,
#     recovery once it is back, retried blocks land once;
#   - a replica that lost its disk is re-created and fetches everything from its peer;
#   - mutations (ALTER UPDATE / DELETE, DELETE FROM) issued on either replica converge;
#   - DROP / DETACH PARTITION and TRUNCATE through the log; error codes (48, 342, 224, 36).
# Skipped (exit 0) only when ZooKeeper is not installed (scripts/install-deps.sh installs it).
# Usage: replicated.sh BASALT_BINARY
set -uo pipefail
bin="$1"
source "$(dirname "$0")/server_lib.sh"
root=$(mktemp -d)
declare -a tcp http isp pids
cleanup() { for p in "${pids[@]:-}" "$zk_pid"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$root"; }
trap cleanup EXIT
zk_dir="$root"
source "$(dirname "$0")/zk_lib.sh"
zk_require
start_zk
for i in 1 2 3 4; do tcp[$i]=$(free_port); http[$i]=$(free_port); isp[$i]=$(free_port); done

write_node_config() {
  local i=$1 d="$root/n$1"
  mkdir -p "$d"
  cat > "$d/config.yaml" <<YAML
listen_host: 127.0.0.1
http_port: ${http[$i]}
tcp_port: ${tcp[$i]}
interserver_http_port: ${isp[$i]}
interserver_http_host: 127.0.0.1
path: $d/data
logger: { level: information, log: $d/server.log, console: false }
remote_servers:
  c2x2:
    shard:
      - internal_replication: true
        replica: [ { host: 127.0.0.1, port: ${tcp[1]} }, { host: 127.0.0.1, port: ${tcp[2]} } ]
      - internal_replication: true
        replica: [ { host: 127.0.0.1, port: ${tcp[3]} }, { host: 127.0.0.1, port: ${tcp[4]} } ]
macros: { shard: "0$(( (i + 1) / 2 ))", replica: "r$i" }
zookeeper: { node: [ { host: 127.0.0.1, port: $zk_port } ], session_timeout_ms: 4000 }
YAML
}
for i in 1 2 3 4; do write_node_config $i; start_node $i; done
sync_all() { for i in 1 2 3 4; do [ -n "${pids[$i]}" ] && { q $i "SYSTEM SYNC REPLICA events_local" || fail "SYNC REPLICA on node $i"; }; done; }
# wait_for I SQL VALUE: polls SQL on node I until it prints VALUE (up to 30 s).
wait_for() {
  local out=""
  for _ in $(seq 1 300); do out=$(q "$1" "$2" 2>/dev/null) && [ "$out" = "$3" ] && return 0; sleep 0.1; done
  fail "node $1: '$2' gave '$out', waited for '$3'"
}

# ---- the cluster tables, ON CLUSTER through the ZooKeeper DDL queue
columns="(ts DateTime, user_id UInt64, event_type LowCardinality(String), duration_ms UInt32, url String)"
keys="PARTITION BY toYYYYMMDD(ts) ORDER BY (event_type, ts, user_id)"
ddl=$(q 1 "CREATE TABLE events_local ON CLUSTER c2x2 $columns ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events_local', '{replica}') $keys") ||
  fail "create events_local ON CLUSTER"
eq "$(echo "$ddl" | wc -l)" 4 "ON CLUSTER status rows"
eq "$(echo "$ddl" | cut -f3 | sort -u)" 0 "ON CLUSTER status"
q 1 "CREATE TABLE events ON CLUSTER c2x2 AS events_local ENGINE = Distributed(c2x2, currentDatabase(), events_local, cityHash64(user_id))" > /dev/null ||
  fail "create events"
for i in 1 2 3 4; do eq "$(q $i "SELECT engine FROM system.tables WHERE name = 'events_local'")" ReplicatedMergeTree "events_local on node $i"; done
q 1 "CREATE TABLE events_single $columns ENGINE = MergeTree $keys" || fail "create events_single"

N=${ROWS:-1000000}
gen="SELECT toDateTime('2026-11-01 00:00:00') + number * 13 % (30 * 86400), number % 50000, ['view','click','buy','scroll'][number % 4 + 1], number % 1000, concat('/p/', toString(number % 97)) FROM numbers($N)"
q 1 "INSERT INTO events_single $gen" || fail "insert single"
q 1 "SET distributed_foreground_insert = 1; INSERT INTO events $gen" || fail "insert through events"
sync_all

# ---- placement: shard 1 holds cityHash64(user_id) % 2 = 0, both replicas alike
for i in 1 2 3 4; do
  s=$(( (i + 1) / 2 - 1 ))
  eq "$(q $i "SELECT count() FROM events_local")" "$(q 1 "SELECT count() FROM events_single WHERE cityHash64(user_id) % 2 = $s")" "rows on node $i"
  eq "$(q $i "SELECT countIf(cityHash64(user_id) % 2 != $s) FROM events_local")" 0 "foreign rows on node $i"
done
digest="SELECT count(), sum(cityHash64(ts, user_id, event_type, duration_ms, url)) FROM events_local"
parts_d="SELECT groupArray(name) FROM (SELECT name FROM system.parts WHERE table = 'd' AND active ORDER BY name)"
eq "$(q 1 "$digest")" "$(q 2 "$digest")" "replicas of shard 1"
eq "$(q 3 "$digest")" "$(q 4 "$digest")" "replicas of shard 2"

# ---- results through the Distributed table equal one node's
for sql in \
  "SELECT count() FROM %T" \
  "SELECT event_type, count(), uniqExact(user_id), sum(duration_ms) FROM %T GROUP BY event_type ORDER BY event_type" \
  "SELECT toStartOfDay(ts) AS d, count() FROM %T WHERE ts >= '2026-11-20 00:00:00' GROUP BY d ORDER BY d" \
  "SELECT user_id, count() AS c FROM %T GROUP BY user_id ORDER BY c DESC, user_id LIMIT 10" \
  "SELECT url, avg(duration_ms) FROM %T WHERE event_type = 'buy' GROUP BY url ORDER BY url LIMIT 5" \
  "SELECT quantileExact(0.9)(duration_ms) FROM %T"; do
  eq "$(q 1 "${sql//%T/events}")" "$(q 1 "${sql//%T/events_single}")" "distributed = single: $sql"
done

# ---- system.replicas: one leader per shard, every replica active
for i in 1 2 3 4; do
  eq "$(q $i "SELECT total_replicas, active_replicas, is_readonly, queue_size FROM system.replicas WHERE table = 'events_local'" | tr '\t' ' ')" "2 2 0 0" "system.replicas on node $i"
done
eq "$(( $(q 1 "SELECT is_leader FROM system.replicas") + $(q 2 "SELECT is_leader FROM system.replicas") ))" 1 "one leader in shard 1"
eq "$(q 1 "SELECT replica_path FROM system.replicas")" /clickhouse/tables/01/events_local/replicas/r1 "replica path"

# ---- merges agreed through the log: identical part sets
q 1 "OPTIMIZE TABLE events_local FINAL" || fail "OPTIMIZE FINAL"
q 2 "SYSTEM SYNC REPLICA events_local" || fail "sync after OPTIMIZE"
parts="SELECT groupArray(name) FROM (SELECT name FROM system.parts WHERE table = 'events_local' AND active ORDER BY name)"
eq "$(q 1 "$parts")" "$(q 2 "$parts")" "part sets after OPTIMIZE FINAL"
eq "$(q 1 "SELECT countIf(level = 0) FROM system.parts WHERE table = 'events_local' AND active")" 0 "every partition merged"
eq "$(q 1 "$digest")" "$(q 2 "$digest")" "replicas after merges"

# ---- deduplication of retried blocks
q 1 "CREATE TABLE d ON CLUSTER c2x2 (k UInt64, v String) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/d', '{replica}') ORDER BY k" > /dev/null ||
  fail "create d"
q 1 "INSERT INTO d SELECT number, toString(number) FROM numbers(1000)" || fail "insert d"
q 1 "INSERT INTO d SELECT number, toString(number) FROM numbers(1000)" || fail "retry d"
q 2 "INSERT INTO d SELECT number, toString(number) FROM numbers(1000)" || fail "retry d on the other replica"
q 2 "SYSTEM SYNC REPLICA d"
eq "$(q 2 "SELECT count() FROM d")" 1000 "identical block deduplicated"
q 1 "SET insert_deduplicate = 0; INSERT INTO d SELECT number, toString(number) FROM numbers(1000)" || fail "insert without dedup"
q 1 "SET insert_deduplication_token = 'tok1'; INSERT INTO d SELECT number, 'a' FROM numbers(10)" || fail "token insert"
q 2 "SET insert_deduplication_token = 'tok1'; INSERT INTO d SELECT number, 'b' FROM numbers(10)" || fail "token retry"
q 2 "SYSTEM SYNC REPLICA d"
eq "$(q 2 "SELECT count(), countIf(v = 'b') FROM d" | tr '\t' ' ')" "2010 0" "insert_deduplicate = 0 and insert_deduplication_token"
eq "$(q 1 "SELECT count() FROM system.zookeeper WHERE path = '/clickhouse/tables/01/d/blocks'")" 2 "block ids in ZooKeeper"
# Mutations through ZooKeeper, applied in version order on both replicas (one issued on each).
q 1 "ALTER TABLE d DELETE WHERE k < 100 SETTINGS mutations_sync = 1" || fail "ALTER DELETE"
q 1 "ALTER TABLE d UPDATE v = 'upd' WHERE k >= 900" || fail "ALTER UPDATE"
q 2 "DELETE FROM d WHERE k = 950" || fail "lightweight DELETE"
q 2 "SYSTEM SYNC REPLICA d" && q 1 "SYSTEM SYNC REPLICA d"
wait_for 1 "SELECT countIf(NOT is_done) FROM system.mutations WHERE table = 'd'" 0
wait_for 2 "SELECT countIf(NOT is_done) FROM system.mutations WHERE table = 'd'" 0
mdigest="SELECT count(), sum(k), countIf(v = 'upd') FROM d"
eq "$(q 1 "$mdigest" | tr '\t' ' ')" "1798 987200 198" "mutations on node 1"
eq "$(q 2 "$mdigest")" "$(q 1 "$mdigest")" "mutations on node 2"
eq "$(q 1 "$parts_d")" "$(q 2 "$parts_d")" "part names after mutations"
# DROP / DETACH PARTITION through the log.
q 1 "CREATE TABLE pt ON CLUSTER c2x2 (k UInt64, p UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/pt', '{replica}') PARTITION BY p ORDER BY k" > /dev/null ||
  fail "create pt"
q 1 "INSERT INTO pt SELECT number, number % 3 FROM numbers(300)" || fail "insert pt"
q 1 "ALTER TABLE pt DROP PARTITION 1" || fail "DROP PARTITION"
q 2 "ALTER TABLE pt DETACH PARTITION 2" || fail "DETACH PARTITION"
q 1 "SYSTEM SYNC REPLICA pt" && q 2 "SYSTEM SYNC REPLICA pt"
for i in 1 2; do
  eq "$(q $i "SELECT groupArray(p) FROM (SELECT DISTINCT p FROM pt ORDER BY p)")" "[0]" "partitions left on node $i"
  eq "$(q $i "SELECT count() FROM system.detached_parts WHERE table = 'pt'")" 1 "detached part on node $i"
done
# TRUNCATE goes through the log: both replicas empty.
q 1 "TRUNCATE TABLE d" || fail "truncate"
q 2 "SYSTEM SYNC REPLICA d"
eq "$(q 2 "SELECT count() FROM d")" 0 "TRUNCATE on the other replica"
q 2 "INSERT INTO d VALUES (1, 'x')" && q 1 "SYSTEM SYNC REPLICA d" && eq "$(q 1 "SELECT count() FROM d")" 1 "insert after TRUNCATE"

# ---- fault: kill -9 a replica during inserts (blocks go to node 1; node 2 is killed and returns)
base=$(q 1 "SELECT count() FROM events_local")
# insert_one NODE B: block B (2000 rows, its own content) on NODE, once.
insert_one() {
  q "$1" "INSERT INTO events_local SELECT toDateTime('2026-11-02 00:00:00') + number, 1000000 + $2, 'retry', $2, 'x' FROM numbers(2000)" > /dev/null 2>> "$root/insert_errors"
}
# insert_blocks NODE FROM TO: each block retried on NODE until acknowledged.
insert_blocks() {
  local b tries
  for b in $(seq "$2" "$3"); do
    tries=0
    until insert_one "$1" "$b"; do
      tries=$((tries + 1)); [ $tries -gt 600 ] && { echo "block $b never acknowledged"; return 1; }
      sleep 0.1
    done
  done
}
insert_blocks 1 1 40 & ins=$!
sleep 1; kill_node 2; sleep 1; start_node 2
wait $ins || fail "inserts during a replica's SIGKILL"
q 2 "SYSTEM SYNC REPLICA events_local" || fail "sync after restart"
eq "$(q 1 "SELECT count() FROM events_local")" $((base + 40 * 2000)) "rows on node 1 after kill -9 of node 2"
eq "$(q 2 "$digest")" "$(q 1 "$digest")" "node 2 caught up after kill -9"

# ---- fault: kill -9 the replica taking the inserts; the client retries each unacknowledged
# block on the other replica: exactly once thanks to the block ids.
base=$(q 1 "SELECT count() FROM events_local")
( for b in $(seq 41 70); do insert_one 1 $b || insert_blocks 2 $b $b || exit 1; done ) & ins=$!
sleep 1.5; kill_node 1
wait $ins || fail "fail-over inserts"
# A client that lost its answers would send everything again: all deduplicated.
insert_blocks 2 41 70 || fail "retry on node 2"
start_node 1
q 1 "SYSTEM SYNC REPLICA events_local" || fail "sync node 1"
q 2 "SYSTEM SYNC REPLICA events_local" || fail "sync node 2"
eq "$(q 2 "SELECT count() FROM events_local")" $((base + 30 * 2000)) "every block exactly once after kill -9 of the insert target"
eq "$(q 1 "SELECT count(DISTINCT duration_ms) FROM events_local WHERE event_type = 'retry'")" 70 "blocks present"
eq "$(q 1 "$digest")" "$(q 2 "$digest")" "replicas equal after the insert target's SIGKILL"

# ---- fault: ZooKeeper stops mid-insert: read-only errors, reads served, recovery
base=$(q 3 "SELECT count() FROM events_local")
insert_blocks 3 101 130 & ins=$!
sleep 1; stop_zk
wait_for 3 "SELECT is_readonly FROM system.replicas WHERE table = 'events_local'" 1
expect_error 3 "INSERT INTO events_local SELECT now(), 1, 'ro', 1, 'x' FROM numbers(10)" 242
q 3 "SELECT count() FROM events_local" > /dev/null || fail "reads while ZooKeeper is down"
sleep 1; start_zk
wait_for 3 "SELECT is_readonly FROM system.replicas WHERE table = 'events_local'" 0
wait $ins || fail "inserts across the ZooKeeper outage"
wait_for 4 "SELECT is_readonly FROM system.replicas WHERE table = 'events_local'" 0
q 3 "SYSTEM SYNC REPLICA events_local" && q 4 "SYSTEM SYNC REPLICA events_local" || fail "sync after ZooKeeper returned"
eq "$(q 3 "SELECT count() FROM events_local")" $((base + 30 * 2000)) "every block once across the ZooKeeper outage"
eq "$(q 4 "$digest")" "$(q 3 "$digest")" "shard 2 replicas after the outage"
grep -q "Code: 242\." "$root/insert_errors" || fail "no TABLE_IS_READ_ONLY seen by the inserter"

# ---- a replica that lost its disk: re-created, it fetches everything from its peer
kill_node 4
rm -rf "$root/n4/data"
start_node 4
for _ in $(seq 1 100); do [ "$(q 4 "SELECT count() FROM system.tables WHERE name = 'events_local'")" = 1 ] && break; sleep 0.1; done
[ "$(q 4 "SELECT count() FROM system.tables WHERE name = 'events_local'")" = 1 ] ||
  q 4 "CREATE TABLE events_local $columns ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events_local', '{replica}') $keys" || fail "re-create on node 4"
wait_for 4 "SELECT is_readonly FROM system.replicas WHERE table = 'events_local'" 0
q 4 "SYSTEM SYNC REPLICA events_local" || fail "sync the re-created replica"
eq "$(q 4 "$digest")" "$(q 3 "$digest")" "re-created replica equals its peer"

# ---- error codes
expect_error 1 "ALTER TABLE events_local ADD COLUMN extra UInt8" 48
expect_error 1 "KILL MUTATION WHERE table = 'd'" 48
expect_error 1 "CREATE TABLE other (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/01/events_local', 'r9') ORDER BY x" 342
expect_error 1 "CREATE TABLE twin $columns ENGINE = ReplicatedMergeTree('/clickhouse/tables/01/events_local', 'r2') $keys" 224
expect_error 1 "SYSTEM SYNC REPLICA events_single" 36
expect_error 1 "CREATE TABLE noargs (x UInt8) ENGINE = ReplicatedMergeTree('/only/path') ORDER BY x" 36
q 1 "SYSTEM RESTART REPLICA events_local" || fail "RESTART REPLICA"
wait_for 1 "SELECT is_readonly FROM system.replicas WHERE table = 'events_local'" 0
# DROP removes the replica from ZooKeeper; the last one removes the table's path.
q 1 "DROP TABLE IF EXISTS d ON CLUSTER c2x2" > /dev/null || fail "drop d"
eq "$(q 1 "SELECT count() FROM system.zookeeper WHERE path = '/clickhouse/tables/01' AND name = 'd'")" 0 "dropped table's path removed"
echo "replicated: ok"
