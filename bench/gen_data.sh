# bench/gen_data.sh — sourced by the bench scripts: gen_data builds a seeded generator
# (bench/gen_NAME.cpp) under the project's build lock and generates
# bench/data/NAME[_TABLE]_ROWS_seedSEED.tsv once, printing its path; joins_tsvs does that for every
# table of the joins suite. Expects $here (bench/) and $data (bench/data).
gen_data() {   # gen_data NAME ROWS SEED [TABLE] — TABLE for generators of several tables (gen_joins)
  local gen="$data/gen_$1" out="$data/$1${4:+_$4}_$2_seed$3.tsv" s
  if [ ! -x "$gen" ] || [ "$here/gen_$1.cpp" -nt "$gen" ] || [ "$here/gen_common.h" -nt "$gen" ]; then
    # The machine is shared: every compile holds the project's build lock.
    flock /tmp/basalt-build.lock c++ -O2 -std=c++20 -o "$gen" "$here/gen_$1.cpp" >&2
  fi
  if [ ! -s "$out" ]; then
    s=$(date +%s.%N)
    "$gen" "$2" "$out.tmp" "$3" ${4:+"$4"} && mv "$out.tmp" "$out"
    echo "[bench] generated $1${4:+ $4} (scale $2) in $(echo "$(date +%s.%N) - $s" | bc) s: $out" >&2
  fi
  echo "$out"
}
# joins_tsvs SCALE SEED — the joins suite's tables (bench/gen_joins.cpp: `sales` and `pit_events`
# have SCALE rows, `pit_features` SCALE/10, the dimensions fixed sizes); prints table=path,... for
# bench.js's JOINS_TSVS.
joins_tsvs() {
  local t list=""
  for t in sales stores products customers pit_events pit_features; do
    list="$list${list:+,}$t=$(gen_data joins "$1" "$2" "$t")" || return 1
  done
  echo "$list"
}
