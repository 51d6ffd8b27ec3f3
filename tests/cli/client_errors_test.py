"""`tlshop hello` (libtlshop underneath) tells each way of failing apart, by message and exit code."""

import os
import socket
import threading
import unittest

from server_harness import ServerTestCase


class ClientErrors(ServerTestCase):
    def test_settings_from_environment_and_config_file(self):
        env_before = dict(os.environ)
        self.addCleanup(lambda: (os.environ.clear(), os.environ.update(env_before)))
        config = self.dir / "client.toml"
        config.write_text(f'server = "localhost:{self.server.port}"\nca = "ca/root.crt"\n'
                          f'cert = "alice.crt"\nkey = "alice.key"\n')
        os.environ["TLSHOP_CLIENT_CONFIG"] = str(config)
        self.assertIn("Hello CN=alice", self.tlshop("hello").stdout)
        os.environ.pop("TLSHOP_CLIENT_CONFIG")
        os.environ.update({"TLSHOP_SERVER": f"127.0.0.1:{self.server.port}",
                           "TLSHOP_CA": str(self.ca / "root.crt"),
                           "TLSHOP_CERT": str(self.dir / "alice.crt"),
                           "TLSHOP_KEY": str(self.dir / "alice.key"),
                           "HOME": str(self.dir)})
        self.assertIn("server:      127.0.0.1:", self.tlshop("hello").stdout)
        sent = self.tlshop("message", "send", "via env").stdout
        self.assertRegex(sent, r"stored message 1 at ")
        self.assertIn("via env", self.tlshop("message", "list").stdout)

    def test_server_unreachable(self):
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        result = self.tlshop("hello", "--server", f"127.0.0.1:{port}", "--ca", self.ca / "root.crt",
                             "--cert", "alice.crt", "--key", "alice.key", expect=3)
        self.assertIn(f"cannot reach 127.0.0.1:{port}: Connection refused", result.stderr)

    def test_timeout_when_nothing_answers(self):
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        self.addCleanup(silent.close)
        result = self.tlshop("hello", "--server", f"127.0.0.1:{silent.getsockname()[1]}",
                             "--ca", self.ca / "root.crt", "--cert", "alice.crt", "--key",
                             "alice.key", "--timeout", "1", expect=4)
        self.assertIn("timed out in the TLS handshake", result.stderr)

    def test_refused_by_the_server(self):
        result = self.hello_as("localhost", expect=5)
        self.assertIn("refused this client's certificate: unsupported certificate", result.stderr)

    def test_server_not_trusted(self):
        other = self.make_ca("other", "--name", "Other")
        result = self.tlshop("hello", "--server", f"localhost:{self.server.port}", "--ca",
                             other / "root.crt", "--cert", "alice.crt", "--key", "alice.key",
                             expect=6)
        self.assertIn(f"is not trusted: it was not issued by the CA in {other / 'root.crt'} (give "
                      "--ca the root certificate of the CA that issued the server's)", result.stderr)

    def test_a_server_that_does_not_speak_tls(self):
        plain = socket.socket()
        plain.bind(("127.0.0.1", 0))
        plain.listen()
        self.addCleanup(plain.close)

        def answer_in_plain_http():
            connection, _ = plain.accept()
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

        threading.Thread(target=answer_in_plain_http, daemon=True).start()
        port = plain.getsockname()[1]
        result = self.tlshop("hello", "--server", f"127.0.0.1:{port}", "--ca", self.ca / "root.crt",
                             "--cert", "alice.crt", "--key", "alice.key", expect=None)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.stderr.strip(),
                         f"tlshop: the server at 127.0.0.1:{port} does not speak TLS (is it plain HTTP?)")

    def test_a_url_where_host_and_port_belong(self):
        result = self.tlshop("hello", "--server", f"https://localhost:{self.server.port}/v1/hello",
                             "--ca", self.ca / "root.crt", "--cert", "alice.crt", "--key",
                             "alice.key", expect=2)
        self.assertEqual(result.stderr.strip(), "tlshop: give the server as HOST:PORT, not a URL: "
                                                f"localhost:{self.server.port}")

    def test_hostname_mismatch(self):
        self.server.stop()
        self.tlshop("ca", "issue", "--dir", self.ca, "--server", "shop.example", "--out-dir", self.dir)
        from server_harness import ServerProcess
        self.server = ServerProcess(self, self.dir, [
            "--listen", "127.0.0.1:0", "--cert", "shop.example.crt", "--key", "shop.example.key",
            "--ca", self.ca / "ca-chain.crt", "--data-dir", "data"])
        result = self.hello_as("alice", expect=6)
        self.assertIn(f"the certificate of localhost:{self.server.port} is not for localhost",
                      result.stderr)

    def test_pin_mismatch_and_match(self):
        wrong = "sha256//" + "A" * 43 + "="
        result = self.hello_as("alice", "--pin", wrong, expect=6)
        self.assertIn("does not match the pinned key", result.stderr)
        import json
        pin = json.loads(self.tlshop("ca", "inspect", "localhost.crt", "--json").stdout)
        right = pin["certificates"][0]["public_key_pin"]
        self.assertIn("Hello CN=alice", self.hello_as("alice", "--pin", right).stdout)

    def test_missing_client_files(self):
        result = self.hello("--cert", "nope.crt", "--key", "alice.key", expect=1)
        self.assertIn("cannot read nope.crt", result.stderr)
        result = self.hello("--cert", "alice.crt", "--key", "localhost.key", expect=1)
        self.assertIn("localhost.key does not match the certificate in alice.crt", result.stderr)

    def test_server_errors_carry_the_api_message(self):
        (self.dir / "big.txt").write_text("x" * 70000)
        result = self.tlshop("message", "send", "--file", "big.txt", "--server",
                             f"localhost:{self.server.port}", "--ca", self.ca / "root.crt",
                             "--cert", "alice.crt", "--key", "alice.key", expect=7)
        self.assertIn("HTTP 413, payload_too_large", result.stderr)


class LibraryExample(ServerTestCase):
    def test_the_example_program_runs_against_a_real_server(self):
        result = self.run_tool([os.environ["HELLO_CLIENT"], f"localhost:{self.server.port}",
                                self.ca / "root.crt", "alice.crt", "alice.key"])
        self.assertEqual(result.stdout.splitlines(), [
            "Hello CN=alice, this is tlshop. (TLSv1.3)",
            "stored message 1",
            "1 <ping from='hello_client'/>",
        ])


if __name__ == "__main__":
    unittest.main()
