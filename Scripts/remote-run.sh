#!/usr/bin/env bash
# Runs on a second machine from a bundle made by Scripts/remote-bundle.sh: measures how classify
# scales with threads (1 to 16) on a generated 10M-row list (ROWS=N for another size), then fuzzes
# every target in parallel.
#
#   Scripts/remote-run.sh OUT_DIR FUZZ_SECONDS      (SKIP_SCALING=1 to only fuzz)
#
# Writes OUT_DIR/scaling.tsv (threads, run, seconds), OUT_DIR/machine.txt and OUT_DIR/fuzz.tar.xz
# (per-target logs with libFuzzer's final stats, new corpus inputs, crash artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?OUT_DIR}"; seconds="${2:?FUZZ_SECONDS}"
work=/tmp/dialready-remote
rm -rf "$work" && mkdir -p "$work" "$out"
tar -C "$work" -xJf .build-device/bundle.tar.xz
export LD_LIBRARY_PATH="$work/lib"
{ nproc; grep -m1 'model name' /proc/cpuinfo; grep MemTotal /proc/meminfo; } > "$out/machine.txt"

if [[ -z "${SKIP_SCALING:-}" ]] && command -v python3 > /dev/null; then
  python3 Scripts/gen-phonelist.py --rows "${ROWS:-10000000}" --seed 42 --out "$work/leads.csv"
  printf 'threads\trun\tseconds\n' > "$out/scaling.tsv"
  for threads in 1 2 4 8 16; do
    for run in 1 2 3; do
      rm -rf "$work/out"
      start=$(date +%s.%N)
      "$work/bin/dialready" classify "$work/leads.csv" --out "$work/out" --threads "$threads" --quiet > /dev/null
      end=$(date +%s.%N)
      printf '%s\t%s\t%s\n' "$threads" "$run" "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')" >> "$out/scaling.tsv"
    done
  done
fi

# Then every target fuzzes in parallel, one process each, plus a second process for the four
# slowest readers (sharing the corpus folder), so all 16 cores are busy.
targets=(number csv xlsx xls json ndjson dnc-list dnc-index lookup history model state-rules)
mkdir -p "$work/fuzz"
n=0
for t in "${targets[@]}" csv xlsx xls history; do
  n=$((n + 1))
  mkdir -p "$work/fuzz/corpus/$t" "$work/fuzz/artifacts/$t" "$work/fuzz/scratch-$n"
  dict=(); [[ -f "$work/Dictionaries/$t.dict" ]] && dict=("-dict=$work/Dictionaries/$t.dict")
  DIALREADY_FUZZ_TARGET="$t" DIALREADY_FUZZ_SCRATCH="$work/fuzz/scratch-$n" \
    ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    "$work/bin/fuzz-all" "$work/fuzz/corpus/$t" "$work/seeds/$t" "${dict[@]}" -max_total_time="$seconds" \
    -max_len=65536 -timeout=1 -malloc_limit_mb=512 -rss_limit_mb=2560 \
    -artifact_prefix="$work/fuzz/artifacts/$t/" -print_final_stats=1 > "$work/fuzz/$t-$n.log" 2>&1 &
done

wait || true
tar -C "$work/fuzz" -cJf "$out/fuzz.tar.xz" --exclude='scratch-*' .
