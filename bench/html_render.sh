#!/usr/bin/env bash
# What rendering the HTML page costs against the CSV writer, as `annals
# merge` does it for a big archive: timelines of 2,500 to 20,000 generated
# entries (bench/gen_timeline.py), each merged with --format csv and with
# --format html, best of 3 runs: CPU time (user + sys, so other work on the
# machine does not count), peak resident memory, and the size of what was
# written. The difference between the two is the renderer; merging and
# reading the records are the same in both.
#
#   bench/html_render.sh [build/annals] [ENTRIES...]      (default: 2500 5000 10000 20000)
set -euo pipefail
annals=${1:-build/annals}
shift || true
sizes=("$@")
((${#sizes[@]})) || sizes=(2500 5000 10000 20000)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best() {  # best of 3 runs of: annals merge PART --format FORMAT; prints "cpu_s rss_mib"
  local part=$1 format=$2 out=$3 best_cpu="" best_rss=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%U %S %M" -o "$work/time" "$annals" merge "$part" --out "$out" --format "$format" 2>/dev/null
    read -r user sys rss <"$work/time"
    cpu=$(echo "$user + $sys" | bc)
    if [[ -z $best_cpu ]] || (($(echo "$cpu < $best_cpu" | bc))); then best_cpu=$cpu; best_rss=$rss; fi
  done
  echo "$best_cpu $((best_rss / 1024))"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf "%8s %10s %10s %8s %9s %9s %8s %11s\n" entries csv_cpu_s html_cpu_s ratio csv_MiB html_MiB page_MB bytes/entry
for n in "${sizes[@]}"; do
  python3 "$here/gen_timeline.py" --entries "$n" --out "$work/part.jsonl" 2>/dev/null
  read -r csv_cpu csv_rss < <(best "$work/part.jsonl" csv "$work/csv")
  read -r html_cpu html_rss < <(best "$work/part.jsonl" html "$work/html")
  bytes=$(stat -c %s "$work/html/timeline.html")
  printf "%8d %10.2f %10.2f %8.2f %9d %9d %8.1f %11d\n" "$n" "$csv_cpu" "$html_cpu" "$(echo "$html_cpu / $csv_cpu" | bc -l)" \
    "$csv_rss" "$html_rss" "$(echo "$bytes / 1000000" | bc -l)" "$((bytes / n))"
done
