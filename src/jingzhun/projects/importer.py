"""Import a projects file (项目资金导入): all or nothing, every bad cell reported as ``第N行 [列] 消息``.

The file is read by the registry's reader (:mod:`jingzhun.registry.sheets`: .xlsx or .csv, UTF-8 or
GB18030, trimmed cells, spreadsheet row numbers) and its numbers parsed by the registry's column rules
(:mod:`jingzhun.registry.parse`: 年度 and 受益户数 as integers, 金额 as exact fen). The columns and the
rules a cadre reads are in :mod:`jingzhun.projects.columns`. Checks, each with a test in
tests/projects/test_import.py:

* every column of the template present, none unknown;
* each cell parses (类型, 状态 and 资金来源 one of the listed values; 年度 a year 2013–five years ahead;
  金额 above zero with at most two decimals; 受益户数 a whole number);
* a project's required columns on its first row; its other rows agree with it;
* 资金来源 and 金额 both filled or both blank;
* 项目编号 not yet in the system; 所在区域代码 an existing county, township or village inside the
  importer's region.

Only when there is no error at all, and this is not a dry run, is anything written: one transaction and
one audit row (:func:`jingzhun.projects.actions.import_projects`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import DatabaseError

from jingzhun.core.actions import Actor
from jingzhun.projects import columns as c
from jingzhun.projects.actions import FIRST_YEAR, PLANNING_YEARS, PROJECT_LEVELS, NewProject, import_projects
from jingzhun.projects.models import Project
from jingzhun.registry.importer import open_import
from jingzhun.registry.models import Region
from jingzhun.registry.parse import hundredths_rule, int_rule
from jingzhun.registry.report import AllOrNothingReport, RowError
from jingzhun.registry.sheets import ROW, Sheet

MAX_LEN = {"项目编号": 32, "项目名称": 100, "说明": 2000}
MAX_HOUSEHOLDS = 1_000_000
LOOKUPS = {
    "类型": (c.lookup(c.KINDS, c.KIND_ALIASES), c.KINDS),
    "状态": (c.lookup(c.STATUSES), c.STATUSES),
    "资金来源": (c.lookup(c.SOURCES, c.SOURCE_ALIASES), c.SOURCES),
}


@dataclass
class ProjectImportReport(AllOrNothingReport):
    """What the import tells the cadre. Any error: nothing written. A dry run writes nothing either."""

    file: str
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)
    projects: int = 0
    allocations: int = 0
    amount_fen: int = 0
    written: bool = False
    dry_run: bool = False

    def counts(self) -> str:
        from jingzhun.policy.money import fen_to_grouped

        return f"项目 {self.projects} 个，资金 {self.allocations} 笔，共 {fen_to_grouped(self.amount_fen)} 元"


def _err(row: int, header: str, message: str) -> RowError:
    return RowError(row, header, f"{message} [{c.KEYS[header]}]")


def _numbers(sheet: Sheet, today: dt.date) -> pl.DataFrame:
    """年度, 受益户数 and 金额 parsed column-wise by the registry's rules: value columns and ``!`` error columns."""
    rules = {
        "年度": int_rule(pl.col("年度"), pl.col("year"), FIRST_YEAR, today.year + PLANNING_YEARS),
        "受益户数": int_rule(pl.col("受益户数"), pl.col("beneficiary_households"), 0, MAX_HOUSEHOLDS),
        "金额（元）": hundredths_rule(pl.col("金额（元）"), pl.col("amount"), "#amount", 9),
    }
    return (
        sheet.frame.with_columns(*(e.alias(n) for r in rules.values() for n, e in r.prep.items()))
        .with_columns(*(r.value.alias(c.KEYS[h]) for h, r in rules.items()))
        .with_columns(*(r.error.alias("!" + h) for h, r in rules.items()))
    )


def _cells(row: dict[str, Any]) -> tuple[dict[str, Any], list[RowError]]:
    """One row's typed cells (text, enum keys, numbers) and the errors of the cells that do not parse."""
    n = row[ROW]
    errors = [_err(n, h, row["!" + h]) for h in ("年度", "受益户数", "金额（元）") if row["!" + h] is not None]
    values: dict[str, Any] = {h: row[h] for h in c.HEADERS}
    values["filled"] = {h for h in c.HEADERS if row[h] is not None}  # a bad cell is not also "missing"
    values.update({"年度": row["year"], "受益户数": row["beneficiary_households"], "金额（元）": row["amount"]})
    for header, limit in MAX_LEN.items():
        if values[header] is not None and len(values[header]) > limit:
            errors.append(_err(n, header, f"内容过长（最多 {limit} 个字）"))
    for header, (lookup, labels) in LOOKUPS.items():
        raw = row[header]
        values[header] = lookup.get(raw) if raw is not None else None
        if raw is not None and values[header] is None:
            errors.append(_err(n, header, f"「{raw}」不是允许的值，可选：{'、'.join(labels)}"))
    region = row["所在区域代码"]
    if region is not None and region.endswith(".0"):  # a CSV saved from a number cell
        values["所在区域代码"] = region = region[:-2]
    if region is not None and not (region.isdigit() and len(region) in (6, 12)):
        errors.append(_err(n, "所在区域代码", f"「{region}」应为 6 位县代码或 12 位乡镇、村代码"))
    if values["金额（元）"] == 0:
        errors.append(_err(n, "金额（元）", "金额须大于 0"))
    if (row["资金来源"] is None) != (row["金额（元）"] is None):
        missing = "资金来源" if row["资金来源"] is None else "金额（元）"
        errors.append(_err(n, missing, "资金来源和金额须同时填写（没有资金的项目两列都不填）"))
    return values, errors


def _projects(rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Group rows by 项目编号: the first row's project columns, checked against the later rows."""
    errors: list[RowError] = []
    firsts: dict[str, dict[str, Any]] = {}
    for values in rows:
        n, code = values[ROW], values["项目编号"]
        if code is None:
            errors.append(_err(n, "项目编号", "必填"))
            continue
        first = firsts.get(code)
        if first is None:
            firsts[code] = {**values, "allocations": []}
            errors += [_err(n, h, "必填（项目的第一行）") for h in c.REQUIRED if h not in values["filled"]]
        else:
            errors += [
                _err(n, h, f"与第{first[ROW]}行（同一项目编号 {code}）不一致：「{values[h]}」≠「{first[h]}」")
                for h in c.PROJECT_HEADERS
                if values[h] is not None and first[h] is not None and values[h] != first[h]
            ]
        if values["资金来源"] is not None and values["金额（元）"]:
            firsts[code]["allocations"].append((values["资金来源"], values["金额（元）"]))
    return list(firsts.values()), errors


def _against_database(projects: list[dict[str, Any]], actor: Actor) -> list[RowError]:
    """项目编号 new, 所在区域代码 known, of a project level and inside the actor's region (two queries)."""
    errors: list[RowError] = []
    codes = [p["项目编号"] for p in projects]
    taken = set(Project.objects.filter(code__in=codes).values_list("code", flat=True))
    wanted = {p["所在区域代码"] for p in projects if p["所在区域代码"]}
    levels = dict(Region.objects.filter(code__in=wanted).values_list("code", "level"))
    for p in projects:
        n, code, region = p[ROW], p["项目编号"], p["所在区域代码"]
        if code in taken:
            errors.append(_err(n, "项目编号", f"项目编号 {code} 已存在于系统中"))
        if region is None or not (region.isdigit() and len(region) in (6, 12)):
            continue
        if region not in levels:
            errors.append(_err(n, "所在区域代码", f"区域 {region} 在系统中不存在"))
        elif levels[region] not in PROJECT_LEVELS:
            errors.append(_err(n, "所在区域代码", f"{region} 不是县、乡镇或村"))
        elif not actor.can_see(region):
            errors.append(_err(n, "所在区域代码", f"无权导入 {region} 的项目（超出本账号的工作区域）"))
    return errors


def validate_projects(
    sheet: Sheet, *, actor: Actor, today: dt.date | None = None
) -> tuple[list[NewProject], list[RowError]]:
    """Check every row; the projects to create (meaningful only when the error list is empty) and the errors."""
    errors = [_err(1, h, f"缺少列「{h}」") for h in c.HEADERS if h not in sheet.headers]
    errors += [RowError(1, h, f"未知的列「{h}」，请使用项目导入模板的列名") for h in sheet.headers if h not in c.KEYS]
    if errors:
        return [], errors
    rows = []
    from jingzhun.core import workday

    for row in _numbers(sheet, today or workday.today()).iter_rows(named=True):
        values, row_errors = _cells(row)
        rows.append({**values, ROW: row[ROW]})
        errors += row_errors
    grouped, group_errors = _projects(rows)
    errors += group_errors + _against_database(grouped, actor)
    errors.sort(key=lambda e: e.row)
    projects = [
        NewProject(
            row=p[ROW],
            code=p["项目编号"],
            name=p["项目名称"] or "",
            kind=p["类型"] or "",
            region_code=p["所在区域代码"] or "",
            year=p["年度"] or 0,
            status=p["状态"] or "",
            beneficiary_households=p["受益户数"] or 0,
            description=p["说明"] or "",
            allocations=tuple(p["allocations"]),
        )
        for p in grouped
    ]
    return projects, errors


def import_file(path: Path, *, actor: Actor, dry_run: bool = False) -> ProjectImportReport:
    """Validate ``path`` and, when it is clean and not a dry run, write it. Never raises for bad data;
    ``PermissionDenied`` when the actor may not write at all (auditors)."""
    path = Path(path)
    report = ProjectImportReport(file=path.name, dry_run=dry_run)
    sheet, report.sha256, report.errors = open_import(path, ("项目编号", "所在区域代码"))
    if sheet is None:
        return report
    if sheet.frame.height == 0:
        report.errors = [RowError(0, "", "文件只有表头，没有数据行")]
        return report
    projects, report.errors = validate_projects(sheet, actor=actor)
    report.projects = len(projects)
    report.allocations = sum(len(p.allocations) for p in projects)
    report.amount_fen = sum(fen for p in projects for _, fen in p.allocations)
    if report.errors or dry_run:
        return report
    try:
        import_projects(actor, projects, file_name=path.name, sha256=report.sha256)
    except DatabaseError as exc:  # e.g. another user entered the same 项目编号 meanwhile
        report.errors = [RowError(0, "", f"写入数据库失败，未写入任何数据：{exc}")]
        return report
    report.written = True
    return report
