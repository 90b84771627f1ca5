#!/usr/bin/python3
"""The Dask driver against `annals build` on corpora of growing size.

    bench/dask_bench.py [--annals build/annals] [--corpora 1x,8x] [--cores 2] [--workers 1] [--partitions 16]
                        [--rounds R] [--corpus-dir DIR]

Corpora as bench/corpus_speed.py makes them (te3-silver's plain text, 8 and 64 copies under new names,
in build/bench-corpora), or with --corpus-dir the folders DIR/1x, DIR/8x as they are (never written).
For each corpus and round: `annals build -j C --no-cache` and `scripts/annals-dask --workers W
--extract-threads C/W` (a LocalCluster of W workers sharing the same C cores), both writing all default
formats into fresh folders, one after the other, so that a noisy machine weighs on both alike. CPU time is user+sys of the process and of every
descendant it waited for (os.wait4), so for the driver it includes the scheduler, the worker processes,
every `annals extract` and the merge; the driver's own report splits it into the map (the extract
processes) and the merge, with each stage's largest peak RSS; the rest is Dask's and Python's own. The
outputs of the two runs are compared byte for byte. Run it with Debian's python3, which has
python3-distributed.
"""
import argparse
import filecmp
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'bench'))
import corpus_speed  # noqa: E402


def timed(argv, env=None):
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read().decode(errors='replace')
    _, status, ru = os.wait4(p.pid, 0)
    rc = os.waitstatus_to_exitcode(status)
    if rc not in (0, 1):
        sys.exit(f'dask_bench: {argv[0]} exited {rc}: {err.strip().splitlines()[-1:]}')
    return ru.ru_utime + ru.ru_stime, time.monotonic() - t0, ru.ru_maxrss / 1024, err


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--annals', default=os.path.join(ROOT, 'build', 'annals'))
    ap.add_argument('--src', default=os.path.join(ROOT, '..', 'shared', 'corpus', 'te3-silver'))
    ap.add_argument('--work', default=os.path.join(ROOT, 'build', 'bench-corpora'))
    ap.add_argument('--corpora', default='1x,8x')
    ap.add_argument('--cores', type=int, default=2, help='build -j, and the extract threads of all workers together')
    ap.add_argument('--workers', type=int, default=1, help="the driver's LocalCluster worker processes")
    ap.add_argument('--partitions', type=int, default=16)
    ap.add_argument('--rounds', type=int, default=1)
    ap.add_argument('--corpus-dir', help='corpora made before (DIR/1x, DIR/8x): used as they are, never written')
    a = ap.parse_args()
    if a.corpus_dir:
        corpora = {name: os.path.join(a.corpus_dir, name) for name in a.corpora.split(',')}
    else:
        corpora = corpus_speed.make_corpora(a.src, a.work, a.corpora.split(','))
    env = dict(os.environ, SOURCE_DATE_EPOCH='1700000000')
    threads = max(1, a.cores // a.workers)
    print('| corpus | MB | build -j%d CPU-s | peak MB | driver CPU-s (all processes) | map CPU-s | merge CPU-s | '
          'rest (Dask, Python) CPU-s | extract processes | largest extract MB | merge MB | driver / build | outputs |' % a.cores)
    print('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
    # "annals-dask: map N task(s), X CPU-s in annals extract (largest M MiB[; P extract process(es)]); merge Y CPU-s (Z MiB)"
    summary = re.compile(r'map (\d+) task\(s\), ([\d.]+) CPU-s in annals extract \(largest (\d+) MiB(?:; (\d+) extract '
                         r'process\(es\))?\); merge ([\d.]+) CPU-s \((\d+) MiB\)')
    for name, path in [(n, p) for n, p in corpora.items() for _ in range(a.rounds)]:
        mb = corpus_speed.input_bytes(path) / 1e6
        with tempfile.TemporaryDirectory(prefix='annals-dask-bench-') as tmp:
            b_out, d_out = os.path.join(tmp, 'build'), os.path.join(tmp, 'dask')
            b_cpu, _, b_rss, _ = timed([a.annals, 'build', '-j', str(a.cores), '--no-cache', '-q', path, '--out', b_out], env)
            d_cpu, _, _, err = timed(['/usr/bin/python3', os.path.join(ROOT, 'scripts', 'annals-dask'), path, '--out', d_out,
                                      '--annals', a.annals, '--workers', str(a.workers), '--extract-threads', str(threads),
                                      '--partitions', str(a.partitions)], env)
            found = [m for m in map(summary.search, err.splitlines()) if m]
            if not found:
                sys.exit(f'dask_bench: no map summary from annals-dask: {err.strip().splitlines()[-1:]}')
            _, map_cpu, largest, processes, merge_cpu, merge_mb = found[-1].groups()
            rest = d_cpu - float(map_cpu) - float(merge_cpu)
            same = all(filecmp.cmp(os.path.join(b_out, f), os.path.join(d_out, f), shallow=False) for f in os.listdir(b_out))
            print(f'| {name} | {mb:.1f} | {b_cpu:.2f} | {b_rss:.0f} | {d_cpu:.2f} | {map_cpu} | {merge_cpu} | {rest:.2f} | '
                  f'{processes or a.partitions} | {largest} | {merge_mb} | {d_cpu / b_cpu:.2f}x | {"identical" if same else "DIFFER"} |',
                  flush=True)

if __name__ == '__main__':
    main()
