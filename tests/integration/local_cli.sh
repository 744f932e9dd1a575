#!/usr/bin/env bash
# Integration test of the `basalt local` binary: help, output format selection, exit codes,
# the on-disk catalog (--path) surviving restarts, and stdin scripts.
# Usage: local_cli.sh BASALT_BINARY
set -uo pipefail
bin="$1"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" local --help | grep -q -- "--path" || fail "help does not document --path"
"$bin" --help | grep -q "local" || fail "top-level help"
"$bin" local --no-such-option >/dev/null 2>&1 && fail "unknown option accepted"

# Piped output defaults to TabSeparated; --format switches.
[ "$("$bin" local -q "SELECT 1, 'a'")" = $'1\ta' ] || fail "default TSV"
[ "$("$bin" local --format CSV -q "SELECT 1, 'a'")" = '1,"a"' ] || fail "--format CSV"
[ "$(echo "SELECT 2; SELECT 3" | "$bin" local)" = $'2\n3' ] || fail "stdin script"
printf 'SELECT 40 + 2;\n' > "$dir/q.sql"
[ "$("$bin" local --queries-file "$dir/q.sql")" = "42" ] || fail "--queries-file"

# Errors: ClickHouse text on stderr, exit code = error code, statements before the error ran.
out=$("$bin" local -q "SELECT 1; SELECT * FROM nosuch; SELECT 2" 2>"$dir/err"); rc=$?
[ "$rc" = 60 ] || fail "exit code $rc for UNKNOWN_TABLE"
[ "$out" = "1" ] || fail "output before error: $out"
grep -q "Code: 60. DB::Exception: .*(UNKNOWN_TABLE)" "$dir/err" || fail "error text: $(cat "$dir/err")"
"$bin" local -q "SELECT 1 +" 2>"$dir/err"; [ $? = 62 ] || fail "syntax error exit code"
grep -q "Syntax error" "$dir/err" || fail "syntax error text"

# On-disk catalog: databases and table definitions persist across runs.
"$bin" local --path "$dir/data" -q "CREATE DATABASE d1; CREATE TABLE d1.t (a UInt8, s String DEFAULT 'x') ENGINE = Memory; CREATE TABLE t2 (x Int32) ENGINE = Memory" || fail "create"
[ "$("$bin" local --path "$dir/data" -q "SHOW TABLES FROM d1")" = "t" ] || fail "table did not persist"
[ "$("$bin" local --path "$dir/data" -q "SELECT name, type FROM system.columns WHERE database = 'd1' AND table = 't' ORDER BY position")" = $'a\tUInt8\ns\tString' ] || fail "columns did not persist"
"$bin" local --path "$dir/data" -q "RENAME TABLE t2 TO t3; DROP TABLE d1.t" || fail "rename/drop"
[ "$("$bin" local --path "$dir/data" -q "SHOW TABLES")" = "t3" ] || fail "rename did not persist"
[ "$("$bin" local --path "$dir/data" -q "SHOW TABLES FROM d1")" = "" ] || fail "drop did not persist"
"$bin" local --path "$dir/data" -q "DROP DATABASE d1" || fail "drop database"
"$bin" local --path "$dir/data" -q "USE d1" 2>/dev/null && fail "dropped database still exists"
# Without --path nothing persists.
"$bin" local -q "CREATE TABLE tmp (a UInt8) ENGINE = Memory" || fail "in-memory create"
"$bin" local -q "SELECT * FROM tmp" 2>/dev/null && fail "in-memory table persisted"
# file() table function with an explicit structure and with schema inference.
printf 'a,b\n1,x\n2,y\n' > "$dir/data.csv"
[ "$("$bin" local -q "SELECT sum(a), groupArray(b) FROM file('$dir/data.csv', CSVWithNames)")" = "3	['x','y']" ] || fail "file() with inference"
[ "$("$bin" local -q "SELECT count() FROM file('$dir/data.csv', CSVWithNames, 'a UInt8, b String') WHERE b = 'y'")" = "1" ] || fail "file() with structure"
"$bin" local -q "SELECT * FROM file('$dir/nosuch.csv', CSV)" 2>/dev/null; [ $? = 107 ] || fail "missing file error code"
# INSERT ... FORMAT with --query takes its data from stdin (as clickhouse-local); a script on stdin
# may end with INSERT ... FORMAT and its data; a large TSV file is parsed in parallel pieces.
"$bin" local --path "$dir/ins" -q "CREATE TABLE t (a UInt32, s String) ENGINE = MergeTree ORDER BY a" || fail "create for stdin insert"
printf '1\tx\n2\ty\n' | "$bin" local --path "$dir/ins" -q "INSERT INTO t FORMAT TSV" || fail "INSERT FORMAT TSV from stdin"
[ "$("$bin" local --path "$dir/ins" -q "SELECT count(), sum(a) FROM t")" = $'2\t3' ] || fail "rows inserted from stdin"
{ echo "INSERT INTO t FORMAT TSV"; printf '3\tz\n'; } | "$bin" local --path "$dir/ins" || fail "stdin script with data"
"$bin" local -q "SELECT number, repeat('v', number % 40) FROM numbers(1200000)" > "$dir/big.tsv" || fail "generate big tsv"
"$bin" local --path "$dir/ins" -q "INSERT INTO t FORMAT TSV" < "$dir/big.tsv" || fail "big stdin insert"
[ "$("$bin" local --path "$dir/ins" -q "SELECT count(), sum(a), sum(length(s)) FROM t")" = $'1200003\t719999400006\t23400003' ] || fail "big stdin insert rows: $("$bin" local --path "$dir/ins" -q "SELECT count(), sum(a), sum(length(s)) FROM t")"
[ "$("$bin" local -q "SELECT count(), sum(c1) FROM file('$dir/big.tsv', TSV, 'c1 UInt64, c2 String')")" = $'1200000\t719999400000' ] || fail "file() of a big tsv"
echo "1 passed, 0 failed"
