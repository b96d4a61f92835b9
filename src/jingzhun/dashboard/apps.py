from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jingzhun.dashboard"
    label = "dashboard"
    verbose_name = "一张图"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jingzhun.core import todos
        from jingzhun.dashboard.todos import help_todos

        todos.register("help", 40, help_todos)  # replaces helping's: a region's 走访逾期 from the village counts
