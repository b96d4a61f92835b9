"""Issue #15: 发放明细 exported to Excel — a run's month in its region (all programs or one), and one
household's 民生账本; money as numbers shown 1,234.50; the region's scope applied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from jingzhun.ledger.models import PaymentLine
from tests.xlsx import opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(county: dict[str, Any], system: Any) -> Any:
    from jingzhun.ledger.runs import run_month

    return run_month("2020-06", region_prefix="141102", actor=system)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_run_page_exports_the_months_lines(run: Any, personas: dict[str, Any]) -> None:
    client = _client(personas["alice"])
    page = client.get(f"/runs/{run.run_id}/").content.decode()
    assert "导出发放明细" in page and 'href="?format=xlsx&amp;program=dibao"' in page
    book = opened(client.get(f"/runs/{run.run_id}/", {"format": "xlsx"}))
    assert book.title.startswith("发放明细（筛选条件：发放月份：2020-06") and "离石区" in book.title
    lines = PaymentLine.objects.filter(month="2020-06-01", household__village__code__startswith="141102")
    assert sorted(book.column("台账行")) == sorted(lines.values_list("pk", flat=True))
    total = sum(Decimal(str(v)) for v in book.column("金额（元）"))
    assert total * 100 == sum(lines.values_list("amount_fen", flat=True))
    dibao = opened(client.get(f"/runs/{run.run_id}/", {"format": "xlsx", "program": "dibao"}))
    assert dibao.title.endswith("项目：低保补差）")
    assert len(dibao.rows) == lines.filter(program="dibao").count()


def test_a_household_statement_exports_its_lines(run: Any, county: dict[str, Any], personas: dict[str, Any]) -> None:
    household = county["households"][0]
    client = _client(personas["tom"])
    url = f"/ledger/household/{household.household_no}/"
    assert "导出Excel" in client.get(url).content.decode()
    book = opened(client.get(url, {"format": "xlsx"}))
    assert book.title == f"民生账本（筛选条件：户编号：{household.household_no}）"
    assert len(book.rows) == PaymentLine.objects.filter(household=household).count() > 0
    assert _client(personas["zoe"]).get(url, {"format": "xlsx"}).status_code == 404
