#!/usr/bin/env bash
# Runs DialReady's test suite: installs the system libraries it needs when missing, builds, runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

source Scripts/lib/ensure-deps.sh
ensure_system_deps

echo "==> swift build (debug, with tests)"
swift build --build-tests
echo "==> swift test"
swift test --skip-build "$@"
