#!/usr/bin/env python3
"""Peer for Scripts/bench-peers.sh: the main job with polars and regular expressions.

The same rules as duckdb_job.py: drop an extension (`x…`, `ext…`, `#…`) and an
Excel `.0` suffix, keep the digits, drop a leading 1 from 11 digits; 10 digits
whose area code and exchange start with 2-9 are valid. First occurrence wins.

  OUT/processed.csv           every input row + phone_e164,status,reason
  OUT/processed-filtered.csv  valid, non-duplicate rows only

  polars_job.py INPUT --out DIR [--column phone]
"""

import argparse
import os
import sys

import polars as pl


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("input")
  parser.add_argument("--out", required=True, help="output directory")
  parser.add_argument("--column", default="phone", help="phone column name (default phone)")
  args = parser.parse_args()
  os.makedirs(args.out, exist_ok=True)

  frame = pl.read_csv(args.input, infer_schema=False)
  matches = [name for name in frame.columns if name.strip().lower() == args.column.lower()]
  if not matches:
    sys.exit(f"polars_job: no column named {args.column!r} in {args.input}")
  phone = pl.col(matches[0]).fill_null("")
  row = pl.int_range(2, pl.len() + 2, dtype=pl.UInt32)

  digits = (
    phone.str.replace(r"(?i)\s*(x|ext|#).*$", "")
    .str.replace(r"\.0$", "")
    .str.replace_all(r"[^0-9]", "")
  )
  national = (
    pl.when((pl.col("_digits").str.len_bytes() == 11) & pl.col("_digits").str.starts_with("1"))
    .then(pl.col("_digits").str.slice(1))
    .otherwise(pl.col("_digits"))
  )
  valid_national = pl.col("_national").str.contains(r"^[2-9][0-9]{2}[2-9][0-9]{6}$")
  e164 = pl.when(valid_national).then(pl.lit("+1") + pl.col("_national"))
  first = pl.col("_row").min().over("phone_e164")

  result = (
    frame.lazy()
    .with_columns(_row=row, _digits=digits)
    .with_columns(_national=national)
    .with_columns(phone_e164=e164)
    .with_columns(_first=pl.when(pl.col("phone_e164").is_not_null()).then(first))
    .with_columns(
      status=pl.when(pl.col("phone_e164").is_null()).then(pl.lit("invalid"))
      .when(pl.col("_first") == pl.col("_row")).then(pl.lit("valid"))
      .otherwise(pl.lit("duplicate")),
      reason=pl.when(pl.col("phone_e164").is_not_null() & (pl.col("_first") != pl.col("_row")))
      .then(pl.lit("duplicate_of_row_") + pl.col("_first").cast(pl.String))
      .when(pl.col("phone_e164").is_not_null()).then(pl.lit(None, dtype=pl.String))
      .when(phone.str.strip_chars() == "").then(pl.lit("empty"))
      .when(pl.col("_digits") == "").then(pl.lit("not_a_number"))
      .when(pl.col("_national").str.len_bytes() != 10).then(pl.lit("wrong_length"))
      .otherwise(pl.lit("invalid_area_code_or_exchange")),
    )
    .select(*frame.columns, "phone_e164", "status", "reason")
    .collect()
  )
  result.write_csv(os.path.join(args.out, "processed.csv"))
  result.filter(pl.col("status") == "valid").write_csv(os.path.join(args.out, "processed-filtered.csv"))
  counts = result["status"].value_counts()
  summary = " ".join(f"{status}={count}" for status, count in sorted(counts.iter_rows()))
  print(f"polars_job: rows={result.height} {summary}", file=sys.stderr)


if __name__ == "__main__":
  main()
