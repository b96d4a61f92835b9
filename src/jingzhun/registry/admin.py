"""Back-office pages for the registry (后台管理), in Chinese.

Nothing here deletes: persons and households leave through events (death, move-out, merge, close), so
the delete permission and the bulk-delete action are removed everywhere. A person's ID number is checked
against birth date and sex by ``Person.clean``, which the admin form runs. Lists show ID numbers masked
(``1411**********1234``); the change page of an authorised user shows the whole number. Every save is
region-checked and writes an audit row, like the actions; status changes stay with the actions because
they must append history.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.admin_base import ScopedNoDeleteAdmin
from jingzhun.policy.money import fen_to_grouped
from jingzhun.registry.audit import snapshot
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import Household, IncomeRecord, Person, Region


class RegistryAdmin(ScopedNoDeleteAdmin):
    """No deletes; lists limited to the user's region; saves audited."""

    region_path = ""  # lookup from the model to its village code, e.g. "village__code"

    def region_of(self, obj: Any) -> str:
        value = obj
        for part in self.region_path.split("__"):
            value = getattr(value, part)
        return str(value)

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        actor = Actor.for_user(request.user)
        region = self.region_of(obj)
        check_region(actor, region)
        fields = form.changed_data
        before = snapshot(type(obj).objects.get(pk=obj.pk), fields) if change else None
        super().save_model(request, obj, form, change)  # the admin view already runs in a transaction
        action = f"admin.{'change' if change else 'add'}_{type(obj).__name__.lower()}"
        after = snapshot(obj, fields)
        if before is not None:  # a form may flag a field it only re-serialised; keep the real changes
            same = [name for name in after if before.get(name) == after[name]]
            before, after = (
                {k: v for k, v in before.items() if k not in same},
                {k: v for k, v in after.items() if k not in same},
            )
        record_audit(
            actor,
            action,
            object_type=type(obj).__name__,
            object_id=obj.pk,
            region_code=region,
            before=before,
            after=after,
        )


@admin.register(Region)
class RegionAdmin(RegistryAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    region_path = "code"


class PersonInline(admin.TabularInline):
    """Members on the household page, read-only: edits go to the person page (audited, ID re-checked)."""

    model = Person
    fields = ("name", "masked_id", "relation", "sex", "birth_date", "disability_grade", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="身份证号")
    def masked_id(self, person: Person) -> str:
        return mask_id_number(person.id_number)


@admin.register(Household)
class HouseholdAdmin(RegistryAdmin):
    list_display = ("household_no", "head_name", "village", "area", "registered_year", "status", "active")
    list_filter = ("active", "area", "status", "housing_grade", "water_safe")
    search_fields = ("household_no", "persons__name", "address")
    raw_id_fields = ("village", "assigned_cadre", "merged_into")
    readonly_fields = ("status", "status_date", "active", "closed_reason", "merged_into", "created_at", "updated_at")
    list_select_related = ("village",)
    inlines = (PersonInline,)
    region_path = "village__code"

    @admin.display(description="户主")
    def head_name(self, household: Household) -> str:
        head = household.persons.filter(relation="head").first()
        return head.name if head else "—"


@admin.register(Person)
class PersonAdmin(RegistryAdmin):
    list_display = ("name", "masked_id", "household", "relation", "sex", "birth_date", "disability_grade", "status")
    list_filter = ("status", "sex", "relation", "disability_grade", "self_care", "labour", "student")
    search_fields = ("name", "household__household_no", "=id_number")
    raw_id_fields = ("household",)
    readonly_fields = ("status", "status_date", "created_at", "updated_at")
    list_select_related = ("household",)
    region_path = "household__village__code"

    @admin.display(description="身份证号")
    def masked_id(self, person: Person) -> str:
        return mask_id_number(person.id_number)


@admin.register(IncomeRecord)
class IncomeRecordAdmin(RegistryAdmin):
    list_display = ("person", "masked_id", "year", "wages", "farming", "business", "property_income", "transfer")
    list_filter = ("year",)
    search_fields = ("person__name", "person__household__household_no")
    raw_id_fields = ("person",)
    list_select_related = ("person",)
    region_path = "person__household__village__code"

    @admin.display(description="身份证号")
    def masked_id(self, record: IncomeRecord) -> str:
        return mask_id_number(record.person.id_number)

    @admin.display(description="工资性（元）")
    def wages(self, record: IncomeRecord) -> str:
        return fen_to_grouped(record.wages_fen)

    @admin.display(description="种养殖（元）")
    def farming(self, record: IncomeRecord) -> str:
        return fen_to_grouped(record.farming_fen)

    @admin.display(description="经营性（元）")
    def business(self, record: IncomeRecord) -> str:
        return fen_to_grouped(record.business_fen)

    @admin.display(description="财产性（元）")
    def property_income(self, record: IncomeRecord) -> str:
        return fen_to_grouped(record.property_fen)

    @admin.display(description="转移性（元）")
    def transfer(self, record: IncomeRecord) -> str:
        return fen_to_grouped(record.transfer_fen)
