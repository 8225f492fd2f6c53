#!/usr/bin/env python3
"""Peer for Scripts/bench-peers.sh: the main job with Python `csv` + `phonenumbers`.

Reads a CSV, parses the `phone` column with phonenumbers.parse(text, "US"),
accepts numbers that are valid and in US or CA, formats them as E.164, marks
later repeats as duplicates (first occurrence wins) and writes:

  OUT/processed.csv           every input row + phone_e164,status,reason
  OUT/processed-filtered.csv  valid, non-duplicate rows only

  python_phonenumbers.py INPUT --out DIR [--column phone]
"""

import argparse
import csv
import os
import sys

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

ALLOWED_REGIONS = {"US", "CA"}


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("input")
  parser.add_argument("--out", required=True, help="output directory")
  parser.add_argument("--column", default="phone", help="phone column name (default phone)")
  args = parser.parse_args()
  os.makedirs(args.out, exist_ok=True)

  parse = phonenumbers.parse
  is_valid = phonenumbers.is_valid_number
  region_of = phonenumbers.region_code_for_number
  format_number = phonenumbers.format_number
  e164_format = PhoneNumberFormat.E164

  first_row = {}  # E.164 -> spreadsheet row of its first occurrence
  counts = {"valid": 0, "invalid": 0, "duplicate": 0}
  with open(args.input, newline="", encoding="utf-8-sig") as source, \
       open(os.path.join(args.out, "processed.csv"), "w", newline="", encoding="utf-8") as full, \
       open(os.path.join(args.out, "processed-filtered.csv"), "w", newline="", encoding="utf-8") as kept:
    reader = csv.reader(source)
    header = next(reader)
    lowered = [name.strip().lower() for name in header]
    if args.column.lower() not in lowered:
      sys.exit(f"python_phonenumbers: no column named {args.column!r} in {args.input}")
    column = lowered.index(args.column.lower())
    full_writer = csv.writer(full, lineterminator="\n")
    kept_writer = csv.writer(kept, lineterminator="\n")
    out_header = header + ["phone_e164", "status", "reason"]
    full_writer.writerow(out_header)
    kept_writer.writerow(out_header)

    for row_number, row in enumerate(reader, start=2):
      text = row[column].strip() if column < len(row) else ""
      e164, status, reason = "", "invalid", ""
      if not text:
        reason = "empty"
      else:
        try:
          number = parse(text, "US")
        except NumberParseException:
          reason = "not_a_number"
        else:
          if not is_valid(number):
            reason = "invalid_number"
          elif region_of(number) not in ALLOWED_REGIONS:
            reason = "outside_allowed_regions"
          else:
            e164 = format_number(number, e164_format)
            first = first_row.get(e164)
            if first is None:
              first_row[e164] = row_number
              status = "valid"
            else:
              status, reason = "duplicate", f"duplicate_of_row_{first}"
      counts[status] += 1
      out = row + [e164, status, reason]
      full_writer.writerow(out)
      if status == "valid":
        kept_writer.writerow(out)

  print("python_phonenumbers: " + " ".join(f"{k}={v}" for k, v in counts.items()), file=sys.stderr)


if __name__ == "__main__":
  main()
