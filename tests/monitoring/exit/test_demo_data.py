"""The demo's exits: lists at every stage, the closed villages' households exited, payments untouched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jingzhun.core.actions import Actor
from jingzhun.monitoring.exit.demo_data import add_demo_exits
from jingzhun.monitoring.models import ExitList
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import HouseholdStatusEvent
from jingzhun.synth.generate import generate_county

pytestmark = pytest.mark.django_db


def test_the_demo_has_lists_at_every_stage_and_exits_done(tmp_path: Path) -> None:
    synth = generate_county("141102", 8000, 2020, tmp_path)
    actor = Actor.system("demo")
    for path in (synth.regions_path, synth.households_path):
        assert import_file(path, actor=actor).written
    from django.db.models import Count

    from jingzhun.registry.models import Household

    poorest = Household.objects.filter(status="not_exited", active=True).values("village__code")
    login = poorest.annotate(n=Count("id")).order_by("-n", "village__code")[0]["village__code"]
    said = add_demo_exits(actor, "141102", 2020, login_village=login)
    stages = list(ExitList.objects.order_by("id").values_list("stage", flat=True))
    # walk8: a list waits for each role — the township's 乡镇核实, the county's 公告 and 销号
    assert stages[:4] == ["publicized", "township_verified", "announced", "closed"], said
    assert not ExitList.objects.filter(village__code=login).exists()
    assert f"{login} 有" in said and "户可提出预退出" in said
    in_login_township = [x.village.code[:9] == login[:9] for x in ExitList.objects.order_by("id")]
    assert in_login_township == sorted(in_login_township, reverse=True)  # the login township's villages first
    closed = ExitList.objects.filter(stage="closed")
    exited = HouseholdStatusEvent.objects.filter(note__contains="2020 年脱贫退出")
    assert exited.count() == sum(x.entries.count() for x in closed) > 0
    assert all(e.household.status == "exited_supported" for e in exited.select_related("household"))
    assert (
        said.startswith(
            f"已建立 2020 年预退出名单 {len(stages)} 个村：销号 {stages.count('closed')} 个村、县已公告 1 个"
        )
        and "用时" in said
    )
    # every step before the demo's working month (2020-07): no date in the demo's future
    from jingzhun.monitoring.models import ExitStep

    dates = list(ExitStep.objects.values_list("date", flat=True))
    assert dates and max(dates) < dt.date(2020, 7, 1), max(dates)


def test_exit_dates_are_checked_against_the_working_day(settings: object) -> None:
    """Exit steps count from core.workday like every workflow: in working month 2020-07 a September date is
    the future (the demo's exits used to be dated September–October 2020, after its working month)."""
    from django import forms

    from jingzhun.monitoring.exit.forms import not_in_future

    settings.WORKING_MONTH = "2020-07"  # type: ignore[attr-defined]
    not_in_future(dt.date(2020, 7, 1))
    with pytest.raises(forms.ValidationError, match="日期不能晚于今天（2020-07-"):
        not_in_future(dt.date(2020, 9, 1))
