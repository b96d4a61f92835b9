"""Ledger fixtures: a small 离石区 with 低保 households, and the system actor."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def system() -> Any:
    from jingzhun.core.actions import Actor

    return Actor.system("test")


@pytest.fixture
def county(regions: dict[str, Any]) -> dict[str, Any]:
    """Three villages of 离石区 with 2 + 1 + 1 elderly 低保 households (80+, no income)."""
    from tests.ledger.factories import elderly_poor_village

    households = [
        *elderly_poor_village(regions["v11"], 2),
        *elderly_poor_village(regions["v12"], 1),
        *elderly_poor_village(regions["v21"], 1),
    ]
    return {**regions, "households": households}
