"""My to-dos on the 工作台: how the apps add their counts to the home page without the home importing them.

Like :mod:`jingzhun.core.panels`: an app registers a provider in ``AppConfig.ready``;
``provider(actor, today)`` returns the app's to-dos for that user — each a label, a count and the link to
the list that shows them — or an empty list when the role has nothing to do there. The home page shows
every provider's to-dos in ``order``. Registering a name twice replaces the provider. Monitoring registers
its open cases and 疑点 (``monitoring/todos.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from jingzhun.core.actions import Actor


@dataclass(frozen=True)
class Todo:
    label: str  # 待我审批, 公示即将期满 …
    count: int
    url: str
    hint: str = ""  # one line saying what is counted


Provider = Callable[[Actor, dt.date], list[Todo]]


@dataclass(frozen=True)
class _Registered:
    name: str
    order: int
    provider: Provider


_providers: dict[str, _Registered] = {}


def register(name: str, order: int, provider: Provider) -> None:
    _providers[name] = _Registered(name, order, provider)


def registered() -> list[str]:
    return [p.name for p in sorted(_providers.values(), key=lambda p: (p.order, p.name))]


def todos_for(actor: Actor, today: dt.date) -> list[Todo]:
    out: list[Todo] = []
    for entry in sorted(_providers.values(), key=lambda p: (p.order, p.name)):
        out.extend(entry.provider(actor, today))
    return out
