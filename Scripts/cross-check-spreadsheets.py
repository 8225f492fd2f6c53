#!/usr/bin/env python3
"""Cross-check dialready's XLSX and XLS readers against python-calamine, cell by cell.

  .build-tools/venv/bin/python Scripts/cross-check-spreadsheets.py
      [--rows 100000] [--xls-rows 65000] [--seed 42] [--examples 20]
      [--skip-xls] [--skip-dialready] [--regenerate]

1. Generates (seeded, once; reused while the name matches) under .build-tools/cross-check/:
     mixed-ROWS-sSEED.xlsx  xlsxwriter, shared strings (its default)
     mixed-ROWS-sSEED.xls   xlwt (BIFF8), only when xlwt is installed in the venv
   with a header row and the columns
     id,name,phone,amount,qty,active,code,calc,notes
   mixing strings (Unicode, entities, leading/trailing spaces, newlines, CR LF, tabs, a literal
   "_x000D_"), numbers (phone numbers as numbers, 10 and 11 digits), floats, booleans, blanks
   (absent cells and styled empty cells), digit strings with leading zeros, and (XLSX only)
   formulas with cached number, string and boolean values. xlwt cannot write a formula's cached
   value, so the XLS has no formulas.
2. Reads each file with python-calamine (first sheet) and renders every cell as text:
     blank -> "", bool -> TRUE/FALSE, integral float or int -> the integer ("2125551234"),
     other float -> Python repr ("1250.5", "0.30000000000000004"), string -> as is.
   It checks that rendering against the generator's own model of each cell (what the file's
   bytes hold) and stops if they differ: the reference must be right before it judges.
3. Runs `$DIALREADY classify FILE --out DIR --force --quiet --phone-column phone`
   ($DIALREADY defaults to .build/release/dialready), reads DIR/processed.csv (the input
   columns, then 11 appended columns, which are dropped) and compares it with calamine's grid
   cell by cell, header row included. Prints the first --examples differing cells and the count.
   A dialready cell that is a numeric cell's number in another notation (dialready keeps an XLSX
   number's XML literal: '2.125551234E9', '-0') is listed and counted apart, not as a difference.

Exit status: 0 when every checked file matches, 1 when a cell differs, 66 when the binary is
missing, 70 when dialready fails or the reference check fails.
Needs xlsxwriter and python-calamine (pip install into .build-tools/venv); xlwt is optional.
"""

import argparse
import csv
import datetime
import os
import random
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build-tools", "cross-check")
HEADER = ["id", "name", "phone", "amount", "qty", "active", "code", "calc", "notes"]
APPENDED_COLUMNS = 11  # phone_e164 ... classification

FIRST = ["Maria", "Derek", "Zoë", "José", "François", "Łukasz", "Aoife", "Nguyễn", "Søren",
         "Ana María", "O'Brien", "Kwame", "Yūko", "Chloé", "Dmitri", "Fatima", "Li", "Ravi"]
LAST = ["Alvarez", "Okafor", "Tremblay", "Müller", "Ng", "Smith & Sons", "<Admin>", "Gagné",
        "van der Berg", "Ó Súilleabháin", "Kowalski", "Patel", "Nakamura", "Dubois", "Cohen"]
AREAS = [212, 312, 415, 646, 718, 206, 303, 404, 512, 617, 702, 801, 905, 514, 604, 800, 888]
NOTES = ["Called twice, no answer", "prefers email", 'said "call back later"', "VIP; renew Q3",
         "line one\nline two", "first\r\nsecond", "tab\there", "A & B <c>", "  padded  ",
         "ref_x000D_id", "naïve café ☎", "emoji 😀 ok", "=SUM(A1:A2) as text", "1,234.50",
         "trailing space ", "back\\slash"]


# --- rendering -----------------------------------------------------------------------------------

def render(value):
    """Text of a cell value as read by python-calamine (or as modelled by the generator)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, str):
        return value
    # Dates, times and durations: the generator writes none; render them visibly.
    return f"<{type(value).__name__} {value}>"


def xlsx_number(value):
    """The double a reader gets back from xlsxwriter's number text ('%.16G')."""
    return float(f"{value:.16G}")


# --- generation ----------------------------------------------------------------------------------

def phone_text(rng):
    area, exchange, line = rng.choice(AREAS), rng.randint(200, 999), rng.randint(0, 9999)
    forms = [f"({area}) {exchange}-{line:04d}", f"{area}-{exchange}-{line:04d}",
             f"{area}.{exchange}.{line:04d}", f"+1 {area} {exchange} {line:04d}",
             f"1-{area}-{exchange}-{line:04d}", f"{area}{exchange}{line:04d}",
             f"{area}{exchange}{line:04d}.0", f"{area}-{exchange}-{line:04d} x{rng.randint(1, 999)}",
             "N/A", f"{exchange}-{line:04d}", f" {area} {exchange} {line:04d} "]
    return rng.choices(forms, weights=[20, 20, 10, 10, 5, 10, 3, 5, 3, 3, 2])[0]


def make_rows(rows, seed, formulas):
    """Yields (row_index, [(column, kind, value, cached)]), kind in
    s (string), n (number), b (boolean), blank (styled empty cell), f (formula)."""
    rng = random.Random(seed)
    for r in range(1, rows + 1):
        cells = [(0, "n", 100000 + r, None)]
        roll = rng.random()
        if roll < 0.02:
            pass  # blank name
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if roll < 0.05:
                name = " " + name
            cells.append((1, "s", name, None))
        roll = rng.random()
        if roll < 0.05:
            if rng.random() < 0.5:
                cells.append((2, "blank", None, None))
        elif roll < 0.30:
            number = rng.choice(AREAS) * 10**7 + rng.randint(200, 999) * 10**4 + rng.randint(0, 9999)
            if rng.random() < 0.3:
                number += 10**10  # 11 digits, leading 1
            cells.append((2, "n", number, None))
        else:
            cells.append((2, "s", phone_text(rng), None))
        roll = rng.random()
        if roll < 0.05:
            pass
        elif roll < 0.15:
            cells.append((3, "n", float(rng.randint(-500, 5000)), None))
        elif roll < 0.25:
            cells.append((3, "n", rng.randint(1, 10**6) / 3, None))         # 16-17 digits
        elif roll < 0.30:
            cells.append((3, "n", rng.choice([0.1 + 0.2, 1e14 + 0.5, -0.0, 0.0, 123456789.125]), None))
        else:
            cells.append((3, "n", rng.randint(-50000, 500000) / 100, None))
        if rng.random() < 0.9:
            cells.append((4, "n", rng.randint(0, 10**6), None))
        roll = rng.random()
        if roll < 0.85:
            cells.append((5, "b", roll < 0.45, None))
        elif roll < 0.9:
            cells.append((5, "s", rng.choice(["TRUE", "false", "yes"]), None))
        roll = rng.random()
        if roll < 0.6:
            cells.append((6, "s", f"{rng.randint(0, 99999):05d}", None))
        elif roll < 0.7:
            cells.append((6, "s", rng.choice(["1E5", "0x1F", "+12", "-0", "007", "1.50", "١٢٣"]), None))
        if formulas:
            roll = rng.random()
            if roll < 0.15:
                cached = rng.randint(0, 10**6) * 2
                cells.append((7, "f", f"=E{r + 1}*2", cached))
            elif roll < 0.25:
                cells.append((7, "f", f'=UPPER("{chr(97 + r % 26)}x")', f"{chr(65 + r % 26)}X"))
            elif roll < 0.30:
                cells.append((7, "f", f"=E{r + 1}>500000", rng.random() < 0.5))
            elif roll < 0.35:
                cells.append((7, "f", f"=E{r + 1}/7", rng.randint(1, 10**6) / 7))
        if rng.random() < 0.35:
            cells.append((8, "s", rng.choice(NOTES), None))
        yield r, cells


def model_text(kind, value, cached, number):
    if kind == "blank":
        return ""
    if kind == "f":
        return render(cached)  # xlsxwriter writes a cached number with str(): exact
    if kind == "n":
        return render(number(value))
    return render(value)


def build_model(rows, seed, formulas, number):
    """The expected text grid (header included) of a generated file, without writing it."""
    model = [list(HEADER)]
    for _, cells in make_rows(rows, seed, formulas):
        line = [""] * len(HEADER)
        for column, kind, value, cached in cells:
            line[column] = model_text(kind, value, cached, number)
        model.append(line)
    return model


def generate_xlsx(path, rows, seed):
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path + ".partial", {"strings_to_numbers": False,
                                                       "strings_to_formulas": False,
                                                       "strings_to_urls": False})
    workbook.set_properties({"created": datetime.datetime(2024, 6, 1, 12, 0, 0)})  # reproducible
    sheet = workbook.add_worksheet("leads")
    styled = workbook.add_format({"bg_color": "#FFFF00"})
    for column, name in enumerate(HEADER):
        sheet.write_string(0, column, name)
    for r, cells in make_rows(rows, seed, formulas=True):
        for column, kind, value, cached in cells:
            if kind == "s":
                sheet.write_string(r, column, value)
            elif kind == "n":
                sheet.write_number(r, column, value)
            elif kind == "b":
                sheet.write_boolean(r, column, value)
            elif kind == "blank":
                sheet.write_blank(r, column, None, styled)
            elif kind == "f":
                sheet.write_formula(r, column, value, None, cached)
    workbook.close()
    os.replace(path + ".partial", path)


def generate_xls(path, rows, seed):
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("leads")
    styled = xlwt.easyxf("pattern: pattern solid, fore_colour yellow")
    for column, name in enumerate(HEADER):
        sheet.write(0, column, name)
    for r, cells in make_rows(rows, seed, formulas=False):
        for column, kind, value, _ in cells:
            if kind == "blank":
                sheet.write(r, column, None, styled)
            else:
                sheet.write(r, column, value)
    workbook.save(path + ".partial")
    os.replace(path + ".partial", path)


# Per format: the generator, whether it writes formulas, and the double a reader gets back
# for a written number (xlsxwriter writes a cell's number as '%.16G' text, a formula's cached
# number with str(); BIFF stores the double itself).
FORMATS = {"xlsx": (generate_xlsx, True, xlsx_number), "xls": (generate_xls, False, float)}


# --- reading -------------------------------------------------------------------------------------

def calamine_grid(path):
    from python_calamine import CalamineWorkbook

    """The rendered text of every cell, and beside it the number of each numeric cell (else None)."""
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)
    texts = [[render(value) for value in row] for row in sheet]
    numbers = [[float(value) if isinstance(value, (int, float)) and not isinstance(value, bool)
                else None for value in row] for row in sheet]
    return texts, numbers


def dialready_grid(binary, path, out):
    command = [binary, "classify", path, "--out", out, "--force", "--quiet", "--phone-column", "phone"]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        print(f"cross-check: `{' '.join(command)}` exited {result.returncode}:", file=sys.stderr)
        print((result.stderr or result.stdout).strip()[-2000:], file=sys.stderr)
        return None, elapsed
    with open(os.path.join(out, "processed.csv"), encoding="utf-8-sig", newline="") as source:
        grid = [row[:-APPENDED_COLUMNS] if len(row) >= APPENDED_COLUMNS else row
                for row in csv.reader(source)]
    return grid, elapsed


def same_number(text, number):
    """Whether `text` is another notation of the numeric cell value `number` ('2.125551234E9')."""
    if number is None:
        return False
    try:
        return float(text) == number
    except ValueError:
        return False


def compare(left, right, left_name, right_name, examples, numbers=None):
    """Prints the first `examples` differing cells and returns their count (rows padded with "").

    With `numbers` (the left side's numeric values), a right-side text that is the same number in
    another notation ('2.125551234E9' for 2125551234: dialready keeps an XLSX number's XML literal)
    is counted and shown apart, and not returned in the count."""
    width = max([len(row) for row in left + right] + [0])
    header = left[0] if left else []
    differences = notation = 0
    if len(left) != len(right):
        print(f"  row count: {left_name} {len(left):,}, {right_name} {len(right):,}")
    for index in range(max(len(left), len(right))):
        a = left[index] if index < len(left) else []
        b = right[index] if index < len(right) else []
        n = numbers[index] if numbers is not None and index < len(numbers) else []
        for column in range(width):
            x = a[column] if column < len(a) else ""
            y = b[column] if column < len(b) else ""
            if x == y:
                continue
            name = header[column] if column < len(header) else "?"
            where = f"row {index + 1} col {column_letter(column)} ({name})"
            if same_number(y, n[column] if column < len(n) else None):
                notation += 1
                if notation <= examples:
                    print(f"  same number, other notation: {where}: {left_name} {x!r}, {right_name} {y!r}")
                continue
            differences += 1
            if differences <= examples:
                print(f"  {where}: {left_name} {x!r}, {right_name} {y!r}")
    if notation:
        print(f"  {notation:,} cells hold the same number in another notation (not counted as differing)")
    return differences


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- main ----------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100000, help="XLSX data rows (default 100000)")
    parser.add_argument("--xls-rows", type=int, default=65000, help="XLS data rows (at most 65535)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--examples", type=int, default=20, help="differing cells to print")
    parser.add_argument("--skip-xls", action="store_true")
    parser.add_argument("--skip-dialready", action="store_true",
                        help="generate and check the calamine side only")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the inputs")
    args = parser.parse_args()
    if not 1 <= args.xls_rows <= 65535:
        parser.error("--xls-rows must be 1..65535 (BIFF8 has 65,536 rows)")

    binary = os.environ.get("DIALREADY", os.path.join(ROOT, ".build", "release", "dialready"))
    if not args.skip_dialready and not os.access(binary, os.X_OK):
        print(f"cross-check: no dialready binary at {binary} (swift build -c release, set "
              "DIALREADY, or pass --skip-dialready)", file=sys.stderr)
        return 66

    os.makedirs(WORK, exist_ok=True)
    jobs = [("xlsx", args.rows)]
    if not args.skip_xls:
        try:
            import xlwt  # noqa: F401
            jobs.append(("xls", args.xls_rows))
        except ImportError:
            print("cross-check: xlwt is not installed in the venv; skipping the XLS file")

    status = 0
    for extension, rows in jobs:
        generate, formulas, number = FORMATS[extension]
        path = os.path.join(WORK, f"mixed-{rows}-s{args.seed}.{extension}")
        if args.regenerate or not os.path.exists(path):
            started = time.monotonic()
            generate(path, rows, args.seed)
            print(f"cross-check: wrote {os.path.relpath(path, ROOT)} "
                  f"({os.path.getsize(path):,} bytes, {time.monotonic() - started:.1f}s)")
        else:
            print(f"cross-check: reusing {os.path.relpath(path, ROOT)}")
        model = build_model(rows, args.seed, formulas, number)

        started = time.monotonic()
        reference, numbers = calamine_grid(path)
        print(f"cross-check: {extension}: calamine read {len(reference):,} rows "
              f"in {time.monotonic() - started:.1f}s")
        wrong = compare(model, reference, "model", "calamine", args.examples)
        if wrong:
            print(f"cross-check: {extension}: calamine disagrees with the generator's model on "
                  f"{wrong:,} cells; fix the reference first", file=sys.stderr)
            return 70
        print(f"cross-check: {extension}: calamine matches the generator's model on every cell")

        if args.skip_dialready:
            continue
        out = os.path.join(WORK, f"out-{extension}")
        grid, elapsed = dialready_grid(binary, path, out)
        if grid is None:
            return 70
        print(f"cross-check: {extension}: dialready read {len(grid):,} rows in {elapsed:.1f}s")
        differences = compare(reference, grid, "calamine", "dialready", args.examples, numbers)
        if differences:
            print(f"cross-check: {extension}: {differences:,} differing cells "
                  f"(first {min(differences, args.examples)} above)")
            status = 1
        else:
            print(f"cross-check: {extension}: every cell matches")
    return status


if __name__ == "__main__":
    sys.exit(main())
