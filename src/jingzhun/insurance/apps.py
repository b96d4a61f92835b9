from django.apps import AppConfig


class InsuranceConfig(AppConfig):
    name = "jingzhun.insurance"
    label = "insurance"
    verbose_name = "一保通"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jingzhun.core import panels
        from jingzhun.insurance.panels import insurance_panel

        panels.register("insurance", 46, insurance_panel)
