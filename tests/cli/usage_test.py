"""Mistakes on the command line: exit 2, one line that names the mistake and what was
meant, help that lists only the exit codes a command can return, and an administrator
who mistypes the data directory gets an error, not a new empty shop."""

import shutil
import unittest

from ca_bad_input_test import Unprivileged
from harness import CliTestCase

LOCAL_CODES = "Exit codes: 0 done, 1 error, 2 bad command line.\n"


class CommandLineMistakes(CliTestCase):
    def test_a_misspelt_command_is_named_with_the_one_meant(self):
        self.assert_refused(["ca", "isue"], "unknown command 'isue'; did you mean issue?", code=2)
        self.assert_refused(["admin", "usr"], "unknown command 'usr'; did you mean user?", code=2)
        self.assert_refused(["ca", "frobnicate"], "unknown command 'frobnicate' (see tlshop ca --help)",
                            code=2)

    def test_a_misspelt_option_is_named_with_the_one_meant(self):
        self.assert_refused(["hello", "--sever", "x:1"],
                            "tlshop hello has no option --sever; did you mean --server?", code=2)
        # The misspelling is the mistake, not the required option it failed to give.
        line = self.assert_refused(["admin", "user", "add", "bob", "--pasword-file", "pw"],
                                   "did you mean --password-file?", code=2)
        self.assertIn("tlshop admin user add has no option --pasword-file", line)
        self.assert_refused(["ca", "issue", "--dri", "ca", "--client", "x"],
                            "did you mean --dir?", code=2)
        line = self.assert_refused(["ca", "list", "--frobnicate"], "has no option --frobnicate", code=2)
        self.assertNotIn("did you mean", line)

    def test_help_lists_only_the_exit_codes_a_command_can_return(self):
        for command in (["ca", "issue"], ["ca"], ["admin", "user", "add"], ["serve"]):
            help_text = self.tlshop(*command, "--help").stdout
            self.assertTrue(help_text.endswith(LOCAL_CODES), f"{command}: {help_text[-200:]!r}")
        for command in (["hello"], ["buy"], []):
            help_text = self.tlshop(*command, "--help").stdout
            self.assertIn("3 server unreachable", help_text, command)


class AdminDataDirectory(CliTestCase):
    def setUp(self):
        super().setUp()
        (self.dir / "pw").write_text("a long enough password\n")

    def test_a_missing_data_directory_is_refused_and_not_created(self):
        self.assert_refused(["admin", "--data-dir", "nosuchdir", "user", "add", "bob",
                             "--password-file", "pw"],
                            "no shop in nosuchdir: give the server's --data-dir or --config, or make "
                            "a new shop with 'tlshop admin --data-dir nosuchdir init'", code=1)
        self.assertFalse((self.dir / "nosuchdir").exists())

    def test_init_makes_a_shop_once_with_the_default_catalog(self):
        self.assertEqual(self.tlshop("admin", "--data-dir", "shop", "init").stdout,
                         "made a shop in shop\n")
        self.assertEqual((self.dir / "shop").stat().st_mode & 0o777, 0o700)
        self.assert_refused(["admin", "--data-dir", "shop", "init"], "shop already holds a shop")
        self.tlshop("admin", "--data-dir", "shop", "user", "add", "bob", "--password-file", "pw")
        # The default catalog is there: restocking one of its items works.
        self.assertIn("401 has", self.tlshop("admin", "--data-dir", "shop", "item", "restock", "401",
                                             "1").stdout)

    def test_a_data_directory_this_user_cannot_use_is_named(self):
        locked = self.dir / "locked"
        locked.mkdir(mode=0o700)
        self.dir.chmod(0o755)
        user = Unprivileged(self)  # as root: nobody, for whom locked is out of reach
        if not user.prefix:
            locked.chmod(0)
            self.addCleanup(locked.chmod, 0o700)
        message = "the data directory locked cannot be read and written by this user"
        self.assert_refused(["admin", "--data-dir", "locked", "user", "add", "bob",
                             "--password-file", "pw"], message, prefix=user.prefix,
                            program=user.program)
        ca = self.make_ca()
        crt, key = self.issue(ca, "server", "localhost")
        if user.prefix:
            for path in (ca, ca / "ca-chain.crt", crt, key):
                shutil.chown(path, "nobody", "nogroup")
        self.assert_refused(["serve", "--cert", crt, "--key", key, "--ca", ca / "ca-chain.crt",
                             "--listen", "127.0.0.1:0", "--data-dir", "locked"], message,
                            prefix=user.prefix, program=user.program)


if __name__ == "__main__":
    unittest.main()
