#!/usr/bin/env python3
"""Fails if docs/openapi.yaml or docs/protocol.md and src/api/routes.hpp disagree on the paths."""

import re
import sys
from pathlib import Path


def main(root):
    root = Path(root)
    routes = set(re.findall(r'= "(/[^"]*)";', (root / "src/api/routes.hpp").read_text()))
    openapi = set(re.findall(r"(?m)^  (/\S*):$", (root / "docs/openapi.yaml").read_text()))
    protocol = (root / "docs/protocol.md").read_text()
    problems = []
    problems += [f"openapi.yaml lacks {r}" for r in sorted(routes - openapi)]
    problems += [f"openapi.yaml has {p}, which is no route of routes.hpp" for p in sorted(openapi)
                 if not any(p == r or p.startswith(r + "/{") or p.startswith(r + "/") for r in routes)]
    problems += [f"protocol.md does not describe {r}" for r in sorted(routes) if f" {r}" not in protocol]
    for problem in problems:
        print(problem)
    print(f"api docs check: {len(routes)} routes, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
