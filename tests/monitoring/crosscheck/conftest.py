"""数据比对 fixtures: the staff web ``world`` (households in 信义村, 歧道村, 吴城村, 水头村) and list files."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

HEADERS = ("姓名", "身份证号", "出生日期", "村代码")


def write_list(path: Path, rows: Iterable[Mapping[str, Any]], headers: Iterable[str] = HEADERS) -> Path:
    columns = list(headers)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return path


@pytest.fixture(autouse=True)
def _staff(staff_settings: None) -> None:
    """Every test here (the commands too): background jobs in the request, uploads in the test's directory."""


def head(household: Any) -> Any:
    return household.persons.order_by("id").first()


def seed_suspects(tmp_path: Path, world: dict[str, Any]) -> dict[str, Any]:
    """A vehicle list naming 刘保平 (信义村, carl's) and 张建国 (歧道村), a death list naming 王秀英 (信义村),
    imported and run: three open 疑点, keyed ``vehicle_own``, ``vehicle_sibling``, ``death_own``."""
    import datetime as dt

    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.crosscheck.importer import import_list
    from jingzhun.monitoring.crosscheck.run import run_crosscheck
    from jingzhun.monitoring.models.crosscheck import Suspect

    own = world["own"].persons.order_by("id")
    liu, wang = own[0], own[1]
    zhang = head(world["sibling_village"])
    system = Actor.system("test")
    vehicle = write_list(
        tmp_path / "vehicle.csv",
        [
            {"姓名": liu.name, "身份证号": liu.id_number, "购置价格": "25000", "车辆类型": "三轮汽车"},
            {"姓名": zhang.name, "身份证号": zhang.id_number, "购置价格": "98000", "车辆类型": "小型轿车"},
        ],
        headers=("姓名", "身份证号", "出生日期", "村代码", "购置价格", "车辆类型"),
    )
    death = write_list(
        tmp_path / "death.csv",
        [{"姓名": wang.name, "身份证号": wang.id_number, "死亡日期": "2020-05-10"}],
        headers=("姓名", "身份证号", "出生日期", "村代码", "死亡日期"),
    )
    for path, source in ((vehicle, "vehicle"), (death, "death")):
        report = import_list(path, source=source, as_of=dt.date(2020, 6, 30), actor=system)
        assert report.ok, report.error_lines()
    run_crosscheck(system)
    return {
        "vehicle_own": Suspect.objects.get(source="vehicle", person=liu),
        "vehicle_sibling": Suspect.objects.get(source="vehicle", person=zhang),
        "death_own": Suspect.objects.get(source="death", person=wang),
    }
