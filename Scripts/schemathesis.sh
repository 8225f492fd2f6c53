#!/usr/bin/env bash
# Property-based API testing of `dialready serve` against openapi.yaml with schemathesis (from PyPI):
# generated requests for every operation, checked for server errors, undocumented statuses, bodies that
# do not match their schemas, and more (`--checks all`).
#
#   Scripts/schemathesis.sh [--max-examples 30] [--seed 20261126]
#
# schemathesis is installed into .build-tools/schemathesis-venv when missing. The server (from
# $DIALREADY, default .build/release/dialready, built when missing) runs on a fresh data directory with
# one organization, one key, a webhook receiver that answers 200, rate limits raised so generated
# write calls are not all 429, and a 1 s webhook timeout (generated URLs point nowhere). The summary
# and reports go to .build-tools/schemathesis/. Exit: schemathesis's (0 when every check passed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
max_examples=30
seed=20261126
while [[ $# -gt 0 ]]; do
  case "$1" in
    --max-examples) max_examples="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "schemathesis.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
source Scripts/lib/ensure-deps.sh
ensure_system_deps
work="$root/.build-tools/schemathesis"
venv="$root/.build-tools/schemathesis-venv"
if [[ ! -x "$venv/bin/st" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet schemathesis
fi
binary="${DIALREADY:-$root/.build/release/dialready}"
[[ -x "$binary" ]] || swift build -c release --product dialready
rm -rf "$work"; mkdir -p "$work"
"$binary" admin create-org fuzz --credits 100000000 --data "$work/data" > /dev/null
key="$("$binary" admin create-key fuzz --data "$work/data" 2>/dev/null)"

# A receiver for the pings of webhooks pointed at it.
python3 - "$work/receiver.port" <<'PY' &
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
receiver=$!
"$binary" serve --port 0 --data "$work/data" --workers 1 --webhook-timeout 1 --allow-private-webhooks --rate-limit-per-key 100000 \
  --rate-limit-per-organization 100000 --log-level error > "$work/serve.out" 2> "$work/serve.err" &
server=$!
trap 'kill $server $receiver 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'serving on' "$work/serve.out" 2>/dev/null && [[ -s "$work/receiver.port" ]] && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1)"
# One webhook that exists, so generated ids have a real one to hit sometimes.
curl -s -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$(cat "$work/receiver.port")/hook\",\"events\":[\"upload.created\"],\"secret\":\"s\"}" "$base/api/v1/webhooks"
status=0
# Run from the work folder: schemathesis keeps its cache (.schemathesis/) in the current directory.
(cd "$work" && "$venv/bin/st" run "$root/openapi.yaml" --url "$base" -H "Authorization: Bearer $key" --checks all \
  --max-examples "$max_examples" --seed "$seed" --workers 1 --request-timeout 30 \
  --report junit --report-dir "$work") > "$work/summary.txt" 2>&1 || status=$?
tail -40 "$work/summary.txt"
exit $status
