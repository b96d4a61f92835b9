from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jingzhun.registry"
    label = "registry"
    verbose_name = "建档立卡户籍"

    def ready(self) -> None:
        from jingzhun.core import panels, todos
        from jingzhun.registry.attachment_views import attachments_panel
        from jingzhun.registry.todos import change_todos

        todos.register("changes", 20, change_todos)
        panels.register("attachments", 90, attachments_panel)
