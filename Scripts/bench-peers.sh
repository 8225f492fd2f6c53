#!/usr/bin/env bash
# Times the main job (normalize, validate, dedup, write processed + filtered CSVs) done by
# `dialready classify` and by its peers on one generated lead list, and prints a markdown table
# with the median wall time, peak RSS, rows per second and the ratio to dialready.
#
#   Scripts/bench-peers.sh [--rows N] [--runs N] [--python-runs N]
#                          [--skip-dialready] [--skip-python] [--skip-duckdb] [--skip-polars]
#
# The input is made once by Scripts/gen-phonelist.py (seed 42) under .build-tools/bench/ and reused.
# The binary comes from $DIALREADY (default .build/release/dialready: `swift build -c release`).
# The peers (Scripts/peers/) run from the virtualenv .build-tools/venv, which gets
# phonenumbers==9.0.43, duckdb and polars when they are missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rows=1000000
runs=3
python_runs=1
seed=42
skip_dialready=0 skip_python=0 skip_duckdb=0 skip_polars=0
invocation="Scripts/bench-peers.sh${*:+ $*}"

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "bench-peers: $1 needs a positive number, got '$2'" >&2; exit 64; }; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) positive "$1" "${2-}"; rows="$2"; shift 2 ;;
    --runs) positive "$1" "${2-}"; runs="$2"; shift 2 ;;
    --python-runs) positive "$1" "${2-}"; python_runs="$2"; shift 2 ;;
    --skip-dialready) skip_dialready=1; shift ;;
    --skip-python) skip_python=1; shift ;;
    --skip-duckdb) skip_duckdb=1; shift ;;
    --skip-polars) skip_polars=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-peers: unknown argument '$1'" >&2; usage >&2; exit 64 ;;
  esac
done

bench_dir=".build-tools/bench"
venv=".build-tools/venv"
python="$venv/bin/python"
phonenumbers_version="9.0.43"
dialready="${DIALREADY:-.build/release/dialready}"

# --- prerequisites -------------------------------------------------------------------------------

source Scripts/lib/bench-common.sh
require_dialready bench-peers "$dialready" "$skip_dialready"
if [[ $skip_dialready -eq 0 ]] && ! "$dialready" --help 2>/dev/null | grep -Eq '^ +classify( |$)'; then
  echo "bench-peers: $dialready has no working \`classify\` subcommand; rebuild it with" >&2
  echo "  swift build -c release, or pass --skip-dialready to time the peers only" >&2
  exit 66
fi

ensure_time bench-peers

if [[ ! -x "$python" ]]; then
  echo "bench-peers: creating virtualenv $venv"
  python3 -m venv "$venv"
fi
missing="$("$python" - "$phonenumbers_version" <<'PY'
import importlib.metadata as metadata, sys
wanted = {"phonenumbers": sys.argv[1], "duckdb": None, "polars": None}
for name, version in wanted.items():
  try:
    found = metadata.version(name)
  except metadata.PackageNotFoundError:
    found = None
  if found is None or (version and found != version):
    print(f"{name}=={version}" if version else name)
PY
)"
if [[ -n "$missing" ]]; then
  echo "bench-peers: installing into $venv:" $missing
  # shellcheck disable=SC2086 # one package per word
  "$python" -m pip install --quiet --disable-pip-version-check $missing
fi

# --- input ---------------------------------------------------------------------------------------

label="$(rows_label "$rows")"
input="$bench_dir/leads-$label.csv"
mkdir -p "$bench_dir"
if [[ ! -s "$input" ]]; then
  echo "bench-peers: generating $input ($rows rows, seed $seed)"
  "$python" Scripts/gen-phonelist.py --rows "$rows" --seed "$seed" --out "$input.partial"
  mv "$input.partial" "$input"
else
  echo "bench-peers: reusing $input"
fi
input_bytes="$(stat -c %s "$input")"

# --- runs ----------------------------------------------------------------------------------------

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: >"$results"
commands=()

# time_once NAME RUN COUNT OUTDIR COMMAND...: runs COMMAND once under /usr/bin/time -v into a fresh
# OUTDIR (after `sync`) and appends "NAME<TAB>wall seconds<TAB>peak RSS KiB" to $results.
time_once() {
  local name="$1" run="$2" count="$3" out="$4"
  shift 4
  if [[ "$run" -eq 1 ]]; then
    local quoted
    quoted="$(printf '%q ' "$@")"
    commands+=("$name: ${quoted% }")
  fi
  rm -rf "$out"
  mkdir -p "$out"
  # Every run starts with nothing waiting to be written to disk: the peers do not sync their outputs,
  # and their dirty pages would otherwise be flushed during the next tool's run.
  sync
  if ! /usr/bin/time -v -o "$work/time" "$@" >"$work/log" 2>&1; then
    echo "bench-peers: $name failed (run $run):" >&2
    tail -n 20 "$work/log" >&2
    exit 70
  fi
  awk -v name="$name" '
    /Elapsed \(wall clock\)/ { n = split($NF, part, ":"); wall = 0
                               for (i = 1; i <= n; i++) wall = wall * 60 + part[i] }
    /Maximum resident set size/ { rss = $NF }
    END { printf "%s\t%.2f\t%d\n", name, wall, rss }' "$work/time" >>"$results"
  printf 'bench-peers: %-20s run %d/%d  %s\n' "$name" "$run" "$count" "$(tail -n 1 "$results" | cut -f2)s"
}

out_root="$bench_dir/out"
run_dialready() { time_once dialready "$1" "$runs" "$out_root/dialready" \
  "$dialready" classify "$input" --out "$out_root/dialready" --force --quiet; }
run_polars() { time_once polars "$1" "$runs" "$out_root/polars" \
  "$python" Scripts/peers/polars_job.py "$input" --out "$out_root/polars"; }
run_duckdb() { time_once duckdb "$1" "$runs" "$out_root/duckdb" \
  "$python" Scripts/peers/duckdb_job.py "$input" --out "$out_root/duckdb"; }
run_python-phonenumbers() { time_once python-phonenumbers "$1" "$python_runs" "$out_root/python-phonenumbers" \
  "$python" Scripts/peers/python_phonenumbers.py "$input" --out "$out_root/python-phonenumbers"; }

tools=()
[[ $skip_dialready -eq 0 ]] && tools+=("dialready")
[[ $skip_polars -eq 0 ]] && tools+=("polars")
[[ $skip_duckdb -eq 0 ]] && tools+=("duckdb")
# Interleaved: run r of every tool before run r + 1 of any, so the machine's drift (this one is
# noisy) falls on every tool alike and the ratios stay fair. The slow Python peer runs after.
for ((run = 1; run <= runs; run++)); do
  for tool in "${tools[@]}"; do "run_$tool" "$run"; done
done
if [[ $skip_python -eq 0 ]]; then
  tools+=("python-phonenumbers")
  for ((run = 1; run <= python_runs; run++)); do run_python-phonenumbers "$run"; done
fi
if [[ ${#tools[@]} -eq 0 ]]; then
  echo "bench-peers: every tool was skipped" >&2
  exit 64
fi

# --- report --------------------------------------------------------------------------------------

versions="$("$python" -c 'import sys, importlib.metadata as m
print("Python %s, phonenumbers %s, duckdb %s, polars %s" % (sys.version.split()[0],
  m.version("phonenumbers"), m.version("duckdb"), m.version("polars")))')"
if [[ $skip_dialready -eq 0 ]]; then
  versions="dialready $("$dialready" --version 2>/dev/null || echo '?'), $versions"
fi

echo
echo "## Peer benchmark: $rows rows, $((input_bytes / 1048576)) MiB ($input)"
echo
echo "- command: \`$invocation\`"
echo "- machine: $(machine_line)"
echo "- versions: $versions"
echo "- runs: $runs each, interleaved (Python phonenumbers: $python_runs, after); wall time and peak RSS are medians"
echo
echo "Tool command lines:"
echo
for line in "${commands[@]}"; do echo "    $line"; done
echo

"$python" - "$results" "$rows" "$out_root" "${tools[@]}" <<'PY'
import csv, statistics, sys
results, rows, out_root, tools = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]

runs = {}
with open(results) as source:
  for name, wall, rss in (line.rstrip("\n").split("\t") for line in source):
    runs.setdefault(name, []).append((float(wall), int(rss)))
median = {name: (statistics.median(w for w, _ in r), statistics.median(k for _, k in r))
          for name, r in runs.items()}
base = median.get("dialready", (None,))[0]

print("| tool | median wall s | peak RSS MiB | rows/s | ratio vs dialready |")
print("|---|---:|---:|---:|---:|")
for name in tools:
  wall, rss = median[name]
  rate = f"{rows / wall:,.0f}" if wall > 0 else "-"
  ratio = f"{wall / base:.2f}" if base else "-"
  print(f"| {name} | {wall:.2f} | {rss / 1024:,.0f} | {rate} | {ratio} |")

def count(path, status_column="status"):
  """Counts records (not lines: fields may hold newlines) and their status values."""
  with open(path, newline="", encoding="utf-8") as source:
    reader = csv.reader(source)
    header = next(reader, [])
    index = header.index(status_column) if status_column in header else None
    total, statuses = 0, {}
    for record in reader:
      total += 1
      if index is not None and index < len(record):
        statuses[record[index]] = statuses.get(record[index], 0) + 1
  return total, statuses

print()
print("Output check (processed rows must equal the input rows; filtered = rows kept for dialing):")
print()
print("| tool | processed rows | valid | invalid | duplicate | filtered rows | check |")
print("|---|---:|---:|---:|---:|---:|---|")
for name in tools:
  total, statuses = count(f"{out_root}/{name}/processed.csv")
  filtered, _ = count(f"{out_root}/{name}/processed-filtered.csv")
  check = "ok" if total == rows else f"MISMATCH ({total} != {rows})"
  print(f"| {name} | {total:,} | {statuses.get('valid', 0):,} | {statuses.get('invalid', 0):,} "
        f"| {statuses.get('duplicate', 0):,} | {filtered:,} | {check} |")
print()
print("dialready's filtered file keeps `Likely Answer` rows only, the peers' every valid first occurrence;")
print("the regex peers and phonenumbers accept N11 exchanges and 555-01XX, which dialready rejects;")
print("phonenumbers rejects the Excel form 2125551234.0, which the others accept.")
PY
