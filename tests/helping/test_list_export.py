"""Issue #15: the household's 帮扶记录 exported to Excel — every record (voided ones marked), the household in
the title, money as 1,234.50 (a number Excel can add), the household's scope (404 outside), audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.helping.actions import add_help_record, void_help_record
from tests.xlsx import opened

pytestmark = pytest.mark.django_db


def test_the_household_help_records_download_with_the_household_in_the_title(
    world: dict[str, Any], personas: dict[str, Any], login: Any
) -> None:
    root = Actor.for_user(personas["root"])
    own = world["own"]
    add_help_record(root, own, date=dt.date(2020, 3, 1), kind="industry", content="发放核桃苗", value_fen=123_450)
    wrong = add_help_record(root, own, date=dt.date(2020, 4, 1), kind="industry", content="录错了")
    void_help_record(root, wrong, reason="重复录入")
    client = login("carl")
    url = f"/assistance/households/{own.household_no}/help/export/"
    assert url in client.get(f"/households/{own.pk}/").content.decode()
    book = opened(client.get(url))
    assert book.title == f"帮扶记录（筛选条件：户编号：{own.household_no}）"
    assert book.column("帮扶内容") == ["录错了", "发放核桃苗"]
    assert book.column("作废原因") == ["重复录入", None]  # an empty cell
    money = book.sheet.cell(row=5, column=book.headers.index("折合金额（元）") + 1)
    assert Decimal(str(money.value)) == Decimal("1234.5") and money.number_format == "#,##0.00"
    assert AuditEvent.objects.filter(action="core.export_list", object_id="帮扶记录").exists()
    assert login("zoe").get(url).status_code == 404
