"""Shared by the CSV tests in this folder: runs `annals build` on the hostile
fixture of tests/fixtures/csv/ and reads back what it wrote.

The fixture's rule (tests/fixtures/csv/rules/) is added to a copy of the
project's rules/. annals runs from inside the fixture's sources/ folder with
bare file names, so that file names such as `=1+1, "quoted" notes.txt` start
CSV cells themselves."""

import json
import os
import re
import shutil
import subprocess
import tempfile

DIALECTS = ("plain", "excel")
CSV_FILES = ("timeline.csv", "mentions.csv", "timelinejs.csv")

# Cells a spreadsheet reads as a number or a date (README.md, "CSV, JSON and
# TimelineJS outputs"), written again here independently of the C++ code.
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?\Z")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

failures = []


def check(cond, what):
    """Records a failure and goes on, so that one run lists every problem."""
    if not cond:
        failures.append(what)


def report():
    """Prints the failures; the exit code for the test."""
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


def neutralized(text):
    """The documented neutralization rule."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def build(annals, root, workdir, dialect, formats="csv,json,timelinejs"):
    """Runs annals on the fixture; returns the output folder."""
    rules = os.path.join(workdir, "rules")
    if not os.path.isdir(rules):
        shutil.copytree(os.path.join(root, "rules"), rules)
        extra = os.path.join(root, "tests", "fixtures", "csv", "rules")
        for name in os.listdir(extra):
            shutil.copy(os.path.join(extra, name), rules)
    sources = os.path.join(root, "tests", "fixtures", "csv", "sources")
    files = sorted(f for f in os.listdir(sources) if f != "sources.toml")
    out = os.path.join(workdir, "out-" + dialect)
    cmd = [os.path.abspath(annals), "build", *files, "--rules", rules, "--out", out, "--format", formats, "--csv-dialect", dialect]
    run = subprocess.run(cmd, cwd=sources, capture_output=True, text=True)
    if run.returncode != 0:
        raise AssertionError(f"annals exited {run.returncode}:\n{run.stderr}")
    return out


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def temp_workdir():
    return tempfile.TemporaryDirectory(prefix="annals-csv-")
