"""tlshop-gui against a real server: the Qt Test program of tests/gui, on Qt's offscreen
platform, run here because it needs the server, certificates and user this starts."""

import os
import subprocess
import unittest

from shop_test import PASSWORD, ShopTestCase


class GuiWindow(ShopTestCase):
    def setUp(self):
        super().setUp()
        other = self.make_ca("other-ca")
        self.issue(other, "client", "mallory")
        self.issue(self.ca, "client", "bob")
        self.tlshop("ca", "revoke", "--dir", self.ca, "--cert", "bob.crt")
        self.server.kill()
        self.server = self.start_server()  # with the CRL that lists bob
        (self.dir / "p12.pw").write_text("p12 secret\n")
        self.tlshop("ca", "export-p12", "--cert", "alice.crt", "--key", "alice.key", "--out",
                    "alice.p12", "--password-file", "p12.pw")
        self.env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                        TLSHOP_TEST_SERVER=f"localhost:{self.server.port}",
                        TLSHOP_TEST_DIR=str(self.dir), TLSHOP_TEST_CA=str(self.ca / "root.crt"),
                        TLSHOP_TEST_OTHER_CA=str(other / "root.crt"),
                        TLSHOP_TEST_SERVER_PIN=self.pin_of("localhost"),
                        TLSHOP_TEST_OTHER_PIN=self.pin_of("alice"),
                        TLSHOP_TEST_PASSWORD=PASSWORD, TLSHOP_TEST_P12_PASSWORD="p12 secret",
                        XDG_CONFIG_HOME=str(self.dir / "config"))

    def test_the_window_shops_sends_messages_and_refuses_in_words(self):
        result = subprocess.run([os.environ["GUI_TESTS"]], cwd=self.dir, env=self.env,
                                capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"Totals: 12 passed, 0 failed, 0 skipped")


if __name__ == "__main__":
    unittest.main()
