#!/usr/bin/env bash
# Times reading a 200,000-row, 9-column XLSX lead list: `dialready classify` (read, classify and
# write processed + filtered CSVs) against python-calamine (every row to Python lists) and
# fastexcel (the first sheet to an Arrow record batch), and prints a markdown table with the
# median wall time, peak RSS, rows per second and the ratio to dialready (to calamine with
# --skip-dialready).
#
#   Scripts/bench-xlsx.sh [--rows N] [--runs N] [--skip-dialready]
#
# The input is made once under .build-tools/bench/: leads-200k.csv by Scripts/gen-phonelist.py
# (seed 42, shared with bench-peers.sh), converted by xlsxwriter to leads-200k.xlsx (shared
# strings; id and plain 10-digit phones as numbers, every other cell a string).
# The binary comes from $DIALREADY (default .build/release/dialready). The peers run from
# .build-tools/venv, which gets xlsxwriter, python-calamine, fastexcel and pyarrow when missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rows=200000
runs=5
seed=42
skip_dialready=0
invocation="Scripts/bench-xlsx.sh${*:+ $*}"

usage() { sed -n '2,14s/^# \{0,1\}//p' "$0"; }
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "bench-xlsx: $1 needs a positive number, got '$2'" >&2; exit 64; }; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) positive "$1" "${2-}"; rows="$2"; shift 2 ;;
    --runs) positive "$1" "${2-}"; runs="$2"; shift 2 ;;
    --skip-dialready) skip_dialready=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-xlsx: unknown argument '$1'" >&2; usage >&2; exit 64 ;;
  esac
done
if (( rows > 1048575 )); then
  echo "bench-xlsx: --rows must be at most 1048575 (an XLSX sheet has 1,048,576 rows)" >&2
  exit 64
fi

bench_dir=".build-tools/bench"
venv=".build-tools/venv"
python="$venv/bin/python"
dialready="${DIALREADY:-.build/release/dialready}"

# --- prerequisites -------------------------------------------------------------------------------

source Scripts/lib/bench-common.sh
require_dialready bench-xlsx "$dialready" "$skip_dialready"

ensure_time bench-xlsx

if [[ ! -x "$python" ]]; then
  echo "bench-xlsx: creating virtualenv $venv"
  python3 -m venv "$venv"
fi
missing="$("$python" - <<'PY'
import importlib.metadata as metadata
for name in ("xlsxwriter", "python-calamine", "fastexcel", "pyarrow"):
  try:
    metadata.version(name)
  except metadata.PackageNotFoundError:
    print(name)
PY
)"
if [[ -n "$missing" ]]; then
  echo "bench-xlsx: installing into $venv:" $missing
  # shellcheck disable=SC2086 # one package per word
  "$python" -m pip install --quiet --disable-pip-version-check $missing
fi

# --- input ---------------------------------------------------------------------------------------

label="$(rows_label "$rows")"
csv_input="$bench_dir/leads-$label.csv"
input="$bench_dir/leads-$label.xlsx"
mkdir -p "$bench_dir"
if [[ ! -s "$input" ]]; then
  if [[ ! -s "$csv_input" ]]; then
    echo "bench-xlsx: generating $csv_input ($rows rows, seed $seed)"
    "$python" Scripts/gen-phonelist.py --rows "$rows" --seed "$seed" --out "$csv_input.partial"
    mv "$csv_input.partial" "$csv_input"
  fi
  echo "bench-xlsx: converting $csv_input to $input"
  "$python" - "$csv_input" "$input.partial" <<'PY'
import csv, datetime, re, sys
import xlsxwriter

source, target = sys.argv[1], sys.argv[2]
plain = re.compile(r"[2-9][0-9]{9}")          # 2125551234: written as a number
workbook = xlsxwriter.Workbook(target, {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
workbook.set_properties({"created": datetime.datetime(2024, 6, 1, 12, 0, 0)})
sheet = workbook.add_worksheet("leads")
numbers = 0
with open(source, encoding="utf-8", newline="") as handle:
  reader = csv.reader(handle)
  header = next(reader)
  phone = header.index("phone")
  for column, name in enumerate(header):
    sheet.write_string(0, column, name)
  for row, record in enumerate(reader, start=1):
    for column, text in enumerate(record):
      if text == "":
        continue
      if column == 0 and text.isdigit():
        sheet.write_number(row, column, int(text))
      elif column == phone and plain.fullmatch(text):
        sheet.write_number(row, column, int(text))
        numbers += 1
      else:
        sheet.write_string(row, column, text)
workbook.close()
print(f"bench-xlsx: {row:,} rows, {numbers:,} phones written as numbers")
PY
  mv "$input.partial" "$input"
else
  echo "bench-xlsx: reusing $input"
fi
input_bytes="$(stat -c %s "$input")"

# --- runs ----------------------------------------------------------------------------------------

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: >"$results"
commands=()

# The peers print "ROWS SECONDS" (rows read, seconds inside Python around the read itself).
cat >"$work/peer_calamine.py" <<'PY'
import sys, time
start = time.perf_counter()
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(len(rows) - 1, f"{time.perf_counter() - start:.3f}")
PY
cat >"$work/peer_fastexcel.py" <<'PY'
import sys, time
start = time.perf_counter()
import fastexcel
batch = fastexcel.read_excel(sys.argv[1]).load_sheet(0).to_arrow()
print(batch.num_rows, f"{time.perf_counter() - start:.3f}")
PY

# time_tool NAME COMMAND...: runs COMMAND $runs times under /usr/bin/time and appends
# "NAME<TAB>wall s<TAB>peak RSS KiB<TAB>rows read<TAB>in-process s" per run to $results.
time_tool() {
  local name="$1"
  shift
  local quoted
  quoted="$(printf '%q ' "$@")"
  commands+=("$name: ${quoted% }")
  local run
  for ((run = 1; run <= runs; run++)); do
    if ! /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/log" 2>&1; then
      echo "bench-xlsx: $name failed (run $run):" >&2
      tail -n 20 "$work/log" >&2
      exit 70
    fi
    local wall rss read_rows="-" inner="-"
    read -r wall rss <"$work/time"
    if [[ "$name" != dialready ]]; then
      read -r read_rows inner < <(tail -n 1 "$work/log")
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$wall" "$rss" "$read_rows" "$inner" >>"$results"
    printf 'bench-xlsx: %-16s run %d/%d  %ss\n' "$name" "$run" "$runs" "$wall"
  done
}

tools=()
out="$bench_dir/out-xlsx/dialready"
if [[ $skip_dialready -eq 0 ]]; then
  tools+=("dialready")
  mkdir -p "$out"
  time_tool dialready "$dialready" classify "$input" --out "$out" --force --quiet
fi
tools+=("python-calamine" "fastexcel")
time_tool python-calamine "$python" "$work/peer_calamine.py" "$input"
time_tool fastexcel "$python" "$work/peer_fastexcel.py" "$input"

# --- report --------------------------------------------------------------------------------------

versions="$("$python" -c 'import sys, importlib.metadata as m
print("Python %s, python-calamine %s, fastexcel %s, pyarrow %s" % (sys.version.split()[0],
  m.version("python-calamine"), m.version("fastexcel"), m.version("pyarrow")))')"
if [[ $skip_dialready -eq 0 ]]; then
  versions="dialready $("$dialready" --version 2>/dev/null || echo '?'), $versions"
fi

echo
echo "## XLSX read benchmark: $rows rows x 9 columns, $((input_bytes / 1024)) KiB ($input)"
echo
echo "- command: \`$invocation\`"
echo "- machine: $(machine_line)"
echo "- versions: $versions"
echo "- runs: $runs each; wall time (\`/usr/bin/time -f \"%e %M\"\`), peak RSS and in-process time are medians"
echo
echo "Tool command lines:"
echo
for line in "${commands[@]}"; do echo "    $line"; done
echo

"$python" - "$results" "$rows" "$out/processed.csv" "${tools[@]}" <<'PY'
import csv, os, statistics, sys
results, rows, processed, tools = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
runs = {}
with open(results) as source:
  for name, wall, rss, read_rows, inner in (line.rstrip("\n").split("\t") for line in source):
    runs.setdefault(name, []).append((float(wall), int(rss), read_rows,
                                      None if inner == "-" else float(inner)))
base_name = "dialready" if "dialready" in runs else "python-calamine"
median = {}
for name, r in runs.items():
  inner = [i for *_, i in r if i is not None]
  median[name] = (statistics.median(w for w, *_ in r), statistics.median(k for _, k, *_ in r),
                  r[-1][2], statistics.median(inner) if inner else None)
# dialready's rows read: the records of its processed.csv.
if "dialready" in median and os.path.exists(processed):
  with open(processed, encoding="utf-8-sig", newline="") as source:  # records, not lines
    median["dialready"] = median["dialready"][:2] + (sum(1 for _ in csv.reader(source)) - 1,
                                                     median["dialready"][3])
base = median[base_name][0]
print(f"| tool | median wall s | in-process s | peak RSS MiB | rows/s | rows read | ratio vs {base_name} |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name in tools:
  wall, rss, read_rows, inner = median[name]
  rate = f"{rows / wall:,.0f}" if wall > 0 else "-"
  ratio = f"{wall / base:.2f}" if base > 0 else "-"
  inner_text = f"{inner:.2f}" if inner is not None else "-"
  read_text = f"{int(read_rows):,}" if read_rows != "-" else "-"
  print(f"| {name} | {wall:.2f} | {inner_text} | {rss / 1024:,.0f} | {rate} | {read_text} | {ratio} |")
print()
print("dialready's time covers reading, classifying and writing the CSV outputs; the peers only read.")
print("The peers' wall time includes starting Python and importing the module; 'in-process' is the")
print("import plus the read, timed inside Python. 'rows read' excludes the header row (dialready's:")
print("the records of its processed.csv).")
for name in tools:
  read_rows = median[name][2]
  if read_rows != "-" and int(read_rows) != rows:
    print(f"WARNING: {name} read {int(read_rows):,} data rows, expected {rows:,}")
PY
