#!/usr/bin/env python3
"""Checks a `dialready classify` output directory, for Scripts/kill-test.sh.

  Scripts/lib/check-output-dir.py OUT [MANIFEST_SHA256] [ROWS_CACHE]

Prints "absent" when OUT does not exist, "complete (new output)" or "complete (previous
output)" (its manifest.json has MANIFEST_SHA256) when OUT holds exactly processed.csv,
processed-filtered.csv, rejects.csv and manifest.json and each outputs entry of the manifest
matches its file (path, bytes, sha256, rows = CSV records less the header); otherwise prints
"BAD: why" and exits 1. ROWS_CACHE keeps "sha256 rows" lines already counted, so identical
files are not parsed again. Standard library only.
"""

import csv
import hashlib
import json
import os
import sys

out, before, cache_path = (sys.argv[1:] + ["", ""])[:3]
names = {"processed": "processed.csv", "filtered": "processed-filtered.csv", "rejects": "rejects.csv"}


def bad(message):
  print("BAD: " + message)
  sys.exit(1)


def sha256(path):
  digest = hashlib.sha256()
  with open(path, "rb") as f:
    for block in iter(lambda: f.read(1 << 20), b""):
      digest.update(block)
  return digest.hexdigest()


if not os.path.lexists(out):
  print("absent")
  sys.exit(0)
held = sorted(os.listdir(out))
if held != sorted([*names.values(), "manifest.json"]):
  bad("holds " + (", ".join(held) or "nothing"))
raw = open(os.path.join(out, "manifest.json"), "rb").read()
try:
  outputs = json.loads(raw)["outputs"]
  assert isinstance(outputs, dict) and all(isinstance(outputs.get(key), dict) for key in names)
except (ValueError, KeyError, TypeError, AssertionError):
  bad("manifest.json does not parse or lacks outputs.{processed,filtered,rejects}")
cache = dict(line.split() for line in open(cache_path)) if os.path.exists(cache_path or "") else {}
for key, name in names.items():
  entry, path = outputs[key], os.path.join(out, name)
  if os.path.realpath(str(entry.get("path"))) != os.path.realpath(path):
    bad(f"outputs.{key}.path is {entry.get('path')!r}")
  if entry.get("bytes") != os.path.getsize(path):
    bad(f"{name} has {os.path.getsize(path)} bytes, the manifest says {entry.get('bytes')}")
  digest = sha256(path)
  if entry.get("sha256") != digest:
    bad(f"{name}: sha256 differs from the manifest's")
  if digest not in cache:
    with open(path, newline="", encoding="utf-8") as f:
      cache[digest] = str(sum(1 for _ in csv.reader(f)) - 1)
  if str(entry.get("rows")) != cache[digest]:
    bad(f"{name} has {cache[digest]} records, the manifest says rows {entry.get('rows')}")
if cache_path:
  with open(cache_path, "w") as f:
    f.writelines(f"{d} {n}\n" for d, n in cache.items())
age = "previous" if hashlib.sha256(raw).hexdigest() == before else "new"
print(f"complete ({age} output)")
