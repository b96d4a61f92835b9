"""返贫预警's 公示: the printable list (masked, no risk facts, 监督电话) and 乡镇审核 disabled until it has run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jingzhun.core.actions import Actor
from jingzhun.public.actions import set_public_contact
from jingzhun.registry.models import Region
from tests.monitoring.cases.test_actions import _walk

pytestmark = pytest.mark.django_db
SHEET = "/monitoring/cases/notice/141102001001/2020-06-04/"


@pytest.fixture
def case(household: Any) -> Any:
    """A case from the June 2020 run for an exited household of 信义村 (as in test_actions.py)."""
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import Case

    h = household("v11", members=[{}, {}], incomes={2019: 500_000})
    run_assessment(dt.date(2020, 6, 1), actor=Actor.system("test"), region_prefix="141102", on=dt.date(2020, 6, 2))
    return Case.objects.get(household=h)


def test_the_case_notice_prints_masked_heads_and_whom_to_call(
    client: Any,
    case: Any,
    personas: Any,
    actor: Any,
) -> None:
    _walk(case, personas, actor, "review")
    set_public_contact(Actor.system("t"), Region.objects.get(code="141102"), office="离石区民政局", phone="12345")
    head = case.household.persons.get(relation="head").name
    client.force_login(personas["victor"])
    page = client.get(SHEET).content.decode()
    assert "信义村防止返贫监测对象公示" in page and "2 人" in page
    assert f"{head[0]}*{head[-1]}" in page and head not in page
    assert "2020年6月4日 至 2020年6月8日" in page and "12345" in page
    sheet = page[page.index('id="notice"') : page.index("</article>")]
    assert "收入" not in sheet and "预警" not in sheet and "风险" not in sheet
    assert client.get("/monitoring/cases/notice/141102001001/2020-06-05/").status_code == 404
    client.force_login(personas["zoe"])
    assert client.get(SHEET).status_code == 404


def test_township_review_is_disabled_with_a_countdown_while_the_notice_runs(
    client: Any,
    case: Any,
    personas: Any,
    actor: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _walk(case, personas, actor, "review")
    client.force_login(personas["tom"])
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2020, 6, 6))
    page = client.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert "公示期至 06-08（还剩 3 天，06-09 起可乡镇审核）" in page
    assert f'href="{SHEET}"' in page
    form = page[page.index('value="township"') :]
    assert 'type="submit" disabled' in form[: form.index("</form>")]
    refused = client.post(f"/monitoring/cases/{case.pk}/", {"step": "township", "opinion": "同意", "on": "2020-06-06"})
    assert "起方可乡镇审核" in refused.content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2020, 6, 9))
    page = client.get(f"/monitoring/cases/{case.pk}/").content.decode()
    form = page[page.index('value="township"') :]
    assert "disabled" not in form[: form.index("</form>")] and "还剩" not in page
