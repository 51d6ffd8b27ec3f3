"""Shared helpers for tests that run the tlshop program as a user would."""

import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

TLSHOP = os.environ.get("TLSHOP_BIN", "tlshop")
# Built with the sanitizers: what it builds only links into programs that use them too.
SANITIZED = os.environ.get("TLSHOP_SANITIZED") == "1"
OPENSSL = shutil.which("openssl") or "openssl"


def files_under(path):
    """Every file below path, relative to it, for checking that nothing was left behind."""
    return sorted(str(p.relative_to(path)) for p in Path(path).rglob("*"))


class CliTestCase(unittest.TestCase):
    """Each test gets its own working directory, removed afterwards."""

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="tlshop-cli-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def run_tool(self, args, expect=0, prefix=(), input_text=None):
        result = subprocess.run(
            [*prefix, *[str(a) for a in args]],
            cwd=self.dir, capture_output=True, text=True, input=input_text, timeout=120,
        )
        if expect is not None:
            self.assertEqual(result.returncode, expect,
                             f"{args} exited {result.returncode}\nstdout: {result.stdout}\n"
                             f"stderr: {result.stderr}")
        return result

    def tlshop(self, *args, expect=0, prefix=(), program=TLSHOP):
        return self.run_tool([program, *args], expect=expect, prefix=prefix)

    def openssl(self, *args, expect=0, input_text=None):
        return self.run_tool([OPENSSL, *args], expect=expect, input_text=input_text)

    def make_ca(self, name="ca", *extra):
        self.tlshop("ca", "init", "--dir", self.dir / name, *extra)
        return self.dir / name

    def issue(self, ca, kind, name, *extra):
        self.tlshop("ca", "issue", "--dir", ca, f"--{kind}", name, "--out-dir", self.dir, *extra)
        return self.dir / f"{name}.crt", self.dir / f"{name}.key"

    def assert_refused(self, args, expected_message, prefix=(), program=TLSHOP, code=None):
        """The command fails (with `code`, if given) with one line on stderr naming the
        problem and writes no file."""
        before = files_under(self.dir)
        result = self.tlshop(*args, expect=None, prefix=prefix, program=program)
        self.assertNotEqual(result.returncode, 0, f"{args} succeeded: {result.stdout}")
        if code is not None:
            self.assertEqual(result.returncode, code, f"{args}: {result.stderr}")
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, f"expected one line on stderr, got: {result.stderr!r}")
        self.assertTrue(lines[0].startswith("tlshop: "), lines[0])
        self.assertIn(expected_message, lines[0])
        self.assertEqual(files_under(self.dir), before, "a refused command changed files")
        return lines[0]
