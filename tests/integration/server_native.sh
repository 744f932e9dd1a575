#!/usr/bin/env bash
# Runs server_native.py (python3-clickhouse-driver against `basalt server` over the native
# protocol) and a raw-socket robustness check: truncated packets, absurd sizes, garbage — the
# server answers or closes, and keeps serving.
# Usage: server_native.sh BASALT_BINARY
set -uo pipefail
bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
dir=$(mktemp -d); [ -n "${KEEP:-}" ] || trap 'kill -9 ${server_pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
source "$here/server_lib.sh"
http_port=$(free_port); tcp_port=$(free_port)
write_config "$dir"
start_server
/usr/bin/python3 "$here/server_native.py" "$tcp_port" || fail "python driver scenario"
/usr/bin/python3 "$here/native_hostile.py" "$tcp_port" || fail "hostile input"
stop_server
echo "OK"
