#!/usr/bin/env python3
"""Round trip: timeline.csv, mentions.csv and timelinejs.csv, parsed by
Python's csv module (an independent RFC 4180 reader), hold exactly what
timeline.json and timelinejs.json say, cell for cell, once the documented
formula neutralization is applied. Run for both CSV dialects on the hostile
fixture (tests/fixtures/csv/).

usage: csv_roundtrip.py ANNALS_BINARY PROJECT_ROOT"""

import csv
import io
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

from fixture_build import (CSV_FILES, DIALECTS, ISO_DAY, PLAIN_NUMBER, build, check, neutralized, read_bytes,
                           read_json, report, temp_workdir)

TIMELINE_COLUMNS = [
    "date", "date_start", "date_end", "granularity", "display_date", "title", "category", "event_id", "rule",
    "sources", "independent_sources", "mentions", "source_files", "actors", "tags", "evidence", "conflict",
    "conflicts_with",
]
MENTION_COLUMNS = [
    "event_id", "entry_date", "date_text", "date_value", "date_start", "date_end", "date_rule", "unresolved", "date_basis",
    "event_title", "category", "rule", "source_file", "source_title", "outlet", "url", "published",
    "published_from", "evidence", "match_start", "match_end", "evidence_event_start", "evidence_event_end",
    "evidence_date_start", "evidence_date_end",
]
TIMELINEJS_COLUMNS = [
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date", "Headline",
    "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group", "Background",
]

def parse(raw, dialect):
    """The file's rows as Python's csv module reads them, after checking the dialect's bytes."""
    bom = b"\xef\xbb\xbf"
    if dialect == "excel":
        check(raw.startswith(bom), "excel dialect: no UTF-8 byte-order mark")
        text = raw[len(bom):].decode("utf-8")
        rows_end = "\r\n"
    else:
        check(not raw.startswith(bom), "plain dialect: unexpected byte-order mark")
        text = raw.decode("utf-8")
        rows_end = "\n"
    check(text.endswith(rows_end), f"{dialect}: the last row does not end with {rows_end!r}")
    if dialect == "plain":
        check("\r\n" not in text, "plain dialect: CRLF found")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    # Encoding the parsed rows by the documented rules gives back the same text:
    # the quoting and the row ends are exactly as README.md says.
    encoded = "".join(",".join(encode(c) for c in row) + rows_end for row in rows)
    check(encoded == text, f"{dialect}: the file is not quoted or ended as documented")
    return rows




def encode(cell):
    """The documented quoting: text cells are quoted, numbers, ISO days and empty cells are not."""
    if any(ch in cell for ch in ',"\r\n') or (cell and not PLAIN_NUMBER.match(cell) and not ISO_DAY.match(cell)):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def join(items, sep=";"):
    return sep.join(items)


def opt(value):
    return "" if value is None else str(value)


def expected_timeline_row(e):
    return [
        e["date"], e["date_start"], e["date_end"], e["granularity"], e["display_date"], e["title"], e["category"],
        e["event_id"], e["rule"], str(e["sources"]), str(e["independent_sources"]), str(len(e["mentions"])),
        join(e["source_files"]), join(e["actors"]), join(e["tags"]),
        "\n".join(f"[{m['source']['file']}] {m['evidence']}" for m in e["mentions"]),
        "yes" if e["conflict"] else "no", join(e["conflicts_with"]),
    ]


def expected_mention_row(entry, m):
    d = m["date"] or {}
    ev_date = m.get("evidence_date") or {}
    return [
        entry["event_id"] if entry else "", entry["date"] if entry else "", d.get("text", ""), d.get("value", ""),
        opt(d.get("date_start")), opt(d.get("date_end")), d.get("rule", ""), d.get("unresolved", ""),
        (m.get("date_basis") or "sentence") if m.get("date") else "", m["title"],
        m["category"], m["rule"], m["source"]["file"], m["source"]["title"], m["source"]["outlet"],
        m["source"]["url"], opt(m["source"]["published"]), m["source"]["published_from"], m["evidence"],
        str(m["match"]["start"]), str(m["match"]["end"]), str(m["evidence_event"]["start"]),
        str(m["evidence_event"]["end"]), opt(ev_date.get("start")), opt(ev_date.get("end")),
    ]


def expected_timelinejs_row(ev):
    s, e = ev["start_date"], ev.get("end_date", {})
    end = [opt(e.get("year")), opt(e.get("month")), opt(e.get("day"))]
    media = ev.get("media", {})
    return [
        str(s["year"]), opt(s.get("month")), opt(s.get("day")), "", *end[:3], "", ev["display_date"],
        ev["text"]["headline"], ev["text"]["text"], media.get("url", ""), media.get("credit", ""), media.get("caption", ""),
        "", "", ev["group"], "",
    ]


def expected_timelinejs_title_row(title):
    return ["", "", "", "", "", "", "", "", "", title["text"]["headline"], title["text"]["text"], "", "", "", "", "title", "", ""]


def compare(name, rows, header, expected):
    check(rows and rows[0] == header, f"{name}: header is {rows[0] if rows else None}")
    body = rows[1:]
    check(len(body) == len(expected), f"{name}: {len(body)} rows, expected {len(expected)}")
    for i, (got, want) in enumerate(zip(body, expected)):
        want = [neutralized(c) for c in want]
        for col, g, w in zip(header, got, want):
            check(g == w, f"{name} row {i + 1} column {col}: {g!r} != {w!r}")
        check(len(got) == len(header), f"{name} row {i + 1}: {len(got)} cells")
    return len(body)


def fixture_is_hostile(cells):
    """The fixture must really hold what the test claims to survive."""
    joined = "\x00".join(cells)
    for what, ok in [
        ("a comma", "," in joined),
        ("a double quote", '"' in joined),
        ("a line break inside a cell", any("\n" in c for c in cells)),
        ("a tab", "\t" in joined),
        ("CJK text", any("\u4e00" <= ch <= "\u9fff" for ch in joined)),
        ("Cyrillic text", any("\u0400" <= ch <= "\u04ff" for ch in joined)),
        ("Arabic text", any("\u0600" <= ch <= "\u06ff" for ch in joined)),
        ("an emoji", any(ord(ch) >= 0x1F300 for ch in joined)),
        *[(f"a text cell starting with {c!r}", any(x.startswith(c) and len(x) > 3 for x in cells)) for c in "=+-@"],
        ("a plain negative number cell", "-42" in cells),
    ]:
        check(ok, f"the fixture lost {what}")


def main(annals, root):
    with temp_workdir() as work:
        for dialect in DIALECTS:
            out = build(annals, root, work, dialect)
            timeline = read_json(f"{out}/timeline.json")
            tljs = read_json(f"{out}/timelinejs.json")
            parsed = {f: parse(read_bytes(f"{out}/{f}"), dialect) for f in CSV_FILES}
            entries = timeline["entries"]
            n = compare(f"{dialect} timeline.csv", parsed["timeline.csv"], TIMELINE_COLUMNS,
                        [expected_timeline_row(e) for e in entries])
            mentions = [(e, m) for e in entries for m in e["mentions"]] + [(None, m) for m in timeline["undated"]]
            k = compare(f"{dialect} mentions.csv", parsed["mentions.csv"], MENTION_COLUMNS,
                        [expected_mention_row(e, m) for e, m in mentions])
            j = compare(f"{dialect} timelinejs.csv", parsed["timelinejs.csv"], TIMELINEJS_COLUMNS,
                        [expected_timelinejs_title_row(tljs["title"])] + [expected_timelinejs_row(ev) for ev in tljs["events"]])
            # timelinejs.json agrees with timeline.json entry by entry.
            check(len(tljs["events"]) == len(entries), "timelinejs.json: not one event per entry")
            for ev, e in zip(tljs["events"], entries):
                check(ev["unique_id"] == e["event_id"], f"timelinejs.json: {ev['unique_id']} != {e['event_id']}")
                check(str(ev["start_date"]["year"]) == e["date_start"][:4].lstrip("0"), f"timelinejs.json: year of {e['event_id']}")
            fixture_is_hostile([c for rows in parsed.values() for r in rows[1:] for c in r] +
                               [e["title"] for e in entries])
            check(any(e["conflict"] for e in entries), "the fixture has no conflicting entries")
            check(timeline["undated"], "the fixture has no undated mention")
            print(f"{dialect}: timeline.csv {n} rows, mentions.csv {k} rows, timelinejs.csv {j} rows compared")
    return report()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
