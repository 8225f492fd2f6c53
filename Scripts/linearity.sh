#!/usr/bin/env bash
# Checks that reading time grows linearly with input size: `dialready convert` on generated inputs of
# N and 4N rows in each format (CSV from Scripts/gen-phonelist.py, NDJSON and JSON made from it), the
# median of 3 runs each, and the ratio of seconds per row between the two sizes.
#
#   Scripts/linearity.sh [--rows 250000] [--runs 3] [--max-ratio 1.5]
#
# Exit 0 when every format's per-row time at 4N is within --max-ratio of its per-row time at N.
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }
rows=250000; runs=3; max_ratio=1.5
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --max-ratio) max_ratio="$2"; shift 2 ;;
    *) usage >&2; exit 64 ;;
  esac
done
source Scripts/lib/bench-common.sh
binary="${DIALREADY:-.build/release/dialready}"
require_dialready linearity.sh "$binary"
dir=.build-tools/linearity
mkdir -p "$dir"
for n in "$rows" "$((rows * 4))"; do
  [[ -f "$dir/leads-$n.csv" ]] || python3 Scripts/gen-phonelist.py --rows "$n" --seed 42 --out "$dir/leads-$n.csv"
  [[ -f "$dir/leads-$n.ndjson" ]] || python3 - "$dir/leads-$n.csv" <<'PY'
import csv, json, sys
src = sys.argv[1]
with open(src, newline="", encoding="utf-8-sig") as f, open(src[:-4] + ".ndjson", "w") as nd:
    rows = list(csv.DictReader(f))
    for r in rows:
        nd.write(json.dumps(r) + "\n")
with open(src[:-4] + ".json", "w") as js:
    json.dump({"contacts": rows, "phone_column": "phone"}, js)
PY
done
echo "linearity: $(machine_line); medians of $runs runs of dialready convert"
printf '%-7s %10s %10s %10s %10s %7s\n' format "N s" "4N s" "N ns/row" "4N ns/row" ratio
failed=0
for format in csv ndjson json; do
  declare -A median=()
  for n in "$rows" "$((rows * 4))"; do
    times=()
    for _ in $(seq "$runs"); do
      start=$(date +%s.%N)
      "$binary" convert "$dir/leads-$n.$format" -o "$dir/out.csv" > /dev/null
      times+=("$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')")
    done
    median[$n]="$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
  done
  small="${median[$rows]}"; large="${median[$((rows * 4))]}"
  line="$(awk -v s="$small" -v l="$large" -v n="$rows" -v m="$max_ratio" 'BEGIN {
    a = s / n * 1e9; b = l / (4 * n) * 1e9; r = b / a
    printf "%10.3f %10.3f %10.1f %10.1f %7.2f %s", s, l, a, b, r, (r <= m ? "ok" : "NOT LINEAR") }')"
  printf '%-7s %s\n' "$format" "$line"
  [[ "$line" == *"NOT LINEAR"* ]] && failed=1
  unset median
done
rm -f "$dir/out.csv"
exit $failed
