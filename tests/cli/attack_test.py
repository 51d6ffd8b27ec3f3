"""Attacks on the server's availability, each run from other loopback addresses
(127.0.0.2 and up) by a separate process, while a legitimate client on 127.0.0.1 makes a
fresh mTLS connection every 0.25 s: it must be served at least 99% of the time, and the
server's connections and memory must stay within their bounds.

TLSHOP_ATTACK_SECONDS sets how long each attack lasts (default 6)."""

import os
import resource
import signal
import subprocess
import sys
import time
import unittest
from pathlib import Path

from harness import SANITIZED
from server_harness import ServerTestCase

ATTACK_SECONDS = float(os.environ.get("TLSHOP_ATTACK_SECONDS", "6"))
ATTACKER = Path(__file__).resolve().parent / "attacker.py"
# The defaults: limits.max_handshakes + limits.max_connections, and room for the
# connections told to close that have not yet gone.
MOST_CONNECTIONS = 256 + 1024 + 64
# What the server may hold in memory under attack; AddressSanitizer's shadow memory and
# its 256 MiB quarantine of freed blocks come on top.
MOST_MEMORY_MIB = 1024 if SANITIZED else 256


class Attacks(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.issue(self.ca, "client", "mallory")
        self.failures = []

    def attack(self, count, sources, certificate=None):
        arguments = [sys.executable, ATTACKER, str(self.server.port), str(count), ",".join(sources)]
        if certificate:
            arguments += [self.ca / "root.crt", self.dir / f"{certificate}.crt",
                          self.dir / f"{certificate}.key"]
        attacker = subprocess.Popen([str(a) for a in arguments], stdout=subprocess.PIPE, text=True)
        self.addCleanup(attacker.kill)
        self.assertEqual(attacker.stdout.readline().strip(), "holding")
        return attacker

    def stop(self, attacker):
        attacker.send_signal(signal.SIGTERM)
        return int(attacker.communicate(timeout=30)[0].split()[-1])

    def legitimate_success_rate(self):
        context = self.client_context("alice")
        served = attempts = 0
        due = time.monotonic()
        end = due + ATTACK_SECONDS
        peak = 0
        while due < end:
            time.sleep(max(0.0, due - time.monotonic()))
            due += 0.25
            attempts += 1
            try:
                import socket
                raw = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    tls.sendall(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    reply = b""
                    while chunk := tls.recv(65536):
                        reply += chunk
                self.assertIn(b"200 OK", reply[:20])
                served += 1
                open_now = int(reply.split(b"\ntlshop_open_connections ")[1].split()[0])
                peak = max(peak, open_now)
            except (OSError, AssertionError) as error:
                self.failures.append(repr(error))
        self.assertLessEqual(peak, MOST_CONNECTIONS)
        return served / attempts

    def server_memory_mib(self):
        status = Path(f"/proc/{self.server.process.pid}/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024

    def assert_legitimate_client_served(self):
        rate = self.legitimate_success_rate()
        print(f"\n{self.id().rsplit('.', 1)[-1]}: served {rate:.1%} over {ATTACK_SECONDS:g} s, "
              f"server RSS {self.server_memory_mib():.0f} MiB", file=sys.stderr)
        self.assertGreaterEqual(rate, 0.99, f"served {rate:.0%}; failures: {self.failures[:5]}")
        self.assertLess(self.server_memory_mib(), MOST_MEMORY_MIB)

    def test_1100_silent_sockets_from_one_address_reopened_as_they_close(self):
        attacker = self.attack(1100, ["127.0.0.2"])
        self.assert_legitimate_client_served()
        self.assertGreater(self.stop(attacker), 1100)  # the server closed and it came back
        self.assertGreater(self.metric('tlshop_rejected_connections_total{reason="handshakes_per_source"}'), 0)

    def test_1100_silent_sockets_from_40_addresses_reopened_as_they_close(self):
        attacker = self.attack(1100, [f"127.0.0.{n}" for n in range(2, 42)])
        self.assert_legitimate_client_served()
        self.stop(attacker)
        self.assertGreater(self.metric('tlshop_evicted_connections_total{phase="handshake"}'), 0)

    def test_a_certificate_holder_holding_1100_idle_connections(self):
        attacker = self.attack(1100, [f"127.0.0.{n}" for n in range(2, 12)], certificate="mallory")
        self.assert_legitimate_client_served()
        self.stop(attacker)
        self.assertGreater(self.metric('tlshop_evicted_connections_total{phase="idle"}'), 0)


if __name__ == "__main__":
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    unittest.main()
