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
