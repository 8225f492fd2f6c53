#!/usr/bin/env bash
# Builds and runs DialReady's libFuzzer targets (the package in Tests/Fuzz/).
#
#   Scripts/fuzz.sh TARGET [SECONDS]      run one target (default 60 s)
#   Scripts/fuzz.sh --all SECONDS         run every target in turn, SECONDS each
#   Scripts/fuzz.sh --list                print the target names
#   Scripts/fuzz.sh --build               only build the targets
#   Scripts/fuzz.sh --report              sum .build-fuzz/runs.tsv per target (CPU minutes, executions)
#   Scripts/fuzz.sh --replay-hangs        run every input of each grown corpus once, 1 s each (on an idle machine)
#
# Options (before the target): --jobs N (parallel fuzzing processes, default 1), --regressions-only
# (seed only from the committed corpus and regression inputs; what CI runs), --no-build, --timeout S
# (seconds before an input counts as a hang; default 1, 10 with --regressions-only). libFuzzer's
# timeout is wall-clock time: a fuzzer at nice 19 beside a build can stall past 1 s on any input, so
# background runs beside other work use a longer one, and `--replay-hangs` then replays the grown
# corpus with 1 s per input on an otherwise idle machine.
#
# Targets: number csv xlsx xls json ndjson dnc-list dnc-index lookup history model state-rules.
# Seeds come from Tests/Fuzz/Corpus/TARGET (committed, minimized), Fixtures/fuzz-regressions/TARGET,
# the matching files of Fixtures/, and ../shared/corpus/ when present (read in place, never copied).
# The working corpus grows in .build-fuzz/corpus/TARGET; crashing inputs land in
# .build-fuzz/artifacts/TARGET/. Limits: 64 KiB inputs, 1 s per input (a hang), 512 MiB per
# allocation. Each run appends "target seconds cpu-seconds executions crashes date" to .build-fuzz/runs.tsv.
# Exit 0 when no target crashed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
usage() { sed -n '2,20s/^# \{0,1\}//p' "$0"; }

targets=(number csv xlsx xls json ndjson dnc-list dnc-index lookup history model state-rules)
jobs=1
regressions_only=0
build=1
timeout_override=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --list) printf '%s\n' "${targets[@]}"; exit 0 ;;
    --report)
      awk -F'\t' '{ cpu[$1] += $3; execs[$1] += $4; runs[$1]++ } END {
        printf "%-12s %6s %12s %5s\n", "target", "CPU min", "executions", "runs"
        for (t in cpu) printf "%-12s %6.1f %12d %5d\n", t, cpu[t] / 60, execs[t], runs[t] }' .build-fuzz/runs.tsv | sort
      exit 0 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --regressions-only) regressions_only=1; shift ;;
    --no-build) build=0; shift ;;
    --timeout) timeout_override="$2"; shift 2 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { usage >&2; exit 64; }

source Scripts/lib/ensure-deps.sh
source Scripts/lib/bench-common.sh
ensure_system_deps
ensure_time fuzz.sh

bin="$root/Tests/Fuzz/.build/release"
build_targets() {
  echo "==> building the fuzz targets (release, -sanitize=fuzzer,address)"
  # `--sanitize fuzzer --sanitize address` would pass two -sanitize= flags to swiftc in an order that
  # changes from run to run, and swiftc keeps only the last: the modules then lack either coverage
  # counters (libFuzzer reports "no interesting inputs") or ASan. One combined flag is reliable;
  # `--sanitize fuzzer` is still given so SwiftPM links the targets without a main of their own.
  local product log=.build-fuzz/build.log
  mkdir -p .build-fuzz
  for product in "${targets[@]}" all; do
    if ! (cd Tests/Fuzz && swift build -c release --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address \
      --disable-dead-strip --product "fuzz-$product") > "$log" 2>&1; then
      grep -E 'error:' "$log" | head -5 >&2
      echo "fuzz.sh: building fuzz-$product failed; see $log" >&2
      exit 70
    fi
  done
  for t in "${targets[@]}"; do
    [[ -x "$bin/fuzz-$t" ]] || { echo "fuzz.sh: the build did not produce fuzz-$t" >&2; exit 70; }
  done
}

# seed_files TARGET: prints the seed files for a target, one per line.
seed_files() {
  local target="$1" patterns=()
  case "$target" in
    number) patterns=() ;;
    csv|lookup|history|dnc-list) patterns=(-iname '*.csv' -o -iname '*.txt' -o -iname '*.tsv') ;;
    xlsx) patterns=(-iname '*.xlsx' -o -iname '*.xlsm') ;;
    xls) patterns=(-iname '*.xls') ;;
    json|model) patterns=(-iname '*.json') ;;
    ndjson) patterns=(-iname '*.ndjson' -o -iname '*.json') ;;
    dnc-index) patterns=(-iname '*.idx') ;;
    state-rules) patterns=(-iname '*.rules') ;;
  esac
  local dirs=("Tests/Fuzz/Corpus/$target" "Fixtures/fuzz-regressions/$target")
  for d in "${dirs[@]}"; do [[ -d "$d" ]] && find "$d" -type f; done
  if [[ $regressions_only -eq 0 && ${#patterns[@]} -gt 0 ]]; then
    find Fixtures -type f -size -64k \( "${patterns[@]}" \) -not -path 'Fixtures/fuzz-regressions/*'
    [[ -d ../shared/corpus ]] && find ../shared/corpus -type f -size -64k \( "${patterns[@]}" \)
  fi
  return 0
}

run_target() {
  local target="$1" seconds="$2"
  [[ " ${targets[*]} " == *" $target "* ]] || { echo "fuzz.sh: unknown target '$target' (try --list)" >&2; exit 64; }
  local work=".build-fuzz/corpus/$target" seeds=".build-fuzz/seeds/$target" artifacts=".build-fuzz/artifacts/$target"
  mkdir -p "$work" "$seeds" "$artifacts" .build-fuzz/scratch
  rm -f "$seeds"/*
  local n=0
  while IFS= read -r f; do n=$((n + 1)); ln -sf "$root/$f" "$seeds/$n-$(basename "$f")" 2>/dev/null || ln -sf "$f" "$seeds/$n"; done < <(seed_files "$target")
  local dict=()
  [[ -f "Tests/Fuzz/Dictionaries/$target.dict" ]] && dict=("-dict=Tests/Fuzz/Dictionaries/$target.dict")
  local log=".build-fuzz/$target.log"
  # A hang is over 1 s on a 64 KiB input. Replays on a cold, busy CI machine allow 10 s: the first input
  # loads ICU's data (seen to take over a second there), and a real hang still never ends.
  local timeout_s=1
  [[ $regressions_only -eq 1 ]] && timeout_s=10
  [[ -n "$timeout_override" ]] && timeout_s="$timeout_override"
  echo "==> fuzz-$target for ${seconds}s ($n seeds, $jobs job(s)); log: $log"
  local status=0
  local parallel=()
  [[ "$jobs" -gt 1 ]] && parallel=("-fork=$jobs" "-ignore_crashes=0")
  DIALREADY_FUZZ_SCRATCH="$root/.build-fuzz/scratch" ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    /usr/bin/time -f '%U %S' -o ".build-fuzz/$target.cpu" "$bin/fuzz-$target" "$work" "$seeds" "${dict[@]}" "${parallel[@]}" -max_total_time="$seconds" -max_len=65536 \
    -timeout="$timeout_s" -malloc_limit_mb=512 -rss_limit_mb=2560 -artifact_prefix="$artifacts/" -print_final_stats=1 \
    > "$log" 2>&1 || status=$?
  local execs crashes
  execs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')"
  crashes="$(find "$artifacts" -type f | wc -l)"
  local cpu
  cpu="$(awk '/^[0-9.]+ [0-9.]+$/ { printf "%.0f", $1 + $2 }' ".build-fuzz/$target.cpu" 2>/dev/null)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$seconds" "${cpu:-0}" "$execs" "$crashes" "$(date -u +%FT%TZ)" \
    >> .build-fuzz/runs.tsv
  if [[ $status -ne 0 ]]; then
    echo "fuzz-$target: FAILED (exit $status); last lines of $log:" >&2
    grep -E 'ERROR|SUMMARY|Test unit written|timeout|out-of-memory|leak' "$log" | head -8 >&2
    return 1
  fi
  echo "fuzz-$target: ok, $execs executions"
}

[[ $build -eq 1 ]] && build_targets
failed=0
if [[ "$1" == --build ]]; then exit 0; fi
if [[ "$1" == --replay-hangs ]]; then
  for t in "${targets[@]}"; do
    dirs=()
    for d in ".build-fuzz/corpus/$t" "Tests/Fuzz/Corpus/$t" "Fixtures/fuzz-regressions/$t"; do [[ -d "$d" ]] && dirs+=("$d"); done
    mkdir -p .build-fuzz/scratch
    count=$(find "${dirs[@]}" -type f | wc -l)
    if DIALREADY_FUZZ_SCRATCH="$root/.build-fuzz/scratch" ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
      "$bin/fuzz-$t" "${dirs[@]}" -runs=0 -timeout=1 -max_len=65536 -malloc_limit_mb=512 -rss_limit_mb=2560 \
      -artifact_prefix="/tmp/replay-$t-" > ".build-fuzz/replay-$t.log" 2>&1; then
      echo "fuzz-$t: $count inputs replayed, none over 1 s"
    else
      echo "fuzz-$t: FAILED replaying $count inputs; see .build-fuzz/replay-$t.log" >&2
      failed=1
    fi
  done
  exit $failed
fi
if [[ "$1" == --all ]]; then
  seconds="${2:?--all needs SECONDS}"
  for t in "${targets[@]}"; do run_target "$t" "$seconds" || failed=1; done
else
  run_target "$1" "${2:-60}" || failed=1
fi
exit $failed
