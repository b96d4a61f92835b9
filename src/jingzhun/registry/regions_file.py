"""The regions template (区域文件): 区域代码, 名称, 层级, 上级代码 — townships and villages below a county.

Rules a cadre reads:

* 层级 is 乡镇 or 村. A township code (乡镇代码) is the county's six digits + three digits + ``000``;
  its 上级代码 is the county code, which must already be in the system.
* A village code (村代码) is its township's first nine digits + three digits (not ``000``); its 上级代码
  is the township code, which must be in the system or on an earlier row of the same file.
* 上级代码 may be left blank: it follows from the code. A row whose code is already in the system with
  the same name and level is skipped, so importing the same file twice changes nothing.

A county has a few hundred villages, so these rows are checked one by one in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingzhun.core.actions import Actor
from jingzhun.registry.models import Region, RegionLevel
from jingzhun.registry.report import RowError
from jingzhun.registry.sheets import ROW, Sheet

HEADERS = ("区域代码", "名称", "层级", "上级代码")
KEYS = {"区域代码": "code", "名称": "name", "层级": "level", "上级代码": "parent"}
LEVELS = {
    "乡镇": RegionLevel.TOWNSHIP,
    "村": RegionLevel.VILLAGE,
    "township": RegionLevel.TOWNSHIP,
    "village": RegionLevel.VILLAGE,
}
PARENT_LEVEL = {RegionLevel.TOWNSHIP: RegionLevel.COUNTY, RegionLevel.VILLAGE: RegionLevel.TOWNSHIP}


@dataclass(frozen=True)
class NewRegion:
    row: int
    code: str
    name: str
    level: str
    parent_code: str


def is_regions_sheet(headers: tuple[str, ...]) -> bool:
    return "区域代码" in headers


def _err(row: int, header: str, message: str) -> RowError:
    return RowError(row, header, f"{message} [{KEYS[header]}]")


def _expected_parent(code: str, level: str) -> str:
    return code[:6] if level == RegionLevel.TOWNSHIP else code[:9] + "000"


def _check_code(row: int, code: str, level: str) -> RowError | None:
    if len(code) != 12 or not code.isdigit():
        return _err(row, "区域代码", f"「{code}」应为 12 位数字")
    if code[6:9] == "000":
        return _err(row, "区域代码", f"{code} 第 7–9 位（乡镇段）不能为 000")
    if level == RegionLevel.TOWNSHIP and not code.endswith("000"):
        return _err(row, "区域代码", f"乡镇代码 {code} 应以 000 结尾")
    if level == RegionLevel.VILLAGE and code.endswith("000"):
        return _err(row, "区域代码", f"村代码 {code} 的最后三位不能为 000（那是乡镇代码）")
    return None


def validate_regions(sheet: Sheet, *, actor: Actor) -> tuple[list[NewRegion], list[RowError]]:
    """Check every row; return the regions to create (in file order) and the errors."""
    errors = [RowError(1, h, f"缺少列「{h}」[{KEYS[h]}]") for h in HEADERS if h not in sheet.headers]
    errors += [
        RowError(1, h, f"未知的列「{h}」，区域文件只有 {'、'.join(HEADERS)} 四列")
        for h in sheet.headers
        if h not in KEYS
    ]
    if errors:
        return [], errors
    known = {code: (name, level) for code, name, level in Region.objects.values_list("code", "name", "level")}
    seen: dict[str, tuple[int, str]] = {}  # code → (row, level) for rows earlier in this file
    new: list[NewRegion] = []
    for values in sheet.frame.select(ROW, *HEADERS).iter_rows():
        row, code, name, level_text, parent = values
        row_errors = [
            _err(row, h, "必填") for h, v in zip(HEADERS[:3], (code, name, level_text), strict=True) if v is None
        ]
        level = LEVELS.get(level_text or "")
        if level_text is not None and level is None:
            row_errors.append(_err(row, "层级", f"「{level_text}」不是允许的值，可选：乡镇、村"))
        if name is not None and len(name) > 64:
            row_errors.append(_err(row, "名称", "内容过长（最多 64 个字）"))
        if row_errors or code is None or name is None or level is None:
            errors += row_errors
            continue
        if (problem := _check_code(row, code, level)) is not None:
            errors.append(problem)
            continue
        expected = _expected_parent(code, level)
        if parent is not None and parent != expected:
            errors.append(_err(row, "上级代码", f"{code} 的上级应为 {expected}，不是 {parent}"))
            continue
        if not actor.can_see(code):
            errors.append(_err(row, "区域代码", f"无权导入 {code}（超出本账号的工作区域）"))
            continue
        if code in seen:
            errors.append(_err(row, "区域代码", f"与第{seen[code][0]}行重复"))
            continue
        seen[code] = (row, level)
        if code in known:
            if known[code] != (name, level):
                errors.append(_err(row, "区域代码", f"{code} 已存在于系统中（名称「{known[code][0]}」），与本行不同"))
            continue  # the same region again: nothing to do
        in_db = known.get(expected, ("", ""))[1] == PARENT_LEVEL[level]
        earlier = seen.get(expected, (0, ""))[1] == PARENT_LEVEL[level]
        if not (in_db or earlier):
            where = "系统中" if level == RegionLevel.TOWNSHIP else "系统中或本文件前面的行中"
            errors.append(_err(row, "上级代码", f"上级 {expected} 在{where}不存在"))
            continue
        new.append(NewRegion(row, code, name, level, expected))
    return new, errors
