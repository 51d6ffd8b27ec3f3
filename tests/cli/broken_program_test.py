"""Tests of the tests: run against a deliberately broken tlshop, a test must fail for the
reason its name gives. Each break is a wrapper that passes every command to the real
program but the one it breaks."""

import os
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from harness import TLSHOP

HERE = Path(__file__).resolve().parent


class TestsCatchBrokenPrograms(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="tlshop-broken-"))
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", str(self.dir)]))

    def broken(self, command, script):
        """A tlshop whose `command` runs the shell script instead."""
        wrapper = self.dir / "tlshop"
        wrapper.write_text(f'#!/bin/sh\nif [ "$1" = {command} ]; then\n{script}\nfi\n'
                           f'exec "{Path(TLSHOP).resolve()}" "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        return wrapper

    def run_against(self, program, module, name):
        return subprocess.run([sys.executable, HERE / "run_test_class.py", module, name],
                              cwd=HERE, env=dict(os.environ, TLSHOP_BIN=str(program)),
                              capture_output=True, text=True, timeout=300)

    def test_a_menu_that_asks_for_the_user_and_quits_fails_the_menu_test(self):
        program = self.broken("shop", '  printf "User: "; exit 0')
        result = self.run_against(program, "shop_test", "InteractiveMenu")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("the program ended before printing 'Password: '", result.stderr)

    def test_a_server_whose_flushes_do_nothing_fails_the_flush_test(self):
        # Every order still survives kill -9 (the page cache keeps it); only the flush
        # test can tell.
        shim = os.environ["NO_SYNC_SHIM"]
        program = self.broken("serve", f'  export LD_PRELOAD="{shim}" ASAN_OPTIONS=verify_asan_link_order=0')
        result = self.run_against(program, "shop_test", "FlushBeforeAcknowledgement")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("an order was acknowledged before the database was flushed", result.stderr)

    def test_a_server_that_writes_100_kib_to_stderr_does_not_stall_the_harness(self):
        # More than a pipe holds: a harness that never read the server's stderr would
        # see the server block before it listens.
        program = self.broken("serve", '  head -c 102400 /dev/zero | tr "\\0" x >&2')
        result = self.run_against(program, "server_interop_test", "PythonSslClient")
        self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    unittest.main()
