"""Issue #15: 导出Excel of the 申请, 在册对象 and 待复核 lists — exactly the filtered rows (all pages), the filter
in the title, the scope applied, the download audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from jingzhun.core.models import AuditEvent
from tests.xlsx import opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(personas: dict[str, Any], household: Any, actor: Any, walk: Any) -> dict[str, Any]:
    """Two 信义村 households taken to 在册 (低保), one 吴城村 application not yet surveyed."""
    from jingzhun.assistance import actions

    victor = actor(personas["victor"])
    out = {}
    for key in ("here", "other"):
        home = household("v11")
        app = actions.create_application(victor, home, "dibao", on=dt.date(2020, 5, 1))
        out[key] = (home, walk(app, "county_decision"))
    far = household("v21")
    out["far"] = (far, actions.create_application(actor(personas["alice"]), far, "dibao", on=dt.date(2020, 5, 1)))
    return out


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_applications_export_the_status_filter_with_it_in_the_title(
    enrolled: dict[str, Any], personas: dict[str, Any]
) -> None:
    client = _client(personas["alice"])
    page = client.get("/assistance/", {"status": "approved"}).content.decode()
    assert 'href="?status=approved&amp;format=xlsx"' in page
    book = opened(client.get("/assistance/", {"status": "approved", "format": "xlsx"}))
    assert book.title == "救助申请（筛选条件：办理状态：已批准）"
    expected = sorted(enrolled[k][0].household_no for k in ("here", "other"))
    assert sorted(book.column("户编号")) == expected
    assert set(book.column("办理状态")) == {"已批准"}
    everything = opened(client.get("/assistance/", {"format": "xlsx"}))
    assert len(everything.rows) == 3 and "共 3 条" in everything.count_line


def test_applications_export_follows_the_township_scope(enrolled: dict[str, Any], personas: dict[str, Any]) -> None:
    book = opened(_client(personas["tom"]).get("/assistance/", {"format": "xlsx"}))
    assert enrolled["far"][0].household_no not in book.column("户编号") and len(book.rows) == 2


def test_enrollments_export_a_name_search(enrolled: dict[str, Any], personas: dict[str, Any]) -> None:
    here = enrolled["here"][0]
    name = here.persons.get().name
    book = opened(_client(personas["alice"]).get("/assistance/enrollments/", {"q": name, "format": "xlsx"}))
    assert book.column("户编号") == [here.household_no] and book.column("户主") == [name]
    assert f"户编号/姓名：{name}" in book.title and "状态：在册和暂停" in book.title
    assert book.column("状态") == ["在册"]


def test_review_due_exports_what_has_fallen_due(
    enrolled: dict[str, Any], personas: dict[str, Any], settings: Any
) -> None:
    settings.WORKING_MONTH = "2021-07"  # the yearly review (2021-06) has fallen due
    client = _client(personas["alice"])
    assert "导出Excel" in client.get("/assistance/due/").content.decode()
    book = opened(client.get("/assistance/due/", {"format": "xlsx"}))
    assert "待复核" in book.title and "截至：2021-07" in book.title
    assert sorted(book.column("户编号")) == sorted(enrolled[k][0].household_no for k in ("here", "other"))
    assert set(book.column("原因")) == {"年度复核到期"}
    assert AuditEvent.objects.filter(action="core.export_list", object_id="待复核").count() == 1
