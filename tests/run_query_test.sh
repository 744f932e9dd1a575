#!/usr/bin/env bash
# Runs one golden SQL test: tests/queries/NNNNN_name.sql through `basalt local --testmode` and
# compares stdout with NNNNN_name.reference. Usage: run_query_test.sh BASALT_BINARY FILE.sql
set -uo pipefail
bin="$1"; sql="$2"; ref="${sql%.sql}.reference"
out=$(mktemp); trap 'rm -f "$out"' EXIT
if ! "$bin" local --testmode --queries-file "$sql" > "$out"; then
  echo "basalt failed on $sql"; exit 1
fi
if ! diff -u "$ref" "$out"; then
  echo "result differs from $ref"; exit 1
fi
