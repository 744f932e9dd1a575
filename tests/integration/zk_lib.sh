# zk_lib.sh — a real ZooKeeper (Debian's `zookeeper` package) for integration tests: source it after
# server_lib.sh with $zk_dir set (its data and log go there). Defines zk_port, start_zk (waits for
# `ruok` → `imok`), stop_zk, zk_ok; zk_pid is the server's pid while it runs. Tests that need it
# skip (exit 0) only when the package is missing: `zk_require`.
zk_server=/usr/share/zookeeper/bin/zkServer.sh
zk_pid=""
zk_require() {
  if [ ! -x "$zk_server" ]; then
    echo "SKIP: $zk_server not found (install the Debian package zookeeper: scripts/install-deps.sh)"
    exit 0
  fi
}
zk_port=$(free_port)
mkdir -p "$zk_dir/zk-data"
printf 'tickTime=500\ndataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=ruok\n' \
  "$zk_dir/zk-data" "$zk_port" > "$zk_dir/zoo.cfg"
zk_ok() {
  local reply
  reply=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$zk_port && printf ruok >&3 && cat <&3" 2>/dev/null)
  [ "$reply" = imok ]
}
start_zk() {
  ZOO_LOG_DIR="$zk_dir" SERVER_JVMFLAGS="-Xmx256m" "$zk_server" start-foreground "$zk_dir/zoo.cfg" >> "$zk_dir/zk.log" 2>&1 &
  zk_pid=$!
  for _ in $(seq 1 120); do
    zk_ok && return 0
    kill -0 "$zk_pid" 2>/dev/null || { tail -20 "$zk_dir/zk.log"; fail "ZooKeeper exited"; }
    sleep 0.25
  done
  tail -20 "$zk_dir/zk.log"
  fail "ZooKeeper did not answer ruok on port $zk_port"
}
stop_zk() { kill -TERM "$zk_pid" 2>/dev/null; wait "$zk_pid" 2>/dev/null; zk_pid=""; }
