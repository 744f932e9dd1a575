# bench/bench_server.sh — sourced by the server benchmarks: arguments and data ($bin, $rows, $seed,
# $data, $tsv via events_tsv.sh), then a Release `basalt server` on free loopback ports in a temp
# directory ($dir, $pid, $http_port, $url), killed on exit. Expects $here (bench/) and
# $default_rows.
bin="${1:-$here/../build/release/basalt}"
rows="${ROWS:-$default_rows}"; seed=42; data="$here/data"
mkdir -p "$data"
. "$here/events_tsv.sh"
dir=$(mktemp -d); trap 'kill -9 ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port=$(port); tcp_port=$(port)
"$bin" server --path "$dir/data" --http_port "$http_port" --tcp_port "$tcp_port" > "$dir/log" 2>&1 &
pid=$!
url="http://127.0.0.1:$http_port/"
for _ in $(seq 1 100); do curl -sf "${url}ping" > /dev/null && break; sleep 0.1; done
schema='ts DateTime, user_id UInt64, event_type LowCardinality(String), value Float64, properties String'
