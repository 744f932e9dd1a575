# bench/events_tsv.sh — sourced by the bench scripts: builds the seeded events generator
# (bench/gen_events.cpp, under the project's build lock) and generates bench/data/events_ROWS_seedSEED.tsv
# once. Sets $tsv. Expects $here (bench/), $data (bench/data), $rows and $seed.
gen="$data/gen_events"
if [ ! -x "$gen" ] || [ "$here/gen_events.cpp" -nt "$gen" ]; then
  # The machine is shared: every compile holds the project's build lock.
  flock /tmp/basalt-build.lock c++ -O2 -std=c++20 -o "$gen" "$here/gen_events.cpp"
fi
tsv="$data/events_${rows}_seed${seed}.tsv"
if [ ! -s "$tsv" ]; then
  s=$(date +%s.%N)
  "$gen" "$rows" "$tsv.tmp" "$seed" && mv "$tsv.tmp" "$tsv"
  echo "[bench] generated $rows rows in $(echo "$(date +%s.%N) - $s" | bc) s: $tsv" >&2
fi
