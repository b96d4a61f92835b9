from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "jingzhun.medical"
    label = "medical"
    verbose_name = "医疗一站式结算"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jingzhun.core import panels
        from jingzhun.medical.panels import medical_panel

        panels.register("medical", 45, medical_panel)
        from jingzhun.core import monitoring_sources
        from jingzhun.medical.monitoring_sources import hospital_costs

        monitoring_sources.register_costs("medical", hospital_costs)
