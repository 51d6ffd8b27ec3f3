"""`tlshop bench` against a real server: every mode measures, and says what it measured."""

import json
import re
import subprocess
import time
import unittest

from harness import TLSHOP
from server_harness import ServerTestCase, wait_until


class Bench(ServerTestCase):
    def bench(self, *args):
        result = self.tlshop("bench", "--server", f"localhost:{self.server.port}", "--ca",
                             self.ca / "root.crt", "--cert", "alice.crt", "--key", "alice.key",
                             "--connections", "4", "--threads", "1", "--duration", "1",
                             "--warmup", "0.2", "--json", *args)
        return json.loads(result.stdout)

    def assert_measured(self, report, mode):
        self.assertEqual(report["mode"], mode)
        self.assertGreater(report["operations"], 0)
        self.assertEqual(report["errors"], 0)
        self.assertAlmostEqual(report["per_second"], report["operations"] / report["seconds"], places=3)
        latency = report["latency_ms"]
        self.assertTrue(0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["p99_9"] <= latency["max"],
                        latency)

    def test_requests_handshakes_and_resumptions(self):
        self.assert_measured(self.bench("--mode", "requests", "--path", "/healthz"), "requests")
        full = self.bench("--mode", "handshakes")
        self.assert_measured(full, "handshakes")
        resumed = self.bench("--mode", "resumed")
        self.assert_measured(resumed, "resumed")
        self.assertGreater(resumed["resumed"], resumed["operations"] * 0.9)
        metrics = self.curl_as("alice", f"{self.url}/metrics").stdout
        self.assertRegex(metrics, r'tlshop_handshakes_total\{outcome="accepted",resumed="true"\} [1-9]')

    def test_purchases_are_real_and_durable(self):
        (self.dir / "pw").write_text("bench user password\n")
        self.tlshop("admin", "--data-dir", self.dir / "data", "user", "add", "buyer", "--password-file", self.dir / "pw")
        self.tlshop("admin", "--data-dir", self.dir / "data", "item", "add", "B1", "--name", "bench item",
                    "--category", "Bench", "--stock", "1000000", "--price", "1")
        report = self.bench("--mode", "purchases", "--user", "buyer", "--password-file", self.dir / "pw",
                            "--sku", "B1")
        self.assert_measured(report, "purchases")
        stock = json.loads(self.curl_as("alice", f"{self.url}/v1/items/B1").stdout)["stock"]
        # Purchases in the warm-up and the measured second all took stock.
        self.assertLessEqual(stock, 1000000 - report["operations"])

    def test_udp_requests_go_over_dtls_and_end_with_a_close_notify(self):
        before = self.hello_requests_served()
        command = [TLSHOP, "bench", "--server", f"localhost:{self.server.udp_port}", "--ca",
                   self.ca / "root.crt", "--cert", "alice.crt", "--key", "alice.key",
                   "--connections", "4", "--threads", "1", "--duration", "1.5", "--warmup", "0.2",
                   "--json", "--mode", "udp-requests"]
        bench = subprocess.Popen(command, cwd=self.dir, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True)
        peers = 0
        while bench.poll() is None and peers < 4:
            peers = max(peers, self.metric("tlshop_udp_peers"))
            time.sleep(0.1)
        report = json.loads(bench.communicate(timeout=30)[0])
        self.assertEqual(peers, 4, "one DTLS session per connection")
        self.assert_measured(report, "udp-requests")
        self.assertIn("retries", report)
        self.assertGreaterEqual(self.hello_requests_served() - before, report["operations"])
        # Each session ended with a close_notify: the server holds none of them now.
        wait_until(lambda: self.metric("tlshop_udp_peers") == 0, timeout=5,
                   what="the sessions closed")

    def test_only_requests_of_the_datagram_protocol_are_measured_over_udp(self):
        for args, words in [(["--mode", "handshakes"], "only requests are measured"),
                            (["--path", "/metrics"], "--path /metrics over UDP")]:
            refused = subprocess.run(
                [TLSHOP, "bench", "--udp", "--server", f"localhost:{self.server.udp_port}",
                 "--ca", self.ca / "root.crt", "--cert", "alice.crt", "--key", "alice.key", *args],
                cwd=self.dir, capture_output=True, text=True)
            self.assertEqual(refused.returncode, 2, refused.stderr)
            self.assertIn(words, refused.stderr)

    def requests_served(self, route):
        metrics = self.curl_as("alice", f"{self.url}/metrics").stdout
        found = re.search(r'^tlshop_requests_total\{route="' + route + r'",status="200"\} (\d+)$',
                          metrics, re.M)
        return int(found.group(1)) if found else 0

    def healthz_requests_served(self):
        return self.requests_served("/healthz")

    def hello_requests_served(self):
        return self.requests_served("/v1/hello")

    def test_a_fixed_offered_rate_is_never_exceeded(self):
        before = self.healthz_requests_served()
        report = self.bench("--mode", "requests", "--path", "/healthz", "--rate", "200")
        served = self.healthz_requests_served() - before
        self.assert_measured(report, "requests")
        # Open loop: each of the 4 connections is due every 20 ms, so the measured second
        # holds at most 200 operations, and the run (0.2 s warm-up too) at most 240 plus
        # one per connection. As fast as possible, 4 connections do thousands.
        self.assertLessEqual(report["operations"], 200 + 4)
        self.assertLessEqual(served, 240 + 4)
        # Every operation counted reached the server.
        self.assertGreaterEqual(served, report["operations"])

    def test_idle_connections_are_held_open_until_the_end(self):
        command = [TLSHOP, "bench", "--server", f"localhost:{self.server.port}", "--ca",
                   self.ca / "root.crt", "--cert", "alice.crt", "--key", "alice.key",
                   "--connections", "12", "--threads", "1", "--duration", "3", "--warmup", "0",
                   "--json", "--mode", "idle"]
        bench = subprocess.Popen(command, cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True)
        try:
            open_now = 0
            for _ in range(40):
                time.sleep(0.1)
                metrics = self.curl_as("alice", f"{self.url}/metrics").stdout
                open_now = int(re.search(r"^tlshop_open_connections (\d+)", metrics, re.M).group(1))
                if open_now >= 13:
                    break
            # The bench's twelve, and the connection asking.
            self.assertGreaterEqual(open_now, 13)
            report = json.loads(bench.communicate(timeout=30)[0])
        finally:
            bench.kill()
        self.assertEqual(report["mode"], "idle")
        self.assertEqual(report["operations"], 12)
        self.assertEqual(report["errors"], 0)

    def test_bad_settings(self):
        result = self.tlshop("bench", "--mode", "sprint", "--ca", self.ca / "root.crt", "--cert",
                             "alice.crt", "--key", "alice.key", expect=2)
        self.assertIn("--mode must be", result.stderr)


if __name__ == "__main__":
    unittest.main()
