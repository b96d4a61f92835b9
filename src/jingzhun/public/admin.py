"""Back-office view of 一码清 tokens: read-only; revoking and reissuing go through the audited actions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from jingzhun.core.actions import Actor
from jingzhun.public.actions import reissue_token
from jingzhun.public.models import PublicToken


@admin.register(PublicToken)
class PublicTokenAdmin(admin.ModelAdmin):
    list_display = ["level", "target", "created_at", "revoked_at"]
    list_filter = ["level", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["region__code", "region__name", "household__household_no"]
    list_select_related = ["region", "household"]
    exclude = ["token"]  # a capability: shown on the printed label, not in lists
    actions = ["reissue"]

    @admin.display(description="对象")
    def target(self, obj: PublicToken) -> str:
        return obj.household.household_no if obj.household_id else str(obj.region)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PublicToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PublicToken | None = None) -> bool:
        return False

    @admin.action(description="作废并重新生成所选二维码（旧门牌失效）", permissions=["view"])
    def reissue(self, request: HttpRequest, queryset: QuerySet[PublicToken]) -> None:
        actor = Actor.for_user(request.user)
        done = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("region", "household__village"):
            try:
                reissue_token(actor, token.household or token.region, reason="后台重新生成")
            except PermissionDenied as e:
                self.message_user(request, str(e), messages.ERROR)
                return
            done += 1
        self.message_user(request, f"已重新生成 {done} 个二维码，请重新打印门牌。", messages.SUCCESS)
