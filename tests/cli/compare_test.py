"""bench/compare end to end, short: both servers and pgbench measured, one JSON object
with every figure and ratio, and nothing left running or lying about afterwards."""

import glob
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import TLSHOP

COMPARE = Path(__file__).resolve().parents[2] / "bench" / "compare"


def compare_module():
    loader = importlib.machinery.SourceFileLoader("compare", str(COMPARE))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("compare", loader))
    loader.exec_module(module)
    return module


def nginx_processes():
    return subprocess.run(["pgrep", "-x", "nginx"], capture_output=True, text=True).stdout.split()


def leftovers():
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "tlshop-compare-*")))


class Compare(unittest.TestCase):
    def test_quick_comparison_reports_every_figure_and_cleans_up(self):
        before_dirs, before_nginx = leftovers(), nginx_processes()
        result = subprocess.run(
            [COMPARE, "--quick", "--json", "--duration", "1", "--idle", "200"],
            env=dict(os.environ, TLSHOP_BIN=TLSHOP), capture_output=True, text=True, timeout=900)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(result.stdout)

        for name, entry in report["versus_nginx"].items():
            with self.subTest(figure=name):
                self.assertGreater(entry["tlshop"], 0)
                self.assertGreater(entry["nginx"], 0)
                self.assertAlmostEqual(entry["ratio"], entry["tlshop"] / entry["nginx"], delta=0.01)
        judged = {name for name, entry in report["versus_nginx"].items() if "goal_met" in entry}
        self.assertEqual(judged, {"full_handshakes_per_server_core_second",
                                  "resumed_handshakes_per_server_core_second",
                                  "keepalive_requests_per_server_core_second",
                                  "p99_ms_at_fixed_rate", "kib_per_1000_idle_connections"})
        floor = report["crypto_floor"]
        self.assertGreater(floor["floor_us"], 0)
        self.assertGreaterEqual(floor["slices"], 1)  # priced between the handshake rounds
        low, high = floor["floor_us_range"]
        self.assertLessEqual(low, floor["floor_us"] + 1e-6)
        self.assertGreaterEqual(high, floor["floor_us"] - 1e-6)
        self.assertAlmostEqual(floor["multiple"], floor["tlshop_server_cpu_us"] / floor["floor_us"],
                               places=3)
        purchases = report["purchases"]
        self.assertGreater(purchases["tlshop_per_second"], 0)
        self.assertGreater(purchases["pgbench_tps"], 0)
        self.assertEqual(report["settings"]["idle_connections"], 200)
        self.assertEqual(report["settings"]["fixed_rate_rounds"], 3)

        # Without --json the same figures print as a table, one line each, goals judged.
        table = compare_module().table(report).splitlines()
        self.assertEqual(len([line for line in table if line.endswith(("met", "NOT MET"))]),
                         len(judged))
        self.assertTrue(any(line.startswith("p99 ms at") and "(median of 3 rounds)" in line
                            for line in table), table)
        self.assertTrue(any(line.startswith("crypto floor") for line in table), table)
        self.assertTrue(table[-1].startswith("quick: "), table)

        self.assertEqual(leftovers(), before_dirs)
        self.assertEqual(nginx_processes(), before_nginx)


if __name__ == "__main__":
    unittest.main()
