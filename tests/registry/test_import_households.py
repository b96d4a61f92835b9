"""A clean household file is written whole, in one transaction, with one audit row."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, HouseholdStatusEvent, IncomeRecord, Person

from .conftest import member, row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _family() -> list[dict[str, Any]]:
    return [
        row("H1", 致贫原因="因病、缺技术", 取消资格情形="车辆"),
        member("H1", 慢性病="高血压、糖尿病", 残疾等级="2", 残疾类别="肢体", 第二代残疾证="是"),
        member("H1", "子女", birth=dt.date(2008, 9, 1), sex="M", 在校情况="义务教育", 工资性收入="", 转移性收入=""),
        row("H2", birth=dt.date(1950, 1, 1), sex="F", 建档立卡年份=None, 户状态=None, 状态日期=None, 致贫原因=None),
    ]


def test_a_clean_file_creates_households_persons_incomes_and_one_audit_row(tmp_path: Path, villages: Any) -> None:
    path = write_xlsx(tmp_path / "户籍.xlsx", _family())
    report = import_file(path, actor=Actor.system("test"))
    assert report.error_lines() == []
    assert (report.written, report.households, report.persons, report.template) == (True, 2, 4, "households")
    h1 = Household.objects.get(import_no="H1")
    assert (h1.village.code, h1.area, h1.registered_year, h1.status, h1.housing_area) == (
        "141102001001",
        "rural",
        2016,
        "not_exited",
        Decimal("86.50"),
    )
    assert h1.poverty_causes == ["illness", "lack_technology"] and h1.disqualified == ["vehicle"]
    assert h1.registered_poor and not Household.objects.get(import_no="H2").registered_poor
    assert list(HouseholdStatusEvent.objects.values_list("household__import_no", "status", "date")) == [
        ("H1", "not_exited", dt.date(2016, 5, 1))
    ]
    spouse = Person.objects.get(household=h1, relation="spouse")
    assert (spouse.disability_grade, spouse.disability_category, spouse.disability_card_gen2) == (2, "physical", True)
    assert spouse.chronic_diseases == ["高血压", "糖尿病"] and spouse.care_setting == "home"
    income = IncomeRecord.objects.get(person=spouse)
    assert (income.year, income.wages_fen, income.transfer_fen, income.farming_fen) == (2019, 120050, 30000, 0)
    audit = AuditEvent.objects.get()
    assert (audit.action, audit.object_id, audit.region_code) == ("registry.import", report.sha256, "141102")
    assert audit.after == {
        "file": "户籍.xlsx",
        "sha256": report.sha256,
        "regions": 0,
        "households": 2,
        "persons": 4,
        "status_events": 1,
        "incomes": 4,
        "assigned": 2,
    }


def test_a_dry_run_checks_everything_and_writes_nothing(
    tmp_path: Path, villages: Any, counts: Callable[[], dict[str, int]]
) -> None:
    before = counts()
    report = import_file(write_xlsx(tmp_path / "h.xlsx", _family()), actor=Actor.system("test"), dry_run=True)
    assert report.ok and not report.written and report.dry_run
    assert (report.households, report.persons) == (2, 4)
    assert counts() == before
    assert "试运行，未写入" in report.summary()


def test_csv_imports_like_xlsx(tmp_path: Path, villages: Any) -> None:
    report = import_file(write_csv(tmp_path / "h.csv", _family()), actor=Actor.system("test"))
    assert report.written, report.error_lines()
    assert Person.objects.count() == 4


def test_csv_with_a_byte_order_mark_imports(tmp_path: Path, villages: Any) -> None:
    report = import_file(write_csv(tmp_path / "h.csv", _family(), encoding="utf-8-sig"), actor=Actor.system("test"))
    assert report.written, report.error_lines()


def test_gb18030_csv_from_chinese_excel_imports(tmp_path: Path, villages: Any) -> None:
    path = write_csv(tmp_path / "h.csv", _family(), encoding="gb18030")
    report = import_file(path, actor=Actor.system("test"))
    assert report.written, report.error_lines()
    assert Person.objects.filter(name="李秀英").count() == 2


def test_excel_typed_cells_numbers_and_dates_read_as_their_values(tmp_path: Path, villages: Any) -> None:
    head = row("H1", 建档立卡年份=2016, 住房面积=86.5, 收入年度=2019, 种养殖收入=3200, 状态日期=dt.date(2016, 5, 1))
    head["出生日期"] = dt.date(1958, 3, 12)
    report = import_file(write_xlsx(tmp_path / "typed.xlsx", [head]), actor=Actor.system("test"))
    assert report.written, report.error_lines()
    assert IncomeRecord.objects.get().farming_fen == 320000
    assert Household.objects.get().status_date == dt.date(2016, 5, 1)


def test_member_rows_may_repeat_the_household_cells(tmp_path: Path, villages: Any) -> None:
    head = row("H1")
    same = {k: v for k, v in head.items() if k in ("村代码", "地址", "城乡类别", "住房安全等级", "饮水安全")}
    report = import_file(write_xlsx(tmp_path / "h.xlsx", [head, member("H1", **same)]), actor=Actor.system("test"))
    assert report.written, report.error_lines()


def test_progress_reaches_the_total(tmp_path: Path, villages: Any) -> None:
    calls: list[tuple[int, int]] = []
    import_file(
        write_xlsx(tmp_path / "h.xlsx", _family()),
        actor=Actor.system("test"),
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1][0] == calls[-1][1] == 12
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_crash_while_writing_leaves_nothing(
    tmp_path: Path, villages: Any, counts: Callable[[], dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jingzhun.registry import bulk

    real_insert = bulk._insert

    def insert_then_crash(model: Any, rows: Any, report: Any) -> None:
        real_insert(model, rows, report)
        if model is Person:
            raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "_insert", insert_then_crash)
    before = counts()
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(write_xlsx(tmp_path / "h.xlsx", _family()), actor=Actor.system("test"))
    assert counts() == before


def test_an_auditor_may_dry_run_but_not_import(tmp_path: Path, actors: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    path = write_xlsx(tmp_path / "h.xlsx", _family())
    assert import_file(path, actor=actors["audrey"], dry_run=True).ok
    with pytest.raises(PermissionDenied, match="只读"):
        import_file(path, actor=actors["audrey"])
    assert Household.objects.count() == 0


def test_a_village_cadre_imports_their_own_village(tmp_path: Path, actors: dict[str, Any]) -> None:
    report = import_file(write_xlsx(tmp_path / "h.xlsx", _family()), actor=actors["victor"])
    assert report.written, report.error_lines()
    assert AuditEvent.objects.get(action="registry.import").actor_label == "victor"


def test_an_unreadable_file_is_one_error_about_the_file(tmp_path: Path, villages: Any) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    report = import_file(path, actor=Actor.system("test"))
    assert not report.written and report.errors[0].row == 0
    assert str(report.errors[0]).startswith("[文件] 无法读取 Excel 文件")
    assert "文件已损坏" in report.errors[0].message
    assert "Zip" not in report.errors[0].message and "EOCD" not in report.errors[0].message  # no library English


def test_a_truncated_xlsx_is_told_in_chinese(tmp_path: Path, villages: Any) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [row("H1")]).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])  # an interrupted download or copy
    message = import_file(path, actor=Actor.system("test")).errors[0].message
    assert message.startswith("无法读取 Excel 文件：文件已损坏")
    assert not re.search(r"[A-Za-z]", re.sub(r"Excel|\.xlsx|\.csv", "", message))  # no library English


def test_a_header_only_file_is_refused(tmp_path: Path, villages: Any) -> None:
    report = import_file(write_xlsx(tmp_path / "empty.xlsx", []), actor=Actor.system("test"))
    assert report.error_lines() == ["[文件] 文件只有表头，没有数据行"]


def test_the_four_statuses_import_by_label_and_older_labels_still_read(tmp_path: Path, villages: Any) -> None:
    rows = [
        row("S1", 户状态="未脱贫"),
        row("S2", 户状态="已脱贫（享受政策）", 监测对象="是"),
        row("S3", 户状态="返贫"),
        row("S4", 户状态="已脱贫(不再享受政策)"),  # half-width brackets
        row("S5", 户状态="监测"),  # the old label: 已脱贫（享受政策）, the mark comes from 监测对象 only
        row("S6", 户状态="识别"),
    ]
    report = import_file(write_csv(tmp_path / "户籍.csv", rows), actor=Actor.system("test"))
    assert report.error_lines() == [] and report.written
    got = dict(Household.objects.values_list("import_no", "status"))
    assert got == {
        "S1": "not_exited",
        "S2": "exited_supported",
        "S3": "returned",
        "S4": "exited_closed",
        "S5": "exited_supported",
        "S6": "not_exited",
    }
    assert list(Household.objects.filter(monitored=True).values_list("import_no", flat=True)) == ["S2"]
    bad = import_file(write_csv(tmp_path / "坏.csv", [row("S9", 户状态="脱贫")]), actor=Actor.system("test"))
    assert not bad.written
    assert any(
        "「脱贫」不是允许的值，可选：未脱贫、已脱贫（享受政策）、返贫、已脱贫（不再享受政策）" in e
        for e in bad.error_lines()
    )
