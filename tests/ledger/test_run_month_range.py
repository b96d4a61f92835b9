"""A month run refuses a month before 2014-01 or after next month, in Chinese, writing nothing (CLI alike)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jingzhun.assistance.run_months import check_run_month, latest_run_month
from jingzhun.core.models import AuditEvent
from jingzhun.ledger.models import MonthRun, PaymentLine
from jingzhun.ledger.runs import run_month
from tests.ledger.cli import jingzhun

pytestmark = pytest.mark.django_db


def months_after(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def nothing_written() -> bool:
    return not PaymentLine.objects.exists() and not MonthRun.objects.exists() and not AuditEvent.objects.exists()


def test_latest_month_is_the_month_after_today() -> None:
    assert latest_run_month(dt.date(2020, 6, 15)) == dt.date(2020, 7, 1)
    assert latest_run_month(dt.date(2020, 12, 31)) == dt.date(2021, 1, 1)
    assert latest_run_month(dt.date(2021, 1, 31)) == dt.date(2021, 2, 1)
    assert latest_run_month() == months_after(timezone.localdate().replace(day=1), 1)


def test_bounds_are_2014_01_and_next_month() -> None:
    today = dt.date(2020, 6, 15)
    for ok in (dt.date(2014, 1, 1), dt.date(2020, 6, 1), dt.date(2020, 7, 1)):
        check_run_month(ok, today)
    with pytest.raises(ValidationError, match="不能早于 2014-01（建档立卡开始），得到 2013-12"):
        check_run_month(dt.date(2013, 12, 1), today)
    with pytest.raises(ValidationError, match=r"最晚只能是下个月 2020-07.*得到 2020-08"):
        check_run_month(dt.date(2020, 8, 1), today)


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize("month", ["2099-12", "1999-01", "2013-12", "after-next"])
def test_run_month_refuses_out_of_range_months(county: dict[str, Any], system: Any, month: str, dry_run: bool) -> None:
    if month == "after-next":
        month = f"{months_after(latest_run_month(), 1):%Y-%m}"
    with pytest.raises(ValidationError, match="发放月份"):
        run_month(month, actor=system, dry_run=dry_run)
    assert nothing_written()


def test_next_month_and_2020_months_still_run(county: dict[str, Any], system: Any) -> None:
    run_month(latest_run_month(), actor=system, dry_run=True)  # no refusal
    assert run_month("2020-06", actor=system).lines_added == 12


def test_the_cli_refuses_with_exit_1_and_a_chinese_message(county: dict[str, Any]) -> None:
    result = jingzhun("run-month", "2099-12")
    assert result.exit_code == 1
    assert "发放月份最晚只能是下个月" in result.stderr and "未写入任何记录" in result.stderr
    result = jingzhun("run-month", "2013-12", "--dry-run")
    assert result.exit_code == 1 and "不能早于 2014-01" in result.stderr
    assert nothing_written()
    assert jingzhun("run-month", "2020-06").exit_code == 0


def test_the_cli_names_a_missing_parameter_in_chinese(county: dict[str, Any], monkeypatch: Any) -> None:
    from tests.ledger.factories import make_household
    from tests.policy.trees import use_no_urban_standard

    use_no_urban_standard(monkeypatch)
    make_household(county["v11"], "U1411020010010001", area="urban")  # parameters without an urban 低保 standard
    result = jingzhun("run-month", "2020-06", "--dry-run")
    assert result.exit_code == 0
    assert "户 U1411020010010001：缺少参数：城市低保标准" in result.stdout
    assert "dibao.standard.urban" not in result.stdout


def test_existing_roll_enrollment_takes_the_same_months_as_a_run(county: dict[str, Any], regions: Any) -> None:
    from jingzhun.assistance.actions import approve_eligible
    from jingzhun.core.actions import Actor

    admin = Actor.system("test")
    with pytest.raises(ValidationError, match="发放月份最晚只能是下个月"):
        approve_eligible(admin, "2099-12")
    with pytest.raises(ValidationError, match="不能早于 2014-01"):
        approve_eligible(admin, "2013-12")
