from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "jingzhun.public"
    label = "public"
    verbose_name = "一码清公开页"

    def ready(self) -> None:
        from jingzhun.core import panels
        from jingzhun.public.panels import token_panel

        panels.register("qr", 50, token_panel)
