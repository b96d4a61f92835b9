"""Reading a household document's text safely: size and nesting bounded before parsing, YAML without the
1.1 surprises, duplicate keys refused. Every problem is a Chinese message ending in the English key.

* **Size.** A document larger than ``max_bytes`` is refused before it is parsed.
* **Nesting.** libyaml composes nodes recursively and CPython's ``json`` decodes recursively: a 30 000-deep
  YAML document crashes the process (no message at all), a 1 000-deep JSON one raises ``RecursionError``.
  A cheap upper bound of the depth (flow brackets, block indentation and ``-``/``?`` prefixes) is taken
  first; only when it exceeds ``MAX_DEPTH`` is the exact depth measured from libyaml's event stream (which
  does not recurse), so ordinary documents pay nothing.
* **YAML scalars.** PyYAML's safe loader follows YAML 1.1: ``0100`` is octal 64, ``0x10`` is 16,
  ``1:20`` is sexagesimal 80, ``1200.0`` a float and ``2020-02-30`` a crash in the date constructor. Here
  only YAML 1.2's core ``null`` and ``true``/``false`` and plain decimal integers without a leading zero
  (``0``, ``12``, ``-3``) are resolved; every other plain scalar — dates, ``0100``, ``0x10``, ``1:20``,
  ``1200.0`` — stays text, for the document schema to read (or refuse) by its field's type.
* **Duplicate keys** (``annual_income`` twice in one household) are refused by line, never "last wins".
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

MAX_DEPTH = 64
_STEPS = np.zeros(256, dtype=np.int8)  # +1 for an opening flow bracket, −1 for a closing one
_STEPS[[ord("["), ord("{")]] = 1
_STEPS[[ord("]"), ord("}")]] = -1
_NOT_BRACKETS = bytes(b for b in range(256) if chr(b) not in "[]{}")
MAX_BYTES = 512 * 1024 * 1024


class LoadError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.errors = [message]


def load_text(text: str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """A decoded document (JSON when the text starts with ``{``, else YAML); :class:`LoadError` otherwise."""
    size = len(text.encode("utf-8")) if len(text) * 4 > max_bytes else len(text)
    if size > max_bytes:
        raise LoadError(f"输入文件过大 [INPUT]：{size:,} 字节，上限 {max_bytes:,} 字节")
    is_json = text.lstrip().startswith("{")
    if _depth_bound(text, is_json) > max_depth:
        depth = _json_depth(text) if is_json else _yaml_depth(text)
        if depth > max_depth:
            raise LoadError(f"输入嵌套过深 [INPUT]：{depth} 层，上限 {max_depth} 层")
    return _load_json(text) if is_json else _load_yaml(text)


def _depth_bound(text: str, is_json: bool) -> int:
    """An upper bound of the nesting depth: every flow bracket counts (even inside a string), plus for
    YAML the longest run of indentation and ``-``/``?`` at a line's start, plus one for a key."""
    brackets = np.frombuffer(text.encode("utf-8").translate(None, _NOT_BRACKETS), dtype=np.uint8)
    flow = int(np.cumsum(_STEPS[brackets], dtype=np.int32).max()) if len(brackets) else 0
    if is_json:
        return flow
    prefix = max((len(m) for m in re.findall(r"^[ \t\-?]*", text, re.MULTILINE)), default=0)
    return flow + prefix + 2


def _json_depth(text: str) -> int:
    no_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    return _depth_bound(no_strings, True)


def _yaml_depth(text: str) -> int:
    import yaml

    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise LoadError(f"输入不是有效的 YAML [INPUT]: {_short(str(exc), 300)}") from None
    return deepest


def _load_json(text: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)  # in C; only a mapping with a repeated key is looked at key by key
        if len(out) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    raise LoadError(f"输入有重复的键 [INPUT]：{_short(key)}（同一映射中出现两次）")
                seen.add(key)
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise LoadError(f"输入不是有效的 JSON [INPUT]: 第 {exc.lineno} 行第 {exc.colno} 列: {exc.msg}") from None
    except RecursionError:
        raise LoadError("输入嵌套过深 [INPUT]") from None


def _load_yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_loader())
    except LoadError:
        raise
    except (yaml.YAMLError, ValueError) as exc:
        raise LoadError(f"输入不是有效的 YAML [INPUT]: {_short(str(exc), 300)}") from None
    except RecursionError:
        raise LoadError("输入嵌套过深 [INPUT]") from None


_LOADER: Any = None


def _loader() -> Any:
    """CSafeLoader (libyaml's parser, PyYAML's safe constructor) with YAML 1.2 core resolution of null
    and booleans, plain decimal integers, everything else text, and duplicate keys refused."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if isinstance(key, list | dict):
                    raise LoadError(f"输入的键须为标量 [INPUT]（第 {key_node.start_mark.line + 1} 行）")
                if key in seen:
                    line = key_node.start_mark.line + 1
                    raise LoadError(f"输入第 {line} 行：重复的键 {_short(str(key))} [INPUT]（同一映射中出现两次）")
                seen[key] = True
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:-?(?:0|[1-9][0-9]*))$"), list("-0123456789"))
    Loader.add_constructor("tag:yaml.org,2002:bool", lambda loader, node: node.value in ("true", "True", "TRUE"))
    Loader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(node.value))
    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    Loader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: loader.construct_scalar(node))
    _LOADER = Loader
    return Loader


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text):,} 个字符）"
