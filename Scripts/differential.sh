#!/usr/bin/env bash
# Differential test of `dialready normalize` against libphonenumber (phonenumbers 9.0.43).
# Builds nothing: set DIALREADY to the binary (default .build/release/dialready).
# Extra arguments go to differential.py (--count, --seed, --examples N, --regions, --help).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.build-tools/venv"
phonenumbers_version="9.0.43"

if [[ ! -x "$venv/bin/python" ]]; then
  echo "differential: creating virtualenv $venv" >&2
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('phonenumbers') != '$phonenumbers_version')" 2>/dev/null; then
  echo "differential: installing phonenumbers==$phonenumbers_version into $venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "phonenumbers==$phonenumbers_version"
fi

binary="${DIALREADY:-$root/.build/release/dialready}"
echo "differential: comparing $binary with phonenumbers $phonenumbers_version" >&2
exec "$venv/bin/python" "$root/Scripts/differential.py" --bin "$binary" "$@"
