"""The 帮扶 cadre on a phone: 我的帮扶户 (last visit, days since, call link), 记一笔走访 with a photo as proof
(size-limited, staff-only), and a warning before a same-day duplicate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.helping.actions import add_help_record
from jingzhun.helping.models import HelpRecord
from jingzhun.registry.attachments import Attachment
from jingzhun.registry.models import Household

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 7, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _today_and_media(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(workday, "today", lambda: TODAY)


def visit(household: Any, day: dt.date) -> None:
    add_help_record(Actor.system("t"), household, date=day, kind="visit", content="走访", value_fen=None, public=False,
                    public_text="")  # fmt: skip


def test_my_households_are_listed_longest_unvisited_first_with_a_call_link(login: Any, world: Any) -> None:
    own = world["own"]
    second = Household.objects.get(pk=world["own_other"].pk)
    Household.objects.filter(pk__in=[own.pk, second.pk]).update(assigned_cadre=own.assigned_cadre)
    Household.objects.filter(pk=own.pk).update(phone="13912345678")
    visit(own, dt.date(2020, 7, 1))
    visit(second, dt.date(2020, 5, 1))
    page = login("carl").get("/assistance/mine/").content.decode()
    assert '<a href="/assistance/mine/">我的帮扶户</a>' in page  # in carl's nav
    assert "上次走访 2020-07-01" in page and "9 天前" in page and "70 天前" in page
    assert page.index("孙有福") < page.index("刘保平")  # 70 days before 9 days
    assert 'href="tel:13912345678"' in page and "未登记户联系电话" in page
    assert f"/assistance/households/{own.household_no}/help/new/?kind=visit" in page
    assert "李桂兰" not in page  # not carl's
    assert "我的帮扶户" not in login("alice").get("/").content.decode()


def test_a_visit_with_a_photo_is_saved_with_its_proof(login: Any, world: Any) -> None:
    own = world["own"]
    carl = login("carl")
    form = carl.get(f"/assistance/households/{own.household_no}/help/new/?kind=visit").content.decode()
    assert 'value="visit" selected' in form and 'enctype="multipart/form-data"' in form
    photo = SimpleUploadedFile("门口.png", PNG, content_type="image/png")
    data = {"date": "2020-07-10", "kind": "visit", "content": "入户走访，了解种植情况", "public": "on", "photo": photo}
    response = carl.post(f"/assistance/households/{own.household_no}/help/new/", data, follow=True)
    assert "已为户" in response.content.decode()
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.household_id, attachment.uploaded_by) == ("visit_photo", own.pk, "carl")
    assert carl.get(f"/households/attachments/{attachment.pk}/").content == PNG


def test_a_photo_that_is_too_big_or_not_an_image_saves_nothing(login: Any, world: Any) -> None:
    own = world["own"]
    carl = login("carl")
    for name, data, message in (
        ("big.png", PNG + b"0" * (5 * 1024 * 1024), "照片超过 5 MB"),
        ("x.pdf", b"%PDF-1.4 not a photo", "走访照片须为 JPG 或 PNG 图片"),
    ):
        post = {"date": "2020-07-10", "kind": "visit", "content": "走访", "photo": SimpleUploadedFile(name, data)}
        page = carl.post(f"/assistance/households/{own.household_no}/help/new/", post).content.decode()
        assert message in page
    assert not HelpRecord.objects.exists() and not Attachment.objects.exists()


def test_a_same_day_duplicate_is_warned_about_and_saved_only_when_confirmed(login: Any, world: Any) -> None:
    own = world["own"]
    visit(own, TODAY)
    carl = login("carl")
    url = f"/assistance/households/{own.household_no}/help/new/"
    assert "该户今天已有一条同类帮扶记录" in carl.get(url + "?kind=visit").content.decode()
    data = {"date": "2020-07-10", "kind": "visit", "content": "第二次走访"}
    page = carl.post(url, data).content.decode()
    assert "已有一条“走访慰问”记录，可能重复录入" in page and HelpRecord.objects.count() == 1
    carl.post(url, {**data, "confirm_duplicate": "on"})
    assert HelpRecord.objects.count() == 2
    carl.post(url, {"date": "2020-07-10", "kind": "industry", "content": "送种苗"})  # another kind: no question
    assert HelpRecord.objects.count() == 3
