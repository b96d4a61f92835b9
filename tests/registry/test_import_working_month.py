"""Issue #15: an import's date bounds ("not after today", years up to this year) follow the working month
(``JINGZHUN_WORKING_MONTH``), not the calendar: a demo county working in July 2020 cannot import a status
dated 2021, while the same file is accepted once the working month has reached it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.registry.importer import import_file

from .conftest import member, row, write_xlsx

pytestmark = pytest.mark.django_db


def _messages(report: Any, header: str) -> list[str]:
    return [e.message for e in report.errors if e.column == header]


def test_a_date_after_the_working_day_is_refused(
    tmp_path: Path, villages: Any, counts: Callable[[], dict[str, int]], settings: Any
) -> None:
    settings.WORKING_MONTH = "2020-07"
    path = write_xlsx(tmp_path / "h.xlsx", [row("H1", 状态日期="2021-03-01", 建档立卡年份="2021"), member("H1")])
    before = counts()
    report = import_file(path, actor=Actor.system("test"))
    assert not report.written and counts() == before
    assert any("2021-03-01 不合理" in m for m in _messages(report, "状态日期")), report.error_lines()
    assert _messages(report, "建档立卡年份"), report.error_lines()  # a year after 2020


def test_the_same_file_is_accepted_once_the_working_month_reaches_it(
    tmp_path: Path, villages: Any, settings: Any
) -> None:
    settings.WORKING_MONTH = "2021-06"
    path = write_xlsx(tmp_path / "h.xlsx", [row("H1", 状态日期="2021-03-01", 建档立卡年份="2021"), member("H1")])
    report = import_file(path, actor=Actor.system("test"))
    assert report.written, report.error_lines()
