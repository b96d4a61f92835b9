"""更新导入 in the staff app: upload the county's annual file, read the preview, confirm (or cancel).

The preview is computed at once (``update_import.plan_update``: validation and comparison, nothing written);
the uploaded file waits under ``VAR_DIR/uploads`` with its SHA-256 in the session until the cadre confirms
(``apply_update`` plans it again and applies it all or nothing) or cancels; either way it is deleted then.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from jingzhun.registry import limits
from jingzhun.registry.update_import import UpdateReport, apply_update, plan_update
from jingzhun.registry.views import IMPORT_ROLES, UPLOAD_SUFFIXES, writer

SESSION_KEY = "registry_update_import"
SHOWN = 500  # preview lines on the page; the CLI prints every one


def _folder() -> Path:
    folder = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        Path(pending["path"]).unlink(missing_ok=True)


def _page(request: HttpRequest, report: UpdateReport | None = None, error: str = "", **extra: Any) -> HttpResponse:
    lines = report.lines() if report is not None else []
    context = {"report": report, "lines": lines[:SHOWN], "more": max(len(lines) - SHOWN, 0), "error": error, **extra}
    return render(request, "registry/update_import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def update_import(request: HttpRequest) -> HttpResponse:
    actor = writer(request)
    if actor.role not in IMPORT_ROLES:
        raise PermissionDenied("更新导入由县、乡镇、村经办人员办理。")
    if request.method == "GET":
        return _page(request)
    step = request.POST.get("step", "preview")
    if step in ("apply", "cancel"):
        pending = request.session.get(SESSION_KEY)
        if not pending:
            return _page(request, error="没有待确认的更新文件（可能已确认或已取消），请重新上传。")
        if step == "cancel":
            _forget(request)
            return _page(request, error="已取消，未写入任何数据。")
        report = apply_update(Path(pending["path"]), actor=actor, expected_sha256=pending["sha256"])
        report.file = pending["name"]
        _forget(request)
        return _page(request, report, done=True)
    upload = request.FILES.get("file")
    if upload is None or not upload.name.lower().endswith(UPLOAD_SUFFIXES):
        return _page(request, error="请选择要比对的更新文件（.xlsx 或 .csv）。")
    if upload.size > limits.MAX_FILE_BYTES:
        return _page(request, error=str(limits.too_big(upload.size)))
    _forget(request)
    path = _folder() / f"update-{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with path.open("wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    report = plan_update(path, actor=actor)
    report.file = Path(upload.name).name
    if report.errors:
        path.unlink(missing_ok=True)
        return _page(request, report)
    request.session[SESSION_KEY] = {"path": str(path), "sha256": report.sha256, "name": report.file}
    return _page(request, report, confirm=True)
