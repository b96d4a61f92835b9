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
    groups = [sorted(short[m] for m in group) for group in _cycles(edges)]
    print("cycles (packages that reach each other):", "; ".join("{" + ", ".join(g) + "}" for g in groups) or "none")
    return 0


def _cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected groups of more than one package (each reaches every other through imports)."""
    reach = {name: _reachable(edges, name) for name in edges}
    groups: list[set[str]] = []
    for name in sorted(edges):
        group = {other for other in reach[name] if name in reach.get(other, set())} | {name}
        if len(group) > 1 and group not in groups:
            groups.append(group)
    return groups


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen


if __name__ == "__main__":
    sys.exit(main())
