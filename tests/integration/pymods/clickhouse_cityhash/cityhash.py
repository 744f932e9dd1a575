# Stand-in for the clickhouse-cityhash pip package (not packaged by Debian), which
# python3-clickhouse-driver needs for compressed connections: CityHash128 v1.0.2 in pure Python.
from .city102 import CityHash128 as _city128


def CityHash128(data):
    lo, hi = _city128(bytes(data))
    return (lo << 64) | hi
