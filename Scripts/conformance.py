#!/usr/bin/env python3
"""Conformance run of `dialready convert` over the shared test corpus (see Scripts/conformance.sh).

    conformance.py CORPUS --bin DIALREADY [--report FILE] [--timeout 10] [--mem-kib 2097152]
                   [--only REGEX] [--skip-xls] [--examples 8]
    conformance.py --calamine-dump FILE       (internal: prints python-calamine's first sheet as JSON)

Every corpus file is converted with `DIALREADY convert FILE -o OUT.csv --lenient-quotes` in a subshell limited by
`ulimit -v` (default 2 GiB) under `timeout` (default 10 s), in its own empty temporary folder.
A signal, a timeout or the memory cap is a failure whatever the file is expected to do.

CSV suites (CORPUS/csv/<suite>/<file>, with <file>.expected.json: the records, header first):
  exit 0, and the records of our CSV output (parsed with Python's csv module) equal the expected
  records. `convert` skips nothing, so a blank input line is an empty record in our output, while
  the expected records (Python's csv module, commons-csv with empty lines ignored) may leave them
  out: empty records ([] or ['']) are dropped from both lists before comparing. Our reader sniffs
  the delimiter and detects the encoding; no --delimiter/--encoding is passed, so a file that
  needs one shows up as a difference.

Sheets (CORPUS/sheets/, expectations from the table in sheets/SOURCES.md):
  read    exit 0 and every cell agrees with python-calamine's first sheet, rendered as text:
          str as is; int and integral float as integer digits; other floats by Python repr;
          bool TRUE/FALSE; None and '' empty; datetime/date/time/timedelta are counted as date
          cells and not compared (we write the serial number), but ours must not be empty there.
          python-calamine 0.9 renders error cells as '' (to_python drops the error), so where
          calamine has '' and ours is an Excel error literal (#DIV/0!, #N/A, ...), the cell is
          counted as an error cell and accepted.
          Alignment: to_python() returns the used range only, starting at sheet.start =
          (first used row, first used column), 0-based and absolute; ours starts at A1 with
          leading blank rows and columns kept. The calamine grid is shifted right/down by
          sheet.start before comparing. Both grids are then trimmed of trailing empty cells in
          each row and of trailing empty rows.
  refuse  exit 65, exactly one line on stderr that names the file, and nothing left in the
          output folder (no output, no temporary file).
  either  exit 0 (then compared as `read` where calamine reads the file) or a refusal as above.
A file in sheets/ that SOURCES.md does not list is run as `either` and noted.

Every file that is read is then classified (`classify FILE --phone-column 1 --lenient-quotes`) and
its processed, filtered and rejects files must parse with Python's csv module in strict mode, with
the header's field count in every rejects row and at least it in every processed row (see
check_classified).

Prints one line per file and a summary table, writes details to the report (markdown), and
exits 0 when every file conforms, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ERROR_LITERALS = {
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!",
}
SHEET_EXTS = {".xlsx", ".xlsm", ".xlsb", ".xls"}
MEMORY_HINTS = re.compile(r"(cannot|could not|can't|failed to|unable to) (allocate|map)|out of memory|"
                          r"bad_alloc|MemoryError|allocation fail|ENOMEM", re.I)


# --- python-calamine side (run in a child process: it may abort on a hostile file) ------------

# Files where our reading differs from python-calamine's on purpose; each reason says why ours is kept.
# The comparison still runs and the difference is shown, but it does not fail the run.
KNOWN_DIVERGENCES = {
    "calamine-biff5-rich-text-string.xls":
        "8-bit text decoded as Windows-1252 (•, ’); calamine leaves the raw bytes",
    "phpss-issue.4724.xlsx":
        "_xHHHH_ escapes decoded as OOXML says (and PhpSpreadsheet expects); calamine keeps them literal",
    "poi-FormulaEvalTestData_Copy.xlsx":
        "a 4.09e231 number written in shortest form; calamine's rendering expands it to 232 digits",
    "poi-StringContinueRecords.xls":
        "strings continued across CONTINUE records read whole (24,732 characters); calamine stops at 8,217",
}


def render_calamine(value):
    """A calamine value as text, or None for a date/time cell (not compared)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
        return None
    return str(value)


def calamine_dump(path: str) -> int:
    from python_calamine import CalamineWorkbook
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    rows = sheet.to_python()
    start = sheet.start
    json.dump({"start": list(start) if start else [0, 0],
               "rows": [[render_calamine(v) for v in row] for row in rows]},
              sys.stdout, ensure_ascii=True)
    return 0


# --- running our binary -----------------------------------------------------------------------

@dataclass
class Run:
    rc: int | None           # exit status, or None when killed by a signal
    signal: int | None
    timed_out: bool
    memory: bool             # the crash looks like the memory cap
    seconds: float
    stderr: str
    out_dir: Path
    out_file: Path

    @property
    def abnormal(self) -> str | None:
        if self.timed_out:
            return "timeout"
        if self.memory:
            return f"memory cap ({'signal ' + str(self.signal) if self.signal else 'exit ' + str(self.rc)})"
        if self.signal is not None:
            return f"crash (signal {self.signal})"
        if self.rc is not None and self.rc >= 124:
            return f"crash (exit {self.rc})"
        return None

    @property
    def shown_rc(self) -> str:
        if self.timed_out:
            return "T/O"
        if self.signal is not None:
            return f"sig{self.signal}"
        return str(self.rc)


def run_convert(binary: str, path: Path, timeout: int, mem_kib: int) -> Run:
    out_dir = Path(tempfile.mkdtemp(prefix="conformance-"))
    out_file = out_dir / "out.csv"
    # ulimit in a subshell, then timeout (SIGTERM, SIGKILL 2 s later) around the binary.
    script = 'ulimit -v "$1" || exit 70; shift; exec timeout -k 2 "$@"'
    argv = ["bash", "-c", script, "conformance", str(mem_kib), str(timeout),
            binary, "convert", str(path), "-o", str(out_file), "--lenient-quotes"]
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    stderr_bytes = b""
    try:
        _, stderr_bytes = proc.communicate(timeout=timeout + 20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr_bytes = proc.communicate()
    seconds = time.monotonic() - started
    rc = proc.returncode
    stderr = stderr_bytes.decode("utf-8", "replace")
    signal = -rc if rc is not None and rc < 0 else None
    if rc is not None and rc > 128 and rc != 137:
        signal = rc - 128
    timed_out = rc in (124, 137) and seconds >= timeout - 0.5
    if rc == 137 and not timed_out:
        signal = 9
    memory = rc != 0 and not timed_out and bool(MEMORY_HINTS.search(stderr))
    return Run(rc=None if signal else rc, signal=signal, timed_out=timed_out, memory=memory,
               seconds=seconds, stderr=stderr, out_dir=out_dir,
               out_file=out_file)


def check_classified(result: Result, binary: str, path: Path, timeout: int, mem_kib: int) -> None:
    """Classifies a file the reader accepted and checks the outputs a dialer would import: each of
    processed.csv, processed-filtered.csv and rejects.csv parses with Python's csv module in strict
    mode; rejects rows have 3 fields; processed rows have at least the header's fields (rows longer
    than the header keep their extra fields after the appended columns); processed.csv has a row for
    every data row the manifest counts. The first column is named as the phone column so that every
    file reaches the writer; unclosed quotes are read leniently, as convert reads them here."""
    out_dir = Path(tempfile.mkdtemp(prefix="conformance-classify-"))
    try:
        script = 'ulimit -v "$1" || exit 70; shift; exec timeout -k 2 "$@"'
        argv = ["bash", "-c", script, "conformance", str(mem_kib), str(timeout), binary, "classify", str(path),
                "--out", str(out_dir / "out"), "--phone-column", "1", "--lenient-quotes", "--quiet"]
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = proc.stderr.decode("utf-8", "replace")
        if proc.returncode == 65 and len(stderr.strip().splitlines()) == 1:
            result.notes.append(f"classify refused: {stderr.strip()[:120]}")
            return
        if proc.returncode != 0:
            result.ok, result.verdict = False, "FAIL"
            result.first = f"classify exit {proc.returncode}: {stderr.strip()[:160]}"
            return
        manifest = json.loads((out_dir / "out" / "manifest.json").read_text(encoding="utf-8"))
        problems = []
        for name in ("processed.csv", "processed-filtered.csv", "rejects.csv"):
            try:
                rows = read_our_csv(out_dir / "out" / name)
            except (OSError, UnicodeDecodeError, csv.Error) as error:
                problems.append(f"{name} is not strict CSV: {error}")
                continue
            if not rows:
                problems.append(f"{name} is empty")
                continue
            width = len(rows[0])
            bad = [i + 1 for i, row in enumerate(rows) if (len(row) != width if name == "rejects.csv" else len(row) < width)]
            if bad:
                problems.append(f"{name}: rows {bad[:5]} have other field counts than the header's {width}")
            if name == "processed.csv" and len(rows) - 1 != manifest["input"]["data_rows"]:
                problems.append(f"processed.csv has {len(rows) - 1} rows for {manifest['input']['data_rows']} data rows")
        if problems:
            result.ok, result.verdict = False, "FAIL"
            result.first = problems[0]
            result.details += problems
        else:
            result.notes.append("classify outputs strict")
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


def read_our_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle, strict=True))


# --- results ----------------------------------------------------------------------------------

@dataclass
class Result:
    file: str                # path relative to the corpus
    group: str               # CSV, XLSX, XLS
    expect: str              # read, refuse, either
    rc: str = "-"
    ok: bool = False
    verdict: str = ""
    first: str = ""
    details: list[str] = field(default_factory=list)
    abnormal: str | None = None
    outcome: str = ""        # for `either`: read / refused
    notes: list[str] = field(default_factory=list)


def one_line(text: str) -> str:
    return " | ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def short(value, limit=90) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def refusal_problems(run: Run, path: Path) -> list[str]:
    problems = []
    lines = run.stderr.rstrip("\n").split("\n") if run.stderr.strip() else []
    if len(lines) != 1:
        problems.append(f"stderr has {len(lines)} lines: {short(run.stderr, 160)}")
    elif path.name not in lines[0]:
        problems.append(f"stderr line does not name the file: {short(lines[0], 160)}")
    left = sorted(p.name for p in run.out_dir.iterdir())
    if left:
        problems.append(f"left in the output folder: {', '.join(left)}")
    return problems


def empty_record(record: list[str]) -> bool:
    return len(record) == 0 or record == [""]


def check_csv(result: Result, run: Run, expected_path: Path, examples: int) -> None:
    if run.rc != 0:
        result.verdict = "FAIL"
        result.first = f"exit {run.rc}: {run.stderr.strip()[:160]}"
        return
    try:
        ours = read_our_csv(run.out_file)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        result.verdict, result.first = "FAIL", f"our output unreadable: {error}"
        return
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    ours_kept = [(i + 1, r) for i, r in enumerate(ours) if not empty_record(r)]
    expected_kept = [(i + 1, r) for i, r in enumerate(expected) if not empty_record(r)]
    dropped = (len(ours) - len(ours_kept), len(expected) - len(expected_kept))
    if any(dropped):
        result.notes.append(f"empty records dropped: ours {dropped[0]}, expected {dropped[1]}")
    diffs = []
    for k in range(max(len(ours_kept), len(expected_kept))):
        o = ours_kept[k] if k < len(ours_kept) else None
        e = expected_kept[k] if k < len(expected_kept) else None
        if o and e and o[1] == e[1]:
            continue
        where = f"record {e[0] if e else '-'} (ours {o[0] if o else '-'})"
        diffs.append(f"{where}: expected {short(e[1] if e else None)} got {short(o[1] if o else None)}")
    if len(ours_kept) != len(expected_kept):
        result.details.append(f"{len(ours_kept)} non-empty records, expected {len(expected_kept)}")
    if diffs:
        result.verdict = "FAIL"
        result.first = diffs[0]
        result.details += [f"{len(diffs)} differing records"] + diffs[:examples]
    else:
        result.ok, result.verdict = True, "ok"
        result.first = f"{len(expected_kept)} records"


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def numeric_equal(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def trim(grid: list[list]) -> list[list]:
    out = []
    for row in grid:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def calamine_grid(path: Path, timeout: int, mem_kib: int):
    """(grid aligned to A1, error) — grid cells are text, None for a date cell."""
    script = 'ulimit -v "$1" || exit 70; shift; exec timeout -k 2 "$@"'
    argv = ["bash", "-c", script, "conformance", str(mem_kib * 2), str(timeout * 6),
            sys.executable, os.path.abspath(__file__), "--calamine-dump", str(path)]
    proc = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit {proc.returncode}"
        if proc.returncode < 0 or proc.returncode > 128:
            reason = f"calamine died (status {proc.returncode}): {reason}"
        return None, reason[:200]
    data = json.loads(proc.stdout)
    row0, col0 = data["start"]
    grid = [[] for _ in range(row0)] + [[""] * col0 + row for row in data["rows"]]
    return grid, None


def check_sheet(result: Result, run: Run, path: Path, args) -> None:
    grid, error = calamine_grid(path, args.timeout, args.mem_kib)
    if grid is None:
        result.notes.append(f"calamine cannot read it: {error}")
        if result.expect == "read":
            result.verdict, result.first = "FAIL", f"calamine cannot read it: {error}"
        else:
            result.ok, result.verdict = True, "ok"
            result.first = "read; calamine cannot read it, not compared"
        return
    try:
        ours = read_our_csv(run.out_file)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        result.verdict, result.first = "FAIL", f"our output unreadable: {error}"
        return
    theirs = trim(grid)
    ours = trim(ours)
    # a date cell (None) counts as non-empty for trimming: trim() only drops "".
    diffs, dates, errors, compared = [], 0, 0, 0
    kinds: dict[str, int] = {}
    for r in range(max(len(ours), len(theirs))):
        orow = ours[r] if r < len(ours) else []
        trow = theirs[r] if r < len(theirs) else []
        for c in range(max(len(orow), len(trow))):
            o = orow[c] if c < len(orow) else ""
            t = trow[c] if c < len(trow) else ""
            ref = f"{column_name(c)}{r + 1}"
            if t is None:
                dates += 1
                if o == "":
                    kinds["date cell empty in ours"] = kinds.get("date cell empty in ours", 0) + 1
                    diffs.append(f"{ref}: calamine has a date, ours is empty")
                continue
            if t == "" and o in ERROR_LITERALS:
                errors += 1
                continue
            if o == "" and t == "":
                continue
            compared += 1
            if o == t:
                continue
            if o == "":
                kind = "missing in ours"
            elif t == "":
                kind = "extra in ours"
            elif numeric_equal(o, t):
                kind = "number format"
            else:
                kind = "different value"
            kinds[kind] = kinds.get(kind, 0) + 1
            diffs.append(f"{ref}: calamine {short(t)} ours {short(o)}")
    summary = f"{compared} cells compared, {dates} date cells skipped, {errors} error cells accepted"
    result.notes.append(summary)
    if diffs:
        result.verdict = "FAIL"
        result.first = diffs[0] + (f" (+{len(diffs) - 1} more)" if len(diffs) > 1 else "")
        result.details.append(f"{len(diffs)} differing cells: " +
                              ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        result.details += diffs[: args.examples]
        result.details.append(f"ours {len(ours)} rows x {max(map(len, ours), default=0)} cols, "
                              f"calamine {len(theirs)} x {max(map(len, theirs), default=0)} "
                              f"(after trimming; calamine start {grid_start_note(grid)})")
    else:
        result.ok, result.verdict = True, "ok"
        result.first = summary


def grid_start_note(grid) -> str:
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v != "":
                return f"first non-empty {column_name(c)}{r + 1}"
    return "empty"


def parse_sources(path: Path) -> dict[str, tuple[str, str]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|[^|]*\|[^|]*\|\s*(read|refuse|either)\s*\|\s*(.*?)\s*\|\s*$", line)
        if m:
            table[m.group(1)] = (m.group(2), m.group(3))
    return table


def group_of(path: Path) -> str:
    ext = path.suffix.lower()
    if ext == ".xls":
        return "XLS"
    if ext in SHEET_EXTS:
        return "XLSX"
    return "CSV"


def collect(corpus: Path) -> list[tuple[Path, str, str]]:
    """(path, expect, what) for every corpus file to run."""
    items = []
    csv_root = corpus / "csv"
    if csv_root.is_dir():
        for path in sorted(csv_root.rglob("*")):
            if path.is_file() and not path.name.endswith(".expected.json") \
                    and path.name not in ("SOURCES.md", ".gitattributes", "README.md"):
                items.append((path, "read", "csv suite"))
    sheets = corpus / "sheets"
    if sheets.is_dir():
        table = parse_sources(sheets / "SOURCES.md") if (sheets / "SOURCES.md").exists() else {}
        present = set()
        for path in sorted(sheets.iterdir(), key=lambda p: p.name.lower()):
            if not path.is_file() or path.name == "SOURCES.md":
                continue
            present.add(path.name)
            expect, what = table.get(path.name, ("either", "NOT LISTED in SOURCES.md"))
            items.append((path, expect, what))
        for name in sorted(set(table) - present):
            items.append((sheets / name, table[name][0], "MISSING from the corpus"))
    return items


def evaluate(path: Path, expect: str, what: str, corpus: Path, args) -> Result:
    result = Result(file=str(path.relative_to(corpus)), group=group_of(path), expect=expect)
    if what == "MISSING from the corpus":
        result.verdict, result.first = "FAIL", "listed in SOURCES.md but missing"
        return result
    if what.startswith("NOT LISTED"):
        result.notes.append(what)
    if result.group == "CSV":
        expected_path = path.with_name(path.name + ".expected.json")
        if not expected_path.exists():
            result.verdict, result.first = "FAIL", "no .expected.json beside it"
            return result
    run = run_convert(args.bin, path, args.timeout, args.mem_kib)
    try:
        result.rc = run.shown_rc
        result.abnormal = run.abnormal
        if result.abnormal:
            result.verdict = "FAIL"
            result.first = f"{result.abnormal} after {run.seconds:.1f}s: {run.stderr.strip()[-200:]}"
            return result
        result.notes.append(f"{run.seconds:.2f}s")
        if result.group == "CSV":
            check_csv(result, run, expected_path, args.examples)
            if run.rc == 0:
                check_classified(result, args.bin, path, args.timeout, args.mem_kib)
            return result
        if run.rc == 65:
            problems = refusal_problems(run, path)
            result.outcome = "refused"
            if expect == "read":
                result.verdict, result.first = "FAIL", f"refused: {run.stderr.strip()[:200]}"
            elif problems:
                result.verdict, result.first = "FAIL", problems[0]
                result.details += problems
            else:
                result.ok, result.verdict = True, "ok"
                result.first = f"refused: {run.stderr.strip()[:200]}"
            return result
        if run.rc == 0:
            result.outcome = "read"
            if expect == "refuse":
                result.verdict, result.first = "FAIL", "read (exit 0), must be refused"
                return result
            check_sheet(result, run, path, args)
            check_classified(result, args.bin, path, args.timeout, args.mem_kib)
            known = KNOWN_DIVERGENCES.get(path.name)
            if known and result.verdict == "FAIL":
                result.ok, result.verdict = True, "known"
                result.first = f"{known} — {result.first}"
            return result
        result.verdict = "FAIL"
        result.first = f"exit {run.rc}: {run.stderr.strip()[:200]}"
        return result
    finally:
        shutil.rmtree(run.out_dir, ignore_errors=True)


def summary_rows(results: list[Result]) -> list[list[str]]:
    rows = []
    for group in ("CSV", "XLSX", "XLS", "all"):
        rs = [r for r in results if group in ("all", r.group)]
        if not rs:
            continue
        def count(expect, ok):
            return sum(1 for r in rs if r.expect == expect and r.ok == ok)
        either = [r for r in rs if r.expect == "either"]
        either_text = (f"{sum(r.ok for r in either)} ok ({sum(r.ok and r.outcome == 'read' for r in either)} read, "
                       f"{sum(r.ok and r.outcome == 'refused' for r in either)} refused) / "
                       f"{sum(not r.ok for r in either)} failed")
        rows.append([group, str(len(rs)), str(count("read", True)), str(count("read", False)),
                     str(count("refuse", True)), str(count("refuse", False)), either_text,
                     str(sum(1 for r in rs if r.abnormal))])
    return rows


SUMMARY_HEADER = ["group", "files", "read ok", "read failed", "refuse ok", "refuse failed",
                  "either", "crashes/timeouts"]


def markdown_table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_report(path: Path, results: list[Result], args, calamine_version: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = ["# Conformance report", "",
           f"- binary: `{args.bin}`",
           f"- corpus: `{args.corpus}`",
           f"- python-calamine: {calamine_version}",
           f"- limits: timeout {args.timeout} s, ulimit -v {args.mem_kib} KiB",
           f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}", "",
           "## Summary", "", markdown_table(SUMMARY_HEADER, summary_rows(results)), ""]
    for group in ("CSV", "XLSX", "XLS"):
        rs = [r for r in results if r.group == group]
        if not rs:
            continue
        out += [f"## {group}", "",
                markdown_table(["file", "expect", "exit", "verdict", "first difference / outcome"],
                               [[f"`{r.file}`", r.expect, r.rc, r.verdict, r.first] for r in rs]), ""]
        for r in rs:
            if r.ok and not r.details:
                continue
            out.append(f"### `{r.file}` — {r.verdict}")
            out.append("")
            out += [f"- {line}" for line in [r.first] + r.details + r.notes]
            out.append("")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--calamine-dump":
        return calamine_dump(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--report", type=Path, default=Path(".build-tools/conformance/report.md"))
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--mem-kib", type=int, default=2 * 1024 * 1024)
    parser.add_argument("--only", help="run only files whose corpus path matches this regex")
    parser.add_argument("--skip-xls", action="store_true", help="leave out .xls files")
    parser.add_argument("--examples", type=int, default=8, help="differences kept per file")
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    try:
        import importlib.metadata as metadata
        calamine_version = metadata.version("python-calamine")
    except Exception:
        calamine_version = "unknown"

    items = collect(args.corpus)
    if args.only:
        items = [it for it in items if re.search(args.only, str(it[0].relative_to(args.corpus)))]
    if args.skip_xls:
        items = [it for it in items if it[0].suffix.lower() != ".xls"]
    if not items:
        print(f"conformance: no corpus files under {args.corpus}", file=sys.stderr)
        return 66

    results = []
    width = max(len(str(it[0].relative_to(args.corpus))) for it in items)
    for path, expect, what in items:
        r = evaluate(path, expect, what, args.corpus, args)
        results.append(r)
        r.first = one_line(r.first)
        print(f"{r.file:<{width}}  {r.expect:<6}  {r.rc:>4}  {r.verdict:<4}  {r.first}", flush=True)

    print()
    rows = summary_rows(results)
    widths = [max(len(x) for x in col) for col in zip(SUMMARY_HEADER, *rows)]
    for row in [SUMMARY_HEADER] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    write_report(args.report, results, args, calamine_version)
    failed = [r for r in results if not r.ok]
    strict = sum(1 for r in results if "classify outputs strict" in r.notes)
    refused = sum(1 for r in results if any(n.startswith("classify refused") for n in r.notes))
    print(f"\nclassified: {strict} files with strict outputs, {refused} refused by classify (one line, exit 65)")
    print(f"{len(results) - len(failed)}/{len(results)} files conform; report: {args.report}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
