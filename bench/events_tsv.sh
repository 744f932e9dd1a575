# bench/events_tsv.sh — sourced by the bench scripts: defines gen_data (bench/gen_data.sh), then
# sets $tsv to the events data (generated once). Expects $here (bench/), $data (bench/data), $rows
# and $seed.
. "$here/gen_data.sh"
tsv="$(gen_data events "$rows" "$seed")"
