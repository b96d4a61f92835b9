from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jingzhun.monitoring"
    label = "monitoring"
    verbose_name = "监测与退出"
    default_auto_field = "django.db.models.BigAutoField"
