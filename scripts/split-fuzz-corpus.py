#!/usr/bin/env python3
"""Seed corpus for fuzz_sql: every statement of tests/queries/*.sql in its own file.
Usage: split-fuzz-corpus.py QUERIES_DIR OUT_DIR. Statements are split on ';' at the end of a line
(which is how the golden files are written); expected-error hints are kept, they are comments."""
import hashlib, pathlib, sys

src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
n = 0
for f in sorted(src.glob("*.sql")):
    stmt = []
    for line in f.read_text(errors="replace").splitlines():
        if line.lstrip().startswith("--") and not stmt:
            continue
        stmt.append(line)
        if line.rstrip().endswith(";"):
            text = "\n".join(stmt).strip()
            stmt = []
            if text and len(text) <= 2048:
                (out / hashlib.sha1(text.encode()).hexdigest()).write_text(text + "\n")
                n += 1
print(f"{n} seed statements in {out}")
