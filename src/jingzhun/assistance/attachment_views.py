"""An application's 附件 (申请书, 核对授权书 …): uploaded on its page, kept with its household (registry)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from jingzhun.assistance.models import Application
from jingzhun.assistance.views import _get
from jingzhun.core.actions import Actor
from jingzhun.registry.attachment_views import upload_from


@login_required
@require_POST
def application_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    app = _get(actor, Application.objects.all(), pk, "申请")
    upload_from(request, actor, app.household, application_id=app.pk)
    return redirect(reverse("assistance:detail", args=[app.pk]) + "#attachments")
