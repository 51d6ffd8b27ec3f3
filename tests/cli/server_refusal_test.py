"""Who `tlshop serve` refuses at the handshake, and the reason it writes in the audit log."""

import os
import signal
import unittest

from server_harness import ServerTestCase, closed_within


class Refusals(ServerTestCase):
    def assert_refused(self, name, reason, client_words):
        result = self.hello_as(name, expect=5)
        self.assertIn("refused this client's certificate", result.stderr)
        self.assertIn(client_words, result.stderr)
        events = self.server.wait_for_audit(lambda e: e.get("reason") == reason)
        self.assertEqual(events[-1]["event"], "handshake_refused")
        self.assertTrue(events[-1]["remote"].startswith("127.0.0.1:"))
        subject = self.openssl("x509", "-in", f"{name}.crt", "-noout", "-subject",
                               "-nameopt", "RFC2253").stdout.strip().split("=", 1)[1]
        self.assertEqual(events[-1]["subject"], subject)
        if reason not in ("no_certificate", "timeout"):
            # The TLS error behind the refusal, not something left over from earlier.
            self.assertIn("certificate verify failed", events[-1]["detail"])

    def make_foreign_client(self):
        self.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", "evil-ca.key", "-out", "evil-ca.crt", "-days", "30",
                     "-subj", "/CN=Evil CA", "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        self.openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", "mallory.key", "-out", "mallory.csr", "-subj", "/CN=alice")
        (self.dir / "ext").write_text("extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n")
        self.openssl("x509", "-req", "-in", "mallory.csr", "-CA", "evil-ca.crt", "-CAkey",
                     "evil-ca.key", "-CAcreateserial", "-days", "30", "-extfile", "ext",
                     "-out", "mallory.crt")

    def test_a_client_certificate_from_a_foreign_ca_made_with_openssl(self):
        self.make_foreign_client()
        self.assert_refused("mallory", "unknown_ca", "unknown ca")

    def test_a_foreign_ca_is_unknown_ca_even_when_its_root_is_sent_in_the_chain(self):
        self.make_foreign_client()
        chain = (self.dir / "mallory.crt").read_text() + (self.dir / "evil-ca.crt").read_text()
        (self.dir / "mallory.crt").write_text(chain)
        self.assert_refused("mallory", "unknown_ca", "unknown ca")

    def test_expired_and_not_yet_valid(self):
        self.odd_certificate("old", "expired")
        self.odd_certificate("early", "not-yet-valid")
        self.assert_refused("old", "expired", "certificate expired")
        self.assert_refused("early", "not_yet_valid", "bad certificate")

    def test_a_server_certificate_used_as_a_client_certificate(self):
        self.assert_refused("localhost", "wrong_eku", "unsupported certificate")

    def test_a_certificate_without_any_extended_key_usage(self):
        self.odd_certificate("plain", "no-eku")
        self.assert_refused("plain", "wrong_eku", "unsupported certificate")

    def test_self_signed(self):
        self.odd_certificate("loner", "self-signed")
        self.assert_refused("loner", "self_signed", "unknown ca")

    def test_revoked_after_start_is_refused_once_the_crl_is_reloaded_without_restart(self):
        self.hello_as("alice")
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", "alice.crt", "--reason", "keyCompromise")
        # The server notices the new crl.pem by itself; SIGHUP makes it immediate.
        self.server.signal(signal.SIGHUP)
        self.server.wait_for_audit(lambda e: e.get("event") == "tls_reloaded")
        self.assert_refused("alice", "revoked", "certificate revoked")
        self.assertIsNone(self.server.process.poll(), "the server restarted or died")


class ExpiredCrl(ServerTestCase):
    """docs/security.md: once the CRL is past its next update, the server refuses every
    client, until a new one is published."""

    def setUp(self):
        super().setUp()
        self.issue(self.ca, "client", "bob")
        self.server.stop()
        self.odd_certificate("stale", "expired-crl")  # writes stale.pem
        self.server = self.start_server(crl=self.dir / "stale.pem")

    def test_every_client_is_refused_until_a_new_crl_is_published(self):
        for name in ("alice", "bob"):
            self.hello_as(name, expect=5)
        events = self.server.wait_for_audit(lambda e: e.get("event") == "handshake_refused")
        self.assertEqual({e["reason"] for e in events}, {"crl_expired"})
        self.assertIn("publish a new one (tlshop ca crl)", events[0]["detail"])
        self.tlshop("ca", "crl", "--dir", self.ca)
        (self.dir / "fresh.pem").write_bytes((self.ca / "crl.pem").read_bytes())
        os.replace(self.dir / "fresh.pem", self.dir / "stale.pem")  # as a deployment would
        self.server.wait_for_audit(lambda e: e.get("event") == "tls_reloaded")
        self.hello_as("alice")
        self.hello_as("bob")


class OpenConnections(ServerTestCase):
    """Revocation and expiry reach connections already open, not only new handshakes."""

    def served(self, connection):
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        return b"200 OK" in connection.recv(65536)

    def test_a_revoked_client_loses_its_open_connection_when_the_crl_is_reloaded(self):
        self.issue(self.ca, "client", "bob")
        alice, bob = self.tls_connect("alice"), self.tls_connect("bob")
        self.assertTrue(self.served(alice))
        self.assertTrue(self.served(bob))
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", "alice.crt")
        self.server.signal(signal.SIGHUP)
        events = self.server.wait_for_audit(lambda e: e.get("event") == "connection_closed")
        self.assertEqual([(e["reason"], e["subject"]) for e in events], [("revoked", "CN=alice")])
        self.assertTrue(closed_within(alice, 5))
        self.assertTrue(self.served(bob))

    def test_a_connection_ends_with_its_client_certificate(self):
        self.odd_certificate("brief", "expires-in-3s")
        brief = self.tls_connect("brief")
        self.assertTrue(self.served(brief))
        self.assertTrue(closed_within(brief, 10))
        events = self.server.wait_for_audit(lambda e: e.get("event") == "connection_closed")
        self.assertEqual([(e["reason"], e["subject"]) for e in events], [("expired", "CN=brief")])


class RootOnlyBundle(ServerTestCase):
    """--ca root.crt with the intermediate's CRL, the way nginx users configure it."""

    def setUp(self):
        super().setUp()
        self.server.stop()
        self.server = self.start_server(ca=self.ca / "root.crt")

    def test_the_intermediates_crl_is_checked_against_the_chain_the_client_presents(self):
        self.hello_as("alice")
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", "alice.crt")
        self.server.signal(signal.SIGHUP)
        self.server.wait_for_audit(lambda e: e.get("event") == "tls_reloaded")
        self.hello_as("alice", expect=5)
        events = self.server.wait_for_audit(lambda e: e.get("event") == "handshake_refused")
        self.assertEqual(events[-1]["reason"], "revoked")


class RefusalByFileWatch(ServerTestCase):
    def test_a_changed_crl_is_picked_up_without_a_signal(self):
        self.hello_as("alice")
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", "alice.crt")
        self.server.wait_for_audit(
            lambda e: e.get("event") == "tls_reloaded" and e["trigger"] == "files changed")
        self.hello_as("alice", expect=5)
        self.server.wait_for_audit(lambda e: e.get("reason") == "revoked")


class PinnedClients(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.issue(self.ca, "client", "bob")
        self.server.stop()
        pin = self.tlshop("ca", "inspect", "alice.crt", "--json").stdout
        import json
        self.pin = json.loads(pin)["certificates"][0]["public_key_pin"]
        self.server = self.start_server("--pin", self.pin)

    def test_only_pinned_keys_get_in(self):
        self.hello_as("alice")
        self.hello_as("bob", expect=5)
        self.server.wait_for_audit(lambda e: e.get("reason") == "pin_mismatch")


if __name__ == "__main__":
    unittest.main()
