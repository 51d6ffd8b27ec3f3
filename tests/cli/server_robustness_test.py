"""Bad input of every kind: the server refuses or times it out, never crashes or hangs,
and keeps serving a well-behaved client throughout."""

import json
import re
import signal
import socket
import ssl
import threading
import time
import unittest

from server_harness import ServerProcess, ServerTestCase, closed_within, wait_until

SHORT_TIMEOUTS = """
[timeouts]
handshake_seconds = 2
request_seconds = 2
idle_seconds = 3
"""


def client_hello_bytes():
    context = ssl.create_default_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


class LargeRepliesAndPipelining(ServerTestCase):
    """Replies larger than the socket takes at once reach a slow reader whole, and
    pipelined requests are answered in order."""

    def post_messages(self, count, size):
        connection = self.tls_connect()
        body = ("m" * size).encode()
        for _ in range(count):
            connection.sendall(b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n"
                               b"Content-Type: text/plain\r\nContent-Length: "
                               + str(len(body)).encode() + b"\r\n\r\n" + body)
        connection.settimeout(10)
        received = b""
        while received.count(b"HTTP/1.1 201") < count:
            chunk = connection.recv(65536)
            self.assertTrue(chunk, "the server closed before answering every message")
            received += chunk
        connection.close()

    def read_reply(self, connection):
        received = b""
        while b"\r\n\r\n" not in received:
            received += connection.recv(65536)
        head, _, body = received.partition(b"\r\n\r\n")
        length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")][0])
        while len(body) < length:
            body += connection.recv(65536)
        return head, body[:length], body[length:]

    def test_a_large_reply_reaches_a_slow_reader_whole(self):
        self.post_messages(40, 60000)
        raw = socket.socket()
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.settimeout(20)
        raw.connect(("127.0.0.1", self.server.port))
        connection = self.client_context().wrap_socket(raw, server_hostname="localhost")
        connection.sendall(b"GET /v1/messages?limit=1000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        time.sleep(1)  # the server fills what the socket takes and waits for the rest
        head, body, _ = self.read_reply(connection)
        self.assertIn(b"200 OK", head)
        messages = json.loads(body)["messages"]
        self.assertEqual(len(messages), 40)
        self.assertTrue(all(len(m["body"]) == 60000 for m in messages))
        connection.close()

    def test_pipelined_requests_are_answered_in_order(self):
        connection = self.tls_connect()
        connection.sendall(b"GET /v1/hello HTTP/1.1\r\nHost: localhost\r\n\r\n"
                           b"GET /v1/items?category=Shoes HTTP/1.1\r\nHost: localhost\r\n\r\n"
                           b"GET /v1/nothing-here HTTP/1.1\r\nHost: localhost\r\n\r\n")
        connection.settimeout(10)
        head, body, rest = self.read_reply(connection)
        self.assertIn(b"200 OK", head)
        self.assertIn("CN=alice", json.loads(body)["peer"]["subject"])
        for expected in (b"200 OK", b"404 Not Found"):
            received = rest
            while b"\r\n\r\n" not in received:
                received += connection.recv(65536)
            head, _, after = received.partition(b"\r\n\r\n")
            self.assertIn(expected, head)
            length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")][0])
            while len(after) < length:
                after += connection.recv(65536)
            rest = after[length:]
        connection.close()


class ServerBadInput(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.server.stop()
        (self.dir / "short.toml").write_text(SHORT_TIMEOUTS)
        self.server = self.start_server("--config", self.dir / "short.toml")

    def raw(self):
        return socket.create_connection(("127.0.0.1", self.server.port), timeout=10)

    def request(self, data, name="alice"):
        tls = self.tls_connect(name)
        try:
            tls.sendall(data)
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
            pass
        tls.settimeout(10)
        try:
            return tls.recv(65536)
        except (ConnectionResetError, ssl.SSLError):
            return b""
        finally:
            tls.close()

    def assert_still_serving(self):
        self.assertIn("Hello CN=alice", self.hello_as("alice").stdout)

    def test_bytes_that_are_not_tls(self):
        sock = self.raw()
        sock.sendall(b"GET /v1/hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertTrue(closed_within(sock, 5))
        self.server.wait_for_audit(lambda e: e.get("reason") == "not_tls")
        self.assert_still_serving()

    def test_a_client_hello_cut_in_half_then_silence_times_out(self):
        hello = client_hello_bytes()
        sock = self.raw()
        sock.sendall(hello[: len(hello) // 2])
        started = time.monotonic()
        self.assertTrue(closed_within(sock, 8))
        self.assertGreaterEqual(time.monotonic() - started, 1.5)
        self.server.wait_for_audit(lambda e: e.get("reason") == "timeout")
        self.assert_still_serving()

    def test_a_client_hello_cut_in_half_then_hang_up(self):
        hello = client_hello_bytes()
        sock = self.raw()
        sock.sendall(hello[:20])
        sock.close()
        self.server.wait_for_audit(lambda e: e.get("event") == "handshake_refused")
        self.assert_still_serving()

    def test_a_megabyte_of_request_header(self):
        reply = self.request(b"GET /v1/hello HTTP/1.1\r\nHost: localhost\r\nX-Big: " +
                             b"a" * (1 << 20) + b"\r\n\r\n")
        self.assertIn(b"431 Request Header Fields Too Large", reply)
        self.assertIn(b'"code":"header_too_large"', reply)
        self.assert_still_serving()

    def test_a_body_over_the_limit_is_refused_before_it_is_read(self):
        reply = self.request(b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n"
                             b"Content-Type: text/plain\r\nContent-Length: 10000000\r\n\r\nabc")
        self.assertIn(b"413 Payload Too Large", reply)
        self.assertEqual(json.loads(self.curl_as("alice", f"{self.url}/v1/messages").stdout)["messages"], [])
        self.assert_still_serving()

    def test_a_target_that_is_no_url_path_and_query(self):
        for target in (b"/v1/items?category=%zz", b"/v1/items/%4", b"*", b"http://shop/v1/hello"):
            reply = self.request(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
            self.assertIn(b"400 Bad Request", reply, target)
            self.assertIn(b'"code":"bad_target"', reply, target)
        self.assert_still_serving()

    def test_malformed_http(self):
        reply = self.request(b"THIS IS NOT HTTP\r\n\r\n")
        self.assertIn(b"400 Bad Request", reply)
        self.assertIn(b'"code":"bad_request"', reply)
        reply = self.request(b"GET /v1/hello HTTP/1.1\r\nContent-Length: -5\r\n\r\n")
        self.assertIn(b"400 Bad Request", reply)

    def test_a_client_that_stalls_mid_request_is_timed_out(self):
        tls = self.tls_connect()
        tls.sendall(b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nhalf")
        started = time.monotonic()
        self.assertTrue(closed_within(tls, 8))
        self.assertGreaterEqual(time.monotonic() - started, 1.5)
        self.assertEqual(json.loads(self.curl_as("alice", f"{self.url}/v1/messages").stdout)["messages"], [])
        self.assert_still_serving()

    def test_a_client_that_disconnects_mid_request_changes_nothing(self):
        tls = self.tls_connect()
        tls.sendall(b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nhalf")
        tls.close()
        # Gone from the server's count: only the connection asking is left.
        self.wait_for_metric("tlshop_open_connections", lambda n: n == 1)
        self.assertEqual(json.loads(self.curl_as("alice", f"{self.url}/v1/messages").stdout)["messages"], [])
        self.assert_still_serving()

    def test_idle_keep_alive_connections_are_closed(self):
        tls = self.tls_connect()
        tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertIn(b"200 OK", tls.recv(65536))
        started = time.monotonic()
        self.assertTrue(closed_within(tls, 10))
        self.assertGreaterEqual(time.monotonic() - started, 2.5)

    def test_500_idle_connections_while_a_well_behaved_client_is_served(self):
        # From 20 other addresses, 25 each: under the per-source share, over the handshake
        # budget (256), so the oldest make room for newcomers.
        idle = [socket.create_connection(("127.0.0.1", self.server.port), timeout=10,
                                         source_address=(f"127.0.0.{2 + n % 20}", 0))
                for n in range(500)]
        served = []
        for _ in range(5):
            started = time.monotonic()
            self.assert_still_serving()
            served.append(time.monotonic() - started)
        self.assertLess(max(served), 5)
        # Connections that never start a handshake are closed by the handshake timeout.
        self.assertTrue(all(closed_within(sock, 10) for sock in idle[:20]))
        for sock in idle:
            sock.close()
        self.assert_still_serving()


class ConnectionCap(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.server.stop()
        (self.dir / "cap.toml").write_text("[limits]\nmax_connections = 5\n")
        self.server = self.start_server("--config", self.dir / "cap.toml")

    def active(self):
        """A connection with a request under way (its body still to come)."""
        tls = self.tls_connect()
        tls.sendall(b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9\r\n\r\n1")
        return tls

    def test_the_longest_idle_connection_makes_room(self):
        held = [self.tls_connect() for _ in range(5)]
        self.wait_for_metric('tlshop_connections{phase="idle"}', lambda n: n == 4)  # and this one
        newcomer = self.tls_connect()
        newcomer.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertIn(b"200 OK", newcomer.recv(65536))
        self.assertTrue(closed_within(held[0], 5))
        self.assertFalse(closed_within(held[-1], 0.5))
        self.assertGreaterEqual(self.metric('tlshop_evicted_connections_total{phase="idle"}'), 1)

    def test_with_every_connection_busy_a_newcomer_is_closed_and_counted(self):
        busy = [self.active() for _ in range(4)]
        # The fifth place is the metrics reader's while it asks.
        self.wait_for_metric('tlshop_connections{phase="active"}', lambda n: n == 5)
        # The fifth request is read before the newcomer's handshake, which starts after it,
        # can end.
        busy.append(self.active())
        extra = self.tls_connect()
        self.assertTrue(closed_within(extra, 5))
        for tls in busy:
            tls.sendall(b"23456789")
            self.assertIn(b"201 Created", tls.recv(65536))
        self.assertGreaterEqual(self.metric('tlshop_rejected_connections_total{reason="max_connections"}'), 1)



class Messages(ServerTestCase):
    def post(self, name, body):
        result = self.curl_as(name, "-w", "\n%{http_code}", "-H", "Content-Type: text/plain",
                              "--data-binary", body, f"{self.url}/v1/messages")
        text, status = result.stdout.rsplit("\n", 1)
        return int(status), json.loads(text)

    def listed(self, name):
        return json.loads(self.curl_as(name, f"{self.url}/v1/messages").stdout)["messages"]

    def test_each_client_keeps_what_its_quota_allows_and_no_more(self):
        self.server.stop()
        (self.dir / "quota.toml").write_text("[messages]\nmax_per_client = 3\nmax_bytes_per_client = 100\n")
        self.server = self.start_server("--config", self.dir / "quota.toml")
        self.issue(self.ca, "client", "bob")
        for n in range(3):
            self.assertEqual(self.post("alice", f"message {n}")[0], 201)
        status, body = self.post("alice", "one too many")
        self.assertEqual((status, body["error"]["code"]), (429, "message_quota"))
        status, body = self.post("bob", "x" * 101)
        self.assertEqual((status, body["error"]["code"]), (507, "message_storage_quota"))
        self.assertEqual(self.post("bob", "fits")[0], 201)
        self.assertEqual([m["body"] for m in self.listed("alice")], ["message 0", "message 1", "message 2"])
        self.assertEqual([m["body"] for m in self.listed("bob")], ["fits"])

    def test_messages_belong_to_the_key_not_to_the_subject_another_ca_can_write(self):
        # A second CA, trusted too, issues its own "alice": same subject, another key.
        other = self.make_ca("other-ca", "--name", "other")
        (self.dir / "twin").mkdir()
        self.tlshop("ca", "issue", "--dir", other, "--client", "alice", "--out-dir", self.dir / "twin")
        (self.dir / "both.crt").write_text((self.ca / "ca-chain.crt").read_text() + (other / "ca-chain.crt").read_text())
        (self.dir / "both-crl.pem").write_text((self.ca / "crl.pem").read_text() + (other / "crl.pem").read_text())
        self.server.stop()
        self.server = self.start_server(ca=self.dir / "both.crt", crl=self.dir / "both-crl.pem")
        self.assertEqual(self.post("alice", "for alice's eyes")[0], 201)
        twin = self.curl("--cert", self.dir / "twin" / "alice.crt", "--key", self.dir / "twin" / "alice.key",
                         f"{self.url}/v1/messages").stdout
        self.assertEqual(json.loads(twin)["messages"], [])
        self.assertEqual(len(self.listed("alice")), 1)

    def test_the_server_starts_whatever_its_data_directory_holds(self):
        self.server.stop()
        legacy = self.dir / "data" / "messages.jsonl"
        with legacy.open("w") as out:
            out.write(json.dumps({"id": 1, "received_at": "2099-01-01T00:00:00.000Z", "sender": "CN=alice",
                                  "content_type": "text/plain", "body": "kept"}) + "\n")
            for n in range(3000):  # several megabytes of what is not a message
                out.write("x" * 2000 + "\n")
            out.write('{"id": 2, "received_at": "torn')
        self.server = self.start_server()
        imported = self.server.wait_for_audit(lambda e: e.get("event") == "messages_imported")
        self.assertEqual((imported[0]["read"], imported[0]["stored"]), (1, 1))
        self.assertEqual(self.post("alice", "after the import")[0], 201)
        self.assertEqual([m["body"] for m in self.listed("alice")], ["after the import"])


class LogBounds(ServerTestCase):
    def test_a_flood_of_refusals_from_one_address_is_one_line_and_a_count(self):
        for _ in range(300):
            plain = socket.create_connection(("127.0.0.1", self.server.port), timeout=10,
                                             source_address=("127.0.0.2", 0))
            plain.sendall(b"GET / HTTP/1.0\r\n\r\n")
            self.assertTrue(closed_within(plain, 10))
            plain.close()
        self.assertEqual(self.server.stop(), 0)  # writes the counts still open
        from_there = [e for e in self.server.audit()
                      if e.get("remote", e.get("remote_address", "")).startswith("127.0.0.2")]
        self.assertEqual([e["event"] for e in from_there], ["handshake_refused", "handshake_refused_repeated"])
        self.assertEqual(from_there[1]["count"], 299)
        self.assertEqual(from_there[1]["reason"], "not_tls")

    def test_logs_rotate_by_size_and_keep_a_bounded_number_of_files(self):
        self.server.stop()
        (self.dir / "logs.toml").write_text("[logs]\nmax_bytes = 4000\nkeep = 2\n")
        self.server = self.start_server("--config", self.dir / "logs.toml")
        connection = self.tls_connect()
        for _ in range(150):
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            self.assertIn(b"200 OK", connection.recv(65536))
        connection.close()
        data = self.dir / "data"
        wait_until(lambda: (data / "access.log.2").exists(), what="two rotations")
        self.assertFalse((data / "access.log.3").exists())
        for name in ("access.log", "access.log.1", "access.log.2"):
            self.assertLessEqual((data / name).stat().st_size, 4000, name)
            self.assertEqual((data / name).stat().st_mode & 0o777, 0o600, name)

    def test_sigusr1_reopens_the_logs_after_logrotate_moved_them(self):
        data = self.dir / "data"
        self.curl_as("alice", f"{self.url}/healthz")
        wait_until(lambda: (data / "access.log").stat().st_size > 0, what="the first access line")
        (data / "access.log").rename(data / "access.log.old")
        self.server.signal(signal.SIGUSR1)
        self.server.wait_for_audit(lambda e: e.get("event") == "logs_reopened")
        self.curl_as("alice", f"{self.url}/v1/hello")
        wait_until(lambda: (data / "access.log").exists() and "/v1/hello" in (data / "access.log").read_text(),
                   what="the next line in a new access.log")
        self.assertNotIn("/v1/hello", (data / "access.log.old").read_text())


PROMETHEUS_LINE = re.compile(r'^(# (HELP|TYPE) .*|[a-z_]+(\{([a-z_]+="([^"\\\n]|\\.)*",?)*\})? [-+0-9.eInf]+)$')


class MetricsBounds(ServerTestCase):
    def metrics_text(self):
        return self.curl_as("alice", f"{self.url}/metrics").stdout

    def test_metrics_are_for_listed_certificates_and_administrators_only(self):
        self.issue(self.ca, "client", "bob")
        refused = self.curl_as("bob", "-w", "%{http_code}", f"{self.url}/metrics").stdout
        self.assertTrue(refused.endswith("403"), refused)
        self.assertIn("metrics.client_pins", refused)
        (self.dir / "pw").write_text("a long admin passphrase\n")
        self.tlshop("admin", "--data-dir", self.dir / "data", "user", "add", "root", "--role", "admin",
                    "--password-file", self.dir / "pw")
        login = self.curl_as("bob", "-X", "POST", "-H", "Content-Type: application/json", "-d",
                             '{"name": "root", "password": "a long admin passphrase"}',
                             f"{self.url}/v1/sessions").stdout
        token = json.loads(login)["token"]
        served = self.curl_as("bob", "-H", f"Authorization: Bearer {token}", f"{self.url}/metrics")
        self.assertIn("tlshop_open_connections", served.stdout)

    def test_a_flood_of_made_up_paths_adds_no_series_and_cannot_forge_one(self):
        before = self.metrics_text()
        connection = self.tls_connect()
        for n in range(2000):
            # A quote and braces, as a label injection would need (spaces end the target).
            path = f'/v1/admin/items/x{n}"}}1%0Aforged{{a="b' if n % 2 else f"/nowhere/{n}"
            connection.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        connection.settimeout(20)
        received = b""
        while received.count(b"HTTP/1.1 ") < 2000:
            chunk = connection.recv(1 << 20)
            self.assertTrue(chunk, f"closed after {received.count(b'HTTP/1.1 ')} replies: {received[-300:]}")
            received += chunk
        connection.close()
        after = self.metrics_text()
        series = lambda text: {line.rsplit(" ", 1)[0] for line in text.splitlines()
                               if line.startswith("tlshop_requests_total")}
        self.assertLessEqual(len(series(after) - series(before)), 3, series(after) - series(before))
        self.assertNotIn("forged", after)
        self.assertLess(len(after), 16384)
        for line in after.splitlines():
            self.assertRegex(line, PROMETHEUS_LINE)


class SessionCacheBound(ServerTestCase):
    """Every full handshake leaves a session (with the client's certificate) for
    resumption; a client that makes many cannot make the server keep more than
    limits.tls_sessions of them, and resumption still works past the bound."""

    def test_the_session_cache_stops_at_its_bound(self):
        self.server.stop()
        (self.dir / "sessions.toml").write_text("[limits]\ntls_sessions = 40\n")
        self.server = self.start_server("--config", self.dir / "sessions.toml")
        context = self.client_context()
        session = None
        for _ in range(120):
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    while tls.recv(65536):
                        pass
                    session = tls.session
        cached = self.metric("tlshop_tls_sessions")
        self.assertGreater(cached, 0)
        self.assertLessEqual(cached, 40)
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
                self.assertTrue(tls.session_reused)


if __name__ == "__main__":
    unittest.main()
