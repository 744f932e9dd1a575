#!/usr/bin/env bash
# Crash-safety test of MergeTree: a writer runs multi-partition INSERTs and merges (background and
# OPTIMIZE) and is killed with SIGKILL at random moments; after every restart each acknowledged
# INSERT must be present exactly once and no INSERT may be partially visible. Then a data file is
# corrupted: the damaged part must be set aside (detached/broken_*) and the table still served.
# Usage: mergetree_crash.sh BASALT_BINARY [ROUNDS]
set -uo pipefail
bin="$1"
rounds="${2:-12}"
dir=$(mktemp -d); [ -n "${KEEP:-}" ] || trap 'rm -rf "$dir"' EXIT; echo "dir: $dir"
fail() { echo "FAIL: $*"; exit 1; }
rows_per_insert=30   # spread over 3 partitions

"$bin" local --path "$dir/data" -q "CREATE TABLE t (id UInt32, p UInt8, v UInt64, s String) ENGINE = MergeTree PARTITION BY p ORDER BY (v, id) SETTINGS index_granularity = 16" \
  || fail "create"
next_id=1
RANDOM=42
for round in $(seq 1 "$rounds"); do
  # A script of INSERTs, each followed by an acknowledgement line; OPTIMIZE now and then.
  script="$dir/script.sql"
  : > "$script"
  for i in $(seq 0 59); do
    id=$((next_id + i))
    echo "INSERT INTO t SELECT $id, number % 3, number * 7919 % 1000, repeat('x', number) FROM numbers($rows_per_insert); SELECT 'ack', $id;" >> "$script"
    if [ $((i % 15)) = 7 ]; then echo "OPTIMIZE TABLE t FINAL;" >> "$script"; fi
  done
  "$bin" local --path "$dir/data" --queries-file "$script" > "$dir/out.$round" 2>"$dir/err.$round" &
  pid=$!
  # Kill somewhere between 20 ms and ~0.6 s into the run.
  sleep "0.$(printf '%02d' $((RANDOM % 60 + 2)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  next_id=$((next_id + 60))
  # Every statement before the kill either completed (ack printed) or not; check the table.
  "$bin" local --path "$dir/data" -q "SELECT id, count() FROM t GROUP BY id ORDER BY id" > "$dir/counts" 2>"$dir/err" \
    || fail "round $round: restart failed: $(cat "$dir/err")"
  awk -v n=$rows_per_insert '$2 != n { print "partial insert " $1 ": " $2 " rows"; bad = 1 } END { exit bad }' "$dir/counts" \
    || fail "round $round: $(awk -v n=$rows_per_insert '$2 != n' "$dir/counts" | head -3)"
  for f in "$dir"/out.*; do
    { grep '^ack' "$f" || true; } | while read -r _ id; do
      grep -q "^$id	" "$dir/counts" || { echo "acknowledged insert $id lost"; exit 1; }
    done || fail "round $round: acknowledged insert missing"
  done
  # A crash never damages a committed part: nothing may have been set aside as broken.
  ls "$dir"/data/store/*/*/detached/ 2>/dev/null | grep -q . && fail "round $round: a part was detached after a crash: $(cat "$dir/err")"
  # No leftover temporary parts or intents survive a restart.
  ls "$dir"/data/store/*/*/ | grep -q '^tmp_\|^insert_intent' && fail "round $round: temporary files left after restart"
done
acked=$(cat "$dir"/out.* | grep -c '^ack')
echo "crash rounds: $rounds, acknowledged inserts: $acked, ids present: $(wc -l < "$dir/counts")"
[ "$acked" -gt 0 ] || fail "no insert was ever acknowledged (kills too early?)"

# Corruption: flip a byte in the middle of one part's data file.
"$bin" local --path "$dir/data" -q "OPTIMIZE TABLE t FINAL" || fail "optimize"
before=$("$bin" local --path "$dir/data" -q "SELECT count() FROM t")
victim=$("$bin" local --path "$dir/data" -q "SELECT path FROM system.parts WHERE table = 't' AND active ORDER BY name LIMIT 1")
[ -n "$victim" ] || fail "no part to corrupt"
file="$victim/s.bin"
size=$(stat -c %s "$file")
off=$((size / 2))
byte=$(od -An -tu1 -j "$off" -N1 "$file" | tr -d ' ')
printf "\\x$(printf %02x $((255 - byte)))" | dd of="$file" bs=1 seek="$off" conv=notrunc 2>/dev/null   # complement: always a change
after=$("$bin" local --path "$dir/data" -q "SELECT count() FROM t" 2>"$dir/err") || fail "table not served after corruption: $(cat "$dir/err")"
[ "$after" -lt "$before" ] || fail "corrupted part still served ($after rows, before $before)"
grep -q "broken" "$dir/err" || fail "corruption not reported: $(cat "$dir/err")"
ls "$dir"/data/store/*/*/detached/ | grep -q '^broken_' || fail "broken part not moved to detached/"
"$bin" local --path "$dir/data" -q "SELECT count() FROM system.detached_parts WHERE table = 't' AND reason = 'broken'" 2>/dev/null | grep -q '^1$' \
  || fail "system.detached_parts does not show the broken part"
echo "OK"
