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
        from jingzhun.assistance.filial_views import filial_panel

        panels.register("filial", 31, filial_panel)
        from jingzhun.assistance import monitoring_sources
        from jingzhun.core import monitoring_sources as inputs

        inputs.register_costs("temporary_assistance", monitoring_sources.temporary_costs)
        inputs.register_events("temporary_assistance", monitoring_sources.temporary_events)
        inputs.register_guarantees("dibao_tekun", monitoring_sources.guaranteed_households)
        audit_scope.register("assistance", household_rows)

        from jingzhun.assistance.todos import assistance_todos
        from jingzhun.core import todos

        todos.register("assistance", 10, assistance_todos)
