from django.apps import AppConfig


class HelpingConfig(AppConfig):
    name = "jingzhun.helping"
    label = "helping"
    verbose_name = "帮扶记录"

    def ready(self) -> None:
        from jingzhun.core import audit_scope, panels
        from jingzhun.helping.history import household_rows
        from jingzhun.helping.panels import help_panel

        panels.register("help", 40, help_panel)
        audit_scope.register("helping", household_rows)

        from jingzhun.core import todos
        from jingzhun.helping.todos import help_todos

        todos.register("help", 40, help_todos)
