"""Names refuse <, > and control characters and 帮扶人电话 must look like a phone number: in the actions
(model validators run by full_clean) and in the importer (a row error), each in Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry import actions
from jingzhun.registry.importer import import_file
from jingzhun.registry.validators import phone_problem

from .conftest import member, row, write_xlsx
from .test_actions import household, person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("0358-8221234", True),
        ("+86 138 1234 5678", True),
        ("8221234", True),
        ("", True),
        ("822123", False),  # 6 digits
        ("1234567890123456", False),  # 16 digits
        ("abc<script>", False),
        ("138 1234 567x", False),
        ("-13812345678", False),
        ("138++12345678", False),
        ("１３８１２３４５６７８", False),  # full-width digits are not dialled from a tel: link
    ],
)
def test_phone_shape(phone: str, ok: bool) -> None:
    assert (phone_problem(phone) is None) == ok


def test_update_household_refuses_a_bad_phone_and_writes_nothing(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.update_household(actors["victor"], home, cadre_phone="abc<script>")
    assert "帮扶人电话只能由数字" in str(refused.value.message_dict["cadre_phone"])
    home.refresh_from_db()
    assert home.cadre_phone == "" and AuditEvent.objects.count() == before


def test_add_person_refuses_a_name_with_markup(actors: dict[str, Any]) -> None:
    home = household(actors["alice"])
    with pytest.raises(ValidationError) as refused:
        actions.add_person(actors["alice"], home, **person("child", name="<b>小明</b>"))
    assert refused.value.message_dict["name"] == ["姓名不能包含 <、> 或换行、制表符等控制字符"]
    assert home.persons.count() == 2


def test_the_importer_reports_a_bad_name_and_a_bad_phone_per_row(tmp_path: Path, villages: Any) -> None:
    rows = [row("H1", 帮扶人电话="call me"), member("H1", 姓名="李<秀>英"), row("H2", 帮扶责任人="王\n五")]
    report = import_file(write_xlsx(tmp_path / "bad.xlsx", rows), actor=Actor.system("test"))
    assert not report.written
    lines = report.error_lines()
    assert any(line.startswith("第2行 [帮扶人电话] 帮扶人电话只能由数字") for line in lines), lines
    assert "第3行 [姓名] 姓名不能包含 <、> 或换行、制表符等控制字符 [name]" in lines
    assert "第4行 [帮扶责任人] 帮扶责任人不能包含 <、> 或换行、制表符等控制字符 [cadre_name]" in lines


def test_the_importer_takes_a_phone_that_excel_stored_as_a_number(tmp_path: Path, villages: Any) -> None:
    report = import_file(write_xlsx(tmp_path / "ok.xlsx", [row("H1", 帮扶人电话=13812345678)]), actor=Actor.system("t"))
    assert report.written, report.error_lines()
