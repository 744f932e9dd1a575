#!/usr/bin/env bash
# Installs every build/test dependency of basalt from Debian packages (idempotent).
# Extra package names given as arguments are installed too (scripts/install-fuzz-deps.sh uses this).
set -euo pipefail
PKGS="build-essential cmake ninja-build ccache pkg-config git libgtest-dev libgmock-dev libbenchmark-dev
  liblz4-dev libzstd-dev libxxhash-dev libre2-dev libcctz-dev tzdata libsimdjson-dev libfmt-dev
  libcli11-dev libssl-dev libjemalloc-dev libpoco-dev libyaml-cpp-dev libreadline-dev zookeeper libzookeeper-mt-dev python3-clickhouse-driver python3-lz4 python3-zstd curl tmux nodejs bc $*"
missing=""
for p in $PKGS; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"; done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
