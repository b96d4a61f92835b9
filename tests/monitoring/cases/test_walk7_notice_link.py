"""Walk 7: a 帮扶 cadre's case page linked 打印公示, which answers a 帮扶 cadre 404 (the 公示 sheet is the
village's, notice_views). The link is now shown to the village and not to the 帮扶 cadre."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.registry.models import Household
from tests.monitoring.cases.test_actions import _walk

pytestmark = pytest.mark.django_db
SHEET = "/monitoring/cases/notice/141102001001/2020-06-04/"


@pytest.fixture
def case(household: Any, personas: Any) -> Any:
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import Case

    h = household("v11", members=[{}, {}], incomes={2019: 500_000})
    Household.objects.filter(pk=h.pk).update(assigned_cadre=personas["carl"])
    run_assessment(dt.date(2020, 6, 1), actor=Actor.system("test"), region_prefix="141102", on=dt.date(2020, 6, 2))
    return Case.objects.get(household=h)


def test_the_village_sees_the_print_link_and_the_cadre_does_not(
    client: Any, case: Any, personas: Any, actor: Any
) -> None:
    _walk(case, personas, actor, "review")
    client.force_login(personas["victor"])
    assert SHEET in client.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert client.get(SHEET).status_code == 200
    client.force_login(personas["carl"])
    page = client.get(f"/monitoring/cases/{case.pk}/")
    assert page.status_code == 200 and "公示开始" in page.content.decode()
    assert SHEET not in page.content.decode()
    assert client.get(SHEET).status_code == 404
