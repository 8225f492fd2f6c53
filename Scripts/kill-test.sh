#!/usr/bin/env bash
# Kills `dialready classify` at random moments and checks that its output directory is never
# left half-written: after each SIGKILL, OUT is absent or holds exactly processed.csv,
# processed-filtered.csv, rejects.csv and manifest.json, whose outputs.{processed,filtered,rejects}
# entries match their files (bytes, sha256, path, and rows = CSV records less the header; checked
# by Scripts/lib/check-output-dir.py).
#
#   Scripts/kill-test.sh [--runs 20] [--rows 1000000] [--seed 7]
#
# The input is generated once by Scripts/gen-phonelist.py under .build-tools/kill-test/; runs
# write .build-tools/kill-test/out. An uninterrupted run measures the duration D. Each run then
# starts `classify INPUT --out OUT --force --quiet` (OUT absent on odd runs, a complete earlier
# output on even ones), sends SIGKILL after a seeded random moment in [0, 1.1 D] and checks OUT.
# Staging directories (.out.partial-PID) and out.lock left by a kill are reported, not failed;
# a normal run after each kill must succeed over them. Last, SIGINT and SIGTERM mid-run must end
# the run with exit 130 and 143 and leave no staging directory.
# Prints one line per run and a summary; exit 0 when every check passed, 1 otherwise.
# The binary comes from $DIALREADY (default .build/release/dialready).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs=20
rows=1000000
seed=7
usage() { sed -n '2,18s/^# \{0,1\}//p' "$0"; }
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "kill-test: $1 needs a positive number, got '$2'" >&2; exit 64; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) positive "$1" "${2-}"; runs="$2"; shift 2 ;;
    --rows) positive "$1" "${2-}"; rows="$2"; shift 2 ;;
    --seed) [[ "${2-}" =~ ^[0-9]+$ ]] || { echo "kill-test: --seed needs a number" >&2; exit 64; }; seed="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "kill-test: unknown argument '$1'" >&2; usage >&2; exit 64 ;;
  esac
done

source Scripts/lib/bench-common.sh
dialready="${DIALREADY:-.build/release/dialready}"
require_dialready kill-test "$dialready"

dir="$root/.build-tools/kill-test"
input="$dir/leads-$(rows_label "$rows")-seed$seed.csv"
out="$dir/out"
rows_cache="$dir/verified-rows.tsv"
log="$dir/stderr.log"
mkdir -p "$dir"
if [[ ! -s "$input" ]]; then
  echo "kill-test: generating $input ($rows rows, seed $seed)"
  python3 Scripts/gen-phonelist.py --rows "$rows" --seed "$seed" --out "$input.partial"
  mv "$input.partial" "$input"
fi
shopt -s nullglob dotglob
rm -rf -- "$out" "$dir"/.out.* "$dir"/out.* "$rows_cache" "$log"

# check_out [MANIFEST_SHA256]: prints what OUT holds; fails when it is there but not complete.
check_out() {
  python3 Scripts/lib/check-output-dir.py "$out" "${1-}" "$rows_cache"
}

# left_by PID: the staging directory and lock a run left beside OUT; leftovers: all of them.
left_by() { local items=("$dir"/.out.*-"$1" "$dir"/out.loc[k]); echo "${items[*]##*/}"; }
leftovers() { local items=("$dir"/.out.* "$dir"/out.*); echo "${items[*]##*/}"; }
# start: runs classify in the background (pid in $pid) under a watcher that records how it
# ended: "exit N", or "signal NAME" when a signal's default action killed it (a shell shows both
# as 128+N). Signals at their default action: a script's background job ignores SIGINT.
start() {
  rm -f "$dir/pid" "$dir/status"
  python3 -c 'import signal, subprocess, sys
run = subprocess.Popen(sys.argv[3:], stderr=open(sys.argv[2], "a"))
open(sys.argv[1] + "/pid", "w").write(str(run.pid))
rc = run.wait()
open(sys.argv[1] + "/status", "w").write(f"signal {signal.Signals(-rc).name}" if rc < 0 else f"exit {rc}")' \
    "$dir" "$log" env --default-signal "$dialready" classify "$input" --out "$out" --force --quiet &
  watcher=$!
  until [[ -s "$dir/pid" ]]; do sleep 0.01; done
  pid="$(<"$dir/pid")"
}
# finish SECONDS: waits for the run to end (how in $ended); SIGKILLs it after SECONDS.
finish() {
  local i
  for ((i = 0; i < $1 * 20; i++)); do [[ -s "$dir/status" ]] && break; sleep 0.05; done
  [[ -s "$dir/status" ]] || { kill -KILL "$pid" 2>/dev/null || true; echo "  (still running after $1 s: SIGKILLed)"; }
  wait "$watcher" || true
  ended="$(<"$dir/status")"
}

failures=0
leftover_runs=0
fail() { failures=$((failures + 1)); echo "  FAIL: $*"; }
# recover: a normal run over whatever the previous one left must succeed and be complete.
recover() {
  local found
  rc=0
  "$dialready" classify "$input" --out "$out" --force --quiet 2>>"$log" || rc=$?
  found="$(check_out)" || { fail "normal run after it: $found"; return; }
  ((rc == 0)) || fail "normal run after it exited $rc"
}

echo "kill-test: $dialready on $input"
echo "kill-test: $(machine_line); dialready's messages go to $log"
t0=$EPOCHREALTIME
"$dialready" classify "$input" --out "$out" --force --quiet
duration="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')"
found="$(check_out)" || { echo "kill-test: the uninterrupted run's output is bad: $found" >&2; exit 1; }
echo "kill-test: uninterrupted run: ${duration} s, $found"

read -r -a moments <<<"$(python3 -c 'import random, sys
r = random.Random(int(sys.argv[1]))
print(*("%.3f" % r.uniform(0, 1.1 * float(sys.argv[2])) for _ in range(int(sys.argv[3]))))' \
  "$seed" "$duration" "$runs")"

for ((i = 1; i <= runs; i++)); do
  before=""
  if ((i % 2)); then
    state=absent
    rm -rf -- "$out"
  else
    state=present
    before="$(sha256sum "$out/manifest.json" | cut -d' ' -f1)"
  fi
  start
  sleep "${moments[i - 1]}"
  kill -KILL "$pid" 2>/dev/null || true
  finish 30
  ok=1
  found="$(check_out "$before")" || ok=0
  left="$(left_by "$pid")"
  [[ -z "$left" ]] || leftover_runs=$((leftover_runs + 1))
  [[ "$state$found" != presentabsent ]] || found="absent (the previous output is gone)"
  printf 'run %2d: OUT %-7s  SIGKILL at %6.3f s (%s): %s%s\n' "$i" "$state" "${moments[i - 1]}" \
    "$ended" "$found" "${left:+; left: $left}"
  ((ok)) || fail "OUT is neither absent nor complete"
  [[ "$ended" == "signal SIGKILL" || "$ended" == "exit 0" ]] || fail "$ended before the kill"
  recover
done

for sig in INT TERM; do
  want=$((128 + $(kill -l "$sig")))
  rm -rf -- "$out"
  start
  moment="$(awk -v d="$duration" 'BEGIN { printf "%.3f", 0.3 * d }')"
  sleep "$moment"
  kill "-$sig" "$pid" 2>/dev/null || true
  finish 30
  found="$(check_out)" || true
  left="$(left_by "$pid")"
  echo "SIG$sig at $moment s: $ended (want exit $want), $found${left:+; left: $left}"
  [[ "$ended" == "exit $want" ]] || fail "SIG$sig: ended by $ended, want exit $want after cleaning up (a shell shows both as $want)"
  [[ "$found" != BAD* ]] || fail "SIG$sig: OUT is neither absent nor complete"
  [[ "$left" != *partial* ]] || fail "SIG$sig left a staging directory: $left"
  recover
done

left="$(leftovers)"
echo
echo "kill-test: $runs SIGKILL runs (D = $duration s), $leftover_runs left staging or lock files behind"
echo "kill-test: beside OUT after the last normal run (not cleaned by later runs): ${left:-nothing}"
rm -rf -- "$dir"/.out.* "$dir/pid" "$dir/status"
if ((failures)); then
  echo "kill-test: FAILED: $failures check(s)"
  exit 1
fi
echo "kill-test: every check passed"
