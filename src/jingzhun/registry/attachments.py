"""附件: scanned 申请书, 户口本, 残疾证, 核对授权书 of a household (and of one of its applications).

Stored under ``MEDIA_ROOT/attachments/`` — a folder no URL serves: a file is read only through
:func:`open_attachment` behind the staff view, for a user who may read the household (the registry's
region scope; a 帮扶 cadre their own households), and every read is audited like every write. Never on a
public page. Limits: :data:`MAX_BYTES`, and the type is what the file's first bytes say (PDF, JPEG, PNG),
not its name. An attachment is never deleted: 作废 keeps the file and says who and why.

``application_id`` names an ``assistance.Application`` of the household (assistance sits above the
registry, so it is a plain id, checked by the assistance view that uploads it).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from jingzhun.core.actions import Actor, check_region, record_audit

MAX_BYTES = 5 * 1024 * 1024
MAGIC = {b"%PDF-": ("application/pdf", ".pdf"), b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
         b"\x89PNG\r\n\x1a\n": ("image/png", ".png")}  # fmt: skip


class AttachmentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", "申请书"
    HUKOU = "hukou", "户口本"
    DISABILITY_CARD = "disability_card", "残疾证"
    CHECK_CONSENT = "check_consent", "核对授权书"
    VISIT_PHOTO = "visit_photo", "走访照片"
    OTHER = "other", "其他"


class Attachment(models.Model):
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="attachments", verbose_name="户"
    )
    application_id = models.PositiveIntegerField("救助申请编号", null=True, blank=True, db_index=True)
    kind = models.CharField("材料类型", max_length=24, choices=AttachmentKind.choices)
    name = models.CharField("原文件名", max_length=120)
    content_type = models.CharField("文件类型", max_length=40)
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField("SHA-256", max_length=64)
    stored = models.CharField("存储路径（MEDIA_ROOT 下）", max_length=200, unique=True)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    uploaded_by = models.CharField("上传人", max_length=150)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024:.0f} KB" if self.size < 1024 * 1024 else f"{self.size / 1024 / 1024:.1f} MB"


def audit(actor: Actor, action: str, attachment: Attachment, *, after: dict[str, Any]) -> None:
    record_audit(
        actor,
        f"registry.{action}",
        object_type="Attachment",
        object_id=attachment.pk,
        region_code=attachment.household.village.code,
        after={"household": attachment.household.household_no, **after},
    )


def media_root() -> Path:
    return Path(getattr(settings, "MEDIA_ROOT", "") or Path(settings.VAR_DIR) / "media")


def _sniff(head: bytes) -> tuple[str, str] | None:
    return next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)


def add_attachment(
    actor: Actor,
    household: Any,
    upload: IO[bytes],
    *,
    name: str,
    kind: str,
    application_id: int | None = None,
) -> Attachment:
    """上传附件: checked (region, role, kind, size, type by content), stored, one audit row; nothing kept on refusal."""
    from jingzhun.core.models import Role
    from jingzhun.registry.actions import check_writer

    own = actor.user is not None and household.assigned_cadre_id == actor.user.pk
    if kind == AttachmentKind.VISIT_PHOTO and actor.role == Role.ASSIGNED_CADRE and own:
        check_region(actor, household.village.code)  # a 帮扶 cadre's photo of their own household's visit
    else:
        check_writer(actor, household.village.code)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": "请选择材料类型 [kind]"})
    data = upload.read(MAX_BYTES + 1)
    if not data:
        raise ValidationError({"file": "请选择要上传的文件 [file]"})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请压缩或分页扫描后上传 [file]"})
    sniffed = _sniff(data[:16])
    if sniffed is None:
        raise ValidationError({"file": f"“{name[:60]}”不是 PDF、JPG 或 PNG 文件，只能上传扫描件或照片 [file]"})
    content_type, suffix = sniffed
    if kind == AttachmentKind.VISIT_PHOTO and content_type == "application/pdf":
        raise ValidationError({"file": "走访照片须为 JPG 或 PNG 图片 [file]"})
    now = timezone.now()
    relative = Path("attachments") / f"{now:%Y/%m}" / f"{secrets.token_hex(16)}{suffix}"
    target = media_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                household=household,
                application_id=application_id,
                kind=kind,
                name=Path(name).name[:120] or f"附件{suffix}",
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                stored=str(relative),
                uploaded_at=now,
                uploaded_by=actor.label,
            )
            after = {"kind": kind, "name": attachment.name, "size": len(data), "application": application_id}
            audit(actor, "add_attachment", attachment, after=after)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return attachment


def void_attachment(actor: Actor, attachment: Attachment, *, reason: str) -> Attachment:
    """作废 (uploaded by mistake, the wrong family's): the file stays, no longer listed as valid."""
    from jingzhun.registry.actions import check_writer

    check_writer(actor, attachment.household.village.code)
    if not reason.strip():
        raise ValidationError({"reason": "请填写作废原因 [reason]"})
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        attachment.voided_at, attachment.void_reason = timezone.now(), reason.strip()[:200]
        attachment.save(update_fields=["voided_at", "void_reason"])
        audit(actor, "void_attachment", attachment, after={"reason": attachment.void_reason})
    return attachment


def open_attachment(actor: Actor, attachment: Attachment) -> bytes:
    """The file's bytes for a reader of the household (the caller has found it through the actor's scope);
    the read is audited (查看附件)."""
    check_region(actor, attachment.household.village.code, write=False)
    data = (media_root() / attachment.stored).read_bytes()
    with transaction.atomic():
        audit(actor, "view_attachment", attachment, after={"name": attachment.name})
    return data
