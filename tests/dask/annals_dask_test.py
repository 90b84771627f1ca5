#!/usr/bin/python3
"""End-to-end tests of scripts/annals-dask on a LocalCluster of 2 worker processes on loopback.

  annals_dask_test.py --annals BIN [TEST_NAME]

Each test runs the real driver and the real annals binary and compares every output byte for byte
with `annals build` over the same corpus. Exit 77 (ctest: skipped) when Dask distributed is missing.
"""
import argparse
import importlib.machinery
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared')
ANNALS = None
FORMATS = 'html,csv,json,timelinejs'


def load_driver():
    loader = importlib.machinery.SourceFileLoader('annals_dask', os.path.join(ROOT, 'scripts', 'annals-dask'))
    spec = importlib.util.spec_from_loader('annals_dask', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def files_of(folder):
    return {n: open(os.path.join(folder, n), 'rb').read() for n in sorted(os.listdir(folder))
            if os.path.isfile(os.path.join(folder, n))}


def corpus():
    """The project's sample sources and merge fixture, plus the seeds and news-dev when ../shared has them."""
    inputs = ['sources', 'tests/fixtures/merge']
    for extra in ('seeds', 'eval/news-dev/news'):
        if os.path.isdir(os.path.join(SHARED, extra)):
            inputs.append(os.path.relpath(os.path.join(SHARED, extra), ROOT))
    return inputs


class DaskDriverTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from distributed import Client, LocalCluster
        os.chdir(ROOT)
        os.environ['SOURCE_DATE_EPOCH'] = '1700000000'
        cls.driver = load_driver()
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host='127.0.0.1',
                                   dashboard_address=None, silence_logs=50)
        cls.client = Client(cls.cluster)
        cls.tmp = tempfile.mkdtemp(prefix='annals-dask-test-')
        cls.expected = {}

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def build(self, inputs):
        key = tuple(inputs)
        if key not in self.expected:
            out = tempfile.mkdtemp(dir=self.tmp)
            r = subprocess.run([ANNALS, 'build', *inputs, '--out', out, '--format', FORMATS, '-q'])
            self.assertIn(r.returncode, (0, 1))
            self.expected[key] = (r.returncode, files_of(out))
        return self.expected[key]

    def args(self, inputs, *extra):
        work = tempfile.mkdtemp(dir=self.tmp)
        out = os.path.join(work, 'out')
        a = self.driver.parse([*inputs, '--out', out, '--work', work, '--annals', ANNALS, '--format', FORMATS, *extra])
        return a, out

    def assert_same_as_build(self, rc, out, inputs):
        want_rc, want = self.build(inputs)
        self.assertEqual(rc, want_rc)
        got = files_of(out)
        self.assertEqual(sorted(got), sorted(want))
        for name in want:
            self.assertTrue(got[name] == want[name], f'{name} differs from annals build')

    def test_random_partitions_give_the_outputs_of_build(self):
        inputs = corpus()
        for seed in (1, 2, 3):  # extract servers of 1, 2 and 3 threads
            a, out = self.args(inputs, '--partitions', str(3 + seed), '--seed', str(seed), '--extract-threads', str(seed))
            self.assert_same_as_build(self.driver.run(a, self.client), out, inputs)

    def test_a_keyed_shuffle_through_bucket_files_gives_the_outputs_of_build(self):
        inputs = corpus()
        for seed, extra in ((1, []), (2, ['--duplicate'])):  # the second with a map task run twice
            a, out = self.args(inputs, '--partitions', '5', '--seed', str(seed), '--buckets', '4', *extra)
            self.assert_same_as_build(self.driver.run(a, self.client), out, inputs)
            self.assertEqual(a.stats['map_tasks'], 5 + len(extra))
            # The near-duplicate search ran as one band step per bucket, and the combine was given its pairs.
            self.assertEqual(a.stats['band_steps'], 4)
            self.assertEqual(sorted(n for n in os.listdir(os.path.join(a.work, 'parts')) if n.startswith('pairs-')),
                             [f'pairs-{b}-of-4.jsonl' for b in range(4)])

    def test_a_part_submitted_twice_gives_the_outputs_of_once(self):
        inputs = corpus()
        a, out = self.args(inputs, '--partitions', '5', '--duplicate')
        self.assert_same_as_build(self.driver.run(a, self.client), out, inputs)

    def run_with_a_kill(self, a, suffix, victims):
        """Runs the driver with `a`; once the first map output whose name ends with `suffix` lands, SIGKILLs the
        first pid `victims()` names. Returns the exit code and how many had landed by then."""
        parts = os.path.join(a.work, 'parts')
        seen = {}

        def kill_when_the_first_output_lands():
            deadline = time.time() + 120
            while time.time() < deadline:
                done = [p for p in os.listdir(parts) if p.endswith(suffix)] if os.path.isdir(parts) else []
                pids = victims() if done else []
                if pids:
                    seen['landed'] = len(done)
                    os.kill(pids[0], signal.SIGKILL)
                    return
                time.sleep(0.01)

        killer = threading.Thread(target=kill_when_the_first_output_lands)
        killer.start()
        rc = self.driver.run(a, self.client)
        killer.join()
        self.assertIn('landed', seen, 'nothing was killed')
        return rc, seen['landed']

    def test_a_worker_killed_mid_run_changes_nothing(self):
        inputs = corpus()
        a, out = self.args(inputs, '--partitions', '24', '--seed', '7')
        pids = self.client.run(os.getpid)
        rc, landed = self.run_with_a_kill(a, '.jsonl', lambda: [sorted(pids.values())[-1]])
        self.assertLess(landed, 24, 'the kill came after the map step')
        self.assert_same_as_build(rc, out, inputs)
        self.client.wait_for_workers(2, timeout=60)  # the nanny restarts it for the next tests

    def test_jsonl_shards_give_the_outputs_of_one_extract_of_them(self):
        docs = os.path.join(self.tmp, 'docs.jsonl')
        with open(docs, 'w') as f:
            for n in range(60):
                f.write(json.dumps({'id': f'doc-{n}', 'published': f'2025-03-{1 + n % 28:02d}',
                                    'text': f'On {1 + n % 28} March 2025 Company{n % 7} Holdings launched '
                                            f'its Model{n % 5} assistant. Shares rose 3% last week.'}) + '\n')
        want_dir = tempfile.mkdtemp(dir=self.tmp)
        part = os.path.join(want_dir, 'part.jsonl')
        with open(docs, 'rb') as i, open(part, 'wb') as o:
            self.assertIn(subprocess.run([ANNALS, 'extract', '--stdin', '-q'], stdin=i, stdout=o).returncode, (0, 1))
        want_out = os.path.join(want_dir, 'out')
        want_rc = subprocess.run([ANNALS, 'merge', part, '--out', want_out, '--format', FORMATS]).returncode
        a, out = self.args([docs], '--partitions', '7')
        rc = self.driver.run(a, self.client)
        self.assertEqual(rc, want_rc)
        self.assertEqual(files_of(out), files_of(want_out))

    def test_a_partition_that_keeps_failing_stops_the_run_by_name_and_writes_nothing(self):
        # An annals whose extract server crashes (SIGSEGV) on the request of share 1/3, every time.
        fake = os.path.join(self.tmp, 'crashing-annals')
        with open(fake, 'w') as f:
            f.write(f"""#!{sys.executable}
import os, signal, subprocess, sys
if '--serve' not in sys.argv:
    os.execv({ANNALS!r}, [{ANNALS!r}] + sys.argv[1:])
real = subprocess.Popen([{ANNALS!r}] + sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
for line in sys.stdin.buffer:
    if b'"partition": "1/' in line:
        sys.stderr.write('annals: simulated crash\\n')
        sys.stderr.flush()
        real.kill()
        os.kill(os.getpid(), signal.SIGSEGV)
    real.stdin.write(line)
    real.stdin.flush()
    sys.stdout.buffer.write(real.stdout.readline())
    sys.stdout.flush()
""")
        os.chmod(fake, 0o755)
        work = tempfile.mkdtemp(dir=self.tmp)
        out = os.path.join(work, 'out')
        r = subprocess.run([sys.executable, os.path.join(ROOT, 'scripts', 'annals-dask'), 'sources', '--out', out,
                            '--work', work, '--annals', fake, '--workers', '2', '--partitions', '3', '--retries', '1'],
                           stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn('annals-dask: partition 1 (share 1/3 of sources) failed after 1 retries: killed by signal 11 '
                      '(annals: simulated crash)', r.stderr)
        self.assertIn('nothing was written', r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_each_worker_runs_its_map_tasks_on_one_long_lived_extract(self):
        inputs = corpus()
        a, out = self.args(inputs, '--partitions', '12', '--seed', '4')
        self.assert_same_as_build(self.driver.run(a, self.client), out, inputs)
        self.assertEqual(a.stats['map_tasks'], 12)
        self.assertLessEqual(a.stats['map_processes'], 2)  # one per worker: the rule pack loaded twice, not 12 times

    def test_an_extract_server_killed_mid_task_changes_nothing(self):
        inputs = corpus()
        a, out = self.args(inputs, '--partitions', '16', '--seed', '9', '--buckets', '3')

        def running_servers(dask_worker):
            plugin = dask_worker.plugins.get('annals-extract-servers')
            if plugin is None or not hasattr(plugin, 'lock'):
                return []
            with plugin.lock:
                return [s.p.pid for s in plugin.running]

        rc, landed = self.run_with_a_kill(a, '.sources.jsonl',
                                          lambda: [pid for pids in self.client.run(running_servers).values() for pid in pids])
        self.assertLess(landed, 16, 'the kill came after the map step')
        self.assert_same_as_build(rc, out, inputs)
        parts = os.path.join(a.work, 'parts')
        self.assertEqual([n for n in os.listdir(parts) if '.tmp-' in n], [], 'the killed task left its temporary files')

def main():
    global ANNALS
    ap = argparse.ArgumentParser()
    ap.add_argument('--annals', required=True)
    ap.add_argument('test', nargs='?')
    a = ap.parse_args()
    ANNALS = os.path.abspath(a.annals)
    try:
        import distributed  # noqa: F401
    except ImportError:
        print('SKIPPED: Dask distributed is not installed (scripts/setup-dask-test installs it)')
        return 77
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    if a.test:
        suite.addTest(DaskDriverTest(a.test))
    else:
        suite.addTests(loader.loadTestsFromTestCase(DaskDriverTest))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if result.testsRun == 0:
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
