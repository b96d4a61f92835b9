"""民生账本: each payment of a household by month, with the reason regenerated from the run's snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jingzhun.ledger.actions import reverse_payment
from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.runs import run_month
from jingzhun.ledger.statements import build_statement
from tests.ledger.cli import jingzhun
from tests.ledger.pdfs import embedded_fonts, text
from tests.ledger.test_run_month_adjustments import _reform

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(county: dict[str, Any], system: Any) -> Any:
    """May and June paid; June raised by a reform; May's 高龄补贴 reversed."""
    household = county["households"][0]
    run_month("2020-05", actor=system)
    run_month("2020-06", actor=system)
    run_month("2020-06", actor=system, params=_reform("6000"))
    may_elderly = PaymentLine.objects.get(household=household, month__month=5, program="elderly_allowance")
    reverse_payment(system, may_elderly.pk, "出生日期登记错误")
    return household


def test_statement_lists_every_line_by_month_with_totals(history: Any) -> None:
    statement = build_statement(history)
    months = statement.by_month()
    assert [(m.month, len(entries), total) for m, entries, total in months] == [
        (5, 4, 51530 - 3000),
        (6, 5, 50000 + 10000 + 3000),
    ]
    assert statement.total_fen == 48530 + 63000
    assert statement.head == history.persons.get().name


def test_each_payment_carries_its_reason_from_the_snapshot(history: Any) -> None:
    entries = {(e.month.month, e.program, e.kind): e for e in build_statement(history).entries}
    dibao = entries[(5, "dibao", "发放")]
    assert "按当时输入重算应发 404.42 元" in dibao.reason
    assert "农村低保标准（每人每年）：4853 元/年（吕梁市（市级），2020-01-01 起" in dibao.reason
    raised = entries[(6, "dibao", "调整")]
    assert raised.amount == "95.58"
    assert "原净额 404.42 元，现应发 500.00 元" in raised.reason
    assert "：6000 元/年（吕梁市（市级），2020-01-01 起）" in raised.reason  # a city-wide reform (issue #13)
    assert "按当时输入重算应发 500.00 元" in raised.reason
    reversal = entries[(5, "elderly_allowance", "冲正")]
    assert reversal.amount == "-30.00" and "出生日期登记错误" in reversal.reason


def test_statement_pdf_embeds_the_font_and_shows_the_reasons(history: Any, tmp_path: Path) -> None:
    out = tmp_path / "statement.pdf"
    result = jingzhun("ledger", "statement", history.household_no, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert any("WenQuanYi" in name for name in embedded_fonts(out))
    content = text(out)
    assert "民生账本" in content and "低保补差" in content and "出生日期登记错误" in content


def test_statement_of_an_unknown_household_is_refused(tmp_path: Path) -> None:
    result = jingzhun("ledger", "statement", "NOPE", "--out", str(tmp_path / "s.pdf"))
    assert result.exit_code == 2 and "不存在" in result.stderr


def test_a_county_officer_sees_the_statement_page(history: Any, personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["alice"])
    response = client.get(f"/ledger/household/{history.household_no}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "民生账本" in page and "2020 年 05 月" in page and "出生日期登记错误" in page and "依据" in page


def test_an_officer_of_another_county_is_refused(history: Any, personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["zoe"])
    assert client.get(f"/ledger/household/{history.household_no}/").status_code == 404


def test_a_village_cadre_of_another_village_is_refused(county: dict[str, Any], personas: dict[str, Any]) -> None:
    other = county["households"][-1]  # 吴城村, not victor's 信义村
    client = Client()
    client.force_login(personas["victor"])
    assert client.get(f"/ledger/household/{other.household_no}/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_login(county: dict[str, Any]) -> None:
    response = Client().get(f"/ledger/household/{county['households'][0].household_no}/")
    assert response.status_code == 302 and "/login/" in response["Location"]
