"""Issue #15: the 走访照片 taken with 记一笔走访 belongs to that 帮扶记录 — linked when saved, shown on the record's
page, in the list and on the household page to the staff who may read the household, never on the public
page; photos saved before the link existed are matched to their records by the migration. And the household
phone in the household page's facts (a tel: link), still absent from the public page."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.core.workday import today
from jingzhun.helping.actions import add_help_record, add_help_record_once
from jingzhun.helping.models import HelpPhoto, HelpRecord
from jingzhun.public.actions import issue_token
from jingzhun.registry.attachments import Attachment, add_attachment
from jingzhun.registry.models import Household

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _visit_with_photo(world: dict[str, Any], personas: dict[str, Any]) -> HelpRecord:
    record, created = add_help_record_once(
        Actor.for_user(personas["carl"]), world["own"], None, io.BytesIO(PNG), "门口.png",
        date=dt.date(2020, 5, 6), kind="visit", content="入户走访",
    )  # fmt: skip
    assert created
    return record


def test_the_photo_posted_with_a_visit_is_linked_to_that_record(media: None, world: dict[str, Any], login: Any) -> None:
    carl = login("carl")
    url = f"/assistance/households/{world['own'].household_no}/help/new/?kind=visit"
    form = {"date": today().isoformat(), "kind": "visit", "content": "入户走访", "public": "on"}
    response = carl.post(url, {**form, "photo": SimpleUploadedFile("门口.png", PNG)})
    assert response.status_code == 302
    record = HelpRecord.objects.get()
    photo = HelpPhoto.objects.get()
    assert photo.record == record and photo.attachment.kind == "visit_photo" and photo.attachment.name == "门口.png"
    audit = AuditEvent.objects.get(action="assistance.add_help_record")
    assert audit.after["photo_attachment"] == photo.attachment_id


def test_a_refused_photo_writes_neither_record_nor_photo(media: None, world: dict[str, Any], login: Any) -> None:
    url = f"/assistance/households/{world['own'].household_no}/help/new/?kind=visit"
    form = {"date": today().isoformat(), "kind": "visit", "content": "入户走访", "public": "on"}
    response = login("carl").post(url, {**form, "photo": SimpleUploadedFile("a.png", b"not an image")})
    assert "走访照片须为 JPG 或 PNG 图片" in response.content.decode()
    assert (HelpRecord.objects.count(), Attachment.objects.count(), HelpPhoto.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("persona", ["carl", "victor", "tom", "alice", "audrey"])
def test_those_who_read_the_household_see_the_photo_on_the_record_list_and_household_page(
    media: None, world: dict[str, Any], personas: dict[str, Any], login: Any, persona: str
) -> None:
    record = _visit_with_photo(world, personas)
    attachment = HelpPhoto.objects.get(record=record).attachment
    file_url = f"/households/attachments/{attachment.pk}/"
    client = login(persona)
    assert f'<img src="{file_url}"' in client.get(f"/assistance/help/{record.pk}/").content.decode()
    assert file_url in client.get("/assistance/help/").content.decode()
    household_page = client.get(f"/households/{world['own'].pk}/").content.decode()
    assert file_url in household_page and f"/assistance/help/{record.pk}/" in household_page
    assert client.get(file_url).content == PNG


def test_another_county_and_the_public_never_see_the_photo(
    media: None, world: dict[str, Any], personas: dict[str, Any], login: Any, client: Any
) -> None:
    record = _visit_with_photo(world, personas)
    attachment = HelpPhoto.objects.get(record=record).attachment
    zoe = login("zoe")
    assert zoe.get(f"/assistance/help/{record.pk}/").status_code == 404
    assert zoe.get(f"/households/attachments/{attachment.pk}/").status_code == 404
    token = issue_token(Actor.system("t"), world["own"])
    client.logout()
    public = client.get(f"/q/{token.token}/").content.decode()
    assert "/households/attachments/" not in public and "门口" not in public and "入户走访" not in public
    assert client.get(f"/assistance/help/{record.pk}/").status_code == 302  # to the login page


def test_photos_saved_before_the_link_are_matched_to_the_record_saved_with_them(
    media: None, world: dict[str, Any], personas: dict[str, Any]
) -> None:
    carl, victor = Actor.for_user(personas["carl"]), Actor.for_user(personas["victor"])
    visit = add_help_record(carl, world["own"], date=dt.date(2020, 5, 6), kind="visit", content="入户走访")
    earlier = add_help_record(carl, world["own"], date=dt.date(2020, 5, 1), kind="visit", content="上次走访")
    HelpRecord.objects.filter(pk=earlier.pk).update(recorded_at=visit.recorded_at - dt.timedelta(hours=2))
    kind = "visit_photo"
    with_visit = add_attachment(carl, world["own"], io.BytesIO(PNG), name="门口.png", kind=kind)
    by_another = add_attachment(victor, world["own"], io.BytesIO(PNG), name="村里拍的.png", kind=kind)
    late = add_attachment(carl, world["own"], io.BytesIO(PNG), name="后补.png", kind=kind)
    Attachment.objects.filter(pk=late.pk).update(uploaded_at=visit.recorded_at + dt.timedelta(hours=1))
    migration = importlib.import_module("jingzhun.helping.migrations.0002_h15_help_visit_photos")
    migration.link_existing_photos(apps, None)
    assert {(p.record_id, p.attachment_id) for p in HelpPhoto.objects.all()} == {(visit.pk, with_visit.pk)}
    migration.link_existing_photos(apps, None)  # again: nothing more
    assert HelpPhoto.objects.count() == 1
    assert Attachment.objects.filter(pk__in=[by_another.pk, late.pk], voided_at__isnull=True).count() == 2


def test_the_household_phone_is_a_call_link_in_the_facts_and_absent_from_the_public_page(
    world: dict[str, Any], login: Any, client: Any
) -> None:
    Household.objects.filter(pk=world["own"].pk).update(phone="13912345678")
    page = login("victor").get(f"/households/{world['own'].pk}/").content.decode()
    facts = page[page.find("基本信息") : page.find("家庭成员")]
    assert '<dt>户联系电话</dt><dd><a class="household-phone" href="tel:13912345678">13912345678</a></dd>' in facts
    other = login("victor").get(f"/households/{world['own_other'].pk}/").content.decode()
    assert "<dt>户联系电话</dt><dd>未登记</dd>" in other
    token = issue_token(Actor.system("t"), world["own"])
    client.logout()
    public = client.get(f"/q/{token.token}/").content.decode()
    assert "13912345678" not in public and "139****5678" not in public and "tel:139" not in public
