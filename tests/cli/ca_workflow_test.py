"""The CA as its users drive it: CSRs, listing, inspecting, verifying, encrypted keys, many at once."""

import base64
import json
import re
import subprocess
import unittest
from concurrent.futures import ThreadPoolExecutor

from harness import TLSHOP, CliTestCase


def tamper_pem(pem_text, old, new):
    """Changes bytes inside a PEM body, keeping it well-formed base64."""
    lines = pem_text.strip().splitlines()
    der = base64.b64decode("".join(lines[1:-1]))
    assert old in der
    der = der.replace(old, new, 1)
    body = base64.encodebytes(der).decode()
    return f"{lines[0]}\n{body}{lines[-1]}\n"


class CsrFlow(CliTestCase):
    def setUp(self):
        super().setUp()
        self.ca = self.make_ca()

    def test_tlshop_csr_then_sign(self):
        self.tlshop("ca", "csr", "--name", "api.shop.test", "--san", "DNS:api.shop.test",
                    "--san", "IP:10.1.2.3", "--key-out", "api.key", "--csr-out", "api.csr")
        self.assertEqual((self.dir / "api.key").stat().st_mode & 0o777, 0o600)
        self.tlshop("ca", "sign", "--dir", self.ca, "--csr", "api.csr", "--profile", "server",
                    "--out", "api.crt")
        text = self.openssl("x509", "-in", "api.crt", "-noout", "-text").stdout
        self.assertIn("DNS:api.shop.test, IP Address:10.1.2.3", text)
        self.assertRegex(text, r"Extended Key Usage:\s+TLS Web Server Authentication")
        modulus_key = self.openssl("pkey", "-in", "api.key", "-pubout").stdout
        modulus_crt = self.openssl("x509", "-in", "api.crt", "-noout", "-pubkey").stdout
        self.assertEqual(modulus_key, modulus_crt)

    def test_a_csr_asking_for_ca_true_and_other_ekus_gets_the_profile_only(self):
        self.openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", "evil.key", "-out", "evil.csr", "-subj", "/CN=evil.example",
                     "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                     "-addext", "extendedKeyUsage=codeSigning,serverAuth",
                     "-addext", "subjectAltName=DNS:evil.example")
        self.tlshop("ca", "sign", "--dir", self.ca, "--csr", "evil.csr", "--profile", "client",
                    "--out", "evil.crt", "--days", "30")
        text = self.openssl("x509", "-in", "evil.crt", "-noout", "-text").stdout
        self.assertRegex(text, r"Basic Constraints: critical\s+CA:FALSE")
        self.assertNotIn("Certificate Sign", text)
        self.assertNotIn("Code Signing", text)
        self.assertRegex(text, r"Extended Key Usage:\s+TLS Web Client Authentication\n")

    def test_a_tampered_csr_is_refused(self):
        self.tlshop("ca", "csr", "--name", "mallory", "--key-out", "m.key", "--csr-out", "m.csr")
        tampered = tamper_pem((self.dir / "m.csr").read_text(), b"mallory", b"admin00")
        (self.dir / "m.csr").write_text(tampered)
        self.assert_refused(["ca", "sign", "--dir", self.ca, "--csr", "m.csr", "--profile", "client",
                             "--out", "m.crt"], "signature does not verify")
        self.assertEqual(json.loads(self.tlshop("ca", "list", "--dir", self.ca, "--json").stdout), [])

    def test_a_weak_rsa_key_is_refused(self):
        self.openssl("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key",
                     "-out", "weak.csr", "-subj", "/CN=weak.example")
        self.assert_refused(["ca", "sign", "--dir", self.ca, "--csr", "weak.csr", "--profile",
                             "server", "--out", "weak.crt"], "shorter than 2048 bits")


class ListInspectVerify(CliTestCase):
    def setUp(self):
        super().setUp()
        self.ca = self.make_ca()
        self.server_crt, _ = self.issue(self.ca, "server", "localhost")
        self.client_crt, _ = self.issue(self.ca, "client", "bob")

    def serial_of(self, cert):
        return json.loads(self.tlshop("ca", "inspect", cert, "--json").stdout)["certificates"][0]["serial"]

    def test_list_shows_status_and_profile(self):
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", self.client_crt, "--reason", "superseded")
        rows = json.loads(self.tlshop("ca", "list", "--dir", self.ca, "--json").stdout)
        by_subject = {row["subject"]: row for row in rows}
        self.assertEqual(by_subject["CN=localhost"]["status"], "valid")
        self.assertEqual(by_subject["CN=localhost"]["profile"], "server")
        self.assertEqual(by_subject["CN=bob"]["status"], "revoked")
        self.assertEqual(by_subject["CN=bob"]["revocation_reason"], "superseded")
        table = self.tlshop("ca", "list", "--dir", self.ca).stdout
        self.assertRegex(table, r"SERIAL\s+PROFILE\s+NOT AFTER\s+STATUS\s+SUBJECT")
        self.assertRegex(table, r"client\s+\S+\s+revoked\s+CN=bob")

    def test_inspect_reads_certificates_requests_and_crls(self):
        text = self.tlshop("ca", "inspect", self.server_crt).stdout
        self.assertIn("Subject:              CN=localhost", text)
        self.assertIn("extendedKeyUsage: TLS Web Server Authentication", text)
        crl = json.loads(self.tlshop("ca", "inspect", self.ca / "crl.pem", "--json").stdout)
        self.assertEqual(crl["type"], "crl")
        self.assertEqual(crl["crl_number"], 1)
        self.tlshop("ca", "csr", "--name", "x", "--key-out", "x.key", "--csr-out", "x.csr")
        csr = json.loads(self.tlshop("ca", "inspect", "x.csr", "--json").stdout)
        self.assertEqual((csr["type"], csr["subject"], csr["signature_valid"]),
                         ("certificate_request", "CN=x", True))

    def test_verify_says_valid_or_why_not_in_one_line(self):
        ok = self.tlshop("ca", "verify", "--dir", self.ca, self.server_crt, "--purpose", "server")
        self.assertRegex(ok.stdout, r"^\S+: OK: CN=localhost for server use, valid until \S+\n$")
        wrong = self.tlshop("ca", "verify", "--dir", self.ca, self.server_crt, "--purpose", "client",
                            expect=1)
        self.assertEqual(len(wrong.stdout.splitlines()), 1)
        self.assertIn("INVALID: certificate not for this use (its extended key usage)", wrong.stdout)
        self.tlshop("ca", "revoke", "--dir", self.ca, self.serial_of(self.client_crt))
        revoked = self.tlshop("ca", "verify", "--dir", self.ca, self.client_crt, expect=1)
        self.assertIn("INVALID: certificate revoked", revoked.stdout)

    def test_verify_refuses_a_certificate_from_another_ca(self):
        other = self.make_ca("other", "--name", "Other")
        self.tlshop("ca", "issue", "--dir", other, "--client", "eve", "--out-dir", other)
        result = self.tlshop("ca", "verify", "--dir", self.ca, other / "eve.crt", expect=1)
        self.assertIn("INVALID: not issued by a trusted CA", result.stdout)

    def test_crl_command_publishes_a_higher_number(self):
        self.tlshop("ca", "crl", "--dir", self.ca, "--days", "7")
        self.tlshop("ca", "crl", "--dir", self.ca)
        crl = json.loads(self.tlshop("ca", "inspect", self.ca / "crl.pem", "--json").stdout)
        self.assertEqual(crl["crl_number"], 3)


class EncryptedCaKeys(CliTestCase):
    def test_signing_needs_the_password_file(self):
        (self.dir / "pw").write_text("a long CA passphrase\n")
        (self.dir / "wrong").write_text("not it\n")
        ca = self.make_ca("ca", "--password-file", self.dir / "pw", "--key-type", "ec-p256")
        self.assertIn("ENCRYPTED PRIVATE KEY", (ca / "intermediate.key").read_text())
        self.assertIn("ENCRYPTED PRIVATE KEY", (ca / "root.key").read_text())
        self.assert_refused(["ca", "issue", "--dir", ca, "--client", "a", "--out-dir", self.dir,
                             "--password-file", self.dir / "wrong"], "wrong password for")
        self.assert_refused(["ca", "issue", "--dir", ca, "--client", "a", "--out-dir", self.dir],
                            "is encrypted: give its password with --password-file FILE")
        self.tlshop("ca", "issue", "--dir", ca, "--client", "a", "--out-dir", self.dir,
                    "--password-file", self.dir / "pw")
        self.openssl("pkey", "-in", ca / "intermediate.key", "-passin", "pass:a long CA passphrase",
                     "-noout")


class OtherKeyTypes(CliTestCase):
    def test_ed25519_and_rsa_cas_issue_verifiable_certificates(self):
        for key_type in ("ed25519", "rsa-3072", "ec-p384"):
            ca = self.make_ca(key_type, "--key-type", key_type)
            self.tlshop("ca", "issue", "--dir", ca, "--server", f"{key_type}.test",
                        "--key-type", key_type, "--out-dir", ca)
            self.openssl("verify", "-CAfile", ca / "root.crt", "-untrusted", ca / "intermediate.crt",
                         "-purpose", "sslserver", ca / f"{key_type}.test.crt")
        rsa = self.openssl("x509", "-in", self.dir / "rsa-3072" / "rsa-3072.test.crt", "-noout", "-text").stdout
        self.assertRegex(rsa, r"Key Usage: critical\s+Digital Signature, Key Encipherment")
        p384 = self.openssl("x509", "-in", self.dir / "ec-p384" / "ec-p384.test.crt", "-noout",
                            "-text").stdout
        self.assertIn("NIST CURVE: P-384", p384)
        self.assertIn("Signature Algorithm: ecdsa-with-SHA384", p384)


class IntermediateRotation(CliTestCase):
    def test_rotation_with_an_offline_root(self):
        ca = self.make_ca()
        old_crt, _ = self.issue(ca, "client", "old")
        offline = self.dir / "offline"
        offline.mkdir()
        (ca / "root.key").rename(offline / "root.key")
        self.assert_refused(["ca", "rotate-intermediate", "--dir", ca],
                            "bring the offline root key back")
        (offline / "root.key").rename(ca / "root.key")
        result = self.tlshop("ca", "rotate-intermediate", "--dir", ca)
        self.assertIn("new intermediate CN=tlshop Intermediate CA 2", result.stdout)
        new_crt, _ = self.issue(ca, "client", "new")
        self.tlshop("ca", "revoke", "--dir", ca, "--cert", old_crt)

        for cert, expected in ((old_crt, 2), (new_crt, 0)):
            self.openssl("verify", "-CAfile", ca / "root.crt", "-untrusted", cert, "-purpose",
                         "sslclient", "-crl_check", "-CRLfile", ca / "crl.pem", cert, expect=expected)
        self.assertEqual((ca / "crl.pem").read_text().count("BEGIN X509 CRL"), 2)
        bundle = json.loads(self.tlshop("ca", "inspect", ca / "crl.pem", "--json").stdout)
        self.assertEqual(bundle["type"], "crl_bundle")
        self.assertEqual([len(crl["revoked"]) for crl in bundle["crls"]], [0, 1])


class CrashSafety(CliTestCase):
    def test_killing_issuers_at_random_moments_never_corrupts_the_records(self):
        import random
        import signal
        import time
        ca = self.make_ca()
        rng = random.Random(7)
        for round_number in range(6):
            processes = [subprocess.Popen(
                [TLSHOP, "ca", "issue", "--dir", str(ca), "--client", f"r{round_number}u{i}",
                 "--out-dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for i in range(4)]
            time.sleep(rng.uniform(0.0, 0.03))
            for process in processes:
                process.send_signal(signal.SIGKILL)
            for process in processes:
                process.wait()
        rows = json.loads(self.tlshop("ca", "list", "--dir", ca, "--json").stdout)
        for row in rows:
            self.assertTrue((ca / "issued" / f"{row['serial']}.crt").exists(), row)
        self.tlshop("ca", "issue", "--dir", ca, "--client", "after", "--out-dir", self.dir)
        self.tlshop("ca", "revoke", "--dir", ca, "--cert", self.dir / "after.crt")
        after = json.loads(self.tlshop("ca", "list", "--dir", ca, "--json").stdout)
        self.assertEqual(len(after), len(rows) + 1)
        self.openssl("crl", "-in", ca / "crl.pem", "-CAfile", ca / "ca-chain.crt", "-noout", "-verify")


class ParallelIssuers(CliTestCase):
    def test_parallel_processes_get_distinct_serials_and_consistent_records(self):
        ca = self.make_ca()
        count = 12

        def issue(i):
            return subprocess.run([TLSHOP, "ca", "issue", "--dir", str(ca), "--client", f"user{i}",
                                   "--out-dir", str(self.dir)], capture_output=True, text=True,
                                  timeout=120)

        with ThreadPoolExecutor(max_workers=count) as pool:
            results = list(pool.map(issue, range(count)))
        for result in results:
            self.assertEqual(result.returncode, 0, result.stderr)
        serials = [re.search(r"serial:\s+(\S+)", r.stdout).group(1) for r in results]
        self.assertEqual(len(set(serials)), count)
        rows = json.loads(self.tlshop("ca", "list", "--dir", ca, "--json").stdout)
        self.assertEqual(sorted(row["serial"] for row in rows), sorted(serials))
        self.assertEqual(sorted(row["subject"] for row in rows),
                         sorted(f"CN=user{i}" for i in range(count)))
        leftovers = [p.name for p in ca.rglob("*.tmp")]
        self.assertEqual(leftovers, [])


class FileNames(CliTestCase):
    def test_a_wildcard_name_gives_files_a_shell_need_not_quote(self):
        ca = self.make_ca()
        result = self.tlshop("ca", "issue", "--dir", ca, "--server", "*.shop.example", "--out-dir", self.dir)
        self.assertIn("wildcard.shop.example.key", result.stdout)
        for name in ("wildcard.shop.example.key", "wildcard.shop.example.crt"):
            self.assertTrue((self.dir / name).exists(), name)
        self.assertEqual(list(self.dir.glob("[*]*")), [])
        subject = self.openssl("x509", "-in", self.dir / "wildcard.shop.example.crt", "-noout", "-ext",
                               "subjectAltName").stdout
        self.assertIn("DNS:*.shop.example", subject)


class LeafSubjects(CliTestCase):
    def test_client_certificates_carry_organization_unit_and_extra_names(self):
        ca = self.make_ca()
        crt, _ = self.issue(ca, "client", "carol", "--org", "Example Shop", "--org-unit", "Devices",
                            "--san", "email:carol@shop.example", "--san", "DNS:carol.devices.example")
        subject = self.openssl("x509", "-in", crt, "-noout", "-subject").stdout
        self.assertEqual(subject.strip(), "subject=O = Example Shop, OU = Devices, CN = carol")
        names = self.openssl("x509", "-in", crt, "-noout", "-ext", "subjectAltName").stdout
        self.assertIn("URI:urn:tlshop:client:carol, email:carol@shop.example, "
                      "DNS:carol.devices.example", names)
        self.openssl("verify", "-CAfile", ca / "root.crt", "-untrusted", ca / "intermediate.crt",
                     "-purpose", "sslclient", crt)

    def test_a_client_cannot_be_given_another_clients_name(self):
        ca = self.make_ca()
        self.assert_refused(["ca", "issue", "--dir", ca, "--client", "dave", "--san",
                             "URI:urn:tlshop:client:alice"],
                            "the URI urn:tlshop:client:alice names a tlshop client; it comes from "
                            "--client only")
        self.assert_refused(["ca", "issue", "--dir", ca, "--client", "eve", "--san", "FTP:x"],
                            "'FTP' is not supported (use DNS:, IP:, URI: or email:)", code=2)


class VerifyWithoutTheCa(CliTestCase):
    """What someone holding only the CA's public files can check: from a bundle, and stdin."""

    def setUp(self):
        super().setUp()
        self.ca = self.make_ca()
        self.crt, _ = self.issue(self.ca, "client", "alice")

    def test_verify_against_a_roots_file_and_a_crl(self):
        result = self.tlshop("ca", "verify", "--roots", self.ca / "ca-chain.crt", "--crl",
                             self.ca / "crl.pem", "--purpose", "client", self.crt)
        self.assertIn("OK: CN=alice for client use", result.stdout)
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", self.crt)
        revoked = self.tlshop("ca", "verify", "--roots", self.ca / "root.crt", "--crl",
                              self.ca / "crl.pem", self.crt, expect=1)
        self.assertIn("INVALID: certificate revoked", revoked.stdout)
        other = self.make_ca("other", "--name", "Other")
        foreign = self.tlshop("ca", "verify", "--roots", other / "root.crt", self.crt, expect=1)
        self.assertIn("INVALID: not issued by a trusted CA", foreign.stdout)
        self.assert_refused(["ca", "verify", self.crt], "verify needs --dir CA or --roots FILE",
                            code=2)
        self.assert_refused(["ca", "verify", "--roots", self.crt, self.crt],
                            "holds no root (self-signed) certificate")

    def test_inspect_and_verify_read_standard_input(self):
        pem = self.crt.read_text()
        inspected = self.run_tool([TLSHOP, "ca", "inspect", "-", "--json"], input_text=pem)
        self.assertEqual(json.loads(inspected.stdout)["certificates"][0]["subject"], "CN=alice")
        verified = self.run_tool([TLSHOP, "ca", "verify", "--dir", self.ca, "-"], input_text=pem)
        self.assertIn("OK: CN=alice", verified.stdout)
        garbage = self.run_tool([TLSHOP, "ca", "inspect", "-"], expect=1, input_text="not pem\n")
        self.assertIn("standard input is not a PEM", garbage.stderr)


if __name__ == "__main__":
    unittest.main()
