"""Inputs of the monthly 返贫预警 assessment that live in other apps: a registration point below them all.

The assessment (``monitoring/cases``) cannot import its sibling apps (assistance, medical) nor the
cross-check part's tables, and they cannot import it: so, like :mod:`jingzhun.core.panels`, each app
registers a function here in its ``AppConfig.ready`` and the assessment calls every registered one.

* :func:`register_costs` — ``fn(region_prefix, start, end)`` returns a Polars frame with the columns
  ``household_id`` (Int64), ``rigid_costs_fen`` (Int64) and ``hospital_oop_fen`` (Int64): amounts that fell
  in ``start ≤ date < end`` for households of villages whose code starts with ``region_prefix``. Several rows
  per household are summed. 临时救助 (assistance) registers one; 住院结算 (medical) will register one.
* :func:`register_events` — ``fn(region_prefix, start, end)`` returns ``household_id`` (Int64), ``kind`` (a
  POLICY.md §8 event kind: severe_disability, labour_lost, disaster, accident_death, dropout,
  work_interrupted, sudden_hardship) and ``date`` (Date). The cross-check part registers the department
  lists (残联, 应急/灾情, 教育, 死亡); the cases part registers cadre-reported events.

* :func:`register_guarantees` — ``fn(household_ids, start, end)`` returns the set of those households that
  had 低保 or 特困 support (an enrollment) in some month ``start ≤ month < end``: the exit check counts
  such a household's income at least at the 低保 standard (兜底, monitoring/exit/check.py). Assistance
  registers one.

Registering a name twice replaces the function (tests and reloads).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Source = Callable[[str, dt.date, dt.date], Any]  # returns a polars.DataFrame (see above)

COST_COLUMNS = ("household_id", "rigid_costs_fen", "hospital_oop_fen")
EVENT_COLUMNS = ("household_id", "kind", "date")

_costs: dict[str, Source] = {}
_events: dict[str, Source] = {}
Guarantees = Callable[[list[int], dt.date, dt.date], set[int]]
_guarantees: dict[str, Guarantees] = {}


def register_costs(name: str, fn: Source) -> None:
    _costs[name] = fn


def register_events(name: str, fn: Source) -> None:
    _events[name] = fn


def register_guarantees(name: str, fn: Guarantees) -> None:
    _guarantees[name] = fn


def guarantee_sources() -> dict[str, Guarantees]:
    return dict(sorted(_guarantees.items()))


def cost_sources() -> dict[str, Source]:
    return dict(sorted(_costs.items()))


def event_sources() -> dict[str, Source]:
    return dict(sorted(_events.items()))


def unregister(name: str) -> None:
    _costs.pop(name, None)
    _events.pop(name, None)
    _guarantees.pop(name, None)
