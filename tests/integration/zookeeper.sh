#!/usr/bin/env bash
# A real ZooKeeper (Debian's `zookeeper` package) on a free loopback port, and a basalt server
# configured with it. Checks: the ZooKeeper wrapper's unit tests against that server
# (tests/unit/zookeeper_test.cpp, BASALT_TEST_ZK); system.zookeeper lists children of path = / IN;
# no path condition → BAD_ARGUMENTS (36); a missing path → no rows (as ClickHouse); ZooKeeper
# stopped → queries fail with KEEPER_EXCEPTION (999) or NO_ZOOKEEPER (225) within a bounded time,
# the server keeps running; ZooKeeper restarted → a new session, queries work again.
# Skipped (exit 0) only when ZooKeeper is not installed (scripts/install-deps.sh installs it).
# Usage: zookeeper.sh BASALT_BINARY [UNIT_TEST_BINARY]
set -uo pipefail
bin="$1"
unit="${2:-$(dirname "$bin")/unit_tests}"
source "$(dirname "$0")/server_lib.sh"
dir=$(mktemp -d)
zk_pid=""
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null
  [ -n "$zk_pid" ] && kill -9 "$zk_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

zk_dir="$dir"
source "$(dirname "$0")/zk_lib.sh"
zk_require

start_zk
echo "ZooKeeper on 127.0.0.1:$zk_port"

# 1. The wrapper's unit tests against this server (none may be skipped here).
if [ -x "$unit" ]; then
  out=$(BASALT_TEST_ZK="127.0.0.1:$zk_port" "$unit" --gtest_filter='ZooKeeper*' 2>&1)
  rc=$?
  if [ $rc != 0 ] || echo "$out" | grep -q "SKIPPED \]"; then echo "$out" | tail -60; fail "ZooKeeper unit tests (rc $rc)"; fi
  echo "$out" | grep -E "^\[  PASSED  \]"
else
  fail "unit test binary $unit not found"
fi

# 2. A basalt server with ZooKeeper configured.
http_port=$(free_port)
tcp_port=$(free_port)
write_config "$dir"
cat >> "$dir/config.yaml" <<YAML
zookeeper: { node: [ { host: 127.0.0.1, port: $zk_port } ], session_timeout_ms: 3000 }
YAML
start_server
q() { "$bin" client --port "$tcp_port" -q "$*"; }
expect_error() {
  local out; out=$(q "$1" 2>&1) && fail "expected error $2 from: $1 (got: $out)"
  echo "$out" | grep -q "Code: $2\." || fail "expected code $2 from: $1, got: $out"
}
eq() { [ "$1" = "$2" ] || fail "$3: '$1' != '$2'"; }

echo "$(q "SELECT name FROM system.zookeeper WHERE path = '/'")" | grep -qx zookeeper || fail "path = '/' does not list zookeeper"
eq "$(q "SELECT name FROM system.zookeeper WHERE path = '/zookeeper' AND name = 'quota'")" quota "children of /zookeeper"
eq "$(q "SELECT count() > 0, min(path) FROM system.zookeeper WHERE path IN ('/zookeeper/', '/nonexistent')")" "$(printf '1\t/zookeeper/')" "path IN, path as written"
eq "$(q "SELECT count() FROM system.zookeeper WHERE path IN (SELECT '/zookeeper')")" "$(q "SELECT count() FROM system.zookeeper WHERE path = '/zookeeper'")" "path IN (subquery)"
eq "$(q "SELECT toTypeName(ctime), toTypeName(czxid), toTypeName(version) FROM system.zookeeper WHERE path = '/' LIMIT 1")" "$(printf 'DateTime\tInt64\tInt32')" "column types"
eq "$(q "SELECT count() FROM system.zookeeper WHERE path = '/no/such/node'")" 0 "missing path"
expect_error "SELECT * FROM system.zookeeper" 36
expect_error "SELECT * FROM system.zookeeper WHERE name = 'zookeeper'" 36
expect_error "SELECT * FROM system.zookeeper WHERE path LIKE '/%'" 36

# 3. ZooKeeper goes away: clean errors within a bounded time, the server stays up.
stop_zk
for attempt in 1 2; do
  start_s=$(date +%s)
  out=$(timeout 60 "$bin" client --port "$tcp_port" -q "SELECT name FROM system.zookeeper WHERE path = '/'" 2>&1) && fail "query succeeded without ZooKeeper: $out"
  took=$(( $(date +%s) - start_s ))
  echo "$out" | grep -qE "Code: (999|225)\." || fail "without ZooKeeper (attempt $attempt): $out"
  [ "$took" -le 15 ] || fail "the failing query took ${took}s"
  echo "without ZooKeeper, attempt $attempt (${took}s): $(echo "$out" | head -1 | cut -c1-160)"
done
curl -sf "http://127.0.0.1:$http_port/ping" > /dev/null || fail "server down after losing ZooKeeper"

# 4. ZooKeeper is back: a new session, queries work again.
start_zk
ok=""
for _ in $(seq 1 20); do
  if q "SELECT name FROM system.zookeeper WHERE path = '/'" 2>/dev/null | grep -qx zookeeper; then ok=1; break; fi
  sleep 1
done
[ -n "$ok" ] || fail "system.zookeeper does not work after ZooKeeper restarted: $(q "SELECT name FROM system.zookeeper WHERE path = '/'" 2>&1)"

# A clean shutdown (exit code 0: no sanitizer report, no leaked session).
kill -TERM "$server_pid" 2>/dev/null
wait "$server_pid"
rc=$?
server_pid=""
[ "$rc" = 0 ] || { tail -40 "$dir/stdout"; fail "server exited with $rc after SIGTERM"; }
echo "OK: zookeeper"
