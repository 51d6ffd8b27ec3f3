"""`tlshop serve` with real third-party clients: curl, openssl s_client, Python's ssl."""

import http.client
import json
import os
import re
import subprocess
import time
import unittest

from server_harness import ServerTestCase


class CurlTalksToTheServer(ServerTestCase):
    def test_hello_with_a_client_certificate(self):
        reply = json.loads(self.curl_as("alice", f"{self.url}/v1/hello").stdout)
        self.assertEqual(reply["peer"]["subject"], "CN=alice")
        self.assertEqual(reply["peer"]["alt_names"], ["URI:urn:tlshop:client:alice"])
        self.assertEqual(reply["tls"]["version"], "TLSv1.3")
        self.assertIn("alice", reply["greeting"])

    def test_without_a_client_certificate_the_handshake_is_refused(self):
        result = self.curl(f"{self.url}/v1/hello", expect=None)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("alert certificate required", result.stderr)
        self.server.wait_for_audit(lambda e: e.get("reason") == "no_certificate")

    def test_messages_are_stored_and_listed_per_sender(self):
        stored = json.loads(self.curl_as(
            "alice", "-H", "Content-Type: application/xml", "--data-binary",
            "<device id='7'><temp>21.5</temp></device>", f"{self.url}/v1/messages").stdout)
        self.assertEqual(stored["id"], 1)
        self.assertRegex(stored["received_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.issue(self.ca, "client", "bob")
        self.curl_as("bob", "--data-binary", "bob's note", f"{self.url}/v1/messages")
        mine = json.loads(self.curl_as("alice", f"{self.url}/v1/messages?since=0").stdout)
        self.assertEqual([m["body"] for m in mine["messages"]], ["<device id='7'><temp>21.5</temp></device>"])
        self.assertEqual(mine["messages"][0]["content_type"], "application/xml")
        later = json.loads(self.curl_as("bob", f"{self.url}/v1/messages?since=1").stdout)
        self.assertEqual([m["body"] for m in later["messages"]], ["bob's note"])
        self.server.wait_for_audit(lambda e: e.get("event") == "message_stored" and e["id"] == 2)

    def test_errors_are_json_with_the_right_status(self):
        def status_and_error(*args):
            result = self.curl_as("alice", "-w", "\n%{http_code}", *args)
            body, status = result.stdout.rsplit("\n", 1)
            return int(status), json.loads(body)["error"]["code"]

        self.assertEqual(status_and_error(f"{self.url}/nope"), (404, "not_found"))
        self.assertEqual(status_and_error("-X", "DELETE", f"{self.url}/v1/hello"), (405, "method_not_allowed"))
        self.assertEqual(status_and_error("-X", "POST", f"{self.url}/v1/messages"), (400, "empty_message"))
        self.assertEqual(status_and_error(f"{self.url}/v1/messages?since=-1"), (400, "invalid_parameter"))
        self.assertEqual(status_and_error("-H", "Content-Type: image/png", "--data-binary", "x",
                                          f"{self.url}/v1/messages"), (415, "unsupported_media_type"))
        (self.dir / "big").write_bytes(b"x" * (64 * 1024 + 1))
        self.assertEqual(status_and_error("--data-binary", "@big", f"{self.url}/v1/messages"),
                         (413, "payload_too_large"))
        (self.dir / "latin1").write_bytes(b"caf\xe9")
        self.assertEqual(status_and_error("--data-binary", "@latin1", f"{self.url}/v1/messages"),
                         (400, "invalid_text"))

    def test_health_and_metrics(self):
        self.assertEqual(json.loads(self.curl_as("alice", f"{self.url}/healthz").stdout), {"status": "ok"})
        self.curl(f"{self.url}/v1/hello", expect=None)
        self.curl_as("alice", f"{self.url}/v1/hello")
        metrics = self.curl_as("alice", f"{self.url}/metrics").stdout
        self.assertRegex(metrics, r'tlshop_handshakes_total\{outcome="refused",reason="no_certificate"\} 1\n')
        self.assertRegex(metrics, r'tlshop_requests_total\{route="/v1/hello",status="200"\} 1\n')
        self.assertRegex(metrics, r"tlshop_open_connections [1-9]")
        self.assertRegex(metrics, r'tlshop_request_duration_seconds_bucket\{le="\+Inf"\} \d+')
        self.assertRegex(metrics, r"tlshop_sent_bytes_total [1-9]")

    def test_access_log_has_one_line_per_request_and_no_secrets(self):
        self.curl_as("alice", "-H", "Authorization: Bearer s3cr3t-t0ken", f"{self.url}/v1/hello")
        log = self.dir / "data" / "access.log"
        deadline = time.monotonic() + 10
        while not log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)  # the line is written just after the response is sent
        lines = [json.loads(l) for l in log.read_text().splitlines()]
        self.assertEqual([(l["method"], l["target"], l["status"], l["subject"]) for l in lines],
                         [("GET", "/v1/hello", 200, "CN=alice")])
        for name in ("access.log", "audit.log"):
            self.assertNotIn("s3cr3t", (self.dir / "data" / name).read_text())
            self.assertEqual((self.dir / "data" / name).stat().st_mode & 0o777, 0o600)


class OpensslSClientSeesTheChain(ServerTestCase):
    def test_tls13_and_the_full_chain(self):
        result = self.openssl("s_client", "-connect", f"127.0.0.1:{self.server.port}",
                              "-servername", "localhost", "-CAfile", self.ca / "root.crt",
                              "-cert", "alice.crt", "-key", "alice.key", "-showcerts",
                              "-verify_return_error", input_text="")
        self.assertIn("New, TLSv1.3, Cipher is TLS_AES", result.stdout)
        self.assertIn("Verify return code: 0 (ok)", result.stdout)
        self.assertRegex(result.stdout, r"0 s:CN = localhost")
        self.assertRegex(result.stdout, r"1 s:O = tlshop, CN = tlshop Intermediate CA")
        self.assertIn("Server Temp Key: X25519", result.stdout)

    def test_a_reply_to_head_has_no_body(self):
        result = self.openssl("s_client", "-connect", f"127.0.0.1:{self.server.port}",
                              "-servername", "localhost", "-CAfile", self.ca / "root.crt",
                              "-cert", "alice.crt", "-key", "alice.key", "-quiet",
                              "-verify_return_error", input_text=(
                                  "HEAD /v1/hello HTTP/1.1\r\nHost: localhost\r\n"
                                  "Connection: close\r\n\r\n"))
        head, _, rest = result.stdout.partition("\r\n\r\n")
        self.assertRegex(head, r"^HTTP/1.1 \d{3} ")
        self.assertRegex(head, r"Content-Length: \d+")
        self.assertEqual(rest, "")

    def test_p256_key_share_when_the_client_offers_only_that(self):
        result = self.openssl("s_client", "-connect", f"127.0.0.1:{self.server.port}",
                              "-servername", "localhost", "-CAfile", self.ca / "root.crt",
                              "-cert", "alice.crt", "-key", "alice.key", "-groups", "P-256",
                              "-verify_return_error", input_text="")
        self.assertIn("Server Temp Key: ECDH, prime256v1", result.stdout)
        self.assertIn("Verify return code: 0 (ok)", result.stdout)

    def test_resumes_a_session_with_either_hash(self):
        request = "GET /v1/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        for suite in ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"):
            with self.subTest(suite):
                session = self.dir / f"{suite}.session"
                connect = ("s_client", "-connect", f"127.0.0.1:{self.server.port}",
                           "-servername", "localhost", "-CAfile", self.ca / "root.crt",
                           "-cert", "alice.crt", "-key", "alice.key", "-ciphersuites", suite,
                           "-verify_return_error", "-ign_eof")
                first = self.openssl(*connect, "-sess_out", session, input_text=request)
                self.assertIn(f"New, TLSv1.3, Cipher is {suite}", first.stdout)
                self.assertIn('"CN=alice"', first.stdout)
                again = self.openssl(*connect, "-sess_in", session, input_text=request)
                self.assertIn(f"Reused, TLSv1.3, Cipher is {suite}", again.stdout)
                self.assertIn('"CN=alice"', again.stdout)

    def test_tls12_is_refused_by_default(self):
        result = self.openssl("s_client", "-connect", f"127.0.0.1:{self.server.port}", "-tls1_2",
                              "-CAfile", self.ca / "root.crt", "-cert", "alice.crt", "-key",
                              "alice.key", input_text="", expect=None)
        self.assertNotEqual(result.returncode, 0)
        self.server.wait_for_audit(lambda e: e.get("reason") == "protocol_version")


class Tls12WhenAllowed(ServerTestCase):
    server_args = ("--allow-tls12",)

    def test_tls12_with_ecdhe_and_aead(self):
        result = self.openssl("s_client", "-connect", f"127.0.0.1:{self.server.port}", "-tls1_2",
                              "-CAfile", self.ca / "root.crt", "-cert", "alice.crt", "-key",
                              "alice.key", input_text="")
        self.assertIn("New, TLSv1.2, Cipher is ECDHE-ECDSA-", result.stdout)
        self.assertRegex(result.stdout, r"Cipher is ECDHE-ECDSA-(AES\d+-GCM|CHACHA20)")


class OpenSslAsShipped(ServerTestCase):
    """tls.builtin_ec_keys false: OpenSSL's providers decode every EC key too."""

    def start_server(self, *extra):
        (self.dir / "openssl.toml").write_text("[tls]\nbuiltin_ec_keys = false\n")
        return super().start_server("--config", self.dir / "openssl.toml", *extra)

    def test_clients_are_accepted_and_refused_as_with_the_builtin_method(self):
        self.assertIn("CN=alice", self.hello_as("alice").stdout)
        other = self.make_ca("other")
        self.issue(other, "client", "mallory")
        self.hello_as("mallory", expect=None)
        self.server.wait_for_audit(lambda e: e.get("reason") == "unknown_ca")


DEFAULT_PROVIDER_ONLY = """openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
alg_section = algorithm_sect
[provider_sect]
default = default_sect
[default_sect]
activate = 1
[algorithm_sect]
default_properties = provider=default
"""


class OpenSslDefaultProviderOnly(ServerTestCase):
    """OpenSSL's configuration activates its default provider alone and asks every fetch
    for it, as an operator's openssl.cnf may: the server starts and serves clients."""

    def start_server(self, *extra):
        conf = self.dir / "default-only.cnf"
        conf.write_text(DEFAULT_PROVIDER_ONLY)
        self.openssl_env = dict(os.environ, OPENSSL_CONF=str(conf))
        return super().start_server(*extra, env=self.openssl_env)

    def test_the_configuration_is_in_force_and_clients_are_served(self):
        providers = subprocess.run(["openssl", "list", "-providers"], env=self.openssl_env,
                                   capture_output=True, text=True, check=True).stdout
        self.assertEqual(re.findall(r"^  (\w+)$", providers, re.M), ["default"])
        self.assertIn("CN=alice", self.hello_as("alice").stdout)
        reply = json.loads(self.curl_as("alice", f"{self.url}/v1/hello").stdout)
        self.assertEqual(reply["tls"]["version"], "TLSv1.3")
        other = self.make_ca("other")
        self.issue(other, "client", "mallory")
        self.hello_as("mallory", expect=None)
        self.server.wait_for_audit(lambda e: e.get("reason") == "unknown_ca")


class RemovedHandshakeProviderSetting(ServerTestCase):
    """A configuration file from before tls.handshake_provider went still starts the
    server, which says the setting is ignored."""

    def start_server(self, *extra):
        (self.dir / "old.toml").write_text("[tls]\nhandshake_provider = true\n")
        return super().start_server("--config", self.dir / "old.toml", *extra)

    def test_starts_serves_and_warns(self):
        self.assertIn("CN=alice", self.hello_as("alice").stdout)
        warning = self.server.wait_for_audit(lambda e: e.get("event") == "config_warning")
        self.assertIn("'tls.handshake_provider' is deprecated and ignored", warning[0]["message"])
        self.assertEqual(self.server.stop(), 0)
        stderr = self.server.stderr_text()
        self.assertIn("tlshop serve: warning: ", stderr)
        self.assertIn("'tls.handshake_provider' is deprecated and ignored", stderr)


class PythonSslClient(ServerTestCase):
    def test_keep_alive_requests_over_one_connection(self):
        before = self.accepted_handshakes()
        connection = http.client.HTTPSConnection("localhost", self.server.port,
                                                 context=self.client_context(), timeout=10)
        for _ in range(3):
            connection.request("GET", "/v1/hello")
            response = connection.getresponse()
            self.assertEqual(response.status, 200)
            self.assertEqual(json.loads(response.read())["peer"]["subject"], "CN=alice")
        connection.request("POST", "/v1/messages", body="from python", headers={"Content-Type": "text/plain"})
        response = connection.getresponse()
        self.assertEqual(response.status, 201)
        response.read()
        connection.close()
        self.assertEqual(len(re.findall("handshake", json.dumps(self.server.audit()))), 0)
        # Four requests, one handshake (and one more for reading the count).
        self.assertEqual(self.accepted_handshakes() - before, 2)


if __name__ == "__main__":
    unittest.main()
