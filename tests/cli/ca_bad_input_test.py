"""Every kind of bad input to `tlshop ca` gets one clear line, a non-zero exit and no files."""

import os
import shutil
import tempfile
import unittest
from pathlib import Path

from harness import TLSHOP, CliTestCase


class Unprivileged:
    """root ignores file permissions, so as root the program runs as nobody, from a copy
    that nobody can reach whatever the permissions of the build tree."""

    def __init__(self, test):
        if os.geteuid() != 0:
            self.prefix, self.program = (), TLSHOP
            return
        bin_dir = Path(tempfile.mkdtemp(prefix="tlshop-bin-"))
        test.addCleanup(shutil.rmtree, bin_dir, ignore_errors=True)
        bin_dir.chmod(0o755)
        self.program = str(bin_dir / "tlshop")
        shutil.copy(TLSHOP, self.program)
        os.chmod(self.program, 0o755)
        self.prefix = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")


class BadInput(CliTestCase):
    def setUp(self):
        super().setUp()
        self.ca = self.make_ca()
        self.client_crt, self.client_key = self.issue(self.ca, "client", "alice")
        (self.dir / "notes.txt").write_text("just some text\n")
        (self.dir / "pw").write_text("password\n")

    def test_missing_files(self):
        self.assert_refused(["ca", "inspect", "nope.pem"], "cannot read nope.pem: No such file")
        self.assert_refused(["ca", "sign", "--dir", self.ca, "--csr", "nope.csr", "--profile",
                             "client", "--out", "x.crt"], "cannot read nope.csr")
        self.assert_refused(["ca", "verify", "--dir", self.ca, "nope.crt"], "cannot read nope.crt")

    def test_files_that_are_not_pem(self):
        self.assert_refused(["ca", "inspect", "notes.txt"],
                            "notes.txt is not a PEM certificate, certificate request or CRL")
        self.assert_refused(["ca", "sign", "--dir", self.ca, "--csr", "notes.txt", "--profile",
                             "client", "--out", "x.crt"], "notes.txt is not a PEM certificate request")
        self.assert_refused(["ca", "verify", "--dir", self.ca, "notes.txt"],
                            "notes.txt is not a PEM certificate")
        self.assert_refused(["ca", "export-p12", "--cert", self.client_crt, "--key", "notes.txt",
                             "--out", "a.p12", "--password-file", "pw"], "notes.txt is not a PEM private key")

    def test_malformed_pem(self):
        (self.dir / "broken.crt").write_text(
            "-----BEGIN CERTIFICATE-----\nMIIBroken+++\n-----END CERTIFICATE-----\n")
        self.assert_refused(["ca", "inspect", "broken.crt"], "broken.crt holds a malformed certificate")
        self.assert_refused(["ca", "revoke", "--dir", self.ca, "--cert", "broken.crt"],
                            "broken.crt holds a malformed certificate")

    def test_a_key_that_does_not_match_its_certificate(self):
        _, other_key = self.issue(self.ca, "client", "bob")
        self.assert_refused(["ca", "export-p12", "--cert", self.client_crt, "--key", other_key,
                             "--out", "a.p12", "--password-file", "pw"],
                            "bob.key does not match the certificate")

    def test_a_ca_key_that_does_not_match_the_ca_certificate(self):
        other_ca = self.make_ca("other")
        (self.ca / "intermediate.key").write_text((other_ca / "intermediate.key").read_text())
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--out-dir", self.dir],
                            "intermediate.key does not match the certificate")

    def test_unknown_serial_and_revoking_twice(self):
        self.assert_refused(["ca", "revoke", "--dir", self.ca, "0DEADBEEF"],
                            "no certificate with serial DEADBEEF was issued by this CA")
        self.assert_refused(["ca", "revoke", "--dir", self.ca, "not-hex"], "not a hexadecimal serial")
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", self.client_crt)
        self.assert_refused(["ca", "revoke", "--dir", self.ca, "--cert", self.client_crt],
                            "is already revoked")

    def test_missing_or_non_ca_directory(self):
        self.assert_refused(["ca", "issue", "--dir", "missing", "--client", "x"],
                            "missing is not a CA directory (it does not exist)")
        self.assert_refused(["ca", "list", "--dir", self.dir], "is not a CA directory")
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--out-dir", "nowhere"],
                            "directory nowhere does not exist")

    def test_read_only_output_directory(self):
        read_only = self.dir / "read-only"
        read_only.mkdir()
        read_only.chmod(0o555)
        self.dir.chmod(0o755)
        self.ca.chmod(0o755)
        for path in self.ca.rglob("*"):
            path.chmod(0o777 if path.is_dir() else 0o666)
        nobody = Unprivileged(self)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "carol", "--out-dir",
                             read_only], "is not writable", prefix=nobody.prefix,
                            program=nobody.program)
        self.assertNotIn("carol", self.tlshop("ca", "list", "--dir", self.ca).stdout)

    def test_read_only_ca_directory(self):
        self.dir.chmod(0o755)
        self.ca.chmod(0o555)
        for path in self.ca.rglob("*"):
            path.chmod(0o555 if path.is_dir() else 0o444)
        out = self.dir / "out"
        out.mkdir(mode=0o777)
        out.chmod(0o777)
        nobody = Unprivileged(self)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "dave", "--out-dir", out],
                            "cannot lock", prefix=nobody.prefix, program=nobody.program)
        self.assertEqual(list(out.iterdir()), [])

    def test_existing_outputs_are_never_overwritten(self):
        before = self.client_key.read_text()
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "alice", "--out-dir", self.dir],
                            "alice.key already exists")
        self.assertEqual(self.client_key.read_text(), before)

    def test_init_refuses_an_existing_ca(self):
        self.assert_refused(["ca", "init", "--dir", self.ca], "already holds a CA")

    def test_usage_errors(self):
        # Every mistake on the command line exits 2, as the help says.
        self.assert_refused(["ca", "issue", "--dir", self.ca],
                            "exactly one of --server NAME or --client NAME", code=2)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--key-type", "dsa"],
                            "unknown key type 'dsa'", code=2)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--server", "x", "--san", "FTP:x"],
                            "subjectAltName kind 'FTP' is not supported", code=2)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--days", "9999"],
                            "--days: Value 9999 not in range 1 to 825", code=2)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--days", "0"],
                            "--days: Value 0 not in range 1 to 825", code=2)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--days", "many"],
                            "--days", code=2)
        self.assert_refused(["ca", "revoke", "--dir", self.ca, "--cert", self.client_crt, "--reason",
                             "boredom"], "unknown revocation reason 'boredom'", code=2)
        self.assert_refused(["ca", "sign", "--dir", self.ca, "--csr", "x", "--profile", "admin",
                             "--out", "x.crt"], "--profile must be server or client", code=2)
        self.assert_refused(["ca", "frobnicate"], "unknown command 'frobnicate'", code=2)
        self.assert_refused(["ca"], "ca needs a command: init, issue", code=2)
        self.assert_refused(["frobnicate"], "unknown command 'frobnicate'", code=2)
        self.assert_refused(["ca", "list", "--dir", self.ca, "stray"], "not expected: stray", code=2)
        self.assert_refused(["ca", "issue", "--dir", self.ca, "--client", "x", "--out-dir", self.dir,
                             "stray"], "not expected: stray", code=2)

    def test_an_empty_password_file(self):
        (self.dir / "empty").write_text("")
        self.assert_refused(["ca", "export-p12", "--cert", self.client_crt, "--key", self.client_key,
                             "--out", "a.p12", "--password-file", "empty"], "password file empty is empty")


if __name__ == "__main__":
    unittest.main()
