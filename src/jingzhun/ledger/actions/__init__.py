"""Every write to the ledger: one function each, one transaction, one audit row (zulip's ``do_*`` habit).

* :func:`record_month_run` — a month run's snapshot, run row, lines (called by ``runs.run_month``
  inside its locked transaction);
* :func:`reverse_payment` — 冲正: a line that negates one earlier line, with the reason;
* :func:`send_bank_file` — the lines a bank file carries become ``sent``;
* :func:`mark_paid` — the bank paid these payments (``paid``, 已发放);
* :func:`mark_returned` — the bank returned these payments (``returned``);
* :func:`requeue_returned` — returned payments go back to ``pending`` for the next bank file;
* :func:`set_cpi` — the county enters a month's CPI rises (价格临时补贴 reads them in the month run).

One module per subject (``month_runs``, ``reversals``, ``bank``, ``cpi``; shared checks in ``_base``), re-exported
here: ``from jingzhun.ledger.actions import …`` is the one address callers use.
"""

from jingzhun.ledger.actions._base import EVENT_COLUMNS, LINE_COLUMNS, PAYING_ROLES, require_county
from jingzhun.ledger.actions.bank import mark_paid, mark_returned, requeue_returned, send_bank_file
from jingzhun.ledger.actions.cpi import CITY_PREFIX, CPI_LIMIT, parse_cpi, set_cpi
from jingzhun.ledger.actions.month_runs import record_month_run
from jingzhun.ledger.actions.reversals import reverse_payment

__all__ = [
    "CITY_PREFIX",
    "CPI_LIMIT",
    "EVENT_COLUMNS",
    "LINE_COLUMNS",
    "PAYING_ROLES",
    "mark_paid",
    "mark_returned",
    "parse_cpi",
    "record_month_run",
    "requeue_returned",
    "require_county",
    "reverse_payment",
    "send_bank_file",
    "set_cpi",
]
