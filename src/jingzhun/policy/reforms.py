"""What-if reforms: small dated overrides applied on top of the parameter tree (OpenFisca's reforms, as data).

A reform file::

    name: 农村低保标准提高到 5200
    changes:
      - parameter: dibao.standard.rural
        from: 2021-01-01
        value: "5200"
        region: "141100"        # optional

With ``region`` the value is inserted into that region's own dated series. Without it (city-wide), the
value is inserted at the city level (吕梁市) and every county series that has values gets a repeal
(``null``) on that date — so from that date it applies everywhere, as a caseworker reading "raise the
standard to 5200" expects, until a later dated value of any level (e.g. the city's next standard), which
then applies to every county alike. (Inserting the value into each county's own series instead froze a
county that has a series — 离石区 — at the reform's value after the city's next change.)
``value: null`` repeals. The result is a new tree; the original is
untouched, and the consistency check runs again on the reformed values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from jingzhun.policy import regions
from jingzhun.policy.params import Entry, ParameterTree, Value
from jingzhun.policy.params_check import consistency_warnings
from jingzhun.policy.params_load import as_date, typed_value

_CHANGE_KEYS = {"parameter", "from", "value", "region"}


class ReformError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Change:
    parameter: str
    start: dt.date
    value: Value | None
    region: str | None


@dataclass(frozen=True)
class Reform:
    name: str
    changes: tuple[Change, ...]


def parse_reform(raw: Any, tree: ParameterTree | None = None) -> Reform:
    """Validate a decoded reform document against the parameter tree; :class:`ReformError` lists all problems."""
    from jingzhun.policy.params import load_parameters

    tree = tree if tree is not None else load_parameters()
    errors: list[str] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("changes"), list) or not raw["changes"]:
        raise ReformError(["改革文件应为映射，含 name 与非空 changes 列表 [changes]"])
    for key in raw.keys() - {"name", "description", "changes"}:
        errors.append(f"改革文件 [{key}]：未知字段 (unknown field)")
    name = str(raw.get("name", "reform"))
    changes: list[Change] = []
    for index, item in enumerate(raw["changes"], start=1):
        where = f"改革第 {index} 项"
        if not isinstance(item, dict):
            errors.append(f"{where}：应为映射")
            continue
        for key in item.keys() - _CHANGE_KEYS:
            errors.append(f"{where} [{key}]：未知字段 (unknown field)")
        parameter = item.get("parameter")
        if not isinstance(parameter, str) or parameter not in tree:
            errors.append(f"{where} 参数 [parameter]：未知参数 {parameter!r}")
            continue
        start = as_date(item.get("from"))
        if start is None:
            errors.append(f"{where} 起始日期 [from]：应为 YYYY-MM-DD，得到 {item.get('from')!r}")
            continue
        region = item.get("region")
        if region is not None and (not isinstance(region, str) or region not in regions.NAMES):
            errors.append(f"{where} 区划 [region]：未知区划代码 {region!r}")
            continue
        if "value" not in item:
            errors.append(f"{where} 取值 [value]：缺少字段 (missing field)")
            continue
        p = tree.get(parameter)
        problems: list[str] = []
        value = None if item["value"] is None else typed_value(item["value"], p.unit, p.breakdown, where, problems)
        errors.extend(f"{message} [value]" for message in problems)
        changes.append(Change(parameter, start, value, region))
    if errors:
        raise ReformError(errors)
    return Reform(name, tuple(changes))


def apply_reform(tree: ParameterTree, reform: Reform) -> ParameterTree:
    parameters = dict(tree.parameters)
    for change in reform.changes:
        p = parameters[change.parameter]
        series = dict(p.series)
        entry = Entry(change.start, change.value, False, False, f"改革 (reform): {reform.name}")
        repeal = Entry(change.start, None, False, False, f"改革 (reform): {reform.name}（全市统一）")
        if change.region:
            targets = {change.region: entry}
        else:
            targets = {code: repeal for code in series if code in regions.COUNTIES}
            targets[regions.CITY] = entry
        for code, new in targets.items():
            kept = [e for e in series.get(code, ()) if e.start != change.start]
            series[code] = tuple(sorted([*kept, new], key=lambda e: e.start))
        parameters[change.parameter] = replace(p, series=series)
    reformed = ParameterTree(parameters)
    reformed.warnings.extend(consistency_warnings(reformed))
    return reformed
