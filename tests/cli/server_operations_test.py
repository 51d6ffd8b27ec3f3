"""Operating `tlshop serve`: configuration, reload without dropping anyone, shutdown."""

import http.client
import json
import re
import shutil
import signal
import socket
import ssl
import time
import unittest

from server_harness import ServerProcess, ServerTestCase


def peer_serial(test, port):
    """The serial of the certificate a new connection sees."""
    result = test.openssl("s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
                          "-cert", "alice.crt", "-key", "alice.key", input_text="")
    pem = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", result.stdout, re.S).group(0)
    (test.dir / "seen.pem").write_text(pem + "\n")
    return test.openssl("x509", "-in", "seen.pem", "-noout", "-serial").stdout.strip().split("=")[1]


def serial_of(test, path):
    return test.openssl("x509", "-in", path, "-noout", "-serial").stdout.strip().split("=")[1]


class Reload(ServerTestCase):
    def test_new_server_certificate_on_sighup_while_open_connections_carry_on(self):
        keep_alive = http.client.HTTPSConnection("localhost", self.server.port,
                                                 context=self.client_context(), timeout=10)
        keep_alive.request("GET", "/v1/hello")
        first = keep_alive.getresponse()
        first.read()
        self.assertEqual(first.status, 200)
        old_serial = serial_of(self, "localhost.crt")
        self.assertEqual(peer_serial(self, self.server.port), old_serial)
        handshakes = self.accepted_handshakes()

        renewed = self.dir / "renewed"
        renewed.mkdir()
        self.tlshop("ca", "issue", "--dir", self.ca, "--server", "localhost", "--san", "IP:127.0.0.1",
                    "--out-dir", renewed)
        shutil.copy(renewed / "localhost.key", self.dir / "localhost.key")
        shutil.copy(renewed / "localhost.crt", self.dir / "localhost.crt")
        self.server.signal(signal.SIGHUP)
        self.server.wait_for_audit(lambda e: e.get("event") == "tls_reloaded")

        keep_alive.request("GET", "/v1/hello")
        response = keep_alive.getresponse()
        self.assertEqual(response.status, 200)
        self.assertEqual(json.loads(response.read())["peer"]["subject"], "CN=alice")
        keep_alive.close()
        # The second request came over the first connection: no handshake but the count's own.
        self.assertEqual(self.accepted_handshakes() - handshakes, 1)
        self.assertEqual(peer_serial(self, self.server.port), serial_of(self, renewed / "localhost.crt"))

    def test_a_broken_new_file_is_refused_and_the_old_material_stays(self):
        old_serial = serial_of(self, "localhost.crt")
        (self.dir / "localhost.crt").write_text("-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n")
        self.server.signal(signal.SIGHUP)
        events = self.server.wait_for_audit(lambda e: e.get("event") == "tls_reload_refused")
        self.assertIn("localhost.crt", events[0]["reason"])
        self.assertEqual(peer_serial(self, self.server.port), old_serial)
        self.hello_as("alice")


class GracefulShutdown(ServerTestCase):
    def test_sigterm_closes_idle_connections_and_exits_cleanly(self):
        idle = self.tls_connect()
        idle.sendall(b"GET /v1/hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertIn(b"200 OK", idle.recv(65536))
        started = time.monotonic()
        self.assertEqual(self.server.stop(), 0)
        self.assertLess(time.monotonic() - started, 5)
        events = [e["event"] for e in self.server.audit()]
        self.assertIn("shutdown_started", events)
        self.assertEqual(events[-1], "server_stopped")
        with self.assertRaises((ConnectionError, ssl.SSLError, OSError)):
            idle.sendall(b"GET /v1/hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
            if not idle.recv(65536):
                raise ConnectionError("closed")

    def test_a_request_in_flight_is_answered_before_the_server_stops(self):
        conn = self.tls_connect()
        conn.sendall(b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                     b"Content-Length: 10\r\n\r\n12345")
        # Under way: this request, and the one asking.
        self.wait_for_metric('tlshop_connections{phase="active"}', lambda n: n >= 2)
        self.server.signal(signal.SIGTERM)
        self.server.wait_for_audit(lambda e: e["event"] == "shutdown_started")
        conn.sendall(b"67890")
        reply = conn.recv(65536)
        self.assertIn(b"201 Created", reply)
        self.assertIn(b"Connection: close", reply)
        self.assertEqual(self.server.process.wait(timeout=15), 0)


class ShutdownDeadline(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.server.stop()
        (self.dir / "deadline.toml").write_text("[timeouts]\nshutdown_seconds = 1\n")
        self.server = self.start_server("--config", self.dir / "deadline.toml")

    def test_a_stuck_request_does_not_hold_the_server_past_the_deadline(self):
        stuck = self.tls_connect()
        stuck.sendall(b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50\r\n\r\nsome")
        self.wait_for_metric('tlshop_connections{phase="active"}', lambda n: n >= 2)
        started = time.monotonic()
        self.assertEqual(self.server.stop(), 0)
        self.assertLess(time.monotonic() - started, 4)
        stuck.close()


class Durability(ServerTestCase):
    def test_acknowledged_messages_survive_kill_9(self):
        ids = []
        for i in range(20):
            reply = self.curl_as("alice", "-H", "Content-Type: text/plain", "--data-binary",
                                 f"message {i}", f"{self.url}/v1/messages")
            ids.append(json.loads(reply.stdout)["id"])
        self.server.process.kill()
        self.server.process.wait()
        self.server = self.start_server()
        listed = json.loads(self.curl_as("alice", f"{self.url}/v1/messages").stdout)["messages"]
        self.assertEqual([m["id"] for m in listed], ids)
        self.assertEqual(listed[-1]["body"], "message 19")
        reply = self.curl_as("alice", "-H", "Content-Type: text/plain", "--data-binary", "after",
                             f"{self.url}/v1/messages")
        self.assertEqual(json.loads(reply.stdout)["id"], 21)


class Configuration(ServerTestCase):
    def test_the_default_config_is_a_complete_valid_file(self):
        text = self.tlshop("serve", "--print-default-config").stdout
        for key in ("listen", "threads", "data_dir", "certificate", "client_ca", "crl", "client_pins",
                    "max_connections", "max_header_bytes", "max_body_bytes", "handshake_seconds",
                    "request_seconds", "idle_seconds", "shutdown_seconds", "audit", "access"):
            self.assertRegex(text, rf"(?m)^{key} = ", key)
        text = text.replace('certificate = ""', 'certificate = "localhost.crt"')
        text = text.replace('key = ""', 'key = "localhost.key"')
        text = text.replace('client_ca = ""', f'client_ca = "{self.ca / "ca-chain.crt"}"')
        text = text.replace('"127.0.0.1:5555"', '"127.0.0.1:0", "[::1]:0"')
        text = text.replace('data_dir = "tlshop-data"', 'data_dir = "data2"')
        (self.dir / "server.toml").write_text(text)
        server = ServerProcess(self, self.dir, ["--config", "server.toml"])
        result = self.tlshop("hello", "--server", f"localhost:{server.port}", "--ca", self.ca / "root.crt",
                             "--cert", "alice.crt", "--key", "alice.key")
        self.assertIn("Hello CN=alice", result.stdout)
        self.assertTrue((self.dir / "data2" / "audit.log").exists())

    def test_bad_configuration_is_refused_with_the_setting_named(self):
        cases = {
            'listen = ["nowhere"]\n': "must be HOST:PORT",
            "threads = -1\n": "'threads' must be an integer from 0 to 256",
            "[tls]\ncertficate = 'x'\n": "unknown setting 'tls.certficate'",
            "[limits]\nmax_body_bytes = 'big'\n": "limits.max_body_bytes",
            "this is not toml\n": "server.toml:1",
        }
        for text, message in cases.items():
            (self.dir / "server.toml").write_text(text)
            result = self.tlshop("serve", "--config", "server.toml", "--cert", "localhost.crt",
                                 "--key", "localhost.key", "--ca", self.ca / "ca-chain.crt", expect=1)
            self.assertIn(message, result.stderr, text)

    def test_missing_material_is_refused_before_listening(self):
        result = self.tlshop("serve", "--listen", "127.0.0.1:0", "--cert", "localhost.crt",
                             "--key", "alice.key", "--ca", self.ca / "ca-chain.crt", expect=1)
        self.assertIn("alice.key does not match the certificate in localhost.crt", result.stderr)
        result = self.tlshop("serve", "--listen", "127.0.0.1:0", "--cert", "localhost.crt",
                             "--key", "localhost.key", expect=1)
        self.assertIn("no client CA bundle", result.stderr)
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = self.tlshop("serve", "--listen", f"127.0.0.1:{port}", "--cert", "localhost.crt",
                             "--key", "localhost.key", "--ca", self.ca / "ca-chain.crt", expect=1)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", result.stderr)
        taken.close()

    def test_a_client_certificate_is_refused_as_the_servers_own(self):
        result = self.tlshop("serve", "--listen", "127.0.0.1:0", "--cert", "alice.crt",
                             "--key", "alice.key", "--ca", self.ca / "ca-chain.crt", "--data-dir", "data3",
                             expect=1)
        self.assertIn("alice.crt is not a server certificate", result.stderr)
        self.assertIn("tlshop ca issue --server NAME", result.stderr)

    def test_a_missing_config_file_is_named(self):
        result = self.tlshop("serve", "--config", "nosuch.toml", expect=1)
        self.assertEqual(result.stderr.strip(), "tlshop: config file nosuch.toml not found")
        self.assertNotIn("File could not be opened", result.stderr)

    def test_a_second_server_on_a_port_already_served_is_refused(self):
        port = self.server.port
        result = self.tlshop("serve", "--listen", f"127.0.0.1:{port}", "--cert", "localhost.crt",
                             "--key", "localhost.key", "--ca", self.ca / "ca-chain.crt",
                             "--data-dir", "data2", expect=1)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", result.stderr)
        self.assertIn("Hello CN=alice", self.hello_as("alice").stdout)


if __name__ == "__main__":
    unittest.main()
