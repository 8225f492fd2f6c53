#!/usr/bin/env bash
# Packs what a second machine without Swift needs to run DialReady's release binary and the fuzz
# targets: the binaries, the Swift runtime and ICU libraries they load, and the fuzz seed corpora.
#
#   Scripts/remote-bundle.sh        writes .build-device/bundle.tar.xz (git-ignored)
#
# Build first: `swift build -c release` and `Scripts/fuzz.sh --build`. On the other machine, unpack
# it in the repository root and run Scripts/remote-run.sh (scaling and fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }

release=.build/release/dialready
fuzz=Tests/Fuzz/.build/release/fuzz-all
for f in "$release" "$fuzz"; do
  [[ -x "$f" ]] || { echo "remote-bundle: $f is missing; build it first" >&2; exit 66; }
done
stage=.build-device/stage
rm -rf "$stage" && mkdir -p "$stage/bin" "$stage/lib" "$stage/seeds"
cp "$release" "$fuzz" "$stage/bin/"
# Every shared library the two binaries load, except the C library's own (the other machine has those).
{ ldd "$release"; ldd "$fuzz"; } | awk '$3 ~ /^\// { print $3 }' | sort -u \
  | grep -v -E '/(libc|libm|libresolv|libpthread|libdl|librt)\.so' | while read -r lib; do cp -L "$lib" "$stage/lib/"; done
# Seeds: the working corpus and the seed lists Scripts/fuzz.sh builds (links resolved).
for t in $(Scripts/fuzz.sh --list); do
  mkdir -p "$stage/seeds/$t"
  [[ -d .build-fuzz/corpus/$t ]] && cp .build-fuzz/corpus/"$t"/* "$stage/seeds/$t/" 2>/dev/null || true
  [[ -d .build-fuzz/seeds/$t ]] && cp -L .build-fuzz/seeds/"$t"/* "$stage/seeds/$t/" 2>/dev/null || true
done
cp -r Tests/Fuzz/Dictionaries "$stage/"
tar -C "$stage" -cJf .build-device/bundle.tar.xz .
rm -rf "$stage"
ls -la .build-device/bundle.tar.xz
