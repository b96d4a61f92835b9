"""帮扶记录 pages: add and void through the actions, region scoping (404), auditors (403), the include."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.helping.actions import add_help_record
from jingzhun.helping.models import HelpRecord

pytestmark = pytest.mark.django_db

GOOD = {
    "date": "2020-05-04",
    "kind": "employment",
    "content": "联系乡林业站，为户主安排护林员公益岗位，月工资 800 元",
    "value": "800.50",
    "public": "on",
    "public_text": "安排护林员公益岗位",
}


def _new_url(household: Any) -> str:
    return f"/assistance/households/{household.household_no}/help/new/"


def _record(world: dict[str, Any], personas: dict[str, Any], key: str = "own", **fields: Any) -> HelpRecord:
    data = {"date": dt.date(2020, 3, 1), "kind": "industry", "content": "发放核桃苗，户里缺劳力需帮栽", **fields}
    return add_help_record(Actor.for_user(personas["root"]), world[key], **data)


def test_assigned_cadre_adds_a_record_for_their_household(world: dict[str, Any], login: Any) -> None:
    client = login("carl")
    page = client.get(_new_url(world["own"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "添加帮扶记录" in html and "护林员" in html and 'name="public_text"' in html
    before = AuditEvent.objects.count()
    done = client.post(_new_url(world["own"]), GOOD)
    assert done.status_code == 302
    assert done["Location"] == f"/households/{world['own'].pk}/#help"
    record = HelpRecord.objects.get()
    assert (record.household, record.kind, record.value_fen) == (world["own"], "employment", 80_050)
    assert record.public and record.public_text == "安排护林员公益岗位" and record.cadre_label == "carl"
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("carl", "own_other"),  # same village, not assigned to carl
        ("carl", "sibling_village"),
        ("victor", "sibling_village"),
        ("tom", "sibling_township"),
        ("alice", "other_county"),
        ("zoe", "own"),
    ],
)
def test_households_outside_the_scope_are_404_and_nothing_written(
    who: str, where: str, world: dict[str, Any], login: Any
) -> None:
    client = login(who)
    assert client.get(_new_url(world[where])).status_code == 404
    assert client.post(_new_url(world[where]), GOOD).status_code == 404
    assert not HelpRecord.objects.exists()


@pytest.mark.parametrize("who", ["victor", "tom", "alice", "root"])
def test_staff_of_the_region_may_add(who: str, world: dict[str, Any], login: Any) -> None:
    assert login(who).post(_new_url(world["own_other"]), GOOD).status_code == 302
    assert HelpRecord.objects.get().household == world["own_other"]


def test_auditor_is_refused(world: dict[str, Any], personas: dict[str, Any], login: Any) -> None:
    client = login("audrey")
    assert client.get(_new_url(world["own"])).status_code == 403
    assert client.post(_new_url(world["own"]), GOOD).status_code == 403
    record = _record(world, personas)
    assert client.post(f"/assistance/help/{record.pk}/void/", {"reason": "审计"}).status_code == 403
    assert HelpRecord.objects.get().voided_at is None


def test_bad_input_shows_chinese_errors_and_writes_nothing(world: dict[str, Any], login: Any) -> None:
    client = login("victor")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client.post(_new_url(world["own"]), {**GOOD, "date": tomorrow})
    assert page.status_code == 200 and "不能晚于今天" in page.content.decode()
    page = client.post(_new_url(world["own"]), {**GOOD, "date": "2015-06-01"})  # registered 2016
    assert "不能早于 2016-01-01" in page.content.decode()
    page = client.post(_new_url(world["own"]), {**GOOD, "content": "", "kind": "", "value": "-3", "date": tomorrow})
    html = page.content.decode()
    assert "请填写帮扶内容" in html and "请选择帮扶类别" in html and "金额不能为负数" in html
    assert "不能晚于今天" in html  # every error at once, the date's too
    assert not HelpRecord.objects.exists()


def test_void_page_voids_with_a_reason(world: dict[str, Any], personas: dict[str, Any], login: Any) -> None:
    record = _record(world, personas)
    client = login("carl")
    url = f"/assistance/help/{record.pk}/void/"
    page = client.get(url)
    assert page.status_code == 200 and "作废原因" in page.content.decode() and record.content in page.content.decode()
    assert "请填写作废原因" in client.post(url, {"reason": " "}).content.decode()
    assert HelpRecord.objects.get().voided_at is None
    done = client.post(url, {"reason": "录到了别的户"})
    assert done.status_code == 302 and done["Location"].endswith("#help")
    record.refresh_from_db()
    assert record.voided and record.void_reason == "录到了别的户" and record.voided_by_label == "carl"
    assert client.post(url, {"reason": "再来一次"}).status_code == 302  # already voided: a notice, no change
    record.refresh_from_db()
    assert record.void_reason == "录到了别的户"


@pytest.mark.parametrize(("who", "where"), [("zoe", "own"), ("carl", "own_other"), ("victor", "sibling_township")])
def test_void_outside_the_scope_is_404(
    who: str, where: str, world: dict[str, Any], personas: dict[str, Any], login: Any
) -> None:
    record = _record(world, personas, where)
    url = f"/assistance/help/{record.pk}/void/"
    client = login(who)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "不该成功"}).status_code == 404
    assert HelpRecord.objects.get().voided_at is None


def _section(user: Any, household: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("helping/_help_section.html", {"household": household, "request": request})


def test_section_lists_records_with_buttons_for_writers_only(world: dict[str, Any], personas: dict[str, Any]) -> None:
    kept = _record(world, personas, content="户主腿脚不便，送米面油", public_text="春节慰问")
    wrong = _record(world, personas, date=dt.date(2020, 4, 1), content="录错的一条")
    from jingzhun.helping.actions import void_help_record

    void_help_record(Actor.for_user(personas["root"]), wrong, "重复录入")
    html = _section(personas["carl"], world["own"])
    assert 'id="help"' in html and "添加帮扶记录" in html
    assert f"/assistance/help/{kept.pk}/void/" in html and f"/assistance/help/{wrong.pk}/void/" not in html
    assert "户主腿脚不便" in html and "春节慰问" in html and "已作废" in html and "重复录入" in html
    assert html.index("录错的一条") < html.index("户主腿脚不便")  # newest first

    audited = _section(personas["audrey"], world["own"])
    assert "户主腿脚不便" in audited and "添加帮扶记录" not in audited and "/void/" not in audited
    elsewhere = _section(personas["carl"], world["own_other"])  # not carl's household
    assert "添加帮扶记录" not in elsewhere and "还没有帮扶记录" in elsewhere
    assert "添加帮扶记录" in _section(personas["victor"], world["own_other"])
