# Sourced by the benchmark scripts: the checks and installs they share.

# require_dialready NAME BINARY SKIP: stops (exit 66) when the binary is missing and not skipped.
require_dialready() {
  local name="$1" binary="$2" skip="${3:-0}"
  if [[ "$skip" -eq 0 && ! -x "$binary" ]]; then
    echo "$name: no dialready binary at $binary" >&2
    echo "  build it with: swift build -c release   (or set DIALREADY=/path/to/dialready," >&2
    echo "  or pass --skip-dialready to time the peers only)" >&2
    exit 66
  fi
}

# ensure_time NAME: installs the Debian package 'time' when /usr/bin/time is missing.
ensure_time() {
  if [[ ! -x /usr/bin/time ]]; then
    echo "$1: installing the Debian package 'time' (for /usr/bin/time)"
    local sudo=""
    [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time
  fi
}

# machine_line: "N cores, CPU model, memory" for report headers.
machine_line() {
  local cpu memory
  cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  memory="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576; exit }' /proc/meminfo)"
  echo "$(nproc) cores, ${cpu:-unknown CPU}, $memory"
}

# rows_label ROWS: 1000000 -> 1m, 200000 -> 200k, else the number (names generated inputs).
rows_label() {
  local rows="$1"
  if (( rows % 1000000 == 0 )); then echo "$((rows / 1000000))m"
  elif (( rows % 1000 == 0 )); then echo "$((rows / 1000))k"
  else echo "$rows"; fi
}
