"""The exit document's registry facts: import columns (optional for older files), and their action."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent, Role
from jingzhun.registry import columns as c
from jingzhun.registry.exit_actions import update_exit_facts
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, Person

from .conftest import member, row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db
WATER = {"已交付搬迁安置房": "否", "每人每日可用水量": "42.5", "往返取水时间": "10", "年缺水天数": "3"}


def test_the_exit_columns_import(tmp_path: Path, villages: Any) -> None:
    rows = [
        row("H1", **WATER, 水质达标="是", 干旱缺水地区="否"),
        member("H1", "子女", birth=dt.date(2010, 5, 1), 在校情况="非在校", 因病免学="是"),
    ]
    report = import_file(write_xlsx(tmp_path / "h.xlsx", rows), actor=Actor.system("test"))
    assert report.written, report.errors
    h = Household.objects.get(import_no="H1")
    assert (h.relocated_keys, h.water_litres_per_day, h.water_fetch_minutes, h.water_days_without) == (
        False,
        Decimal("42.50"),
        10,
        3,
    )
    assert (h.water_quality_ok, h.water_dry_area) == (True, False)
    assert [p.school_exempt_health for p in Person.objects.order_by("id")] == [False, True]


def test_an_older_file_without_the_exit_columns_still_imports_with_the_facts_unknown(
    tmp_path: Path, villages: Any
) -> None:
    old = [h for h in c.HEADERS if h not in c.OPTIONAL_HEADERS]
    report = import_file(write_csv(tmp_path / "old.csv", [row("H1")], headers=old), actor=Actor.system("test"))
    assert report.written, report.errors
    h = Household.objects.get(import_no="H1")
    assert h.relocated_keys is None and h.water_litres_per_day is None and h.water_quality_ok is None


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("往返取水时间", "2000", "超出范围（应在 0–1440 之间）"),
        ("年缺水天数", "-1", "不是整数"),
        ("每人每日可用水量", "12.345", "最多两位小数"),
        ("水质达标", "好", ""),
    ],
)
def test_a_bad_exit_cell_is_a_row_error_and_nothing_is_written(
    tmp_path: Path, villages: Any, header: str, value: str, message: str
) -> None:
    report = import_file(write_xlsx(tmp_path / "h.xlsx", [row("H1", **{header: value})]), actor=Actor.system("t"))
    assert not report.written and not Household.objects.exists()
    assert [(e.row, e.column) for e in report.errors] == [(2, header)]
    assert message in report.errors[0].message and f"[{c.BY_HEADER[header].key}]" in report.errors[0].message


def _household(tmp_path: Path) -> Household:
    rows = [row("H1"), member("H1", "子女", birth=dt.date(2010, 5, 1))]
    assert import_file(write_xlsx(tmp_path / "h.xlsx", rows), actor=Actor.system("test")).written
    return Household.objects.select_related("village").get(import_no="H1")


def _actor(role: str, scope: str) -> Actor:
    return Actor(label=role, role=role, scope=scope)


def test_the_action_sets_the_facts_with_one_audit_row(tmp_path: Path, villages: Any) -> None:
    h = _household(tmp_path)
    child = Person.objects.get(relation="child")
    update_exit_facts(
        _actor(Role.VILLAGE_CADRE, "141102001001"),
        h,
        exempt_persons=frozenset({child.pk}),
        relocated_keys=True,
        water_litres_per_day=Decimal("30"),
        water_fetch_minutes=5,
        water_days_without=0,
        water_quality_ok=True,
        water_dry_area=True,
    )
    h.refresh_from_db()
    child.refresh_from_db()
    assert h.relocated_keys and h.water_dry_area and child.school_exempt_health
    audit = AuditEvent.objects.get(action="registry.update_exit_facts")
    assert audit.before["relocated_keys"] is None and audit.after["relocated_keys"] is True
    assert audit.after["school_exempt_health"] == [child.pk]


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.VILLAGE_CADRE, "141102001002"),  # another village
        (Role.TOWNSHIP_OFFICER, "141102002"),  # another township
        (Role.AUDITOR, "1411"),  # reads, never writes
        (Role.ASSIGNED_CADRE, "141102001001"),  # proposes, never writes the registry
    ],
)
def test_the_action_is_refused_outside_the_region_and_for_read_only_roles(
    tmp_path: Path, villages: Any, role: str, scope: str
) -> None:
    h = _household(tmp_path)
    with pytest.raises(PermissionDenied):
        update_exit_facts(_actor(role, scope), h, water_quality_ok=False)
    h.refresh_from_db()
    assert h.water_quality_ok is None and not AuditEvent.objects.filter(action="registry.update_exit_facts").exists()
