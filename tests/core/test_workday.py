"""The working month (JINGZHUN_WORKING_MONTH): defaults and bounds follow it, the header shows it, the demo
keeps it for its server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jingzhun.policy.working_month import month_after, parse_month, working_day

REAL_TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def in_july_2020(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The calendar says 2026-12-06; the county works in 2020-07."""
    settings.WORKING_MONTH = "2020-07"
    monkeypatch.setattr("jingzhun.core.workday.timezone.localdate", lambda: REAL_TODAY)


def test_working_day_keeps_the_day_of_month_clamped_to_the_working_month() -> None:
    assert working_day(dt.date(2020, 7, 1), REAL_TODAY) == dt.date(2020, 7, 6)
    assert working_day(dt.date(2020, 2, 1), dt.date(2026, 3, 31)) == dt.date(2020, 2, 29)
    assert working_day(None, REAL_TODAY) == REAL_TODAY
    assert working_day(dt.date(2026, 12, 1), REAL_TODAY) == REAL_TODAY
    assert month_after(dt.date(2020, 12, 1)) == dt.date(2021, 1, 1)


@pytest.mark.parametrize("text", ["2020-13", "2020/07", "七月", "", "1999-01"])
def test_a_bad_working_month_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(ValueError, match="工作月份应写成 YYYY-MM"):
        parse_month(text)
    assert parse_month(" 2020-7 ") == dt.date(2020, 7, 1)


def test_default_is_the_calendar_month(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from jingzhun.core import workday

    settings.WORKING_MONTH = ""
    monkeypatch.setattr("jingzhun.core.workday.timezone.localdate", lambda: REAL_TODAY)
    assert workday.today() == REAL_TODAY and workday.note() == ""


def test_the_month_a_run_may_pay_follows_the_working_month(in_july_2020: None) -> None:
    from django.core.exceptions import ValidationError

    from jingzhun.assistance.run_months import check_run_month, latest_run_month

    assert latest_run_month() == dt.date(2020, 8, 1)
    check_run_month(dt.date(2020, 7, 1))
    with pytest.raises(ValidationError, match="2020-08"):
        check_run_month(dt.date(2020, 9, 1))


def test_a_step_dated_after_the_working_day_is_refused(in_july_2020: None) -> None:
    from django.core.exceptions import ValidationError

    from jingzhun.assistance.steps import check_past, date_or_today

    assert date_or_today(None) == dt.date(2020, 7, 6)
    assert check_past(dt.date(2020, 7, 6), "on", "日期") == dt.date(2020, 7, 6)
    with pytest.raises(ValidationError, match="不能晚于今天（2020-07-06）"):
        check_past(dt.date(2020, 7, 7), "on", "日期")


def test_help_record_form_defaults_to_the_working_day_and_refuses_later_dates(
    in_july_2020: None, household: Callable[..., Any], personas: dict[str, Any]
) -> None:
    home = household("v11", registered_year=2016, status="not_exited")
    client = Client()
    client.force_login(personas["victor"])
    url = reverse("helping:help_new", args=[home.household_no])
    page = client.get(url).content.decode()
    assert 'value="2020-07-06"' in page
    answer = client.post(url, {"date": "2020-08-01", "kind": "visit", "content": "走访", "public": ""})
    assert answer.status_code == 200
    assert "帮扶日期不能晚于今天（2020-07-06）" in answer.content.decode()


def test_staff_header_shows_a_working_month_that_is_not_the_calendars(
    settings: Any, in_july_2020: None, personas: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["alice"])
    assert "工作月份 2020-07（不是当前月份 2026-12）" in client.get("/").content.decode()
    settings.WORKING_MONTH = ""
    assert "工作月份" not in client.get("/").content.decode()


def test_household_page_opens_on_the_working_month(in_july_2020: None) -> None:
    from jingzhun.ledger.entitlements import current_month

    assert current_month() == "2020-07"


def test_demo_keeps_its_working_month_for_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jingzhun.cli.demo import DEMO_MONTH, DEMO_WORKING_MONTH
    from jingzhun.cli.site import keep_demo_working_month, use_kept_working_month

    assert parse_month(DEMO_WORKING_MONTH) == month_after(parse_month(DEMO_MONTH))
    monkeypatch.setenv("JINGZHUN_HOME", str(tmp_path))
    monkeypatch.delenv("JINGZHUN_WORKING_MONTH", raising=False)
    assert keep_demo_working_month(DEMO_WORKING_MONTH) == "2020-07"
    assert (tmp_path / "var" / "working-month").read_text(encoding="utf-8").strip() == "2020-07"
    monkeypatch.delenv("JINGZHUN_WORKING_MONTH")  # a later `jingzhun serve` in a fresh shell
    assert use_kept_working_month() == "2020-07"
    monkeypatch.setenv("JINGZHUN_WORKING_MONTH", "2021-03")  # the environment wins
    assert use_kept_working_month() == "2021-03"


def test_application_step_dates_default_to_the_working_day(in_july_2020: None) -> None:
    from jingzhun.assistance.forms import TownshipReviewForm

    field = TownshipReviewForm.base_fields["on"]
    assert callable(field.initial) and field.initial() == dt.date(2020, 7, 6)
