from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "jingzhun.ledger"
    label = "ledger"
    verbose_name = "民生账本（发放台账）"

    def ready(self) -> None:
        from jingzhun.core import panels, payouts
        from jingzhun.ledger.actions import receive_payouts
        from jingzhun.ledger.panels import entitlements_panel, payments_panel

        payouts.register("ledger", receive_payouts)

        panels.register("entitlements", 10, entitlements_panel)
        panels.register("payments", 20, payments_panel)
