"""Prints MODULE:CLASS for every test class in the *_test.py files of a directory: each
class that has test methods, its own or inherited from a class of the same file. CMake
registers one ctest entry per line, so a new test class cannot be left out."""

import ast
import sys
from pathlib import Path


def test_classes(path):
    tree = ast.parse(path.read_text(), str(path))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}

    def has_tests(node, seen=()):
        if any(isinstance(item, ast.FunctionDef) and item.name.startswith("test")
               for item in node.body):
            return True
        bases = [base.id for base in node.bases if isinstance(base, ast.Name)]
        return any(base in classes and base not in seen and has_tests(classes[base], (*seen, base))
                   for base in bases)

    return [name for name, node in classes.items() if has_tests(node)]


def main(directory):
    for path in sorted(Path(directory).glob("*_test.py")):
        for name in test_classes(path):
            print(f"{path.stem}:{name}")


if __name__ == "__main__":
    main(sys.argv[1])
