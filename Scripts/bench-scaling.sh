#!/usr/bin/env bash
# Measures how `dialready classify` scales with --threads on one generated lead list, and what a run
# costs in CPU and memory: medians of interleaved runs per thread count, the speedup over one
# thread, and peak RSS; prints a markdown table.
#
#   Scripts/bench-scaling.sh [--rows N] [--runs N] [--threads "1 2 4"]
#
# The input is made once by Scripts/gen-phonelist.py (seed 42) under .build-tools/bench/ and reused.
# The binary comes from $DIALREADY (default .build/release/dialready: `swift build -c release`).
# Thread counts default to 1 and every power of two up to the cores (and the core count itself).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rows=1000000
runs=5
threads_list=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="${2:?--rows N}"; shift 2 ;;
    --runs) runs="${2:?--runs N}"; shift 2 ;;
    --threads) threads_list="${2:?--threads LIST}"; shift 2 ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bench-scaling: unknown argument '$1'" >&2; exit 64 ;;
  esac
done
dialready="${DIALREADY:-.build/release/dialready}"
source Scripts/lib/bench-common.sh
require_dialready bench-scaling "$dialready" 0
ensure_time bench-scaling

cores="$(nproc)"
if [[ -z "$threads_list" ]]; then
  threads_list="1"
  for ((t = 2; t < cores; t *= 2)); do threads_list+=" $t"; done
  [[ "$cores" -gt 1 ]] && threads_list+=" $cores"
fi

bench_dir=".build-tools/bench"
mkdir -p "$bench_dir"
input="$bench_dir/leads-$(rows_label "$rows").csv"
if [[ ! -s "$input" ]]; then
  echo "bench-scaling: generating $input ($rows rows, seed 42)"
  python3 Scripts/gen-phonelist.py --rows "$rows" --seed 42 --out "$input.partial"
  mv "$input.partial" "$input"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
# Interleaved: run r of every thread count before run r + 1 of any, so drift hits them alike.
for ((run = 1; run <= runs; run++)); do
  for threads in $threads_list; do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
      "$dialready" classify "$input" --out "$work/out" --threads "$threads" --quiet --progress never
    read -r wall user sys rss < "$work/time"
    printf '%s\t%s\t%s\t%s\n' "$threads" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "$rss" >> "$results"
    echo "bench-scaling: run $run/$runs, $threads threads: ${wall}s"
  done
done

echo
echo "$(machine_line); \`$dialready classify\` on $input ($rows rows), medians of $runs interleaved runs:"
echo
echo "| threads | median wall s | median CPU s (user + sys) | peak RSS MiB | rows/s | speedup vs 1 thread |"
echo "|---:|---:|---:|---:|---:|---:|"
python3 - "$results" "$rows" <<'PY'
import statistics, sys
rows = int(sys.argv[2])
by = {}
for line in open(sys.argv[1]):
    t, wall, cpu, rss = line.split()
    by.setdefault(int(t), []).append((float(wall), float(cpu), int(rss)))
base = statistics.median(w for w, _, _ in by[min(by)])
for t in sorted(by):
    wall = statistics.median(w for w, _, _ in by[t])
    cpu = statistics.median(c for _, c, _ in by[t])
    rss = max(r for _, _, r in by[t]) / 1024
    print(f"| {t} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {rows / wall:,.0f} | {base / wall:.2f} |")
PY
