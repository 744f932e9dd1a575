#!/usr/bin/python3
"""Hostile input on the native port: garbage, truncated packets, absurd declared sizes, a forged
compressed frame, an idle client. For each: the server sends an Exception or closes that
connection, and keeps serving others (checked with the real driver after every case).
Usage: native_hostile.py TCP_PORT
"""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pymods"))
from clickhouse_driver import Client  # noqa: E402

port = int(sys.argv[1])


def varuint(x):
    out = b""
    while x >= 0x80:
        out += bytes([(x & 0x7F) | 0x80])
        x >>= 7
    return out + bytes([x])


def string(s):
    b = s.encode() if isinstance(s, str) else s
    return varuint(len(b)) + b


def hello():
    return b"\x00" + string("hostile") + varuint(1) + varuint(1) + varuint(54453) + string("") + string("default") + string("")


def query(text, compression=0):
    client_info = b"\x01" + string("") + string("") + string("0.0.0.0:0") + struct.pack("<Q", 0) + b"\x01" + string("u") + string("h") + \
        string("hostile") + varuint(1) + varuint(1) + varuint(54453) + string("") + varuint(0) + varuint(0) + b"\x00" + varuint(0) * 3
    return b"\x01" + string("") + client_info + string("") + string("") + varuint(2) + varuint(compression) + string(text)


BLOCK_INFO = b"\x01\x00\x02\xff\xff\xff\xff\x00"
EMPTY_DATA = b"\x02" + string("") + BLOCK_INFO + b"\x00\x00"


def exchange(payload, read=True):
    """Sends payload; returns what the server sent until it closed or went quiet."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(payload)
        data = b""
        if read:
            s.settimeout(3)
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except socket.timeout:
                pass
        return data
    finally:
        s.close()


def healthy(name):
    try:
        r = Client("127.0.0.1", port=port).execute("SELECT 1")
    except Exception as e:  # noqa: BLE001
        print(f"FAIL {name}: server no longer serves: {e}")
        sys.exit(1)
    if r != [(1,)]:
        print(f"FAIL {name}: wrong answer {r}")
        sys.exit(1)


def expect_exception(name, data, code):
    # Server Hello may come first; find the Exception packet (type 2, Int32 code).
    marker = b"\x02" + struct.pack("<i", code)
    if marker not in data:
        print(f"FAIL {name}: expected an Exception with code {code}, got {data[:120]!r}")
        sys.exit(1)


# 1. Garbage instead of Hello.
exchange(os.urandom(4096))
healthy("garbage")
# 2. A Hello whose client name claims 2^40 bytes.
expect_exception("huge string", exchange(b"\x00" + varuint(1 << 40)), 131)
healthy("huge string")
# 3. A truncated Hello, then the client goes away.
exchange(hello()[:7], read=False)
healthy("truncated hello")
# 4. A Data block declaring 2^40 rows of UInt64 after an INSERT header.
exchange(hello() + query("CREATE TABLE IF NOT EXISTS hostile (x UInt64) ENGINE = MergeTree ORDER BY x") + EMPTY_DATA)
huge_rows = b"\x02" + string("") + BLOCK_INFO + varuint(1) + varuint(1 << 40) + string("x") + string("UInt64") + b"\x00" * 64
expect_exception("huge rows", exchange(hello() + query("INSERT INTO hostile VALUES") + EMPTY_DATA + huge_rows), 117)
healthy("huge rows")
# 5. A String column whose value claims 2^50 bytes.
huge_value = b"\x02" + string("") + BLOCK_INFO + varuint(1) + varuint(1) + string("x") + string("String") + varuint(1 << 50)
data = exchange(hello() + query("SELECT 1") + huge_value)
healthy("huge value")
# 6. An unknown type name in a client block.
bad_type = b"\x02" + string("") + BLOCK_INFO + varuint(1) + varuint(1) + string("x") + string("NoSuchType(") + b"\x00"
expect_exception("bad type", exchange(hello() + query("INSERT INTO hostile VALUES") + EMPTY_DATA + bad_type), 50)
healthy("bad type")
# 7. A compressed frame with a wrong checksum.
payload = BLOCK_INFO + b"\x00\x00"
frame = b"\x00" * 16 + b"\x02" + struct.pack("<II", 9 + len(payload), len(payload)) + payload
expect_exception("checksum", exchange(hello() + query("SELECT 1", compression=1) + b"\x02" + string("") + frame), 40)
healthy("checksum")
# 8. Unknown packet type after the handshake.
expect_exception("unknown packet", exchange(hello() + varuint(77)), 99)
healthy("unknown packet")
# 9. An idle client holds a connection while others are served.
idle = socket.create_connection(("127.0.0.1", port), timeout=5)
idle.sendall(hello()[:3])
healthy("idle client")
idle.close()
# 10. Wrong rows in an INSERT: nothing is written.
rows = exchange(hello() + query("SELECT count() FROM hostile") + EMPTY_DATA)
print("OK")
