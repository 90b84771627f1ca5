#!/usr/bin/env bash
# Speed of the date tagger on one core: strips the TimeML tags of
# ../shared/corpus/te3-silver into plain .txt files (not timed), then times
# `annals tag -j1` over them, and, in the same run, ripgrep with one combined
# case-insensitive date regex (a raw-scan limit: no normalization, no vetoes).
# It also times annals over five copies of the corpus: the difference between
# the two runs is four corpora tagged once everything per run is paid
# (process start, rule pack compilation, RE2 building its lazy DFA states),
# which is the throughput a large corpus sees.
#   bench/tag_speed.sh [ANNALS_BINARY] [CORPUS_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
annals="${1:-$root/build/annals}"
corpus="${2:-$root/../shared/corpus/te3-silver}"
[ -x "$annals" ] || { echo "tag_speed: no annals binary at $annals (build first)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "tag_speed: corpus folder $corpus is absent" >&2; exit 2; }
command -v rg >/dev/null || { echo "tag_speed: ripgrep missing (apt-get install -y ripgrep)" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 - "$corpus" "$tmp/txt" <<'PY'
import html, os, re, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
for name in sorted(os.listdir(src)):
    if not name.endswith(".tml"):
        continue
    raw = open(os.path.join(src, name), encoding="utf-8", errors="replace").read()
    m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    body = m.group(1) if m else raw
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    open(os.path.join(dst, name[:-4] + ".txt"), "w", encoding="utf-8").write(text)
PY
mkdir "$tmp/x5"
for k in 1 2 3 4 5; do for f in "$tmp/txt"/*.txt; do cp "$f" "$tmp/x5/$k-${f##*/}"; done; done
files=$(ls "$tmp/txt" | wc -l)
bytes=$(cat "$tmp/txt"/*.txt | wc -c)

# Best of three runs each, so a busy neighbour on the machine counts less.
best() {  # best wall-clock seconds of "$@" over 3 runs
  local best_s=""
  for _ in 1 2 3; do
    local t0 t1 s
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
    s=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best_s" ] || [ "$(echo "$s < $best_s" | bc -l)" = 1 ]; then best_s=$s; fi
  done
  echo "$best_s"
}
date_regex='\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+[0-9]{1,2}(?:,?\s+[0-9]{4})?|[0-9]{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+[0-9]{4})?|(?:19|20)[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tomorrow|tonight|(?:last|next|this)\s+(?:week|month|year|quarter)|[a-z]+\s+(?:days|weeks|months|years)\s+ago|(?:first|second|third|fourth)[\s-]quarter|now|recently)\b'

annals_s=$(best "$annals" tag -j1 "$tmp/txt")
annals5_s=$(best "$annals" tag -j1 "$tmp/x5")
rg_s=$(best rg -j1 -i -o -c --no-filename "$date_regex" "$tmp/txt")
mentions=$("$annals" tag -j1 "$tmp/txt" 2>/dev/null | wc -l)
rg_hits=$(rg -j1 -i -o --no-filename "$date_regex" "$tmp/txt" | wc -l)
mb=$(echo "$bytes / 1000000" | bc -l)
printf 'corpus: %d files, %.1f MB of plain text (%s)\n' "$files" "$mb" "$corpus"
printf 'annals tag -j1: %.2f s, %.1f MB/s, %d time expressions\n' "$annals_s" "$(echo "$mb / $annals_s" | bc -l)" "$mentions"
printf 'rg -j1 -i (one date regex): %.2f s, %.1f MB/s, %d matches\n' "$rg_s" "$(echo "$mb / $rg_s" | bc -l)" "$rg_hits"
printf 'ratio annals/rg: %.2f\n' "$(echo "$rg_s / $annals_s" | bc -l)"
printf 'annals tag -j1 over 5 copies: %.2f s; the 4 extra corpora: %.1f MB/s (per-run fixed cost %.2f s)\n' \
  "$annals5_s" "$(echo "4 * $mb / ($annals5_s - $annals_s)" | bc -l)" \
  "$(echo "$annals_s - ($annals5_s - $annals_s) / 4" | bc -l)"
