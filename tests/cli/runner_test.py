"""The ctest runner of tests/cli and its discovery of test classes: a class without a
test fails, a class whose tests are all skipped says so with exit 77, and every class
with tests, own or inherited, is found."""

import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent

SAMPLE = textwrap.dedent("""
    import unittest

    class Empty(unittest.TestCase):
        def helper(self):
            pass

    class Passing(unittest.TestCase):
        def test_one(self):
            self.assertTrue(True)

    class Inherits(Passing):
        pass

    class AllSkipped(unittest.TestCase):
        def test_needs_a_tool(self):
            self.skipTest("no such tool")

    class Failing(unittest.TestCase):
        def test_one(self):
            self.assertEqual(1, 2)
""")


class Runner(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="tlshop-runner-"))
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", str(self.dir)]))
        (self.dir / "sample_test.py").write_text(SAMPLE)

    def run_class(self, name):
        return subprocess.run([sys.executable, HERE / "run_test_class.py", "sample_test", name],
                              cwd=self.dir, capture_output=True, text=True)

    def test_exit_codes(self):
        self.assertEqual(self.run_class("Passing").returncode, 0)
        self.assertEqual(self.run_class("Inherits").returncode, 0)
        self.assertEqual(self.run_class("Failing").returncode, 1)
        empty = self.run_class("Empty")
        self.assertEqual(empty.returncode, 1)
        self.assertIn("no test ran", empty.stderr)
        skipped = self.run_class("AllSkipped")
        self.assertEqual(skipped.returncode, 77)
        self.assertIn("no such tool", skipped.stdout)

    def test_discovery_finds_every_class_with_tests(self):
        listed = subprocess.run([sys.executable, HERE / "list_test_classes.py", self.dir],
                                capture_output=True, text=True, check=True).stdout.split()
        self.assertEqual(sorted(listed), ["sample_test:AllSkipped", "sample_test:Failing",
                                          "sample_test:Inherits", "sample_test:Passing"])


if __name__ == "__main__":
    unittest.main()
