"""附件 pages: the household page's panel (list, upload, 作废) and the file itself, for readers of the household."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from jingzhun.core.actions import Actor
from jingzhun.core.models import READ_ONLY_ROLES, Role
from jingzhun.core.text import without_key
from jingzhun.registry.attachments import Attachment, AttachmentKind, add_attachment, open_attachment, void_attachment
from jingzhun.registry.queries import get_household_for


def may_upload(actor: Actor) -> bool:
    return actor.role not in READ_ONLY_ROLES and actor.role != Role.ASSIGNED_CADRE


def attachments_context(actor: Actor, rows: Any, action: str) -> dict[str, Any]:
    return {
        "attachments": list(rows),
        "kinds": [(k, v) for k, v in AttachmentKind.choices if k != AttachmentKind.VISIT_PHOTO],
        "can_upload": may_upload(actor),
        "action": action,
    }


def attachments_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    """The household's attachments (all of them, an application's too) on its staff page."""
    context = attachments_context(
        actor, household.attachments.all(), reverse("registry:attachment_add", args=[household.pk])
    )
    return render_to_string("registry/_attachments.html", context, request=request)


def upload_from(request: HttpRequest, actor: Actor, household: Any, application_id: int | None = None) -> None:
    """The POSTed file as an attachment, the outcome as a message (nothing kept on a refusal); a reader who
    may not write gets the 403 first."""
    from jingzhun.registry.actions import check_writer

    check_writer(actor, household.village.code)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError({"file": "请选择要上传的文件 [file]"})
        add_attachment(
            actor,
            household,
            upload,
            name=upload.name or "",
            kind=request.POST.get("kind", ""),
            application_id=application_id,
        )
    except ValidationError as exc:
        messages.error(request, "未上传：" + "；".join(without_key(m) for m in exc.messages))
    else:
        messages.success(request, f"已上传附件“{upload.name}”。")


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = get_household_for(actor, pk)
    upload_from(request, actor, household)
    return redirect(reverse("registry:detail", args=[household.pk]) + "#attachments")


def _attachment_for(actor: Actor, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("household__village").filter(pk=pk).first()
    if attachment is None:
        raise Http404("未找到该附件")
    get_household_for(actor, attachment.household_id)  # another region's, or not a cadre's own: 404
    return attachment


@login_required
@require_safe
def attachment_file(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    attachment = _attachment_for(actor, pk)
    response = HttpResponse(open_attachment(actor, attachment), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=request.GET.get("download") == "1", filename=attachment.name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_void(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    attachment = _attachment_for(actor, pk)
    try:
        void_attachment(actor, attachment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "未作废：" + "；".join(without_key(m) for m in exc.messages))
    else:
        messages.success(request, f"已作废附件“{attachment.name}”。")
    return redirect(request.POST.get("next") or reverse("registry:detail", args=[attachment.household_id]))
