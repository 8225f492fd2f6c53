#!/usr/bin/env python3
"""Peer for Scripts/bench-peers.sh: the main job as DuckDB SQL (Python `duckdb` package).

Normalization by regular expressions: drop an extension (`x…`, `ext…`, `#…`)
and an Excel `.0` suffix, keep the digits, drop a leading 1 from 11 digits;
10 digits whose area code and exchange start with 2-9 are valid. Duplicates
by window function, first row wins. Writes with COPY:

  OUT/processed.csv           every input row + phone_e164,status,reason
  OUT/processed-filtered.csv  valid, non-duplicate rows only

  duckdb_job.py INPUT --out DIR [--column phone] [--threads N]
"""

import argparse
import os
import sys

import duckdb


def quote_literal(text):
  return "'" + text.replace("'", "''") + "'"


def quote_identifier(name):
  return '"' + name.replace('"', '""') + '"'


JOB = """
CREATE TEMP TABLE normalized AS
WITH source AS (
  SELECT row_number() OVER () + 1 AS _row, *
  FROM read_csv({input}, header = true, all_varchar = true, quote = '"', escape = '"')
),
digits AS (
  SELECT *,
    regexp_replace(
      regexp_replace(
        regexp_replace(coalesce({phone}, ''), '(?i)\\s*(x|ext|#).*$', ''),
        '\\.0$', ''),
      '[^0-9]', '', 'g') AS _digits
  FROM source
),
national AS (
  SELECT *,
    CASE WHEN length(_digits) = 11 AND _digits[1] = '1' THEN _digits[2:] ELSE _digits END AS _national
  FROM digits
),
checked AS (
  SELECT *,
    CASE WHEN regexp_full_match(_national, '[2-9][0-9]{{2}}[2-9][0-9]{{6}}')
         THEN '+1' || _national END AS phone_e164
  FROM national
)
SELECT *,
  CASE WHEN phone_e164 IS NULL THEN NULL
       ELSE min(_row) OVER (PARTITION BY phone_e164) END AS _first
FROM checked;

COPY (
  SELECT {columns}, phone_e164,
    CASE WHEN phone_e164 IS NULL THEN 'invalid'
         WHEN _first = _row THEN 'valid' ELSE 'duplicate' END AS status,
    CASE WHEN phone_e164 IS NOT NULL AND _first <> _row THEN 'duplicate_of_row_' || _first
         WHEN phone_e164 IS NOT NULL THEN NULL
         WHEN trim(coalesce({phone}, '')) = '' THEN 'empty'
         WHEN _digits = '' THEN 'not_a_number'
         WHEN length(_national) <> 10 THEN 'wrong_length'
         ELSE 'invalid_area_code_or_exchange' END AS reason
  FROM normalized ORDER BY _row
) TO {processed} (HEADER, DELIMITER ',');

COPY (
  SELECT {columns}, phone_e164, 'valid' AS status, NULL AS reason
  FROM normalized WHERE _first = _row ORDER BY _row
) TO {filtered} (HEADER, DELIMITER ',');
"""


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("input")
  parser.add_argument("--out", required=True, help="output directory")
  parser.add_argument("--column", default="phone", help="phone column name (default phone)")
  parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
  args = parser.parse_args()
  os.makedirs(args.out, exist_ok=True)

  connection = duckdb.connect()
  if args.threads:
    connection.execute(f"SET threads = {args.threads}")
  columns = [row[0] for row in connection.execute(
    f"DESCRIBE SELECT * FROM read_csv({quote_literal(args.input)}, header = true, all_varchar = true)"
  ).fetchall()]
  matches = [name for name in columns if name.strip().lower() == args.column.lower()]
  if not matches:
    sys.exit(f"duckdb_job: no column named {args.column!r} in {args.input}")

  connection.execute(JOB.format(
    input=quote_literal(args.input),
    phone=quote_identifier(matches[0]),
    columns=", ".join(quote_identifier(name) for name in columns),
    processed=quote_literal(os.path.join(args.out, "processed.csv")),
    filtered=quote_literal(os.path.join(args.out, "processed-filtered.csv")),
  ))
  counts = connection.execute(
    "SELECT count(*), count(*) FILTER (WHERE _first = _row), "
    "count(*) FILTER (WHERE _first <> _row), count(*) FILTER (WHERE phone_e164 IS NULL) "
    "FROM normalized").fetchone()
  print("duckdb_job: rows={} valid={} duplicate={} invalid={}".format(*counts), file=sys.stderr)


if __name__ == "__main__":
  main()
