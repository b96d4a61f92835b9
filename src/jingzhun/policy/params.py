"""Dated, regional parameters: load and validate ``parameters/**.yaml``, resolve a value for a region and date.

A file holds one parameter (``values`` / ``regions``) or a small group of them (``parameters``), in the
OpenFisca habit: ``description`` (zh, en), ``metadata`` (``unit``, ``reference``, ``default``,
``date_assumed``, optional ``breakdown``), values keyed by ISO date, ``null`` to repeal. ``values`` is the
national level; ``regions`` maps GB/T 2260 codes (province, city, county) to their own dated values.

Resolution (POLICY.md §0): county → city → province → national; the first level whose latest value on or
before the date is not ``null`` wins. No value anywhere is :class:`MissingParameter` ("无参数"), never zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path

from jingzhun.policy import regions

Value = Fraction | int | bool | Mapping[str, "Value"]

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"


class ParameterFileError(ValueError):
    """Every problem found in the parameter files, each as ``file: key: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("参数文件有误 (invalid parameter files):\n" + "\n".join(problems))
        self.problems = problems


class MissingParameter(LookupError):
    """No value in force at any level: an error for the household, never a zero."""

    def __init__(self, name: str, region: str, at: dt.date) -> None:
        super().__init__(f"无参数: {name}, {region}, {at.isoformat()}")
        self.name, self.region, self.at = name, region, at


@dataclass(frozen=True)
class Entry:
    """One dated value of one level; ``value is None`` repeals."""

    start: dt.date
    value: Value | None
    default: bool
    date_assumed: bool
    reference: str


@dataclass(frozen=True)
class Parameter:
    name: str
    file: str
    description_zh: str
    description_en: str
    unit: str
    reference: str
    breakdown: tuple[str, ...]
    series: Mapping[str, tuple[Entry, ...]]


@dataclass(frozen=True)
class Resolved:
    """A value and where it came from: the date it took effect and the region level that holds it."""

    name: str
    value: Value
    since: dt.date
    region: str
    level: str
    default: bool
    date_assumed: bool
    reference: str

    def leaf(self, *keys: str) -> Value:
        value: Value = self.value
        for key in keys:
            assert isinstance(value, Mapping)
            value = value[key]
        return value


@dataclass
class ParameterTree:
    parameters: dict[str, Parameter]
    warnings: list[str] = field(default_factory=list)

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def get(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise KeyError(f"未知参数 (unknown parameter): {name}") from None

    def resolve(self, name: str, region: str, at: dt.date) -> Resolved:
        parameter = self.get(name)
        for code in regions.chain(region):
            entry = in_force(parameter.series.get(code, ()), at)
            if entry is not None and entry.value is not None:
                return Resolved(
                    name=name,
                    value=entry.value,
                    since=entry.start,
                    region=code,
                    level=regions.level_of(code),
                    default=entry.default,
                    date_assumed=entry.date_assumed,
                    reference=entry.reference,
                )
        raise MissingParameter(name, region, at)

    def resolve_or_none(self, name: str, region: str, at: dt.date) -> Resolved | None:
        try:
            return self.resolve(name, region, at)
        except MissingParameter:
            return None

    def change_dates(self, name: str) -> list[dt.date]:
        return sorted({e.start for entries in self.get(name).series.values() for e in entries})


def in_force(entries: tuple[Entry, ...], at: dt.date) -> Entry | None:
    """The latest entry starting on or before ``at`` (entries are ascending)."""
    found = None
    for entry in entries:
        if entry.start > at:
            break
        found = entry
    return found


def load_parameters(directory: Path | None = None) -> ParameterTree:
    """Load and validate every file; raise :class:`ParameterFileError` listing all problems at once."""
    if directory is None:
        return _default_tree()
    return _load(directory)


@cache
def _default_tree() -> ParameterTree:
    return _cached_load(PARAMETERS_DIR)


# the modules whose code decides what a parameter file loads to: their text is part of the cache key
_LOADER_MODULES = ("params.py", "params_load.py", "money.py", "regions.py")


def _cached_load(directory: Path) -> ParameterTree:
    """The validated tree, from a pickle of it when one was written for exactly these files and this
    loader (parsing the YAML costs a command ≈ 30 ms of its start; reading the pickle ≈ 1 ms).

    The cache key is a SHA-256 of every parameter file's path and content, of the loading modules'
    source and of the Python version — any edit gives a new key. The pickle lives in the user's cache
    directory (``JINGZHUN_CACHE_DIR``, else ``$XDG_CACHE_HOME/jingzhun`` or ``~/.cache/jingzhun``); an
    empty ``JINGZHUN_CACHE_DIR`` switches it off. Only a tree that passed validation is written; any
    failure to read or write it falls back to loading the files."""
    import os

    base = os.environ.get("JINGZHUN_CACHE_DIR")
    if base == "":
        return _load(directory)
    try:
        import hashlib
        import pickle
        import sys

        digest = hashlib.sha256(sys.version.encode())
        for code in _LOADER_MODULES:
            digest.update((Path(__file__).resolve().parent / code).read_bytes())
        for path in sorted(directory.rglob("*.yaml")):
            digest.update(b"\0" + path.relative_to(directory).as_posix().encode() + b"\0" + path.read_bytes())
        home = base or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        target = Path(home) / ("" if base else "jingzhun") / f"parameters-{digest.hexdigest()[:32]}.pickle"
    except (OSError, RuntimeError):
        return _load(directory)
    try:
        found = pickle.loads(target.read_bytes())
        if isinstance(found, ParameterTree):
            return found
    except Exception:  # a missing, partial or foreign cache file is only a cache miss
        pass
    tree = _load(directory)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        partial.write_bytes(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, target)
    except (OSError, pickle.PicklingError):
        pass
    return tree


def _load(directory: Path) -> ParameterTree:
    from jingzhun.policy.params_load import load_tree

    return load_tree(directory)
