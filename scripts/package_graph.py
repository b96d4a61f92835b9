"""Print jingzhun's package graph: one line per top-level package, what it imports (grimp, which
import-linter uses, so function-level imports count too), then the cycles between packages."""

from __future__ import annotations

import itertools
import sys

import grimp


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def main() -> int:
    graph = grimp.build_graph("jingzhun", include_external_packages=False)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        src = package_of(module)
        edges.setdefault(src, set())
        for imported in graph.find_modules_directly_imported_by(module):
            dst = package_of(imported)
            if dst != src:
                edges[src].add(dst)
    short = {name: name.removeprefix("jingzhun.") for name in edges}
    for name in sorted(edges):
        print(f"{short[name]:<20} → {', '.join(sorted(short.get(d, d) for d in edges[name])) or '—'}")
    cycles = [
        (a, b) for a, b in itertools.combinations(sorted(edges), 2) if b in edges[a] and a in edges[b]
    ]
    print("two-way pairs:", ", ".join(f"{short[a]}↔{short[b]}" for a, b in cycles) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
