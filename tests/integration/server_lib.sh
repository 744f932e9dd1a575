# server_lib.sh — helpers for integration tests that run a real `basalt server` on loopback:
# free ports, a config with test users, start / wait for /ping / stop. Source it; needs $bin.
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fail() { echo "FAIL: $*"; [ -n "${dir:-}" ] && [ -f "$dir/server.log" ] && tail -20 "$dir/server.log"; exit 1; }

# write_config DIR: users default (no password), alice (password 'secret'), viewer (readonly profile).
write_config() {
  local d="$1"
  cat > "$d/config.yaml" <<YAML
listen_host: 127.0.0.1
http_port: $http_port
tcp_port: $tcp_port
path: $d/data
max_request_body_bytes: 10000000
max_concurrent_queries: ${MAX_QUERIES:-100}
logger:
  level: debug
  log: $d/server.log
  console: false
profiles:
  default: {}
  readonly:
    readonly: 1
users:
  default: {}
  alice:
    password_sha256_hex: $(printf secret | sha256sum | cut -d' ' -f1)
  viewer:
    password: view
    profile: readonly
YAML
}

start_server() {
  "$bin" server --config "$dir/config.yaml" > "$dir/stdout" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$http_port/ping" > /dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || fail "server exited: $(cat "$dir/stdout")"
    sleep 0.1
  done
  fail "server did not answer /ping"
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null
  wait "$server_pid"
  local rc=$?
  [ "$rc" = 0 ] || fail "server exited with $rc after SIGTERM"
}

# ---- several servers (cluster tests): node i has config $root/n$i/config.yaml, ports ${tcp[i]},
# ${http[i]}; its pid goes to ${pids[i]}. The caller declares `declare -a tcp http pids` and $root.
start_node() {
  local i=$1
  "$bin" server --config "$root/n$i/config.yaml" > "$root/n$i/stdout" 2>&1 &
  pids[$i]=$!
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:${http[$i]}/ping" > /dev/null 2>&1 && return 0
    kill -0 "${pids[$i]}" 2>/dev/null || { cat "$root/n$i/stdout"; fail "node $i exited"; }
    sleep 0.1
  done
  fail "node $i did not start"
}
kill_node() { kill -9 "${pids[$1]}" 2>/dev/null; wait "${pids[$1]}" 2>/dev/null; pids[$1]=""; }
# q I SQL: runs SQL (';'-separated statements, one session) on node I through `basalt client`.
q() { local i=$1; shift; "$bin" client --port "${tcp[$i]}" -q "$*"; }
# expect_error I SQL CODE: SQL on node I must fail with CODE.
expect_error() {
  local out; out=$(q "$1" "$2" 2>&1) && fail "expected error $3 from: $2 (got: $out)"
  echo "$out" | grep -q "Code: $3\." || fail "expected code $3 from: $2, got: $out"
}
eq() { [ "$1" = "$2" ] || fail "$3: '$1' != '$2'"; }
