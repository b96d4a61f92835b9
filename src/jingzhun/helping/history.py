"""帮扶记录's audit rows about a household, for the registry's 修改记录 tab (core.audit_scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from jingzhun.helping.models import HelpRecord


def household_rows(household: Any) -> Q:
    ids = [str(pk) for pk in HelpRecord.objects.filter(household=household).values_list("pk", flat=True)]
    return Q(object_type="HelpRecord", object_id__in=ids)
