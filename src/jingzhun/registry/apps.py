from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jingzhun.registry"
    label = "registry"
    verbose_name = "建档立卡户籍"
