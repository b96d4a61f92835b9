"""Payouts into the ledger from apps below it: how medical settlement and 一保通 claims reach 民生账本.

The ledger sits above ``medical`` and ``insurance`` (import-linter layers), so those apps cannot import
it. Instead the ledger registers a receiver here in its ``AppConfig.ready`` (the pattern of
``core/panels.py``), and an app's action calls :func:`post` inside its own transaction: the settlement
record, its ledger lines and the audit row commit together or not at all.

A :class:`Payout` is one amount for one household (and member) in one program and month; ``kind`` is
``payment`` (a first amount, > 0) or ``adjustment`` (a later difference, either sign); ``ref`` names the
source record (``medical:<stay>#<seq>``) so the line can be traced back to its explanation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jingzhun.core.actions import Actor


@dataclass(frozen=True)
class Payout:
    household_pk: int
    person_pk: int | None
    program: str
    month: dt.date  # first of the month
    amount_fen: int
    kind: str  # "payment" | "adjustment"
    reason: str
    ref: str


Receiver = Callable[[Actor, Sequence[Payout]], None]

_receivers: dict[str, Receiver] = {}


def register(name: str, receiver: Receiver) -> None:
    """Register (or replace) a receiver; the ledger does so at ready time."""
    _receivers[name] = receiver


def post(actor: Actor, payouts: Sequence[Payout]) -> None:
    """Hand payouts to every receiver; refuse when none is registered (the amounts would go nowhere)."""
    if not payouts:
        return
    if not _receivers:
        raise RuntimeError("没有登记台账接收方（ledger 未安装），不能记入民生账本。")
    for receiver in list(_receivers.values()):
        receiver(actor, payouts)
