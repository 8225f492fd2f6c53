#!/usr/bin/env bash
# Memory of `dialready serve` under large upload bodies: C clients each POST a B-megabyte body at once,
# on loopback, and the server's peak resident memory (VmHWM from /proc) is printed with every reply's
# status. The body is a multipart form whose file is a CSV of 250,000 leads padded to B MB (a valid
# upload the server accepts), or with --json the same leads as a JSON body of 250,000 contacts.
#
#   Scripts/load-bodies.sh [--clients 16] [--megabytes 100] [--json]
#
# The server runs with --workers 0 (uploads are received, validated by the engine and stored, not
# processed). The binary comes from $DIALREADY (default .build/release/dialready; set
# DIALREADY=.build/debug/dialready to measure a debug build). Work files go to .build-tools/load-bodies.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clients=16
megabytes=100
kind=multipart
usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --megabytes) megabytes="$2"; shift 2 ;;
    --json) kind=json; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 64 ;;
  esac
done
source Scripts/lib/bench-common.sh
binary="${DIALREADY:-$root/.build/release/dialready}"
require_dialready load-bodies "$binary"
command -v curl >/dev/null || { echo "load-bodies: needs curl" >&2; exit 69; }

work="$root/.build-tools/load-bodies"
rm -rf "$work"; mkdir -p "$work"
data="$work/data"
"$binary" admin create-org load --credits 100000000 --data "$data" > /dev/null
key="$("$binary" admin create-key load --data "$data" 2>/dev/null)"

python3 - "$megabytes" "$work" "$kind" <<'PY'
import json, sys
megabytes, work, kind = int(sys.argv[1]), sys.argv[2], sys.argv[3]
size, rows = megabytes * 1_000_000, 250_000
numbers = [f"{area}368{line:04d}" for area in ("212", "312", "415", "617", "713", "206", "303", "404", "503", "602",
    "702", "801", "904", "305", "214", "480", "512", "615", "704", "813", "919", "954", "971", "916", "210", "385")
    for line in range(10_000)][:rows]
if kind == "multipart":
    pad = max(0, (size - 30 * rows) // rows)
    note = "x" * pad
    with open(f"{work}/leads.csv", "w") as out:
        out.write("id,phone,notes\n")
        for i, number in enumerate(numbers):
            out.write(f"{i},{number},{note}\n")
else:
    note = "x" * max(0, (size - 45 * rows) // rows)
    body = {"phone_column": "phone", "contacts": [{"id": i, "phone": n, "notes": note} for i, n in enumerate(numbers)]}
    with open(f"{work}/body.json", "w") as out:
        json.dump(body, out)
PY

"$binary" serve --port 0 --data "$data" --workers 0 --log-level error > "$work/server.out" 2> "$work/server.err" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 200); do
  port="$(grep -o '127\.0\.0\.1:[0-9]*' "$work/server.out" 2>/dev/null | head -1 | cut -d: -f2 || true)"
  [[ -n "$port" ]] && break
  sleep 0.05
done
[[ -n "$port" ]] || { echo "load-bodies: the server did not start" >&2; cat "$work/server.err" >&2; exit 70; }
idle_kib="$(awk '/^VmRSS/ { print $2 }' "/proc/$server/status")"

started=$(date +%s.%N)
pids=()
for i in $(seq 1 "$clients"); do
  if [[ "$kind" == multipart ]]; then
    curl -s -o "$work/reply.$i" -w '%{http_code}\n' -H "Authorization: Bearer $key" \
      -F phone_column=phone -F "file=@$work/leads.csv;type=text/csv" "http://127.0.0.1:$port/api/v1/uploads" > "$work/status.$i" &
    pids+=($!)
  else
    curl -s -o "$work/reply.$i" -w '%{http_code}\n' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      --data-binary "@$work/body.json" "http://127.0.0.1:$port/api/v1/uploads" > "$work/status.$i" &
    pids+=($!)
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
peak_kib="$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status")"
body_bytes="$(stat -c %s "$work/$([[ "$kind" == multipart ]] && echo leads.csv || echo body.json)")"
echo "load-bodies: $clients clients x $((body_bytes / 1000000)) MB $kind bodies at once, $(machine_line)"
echo "  replies: $(cat "$work"/status.* | sort | uniq -c | awk '{ printf "%s x %s  ", $1, $2 }')"
printf '  server RSS: idle %d MiB, peak %d MiB; %.1f s for all replies\n' "$((idle_kib / 1024))" "$((peak_kib / 1024))" "$elapsed"
echo "  binary: $binary"
