#!/usr/bin/env bash
# Runs `dialready convert FILE -o OUT.csv` on every file under the given folders, each under
# /usr/bin/time and a timeout, and checks that no file needs more memory than a limit: prints the
# 10 files with the highest peak RSS, a count per exit code, the highest peak RSS and whether
# every file stayed under the limit.
#
#   Scripts/memory-cap.sh [--limit-mib 512] [--timeout 20] [DIR...]
#   e.g. Scripts/memory-cap.sh ../shared/corpus
#
# Default folders: .build-fuzz/corpus and ../shared/corpus, those that exist; every regular file
# below them is read in place, its format left to detection. Exit 0 (read) and 65 (refused as
# bad input) are fine; anything else (a crash, a signal, 124 for a timeout) fails. Files run in
# parallel, one per core; each peak RSS is that process's own (GNU time's %M, in KiB, shown in
# MiB). All results go to .build-tools/memory-cap/results.tsv (file, exit, peak_rss_mib,
# seconds). Exit 0 when every file stayed under the limit and none failed, 1 otherwise.
# The binary comes from $DIALREADY (default .build/release/dialready); the Debian package 'time'
# is installed when /usr/bin/time is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

limit_mib=512
timeout_s=20
dirs=()
usage() { sed -n '2,17s/^# \{0,1\}//p' "$0"; }
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "memory-cap: $1 needs a positive number, got '$2'" >&2; exit 64; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --limit-mib) positive "$1" "${2-}"; limit_mib="$2"; shift 2 ;;
    --timeout) positive "$1" "${2-}"; timeout_s="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "memory-cap: unknown option '$1'" >&2; usage >&2; exit 64 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
if [[ ${#dirs[@]} -eq 0 ]]; then
  for dir in .build-fuzz/corpus ../shared/corpus; do [[ -d "$dir" ]] && dirs+=("$dir"); done
  [[ ${#dirs[@]} -gt 0 ]] || { echo "memory-cap: no folder given and none of the defaults exists" >&2; exit 66; }
fi
for dir in "${dirs[@]}"; do
  [[ -d "$dir" ]] || { echo "memory-cap: no folder at $dir" >&2; exit 66; }
done

source Scripts/lib/bench-common.sh
dialready="${DIALREADY:-.build/release/dialready}"
require_dialready memory-cap "$dialready"
ensure_time memory-cap

results=".build-tools/memory-cap/results.tsv"
mkdir -p "$(dirname "$results")"
work="$(mktemp -d /tmp/memory-cap.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# convert_one FILE: prints "exit, peak RSS KiB, seconds, FILE" as one tab-separated line.
convert_one() {
  local out="$work/$BASHPID.csv" stats="$work/$BASHPID.time" rc=0 rss secs
  /usr/bin/time -f '%M %e' -o "$stats" timeout -k 2 "$timeout_s" \
    "$dialready" convert "$1" -o "$out" >/dev/null 2>&1 || rc=$?
  read -r rss secs < <(tail -n 1 "$stats" 2>/dev/null) || true
  rm -f "$out" "$stats"
  printf '%s\t%s\t%s\t%s\n' "$rc" "${rss:-0}" "${secs:-0}" "$1"
}
export -f convert_one
export dialready timeout_s work

echo "memory-cap: $dialready convert over ${dirs[*]} ($(nproc) at a time, ${timeout_s} s timeout)"
echo "memory-cap: $(machine_line)"
start=$EPOCHREALTIME
find "${dirs[@]}" -type f -print0 |
  xargs -0 -r -n 1 -P "$(nproc)" bash -c 'convert_one "$1"' _ >"$work/raw.tsv"
elapsed="$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')"

python3 - "$work/raw.tsv" "$results" "$limit_mib" "$elapsed" <<'PY'
import collections, signal, sys
raw, results, limit, elapsed = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
runs = []
with open(raw, encoding="utf-8", errors="surrogateescape") as f:
  for line in f:
    code, kib, secs, path = line.rstrip("\n").split("\t", 3)
    runs.append((path, int(code), int(kib) / 1024, float(secs)))
runs.sort()
with open(results, "w", encoding="utf-8", errors="surrogateescape") as f:
  f.write("file\texit\tpeak_rss_mib\tseconds\n")
  f.writelines(f"{p}\t{c}\t{m:.1f}\t{s:.2f}\n" for p, c, m, s in runs)
if not runs:
  print("memory-cap: no files found")
  sys.exit(1)

def meaning(code):
  if code == 0: return "read"
  if code == 65: return "refused as bad input"
  if code in (124, 137): return "timeout" if code == 124 else "killed (SIGKILL; timeout or out of memory)"
  if code > 128:
    try: return f"signal {signal.Signals(code - 128).name}"
    except ValueError: pass
  return "FAIL"

print(f"\n{len(runs)} files in {elapsed} s; top 10 by peak RSS:")
print(f"{'MiB':>8} {'s':>7} {'exit':>4}  file")
for p, c, m, s in sorted(runs, key=lambda r: -r[2])[:10]:
  print(f"{m:8.1f} {s:7.2f} {c:4d}  {p}")
print("\nexit codes:")
for code, n in sorted(collections.Counter(c for _, c, _, _ in runs).items()):
  print(f"  {code:3d}: {n:6d}  {meaning(code)}")
failed = [r for r in runs if r[1] not in (0, 65)]
over = [r for r in runs if r[2] >= limit]
top = max(runs, key=lambda r: r[2])
print(f"\nmax peak RSS: {top[2]:.1f} MiB ({top[0]})")
print(f"under {limit:g} MiB: {'every file' if not over else f'NO, {len(over)} file(s) reached it'}")
for p, c, m, s in failed[:20]:
  print(f"FAILED: exit {c} ({meaning(c)}) after {s:.2f} s: {p}")
for p, c, m, s in over[:20]:
  print(f"OVER: {m:.1f} MiB: {p}")
print(f"results: {results}")
print("memory-cap: " + ("ok" if not failed and not over else f"FAILED ({len(failed)} failed, {len(over)} over the limit)"))
sys.exit(1 if failed or over else 0)
PY
