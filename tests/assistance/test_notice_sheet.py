"""The printable 公示 of a village's batch, its countdown, and 结束公示 disabled until the period is over."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance import actions
from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.public.actions import set_public_contact
from jingzhun.registry.models import Region

pytestmark = pytest.mark.django_db
SUBMITTED = dt.date(2020, 5, 1)
SHEET = "/assistance/notice/141102001001/2020-05-06/"


@pytest.fixture
def batch(personas: dict[str, Any], household: Any, actor: Any, walk: Any) -> list[Any]:
    """Two 低保 applications of 信义村 in 公示 from 2020-05-06 to 2020-05-12, and a third not yet in 公示."""
    victor = actor(personas["victor"])
    apps = []
    for name, members, through in (
        ("张三明", 2, "notice_start"),
        ("欧阳小明", 1, "notice_start"),
        ("王大锤", 1, "survey"),
    ):
        people = [{"name": name}] + [{"name": f"{name}家{i}"} for i in range(members - 1)]
        made = household("v11", members=people)
        apps.append(walk(actions.create_application(victor, made, "dibao", on=SUBMITTED), through))
    return apps


def on_day(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(workday, "today", lambda: day)


def test_the_sheet_lists_the_batch_masked_with_amount_dates_and_the_phone(
    client: Any, personas: dict[str, Any], batch: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    on_day(monkeypatch, dt.date(2020, 5, 9))
    set_public_contact(
        Actor.system("t"), Region.objects.get(code="141102"), office="离石区民政局", phone="0358-8221234"
    )
    client.force_login(personas["victor"])
    page = client.get(SHEET).content.decode()
    assert "信义村社会救助对象公示" in page
    assert "张*明" in page and "欧*明" in page and "2 人" in page and "1 人" in page
    assert "张三明" not in page and "欧阳小明" not in page and "王*锤" not in page  # not in 公示 yet
    assert page.count("低保") >= 2 and "新申请" in page and "2020-05-01" in page
    assert "2020年5月6日 至 2020年5月12日" in page
    assert "0358-8221234" in page and "离石区民政局 · 信义镇人民政府" in page
    assert "信义镇信义村村民委员会" in page
    assert "公示期至 05-12（还剩 4 天，05-13 起可结束公示）" in page
    from jingzhun.assistance.approval_amount import approval_amount

    expected = approval_amount(batch[0], dt.date(2020, 6, 1)).monthly_fen
    assert expected and f"{expected // 100:,}.{expected % 100:02d}" in page
    assert "data-print" in page and "<script>" not in page  # CSP: the print button's script is a static file


def test_a_villages_batches_link_to_their_sheets(client: Any, personas: dict[str, Any], batch: list[Any]) -> None:
    client.force_login(personas["tom"])
    page = client.get("/assistance/notice/141102001001/").content.decode()
    assert 'href="/assistance/notice/141102001001/2020-05-06/"' in page
    assert client.get("/assistance/notice/141102001001/2020-05-07/").status_code == 404
    assert client.get("/assistance/notice/141102001001/not-a-day/").status_code == 404


@pytest.mark.parametrize("login", ["zoe", "carl"])
def test_another_regions_or_a_helping_cadres_view_is_a_404(
    client: Any, personas: dict[str, Any], batch: list[Any], login: str
) -> None:
    client.force_login(personas[login])
    assert client.get(SHEET).status_code == 404


def test_finish_is_disabled_with_a_countdown_until_the_period_is_over(
    client: Any, personas: dict[str, Any], batch: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = batch[0]
    client.force_login(personas["victor"])
    on_day(monkeypatch, dt.date(2020, 5, 12))
    page = client.get(f"/assistance/{app.pk}/").content.decode()
    assert "公示期至 05-12（还剩 1 天，05-13 起可结束公示）" in page
    finish = page[page.index('value="notice_finish"') :]
    assert 'type="submit" disabled' in finish[: finish.index("</form>")]
    assert f'href="{SHEET}"' in page
    refused = client.post(f"/assistance/{app.pk}/", {"step": "notice_finish", "notice_finish-on": "2020-05-12"})
    assert "公示期未满" in refused.content.decode()
    app.refresh_from_db()
    assert app.status == "in_notice"
    on_day(monkeypatch, dt.date(2020, 5, 13))
    page = client.get(f"/assistance/{app.pk}/").content.decode()
    finish = page[page.index('value="notice_finish"') :]
    assert "disabled" not in finish[: finish.index("</form>")]
    client.post(f"/assistance/{app.pk}/", {"step": "notice_finish", "notice_finish-on": "2020-05-13"})
    app.refresh_from_db()
    assert app.status == "noticed"
