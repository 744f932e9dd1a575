# bench/events_tsv.sh — sourced by the bench scripts: defines gen_data (builds a seeded generator,
# bench/gen_NAME.cpp, under the project's build lock, and generates bench/data/NAME_ROWS_seedSEED.tsv
# once; prints its path), then sets $tsv to the events data. Expects $here (bench/), $data
# (bench/data), $rows and $seed.
gen_data() {   # gen_data NAME ROWS SEED
  local gen="$data/gen_$1" out="$data/$1_$2_seed$3.tsv" s
  if [ ! -x "$gen" ] || [ "$here/gen_$1.cpp" -nt "$gen" ] || [ "$here/gen_common.h" -nt "$gen" ]; then
    # The machine is shared: every compile holds the project's build lock.
    flock /tmp/basalt-build.lock c++ -O2 -std=c++20 -o "$gen" "$here/gen_$1.cpp" >&2
  fi
  if [ ! -s "$out" ]; then
    s=$(date +%s.%N)
    "$gen" "$2" "$out.tmp" "$3" && mv "$out.tmp" "$out"
    echo "[bench] generated $2 $1 rows in $(echo "$(date +%s.%N) - $s" | bc) s: $out" >&2
  fi
  echo "$out"
}
tsv="$(gen_data events "$rows" "$seed")"
