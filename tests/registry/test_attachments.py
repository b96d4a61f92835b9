"""附件 on households and applications: size and type limits, region-scoped reading, audited, never public."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry.attachments import MAX_BYTES, Attachment

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client: Any, household: Any, name: str, data: bytes, kind: str = "hukou") -> str:
    file = SimpleUploadedFile(name, data)
    response = client.post(f"/households/{household.pk}/attachments/", {"kind": kind, "file": file}, follow=True)
    return str(response.content.decode())


def stored(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_an_officer_uploads_a_scan_and_reads_it_back_audited(login: Any, world: Any, tmp_path: Path) -> None:
    household = world["own"]
    victor = login("victor")
    page = upload(victor, household, "户口本.pdf", PDF)
    assert "已上传附件“户口本.pdf”" in page and "户口本" in page
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.size, attachment.uploaded_by) == ("application/pdf", len(PDF), "victor")
    assert stored(tmp_path) == [tmp_path / "media" / attachment.stored] and "户口本" not in attachment.stored
    response = victor.get(f"/households/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    actions = list(
        AuditEvent.objects.filter(object_type="Attachment").order_by("id").values_list("action", "actor_label")
    )
    assert actions == [("registry.add_attachment", "victor"), ("registry.view_attachment", "victor")]


def test_too_big_or_not_a_scan_is_refused_and_nothing_is_kept(login: Any, world: Any, tmp_path: Path) -> None:
    victor = login("victor")
    big = PDF + b"0" * MAX_BYTES
    assert "文件超过 5 MB" in upload(victor, world["own"], "大.pdf", big)
    assert "不是 PDF、JPG 或 PNG 文件" in upload(victor, world["own"], "病毒.pdf", b"MZ\x90\x00 not a scan")
    assert "请选择材料类型" in upload(victor, world["own"], "a.png", PNG, kind="nonsense")
    assert not Attachment.objects.exists() and stored(tmp_path) == []
    assert not AuditEvent.objects.filter(object_type="Attachment").exists()


def test_reading_follows_the_households_scope_and_writing_the_writers(login: Any, world: Any) -> None:
    victor = login("victor")
    upload(victor, world["own"], "残疾证.png", PNG, kind="disability_card")
    upload(login("tom"), world["sibling_township"], "x.png", PNG)  # tom's township is 信义镇: refused, 404
    attachment = Attachment.objects.get()
    url = f"/households/attachments/{attachment.pk}/"
    assert login("zoe").get(url).status_code == 404  # 交口县
    assert login("tom").get(url).status_code == 200
    assert login("carl").get(url).status_code == 200  # the household's own 帮扶 cadre reads it …
    assert "上传附件" not in login("carl").get(f"/households/{world['own'].pk}/").content.decode()
    assert login("carl").post(f"/households/{world['own'].pk}/attachments/", {"kind": "hukou"}).status_code == 403
    assert login("audrey").get(url).status_code == 200  # … and so does the auditor, read-only
    assert upload(login("audrey"), world["own"], "y.png", PNG) and Attachment.objects.count() == 1


def test_an_attachment_is_voided_with_a_reason_never_deleted(login: Any, world: Any, tmp_path: Path) -> None:
    victor = login("victor")
    upload(victor, world["own"], "错传.png", PNG)
    attachment = Attachment.objects.get()
    url = f"/households/attachments/{attachment.pk}/void/"
    assert "请填写作废原因" in victor.post(url, {"reason": " "}, follow=True).content.decode()
    page = victor.post(url, {"reason": "传错了户"}, follow=True).content.decode()
    assert "已作废：传错了户" in page and len(stored(tmp_path)) == 1
    assert AuditEvent.objects.filter(action="registry.void_attachment").count() == 1


def test_an_applications_scan_shows_on_the_application_and_never_on_the_public_page(
    login: Any, world: Any, client: Any
) -> None:
    from jingzhun.assistance import actions
    from jingzhun.public.actions import issue_token

    victor = login("victor")
    app = actions.create_application(_victor(), world["own_other"], "dibao")
    file = SimpleUploadedFile("申请书.pdf", PDF)
    page = victor.post(f"/assistance/{app.pk}/attachments/", {"kind": "application_form", "file": file}, follow=True)
    text = page.content.decode()
    assert "已上传附件“申请书.pdf”" in text and f"申请第 {app.pk} 号" in text
    assert Attachment.objects.get().application_id == app.pk
    token = issue_token(Actor.system("t"), world["own_other"])
    client.logout()
    public = client.get(f"/q/{token.token}/").content.decode()
    assert "申请书" not in public and "/households/attachments/" not in public


def _victor() -> Actor:
    from django.contrib.auth.models import User

    return Actor.for_user(User.objects.get(username="victor"))
