#!/usr/bin/env python3
"""Writes the legacy Excel (.xls, BIFF8) fixtures in Fixtures/xls/ and their expected cell texts.

  .build-tools/venv/bin/python Scripts/gen-xls-fixtures.py [--out Fixtures/xls] [--seed 20240611]

Needs xlwt (`.build-tools/venv/bin/pip install xlwt`); cross-checks every file with xlrd when it is
installed. Writes:
  kinds.xls                 every cell kind the reader handles, small enough to check by hand
  kinds.expected.tsv        expected cells of its first sheet, `Leads`: row, column, text
  kinds-Other.expected.tsv  expected cells of its second sheet, `Other`
  large-sst.xls             65,535 rows whose shared-string table spans many CONTINUE records
  large-sst.expected.sha256 SHA-256 of the expected TSV rendering of large-sst.xls, rows and cells

Expected texts come from the values written, never from a reader: a number that is integral and
below 2^53 in magnitude is written as an integer, any other number in its shortest round-trip form
(Python's repr, which matches Swift's description); booleans as TRUE/FALSE; errors as Excel shows
them; empty texts and blank cells are left out. In the TSV, tab, newline and backslash are escaped
as \\t, \\n and \\\\.

Two things xlwt cannot do are added here: cached formula results (xlwt writes none; a string result
needs a STRING record, continued in CONTINUE records when long) and shared strings whose characters
switch between compressed 8-bit and UTF-16 at a CONTINUE boundary, as Excel writes them (xlwt uses
one encoding per string).
"""

import argparse
import hashlib
import os
import random
import struct
import sys

try:
    import xlwt
    from xlwt import BIFFRecords, Cell
except ImportError:
    sys.exit("xlwt is missing: .build-tools/venv/bin/pip install xlwt")

MAX_RECORD_DATA = 0x2020  # 8,224 bytes: the most a BIFF8 record body (SST piece, STRING) holds
ERROR_TEXT = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}
ERROR_CODE = {text: code for code, text in ERROR_TEXT.items()}


# ---------------------------------------------------------------------------------------------
# Text encoding with per-record encoding choice (compressed 8-bit or UTF-16), as Excel does it.

def utf16_units(text):
    data = text.encode("utf-16-le")
    return struct.unpack("<%dH" % (len(data) // 2), data)


def take_chunk(units, start, free):
    """How many code units from `start` fit in `free` bytes, and whether they must be UTF-16."""
    left = len(units) - start
    if left == 0 or free <= 0:
        return 0, False
    count = min(free, left)
    if all(unit < 0x100 for unit in units[start:start + count]):
        return count, False
    count = min(free // 2, left)
    # Never split a surrogate pair between two records.
    if 0 < count < left and 0xD800 <= units[start + count - 1] <= 0xDBFF:
        count -= 1
    return count, True


def pack_units(units, wide):
    if wide:
        return struct.pack("<%dH" % len(units), *units)
    return bytes(units)


def add_to_sst(self, text):
    """Replaces xlwt's SharedStringTable._add_to_sst: each piece of a long string picks its own
    encoding, so a string can go on in a CONTINUE record in the other encoding."""
    units = utf16_units(text)
    free = MAX_RECORD_DATA - len(self._current_piece) - 3
    count, wide = take_chunk(units, 0, free)
    if units and count == 0:
        self._new_piece()
        count, wide = take_chunk(units, 0, MAX_RECORD_DATA - 3)
    elif not units and free < 0:
        self._new_piece()
    self._current_piece += struct.pack("<HB", len(units), 1 if wide else 0) + pack_units(units[:count], wide)
    done = count
    while done < len(units):
        self._new_piece()
        count, wide = take_chunk(units, done, MAX_RECORD_DATA - 1)
        self._current_piece += bytes([1 if wide else 0]) + pack_units(units[done:done + count], wide)
        done += count


BIFFRecords.SharedStringTable._add_to_sst = add_to_sst


# Cached formula results, keyed by the id of the xlwt Formula object.
CACHED_RESULTS = {}


def string_records(text):
    """A STRING record (a formula's string result) and the CONTINUE records its characters need."""
    units = utf16_units(text)
    count, wide = take_chunk(units, 0, MAX_RECORD_DATA - 3)
    body = struct.pack("<HB", len(units), 1 if wide else 0) + pack_units(units[:count], wide)
    records = [struct.pack("<2H", 0x0207, len(body)) + body]
    done = count
    while done < len(units):
        count, wide = take_chunk(units, done, MAX_RECORD_DATA - 1)
        body = bytes([1 if wide else 0]) + pack_units(units[done:done + count], wide)
        records.append(struct.pack("<2H", 0x003C, len(body)) + body)
        done += count
    return b"".join(records)


def formula_biff_data(self):
    """Replaces xlwt's FormulaCell.get_biff_data: writes the cached result registered for the formula."""
    kind, value = CACHED_RESULTS.get(id(self.frmla), ("empty", None))
    trailer = b""
    if kind == "number":
        result = struct.pack("<d", value)
    elif kind == "string":
        result = bytes([0, 0, 0, 0, 0, 0, 0xFF, 0xFF])
        trailer = string_records(value)
    elif kind == "boolean":
        result = bytes([1, 0, 1 if value else 0, 0, 0, 0, 0xFF, 0xFF])
    elif kind == "error":
        result = bytes([2, 0, value, 0, 0, 0, 0xFF, 0xFF])
    else:
        result = bytes([3, 0, 0, 0, 0, 0, 0xFF, 0xFF])
    rpn = self.frmla.rpn()
    body = struct.pack("<3H", self.rowx, self.colx, self.xf_idx) + result + struct.pack("<HL", self.calc_flags & 3, 0) + rpn
    return struct.pack("<2H", 0x0006, len(body)) + body + trailer


Cell.FormulaCell.get_biff_data = formula_biff_data

xlwt_rk_encoding = Cell.NumberCell.get_encoded_data


def rk_encoding(self):
    """Extends xlwt's NumberCell.get_encoded_data with the two float RK forms, which xlwt leaves out
    but Excel writes: the upper 30 bits of the double, and of the double times 100 (flag bit 0)."""
    is_rk, encoded = xlwt_rk_encoding(self)
    if is_rk:
        return is_rk, encoded
    low, high = struct.unpack("<2I", struct.pack("<d", self.number))
    if low == 0 and high & 3 == 0:
        return 1, struct.unpack("<i", struct.pack("<I", high))[0]
    scaled = self.number * 100
    low, high = struct.unpack("<2I", struct.pack("<d", scaled))
    if low == 0 and high & 3 == 0 and scaled / 100 == self.number:
        return 1, struct.unpack("<i", struct.pack("<I", high | 1))[0]
    return is_rk, encoded


Cell.NumberCell.get_encoded_data = rk_encoding


# ---------------------------------------------------------------------------------------------
# Writing cells while recording the text a reader must produce.

class Error:
    """An error cell value such as #N/A."""

    def __init__(self, text):
        self.code = ERROR_CODE[text]


class Rich:
    """A rich-text string: (text, bold) segments."""

    def __init__(self, *segments):
        self.segments = segments


class Formula:
    """A formula with the result Excel would have cached."""

    def __init__(self, expression, result):
        self.expression = expression
        self.result = result


def number_text(value):
    value = float(value)
    if abs(value) < 2.0 ** 53 and value == int(value):
        return str(int(value))
    return repr(value)


def value_text(value):
    """The text a reader gives for `value`, or None for a cell it leaves out."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, Error):
        return ERROR_TEXT[value.code]
    if isinstance(value, Rich):
        text = "".join(segment for segment, _ in value.segments)
    elif isinstance(value, Formula):
        return value_text(value.result)
    else:
        text = value
    return text or None


class SheetWriter:
    def __init__(self, book, name):
        self.sheet = book.add_sheet(name)
        self.expected = {}
        self.bold = xlwt.Font()
        self.bold.bold = True
        self.blank_style = xlwt.easyxf("pattern: pattern solid, fore_colour light_yellow")

    def put(self, row, column, value):
        if value is None:
            # A formatted blank cell: a BLANK (or, next to another, MULBLANK) record.
            self.sheet.write(row, column, "", self.blank_style)
        elif isinstance(value, Error):
            self.sheet.row(row).set_cell_error(column, value.code)
        elif isinstance(value, Rich):
            segments = [(text, self.bold) if bold else text for text, bold in value.segments]
            self.sheet.write_rich_text(row, column, segments)
        elif isinstance(value, Formula):
            formula = xlwt.Formula(value.expression)
            result = value.result
            if isinstance(result, bool):
                CACHED_RESULTS[id(formula)] = ("boolean", result)
            elif isinstance(result, (int, float)):
                CACHED_RESULTS[id(formula)] = ("number", float(result))
            elif isinstance(result, Error):
                CACHED_RESULTS[id(formula)] = ("error", result.code)
            elif result:
                CACHED_RESULTS[id(formula)] = ("string", result)
            else:
                CACHED_RESULTS[id(formula)] = ("empty", None)
            self.sheet.write(row, column, formula)
        else:
            self.sheet.write(row, column, value)
        text = value_text(value)
        if text is not None:
            self.expected[(row, column)] = text


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def rendering(expected):
    lines = ["%d\t%d\t%s\n" % (row, column, escape(text)) for (row, column), text in sorted(expected.items())]
    return "".join(lines).encode("utf-8")


def cross_check(path, sheets):
    """Reads `path` back with xlrd (when installed) and compares every sheet with what was written."""
    try:
        import xlrd
    except ImportError:
        print("  xlrd not installed; skipping the cross-check")
        return
    book = xlrd.open_workbook(path, on_demand=False)
    assert book.sheet_names() == [name for name, _ in sheets], book.sheet_names()
    for (name, expected), sheet in zip(sheets, book.sheets()):
        seen = {}
        for row in range(sheet.nrows):
            for column in range(sheet.ncols):
                cell = sheet.cell(row, column)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if cell.ctype == xlrd.XL_CELL_TEXT:
                    text = cell.value or None
                elif cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                    text = number_text(cell.value)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    text = "TRUE" if cell.value else "FALSE"
                else:
                    text = xlrd.error_text_from_code[cell.value]
                if text is not None:
                    seen[(row, column)] = text
        if seen != expected:
            wrong = sorted(set(seen.items()) ^ set(expected.items()))[:10]
            sys.exit("xlrd reads %s sheet %r differently: %r" % (path, name, wrong))
        print("  xlrd agrees on sheet %r: %d cells" % (name, len(expected)))


# ---------------------------------------------------------------------------------------------
# kinds.xls

def write_kinds(out_dir):
    book = xlwt.Workbook(encoding="utf-8")
    leads = SheetWriter(book, "Leads")
    rows = [
        ["name", "phone", "amount", "flag", "formula"],
        # Phone as text; a float stored as RK x100; a boolean; a formula with a string result.
        ["José García", "(212) 555-1234", 1234.56, True, Formula('UPPER("josé")', "JOSÉ")],
        # Phone as a number too big for an RK integer (NUMBER); 0.5 as an RK float; a numeric formula.
        ["Zoë Smith", 2125551234, 0.5, False, Formula("C3*84", 42)],
        # Phone with the country code as a number; an error cell; a formula with an error result.
        ["東京 Office", 12125551234, -3.25, Error("#N/A"), Formula("1/0", Error("#DIV/0!"))],
        # Gaps: no phone cell, formatted blanks (a MULBLANK) in the middle, a boolean formula result.
        ["Gap Row", None, None, None, Formula("1<2", True)],
        # Row 5 is left out entirely: a row gap.
        None,
        ["O'Brien, Pat", "+1 212 555 0000", 1.5e20, Error("#DIV/0!"), Formula('""&""', "")],
        ["Line1\nLine2\tTab\\Back", "212.555.0199 ext 7", 9007199254740992, None, Formula("2^53-1", 9007199254740991)],
        [Rich(("Bold", True), (" and plain", False)), 7, 100, 3.75, None],
        ["Errors", Error("#VALUE!"), Error("#REF!"), Error("#NAME?"), Error("#NUM!"), Error("#NULL!")],
        # Only the last column has a value: the row's first cells are missing.
        [None, None, None, None, "last column only"],
        ["Ünïcödé 😀 emoji", "(416) 555-0100", 0, -1, 536870911],
        # The float RK forms: a short double (0.125, 2^40) and a short double divided by 100 (0.015).
        ["RK floats", 0.125, 0.015, 1099511627776],
    ]
    for row, values in enumerate(rows):
        if values is None:
            continue
        for column, value in enumerate(values):
            if value is not None or column in (1, 2, 3) and row == 4:
                leads.put(row, column, value)
    other = SheetWriter(book, "Other")
    for row, values in enumerate([["city", "phone"], ["Toronto", 4165550000], ["Montréal", "514-555-0123"]]):
        for column, value in enumerate(values):
            other.put(row, column, value)
    path = os.path.join(out_dir, "kinds.xls")
    book.save(path)
    with open(os.path.join(out_dir, "kinds.expected.tsv"), "wb") as handle:
        handle.write(rendering(leads.expected))
    with open(os.path.join(out_dir, "kinds-Other.expected.tsv"), "wb") as handle:
        handle.write(rendering(other.expected))
    print("wrote %s (%d bytes), kinds.expected.tsv (%d cells), kinds-Other.expected.tsv (%d cells)"
          % (path, os.path.getsize(path), len(leads.expected), len(other.expected)))
    cross_check(path, [("Leads", leads.expected), ("Other", other.expected)])


# ---------------------------------------------------------------------------------------------
# large-sst.xls

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "José", "Zoë", "François", "Renée", "Jürgen", "Søren", "Łukasz", "Dvořák", "Ngọc", "Thảo",
         "Дмитрий", "Ελένη", "さくら", "王伟", "محمد", "Ánh", "Çağla", "Björk", "Núñez", "Ørsted"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez", "Martínez",
        "Hernández", "López", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Иванов", "Παπαδόπουλος", "山田", "李", "Nguyễn", "Müller", "O'Neil", "Żółć", "Kovačević", "Ødegaard"]
WORDS = ["call", "back", "after", "lunch", "prefers", "email", "voicemail", "left", "message", "wrong", "number",
         "spoke", "with", "assistant", "interested", "renewal", "quote", "sent", "follow", "up", "next", "week",
         "café", "naïve", "résumé", "déjà", "vu", "über", "straße", "niño", "señor", "crème", "brûlée"]
EXOTIC = ["привет", "καλημέρα", "こんにちは", "你好", "שלום", "مرحبا", "안녕하세요", "Ω≈ç√", "€100", "—"]


def long_text(rng, length, mode):
    """A long note: Latin-1 throughout, Latin-1 then non-Latin-1, non-Latin-1 then Latin-1, or mixed."""
    def latin(n):
        words = []
        size = 0
        while size < n:
            word = rng.choice(WORDS)
            words.append(word)
            size += len(word) + 1
        return " ".join(words)[:n]

    def exotic(n):
        words = []
        size = 0
        while size < n:
            word = rng.choice(EXOTIC)
            words.append(word)
            size += len(word) + 1
        return " ".join(words)[:n]

    if mode == "latin":
        return latin(length)
    if mode == "latin-then-wide":
        cut = rng.randrange(length // 3, 2 * length // 3)
        return latin(cut) + " " + exotic(length - cut - 1)
    if mode == "wide-then-latin":
        cut = rng.randrange(length // 6, length // 3)
        return exotic(cut) + " " + latin(length - cut - 1)
    return "".join(latin(200) if i % 2 == 0 else exotic(100) for i in range(length // 300 + 1))[:length]


def phone_number(rng):
    area = rng.choice([212, 213, 312, 415, 416, 514, 604, 617, 646, 718, 737, 800, 905])
    exchange = rng.randrange(200, 1000)
    line = rng.randrange(0, 10000)
    return area, exchange, line


def phone_value(rng, row):
    area, exchange, line = phone_number(rng)
    style = rng.random()
    if style < 0.35:
        return area * 10_000_000 + exchange * 10_000 + line
    if style < 0.50:
        return 10_000_000_000 + area * 10_000_000 + exchange * 10_000 + line
    if style < 0.68:
        return "(%03d) %03d-%04d" % (area, exchange, line)
    if style < 0.80:
        return "%03d-%03d-%04d" % (area, exchange, line)
    if style < 0.87:
        return "+1 %03d %03d %04d" % (area, exchange, line)
    if style < 0.94:
        return "%03d.%03d.%04d x%d" % (area, exchange, line, rng.randrange(1, 999))
    return "%03d%03d%04d" % (area, exchange, line)


def write_large_sst(out_dir, seed):
    rng = random.Random(seed)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = SheetWriter(book, "Leads")
    for column, title in enumerate(["id", "name", "phone", "notes"]):
        sheet.put(0, column, title)
    modes = ["latin", "latin-then-wide", "wide-then-latin", "mixed"]
    long_rows = sorted(rng.sample(range(1, 65535), 12))
    rich_rows = set(rng.sample(range(1, 65535), 40))
    formula_row = rng.randrange(1, 65535)
    for row in range(1, 65535):
        # Rows are sparse (about 2 cells each) so that 65,535 of them stay under 4 MiB.
        if rng.random() < 0.5:
            sheet.put(row, 0, row)
        if row in rich_rows:
            sheet.put(row, 1, Rich((rng.choice(FIRST), True), (" " + rng.choice(LAST), False)))
        elif rng.random() < 0.45:
            name = "%s %s" % (rng.choice(FIRST), rng.choice(LAST))
            if rng.random() < 0.2:
                name += " %d" % rng.randrange(1, 100000)  # distinct strings
            sheet.put(row, 1, name)
        if rng.random() < 0.65 or not sheet.expected.get((row, 0)) and not sheet.expected.get((row, 1)):
            sheet.put(row, 2, phone_value(rng, row))
        if row in long_rows:
            index = long_rows.index(row)
            sheet.put(row, 3, long_text(rng, rng.randrange(9_000, 13_000), modes[index % 4]))
        elif row == formula_row:
            text = long_text(rng, 12_000, "latin-then-wide")
            sheet.put(row, 3, Formula('"cached"', text))
        elif rng.random() < 0.02:
            note = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 12)))
            if rng.random() < 0.3:
                note += " " + rng.choice(EXOTIC)
            sheet.put(row, 3, note)
    path = os.path.join(out_dir, "large-sst.xls")
    book.save(path)
    size = os.path.getsize(path)
    if size >= 4 * 1024 * 1024:
        sys.exit("large-sst.xls is %d bytes, over 4 MiB" % size)
    text = rendering(sheet.expected)
    rows = len({row for row, _ in sheet.expected})
    digest = hashlib.sha256(text).hexdigest()
    with open(os.path.join(out_dir, "large-sst.expected.sha256"), "w") as handle:
        handle.write("sha256 %s\nrows %d\ncells %d\nbytes %d\n" % (digest, rows, len(sheet.expected), len(text)))
    print("wrote %s (%d bytes): %d rows, %d cells, rendering sha256 %s" % (path, size, rows, len(sheet.expected), digest))
    cross_check(path, [("Leads", sheet.expected)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="Fixtures/xls", help="output folder")
    parser.add_argument("--seed", type=int, default=20240611, help="random seed for large-sst.xls")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write_kinds(args.out)
    write_large_sst(args.out, args.seed)


if __name__ == "__main__":
    main()
