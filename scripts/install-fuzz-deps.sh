#!/usr/bin/env bash
# Installs what `make fuzz` needs on top of scripts/install-deps.sh: clang (Debian's default, 14 on
# bookworm) and its compiler-rt (libFuzzer + ASan/UBSan runtimes for clang). Idempotent.
set -euo pipefail
bash "$(dirname "$0")/install-deps.sh"
PKGS="clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"; done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
