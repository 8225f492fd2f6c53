#!/usr/bin/env bash
# Runs DialReady's test suite: installs the system libraries it needs when missing, builds, runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

source Scripts/lib/ensure-deps.sh
ensure_system_deps

echo "==> swift build (debug, with tests)"
swift build --build-tests
echo "==> swift test"
# One test at a time: many tests wait on a subprocess (dialready runs, a killed server) or a live
# loopback server, and a test that blocks one of the cooperative pool's threads (one per core, two
# here) starved the in-process webhook receivers and timed checks of server tests running beside it.
# Serially the suite takes about 55 s here instead of about 35 s, and no test waits on another.
swift test --skip-build --no-parallel "$@"
