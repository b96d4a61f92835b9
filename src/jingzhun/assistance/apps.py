from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "jingzhun.assistance"
    label = "assistance"
    verbose_name = "救助申请与审批"

    def ready(self) -> None:
        from jingzhun.assistance.panels import applications_panel
        from jingzhun.core import panels

        panels.register("applications", 30, applications_panel)

        from jingzhun.assistance.todos import assistance_todos
        from jingzhun.core import todos

        todos.register("assistance", 10, assistance_todos)
