#!/usr/bin/env bash
# Load test of `dialready serve` on loopback: read throughput with wrk, and the time a 250,000-number
# JSON upload takes to be accepted and to complete. Prints medians over the runs and the ratios
# against peers measured in the same run.
#
#   Scripts/load-api.sh [--runs 3] [--duration 10] [--connections 32] [--numbers 250000]
#
# Reads: `wrk -t2 -cC -dD --latency` against GET /api/v1/uploads/{id} (authenticated, one SQLite read),
# with GET /healthz (no key, no upload read) as the peer. Upload: a JSON POST of N distinct numbers
# (generated with a fixed seed), timed from the request to the 200 (accepted) and to the moment
# GET shows `completed` (polled every 10 ms); the peer is `dialready classify` on the same numbers
# as a CSV file, the engine alone. The server runs with one worker. The binary comes from $DIALREADY
# (default .build/release/dialready, built when missing); wrk and curl are installed with apt-get
# when missing. Results go to .build-tools/load-api/results.tsv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=3
duration=10
connections=32
numbers=250000
usage() { sed -n '2,15s/^# \{0,1\}//p' "$0"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --numbers) numbers="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 64 ;;
  esac
done

source Scripts/lib/ensure-deps.sh
source Scripts/lib/bench-common.sh
ensure_system_deps
for tool in wrk curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "load-api: installing $tool with apt-get"
    sudo=""; [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$tool"
  fi
done
binary="${DIALREADY:-$root/.build/release/dialready}"
if [[ ! -x "$binary" ]]; then swift build -c release --product dialready; fi

work="$root/.build-tools/load-api"
rm -rf "$work"; mkdir -p "$work"
data="$work/data"
"$binary" admin create-org load --credits 100000000 --data "$data" > /dev/null
key="$("$binary" admin create-key load --data "$data" 2>/dev/null)"

python3 - "$numbers" "$work" <<'PY'
import json, random, sys
n, work = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261126)
areas = ["212", "312", "415", "617", "713", "206", "303", "404", "503", "602"]
seen, out = set(), []
while len(out) < n:
    number = f"{rng.choice(areas)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
    if number[3:6].endswith("11") or number in seen:
        continue
    seen.add(number); out.append(number)
json.dump({"phone_numbers": out}, open(f"{work}/upload.json", "w"))
with open(f"{work}/upload.csv", "w") as f:
    f.write("phone\n")
    f.writelines(x + "\n" for x in out)
json.dump({"phone_numbers": out[:100]}, open(f"{work}/small.json", "w"))
PY

"$binary" serve --port 0 --data "$data" --workers 1 --log-level warning > "$work/serve.out" 2> "$work/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'serving on' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1)"
[[ -n "$base" ]] || { echo "load-api: the server did not start; see $work/serve.err" >&2; exit 70; }

auth=(-H "Authorization: Bearer $key")
small_id="$(curl -s "${auth[@]}" -H 'Content-Type: application/json' --data-binary @"$work/small.json" "$base/api/v1/uploads" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
cat > "$work/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $key"
LUA

now_ms() { date +%s%3N; }
results="$work/results.tsv"
printf 'run\treads_per_s\treads_p99_ms\thealthz_per_s\thealthz_p99_ms\taccept_s\tcomplete_s\tclassify_s\n' > "$results"
wrk_stats() {  # prints "requests/s p99-ms"
  awk '/Requests\/sec/ { rps = $2 } $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; p99 = v } END { printf "%.0f %.2f\n", rps, p99 }'
}
for run in $(seq "$runs"); do
  read -r reads p99 < <(wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/auth.lua" "$base/api/v1/uploads/$small_id" | wrk_stats)
  read -r health hp99 < <(wrk -t2 -c"$connections" -d"${duration}s" --latency "$base/healthz" | wrk_stats)
  start="$(now_ms)"
  id="$(curl -s "${auth[@]}" -H 'Content-Type: application/json' --data-binary @"$work/upload.json" "$base/api/v1/uploads" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  accepted="$(now_ms)"
  while [[ "$(curl -s "${auth[@]}" "$base/api/v1/uploads/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" != completed ]]; do sleep 0.01; done
  completed="$(now_ms)"
  cstart="$(now_ms)"
  "$binary" classify "$work/upload.csv" --out "$work/classify-$run.dialready" --phone-column phone --force > /dev/null
  cend="$(now_ms)"
  awk -v run="$run" -v r="$reads" -v p="$p99" -v h="$health" -v hp="$hp99" -v a="$((accepted - start))" \
    -v c="$((completed - start))" -v k="$((cend - cstart))" \
    'BEGIN { printf "%s\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\n", run, r, p, h, hp, a / 1000, c / 1000, k / 1000 }' >> "$results"
  echo "run $run: $(tail -1 "$results" | cut -f2-)"
done
python3 - "$results" "$numbers" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
m = {k: statistics.median(float(r[k]) for r in rows) for k in rows[0] if k != "run"}
print(f"medians over {len(rows)} runs ({sys.argv[2]} numbers):")
print(f"  GET /api/v1/uploads/{{id}}: {m['reads_per_s']:.0f} requests/s, p99 {m['reads_p99_ms']:.2f} ms "
      f"(GET /healthz: {m['healthz_per_s']:.0f}/s, p99 {m['healthz_p99_ms']:.2f} ms; ratio {m['reads_per_s'] / m['healthz_per_s']:.2f})")
print(f"  POST accepted in {m['accept_s']:.3f} s, completed {m['complete_s']:.3f} s after the POST "
      f"(dialready classify alone: {m['classify_s']:.3f} s; ratio {m['complete_s'] / m['classify_s']:.2f})")
PY
