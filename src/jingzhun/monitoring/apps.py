from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jingzhun.monitoring"
    label = "monitoring"
    verbose_name = "监测与退出"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each part registers its own panels and hooks in its own module, so the parts never edit one file.
        from jingzhun.monitoring.cases import hooks as cases_hooks
        from jingzhun.monitoring.crosscheck import hooks as crosscheck_hooks
        from jingzhun.monitoring.exit import hooks as exit_hooks

        exit_hooks.register()
        cases_hooks.register()
        crosscheck_hooks.register()
