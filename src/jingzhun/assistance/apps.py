from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "jingzhun.assistance"
    label = "assistance"
    verbose_name = "救助申请与审批"
