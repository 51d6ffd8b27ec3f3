#!/usr/bin/env python3
"""Fails if a source folder includes from a layer above it (see DESIGN.md: dependencies point down)."""

import re
import sys
from pathlib import Path

# Each layer and the layers it may include from. A new layer folder must be added here.
ALLOWED = {
    "base": set(),
    "pki": {"base"},
    "ca": {"base", "pki"},
    "tls": {"base", "pki"},
    "net": set(),
    "shop": {"base"},
    "store": {"base", "shop"},
    "api": {"base", "shop"},
    "server": {"base", "pki", "tls", "net", "shop", "store", "api"},
    "client": {"base", "pki", "tls", "net", "api"},
    "bench": {"base", "pki", "tls", "net", "api", "client"},
    "cli": {"base", "pki", "ca", "tls", "net", "shop", "store", "api", "server", "client", "bench"},
    "gui": {"base", "pki", "tls", "shop", "api", "client"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([^"]*)"', re.MULTILINE)


def public_header_layers(source_root):
    """The public headers (LAYER/include/tlshop/...) by the name they are included as."""
    return {
        str(header.relative_to(layer_dir / "include")): layer_dir.name
        for layer_dir in Path(source_root).iterdir()
        for header in (layer_dir / "include").rglob("*.hpp")
    }


def main(source_root):
    problems = []
    public = public_header_layers(source_root)
    for layer_dir in sorted(p for p in Path(source_root).iterdir() if p.is_dir()):
        layer = layer_dir.name
        if layer not in ALLOWED:
            problems.append(f"{layer_dir}: unknown layer; add it to {__file__}")
            continue
        for source in sorted(layer_dir.rglob("*.[ch]pp")):
            for folder, rest in INCLUDE.findall(source.read_text()):
                target = public.get(f"{folder}/{rest}", folder)
                if target != layer and target not in ALLOWED[layer]:
                    problems.append(f"{source}: {layer}/ must not include from {target}/")
    for problem in problems:
        print(problem)
    print(f"layer check: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
