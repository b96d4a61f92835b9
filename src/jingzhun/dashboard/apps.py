from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jingzhun.dashboard"
    label = "dashboard"
    verbose_name = "一张图"
    default_auto_field = "django.db.models.BigAutoField"
