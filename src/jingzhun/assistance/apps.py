from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "jingzhun.assistance"
    label = "assistance"
    verbose_name = "救助申请与审批"

    def ready(self) -> None:
        from jingzhun.assistance.history import household_rows
        from jingzhun.assistance.panels import applications_panel
        from jingzhun.core import audit_scope, panels

        panels.register("applications", 30, applications_panel)
        audit_scope.register("assistance", household_rows)
