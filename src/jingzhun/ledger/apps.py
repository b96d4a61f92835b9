from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "jingzhun.ledger"
    label = "ledger"
    verbose_name = "民生账本（发放台账）"

    def ready(self) -> None:
        from jingzhun.core import panels
        from jingzhun.ledger.panels import entitlements_panel, payments_panel

        panels.register("entitlements", 10, entitlements_panel)
        panels.register("payments", 20, payments_panel)
