#!/usr/bin/env bash
# Where the instructions of one `annals tag -j1` run go, part by part, counted
# by callgrind (instruction counts do not depend on a busy neighbour on the
# machine, unlike wall-clock time). Inclusive counts, in millions:
#   load_rule_pack   reading and compiling the rule pack (once per run)
#   collect_sources  listing and sorting the source files
#   load_manifests   finding the sources.toml files
#   read_source      reading each file into a Document, and within it
#   find_dateline      the dateline search for the publication date
#   find_dates       tagging each document
#   writer           writing the JSON Lines (the per-document work left over)
#   bench/tag_parts.sh [ANNALS_BINARY] DIR [more annals tag options]
# DIR is any folder of sources, e.g. the plain text of te3-silver that
# bench/tag_speed.sh makes. The JSON Lines go to /dev/null; the callgrind
# file is kept in a temporary folder and its path printed, for
# callgrind_annotate.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
annals="$root/build/annals"
if [ $# -ge 1 ] && [ -x "$1" ] && [ ! -d "$1" ]; then annals="$1"; shift; fi
[ $# -ge 1 ] || { echo "usage: bench/tag_parts.sh [ANNALS_BINARY] DIR [annals tag options]" >&2; exit 2; }
[ -x "$annals" ] || { echo "tag_parts: no annals binary at $annals (build first)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "tag_parts: valgrind missing (apt-get install -y valgrind)" >&2; exit 2; }

out="$(mktemp -d)/callgrind.out"
rc=0
valgrind --tool=callgrind --callgrind-out-file="$out" "$annals" tag -j1 "$@" >/dev/null 2>"$out.log" || rc=$?
# 1 is input problems found (the run went through); 2 is a usage or rule pack error.
[ "$rc" -le 1 ] || { grep -v '^==' "$out.log" >&2; echo "tag_parts: annals tag failed ($rc)" >&2; exit 2; }
callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$out" | python3 -c '
import re, sys
parts = [("load_rule_pack", "annals::cli::load_rule_pack("),
         ("collect_sources", "annals::ingest::collect_sources("),
         ("load_manifests", "annals::ingest::load_manifests("),
         ("read_source", "annals::ingest::read_source("),
         ("find_dateline", "annals::temporal::find_dateline("),
         ("find_dates", "annals::temporal::find_dates("),
         ("per_document", "run_tag(annals::cli::(anonymous namespace)::TagArgs const&)::{lambda")]
count = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \(.*?\)\s+(.*)", line)
    if not m:
        continue
    n, name = int(m.group(1).replace(",", "")), m.group(2)
    if "PROGRAM TOTALS" in name:
        count["total"] = n
    for key, pattern in parts:
        if pattern in name and key not in count:
            count[key] = n
count["writer"] = count.get("per_document", 0) - count.get("find_dates", 0) - count.get("read_source", 0)
for key in ["total", "load_rule_pack", "collect_sources", "load_manifests", "read_source", "find_dateline",
            "find_dates", "writer"]:
    n = count.get(key, 0)
    share = 100 * n / count["total"] if count.get("total") else 0
    print(f"{key:>16} {n / 1e6:10.1f} M  {share:5.1f}%")
'
echo "callgrind file: $out"
