#!/usr/bin/env bash
# Runs the main job on the bundled sample: installs what the build needs, builds, classifies
# Fixtures/leads-sample.csv into Fixtures/leads-sample.dialready/ and lists the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."

source Scripts/lib/ensure-deps.sh
ensure_system_deps

echo "==> swift build -c release"
swift build -c release --product dialready
echo "==> dialready classify Fixtures/leads-sample.csv --force"
.build/release/dialready classify Fixtures/leads-sample.csv --force "$@"
echo "==> outputs"
ls -l Fixtures/leads-sample.dialready/
