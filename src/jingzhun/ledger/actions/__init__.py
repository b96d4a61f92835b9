"""Every write to the ledger: one function each, one transaction, one audit row (zulip's ``do_*`` habit).

* :func:`record_month_run` — a month run's snapshot, run row, lines (called by ``runs.run_month``
  inside its locked transaction);
* :func:`reverse_payment` — 冲正: a line that negates one earlier line, with the reason;
* :func:`create_bank_batch` — a bank file is generated: its batch row and references, no status change;
* :func:`confirm_bank_batch` — 确认已报盘: the file went to the bank, the lines it carries become ``sent``;
* :func:`mark_paid` — the bank paid these payments (``paid``, 已发放);
* :func:`mark_returned` — the bank returned these payments (``returned``);
* :func:`requeue_returned` — returned payments go back to ``pending`` for the next bank file;
* :func:`receive_payouts` — lines paid by other apps (医疗救助, “136”, 保险赔付) through ``core.payouts``;
* :func:`set_cpi` — the county enters a month's CPI rises (价格临时补贴 reads them in the month run).

One module per subject (``month_runs``, ``reversals``, ``bank``, ``cpi``; shared checks in ``_base``), re-exported
here: ``from jingzhun.ledger.actions import …`` is the one address callers use.
"""

from jingzhun.ledger.actions._base import EVENT_COLUMNS, LINE_COLUMNS, PAYING_ROLES, require_county
from jingzhun.ledger.actions.bank import (
    batch_confirmed,
    batch_plan,
    confirm_bank_batch,
    create_bank_batch,
    mark_paid,
    mark_returned,
    record_bank_download,
    requeue_returned,
)
from jingzhun.ledger.actions.cpi import CITY_PREFIX, CPI_LIMIT, parse_cpi, set_cpi
from jingzhun.ledger.actions.month_runs import record_month_run
from jingzhun.ledger.actions.payouts import receive_payouts
from jingzhun.ledger.actions.reversals import reverse_payment

__all__ = [
    "CITY_PREFIX",
    "CPI_LIMIT",
    "EVENT_COLUMNS",
    "LINE_COLUMNS",
    "PAYING_ROLES",
    "batch_confirmed",
    "batch_plan",
    "confirm_bank_batch",
    "create_bank_batch",
    "mark_paid",
    "mark_returned",
    "parse_cpi",
    "receive_payouts",
    "record_bank_download",
    "record_month_run",
    "requeue_returned",
    "require_county",
    "reverse_payment",
    "set_cpi",
]
