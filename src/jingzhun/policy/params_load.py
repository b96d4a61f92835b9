"""Loading and validating the parameter files: every problem reported by file and key, all at once.

Checks: known top-level and metadata keys, ``description`` in zh and en, a known ``unit`` and a
``reference``, boolean flags, ISO-date keys in ascending order, quoted GB/T 2260 region codes, and values
of the unit's type (money as decimal strings with at most 2 places, rates at most 4, ages as integers,
never binary floats), broken down by the declared dimensions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jingzhun.policy import regions
from jingzhun.policy.money import decimals, parse_decimal
from jingzhun.policy.params import Entry, Parameter, ParameterFileError, ParameterTree, Value

# unit → (kind, most decimal places allowed). Money in yuan with at most 2 places keeps every amount a
# whole number of fen for the integer batch engine; rates and percentages allow 4 places.
UNITS: dict[str, tuple[str, int]] = {
    "CNY/year": ("decimal", 2),
    "CNY/month": ("decimal", 2),
    "CNY": ("decimal", 2),
    "/1": ("decimal", 4),
    "percent": ("decimal", 4),
    "month": ("decimal", 4),
    "year": ("integer", 0),
    "workday": ("integer", 0),
    "day": ("integer", 0),
    "minute": ("integer", 0),
    "litre/day": ("decimal", 2),
    "bool": ("bool", 0),
}

BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "area": ("rural", "urban"),
    "care_setting": ("home", "institution"),
    "self_care": ("full", "partial", "none"),
}

_FILE_KEYS = {"description", "metadata", "values", "regions", "parameters"}
_META_KEYS = {"unit", "reference", "default", "date_assumed", "breakdown", "note"}
_ENTRY_KEYS = {"value", "reference", "default", "date_assumed"}


def load_tree(directory: Path) -> ParameterTree:
    import yaml

    loader = date_string_loader()
    problems: list[str] = []
    parameters: dict[str, Parameter] = {}
    for path in sorted(directory.rglob("*.yaml")):
        rel = path.relative_to(directory).as_posix()
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except yaml.YAMLError as exc:
            problems.append(f"{rel}: YAML 语法错误: {exc}")
            continue
        name = rel.removesuffix(".yaml").replace("/", ".")
        for parameter in _parse_file(rel, name, doc, problems):
            parameters[parameter.name] = parameter
    if problems:
        raise ParameterFileError(problems)
    tree = ParameterTree(parameters)
    from jingzhun.policy.params_check import consistency_warnings

    tree.warnings.extend(consistency_warnings(tree))
    return tree


def date_string_loader() -> Any:
    """A YAML loader that leaves dates as text, so a bad date is reported by file and key, not raised."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return Loader


def _parse_file(rel: str, name: str, doc: Any, problems: list[str]) -> list[Parameter]:
    if not isinstance(doc, dict):
        problems.append(f"{rel}: 文件应为映射 (a mapping)")
        return []
    for key in doc.keys() - _FILE_KEYS:
        problems.append(f"{rel}: {key}: 未知键 (unknown key)")
    if "parameters" in doc:
        children = doc["parameters"]
        if not isinstance(children, dict) or not children:
            problems.append(f"{rel}: parameters: 应为非空映射")
            return []
        out = []
        parent_meta = doc.get("metadata") or {}
        for child, body in children.items():
            if not isinstance(body, dict):
                problems.append(f"{rel}: parameters.{child}: 应为映射")
                continue
            meta = {**parent_meta, **(body.get("metadata") or {})}
            merged = {**body, "metadata": meta, "description": _child_description(doc.get("description"), body)}
            parsed = _parse_parameter(rel, f"{name}.{child}", f"parameters.{child}.", merged, problems)
            if parsed is not None:
                out.append(parsed)
        return out
    parsed = _parse_parameter(rel, name, "", doc, problems)
    return [parsed] if parsed is not None else []


def _child_description(parent: Any, body: dict[str, Any]) -> Any:
    """A group member's description reads "<group>：<member>" so it stands alone in listings."""
    child = body.get("description")
    if not isinstance(parent, dict) or not isinstance(child, dict):
        return child if child is not None else parent
    return {
        "zh": f"{parent.get('zh', '')}：{child.get('zh', '')}",
        "en": f"{parent.get('en', '')}: {child.get('en', '')}",
    }


def _parse_parameter(rel: str, name: str, prefix: str, doc: dict[str, Any], problems: list[str]) -> Parameter | None:
    start = len(problems)
    for key in doc.keys() - _FILE_KEYS:
        problems.append(f"{rel}: {prefix}{key}: 未知键 (unknown key)")
    desc = doc.get("description")
    if not (isinstance(desc, dict) and isinstance(desc.get("zh"), str) and isinstance(desc.get("en"), str)):
        problems.append(f"{rel}: {prefix}description: 需要 zh 与 en 两种说明")
        desc = {"zh": "", "en": ""}
    meta = doc.get("metadata")
    if not isinstance(meta, dict):
        problems.append(f"{rel}: {prefix}metadata: 缺少 metadata")
        return None
    for key in meta.keys() - _META_KEYS:
        problems.append(f"{rel}: {prefix}metadata.{key}: 未知键 (unknown key)")
    unit = meta.get("unit")
    if unit not in UNITS:
        problems.append(f"{rel}: {prefix}metadata.unit: 未知单位 {unit!r}（可用: {', '.join(UNITS)}）")
        return None
    reference = meta.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        problems.append(f"{rel}: {prefix}metadata.reference: 缺少来源 (reference)")
        reference = ""
    flags = {}
    for flag in ("default", "date_assumed"):
        flags[flag] = meta.get(flag, False)
        if not isinstance(flags[flag], bool):
            problems.append(f"{rel}: {prefix}metadata.{flag}: 应为 true/false")
    breakdown = meta.get("breakdown", [])
    if not isinstance(breakdown, list) or any(b not in BREAKDOWNS for b in breakdown):
        problems.append(f"{rel}: {prefix}metadata.breakdown: 应为 {list(BREAKDOWNS)} 中的列表")
        breakdown = []
    if "values" not in doc and "regions" not in doc:
        problems.append(f"{rel}: {prefix}values: 缺少 values 或 regions（无值请写 values: {{}}）")
    series: dict[str, tuple[Entry, ...]] = {}
    context = (rel, unit, tuple(breakdown), reference, bool(flags["default"]), bool(flags["date_assumed"]))
    if doc.get("values") is not None:
        series[regions.NATIONAL] = _parse_series(context, f"{prefix}values", doc["values"], problems)
    region_map = doc.get("regions") or {}
    if not isinstance(region_map, dict):
        problems.append(f"{rel}: {prefix}regions: 应为以区划代码为键的映射")
        region_map = {}
    for code, values in region_map.items():
        if not isinstance(code, str) or code not in regions.NAMES or code == regions.NATIONAL:
            problems.append(f"{rel}: {prefix}regions.{code}: 未知区划代码（须为带引号的 GB/T 2260 代码）")
            continue
        series[code] = _parse_series(context, f"{prefix}regions.{code}", values, problems)
    if len(problems) > start:
        return None
    return Parameter(
        name=name,
        file=rel,
        description_zh=desc["zh"],
        description_en=desc["en"],
        unit=unit,
        reference=reference,
        breakdown=tuple(breakdown),
        series=series,
    )


def _parse_series(
    context: tuple[str, str, tuple[str, ...], str, bool, bool], where: str, values: Any, problems: list[str]
) -> tuple[Entry, ...]:
    rel, unit, breakdown, reference, default, date_assumed = context
    if not isinstance(values, dict):
        problems.append(f"{rel}: {where}: 应为以日期为键的映射")
        return ()
    entries: list[Entry] = []
    for key, raw in values.items():
        start = as_date(key)
        if start is None:
            problems.append(f"{rel}: {where}.{key}: 键应为 ISO 日期 YYYY-MM-DD")
            continue
        if entries and start <= entries[-1].start:
            problems.append(f"{rel}: {where}.{key}: 日期须升序 (dates must ascend)")
        entry_ref, entry_default, entry_assumed = reference, default, date_assumed
        if isinstance(raw, dict) and "value" in raw:
            for extra in raw.keys() - _ENTRY_KEYS:
                problems.append(f"{rel}: {where}.{key}.{extra}: 未知键 (unknown key)")
            entry_ref = str(raw.get("reference", reference))
            entry_default = bool(raw.get("default", default))
            entry_assumed = bool(raw.get("date_assumed", date_assumed))
            raw = raw["value"]
        value = None if raw is None else typed_value(raw, unit, breakdown, f"{rel}: {where}.{key}", problems)
        entries.append(Entry(start, value, entry_default, entry_assumed, entry_ref))
    return tuple(entries)


def as_date(key: Any) -> dt.date | None:
    if isinstance(key, dt.date) and not isinstance(key, dt.datetime):
        return key
    if isinstance(key, str):
        try:
            return dt.date.fromisoformat(key)
        except ValueError:
            return None
    return None


def typed_value(raw: Any, unit: str, breakdown: tuple[str, ...], where: str, problems: list[str]) -> Value | None:
    if breakdown:
        members = BREAKDOWNS[breakdown[0]]
        if not isinstance(raw, dict) or set(raw) != set(members):
            problems.append(f"{where}: 应为按 {breakdown[0]} 分列的映射，键为 {', '.join(members)}")
            return None
        out: dict[str, Value] = {}
        for member in members:
            typed = typed_value(raw[member], unit, breakdown[1:], f"{where}.{member}", problems)
            if typed is not None:
                out[member] = typed
        return out
    kind, places = UNITS[unit]
    if kind == "bool":
        if not isinstance(raw, bool):
            problems.append(f"{where}: 应为 true/false（单位 {unit}）")
            return None
        return raw
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            problems.append(f"{where}: 应为非负整数（单位 {unit}）")
            return None
        return raw
    if isinstance(raw, bool | float) or not isinstance(raw, str | int):
        problems.append(f'{where}: 金额与比率写成字符串，如 "4853"（不得用浮点数）')
        return None
    text = str(raw)
    try:
        number = parse_decimal(text)
    except ValueError:
        problems.append(f"{where}: 不是十进制数: {text!r}")
        return None
    if number < 0:
        problems.append(f"{where}: 不得为负数")
        return None
    if decimals(text) > places:
        problems.append(f"{where}: 小数位过多（单位 {unit} 最多 {places} 位）")
        return None
    return number
