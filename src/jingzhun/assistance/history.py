"""The assistance app's audit rows about a household (its applications and enrollments), for the registry's
修改记录 tab (registered with core.audit_scope in AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from jingzhun.assistance.models import Application, Enrollment


def _ids(rows: Any) -> list[str]:
    return [str(pk) for pk in rows.values_list("pk", flat=True)]


def household_rows(household: Any) -> Q:
    return Q(object_type="application", object_id__in=_ids(Application.objects.filter(household=household))) | Q(
        object_type="enrollment", object_id__in=_ids(Enrollment.objects.filter(household=household))
    )


def application_rows(application: Application) -> Q:
    """The rows about one application (its 修改记录 tab)."""
    return Q(object_type="application", object_id=str(application.pk))
