"""Read-only admin for the ledger: browse runs, lines and bank statuses; every change goes through actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from jingzhun.ledger.models import BankBatch, CpiMonth, MonthRun, PaymentLine, PaymentStatusEvent, TemporaryAccount


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(MonthRun)
class MonthRunAdmin(ReadOnly):
    list_display = (
        "id",
        "month",
        "region_prefix",
        "kind",
        "lines_added",
        "amount_added_fen",
        "total_fen",
        "actor_label",
    )
    list_filter = ("kind", "month")
    exclude = ("snapshot",)


@admin.register(PaymentLine)
class PaymentLineAdmin(ReadOnly):
    list_display = ("id", "month", "household", "person", "program", "kind", "amount_fen", "run")
    list_filter = ("month", "program", "kind")
    search_fields = ("household__household_no",)
    raw_id_fields = ("household", "person", "run", "reverses")


@admin.register(BankBatch)
class BankBatchAdmin(ReadOnly):
    list_display = ("id", "month", "file_name", "rows", "total_fen", "created_at", "actor_label")


@admin.register(PaymentStatusEvent)
class PaymentStatusEventAdmin(ReadOnly):
    list_display = ("id", "line", "status", "reference", "at", "actor_label")
    list_filter = ("status",)
    search_fields = ("reference",)
    raw_id_fields = ("line", "batch")


@admin.register(CpiMonth)
class CpiMonthAdmin(ReadOnly):
    list_display = ("id", "month", "all_items", "food", "source", "entered_at", "actor_label")
    list_filter = ("month",)


@admin.register(TemporaryAccount)
class TemporaryAccountAdmin(ReadOnly):
    list_display = ("id", "application", "month", "run", "created_at")
    list_filter = ("month",)
    raw_id_fields = ("application", "run")
