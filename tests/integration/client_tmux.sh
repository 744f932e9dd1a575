#!/usr/bin/env bash
# `basalt client` driven like a person would, inside tmux (send-keys / capture-pane): the banner and
# prompt, a query with its PrettyCompact result and footer, a multi-line statement, Ctrl-C
# cancelling a running query, Ctrl-C clearing a half-typed statement, an error, and `exit`.
# Also the non-interactive modes: --query, --queries-file, stdin, --format.
# Usage: client_tmux.sh BASALT_BINARY
set -uo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
dir=$(mktemp -d)
session="basalt_client_$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null; kill -9 ${server_pid:-0} 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$dir"; }
trap cleanup EXIT
source "$here/server_lib.sh"
http_port=$(free_port); tcp_port=$(free_port)
write_config "$dir"
start_server
expect() { [ "$2" == "$3" ] || fail "$1: expected [$3], got [$2]"; }

# Non-interactive modes.
expect "--query" "$("$bin" client --port "$tcp_port" --query "SELECT 1 + 1; SELECT 'x'")" "$(printf '2\nx')"
expect "--format" "$("$bin" client --port "$tcp_port" -q "SELECT 1 AS a FORMAT JSONEachRow")" '{"a":1}'
expect "-f" "$("$bin" client --port "$tcp_port" -f CSV -q "SELECT 'a', 2")" '"a",2'
expect "--param_" "$("$bin" client --port "$tcp_port" --param_id=5 --param_name "o'k" -q "SELECT {id:UInt32} + 1, {name:String}")" "$(printf "6\to\\\\'k")"
echo "SELECT 3;" > "$dir/q.sql"
expect "--queries-file" "$("$bin" client --port "$tcp_port" --queries-file "$dir/q.sql")" "3"
expect "stdin" "$(echo 'SELECT 4' | "$bin" client --port "$tcp_port")" "4"
"$bin" client --port "$tcp_port" -q "SELECT * FROM nope" 2> "$dir/err"; rc=$?
expect "error exit code" "$rc" "60"
grep -q "Code: 60. DB::Exception: .*(UNKNOWN_TABLE)" "$dir/err" || fail "error text: $(cat "$dir/err")"
"$bin" client --port "$tcp_port" --user alice --password wrong -q "SELECT 1" 2> "$dir/err"; rc=$?
expect "auth exit code" "$rc" "4"   # 516 % 256
grep -q "Code: 516" "$dir/err" || fail "auth error text: $(cat "$dir/err")"
expect "compression" "$("$bin" client --port "$tcp_port" --compression 1 -q "SELECT count() FROM numbers(100000)")" "100000"

# Interactive, in tmux.
pane() { tmux capture-pane -p -t "$session" -S -200; }
wait_for() {   # wait_for REGEX [SECONDS]
  for _ in $(seq 1 $(( ${2:-10} * 10 ))); do pane | grep -qE "$1" && return 0; sleep 0.1; done
  fail "screen never showed /$1/:
$(pane)"
}
# type_line TEXT: types TEXT literally (a trailing ';' would be a tmux command separator) and Enter.
type_line() { tmux send-keys -t "$session" -l "${1//;/\\;}"; tmux send-keys -t "$session" Enter; }
HOME="$dir" tmux new-session -d -s "$session" -x 160 -y 50 "$bin client --port $tcp_port"
wait_for 'basalt :\)'
pane | grep -q "Connected to basalt server version" || fail "banner: $(pane)"
type_line "SELECT 40 + 2 AS answer;"
wait_for '1 row in set'
pane | grep -q '│     42 │' || fail "PrettyCompact result: $(pane)"
# Multi-line: the continuation prompt, then the result.
type_line "SELECT"
wait_for ':-\]'
type_line "  'multi' || 'line' AS m"; type_line ";"
wait_for 'multiline'
# Ctrl-C cancels a running query; the next query works.
type_line "SELECT sleepEachRow(0.5) FROM numbers(40) SETTINGS max_block_size = 1;"
sleep 1.5
tmux send-keys -t "$session" C-c
wait_for 'Query was cancelled' 10
type_line "SELECT 'after cancel' AS c;"
wait_for 'after cancel'
# Ctrl-C while typing drops the statement being typed.
type_line "SELECT 'never"
wait_for ':-\]'
tmux send-keys -t "$session" C-c
sleep 0.3
type_line "SELECT 'fresh' AS f;"
wait_for "fresh"
pane | grep -q "never" && pane | grep -q "│ never" && fail "the abandoned statement ran"
# Errors are shown and the session continues.
type_line "SELECT * FROM no_such_table;"
wait_for 'Code: 60'
type_line "exit"
for _ in $(seq 1 50); do tmux has-session -t "$session" 2>/dev/null || break; sleep 0.1; done
tmux has-session -t "$session" 2>/dev/null && fail "client did not exit"
[ -s "$dir/.basalt-client-history" ] || fail "no history file"
stop_server
echo "OK"
