#!/usr/bin/env python3
"""End-to-end speed of annals on corpora of growing size, with ripgrep in the same run.

    bench/corpus_speed.py [--annals build/annals] [--corpora 1x,8x,64x,50k,single]
                          [--commands build,tag,extract] [--rounds 3] [--callgrind 1x]

Corpora (made once from ../shared/corpus/te3-silver into --work, default build/bench-corpora; not timed):
  1x      the plain text of te3-silver: 2,452 files, 3.9 MB (TimeML tags stripped, entities decoded)
  8x, 64x 8 or 64 copies of each file under new names (kNN-NAME.txt), in one folder
  50k     50,000 files: the te3-silver files again and again under new names (20.4 copies)
  single  one file holding the 64x text (about 250 MB), documents separated by blank lines; annals
          refuses it (over the 64 MiB limit for one source), so its rows show "exit 2", not a speed

Each round runs, for every corpus, `rg -j1` with one combined case-insensitive date regex over the
same files, then each annals command with -j1 (build: all default formats into a fresh --out), and
again with -j2 for build. A command's CPU time is user+sys of that process alone (os.wait4), its
peak RSS the kernel's ru_maxrss; the table shows the round with the least CPU time, and the load
average before the run, since up to 6 sessions may share the machine's 2 cores. MB/CPU-s is input
megabytes (10^6 bytes of source files) per CPU-second; "vs rg" divides it by rg's in the same round.
--callgrind CORPORA also counts the instructions of each -j1 command on those corpora (valgrind
callgrind, 50-100x slower than a plain run; it cannot be blurred by other work on the machine).

A run that exceeds --timeout CPU-seconds is killed and shown as "> N s".
"""
import argparse
import html
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The date regex of bench/tag_speed.sh: a raw-scan limit, no normalization, no vetoes.
DATE_REGEX = (r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+[0-9]{1,2}(?:,?\s+[0-9]{4})?"
              r"|[0-9]{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+[0-9]{4})?"
              r"|(?:19|20)[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
              r"|yesterday|today|tomorrow|tonight|(?:last|next|this)\s+(?:week|month|year|quarter)"
              r"|[a-z]+\s+(?:days|weeks|months|years)\s+ago|(?:first|second|third|fourth)[\s-]quarter|now|recently)\b")

CORPUS_VERSION = "1"  # bump when the way corpora are made changes


def te3_texts(src):
    """(name, text) of every te3-silver document, in name order."""
    out = []
    for name in sorted(os.listdir(src)):
        if not name.endswith(".tml"):
            continue
        with open(os.path.join(src, name), encoding="utf-8", errors="replace") as f:
            raw = f.read()
        m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
        body = m.group(1) if m else raw
        out.append((name[:-4] + ".txt", html.unescape(re.sub(r"<[^>]+>", "", body))))
    return out


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_corpora(src, work, wanted):
    stamp = os.path.join(work, "stamp")
    if os.path.exists(stamp) and open(stamp).read() != CORPUS_VERSION:
        shutil.rmtree(work)
    os.makedirs(work, exist_ok=True)
    write(stamp, CORPUS_VERSION)
    docs = None
    paths = {}
    for name in wanted:
        path = os.path.join(work, name)
        paths[name] = path if name != "single" else os.path.join(path, "all.txt")
        if os.path.exists(os.path.join(path, ".complete")):
            continue
        if docs is None:
            docs = te3_texts(src)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        print(f"making corpus {name} in {path} ...", file=sys.stderr, flush=True)
        if name == "1x":
            for n, t in docs:
                write(os.path.join(path, n), t)
        elif name in ("8x", "64x"):
            for k in range(int(name[:-1])):
                for n, t in docs:
                    write(os.path.join(path, f"k{k:02}-{n}"), t)
        elif name == "50k":
            for i in range(50000):
                n, t = docs[i % len(docs)]
                write(os.path.join(path, f"s{i:05}-{n}"), t)
        elif name == "single":
            with open(paths[name], "w", encoding="utf-8") as f:
                for _ in range(64):
                    for _, t in docs:
                        f.write(t.strip("\n"))
                        f.write("\n\n")
        else:
            sys.exit(f"corpus_speed: unknown corpus {name}")
        write(os.path.join(path, ".complete"), "")
    return paths


def input_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(e.stat().st_size for e in os.scandir(path) if e.name.endswith(".txt"))


def run(argv, timeout, stdout=subprocess.DEVNULL):
    """Runs argv; returns (cpu seconds, wall seconds, peak RSS in MB, exit code) of that child alone."""
    def limit():
        resource.setrlimit(resource.RLIMIT_CPU, (timeout, timeout + 5))
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, preexec_fn=limit)
    # stderr can be large (diagnostics); read it so that the child never blocks on a full pipe.
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    rc = p.returncode
    if rc not in (0, 1):
        tail = err.decode(errors="replace").strip().splitlines()[-3:]
        print(f"  ! {' '.join(argv[:3])}... exited {rc}: {' | '.join(tail)}", file=sys.stderr)
    return ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss / 1024, rc


def callgrind(argv, timeout):
    """Instructions executed by argv (all threads), counted by callgrind."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cg.out")
        try:
            subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout * 60)
        except subprocess.TimeoutExpired:
            return None
        total = 0
        for name in os.listdir(d):
            with open(os.path.join(d, name)) as f:
                for line in f:
                    if line.startswith("summary:") or line.startswith("totals:"):
                        total = max(total, int(line.split()[1]))
        return total


def commands(annals, names, corpus, out_dir, rules):
    extra = ["--rules", rules] if rules else []
    c = {}
    for n in names:
        if n == "build":
            c["build -j1"] = [annals, "build", "-j1", corpus, "--out", out_dir] + extra
            c["build -j2"] = [annals, "build", "-j2", corpus, "--out", out_dir] + extra
        elif n == "build-csv":
            c["build -j1 --format csv"] = [annals, "build", "-j1", "--format", "csv", corpus, "--out", out_dir] + extra
        elif n == "tag":
            c["tag -j1"] = [annals, "tag", "-j1", corpus] + extra
        elif n == "extract":
            c["extract -j1"] = [annals, "extract", "-j1", corpus] + extra
        else:
            sys.exit(f"corpus_speed: unknown command {n}")
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--annals", default=os.path.join(ROOT, "build", "annals"))
    ap.add_argument("--rules", default="", help="rule pack (default: annals' own)")
    ap.add_argument("--src", default=os.path.join(ROOT, "..", "shared", "corpus", "te3-silver"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "bench-corpora"))
    ap.add_argument("--corpora", default="1x,8x,64x,50k,single")
    ap.add_argument("--commands", default="build,tag,extract")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=300, help="CPU-seconds after which a run is killed")
    ap.add_argument("--callgrind", default="", help="corpora whose -j1 runs are also counted by callgrind")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    a = ap.parse_args()
    if not os.access(a.annals, os.X_OK):
        sys.exit(f"corpus_speed: no annals binary at {a.annals} (build first)")
    if not os.path.isdir(a.src):
        sys.exit(f"corpus_speed: corpus folder {a.src} is absent")
    if not shutil.which("rg"):
        sys.exit("corpus_speed: ripgrep missing (apt-get install -y ripgrep)")
    corpora = [c for c in a.corpora.split(",") if c]
    paths = make_corpora(a.src, a.work, corpora)
    sizes = {c: input_bytes(paths[c]) for c in corpora}
    best = {}     # (corpus, command) -> (cpu, wall, rss, rc, rg cpu of that round)
    loads = []
    timed_out = set()
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.rounds):
            for c in corpora:
                out_dir = os.path.join(tmp, "out")
                cmds = commands(a.annals, a.commands.split(","), paths[c], out_dir, a.rules)
                loads.append(os.getloadavg()[0])
                rg = run(["rg", "-j1", "-i", "-o", "-c", "--no-filename", DATE_REGEX, paths[c]], a.timeout)
                key = (c, "rg -j1")
                if key not in best or rg[0] < best[key][0]:
                    best[key] = rg + (rg[0],)
                for name, argv in cmds.items():
                    if (c, name) in timed_out:
                        continue
                    shutil.rmtree(out_dir, ignore_errors=True)
                    res = run(argv, a.timeout)
                    print(f"round {r + 1} {c:>6} {name:<24} cpu {res[0]:8.2f} s  wall {res[1]:8.2f} s  "
                          f"rss {res[2]:8.1f} MB  (rg {rg[0]:.2f} s, load {loads[-1]:.1f})", file=sys.stderr, flush=True)
                    if res[3] == -signal.SIGXCPU or res[3] == -signal.SIGKILL or res[0] >= a.timeout:
                        timed_out.add((c, name))
                        best[(c, name)] = (float(a.timeout), res[1], res[2], "timeout", rg[0])
                        continue
                    if (c, name) not in best or res[0] < best[(c, name)][0]:
                        best[(c, name)] = res + (rg[0],)
        instructions = {}
        for c in [c for c in a.callgrind.split(",") if c]:
            if c not in paths:
                continue
            out_dir = os.path.join(tmp, "out")
            for name, argv in commands(a.annals, a.commands.split(","), paths[c], out_dir, a.rules).items():
                if "-j2" in name or (c, name) in timed_out:
                    continue
                shutil.rmtree(out_dir, ignore_errors=True)
                print(f"callgrind {c} {name} ...", file=sys.stderr, flush=True)
                instructions[(c, name)] = callgrind(argv, a.timeout)

    git = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], capture_output=True, text=True).stdout.strip()
    print(f"annals: {a.annals} ({git})")
    print(f"load average (1 min) before each corpus: min {min(loads):.1f}, max {max(loads):.1f}; "
          f"best of {a.rounds} round(s) by CPU time")
    header = ["corpus", "MB", "command", "CPU s", "MB/CPU-s", "vs rg", "wall s", "peak RSS MB", "G instr"]
    rows = []
    for c in corpora:
        mb = sizes[c] / 1e6
        names = ["rg -j1"] + list(commands(a.annals, a.commands.split(","), paths[c], "", a.rules).keys())
        for name in names:
            if (c, name) not in best:
                continue
            cpu, wall, rss, rc, rg_cpu = best[(c, name)]
            ins = instructions.get((c, name))
            timeout = rc == "timeout"
            if rc not in (0, 1, "timeout"):
                # Refused (exit 2: the single file over the per-source limit) or
                # crashed: no throughput to show, and none to compare with rg.
                rows.append([c, f"{mb:.1f}", name, f"{cpu:.2f}", f"exit {rc}", "-", f"{wall:.2f}", f"{rss:.0f}", ""])
                continue
            rows.append([c, f"{mb:.1f}", name,
                         f"> {cpu:.0f}" if timeout else f"{cpu:.2f}",
                         f"< {mb / cpu:.2f}" if timeout else f"{mb / cpu:.1f}",
                         "-" if name == "rg -j1" else (f"< 1/{cpu / rg_cpu:.0f}" if timeout else f"1/{cpu / rg_cpu:.1f}"),
                         f"{wall:.2f}", f"{rss:.0f}", f"{ins / 1e9:.2f}" if ins else ""])
    if a.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
        print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
        for row in rows:
            print("  ".join(x.rjust(w) for x, w in zip(row, widths)))


if __name__ == "__main__":
    main()
