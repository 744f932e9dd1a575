#!/usr/bin/python3
"""The native protocol of `basalt server` through a real client library: Debian's
python3-clickhouse-driver, uncompressed and with LZ4 / ZSTD block compression (the driver needs the
clickhouse-cityhash package for that, which Debian lacks: tests/integration/pymods provides it).

Scenario (each connection mode): create a table of many column types, insert 100,000 rows in
batches, select them back with client-side parameters, stream a large result block by block,
a server error surfaces as ServerException with the ClickHouse code, and the connection keeps
working after it. Usage: server_native.py TCP_PORT
"""
import datetime
import decimal
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pymods"))
from clickhouse_driver import Client  # noqa: E402
from clickhouse_driver.errors import ServerException  # noqa: E402

port = int(sys.argv[1])


def check(name, got, want):
    if got != want:
        print(f"FAIL {name}: expected {want!r}, got {got!r}")
        sys.exit(1)


def check_error(name, run, code):
    """run() must raise the server's exception with this ClickHouse code."""
    try:
        run()
    except ServerException as e:
        check(name, e.code, code)
        return
    print(f"FAIL {name}: no exception")
    sys.exit(1)


def scenario(compression, table):
    c = Client("127.0.0.1", port=port, compression=compression, settings={"max_block_size": 10000})
    check("select 1", c.execute("SELECT 1"), [(1,)])
    c.execute(f"DROP TABLE IF EXISTS {table}")
    c.execute(f"""CREATE TABLE {table} (
        id UInt64, name String, tag LowCardinality(String), score Nullable(Float64), ts DateTime('UTC'),
        day Date, tags Array(UInt32), price Decimal(10, 2), u UUID, ltag LowCardinality(Nullable(String)),
        attrs Map(String, UInt16), pair Tuple(Int8, String), f FixedString(3), e Enum8('a' = 1, 'b' = 2)
    ) ENGINE = MergeTree ORDER BY id""")
    base = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    total = 0
    for batch in range(10):
        rows = []
        for i in range(batch * 10000, (batch + 1) * 10000):
            rows.append((i, f"name{i}", f"tag{i % 7}", None if i % 5 == 0 else i / 4, base + datetime.timedelta(seconds=i),
                         datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 30), [i % 3, i % 5] if i % 2 else [],
                         decimal.Decimal(i % 1000) / 100, uuid.UUID(int=i), None if i % 3 == 0 else f"l{i % 4}",
                         {"k": i % 100} if i % 4 else {}, (i % 100 - 50, str(i % 9)), b"abc", "a" if i % 2 else "b"))
        total += c.execute(f"INSERT INTO {table} VALUES", rows)
    check("inserted", total, 100000)
    check("count", c.execute(f"SELECT count(), sum(id), countIf(score IS NULL), uniqExact(tag) FROM {table}"), [(100000, 4999950000, 20000, 7)])
    # Values come back with their types.
    row = c.execute(f"SELECT * FROM {table} WHERE id = %(id)s", {"id": 12346})[0]
    check("row", row[:4], (12346, "name12346", "tag5", 12346 / 4))
    check("row ts", row[4].replace(tzinfo=None), datetime.datetime(2024, 1, 1, 3, 25, 46))
    check("row rest", row[5:], (datetime.date(2024, 1, 17), [], decimal.Decimal("3.46"), uuid.UUID(int=12346), "l2", {"k": 46}, (-4, "7"), "abc", "b"))
    check("null lc", c.execute(f"SELECT ltag, score FROM {table} WHERE id = 15"), [(None, None)])
    check("params", c.execute(f"SELECT count() FROM {table} WHERE tag = %(t)s AND name LIKE %(p)s", {"t": "tag3", "p": "name1%"}),
          [(c.execute(f"SELECT count() FROM {table} WHERE tag = 'tag3' AND startsWith(name, 'name1')")[0][0],)])
    # A large result, streamed block by block.
    n = 0
    s = 0
    for row in c.execute_iter(f"SELECT id, name FROM {table} ORDER BY id", settings={"max_block_size": 7000}):
        n += 1
        s += row[0]
    check("streamed rows", (n, s), (100000, 4999950000))
    # External tables: sent with the query, read by it as tables (also through IN), then gone.
    ext = [{"name": "ext", "structure": [("x", "Int32"), ("s", "String")], "data": [{"x": i, "s": f"v{i}"} for i in range(1, 5001)]}]
    check("external table", c.execute("SELECT count(), sum(x), max(s) FROM ext WHERE x > 1", external_tables=ext), [(4999, 12502499, "v999")])
    check("external table in IN", c.execute("SELECT count() FROM numbers(10) WHERE toInt32(number) IN (SELECT x FROM ext)", external_tables=ext), [(9,)])
    check_error("external table is gone", lambda: c.execute("SELECT count() FROM ext"), 60)
    # Progress arrives while a long query runs (several packets, adding up to the rows read).
    progress = c.execute_with_progress("SELECT sum(sleepEachRow(0.05)) FROM numbers(40)", settings={"max_block_size": 1, "max_threads": 1})
    updates = [p for p in progress]
    check("progress packets during the query", len(updates) >= 3, True)
    check("progress adds up", updates[-1][0], 40)
    check("result after progress", progress.get_result(), [(0,)])
    # A scan far larger than max_memory_usage streams through (the server never holds it whole)...
    n = 0
    for block in c.execute_iter("SELECT number, toString(number) FROM numbers(3000000)", settings={"max_memory_usage": 40000000, "max_block_size": 65536},
                                chunk_size=1):
        n += 1
    check("streamed scan under a memory limit", n, 3000000)
    # ... while a result that must be held whole (sorted) hits the limit.
    check_error("whole result over the limit",
                lambda: c.execute("SELECT number, toString(number) FROM numbers(3000000) ORDER BY number DESC", settings={"max_memory_usage": 40000000}), 241)
    # An error after some blocks went out arrives as the driver's exception.
    got = []
    check_error("mid-stream error code", lambda: got.extend(c.execute_iter("SELECT throwIf(number = 150000) FROM numbers(200000)",
                                                                         settings={"max_block_size": 1000, "max_threads": 1})), 395)
    check("rows before the mid-stream error", len(got) > 0, True)
    # Errors carry ClickHouse codes; the client reconnects and goes on.
    for sql, code in (("SELECT * FROM no_such_table", 60), ("SELEC 1", 62), (f"INSERT INTO {table} (nope) VALUES", 16)):
        check_error(f"code of {sql}", lambda: c.execute(sql) if "INSERT" not in sql else c.execute(sql, [(1,)]), code)
    check("after errors", c.execute("SELECT 2"), [(2,)])
    # A wrong-typed value is refused by the driver or the server, and nothing is written.
    try:
        c.execute(f"INSERT INTO {table} (id, name) VALUES", [(1, 2)])
    except Exception:
        pass
    check("no partial insert", c.execute(f"SELECT count() FROM {table}"), [(100000,)])
    # Per-query settings reach the server.
    check("setting", c.execute("SELECT value FROM system.settings WHERE name = 'max_block_size'", settings={"max_block_size": 4321}), [("4321",)])
    # A query's packet settings hold for that query only; SET persists in the session.
    c.execute("SELECT 1", settings={"max_execution_time": 77})
    check("packet setting reverted", c.execute("SELECT value FROM system.settings WHERE name = 'max_execution_time'"), [("0",)])
    c.execute("SET max_threads = 3")
    check("SET persists", c.execute("SELECT value FROM system.settings WHERE name = 'max_threads'"), [("3",)])
    c.disconnect()


def auth():
    check_error("auth code", lambda: Client("127.0.0.1", port=port, user="alice", password="wrong").execute("SELECT 1"), 516)
    check("alice", Client("127.0.0.1", port=port, user="alice", password="secret").execute("SELECT currentUser()"), [("alice",)])
    ro = Client("127.0.0.1", port=port, user="viewer", password="view")
    check_error("readonly code", lambda: ro.execute("CREATE TABLE ro_t (x UInt8) ENGINE = Memory"), 164)


scenario(False, "native_plain")
scenario("lz4", "native_lz4")
scenario("zstd", "native_zstd")
auth()
print("OK")
