"""Warm a freshly forked gunicorn worker before it takes requests.

The first staff household page a worker serves pays for importing the engine, starting Polars' thread pool
(which must happen in the worker itself, never in the process gunicorn forks from: see ``cli.site``),
loading the dated parameter tables and the first queries — about half a second on a quiet machine and
over two seconds on a busy one, while every later page takes well under 0.1 s. Computing one household's
entitlements once at worker start moves that cost off the first user's request. A database with no
household (before the first import) has nothing to warm; a failure is logged and never stops the worker.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from jingzhun.core import workday

log = logging.getLogger(__name__)


def warm_worker(_worker: Any = None) -> None:
    """gunicorn's ``post_worker_init`` hook: compute one household's entitlements (module docstring)."""
    start = time.monotonic()
    try:
        from django.db import connection

        from jingzhun.ledger.entitlements import household_entitlements
        from jingzhun.ledger.queries import last_run_month
        from jingzhun.registry.models import Household

        household = Household.objects.filter(active=True).select_related("village").order_by("pk").first()
        if household is None:
            return
        month = last_run_month(household.village.code) or workday.this_month()
        household_entitlements(household, month.strftime("%Y-%m"))
        connection.close()  # the worker's threads open their own
    except Exception:  # a warm-up must never keep the site from serving
        log.exception("worker warm-up failed")
    else:
        log.info("worker warmed in %.2f s", time.monotonic() - start)
