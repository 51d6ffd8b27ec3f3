#!/usr/bin/env python3
"""Fails if a test named by docs/security.md's promise table or by a deliberate break in
tests/breaks no longer exists, if a table row names no test, or if a break no longer
applies to the source (so the table and the breaks cannot drift from the tests).

Names: `cli.Class` or `cli.Class.test_method` for tests/cli/*_test.py,
`layer.Suite.Name` for TEST, TEST_F or TEST_P(Suite, Name) in tests/layer/*.cpp, and
`fuzz.target` for fuzz/target.cpp."""

import re
import subprocess
import sys
from pathlib import Path


def python_tests(root):
    tests = set()
    for path in (root / "tests/cli").glob("*_test.py"):
        current = None
        for line in path.read_text().splitlines():
            if found := re.match(r"class (\w+)\(", line):
                current = found.group(1)
                tests.add(f"cli.{current}")
            elif (found := re.match(r"    def (test_\w+)", line)) and current:
                tests.add(f"cli.{current}.{found.group(1)}")
    return tests


def gtest_tests(root):
    tests = set()
    for path in (root / "tests").glob("*/*.cpp"):
        layer = path.parent.name
        for suite, name in re.findall(r"\bTEST(?:_F|_P)?\((\w+),\s*(\w+)\)", path.read_text()):
            tests.add(f"{layer}.{suite}.{name}")
    return tests


def promise_rows(root):
    text = (root / "docs/security.md").read_text()
    section = text.split("## Each promise and the test that proves it", 1)
    if len(section) != 2:
        return None
    rows = re.findall(r"(?m)^\| (?!promise \|)(?!---)(.+?) \| (.*) \|$", section[1])
    return [(promise, re.findall(r"`([a-z]+\.[\w.]+)`", proof)) for promise, proof in rows]


def break_headers(patch):
    text = patch.read_text()
    what = re.search(r"(?m)^Break: (.+)$", text)
    test = re.search(r"(?m)^Test: (\S+)$", text)
    return (what.group(1) if what else None), (test.group(1) if test else None)


def main(root):
    root = Path(root)
    fuzz_targets = {f"fuzz.{path.stem}" for path in (root / "fuzz").glob("*.cpp")
                    if "LLVMFuzzerTestOneInput(const" in path.read_text()
                    and "int main(" not in path.read_text()}
    known = python_tests(root) | gtest_tests(root) | fuzz_targets
    problems = []
    rows = promise_rows(root)
    if not rows:
        problems.append("docs/security.md has no promise table")
    for promise, tests in rows or []:
        if not tests:
            problems.append(f"the promise '{promise}' names no test")
        problems += [f"'{promise}': no test {t}" for t in tests if t not in known]
    patches = sorted((root / "tests/breaks").glob("*.patch"))
    for patch in patches:
        what, test = break_headers(patch)
        if not what or not test:
            problems.append(f"{patch.name}: needs 'Break:' and 'Test:' lines")
        elif test not in known:
            problems.append(f"{patch.name}: no test {test}")
        applies = subprocess.run(["git", "apply", "--check", str(patch)], cwd=root,
                                 capture_output=True, text=True)
        if applies.returncode != 0:
            problems.append(f"{patch.name} no longer applies: {applies.stderr.strip()}")
    for problem in problems:
        print(problem)
    print(f"promises check: {len(rows or [])} promises, {len(patches)} breaks, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
