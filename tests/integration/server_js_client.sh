#!/usr/bin/env bash
# Runs server_js_client.mjs (the npm package @clickhouse/client over HTTP) against `basalt server`.
# The client is installed from the npm registry into $JS_DEPS (default: a cache beside the build).
# Usage: server_js_client.sh BASALT_BINARY
set -uo pipefail
bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
deps="${JS_DEPS:-$(dirname "$bin")/js-deps}"
dir=$(mktemp -d); [ -n "${KEEP:-}" ] || trap 'kill -9 ${server_pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
source "$here/server_lib.sh"
if [ ! -d "$deps/node_modules/@clickhouse/client" ]; then
  mkdir -p "$deps"
  (cd "$deps" && cp "$here/js/package.json" . && npm install --no-audit --no-fund > npm.log 2>&1) || fail "npm install: $(tail -5 "$deps/npm.log")"
fi
http_port=$(free_port); tcp_port=$(free_port)
write_config "$dir"
start_server
NODE_PATH="$deps/node_modules" node "$here/server_js_client.mjs" "$http_port" || fail "@clickhouse/client scenario"
stop_server
echo "OK"
