"""Renewing certificates and choosing their validity: `tlshop ca renew`, `ca list
--expiring`, --not-before/--not-after with times and durations, and --force."""

import json
import time
import unittest
from datetime import datetime, timedelta, timezone

from harness import CliTestCase

DAY = 24 * 60 * 60


def not_after_of(test, cert):
    text = test.openssl("x509", "-in", cert, "-noout", "-enddate").stdout.strip()
    moment = datetime.strptime(text.split("=", 1)[1], "%b %d %H:%M:%S %Y %Z")
    return moment.replace(tzinfo=timezone.utc).timestamp()


def serial_of(test, cert):
    return test.openssl("x509", "-in", cert, "-noout", "-serial").stdout.strip().split("=")[1]


class Renewal(CliTestCase):
    def setUp(self):
        super().setUp()
        self.ca = self.make_ca()
        self.tlshop("ca", "issue", "--dir", self.ca, "--server", "shop.example", "--san",
                    "IP:127.0.0.1", "--days", "10", "--out-dir", self.dir)
        self.crt, self.key = self.dir / "shop.example.crt", self.dir / "shop.example.key"

    def text_of(self, cert):
        return self.openssl("x509", "-in", cert, "-noout", "-text", "-subject").stdout

    def test_renew_keeps_names_and_profile_with_new_dates_and_key(self):
        old_serial, old_key = serial_of(self, self.crt), self.key.read_text()
        result = self.tlshop("ca", "renew", "--dir", self.ca, "--cert", self.crt, "--days", "60")
        self.assertIn(f"replaces:    serial {old_serial}", result.stdout)
        self.assertNotEqual(serial_of(self, self.crt), old_serial)
        self.assertNotEqual(self.key.read_text(), old_key)
        self.assertEqual(self.key.stat().st_mode & 0o777, 0o600)
        text = self.text_of(self.crt)
        self.assertIn("DNS:shop.example, IP Address:127.0.0.1", text)
        self.assertIn("TLS Web Server Authentication", text)
        self.assertIn("subject=CN = shop.example", text)
        self.assertAlmostEqual(not_after_of(self, self.crt), time.time() + 60 * DAY, delta=120)
        # The pair works together, and the old certificate is still on record, still valid.
        self.openssl("verify", "-CAfile", self.ca / "root.crt", "-untrusted",
                     self.ca / "intermediate.crt", "-purpose", "sslserver", self.crt)
        self.assertEqual(self.openssl("x509", "-in", self.crt, "-noout", "-pubkey").stdout,
                         self.openssl("pkey", "-in", self.key, "-pubout").stdout)
        listed = json.loads(self.tlshop("ca", "list", "--dir", self.ca, "--json").stdout)
        self.assertEqual(sorted(row["status"] for row in listed), ["valid", "valid"])

    def test_reuse_key_certifies_the_same_key_and_leaves_the_key_file(self):
        old_key = self.key.read_text()
        old_public = self.openssl("x509", "-in", self.crt, "-noout", "-pubkey").stdout
        result = self.tlshop("ca", "renew", "--dir", self.ca, "--cert", self.crt, "--reuse-key")
        self.assertNotIn("key:", result.stdout)
        self.assertEqual(self.key.read_text(), old_key)
        self.assertEqual(self.openssl("x509", "-in", self.crt, "-noout", "-pubkey").stdout, old_public)

    def test_renew_refuses_what_it_should_not_renew(self):
        other = self.make_ca("other", "--name", "Other")
        eve_crt, _ = self.issue(other, "client", "eve")
        before = eve_crt.read_text()
        self.assert_refused(["ca", "renew", "--dir", self.ca, "--cert", eve_crt],
                            "this CA did not issue CN=eve")
        self.assertEqual(eve_crt.read_text(), before)
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", self.crt)
        self.assert_refused(["ca", "renew", "--dir", self.ca, "--cert", self.crt],
                            "CN=shop.example is revoked: issue a new certificate rather than renew it")
        self.assert_refused(["ca", "renew", "--dir", self.ca, "--cert", self.crt, "--reuse-key",
                             "--key-type", "ed25519"], "excludes", code=2)

    def test_list_expiring_shows_only_valid_certificates_that_end_soon(self):
        self.issue(self.ca, "client", "longer", "--days", "90")
        expiring = self.tlshop("ca", "list", "--dir", self.ca, "--expiring", "30d").stdout
        self.assertIn("CN=shop.example", expiring)
        self.assertNotIn("CN=longer", expiring)
        self.assertNotIn("CN=shop.example", self.tlshop("ca", "list", "--dir", self.ca,
                                                       "--expiring", "12h").stdout)
        self.tlshop("ca", "renew", "--dir", self.ca, "--cert", self.crt, "--not-after", "90d")
        # The renewed certificate is not expiring; the one it replaced still is.
        rows = json.loads(self.tlshop("ca", "list", "--dir", self.ca, "--expiring", "30d",
                                      "--json").stdout)
        self.assertEqual([row["serial"] for row in rows][:1], [rows[0]["serial"]])
        self.assertEqual(len(rows), 1)
        self.assert_refused(["ca", "list", "--dir", self.ca, "--expiring", "soon"],
                            "--expiring: 'soon' is not a duration such as 90d, 12h, 30m or 2w",
                            code=2)


class ValidityOptions(CliTestCase):
    def setUp(self):
        super().setUp()
        self.ca = self.make_ca()

    def test_not_after_as_a_duration_or_a_time_and_not_before_later(self):
        crt, _ = self.issue(self.ca, "client", "hours", "--not-after", "12h")
        self.assertAlmostEqual(not_after_of(self, crt), time.time() + 12 * 3600, delta=120)
        end = (datetime.now(timezone.utc) + timedelta(days=40)).strftime("%Y-%m-%d")
        crt, _ = self.issue(self.ca, "client", "dated", "--not-after", end)
        self.assertEqual(datetime.fromtimestamp(not_after_of(self, crt), timezone.utc)
                         .strftime("%Y-%m-%d"), end)
        crt, _ = self.issue(self.ca, "client", "later", "--not-before", "1d", "--days", "5")
        self.openssl("verify", "-CAfile", self.ca / "root.crt", "-untrusted",
                     self.ca / "intermediate.crt", crt, expect=2)  # not yet valid

    def test_bad_validity_is_refused_and_writes_nothing(self):
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--not-after",
                             "tomorrow"], "--not-after: 'tomorrow' is neither a time", code=2)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--not-after",
                             "2001-01-01"], "would end in the past")
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--not-after",
                             "900d"], "at most 825 days")
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--not-after",
                             "3d", "--not-before", "5d"], "before it starts")
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--not-after",
                             "3d", "--days", "4"], "excludes", code=2)

    def test_force_replaces_an_existing_pair_and_nothing_else_does(self):
        crt, key = self.issue(self.ca, "client", "alice")
        old = crt.read_text()
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "alice", "--out-dir",
                             self.dir], "alice.key already exists (--force replaces it")
        self.tlshop("ca", "issue", "--dir", self.ca, "--client", "alice", "--out-dir", self.dir,
                    "--force")
        self.assertNotEqual(crt.read_text(), old)
        self.assertEqual(key.stat().st_mode & 0o777, 0o600)


if __name__ == "__main__":
    unittest.main()
