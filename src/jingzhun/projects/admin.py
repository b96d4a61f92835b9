"""Back-office pages for the project-and-fund library (后台管理), in Chinese.

Lists show only the projects of the user's region, with their funds summed. Every write goes through
:mod:`jingzhun.projects.actions` (region check, one transaction, one audit row): adding or editing a
project calls ``create_project``/``update_project``, adding funds calls ``add_allocation`` with the amount
typed in yuan. Nothing is deleted, and a recorded fund is never edited here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from jingzhun.core.actions import Actor
from jingzhun.core.admin_base import ScopedNoDeleteAdmin
from jingzhun.policy.money import fen_to_grouped, yuan_to_fen
from jingzhun.projects.actions import (
    PROJECT_EDITABLE,
    PROJECT_LEVELS,
    add_allocation,
    check_project,
    create_project,
    update_project,
)
from jingzhun.projects.models import FundAllocation, Project
from jingzhun.registry.models import Region


class LibraryAdmin(ScopedNoDeleteAdmin):
    """No deletes; lists limited to the user's region."""

    region_path = "region__code"


class AllocationInline(admin.TabularInline):
    model = FundAllocation
    fields = ("source", "amount", "note", "recorded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # funds are added on their own page, through add_allocation

    @admin.display(description="金额（元）")
    def amount(self, allocation: FundAllocation) -> str:
        return fen_to_grouped(allocation.amount_fen)


@admin.register(Project)
class ProjectAdmin(LibraryAdmin):
    list_display = ("code", "name", "kind", "region", "year", "status", "funds", "beneficiary_households")
    list_filter = ("kind", "status", "year")
    search_fields = ("code", "name", "region__name", "region__code")
    list_select_related = ("region",)
    fields = ("code", "name", "kind", "region", "year", "status", "beneficiary_households", "description")
    raw_id_fields = ("region",)
    inlines = (AllocationInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(funds_fen=Coalesce(Sum("allocations__amount_fen"), 0))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()  # 项目编号 never changes

    @admin.display(description="资金（元）", ordering="funds_fen")
    def funds(self, project: Project) -> str:
        return fen_to_grouped(getattr(project, "funds_fen", 0))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            scope = Actor.for_user(request.user).scope
            kwargs["queryset"] = Region.objects.filter(code__startswith=scope, level__in=PROJECT_LEVELS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change, **kwargs)
        actor = Actor.for_user(request.user)

        class ProjectForm(base):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                try:
                    check_project(actor, obj, cleaned)
                except PermissionDenied as exc:
                    self.add_error(None, str(exc))
                return cleaned

        return ProjectForm

    def save_model(self, request: HttpRequest, obj: Project, form: forms.ModelForm, change: bool) -> None:
        actor = Actor.for_user(request.user)
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data if name in PROJECT_EDITABLE}
            if fields:  # a save without changes writes nothing, not an empty audit row
                update_project(actor, Project.objects.select_related("region").get(pk=obj.pk), **fields)
            return
        fields = {name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data}
        obj.pk = create_project(actor, **fields).pk


class AllocationForm(forms.ModelForm):
    amount_yuan = forms.DecimalField(label="金额（元）", min_value=Decimal("0.01"), decimal_places=2, max_digits=14)

    class Meta:
        model = FundAllocation
        fields = ("project", "source", "note")

    def clean_amount_yuan(self) -> int:
        try:
            return yuan_to_fen(self.cleaned_data["amount_yuan"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


@admin.register(FundAllocation)
class FundAllocationAdmin(LibraryAdmin):
    form = AllocationForm
    region_path = "project__region__code"
    list_display = ("project", "source", "amount", "note", "recorded_at")
    list_filter = ("source",)
    search_fields = ("project__code", "project__name")
    list_select_related = ("project",)
    raw_id_fields = ("project",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "project":
            kwargs["queryset"] = Project.objects.filter(region__code__startswith=Actor.for_user(request.user).scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request)  # the list, never an edit

    @admin.display(description="金额（元）", ordering="amount_fen")
    def amount(self, allocation: FundAllocation) -> str:
        return fen_to_grouped(allocation.amount_fen)

    def save_model(self, request: HttpRequest, obj: FundAllocation, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        made = add_allocation(
            Actor.for_user(request.user),
            data["project"],
            source=data["source"],
            amount_fen=data["amount_yuan"],
            note=data.get("note", ""),
        )
        obj.pk = made.pk
