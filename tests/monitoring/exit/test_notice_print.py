"""The exit 公示 on the shared printable sheet: masked names, the county's 监督电话, 乡镇核实 disabled until it ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jingzhun.core.actions import Actor
from jingzhun.monitoring.models import ExitList
from jingzhun.public.actions import set_public_contact
from jingzhun.registry.models import Household, Region
from tests.monitoring.exit.test_pages import V, passing, step  # noqa: F401  (passing: the fixture)

pytestmark = pytest.mark.django_db


def test_the_exit_notice_prints_on_the_shared_sheet_and_township_waits_for_its_end(
    login: Any,
    world: Any,
    passing: Household,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_public_contact(
        Actor.system("t"), Region.objects.get(code="141102"), office="离石区民政局", phone="0358-8221234"
    )
    victor = login("victor")
    victor.post(V + "propose/", {"household": [passing.pk], "date": "2020-06-01"}, follow=True)
    exit_list = ExitList.objects.get()
    step(victor, exit_list, "review", date="2020-06-03", note="同意")
    entry = exit_list.entries.get()
    victor.post(f"/monitoring/exit/entries/{entry.pk}/sign/", {"signed_by": "孙有福", "date": "2020-06-05"})
    step(victor, exit_list, "verify", date="2020-06-06")
    assert "已登记村公示" in step(victor, exit_list, "publicize", start="2020-06-07", end="2020-06-13").content.decode()
    notice = victor.get(f"/monitoring/exit/lists/{exit_list.pk}/notice/").content.decode()
    assert "2020 年拟退出贫困户公示" in notice and "孙*福" in notice and "孙有福" not in notice
    assert "0358-8221234" in notice and "2020年6月7日 至 2020年6月13日" in notice and "data-print" in notice
    tom = login("tom")
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2020, 6, 13))
    page = tom.get(V).content.decode()
    form = page[page.index('id="township-form"') :]
    assert "公示期至 06-13" in form and 'type="submit" disabled' in form[: form.index("</form>")]
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2020, 6, 14))
    form = tom.get(V).content.decode()
    form = form[form.index('id="township-form"') :]
    assert "disabled" not in form[: form.index("</form>")]
