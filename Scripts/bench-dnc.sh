#!/usr/bin/env bash
# Benchmarks the do-not-call index: building it from a generated 50-million-number FTC-style list,
# opening it and checking one number (process start included), and `dialready classify` on the
# generated 1M-row lead list with and without the index (median of --runs, default 5).
#
#   Scripts/bench-dnc.sh [--numbers N] [--runs N] [--peer BIN]
#
# --peer BIN runs a second dialready binary (an earlier build, say) in the same interleaved rounds
# and prints its slowdown too, so two builds are compared on the same machine state.
#
# Inputs are made once under .build-tools/bench/ (Scripts/gen-dnc-list.py seed 7,
# Scripts/gen-phonelist.py seed 42). The binary comes from $DIALREADY (default .build/release/dialready).
set -euo pipefail
cd "$(dirname "$0")/.."

numbers=50000000
runs=5
peer=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --numbers) numbers="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --peer) peer="$2"; shift 2 ;;
    *) echo "bench-dnc: unknown option $1" >&2; exit 64 ;;
  esac
done
bin="${DIALREADY:-.build/release/dialready}"
source Scripts/lib/bench-common.sh
require_dialready bench-dnc "$bin"
ensure_time bench-dnc
dir=.build-tools/bench
mkdir -p "$dir"
list="$dir/dnc-$numbers.txt"
leads="$dir/leads-1m.csv"
[[ -f "$list" ]] || python3 Scripts/gen-dnc-list.py --numbers "$numbers" --seed 7 --out "$list"
[[ -f "$leads" ]] || python3 Scripts/gen-phonelist.py --rows 1000000 --seed 42 --out "$leads"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
timed() { /usr/bin/time -f "%e %M %U %S" "$@" 2>&1 >/dev/null | tail -1; }

echo "bench-dnc: building the index from $(wc -l < "$list") lines ($(du -h "$list" | cut -f1))"
build=$(timed "$bin" dnc build "$list" --out "$dir/dnc.idx")
echo "bench-dnc: check one number (open + lookup, process start included)"
checks=(); for _ in $(seq "$runs"); do checks+=("$(timed "$bin" dnc check 2125551234 --dnc "$dir/dnc.idx" | cut -d' ' -f1)"); done
without=(); with=(); peer_without=(); peer_with=()
for _ in $(seq "$runs"); do
  without+=("$(timed "$bin" classify "$leads" --out "$dir/out-dnc-without" --force --quiet)")
  with+=("$(timed "$bin" classify "$leads" --out "$dir/out-dnc-with" --force --quiet --dnc "$dir/dnc.idx")")
  if [[ -n "$peer" ]]; then
    peer_without+=("$(timed "$peer" classify "$leads" --out "$dir/out-dnc-without" --force --quiet)")
    peer_with+=("$(timed "$peer" classify "$leads" --out "$dir/out-dnc-with" --force --quiet --dnc "$dir/dnc.idx")")
  fi
done
w0=$(printf '%s\n' "${without[@]}" | cut -d' ' -f1 | median)
w1=$(printf '%s\n' "${with[@]}" | cut -d' ' -f1 | median)
m0=$(printf '%s\n' "${without[@]}" | cut -d' ' -f2 | median)
m1=$(printf '%s\n' "${with[@]}" | cut -d' ' -f2 | median)
cpu() { awk '{printf "%.2f\n", $3 + $4}' | median; }
c0=$(printf '%s\n' "${without[@]}" | cpu)
c1=$(printf '%s\n' "${with[@]}" | cpu)
echo
echo "machine: $(machine_line)"
echo "| step | median wall s | median CPU s (user + sys) | peak RSS MiB |"
echo "|---|---:|---:|---:|"
echo "| dnc build ($numbers numbers) | $(echo "$build" | cut -d' ' -f1) | $(echo "$build" | awk '{printf "%.2f", $3 + $4}') | $(( $(echo "$build" | cut -d' ' -f2) / 1024 )) |"
echo "| dnc check (start, open, one lookup) | $(printf '%s\n' "${checks[@]}" | median) | - | - |"
echo "| classify 1M rows, no DNC | $w0 | $c0 | $(( ${m0%.*} / 1024 )) |"
echo "| classify 1M rows, --dnc index | $w1 | $c1 | $(( ${m1%.*} / 1024 )) |"
awk -v a="$w0" -v b="$w1" -v c="$c0" -v d="$c1" \
  'BEGIN { printf "slowdown with the index: %.1f%% wall, %.1f%% CPU\n", (b / a - 1) * 100, (d / c - 1) * 100 }'
if [[ -n "$peer" ]]; then
  p0=$(printf '%s\n' "${peer_without[@]}" | cut -d' ' -f1 | median)
  p1=$(printf '%s\n' "${peer_with[@]}" | cut -d' ' -f1 | median)
  q0=$(printf '%s\n' "${peer_without[@]}" | cpu)
  q1=$(printf '%s\n' "${peer_with[@]}" | cpu)
  awk -v a="$p0" -v b="$p1" -v c="$q0" -v d="$q1" -v bin="$peer" \
    'BEGIN { printf "peer %s: %.2f s -> %.2f s wall (%.1f%%), %.2f s -> %.2f s CPU (%.1f%%)\n", bin, a, b, (b / a - 1) * 100, c, d, (d / c - 1) * 100 }'
fi
grep -o '"Do Not Call" : [0-9]*' "$dir/out-dnc-with/manifest.json" || true
