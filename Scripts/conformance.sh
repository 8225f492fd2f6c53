#!/usr/bin/env bash
# Runs `dialready convert FILE -o OUT.csv` over every file of the shared test corpus and checks
# each against what it must do: the CSV suites must yield their <file>.expected.json records; the
# spreadsheets must be read and agree cell by cell with python-calamine's first sheet, or be
# refused (exit 65, one stderr line naming the file, no output left), as sheets/SOURCES.md says.
#
#   Scripts/conformance.sh CORPUS [--only REGEX] [--skip-xls] [--timeout 10] [--examples 8]
#   e.g. Scripts/conformance.sh ../shared/corpus
#
# Each run is limited by `ulimit -v` (2 GiB) in a subshell and a 10 s timeout; a crash, timeout
# or memory-cap hit fails whatever the file. Comparison rules (blank records, calamine's used
# range, dates, error cells) are in the header of Scripts/conformance.py. Prints one line per
# file and a summary table; details go to .build-tools/conformance/report.md. Exit 0 when every
# file conforms, 1 otherwise. The corpus is read in place, never copied.
# The binary comes from $DIALREADY (default .build/release/dialready when it has the `convert`
# subcommand, else .build/debug/dialready). python-calamine runs from .build-tools/venv and is
# installed there when missing.
set -euo pipefail

usage() { sed -n '2,17s/^# \{0,1\}//p' "$0"; }

if [[ $# -ge 1 && ( "$1" == -h || "$1" == --help ) ]]; then
  usage
  exit 0
fi
if [[ $# -lt 1 ]]; then
  usage >&2
  exit 64
fi
corpus="$1"
shift
if [[ ! -d "$corpus" ]]; then
  echo "conformance: no corpus folder at $corpus" >&2
  exit 66
fi
corpus="$(cd "$corpus" && pwd)"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

venv=".build-tools/venv"
python="$venv/bin/python"

# An older binary without `convert` prints the top-level help for `convert --help` and exits 0.
has_convert() { [[ -x "$1" ]] && "$1" convert --help 2>&1 | grep -q 'USAGE: dialready convert'; }

if [[ -n "${DIALREADY:-}" ]]; then
  dialready="$DIALREADY"
elif has_convert .build/release/dialready; then
  dialready=.build/release/dialready
  if [[ .build/debug/dialready -nt .build/release/dialready ]]; then
    echo "conformance: note: .build/debug/dialready is newer than the release binary used" >&2
  fi
else
  dialready=.build/debug/dialready
  [[ -x .build/release/dialready ]] &&
    echo "conformance: .build/release/dialready has no 'convert' subcommand (stale); using $dialready" >&2
fi
if ! has_convert "$dialready"; then
  echo "conformance: no dialready binary with a 'convert' subcommand at $dialready" >&2
  echo "  build it with: swift build -c release   (or set DIALREADY=/path/to/dialready)" >&2
  exit 66
fi

if [[ ! -x "$python" ]]; then
  echo "conformance: creating virtualenv $venv"
  python3 -m venv "$venv"
fi
if ! "$python" -c 'import python_calamine' 2>/dev/null; then
  echo "conformance: installing python-calamine into $venv"
  "$python" -m pip install --quiet --disable-pip-version-check 'python-calamine==0.9.1'
fi

echo "conformance: $dialready over $corpus"
exec "$python" Scripts/conformance.py "$corpus" --bin "$dialready" \
  --report .build-tools/conformance/report.md "$@"
