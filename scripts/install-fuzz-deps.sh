#!/usr/bin/env bash
# Installs what `make fuzz` needs on top of the build dependencies: clang (Debian's default, 14 on
# bookworm) and its compiler-rt (libFuzzer + ASan/UBSan runtimes for clang). Idempotent.
set -euo pipefail
bash "$(dirname "$0")/install-deps.sh" clang libclang-rt-14-dev
