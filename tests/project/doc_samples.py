"""Writes the C++ samples of the given Markdown files into one C++ file, so the build
compiles them against the library as it is: a sample that no longer compiles fails the
build. Each ```cpp block is a sequence of statements, after any #include lines, and
becomes the body of a function of its own.

Usage: doc_samples.py OUTPUT.cpp DOCUMENT.md...
"""

import re
import sys
from pathlib import Path

BLOCK = re.compile(r"^```cpp\n(.*?)^```", re.S | re.M)


def samples(document):
    text = Path(document).read_text()
    for found in BLOCK.finditer(text):
        line = text[:found.start()].count("\n") + 2
        yield line, found.group(1)


def main(output, documents):
    includes, functions = [], []
    for document in documents:
        for line, code in samples(document):
            body = []
            for text in code.splitlines():
                (includes if text.startswith("#include") else body).append(text)
            name = re.sub(r"\W", "_", Path(document).stem) + f"_line_{line}"
            functions.append(f'#line {line} "{document}"\n[[maybe_unused]] static void {name}() {{\n'
                             + "\n".join(body) + "\n}\n")
    if not functions:
        print("no C++ samples found", file=sys.stderr)
        return 1
    unique = list(dict.fromkeys(includes))
    Path(output).write_text("// Generated from the documents' samples; do not edit.\n"
                            + "\n".join(unique) + "\n\n" + "\n".join(functions))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
