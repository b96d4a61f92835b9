"""Project-library fixtures: the suite's regions and personas as actors, and a project factory.

Regions (tests/conftest.py): 离石区 141102 → 信义镇 t1 (信义村 v11, 歧道村 v12), 吴城镇 t2 (吴城村 v21);
交口县 141130 → 水头镇 t9 (水头村 v91).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jingzhun.core.actions import Actor


@pytest.fixture
def actors(personas: dict[str, Any]) -> dict[str, Actor]:
    """alice county 离石区, tom township 信义镇, victor village 信义村, audrey auditor, zoe county 交口县."""
    return {name: Actor.for_user(user) for name, user in personas.items()}


@pytest.fixture
def system() -> Actor:
    return Actor.system("test")


@pytest.fixture
def make_project(regions: dict[str, Any], system: Actor) -> Callable[..., Any]:
    """``make_project("P1", "141102001001", 金额={"central": 100_000})``: a project through the actions."""
    from jingzhun.projects.actions import add_allocation, create_project

    def make(code: str, region: str, *, funds: dict[str, int] | None = None, **fields: Any) -> Any:
        values = {"name": f"{code}项目", "kind": "pv", "year": 2019, "beneficiary_households": 10, **fields}
        project = create_project(system, code=code, region=region, **values)
        for source, fen in (funds or {}).items():
            add_allocation(system, project, source=source, amount_fen=fen)
        return project

    return make


HEADERS = ("项目编号", "项目名称", "类型", "所在区域代码", "年度", "状态", "资金来源", "金额（元）", "受益户数", "说明")


def project_row(code: str = "2019-001", **cells: Any) -> dict[str, Any]:
    """A valid first row of a project in 信义村 (141102001001); cells named by header override
    (``金额`` stands for 金额（元）, whose full-width brackets cannot be a keyword)."""
    if "金额" in cells:
        cells["金额（元）"] = cells.pop("金额")
    row = {
        "项目编号": code,
        "项目名称": "信义村光伏扶贫电站",
        "类型": "光伏扶贫",
        "所在区域代码": "141102001001",
        "年度": "2019",
        "状态": "已验收",
        "资金来源": "中央财政专项",
        "金额（元）": "500000",
        "受益户数": "66",
        "说明": "300千瓦",
    }
    return {**row, **cells}


def more_funds(
    code: str = "2019-001", source: str = "整合涉农资金", amount: str = "245000.50", **cells: Any
) -> dict[str, Any]:
    """A later allocation row of the same project, project columns blank."""
    return {"项目编号": code, "资金来源": source, "金额（元）": amount, **cells}


def write_csv(path: Any, rows: list[dict[str, Any]], headers: tuple[str, ...] = HEADERS) -> Any:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(headers)
        out.writerows([r.get(h, "") for h in headers] for r in rows)
    return path


def write_xlsx(path: Any, rows: list[dict[str, Any]], headers: tuple[str, ...] = HEADERS) -> Any:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    book.save(path)
    return path


from tests.staff import login  # noqa: E402, F401  (fixture of the page tests)
