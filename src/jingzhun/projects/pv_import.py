"""光伏电站和年度收益导入 (``jingzhun pv import``): one row a station, or a station's year, all or nothing.

Columns (:data:`HEADERS`; ``jingzhun pv template`` writes them with an example):

* 村代码, 电站名称 — the station: a new one is created (then 装机容量 and 建成年份 are required); one
  already registered in that village under that name is used (装机容量 and 建成年份, if given, must agree);
* 年度, 发电量（千瓦时）, 收益（元） — the station's year, all three or none (a row may only add a station).

Each row goes through ``pv_actions.create_station`` / ``record_year`` (the forms' checks and audit rows),
the whole file in one transaction (:mod:`.row_import`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingzhun.core.actions import Actor
from jingzhun.policy.money import fen_to_grouped
from jingzhun.projects import pv_actions
from jingzhun.projects import row_import as ri
from jingzhun.projects.models import PvStation
from jingzhun.registry.report import AllOrNothingReport, RowError

HEADERS = ("村代码", "电站名称", "装机容量（千瓦）", "建成年份", "年度", "发电量（千瓦时）", "收益（元）")
COLUMNS = {
    "village": "村代码",
    "name": "电站名称",
    "capacity_kw": "装机容量（千瓦）",
    "built_year": "建成年份",
    "year": "年度",
    "generation_kwh": "发电量（千瓦时）",
    "revenue_fen": "收益（元）",
}
EXAMPLE = ("141102001001", "信义村光伏扶贫电站", "300", "2016", "2019", "662000", "217000.00")


@dataclass
class PvImportReport(AllOrNothingReport):
    file: str
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)
    stations: int = 0
    years: int = 0
    revenue_fen: int = 0
    written: bool = False
    dry_run: bool = False

    def counts(self) -> str:
        return f"新电站 {self.stations} 个，年度收益 {self.years} 条，共 {fen_to_grouped(self.revenue_fen)} 元"


def import_pv_file(path: Path, *, actor: Actor, dry_run: bool = False) -> PvImportReport:
    report = PvImportReport(file=Path(path).name, dry_run=dry_run)
    sheet, report.sha256, report.errors = ri.read(path, HEADERS, ("村代码", "电站名称"))
    if sheet is None:
        return report

    def apply(row: dict[str, Any]) -> None:
        code, name = ri.text(row, "村代码"), ri.text(row, "电站名称")
        capacity = ri.decimal(row, "装机容量（千瓦）", required=False)
        built = ri.whole(row, "建成年份", required=False)
        year_cells = [row.get(h) for h in ("年度", "发电量（千瓦时）", "收益（元）")]
        if any(year_cells) and not all(year_cells):
            raise ri.CellError("年度", "年度、发电量和收益须同时填写（只登记电站时三列都不填）")
        station = PvStation.objects.select_related("village").filter(village__code=code, name=name).first()
        if station is None:
            if capacity is None or built is None:
                missing = "装机容量（千瓦）" if capacity is None else "建成年份"
                raise ri.CellError(missing, f"新电站「{name}」须填写装机容量和建成年份")
            station = pv_actions.create_station(
                actor, village_code=code, name=name, capacity_kw=capacity, built_year=built
            )
            report.stations += 1
        elif capacity is not None and capacity != station.capacity_kw:
            raise ri.CellError("装机容量（千瓦）", f"与已登记的「{name}」装机容量 {station.capacity_kw} 千瓦不一致")
        elif built is not None and built != station.built_year:
            raise ri.CellError("建成年份", f"与已登记的「{name}」建成年份 {station.built_year} 不一致")
        if all(year_cells):
            year = ri.whole(row, "年度")
            kwh = ri.whole(row, "发电量（千瓦时）")
            fen = ri.fen(row, "收益（元）")
            assert year is not None and kwh is not None and fen is not None
            pv_actions.record_year(actor, station, year=year, generation_kwh=kwh, revenue_fen=fen)
            report.years += 1
            report.revenue_fen += fen

    report.errors = ri.run(ri.rows(sheet), apply, COLUMNS, dry_run=dry_run, default_column="村代码")
    report.written = not report.errors and not dry_run
    return report


def write_template(out: Path) -> None:
    """The import template: the headers and one example row."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "光伏电站和收益"
    sheet.append(list(HEADERS))
    sheet.append(list(EXAMPLE))
    book.save(out)
