from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jingzhun.dashboard"
    label = "dashboard"
    verbose_name = "一张图"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from jingzhun.core import todos
        from jingzhun.dashboard.tasks import after_task
        from jingzhun.dashboard.todos import help_todos

        todos.register("help", 40, help_todos)  # replaces helping's: a region's 走访逾期 from the village counts
        task_finished.connect(after_task, dispatch_uid="dashboard.refresh_after_jobs")  # month runs, imports …
