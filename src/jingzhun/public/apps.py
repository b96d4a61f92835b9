from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "jingzhun.public"
    label = "public"
    verbose_name = "一码清公开页"
