"""The back office's common ground: nothing is deleted, and a list shows only the user's region."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jingzhun.core.actions import Actor


class ScopedNoDeleteAdmin(admin.ModelAdmin):
    """No delete permission and no bulk-delete action; lists limited to the user's region through
    ``region_path``, the lookup from the model to its region code (e.g. ``"village__code"``)."""

    region_path = ""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        scope = Actor.for_user(request.user).scope
        return queryset.filter(**{f"{self.region_path}__startswith": scope}) if scope and self.region_path else queryset
