"""Free text in the ledger's PDFs prints literally: reportlab markup in a reason or a name is not obeyed (issue #11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jingzhun.ledger.actions import reverse_payment
from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.runs import run_month
from tests.ledger.cli import jingzhun
from tests.ledger.pdfs import text

pytestmark = pytest.mark.django_db
FORGED = "<b>已停发</b><font size=40>x"


def statement(household: Any, tmp_path: Path) -> str:
    out = tmp_path / "statement.pdf"
    result = jingzhun("ledger", "statement", household.household_no, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return text(out)


@pytest.mark.parametrize("reason", [FORGED, "年龄 < 80 周岁", "户主 & 配偶 重复", "<", "重复<br/>发放", "年龄<80"])
def test_a_reversal_reason_with_markup_prints_literally(
    county: dict[str, Any], system: Any, tmp_path: Path, reason: str
) -> None:
    household = county["households"][0]
    run_month("2020-06", actor=system)
    line = PaymentLine.objects.get(household=household, program="elderly_allowance")
    reverse_payment(system, line.pk, reason)
    content = statement(household, tmp_path)
    assert reason in content.replace("\n", "")
    assert "高龄补贴" in content  # the rest of the 民生账本 is still there


def test_a_head_and_village_named_with_markup_print_literally(
    county: dict[str, Any], system: Any, tmp_path: Path
) -> None:
    household = county["households"][0]
    household.persons.update(name="<i>张&三")
    county["v11"].__class__.objects.filter(pk=county["v11"].pk).update(name="<u>信义村</u>")
    run_month("2020-06", actor=system)
    content = statement(household, tmp_path).replace("\n", "")
    assert "户主：<i>张&三" in content and "<u>信义村</u>" in content


def test_the_month_report_pdf_prints_a_marked_up_region_name_literally(
    county: dict[str, Any], system: Any, tmp_path: Path
) -> None:
    from jingzhun.registry.models import Region

    Region.objects.filter(code="141102").update(name="离石区<font size=40>已停发")
    run_month("2020-06", actor=system)
    out = tmp_path / "report.pdf"
    assert jingzhun("report", "month", "2020-06", "--region", "141102", "--out", str(out)).exit_code == 0
    assert "离石区<font size=40>已停发" in text(out).replace("\n", "")
