from django.apps import AppConfig


class InsuranceConfig(AppConfig):
    name = "jingzhun.insurance"
    label = "insurance"
    verbose_name = "一保通"
    default_auto_field = "django.db.models.BigAutoField"
