#!/usr/bin/env bash
# The HTTP interface of `basalt server`, driven with curl: query in the URL and in the body, INSERT
# data in the body, formats, database / query_id / settings / param_ URL parameters, sessions,
# compression both ways, headers, streamed results (and errors in the middle of one), error statuses
# and codes, credentials, read-only users, limits,
# /ping and /play, the native port refusing HTTP, and a SIGTERM shutdown that keeps every
# acknowledged INSERT.
# Usage: server_http.sh BASALT_BINARY
set -uo pipefail
bin="$1"
dir=$(mktemp -d); [ -n "${KEEP:-}" ] || trap 'kill -9 ${server_pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
source "$(dirname "$0")/server_lib.sh"
http_port=$(free_port); tcp_port=$(free_port)
MAX_QUERIES=4 write_config "$dir"
start_server
url="http://127.0.0.1:$http_port"

# expect NAME ACTUAL EXPECTED
expect() { [ "$2" == "$3" ] || fail "$1: expected [$3], got [$2]"; }
q() { curl -s "$url/" --data-binary "$1" "${@:2}"; }
# status_and_code QUERY [curl args]: "<http status> <X-ClickHouse-Exception-Code>"; URLPARAMS="a=b&..."
# adds URL parameters.
status_and_code() {
  curl -s -o "$dir/body" -D "$dir/headers" "$url/?${URLPARAMS:-}" --data-binary "$1" "${@:2}" > /dev/null
  local status code
  status=$(grep '^HTTP/' "$dir/headers" | tail -1 | cut -d' ' -f2)   # after any "100 Continue"
  code=$(grep -i '^X-ClickHouse-Exception-Code:' "$dir/headers" | tr -d '\r' | cut -d' ' -f2)
  echo "$status $code"
}

expect "ping" "$(curl -s "$url/ping")" "Ok."
expect "root" "$(curl -s "$url/")" "Ok."
expect "GET query" "$(curl -s "$url/?query=SELECT%201%2B1")" "2"
expect "POST query" "$(q 'SELECT 1, '"'"'a'"'"'')" "$(printf '1\ta')"
expect "query param + body" "$(curl -s "$url/?query=SELECT" --data-binary ' 42')" "42"

# DDL and INSERT: data in the body, format in the URL query.
q "CREATE TABLE t (id UInt32, s String, v Float64) ENGINE = MergeTree ORDER BY id" > /dev/null
printf '1\tone\t1.5\n2\ttwo\t2.5\n' | curl -s "$url/?query=INSERT%20INTO%20t%20FORMAT%20TSV" --data-binary @- > /dev/null
printf '{"id":3,"s":"three","v":3.5}\n{"id":4,"s":"four","v":4.5}\n' | curl -s "$url/?query=INSERT%20INTO%20t%20FORMAT%20JSONEachRow" --data-binary @- > /dev/null
q "INSERT INTO t VALUES (5, 'five', 5.5)" > /dev/null
expect "count" "$(q 'SELECT count(), sum(v) FROM t')" "$(printf '5\t17.5')"
expect "FORMAT clause" "$(q 'SELECT id, s FROM t WHERE id = 3 FORMAT JSONEachRow')" '{"id":3,"s":"three"}'
expect "default_format POST" "$(curl -s "$url/?default_format=CSVWithNames" --data-binary 'SELECT id, s FROM t WHERE id < 3 ORDER BY id')" "$(printf '"id","s"\n1,"one"\n2,"two"')"
expect "database param" "$(curl -s "$url/?database=system" --data-binary "SELECT name FROM one_missing_table_check" -o /dev/null -w '%{http_code}')" "404"
expect "database param ok" "$(curl -s "$url/?database=system" --data-binary "SELECT count() > 0 FROM tables")" "1"
# query_id and the headers of a result.
curl -s -D "$dir/h" "$url/?query_id=my-query-1" --data-binary "SELECT 1" -o /dev/null
grep -qi '^X-ClickHouse-Query-Id: my-query-1' "$dir/h" || fail "query id header: $(cat "$dir/h")"
grep -qi '^X-ClickHouse-Format: TabSeparated' "$dir/h" || fail "format header"
grep -qi '^X-ClickHouse-Timezone: UTC' "$dir/h" || fail "timezone header"
grep -qi '^X-ClickHouse-Summary: {"read_rows":"' "$dir/h" || fail "summary header"
grep -qi '^Content-Type: text/tab-separated-values; charset=UTF-8' "$dir/h" || fail "content type"
curl -s -D "$dir/h" "$url/" --data-binary "INSERT INTO t SELECT 10 + number, 'x', 0 FROM numbers(3)" -o /dev/null
grep -qi '"written_rows":"3"' "$dir/h" || fail "summary written_rows: $(grep -i summary "$dir/h")"
curl -s -D "$dir/h" "$url/?send_progress_in_http_headers=1" --data-binary "SELECT count() FROM t" -o /dev/null
grep -qi '^X-ClickHouse-Progress: ' "$dir/h" || fail "progress header"
expect "query_log" "$(q "SELECT query_id, interface FROM system.query_log WHERE query_id = 'my-query-1' AND type = 'QueryFinish'")" "$(printf 'my-query-1\t2')"
# Results stream: a scan far larger than max_memory_usage goes through in blocks, while the same
# rows sorted (a result that must be held whole) hit the limit; an error after the first rows went
# out ends the 200 body with the ClickHouse error text; before that (or with wait_end_of_query)
# it is a 500 with the code header.
expect "streamed scan under a memory limit" "$(curl -s "$url/?max_memory_usage=40000000" --data-binary 'SELECT number, toString(number) FROM numbers(5000000)' | wc -l)" "5000000"
expect "whole result over the limit" "$(URLPARAMS='max_memory_usage=40000000' status_and_code 'SELECT number, toString(number) FROM numbers(5000000) ORDER BY number DESC')" "500 241"
curl -s -o "$dir/body" -D "$dir/headers" "$url/?http_response_buffer_size=1&max_threads=1&max_block_size=1000" --data-binary 'SELECT throwIf(number = 150000) FROM numbers(200000)'
expect "mid-stream error status" "$(head -1 "$dir/headers" | cut -d' ' -f2)" "200"
expect "mid-stream rows before the error" "$(grep -c '^0$' "$dir/body")" "150000"
expect "mid-stream error text" "$(tail -1 "$dir/body" | cut -c1-40)" "Code: 395. DB::Exception: Value passed t"
expect "error held to the end" "$(URLPARAMS='wait_end_of_query=1&max_threads=1&max_block_size=1000' status_and_code 'SELECT throwIf(number = 150000) FROM numbers(200000)')" "500 395"
expect "streamed LIMIT OFFSET" "$(curl -s "$url/?max_threads=1&max_block_size=1000" --data-binary 'SELECT number FROM numbers(100000) LIMIT 3 OFFSET 2999' | tr '\n' ' ')" "2999 3000 3001 "
curl -s -D "$dir/h" "$url/?max_block_size=1000" --data-binary "SELECT number FROM numbers(10000) WHERE number % 2 = 0 FORMAT Null" -o /dev/null
grep -qi '"result_rows":"5000"' "$dir/h" || fail "summary result_rows of a streamed query: $(grep -i summary "$dir/h")"

# Settings and parameters as URL parameters.
expect "setting" "$(curl -s "$url/?max_block_size=1234" --data-binary "SELECT value FROM system.settings WHERE name = 'max_block_size'")" "1234"
expect "unknown setting" "$(URLPARAMS='no_such_setting=1' status_and_code 'SELECT 1')" "404 115"
expect "param" "$(curl -s "$url/?param_id=3&param_name=thr%27ee" --data-binary "SELECT {id:UInt32} + 1, {name:String}")" "$(printf "4\tthr\\\\'ee")"
expect "missing param" "$(status_and_code 'SELECT {nope:UInt8}')" "400 456"
# Sessions: settings and the current database persist; a concurrent request is refused.
curl -s "$url/?session_id=s1" --data-binary "SET max_block_size = 777" > /dev/null
expect "session setting" "$(curl -s "$url/?session_id=s1" --data-binary "SELECT value FROM system.settings WHERE name = 'max_block_size'")" "777"
expect "no session" "$(q "SELECT value FROM system.settings WHERE name = 'max_block_size'")" "65536"
expect "session_check" "$(URLPARAMS='session_id=nope&session_check=1' status_and_code 'SELECT 1')" "404 372"
expect "bad session timeout" "$(URLPARAMS='session_id=s2&session_timeout=abc' status_and_code 'SELECT 1')" "400 374"
curl -s "$url/?session_id=s3" --data-binary "SELECT sleepEachRow(0.5) FROM numbers(2) FORMAT Null" > /dev/null &
slow_pid=$!
sleep 0.3
expect "session locked" "$(URLPARAMS='session_id=s3' status_and_code 'SELECT 1')" "400 373"
wait "$slow_pid"
# system.processes, KILL QUERY, max_concurrent_queries (4 here).
slow_pids=()
for i in 1 2 3; do
  curl -s -o "$dir/slow$i" -w '%{http_code}' "$url/?query_id=slow$i" --data-binary "SELECT sleepEachRow(0.3) FROM numbers(100) SETTINGS max_block_size = 1 FORMAT Null" > "$dir/slow$i.status" &
  slow_pids+=($!)
done
for _ in $(seq 1 50); do
  [ "$(q "SELECT count() FROM system.processes WHERE query_id LIKE 'slow%'")" = 3 ] && break
  sleep 0.1
done
expect "processes" "$(q "SELECT query_id, user, interface FROM system.processes WHERE query_id LIKE 'slow%' ORDER BY query_id")" "$(printf 'slow1	default	2
slow2	default	2
slow3	default	2')"
# Three slow queries plus this one fill the four slots.
curl -s -o /dev/null "$url/?query_id=slow4" --data-binary "SELECT sleepEachRow(0.3) FROM numbers(100) SETTINGS max_block_size = 1 FORMAT Null" &
slow_pids+=($!)
sleep 1
expect "too many queries" "$(status_and_code 'SELECT 1')" "503 202"
# KILL QUERY is not held back by the limit (else a saturated server could not be relieved).
expect "kill when full" "$(q "KILL QUERY WHERE query_id = 'slow4' SYNC" | cut -f1,2)" "$(printf 'finished	slow4')"
expect "kill sync" "$(q "KILL QUERY WHERE query_id = 'slow1' SYNC")" "$(printf 'finished	slow1	default	SELECT sleepEachRow(0.3) FROM numbers(100) SETTINGS max_block_size = 1 FORMAT Null')"
expect "kill async" "$(q "KILL QUERY WHERE query_id IN ('slow2', 'slow3') FORMAT TSV" | cut -f1,2 | sort)" "$(printf 'waiting	slow2
waiting	slow3')"
for p in "${slow_pids[@]}"; do wait "$p"; done
expect "killed query status" "$(cat "$dir/slow1.status")" "500"
grep -q "Code: 394" "$dir/slow1" || fail "killed query text: $(cat "$dir/slow1")"
expect "nothing left" "$(q "SELECT count() FROM system.processes WHERE query_id LIKE 'slow%'")" "0"
# A client that hangs up cancels its query.
timeout 1 curl -s "$url/?query_id=hangup" --data-binary "SELECT sleepEachRow(0.3) FROM numbers(100) SETTINGS max_block_size = 1 FORMAT Null" > /dev/null
for _ in $(seq 1 50); do
  [ "$(q "SELECT count() FROM system.processes WHERE query_id = 'hangup'")" = 0 ] && break
  sleep 0.1
done
expect "cancelled on hangup" "$(q "SELECT exception_code FROM system.query_log WHERE query_id = 'hangup' AND type = 'ExceptionWhileProcessing'")" "394"
expect "kill nothing" "$(q "KILL QUERY WHERE query_id = 'nope'")" ""
# Compression of the response (gzip, deflate via curl --compressed) and of the request body.
expect "gzip response" "$(curl -s --compressed -H 'Accept-Encoding: gzip' "$url/?enable_http_compression=1" --data-binary "SELECT count() FROM numbers(100000)")" "100000"
curl -s -D "$dir/h" -H 'Accept-Encoding: gzip' "$url/?enable_http_compression=1" --data-binary "SELECT 1" -o "$dir/gz"
grep -qi '^Content-Encoding: gzip' "$dir/h" || fail "gzip header"
expect "gunzip" "$(gunzip -c < "$dir/gz")" "1"
curl -s -D "$dir/h" -H 'Accept-Encoding: zstd' "$url/?enable_http_compression=1" --data-binary "SELECT 1" -o "$dir/zst"
grep -qi '^Content-Encoding: zstd' "$dir/h" || fail "zstd header"
expect "zstd magic" "$(head -c 4 "$dir/zst" | od -An -tx1 | tr -d ' ')" "28b52ffd"
expect "no compression unless enabled" "$(curl -s -H 'Accept-Encoding: gzip' "$url/" --data-binary "SELECT 7")" "7"
printf 'INSERT INTO t FORMAT CSV\n20,"gz",1\n' | gzip -c > "$dir/body.gz"
curl -s -H 'Content-Encoding: gzip' "$url/" --data-binary @"$dir/body.gz" > /dev/null
expect "gzip request" "$(q "SELECT s FROM t WHERE id = 20")" "gz"
expect "bad gzip request" "$(status_and_code 'not gzip' -H 'Content-Encoding: gzip')" "500 271"
expect "unknown encoding" "$(status_and_code 'SELECT 1' -H 'Content-Encoding: br')" "400 36"
# Errors: status, code header, ClickHouse text.
expect "unknown table" "$(status_and_code 'SELECT * FROM nope')" "404 60"
grep -q '^Code: 60. DB::Exception: .*(UNKNOWN_TABLE)' "$dir/body" || fail "error text: $(cat "$dir/body")"
expect "syntax error" "$(status_and_code 'SELEC 1')" "400 62"
expect "empty query" "$(status_and_code '')" "400 62"
expect "GET is read-only" "$(curl -s -o /dev/null -w '%{http_code}' "$url/?query=CREATE%20TABLE%20g%20(x%20UInt8)%20ENGINE%20%3D%20Memory")" "403"
# Streamed INSERT bodies: rows go into the table piece by piece (8 MiB pieces cut at row ends), so
# a body over max_request_body_bytes (10 MB here) is fine when it can be cut: TSV (also gzip'd),
# CSVWithNames with quoted newlines (the header repeated for every piece), JSONEachRow with nested
# objects; all rows or none are published. One row longer than the limit, or a body that must be
# read whole (VALUES), over the limit: 413.
q "CREATE TABLE big (id UInt64, s String) ENGINE = MergeTree ORDER BY id" > /dev/null
seq 1 1500000 | awk '{print $1 "\tpayload-" $1}' > "$dir/big.tsv"
expect "streamed TSV over the body limit" "$(curl -s -o /dev/null -w '%{http_code}' "$url/?query=INSERT%20INTO%20big%20FORMAT%20TSV" --data-binary @"$dir/big.tsv")" "200"
expect "streamed TSV rows" "$(q 'SELECT count(), sum(id), uniqExact(s) FROM big')" "$(printf '1500000\t1125000750000\t1500000')"
gzip -c "$dir/big.tsv" > "$dir/big.tsv.gz"
expect "streamed gzip TSV" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Encoding: gzip' "$url/?query=INSERT%20INTO%20big%20FORMAT%20TSV" --data-binary @"$dir/big.tsv.gz")" "200"
expect "streamed gzip rows" "$(q 'SELECT count() FROM big')" "3000000"
{ printf '"s","id"\n'; seq 1 400000 | awk '{print "\"line " $1 "\nnext \"\"q\"\"\"," $1}'; } > "$dir/big.csv"
q "TRUNCATE TABLE big" > /dev/null
expect "streamed CSVWithNames" "$(curl -s -o /dev/null -w '%{http_code}' "$url/?query=INSERT%20INTO%20big%20FORMAT%20CSVWithNames" --data-binary @"$dir/big.csv")" "200"
expect "CSV pieces with header and quoted newlines" "$(q "SELECT count(), sum(id), countIf(s = concat('line ', toString(id), '\nnext \"q\"')) FROM big")" "$(printf '400000\t80000200000\t400000')"
seq 1 300000 | awk '{print "{\"id\":" $1 ",\"s\":\"{\\\"k\\\": [" $1 "]}\"}"}' > "$dir/big.ndjson"
q "TRUNCATE TABLE big" > /dev/null
expect "streamed JSONEachRow" "$(curl -s -o /dev/null -w '%{http_code}' "$url/?query=INSERT%20INTO%20big%20FORMAT%20JSONEachRow" --data-binary @"$dir/big.ndjson")" "200"
expect "JSONEachRow rows" "$(q "SELECT count(), sum(id), countIf(JSONExtractInt(s, 'k', 1) = id) FROM big")" "$(printf '300000\t45000150000\t300000')"
# A bad row near the end of a multi-piece body: an error, and none of the earlier pieces' rows.
{ cat "$dir/big.tsv"; printf 'not-a-number\tx\n'; } > "$dir/bad.tsv"
expect "streamed insert error" "$(URLPARAMS='query=INSERT%20INTO%20big%20FORMAT%20TSV' status_and_code @"$dir/bad.tsv")" "400 27"
grep -q '(at row 1500001)' "$dir/body" || fail "streamed insert error names the row within the body: $(cat "$dir/body")"
expect "nothing published" "$(q 'SELECT count() FROM big')" "300000"
expect "no temporary parts left behind" "$(find "$dir" -type d -name 'tmp_insert_*' | wc -l)" "0"
expect "row over the body limit" "$(head -c 12000000 /dev/zero | tr '\0' 'a' | curl -s -o /dev/null -w '%{http_code}' "$url/?query=INSERT%20INTO%20t%20FORMAT%20TSV" --data-binary @-)" "413"
expect "whole body over the limit" "$({ printf 'INSERT INTO t VALUES '; head -c 12000000 /dev/zero | tr '\0' ' '; } | curl -s -o /dev/null -w '%{http_code}' "$url/" --data-binary @-)" "413"
expect "unknown path" "$(curl -s -o /dev/null -w '%{http_code}' "$url/nope")" "404"
grep -q 'basalt' <(curl -s "$url/play") || fail "/play"
# Credentials: headers, basic auth, URL parameters; wrong ones refused with 516.
expect "wrong password" "$(status_and_code 'SELECT 1' -H 'X-ClickHouse-User: alice' -H 'X-ClickHouse-Key: wrong')" "401 516"
expect "unknown user" "$(status_and_code 'SELECT 1' -u 'mallory:x')" "401 516"
expect "header auth" "$(q 'SELECT currentUser()' -H 'X-ClickHouse-User: alice' -H 'X-ClickHouse-Key: secret' 2>/dev/null)" "alice"
expect "basic auth" "$(curl -s -u alice:secret "$url/" --data-binary 'SELECT 5')" "5"
expect "url auth" "$(curl -s "$url/?user=alice&password=secret" --data-binary 'SELECT 6')" "6"
expect "readonly user reads" "$(curl -s -u viewer:view "$url/" --data-binary 'SELECT count() > 0 FROM t')" "1"
expect "readonly user writes" "$(status_and_code 'INSERT INTO t VALUES (99, 1, 1)' -u viewer:view)" "403 164"
expect "readonly cannot unset" "$(URLPARAMS='readonly=0' status_and_code 'SELECT 1' -u viewer:view)" "403 164"
# SQL users: CREATE USER / GRANT / ROW POLICY by the administrator, then the user's requests.
q "CREATE USER bob IDENTIFIED BY 'bobpw'" > /dev/null
q "GRANT SELECT ON default.t TO bob" > /dev/null
expect "sql user reads" "$(curl -s -u bob:bobpw "$url/" --data-binary 'SELECT count() > 0 FROM t')" "1"
expect "sql user missing grant" "$(status_and_code 'INSERT INTO t VALUES (98, 1, 1)' -u bob:bobpw)" "403 497"
expect "sql user wrong password" "$(status_and_code 'SELECT 1' -u bob:nope)" "401 516"
q "CREATE ROW POLICY p1 ON default.t USING id < 3 TO bob" > /dev/null
expect "row policy" "$(curl -s -u bob:bobpw "$url/" --data-binary 'SELECT groupArray(id) FROM (SELECT id FROM t ORDER BY id)')" "[1,2]"
# Column-level grant: only the granted column is readable.
q "CREATE TABLE cg (a UInt8, b UInt8) ENGINE = Memory" > /dev/null
q "INSERT INTO cg VALUES (1, 2)" > /dev/null
q "CREATE USER cat IDENTIFIED BY 'catpw'" > /dev/null
q "GRANT SELECT(a) ON default.cg TO cat" > /dev/null
expect "column grant reads its column" "$(curl -s -u cat:catpw "$url/" --data-binary 'SELECT a FROM cg')" "1"
expect "column grant refuses others" "$(status_and_code 'SELECT * FROM cg' -u cat:catpw)" "403 497"
expect "no password in query_log" "$(q "SELECT count() FROM system.query_log WHERE query LIKE '%bobpw%'")" "0"
grep -q 'secret' "$dir/server.log" && fail "a password reached the log"
grep -q 'bobpw' "$dir/server.log" && fail "a SQL user's password reached the log"
# Hostile HTTP: an oversized header, a slow client holding a connection, a malformed request line,
# invalid UTF-8 in the query — each refused or answered, and the server keeps serving.
big=$(head -c 20000 /dev/zero | tr '\0' 'x')
expect "oversized header" "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$url/" --data-binary 'SELECT 1')" "400"
exec 7<>/dev/tcp/127.0.0.1/$http_port; printf 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nSELE' >&7
expect "served beside a slow client" "$(q 'SELECT 8')" "8"
exec 7>&-
expect "malformed request" "$(printf 'GARBAGE\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$http_port; cat >&3; head -c 12 <&3 | cut -c10-12")" "400"
expect "invalid UTF-8" "$(printf "SELECT length('\xff\xfe')" | curl -s "$url/" --data-binary @-)" "2"
# The native port answers an HTTP client with a hint.
grep -q "is for clickhouse-client program" <(curl -s --http0.9 "http://127.0.0.1:$tcp_port/" 2>/dev/null) || fail "native port hint"
# SIGTERM: exit 0; acknowledged rows are there after a restart.
before=$(q "SELECT count() FROM t")
stop_server
start_server
expect "rows after restart" "$(q "SELECT count() FROM t")" "$before"
expect "sql user after restart" "$(curl -s -u bob:bobpw "$url/" --data-binary 'SELECT groupArray(id) FROM (SELECT id FROM t ORDER BY id)')" "[1,2]"
stop_server
echo "OK"
