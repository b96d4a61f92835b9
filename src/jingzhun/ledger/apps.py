from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "jingzhun.ledger"
    label = "ledger"
    verbose_name = "民生账本（发放台账）"
