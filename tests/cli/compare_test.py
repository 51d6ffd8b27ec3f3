"""bench/compare end to end, short: tlshop, nginx, HAProxy, Caddy and pgbench measured, one
JSON object with every figure, ratio and goal, and nothing left running or lying about
afterwards."""

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


def peer_processes():
    found = subprocess.run(["pgrep", "-x", "nginx|haproxy|caddy"], capture_output=True, text=True)
    return set(found.stdout.split())


def leftovers():
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "tlshop-compare-*")))


class Compare(unittest.TestCase):
    def test_quick_comparison_reports_every_figure_and_cleans_up(self):
        compare = compare_module()
        missing = compare.missing_programs(list(compare.PEERS))
        if missing:
            self.skipTest(f"missing {' '.join(missing)} (scripts/install-deps.sh installs them)")
        before_dirs, before_peers = leftovers(), peer_processes()
        result = subprocess.run(
            [COMPARE, "--quick", "--json", "--duration", "0.5", "--warmup", "0.25", "--idle", "200"],
            env=dict(os.environ, TLSHOP_BIN=TLSHOP), capture_output=True, text=True, timeout=900)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(result.stdout)
        servers = ["tlshop", "nginx", "haproxy", "caddy"]
        self.assertEqual(report["settings"]["servers"], servers)

        for name, entry in report["figures"].items():
            with self.subTest(figure=name):
                for server in servers:
                    self.assertGreater(entry["values"][server], 0, server)
                for peer in servers[1:]:
                    self.assertAlmostEqual(entry["versus"][peer],
                                           entry["values"]["tlshop"] / entry["values"][peer],
                                           delta=0.01)
                peers = {peer: entry["values"][peer] for peer in servers[1:]}
                lower = name in compare.LOWER_IS_BETTER
                self.assertEqual(entry["best_peer"], (min if lower else max)(peers, key=peers.get))
                self.assertEqual(entry["versus_best_peer"], entry["versus"][entry["best_peer"]])
                for goal in entry["goals"]:
                    self.assertEqual(goal["met"], goal["ratio"] <= goal["bound"] if lower
                                     else goal["ratio"] >= goal["bound"])
        judged = {(name, goal["against"], goal["bound"])
                  for name, entry in report["figures"].items() for goal in entry["goals"]}
        self.assertEqual(judged, {
            ("full_handshakes_per_server_core_second", "nginx", 2.0),
            ("full_handshakes_per_server_core_second", "best peer", 1.3),
            ("resumed_handshakes_per_server_core_second", "nginx", 2.5),
            ("keepalive_requests_per_server_core_second", "best peer", 1.0),
            ("p99_ms_at_fixed_rate", "best peer", 1.0),
            ("kib_per_1000_idle_connections", "best peer", 1.0)})
        # Every connection's first handshake is a full one; in half-second rounds against
        # a slow (sanitizer) build they are a tenth or more of the handshakes.
        for server in servers:
            self.assertGreater(report["resumed_share"][server], 0.75, server)
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
        self.assertEqual(purchases["goal_met"], purchases["ratio"] >= 2)
        postgresql = report["postgresql"]
        for figure in ("one_server_per_second", "two_servers_per_second", "pgbench_tps"):
            self.assertGreater(postgresql[figure], 0, figure)
        self.assertAlmostEqual(postgresql["ratio"], postgresql["one_server_per_second"]
                               / postgresql["pgbench_tps"], delta=0.01)
        self.assertEqual(postgresql["goal_met"], postgresql["ratio"] >= 1.0)
        datagrams = report["datagrams"]
        self.assertGreater(datagrams["udp_requests_per_second"], 0)
        self.assertGreater(datagrams["tcp_requests_per_second"], 0)
        self.assertAlmostEqual(datagrams["ratio"], datagrams["udp_requests_per_second"]
                               / datagrams["tcp_requests_per_second"], delta=0.01)
        self.assertEqual(datagrams["goal_met"], datagrams["ratio"] >= 0.5)
        self.assertEqual(report["settings"]["idle_connections"], 200)
        self.assertEqual(report["settings"]["fixed_rate_rounds"], 3)

        # Without --json the same figures print as a table, one line per goal judged.
        table = compare.table(report).splitlines()
        self.assertEqual(len([line for line in table if line.endswith(("met", "NOT MET"))]),
                         len(judged) + 3)
        self.assertTrue(any(line.startswith("p99 at") and "the median of 3 rounds" in line
                            for line in table), table)
        self.assertTrue(any(line.startswith("crypto floor") for line in table), table)
        self.assertTrue(table[-1].startswith("quick: "), table)

        self.assertEqual(leftovers(), before_dirs)
        self.assertEqual(peer_processes(), before_peers)


if __name__ == "__main__":
    unittest.main()
