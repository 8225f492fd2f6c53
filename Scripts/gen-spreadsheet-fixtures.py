#!/usr/bin/env python3
"""Write the spreadsheet and JSON fixtures for the XLSX, XLS, JSON and NDJSON readers.

  .build-tools/venv/bin/python Scripts/gen-spreadsheet-fixtures.py [--check]

From Fixtures/leads-sample.csv (UTF-8 with BOM), the same header and rows, every cell's text
identical to the CSV field, as:

  Fixtures/leads-sample.xlsx     xlsxwriter, shared strings; every cell a string except phone
                                 cells that are 10 or 11 ASCII digits (no leading 0), written as
                                 numbers (their XML text is the same digits); empty cells absent
  Fixtures/leads-sample.json     {"filename", "contacts": [{header: value}...], "phone_column"},
                                 indent 1, raw UTF-8 (non-ASCII written as is)
  Fixtures/leads-sample.ndjson   one contact object a line, non-ASCII as \\u escapes (surrogate
                                 pairs beyond the BMP), so the same values come through escapes

and the hand-made edge cases:

  Fixtures/xlsx/kinds.xlsx (+ kinds.expected.tsv)   every cell kind, see KINDS below
  Fixtures/xlsx/truncated.xlsx                      the first 60% of leads-sample.xlsx
  Fixtures/xlsx/encrypted.xlsx                      leads-sample.xlsx encrypted (Agile, password "x")
  Fixtures/xlsx/no-sheet.xlsx                       workbook lists a sheet whose part is missing
  Fixtures/xlsx/entities.xlsx                       a "billion laughs" DOCTYPE; the cell &lol9; must
                                                    stay unexpanded
  Fixtures/xlsx/zip-bomb.xlsx                       a sheet padded with 32 MiB of spaces (about
                                                    1000:1 deflated) for the inflate limits
  Fixtures/json/*.json, nested.ndjson               JSON shapes and errors

The output is deterministic: fixed document dates, xlsxwriter's fixed zip times, and a seeded
random source for the encryption salts and keys. --check regenerates into a temporary folder and
fails if any file differs from the committed one.

Needs xlsxwriter and msoffcrypto-tool (pip install into .build-tools/venv).
"""

import argparse
import csv
import datetime
import filecmp
import io
import json
import os
import random
import re
import sys
import tempfile
import zipfile

import xlsxwriter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20240601
CREATED = datetime.datetime(2024, 6, 1, 12, 0, 0)
PHONE_AS_NUMBER = re.compile(r"[1-9][0-9]{9,10}")  # ASCII only: \d would match other scripts' digits


def read_sample():
    path = os.path.join(ROOT, "Fixtures", "leads-sample.csv")
    with open(path, encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source))
    header, data = rows[0], rows[1:]
    for number, row in enumerate(data, start=2):
        if len(row) != len(header):
            sys.exit(f"leads-sample.csv row {number} has {len(row)} fields, header {len(header)}")
    return header, data


def new_workbook(target):
    workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    workbook.set_properties({"created": CREATED})
    return workbook


# --- leads-sample.xlsx / .json / .ndjson ---------------------------------------------------------

def write_leads_xlsx(path, header, data):
    phone = header.index("phone")
    workbook = new_workbook(path)
    sheet = workbook.add_worksheet("leads-sample")
    for column, name in enumerate(header):
        sheet.write_string(0, column, name)
    for row_index, row in enumerate(data, start=1):
        for column, text in enumerate(row):
            if text == "":
                continue
            if column == phone and PHONE_AS_NUMBER.fullmatch(text):
                sheet.write_number(row_index, column, int(text))
            else:
                sheet.write_string(row_index, column, text)
    workbook.close()
    # The numbers must come back as the same digits.
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    for row_index, row in enumerate(data, start=1):
        text = row[phone]
        if PHONE_AS_NUMBER.fullmatch(text):
            cell = f'<c r="{xlsxwriter.utility.xl_rowcol_to_cell(row_index, phone)}"><v>{text}</v></c>'
            assert cell in xml, cell


def write_leads_xls(path, header, data):
    """The same leads as a legacy BIFF8 workbook (xlwt): strings in the SST, 10/11-digit phones as numbers."""
    import xlwt
    phone = header.index("phone")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("leads-sample")
    for column, name in enumerate(header):
        sheet.write(0, column, name)
    for row_index, row in enumerate(data, start=1):
        for column, text in enumerate(row):
            if text == "":
                continue
            if column == phone and PHONE_AS_NUMBER.fullmatch(text):
                sheet.write(row_index, column, int(text))
            else:
                sheet.write(row_index, column, text)
    buffer = io.BytesIO()
    book.save(buffer)
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())


def write_leads_json(path_json, path_ndjson, header, data):
    contacts = [dict(zip(header, row)) for row in data]
    document = {"filename": "leads-sample.csv", "contacts": contacts, "phone_column": "phone"}
    with open(path_json, "w", encoding="utf-8", newline="\n") as out:
        json.dump(document, out, indent=1, ensure_ascii=False)
        out.write("\n")
    with open(path_ndjson, "w", encoding="utf-8", newline="\n") as out:
        for contact in contacts:
            out.write(json.dumps(contact, ensure_ascii=True, separators=(",", ":")) + "\n")


# --- xlsx/kinds.xlsx -----------------------------------------------------------------------------

# The Leads sheet, as Excel shows it (row numbers 1-based, blank rows 8 and 10). Kinds:
#   B2 number 2125551234, B3 number 12125551234, B4 number written 2.125551234E9 (post-processed),
#   C4 number with an explicit t="n", B5 shared string, B6 inline string (post-processed),
#   F7 rich text (three runs), A13 shared string with a phonetic run (post-processed; ignored),
#   F5 entities, F12 _x000D_ (a CR) before a newline, F13 a literal "_x000D_" (_x005F_ escape),
#   D2/D3 booleans, D11 a plain #N/A error (post-processed: formula removed), E2 formula with
#   cached number, E3 formula with cached string (t="str"), E11 formula with cached 0.125,
#   E6 formula with cached error, row 9 empty in B..E, row 8 absent, row 10 an empty <row>,
#   B12 has no r attribute (post-processed), strings with leading/trailing spaces (B5, A6).
# The sheet parts are swapped (Leads lives in sheet2.xml, reached by an absolute Target),
# so a reader that opens xl/worksheets/sheet1.xml reads the Other sheet.

def write_kinds(path, expected_path):
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    bold = workbook.add_format({"bold": True})
    italic = workbook.add_format({"italic": True})
    leads = workbook.add_worksheet("Leads")
    other = workbook.add_worksheet("Other")

    w = leads
    for column, name in enumerate(["name", "phone", "amount", "flag", "formula", "notes"]):
        w.write_string(0, column, name)
    # row 2
    w.write_string(1, 0, "Ada Number")
    w.write_number(1, 1, 2125551234)
    w.write_number(1, 2, 1250.5)
    w.write_boolean(1, 3, True)
    w.write_formula(1, 4, "=C2*2", None, 2501)
    w.write_string(1, 5, "phone as a number")
    # row 3
    w.write_string(2, 0, "Ben Eleven")
    w.write_number(2, 1, 12125551234)
    w.write_number(2, 2, 42)
    w.write_boolean(2, 3, False)
    w.write_formula(2, 4, "=UPPER(A3)", None, "BEN ELEVEN")
    w.write_string(2, 5, "11-digit number")
    # row 4
    w.write_string(3, 0, "Cy Exponent")
    w.write_number(3, 1, 2125551234)          # -> <v>2.125551234E9</v>
    w.write_number(3, 2, -3.75)               # -> t="n"
    w.write_string(3, 5, "number in E notation")
    # row 5
    w.write_string(4, 0, "Dee String")
    w.write_string(4, 1, " (212) 555-0143 ")
    w.write_number(4, 2, 0.1)
    w.write_string(4, 5, "A & B <c>")
    # row 6
    w.write_string(5, 0, "  Eve Inline")
    w.write_number(5, 1, 0)                   # -> inline string
    w.write_formula(5, 4, "=1/0", None, "#DIV/0!")
    w.write_string(5, 5, "inline string phone")
    # row 7
    w.write_string(6, 0, "Fay Rich")
    w.write_string(6, 1, "646.291.7730")
    w.write_rich_string(6, 5, "Call ", bold, "after", " 5pm ", italic, "sharp")
    # row 8: nothing (no <row> element)
    # row 9: empty cells in the middle
    w.write_string(8, 0, "Gus Gaps")
    w.write_string(8, 5, "B to E empty")
    # row 10: an empty <row> element (a height and no cells)
    w.set_row(9, 20)
    # row 11
    w.write_string(10, 0, "Hal Error")
    w.write_string(10, 1, "718-632-3042")
    w.write_formula(10, 3, "=NA()", None, "#N/A")   # -> plain error, formula removed
    w.write_formula(10, 4, "=1/8", None, 0.125)
    w.write_string(10, 5, "error in flag")
    # row 12
    w.write_string(11, 0, "Ivy NoRef")
    w.write_string(11, 1, "212 555 0199")     # -> <c> without r
    w.write_string(11, 5, "first\r\nsecond")
    # row 13
    w.write_string(12, 0, "山田 太郎")          # -> gets a phonetic run
    w.write_string(12, 1, "+1 (415) 826-9063 ext. 12")
    w.write_string(12, 5, "ref_x000D_id\ttab\\back")

    other.write_string(0, 0, "name")
    other.write_string(0, 1, "phone")
    other.write_string(1, 0, "Not This Sheet")
    other.write_string(1, 1, "(999) 999-9999")
    workbook.close()

    parts = {}
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        names = archive.namelist()
        for name in names:
            parts[name] = archive.read(name).decode("utf-8")

    sheet = parts["xl/worksheets/sheet1.xml"]

    def replace(pattern, replacement):
        nonlocal sheet
        new, count = re.subn(pattern, replacement, sheet)
        assert count == 1, (pattern, count)
        sheet = new

    replace(r'<c r="B4"><v>2125551234</v></c>', '<c r="B4"><v>2.125551234E9</v></c>')
    replace(r'<c r="C4"><v>-3.75</v></c>', '<c r="C4" t="n"><v>-3.75</v></c>')
    replace(r'<c r="B6"><v>0</v></c>',
            '<c r="B6" t="inlineStr"><is><t xml:space="preserve">+1 646 291 7730 </t></is></c>')
    replace(r'<c r="D11" t="e"><f>NA\(\)</f><v>#N/A</v></c>', '<c r="D11" t="e"><v>#N/A</v></c>')
    replace(r'<c r="B12" (t="s"><v>\d+</v></c>)', r'<c \1')
    parts["xl/worksheets/sheet1.xml"] = sheet

    # A phonetic (furigana) run after the base text: readers must skip <rPh>.
    sst, count = re.subn(r"<si><t>山田 太郎</t></si>",
                         '<si><t>山田 太郎</t><rPh sb="0" eb="2"><t>ヤマダ タロウ</t></rPh>'
                         '<phoneticPr fontId="1"/></si>', parts["xl/sharedStrings.xml"])
    assert count == 1
    parts["xl/sharedStrings.xml"] = sst

    # Swap the sheet parts: Leads (rId1) -> /xl/worksheets/sheet2.xml (absolute), Other -> sheet1.
    parts["xl/worksheets/sheet1.xml"], parts["xl/worksheets/sheet2.xml"] = (
        parts["xl/worksheets/sheet2.xml"], parts["xl/worksheets/sheet1.xml"])
    rels = parts["xl/_rels/workbook.xml.rels"]
    rels = rels.replace('Target="worksheets/sheet1.xml"', 'Target="@LEADS@"')
    rels = rels.replace('Target="worksheets/sheet2.xml"', 'Target="worksheets/sheet1.xml"')
    rels = rels.replace('Target="@LEADS@"', 'Target="/xl/worksheets/sheet2.xml"')
    parts["xl/_rels/workbook.xml.rels"] = rels
    workbook_xml = parts["xl/workbook.xml"]
    assert workbook_xml.index('name="Leads"') < workbook_xml.index('name="Other"')
    assert re.search(r'<sheet name="Leads" sheetId="1" r:id="rId1"/>', workbook_xml)

    write_zip(path, [(name, parts[name].encode("utf-8")) for name in names])

    expected = [
        (1, "A", "name"), (1, "B", "phone"), (1, "C", "amount"), (1, "D", "flag"),
        (1, "E", "formula"), (1, "F", "notes"),
        (2, "A", "Ada Number"), (2, "B", "2125551234"), (2, "C", "1250.5"), (2, "D", "TRUE"),
        (2, "E", "2501"), (2, "F", "phone as a number"),
        (3, "A", "Ben Eleven"), (3, "B", "12125551234"), (3, "C", "42"), (3, "D", "FALSE"),
        (3, "E", "BEN ELEVEN"), (3, "F", "11-digit number"),
        (4, "A", "Cy Exponent"), (4, "B", "2125551234"), (4, "C", "-3.75"),
        (4, "F", "number in E notation"),
        (5, "A", "Dee String"), (5, "B", " (212) 555-0143 "), (5, "C", "0.1"),
        (5, "F", "A & B <c>"),
        (6, "A", "  Eve Inline"), (6, "B", "+1 646 291 7730 "), (6, "E", "#DIV/0!"),
        (6, "F", "inline string phone"),
        (7, "A", "Fay Rich"), (7, "B", "646.291.7730"), (7, "F", "Call after 5pm sharp"),
        (9, "A", "Gus Gaps"), (9, "F", "B to E empty"),
        (11, "A", "Hal Error"), (11, "B", "718-632-3042"), (11, "D", "#N/A"), (11, "E", "0.125"),
        (11, "F", "error in flag"),
        (12, "A", "Ivy NoRef"), (12, "B", "212 555 0199"), (12, "F", "first\r\nsecond"),
        (13, "A", "山田 太郎"), (13, "B", "+1 (415) 826-9063 ext. 12"),
        (13, "F", "ref_x000D_id\ttab\\back"),
    ]
    with open(expected_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Fixtures/xlsx/kinds.xlsx, sheet Leads (the first sheet): row<TAB>column<TAB>text.\n")
        out.write("# Cells not listed are empty; rows 8 and 10 are blank. Numbers as their shortest\n")
        out.write("# decimal text (integral ones without a point; row 4 stores 2.125551234E9),\n")
        out.write("# booleans TRUE/FALSE, errors as written, formulas as their cached value.\n")
        out.write("# Escapes: \\t \\n \\r \\\\.\n")
        for row, column, text in expected:
            escaped = (text.replace("\\", "\\\\").replace("\t", "\\t")
                       .replace("\n", "\\n").replace("\r", "\\r"))
            out.write(f"{row}\t{column}\t{escaped}\n")


def write_zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


# --- xlsx/truncated, encrypted, no-sheet ---------------------------------------------------------

def write_truncated(source, path):
    with open(source, "rb") as handle:
        data = handle.read()
    with open(path, "wb") as out:
        out.write(data[: len(data) * 60 // 100])


def write_encrypted(source, path):
    try:
        import msoffcrypto.format.ooxml as ooxml
        import msoffcrypto.method.container.ecma376_encrypted as container
        import msoffcrypto.method.ecma376_agile as agile
    except ImportError:
        print("gen-spreadsheet-fixtures: msoffcrypto-tool missing, skipping encrypted.xlsx",
              file=sys.stderr)
        return False
    # Seeded salts and keys and a fixed container time, so that the file is reproducible.
    class FixedClock(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(CREATED.year, CREATED.month, CREATED.day, CREATED.hour)

    rng = random.Random(SEED)
    saved = agile._random_buffer, container.datetime
    agile._random_buffer = lambda size: bytes(rng.getrandbits(8) for _ in range(size))
    container.datetime = FixedClock
    try:
        with open(source, "rb") as plain, open(path, "wb") as out:
            ooxml.OOXMLFile(plain).encrypt("x", out)
    finally:
        agile._random_buffer, container.datetime = saved
    # It must decrypt back to the source.
    with open(path, "rb") as handle:
        office = ooxml.OOXMLFile(handle)
        office.load_key(password="x")
        clear = io.BytesIO()
        office.decrypt(clear)
    with open(source, "rb") as handle:
        assert clear.getvalue() == handle.read(), "encrypted.xlsx does not decrypt to its source"
    return True


def write_no_sheet(path):
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    sheet = workbook.add_worksheet("Leads")
    sheet.write_string(0, 0, "name")
    sheet.write_string(0, 1, "phone")
    sheet.write_string(1, 0, "Ada")
    sheet.write_string(1, 1, "(212) 555-0143")
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        entries = [(name, archive.read(name)) for name in archive.namelist()
                   if name != "xl/worksheets/sheet1.xml"]
    write_zip(path, entries)


def write_too_many_rows(path):
    """A sheet whose last row is numbered past Excel's 1,048,576-row limit (hand-edited XML)."""
    extra = '<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>x</t></is></c></row>'
    write_with_sheet_edit(path, lambda text: text.replace("</sheetData>", extra + "</sheetData>"))


def write_with_sheet_edit(path, edit):
    """A two-row workbook whose sheet XML is passed through `edit` (text in, text out)."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    sheet = workbook.add_worksheet("Leads")
    sheet.write_string(0, 0, "phone")
    sheet.write_string(1, 0, "(212) 368-2049")
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        entries = []
        for name in archive.namelist():
            data = archive.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            entries.append((name, data))
    write_zip(path, entries)


def write_cleared_rows(path):
    """Rows 3-5 hold cells without a value (a styled empty cell, an empty inline string, an empty
    shared-string-less value), as a sheet has after a user clears cells; row 6 is a real row."""
    cleared = ('<row r="3"><c r="A3" s="0"/><c r="B3" s="0"/></row>'
               '<row r="4"><c r="A4" t="inlineStr"><is><t></t></is></c></row>'
               '<row r="5"><c r="A5" t="str"><v></v></c><c r="C5" s="0"/></row>'
               '<row r="6"><c r="A6" t="inlineStr"><is><t>(646) 555-2671</t></is></c></row>')
    write_with_sheet_edit(path, lambda text: text.replace("</sheetData>", cleared + "</sheetData>"))


def write_entities(path):
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    doctype = f"<!DOCTYPE worksheet [{laughs}]>"
    cell = '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>'

    def edit(text):
        text = text.replace("?>", "?>" + doctype, 1)
        return text.replace("</sheetData>", cell + "</sheetData>")
    write_with_sheet_edit(path, edit)


def write_zip_bomb(path):
    write_with_sheet_edit(path, lambda text: text.replace("</sheetData>", " " * (32 << 20) + "</sheetData>"))


# --- json/ ---------------------------------------------------------------------------------------

def write_json_cases(folder):
    def dump(name, value):
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as out:
            json.dump(value, out, indent=1, ensure_ascii=False)
            out.write("\n")

    contacts = [
        {"name": "Ada Lovelace", "phone": "(212) 368-2049", "city": "New York"},
        {"name": "Ben Okafor", "phone": "+1 646 291 7730", "city": "New York"},
        {"name": "Cy Tremblay", "phone": "514-555-0199", "city": "Montréal"},
    ]
    dump("phone-numbers.json", {"phone_numbers": [
        "(212) 368-2049", "+1 646 291 7730", "N/A", "312.550.8842 x204", "",
        "1-800-FLOWERS", "212-368-2049", "555-1234", "+44 20 7946 0958", 4158269063,
        "４１５ ８２６ ９０６３"]})
    dump("both.json", {"filename": "both.csv", "contacts": contacts,
                       "phone_numbers": ["(212) 368-2049"], "phone_column": "phone"})
    dump("neither.json", {"filename": "neither.csv", "rows": contacts, "phone_column": "phone"})
    dump("missing-phone-column.json", {"filename": "missing.csv", "contacts": contacts})
    dump("phone-column-absent.json", {"filename": "absent.csv", "contacts": contacts,
                                      "phone_column": "mobile"})
    text = json.dumps({"filename": "malformed.csv", "contacts": contacts, "phone_column": "phone"},
                      indent=1, ensure_ascii=False)
    with open(os.path.join(folder, "malformed.json"), "w", encoding="utf-8", newline="\n") as out:
        out.write(text[: text.index('"Ben Okafor"') + 12])   # ends inside the second contact
    lines = [
        {"name": "Ada Lovelace", "phone": "(212) 368-2049", "tags": ["vip", "east"],
         "address": {"city": "New York", "zip": "10001"}},
        {"name": "Ben Okafor", "phone": 6462917730, "score": 0.75, "active": True},
        {"phone": "+1 514 555 0199", "name": "Cy Tremblay", "active": False, "score": None,
         "note": "line one\nline two, \"quoted\""},
        {"name": "Dee Null", "phone": None, "tags": [], "address": {}},
        {"name": "Eve Big", "phone": 12125551234, "score": 1e21, "count": -3,
         "ratio": 2.5e-7, "unicode": "Zoë \u2013 ☎ 😀"},
    ]
    with open(os.path.join(folder, "nested.ndjson"), "w", encoding="utf-8", newline="\n") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False, separators=(", ", ": ")) + "\n")


# --- main ----------------------------------------------------------------------------------------

def generate(fixtures):
    random.seed(SEED)
    os.makedirs(os.path.join(fixtures, "xlsx"), exist_ok=True)
    os.makedirs(os.path.join(fixtures, "json"), exist_ok=True)
    header, data = read_sample()
    leads_xlsx = os.path.join(fixtures, "leads-sample.xlsx")
    write_leads_xlsx(leads_xlsx, header, data)
    write_leads_xls(os.path.join(fixtures, "leads-sample.xls"), header, data)
    write_leads_json(os.path.join(fixtures, "leads-sample.json"),
                     os.path.join(fixtures, "leads-sample.ndjson"), header, data)
    write_kinds(os.path.join(fixtures, "xlsx", "kinds.xlsx"),
                os.path.join(fixtures, "xlsx", "kinds.expected.tsv"))
    write_truncated(leads_xlsx, os.path.join(fixtures, "xlsx", "truncated.xlsx"))
    encrypted = write_encrypted(leads_xlsx, os.path.join(fixtures, "xlsx", "encrypted.xlsx"))
    write_no_sheet(os.path.join(fixtures, "xlsx", "no-sheet.xlsx"))
    write_too_many_rows(os.path.join(fixtures, "xlsx", "too-many-rows.xlsx"))
    write_entities(os.path.join(fixtures, "xlsx", "entities.xlsx"))
    write_cleared_rows(os.path.join(fixtures, "xlsx", "cleared-rows.xlsx"))
    write_zip_bomb(os.path.join(fixtures, "xlsx", "zip-bomb.xlsx"))
    write_json_cases(os.path.join(fixtures, "json"))
    names = ["xlsx/entities.xlsx", "xlsx/cleared-rows.xlsx", "xlsx/zip-bomb.xlsx", "leads-sample.xlsx", "leads-sample.xls", "leads-sample.json", "leads-sample.ndjson",
             "xlsx/kinds.xlsx", "xlsx/kinds.expected.tsv", "xlsx/truncated.xlsx",
             "xlsx/no-sheet.xlsx", "xlsx/too-many-rows.xlsx", "json/phone-numbers.json", "json/both.json",
             "json/neither.json", "json/missing-phone-column.json",
             "json/phone-column-absent.json", "json/malformed.json", "json/nested.ndjson"]
    if encrypted:
        names.append("xlsx/encrypted.xlsx")
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary folder and compare with Fixtures/")
    args = parser.parse_args()
    fixtures = os.path.join(ROOT, "Fixtures")
    if not args.check:
        for name in generate(fixtures):
            size = os.path.getsize(os.path.join(fixtures, name))
            print(f"wrote Fixtures/{name} ({size:,} bytes)")
        return
    with tempfile.TemporaryDirectory() as scratch:
        target = os.path.join(scratch, "Fixtures")
        os.makedirs(target)
        differing = [name for name in generate(target)
                     if not os.path.exists(os.path.join(fixtures, name))
                     or not filecmp.cmp(os.path.join(fixtures, name), os.path.join(target, name),
                                        shallow=False)]
    if differing:
        sys.exit("gen-spreadsheet-fixtures: out of date: " + ", ".join(differing))
    print("gen-spreadsheet-fixtures: all fixtures up to date")


if __name__ == "__main__":
    main()
