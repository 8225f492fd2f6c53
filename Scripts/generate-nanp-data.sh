#!/usr/bin/env bash
# Regenerates Sources/NANP/Generated/AreaCodeData.swift and
# Fixtures/nanp/libphonenumber-sample.tsv with the pinned phonenumbers release,
# installed in a virtualenv under .build-tools/ (git-ignored).
set -euo pipefail

PHONENUMBERS_VERSION="9.0.43"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.build-tools/venv"
python="$venv/bin/python"

if [[ ! -x "$python" ]]; then
  echo "creating virtualenv $venv"
  python3 -m venv "$venv"
fi

installed="$("$python" -c 'import phonenumbers; print(phonenumbers.__version__)' 2>/dev/null || true)"
if [[ "$installed" != "$PHONENUMBERS_VERSION" ]]; then
  echo "installing phonenumbers==$PHONENUMBERS_VERSION into $venv"
  "$python" -m pip install --quiet --disable-pip-version-check "phonenumbers==$PHONENUMBERS_VERSION"
fi

echo "running Scripts/generate-nanp-data.py with $python"
exec "$python" "$root/Scripts/generate-nanp-data.py" "$@"
