"""Runs one test class, as `python -m unittest MODULE.CLASS -v` would, but fails when the
class ran no test at all, and exits 77 (ctest's skip, with the reasons printed) when every
test it has was skipped."""

import os
import sys
import unittest

SKIPPED = 77


def main(module, name):
    sys.path.insert(0, os.getcwd())  # the test modules, where the caller runs this
    suite = unittest.defaultTestLoader.loadTestsFromName(f"{module}.{name}")
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stderr).run(suite)
    if result.testsRun == 0:
        print(f"{module}.{name}: no test ran", file=sys.stderr)
        return 1
    if not result.wasSuccessful():
        return 1
    if len(result.skipped) == result.testsRun:
        for test, reason in result.skipped:
            print(f"skipped {test.id()}: {reason}")
        return SKIPPED
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
