#!/usr/bin/env python3
"""A real spreadsheet: LibreOffice Calc, headless, imports timeline.csv,
mentions.csv and timelinejs.csv (both dialects) of the hostile fixture
(tests/fixtures/csv/) and saves them as flat OpenDocument (.fods). Reading
that XML back, the test checks that every row and column arrived intact
(compared with Python's csv module's reading of the same file), that
date_start and date_end arrived as date cells, and that no cell became a
formula.

Every file is imported twice (see IMPORTS), both times with "Evaluate
formulas" on, so an unneutralized "=1+1" would become a formula and fail.

Exits 77 (reported by ctest as skipped) when soffice is not installed;
scripts/setup-spreadsheet-test installs it.

usage: calc_import.py ANNALS_BINARY PROJECT_ROOT"""

import csv
import io
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

from fixture_build import CSV_FILES, DIALECTS, ISO_DAY, PLAIN_NUMBER, build, check, read_bytes, report, temp_workdir

# Token order (LibreOffice help, "CSV Filter Options"): separator, text
# delimiter, charset (76 = UTF-8), first line, column formats (none: let
# Calc detect), language (1033 = en-US), quoted field as text, detect special
# numbers, save as shown, export formulas, remove spaces, export sheets,
# evaluate formulas. Two imports:
#   as_text  "Format quoted field as text" on, the import README.md advises:
#            every cell must arrive exactly, numbers as numbers, the date
#            columns as dates.
#   detect   quoted fields not forced to text: Calc may turn text such as
#            "March 2025" into a date of its own accord (counted, not an
#            error), but no cell may become a formula, the date columns
#            must be dates and every text cell must arrive exactly.
# Both evaluate formulas, so an unneutralized "=1+1" would become a formula.
IMPORTS = {
    "as_text": "Text - txt - csv (StarCalc):44,34,76,1,,1033,true,true,false,false,false,-1,true",
    "detect": "Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1,true",
}

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
DATE_COLUMNS = {"timeline.csv": ("date_start", "date_end"), "mentions.csv": ("date_start", "date_end", "published")}

def q(tag):
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def paragraph_text(p):
    """A text:p as the user sees it: text:s is spaces, text:tab a tab, text:line-break a newline."""
    out = [p.text or ""]
    for child in p:
        if child.tag == q("text:s"):
            out.append(" " * int(child.get(q("text:c"), "1")))
        elif child.tag == q("text:tab"):
            out.append("\t")
        elif child.tag == q("text:line-break"):
            out.append("\n")
        else:
            out.append(paragraph_text(child))
        out.append(child.tail or "")
    return "".join(out)


def sheet_cells(fods_path):
    """Rows of (text, value type, value, formula) from the first sheet, repeats expanded."""
    sheet = ET.parse(fods_path).getroot().find(".//table:table", NS)
    rows = []
    for row in sheet.iter(q("table:table-row")):
        cells = []
        for cell in row:
            if cell.tag not in (q("table:table-cell"), q("table:covered-table-cell")):
                continue
            text = "\n".join(paragraph_text(p) for p in cell.findall("text:p", NS))
            vtype = cell.get(q("office:value-type"))
            value = cell.get(q("office:date-value")) or cell.get(q("office:value"))
            info = (text, vtype, value, cell.get(q("table:formula")))
            cells += [info] * int(cell.get(q("table:number-columns-repeated"), "1"))
        while cells and cells[-1][1] is None and cells[-1][0] == "":
            cells.pop()
        rows += [cells] * int(row.get(q("table:number-rows-repeated"), "1"))
    while rows and not rows[-1]:
        rows.pop()
    return rows


def csv_rows(raw):
    text = raw.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def compare(name, rows, sheet, date_columns, strict):
    """Returns (date cells checked, cells Calc converted on its own)."""
    check(len(sheet) == len(rows), f"{name}: Calc has {len(sheet)} rows, the CSV {len(rows)}")
    header = rows[0]
    dates = converted = 0
    for r, (want_row, got_row) in enumerate(zip(rows, sheet)):
        got_row = got_row + [("", None, None, None)] * (len(want_row) - len(got_row))
        check(len(got_row) == len(want_row), f"{name} row {r}: Calc has {len(got_row)} cells, the CSV {len(want_row)}")
        for c, (want, (text, vtype, value, formula)) in enumerate(zip(want_row, got_row)):
            where = f"{name} row {r} column {header[c]}"
            check(formula is None, f"{where}: became a formula {formula!r}")
            if r > 0 and header[c] in date_columns and want:
                check(vtype == "date" and value == want, f"{where}: {want!r} arrived as {vtype} {value!r}, not a date")
                dates += 1
            elif vtype == "string":
                check(text == want, f"{where}: {want!r} arrived as {text!r}")
            elif vtype == "date" and ISO_DAY.match(want):
                check(value == want, f"{where}: {want!r} arrived as date {value!r}")
            elif vtype == "float" and PLAIN_NUMBER.match(want):
                check(float(value) == float(want), f"{where}: {want!r} arrived as number {value!r}")
            elif vtype is None:
                check(want == "", f"{where}: {want!r} arrived empty")
            elif strict:
                check(False, f"{where}: {want!r} arrived as {vtype} {value!r} shown as {text!r}")
            else:
                converted += 1
    return dates, converted


def convert(files, outdir, profile, csv_filter):
    cmd = ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
           f"--infilter={csv_filter}", "--convert-to", "fods", "--outdir", outdir, *files]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    if run.returncode != 0:
        raise AssertionError(f"soffice exited {run.returncode}: {run.stderr}")


def main(annals, root):
    if shutil.which("soffice") is None:
        print("skipped: soffice (libreoffice-calc) is not installed; scripts/setup-spreadsheet-test installs it")
        return 77
    with temp_workdir() as work:
        profile = os.path.join(work, "lo-profile")
        for dialect in DIALECTS:
            out = build(annals, root, work, dialect, formats="csv,timelinejs")
            for mode, csv_filter in IMPORTS.items():
                fods = os.path.join(work, f"fods-{dialect}-{mode}")
                started = time.monotonic()
                convert([os.path.join(out, f) for f in CSV_FILES], fods, profile, csv_filter)
                seconds = time.monotonic() - started
                for f in CSV_FILES:
                    rows = csv_rows(read_bytes(os.path.join(out, f)))
                    sheet = sheet_cells(os.path.join(fods, f.replace(".csv", ".fods")))
                    dates, converted = compare(f"{dialect}/{mode} {f}", rows, sheet, DATE_COLUMNS.get(f, ()),
                                               strict=(mode == "as_text"))
                    check(dates > 0 or f not in DATE_COLUMNS, f"{dialect}/{mode} {f}: no date cell checked")
                    print(f"{dialect}/{mode} {f}: {len(rows) - 1} rows x {len(rows[0])} columns, {dates} date cells, "
                          f"{converted} text cells typed by Calc's own detection")
                print(f"{dialect}/{mode}: Calc converted {len(CSV_FILES)} files in {seconds:.1f} s")
    return report()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
