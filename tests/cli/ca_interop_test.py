"""Certificates made by `tlshop ca` work with OpenSSL, Python's ssl module and PKCS#12 readers."""

import socket
import ssl
import threading
import unittest

from harness import CliTestCase


class OpensslAcceptsTheCertificates(CliTestCase):
    def setUp(self):
        super().setUp()
        self.ca = self.make_ca()
        self.server_crt, self.server_key = self.issue(
            self.ca, "server", "localhost", "--san", "IP:127.0.0.1", "--san", "DNS:shop.test")
        self.client_crt, self.client_key = self.issue(self.ca, "client", "alice")

    def verify(self, purpose, cert, expect, *extra):
        return self.openssl("verify", "-CAfile", self.ca / "root.crt",
                            "-untrusted", self.ca / "intermediate.crt",
                            "-purpose", purpose, *extra, cert, expect=expect)

    def test_each_certificate_verifies_for_its_purpose_only(self):
        self.verify("sslserver", self.server_crt, 0)
        self.verify("sslclient", self.client_crt, 0)
        wrong = self.verify("sslclient", self.server_crt, 2)
        self.assertIn("unsuitable certificate purpose", wrong.stdout + wrong.stderr)
        self.verify("sslserver", self.client_crt, 2)

    def test_x509_text_shows_the_profile_extensions(self):
        server = self.openssl("x509", "-in", self.server_crt, "-noout", "-text").stdout
        self.assertRegex(server, r"Basic Constraints: critical\s+CA:FALSE")
        self.assertRegex(server, r"Key Usage: critical\s+Digital Signature\n")
        self.assertRegex(server, r"Extended Key Usage:\s+TLS Web Server Authentication\n")
        self.assertRegex(server, r"DNS:localhost, IP Address:127.0.0.1, DNS:shop.test")
        self.assertIn("X509v3 Subject Key Identifier", server)
        self.assertIn("X509v3 Authority Key Identifier", server)
        self.assertIn("ASN1 OID: prime256v1", server)
        client = self.openssl("x509", "-in", self.client_crt, "-noout", "-text").stdout
        self.assertRegex(client, r"Extended Key Usage:\s+TLS Web Client Authentication\n")
        self.assertIn("URI:urn:tlshop:client:alice", client)

    def test_chain_file_is_leaf_then_intermediate(self):
        chain = self.server_crt.read_text()
        self.assertEqual(chain.count("BEGIN CERTIFICATE"), 2)
        self.assertTrue(chain.endswith((self.ca / "intermediate.crt").read_text()))

    def test_crl_verifies_and_lists_the_revoked_serial(self):
        serial = self.openssl("x509", "-in", self.client_crt, "-noout", "-serial").stdout
        serial = serial.strip().split("=")[1]
        self.tlshop("ca", "revoke", "--dir", self.ca, serial, "--reason", "keyCompromise")
        crl = self.openssl("crl", "-in", self.ca / "crl.pem", "-CAfile", self.ca / "ca-chain.crt",
                           "-noout", "-verify", "-text")
        self.assertIn("verify OK", crl.stdout + crl.stderr)
        self.assertIn(f"Serial Number: {serial}", crl.stdout)
        self.assertIn("Key Compromise", crl.stdout)
        self.assertRegex(crl.stdout, r"X509v3 CRL Number:\s+2\n")
        self.assertIn("Next Update", crl.stdout)
        self.assertIn("Version 2", crl.stdout)
        result = self.verify("sslclient", self.client_crt, 2, "-crl_check", "-CRLfile", self.ca / "crl.pem")
        self.assertIn("certificate revoked", result.stdout + result.stderr)
        self.verify("sslserver", self.server_crt, 0, "-crl_check", "-CRLfile", self.ca / "crl.pem")

    def test_pkcs12_export_opens_with_its_password_only(self):
        (self.dir / "p12pass").write_text("export secret\n")
        self.tlshop("ca", "export-p12", "--cert", self.client_crt, "--key", self.client_key,
                    "--out", self.dir / "alice.p12", "--password-file", self.dir / "p12pass")
        self.assertEqual((self.dir / "alice.p12").stat().st_mode & 0o777, 0o600)
        info = self.openssl("pkcs12", "-in", self.dir / "alice.p12", "-nodes",
                            "-passin", "pass:export secret")
        self.assertEqual(info.stdout.count("BEGIN CERTIFICATE"), 2)
        self.assertIn("BEGIN PRIVATE KEY", info.stdout)
        self.assertIn("friendlyName: alice", info.stdout)
        self.openssl("pkcs12", "-in", self.dir / "alice.p12", "-nodes", "-passin", "pass:wrong",
                     expect=1)

    def test_keys_are_owner_only(self):
        for key in (self.server_key, self.client_key, self.ca / "root.key", self.ca / "intermediate.key"):
            self.assertEqual(key.stat().st_mode & 0o777, 0o600, key)


class PythonSslHandshakesWithTheCertificates(CliTestCase):
    """A real mutually authenticated TLS 1.3 handshake over 127.0.0.1 with Python's ssl."""

    def test_mutual_tls_handshake(self):
        ca = self.make_ca()
        server_crt, server_key = self.issue(ca, "server", "localhost", "--san", "IP:127.0.0.1")
        client_crt, client_key = self.issue(ca, "client", "alice")

        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.minimum_version = ssl.TLSVersion.TLSv1_3
        server_context.load_cert_chain(server_crt, server_key)
        server_context.load_verify_locations(ca / "root.crt")
        server_context.verify_mode = ssl.CERT_REQUIRED

        client_context = ssl.create_default_context(cafile=str(ca / "root.crt"))
        client_context.load_cert_chain(client_crt, client_key)

        listener = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(listener.close)
        port = listener.getsockname()[1]
        seen = {}

        def serve():
            connection, _ = listener.accept()
            with server_context.wrap_socket(connection, server_side=True) as tls:
                seen["client"] = tls.getpeercert()
                tls.sendall(b"hello " + tls.recv(16))

        thread = threading.Thread(target=serve)
        thread.start()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with client_context.wrap_socket(raw, server_hostname="localhost") as tls:
                self.assertEqual(tls.version(), "TLSv1.3")
                tls.sendall(b"alice")
                self.assertEqual(tls.recv(64), b"hello alice")
        thread.join(timeout=10)
        self.assertEqual(dict(x[0] for x in seen["client"]["subject"])["commonName"], "alice")
        self.assertIn(("URI", "urn:tlshop:client:alice"), seen["client"]["subjectAltName"])

    def test_client_refuses_a_server_whose_name_does_not_match(self):
        ca = self.make_ca()
        server_crt, server_key = self.issue(ca, "server", "other.example")
        context = ssl.create_default_context(cafile=str(ca / "root.crt"))
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(server_crt, server_key)
        listener = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(listener.close)

        def serve():
            connection, _ = listener.accept()
            try:
                server_context.wrap_socket(connection, server_side=True).close()
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=serve)
        thread.start()
        with socket.create_connection(listener.getsockname(), timeout=10) as raw:
            with self.assertRaises(ssl.SSLCertVerificationError):
                context.wrap_socket(raw, server_hostname="localhost")
        thread.join(timeout=10)


if __name__ == "__main__":
    unittest.main()
