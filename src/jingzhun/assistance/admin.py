"""Back-office views (中文) of applications and enrollments. Read-only: every write goes through
``actions.py`` so it is region-checked and audited; the admin never bypasses that."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jingzhun.assistance.models import Application, ApplicationStep, Enrollment, EnrollmentDecision


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApplicationStepInline(ReadOnly, admin.TabularInline):
    model = ApplicationStep
    fields = ("step", "actor_label", "at", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "household", "family", "kind", "status", "created_via", "submitted_on", "paid_first")
    list_filter = ("status", "family", "kind", "created_via", "paid_first")
    search_fields = ("household__household_no",)
    list_select_related = ("household",)
    raw_id_fields = ("household",)
    inlines = [ApplicationStepInline]
    date_hierarchy = "submitted_on"


class EnrollmentDecisionInline(ReadOnly, admin.TabularInline):
    model = EnrollmentDecision
    fk_name = "enrollment"
    fields = ("kind", "month", "monthly_fen", "entitlement", "reason", "actor_label", "at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "household",
        "family",
        "status",
        "start_month",
        "end_month",
        "transition_until",
        "next_review_due",
        "source",
    )
    list_filter = ("family", "status", "source")
    search_fields = ("household__household_no",)
    list_select_related = ("household",)
    raw_id_fields = ("household", "application")
    inlines = [EnrollmentDecisionInline]
