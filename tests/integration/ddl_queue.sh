#!/usr/bin/env bash
# ON CLUSTER through the ZooKeeper DDL queue: a real ZooKeeper and two basalt servers (a 2-shard
# cluster) on loopback. Checks: one status row per host; a host's error comes back with its code;
# a host killed with SIGKILL misses a statement (the initiator times out with TIMEOUT_EXCEEDED,
# 159) and runs it after its restart; the queue is visible in system.zookeeper.
# Skipped (exit 0) only when ZooKeeper is not installed (scripts/install-deps.sh installs it).
# Usage: ddl_queue.sh BASALT_BINARY
set -uo pipefail
bin="$1"
source "$(dirname "$0")/server_lib.sh"
root=$(mktemp -d)
declare -a tcp http pids
cleanup() { for p in "${pids[@]:-}" "$zk_pid"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$root"; }
trap cleanup EXIT
zk_dir="$root"
source "$(dirname "$0")/zk_lib.sh"
zk_require
start_zk
for i in 1 2; do tcp[$i]=$(free_port); http[$i]=$(free_port); done
for i in 1 2; do
  mkdir -p "$root/n$i"
  cat > "$root/n$i/config.yaml" <<YAML
listen_host: 127.0.0.1
http_port: ${http[$i]}
tcp_port: ${tcp[$i]}
path: $root/n$i/data
logger: { level: information, log: $root/n$i/server.log, console: false }
remote_servers:
  c2:
    shard:
      - replica: [ { host: 127.0.0.1, port: ${tcp[1]} } ]
      - replica: [ { host: 127.0.0.1, port: ${tcp[2]} } ]
zookeeper: { node: [ { host: 127.0.0.1, port: $zk_port } ], session_timeout_ms: 6000 }
YAML
done
start_node 1; start_node 2

out=$(q 1 "CREATE TABLE t ON CLUSTER c2 (x UInt8) ENGINE = Memory") || fail "CREATE ON CLUSTER"
eq "$(echo "$out" | wc -l)" 2 "status rows"
eq "$(echo "$out" | cut -f3 | sort -u)" 0 "statuses"
for i in 1 2; do eq "$(q $i "SELECT count() FROM system.tables WHERE database = 'default' AND name = 't'")" 1 "t on node $i"; done
# A host's error comes back with its code.
expect_error 2 "CREATE TABLE t ON CLUSTER c2 (x UInt8) ENGINE = Memory" 57
# The statements run in the initiator's current database.
q 1 "CREATE DATABASE d ON CLUSTER c2" > /dev/null || fail "CREATE DATABASE ON CLUSTER"
"$bin" client --port "${tcp[1]}" -d d -q "CREATE TABLE inside ON CLUSTER c2 (x UInt8) ENGINE = Memory" > /dev/null || fail "CREATE in d"
eq "$(q 2 "SELECT count() FROM system.tables WHERE database = 'd' AND name = 'inside'")" 1 "table created in the initiator's database"

# A host down: the initiator times out (159); the host runs the statement when it returns.
kill -9 "${pids[2]}"; wait "${pids[2]}" 2>/dev/null; pids[2]=""
expect_error 1 "SET distributed_ddl_task_timeout = 2; CREATE TABLE missed ON CLUSTER c2 (x UInt8) ENGINE = Memory" 159
eq "$(q 1 "SELECT count() FROM system.tables WHERE database = 'default' AND name = 'missed'")" 1 "missed on node 1"
start_node 2
for _ in $(seq 1 100); do [ "$(q 2 "SELECT count() FROM system.tables WHERE database = 'default' AND name = 'missed'")" = 1 ] && break; sleep 0.1; done
eq "$(q 2 "SELECT count() FROM system.tables WHERE database = 'default' AND name = 'missed'")" 1 "node 2 ran the statement it missed"
# Each entry ran once per host: the earlier statements were not run again by the restarted node.
eq "$(q 2 "SELECT count() FROM system.query_log WHERE query LIKE 'CREATE TABLE t (x UInt8)%'")" 0 "old entries not re-run after restart"
n=$(q 1 "SELECT count() FROM system.zookeeper WHERE path = '/clickhouse/task_queue/ddl'")
[ "$n" -ge 5 ] || fail "queue entries in system.zookeeper: $n"
eq "$(q 1 "SELECT count() FROM system.zookeeper WHERE path = '/clickhouse/task_queue/ddl/query-0000000000/finished'")" 2 "finished nodes"
echo "ddl_queue: ok"
