from django.contrib import admin

from jingzhun.dashboard.models import BackgroundJob


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """Read-only: the jobs staff started (imports, month previews and runs) and how they ended."""

    list_display = ("id", "kind", "owner", "region_prefix", "status", "stage", "created_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in BackgroundJob._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
