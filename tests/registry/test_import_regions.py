"""The regions file (区域代码, 名称, 层级, 上级代码): townships under a county, villages under a township."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Region

from .conftest import write_csv

pytestmark = pytest.mark.django_db
HEADERS = ("区域代码", "名称", "层级", "上级代码")


def regions_file(tmp_path: Path, *rows: tuple[str, ...]) -> Path:
    return write_csv(tmp_path / "regions.csv", [dict(zip(HEADERS, r, strict=False)) for r in rows], headers=HEADERS)


def test_townships_and_villages_are_created_under_their_parents(tmp_path: Path) -> None:
    path = regions_file(
        tmp_path,
        ("141102001000", "莲花池街道", "乡镇", "141102"),
        ("141102001001", "东关村", "村", "141102001000"),
        ("141102001002", "西关村", "村", ""),  # 上级代码 may be left blank
    )
    report = import_file(path, actor=Actor.system("test"))
    assert (report.template, report.written, report.regions) == ("regions", True, 3)
    village = Region.objects.get(code="141102001002")
    assert (village.level, village.parent.code, village.parent.parent.code) == ("village", "141102001000", "141102")
    assert AuditEvent.objects.get().after["regions"] == 3


def test_importing_the_same_regions_again_changes_nothing(tmp_path: Path, counts: Callable[[], dict[str, int]]) -> None:
    path = regions_file(
        tmp_path, ("141102001000", "莲花池街道", "乡镇", "141102"), ("141102001001", "东关村", "村", "141102001000")
    )
    assert import_file(path, actor=Actor.system("test")).written
    before = Region.objects.count()
    again = import_file(path, actor=Actor.system("test"))
    assert again.ok and again.regions == 0
    assert Region.objects.count() == before


def test_a_village_before_its_township_is_refused(tmp_path: Path, counts: Callable[[], dict[str, int]]) -> None:
    before = counts()
    path = regions_file(
        tmp_path, ("141102001001", "东关村", "村", "141102001000"), ("141102001000", "莲花池街道", "乡镇", "141102")
    )
    report = import_file(path, actor=Actor.system("test"))
    assert report.error_lines() == ["第2行 [上级代码] 上级 141102001000 在系统中或本文件前面的行中不存在 [parent]"]
    assert counts() == before


def test_a_township_under_an_unknown_county_is_refused(tmp_path: Path) -> None:
    report = import_file(regions_file(tmp_path, ("141199001000", "某镇", "乡镇", "141199")), actor=Actor.system("test"))
    assert report.error_lines() == ["第2行 [上级代码] 上级 141199 在系统中不存在 [parent]"]


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        (("14110200100", "某村", "村", ""), "区域代码", "应为 12 位数字"),
        (("141102001001", "某镇", "乡镇", "141102"), "区域代码", "应以 000 结尾"),
        (("141102001000", "某村", "村", ""), "区域代码", "最后三位不能为 000"),
        (("141102001000", "某镇", "县", "141102"), "层级", "可选：乡镇、村"),
        (("141102001000", "", "乡镇", "141102"), "名称", "必填"),
        (("141102001000", "某镇", "乡镇", "141121"), "上级代码", "上级应为 141102"),
    ],
)
def test_malformed_region_rows_are_refused(tmp_path: Path, cells: tuple[str, ...], column: str, fragment: str) -> None:
    report = import_file(regions_file(tmp_path, cells), actor=Actor.system("test"))
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert fragment in report.errors[0].message
    assert not report.written


def test_a_code_already_used_by_another_region_is_refused(tmp_path: Path) -> None:
    assert import_file(
        regions_file(tmp_path, ("141102001000", "莲花池街道", "乡镇", "141102")), actor=Actor.system("test")
    ).written
    report = import_file(
        regions_file(tmp_path, ("141102001000", "另一个镇", "乡镇", "141102")), actor=Actor.system("test")
    )
    assert "已存在于系统中（名称「莲花池街道」）" in report.errors[0].message


def test_a_region_twice_in_the_file_is_refused(tmp_path: Path) -> None:
    row = ("141102001000", "莲花池街道", "乡镇", "141102")
    report = import_file(regions_file(tmp_path, row, row), actor=Actor.system("test"))
    assert report.error_lines() == ["第3行 [区域代码] 与第2行重复 [code]"]
