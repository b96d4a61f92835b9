from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jingzhun.dashboard"
    label = "dashboard"
    verbose_name = "一张图与报表"
