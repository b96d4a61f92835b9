"""A new gunicorn worker computes one household's entitlements before its first request (site.warmup)."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.site.warmup import warm_worker
from tests.ledger.factories import make_household


@pytest.mark.django_db
def test_warm_worker_computes_the_first_active_household(
    regions: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "jingzhun.ledger.entitlements.household_entitlements",
        lambda household, month: calls.append((household.household_no, month)),
    )
    warm_worker()
    assert calls == []  # an empty registry has nothing to warm, and says nothing
    household = make_household(regions["v11"], "1411020010010001")
    warm_worker()
    assert len(calls) == 1 and calls[0][0] == household.household_no


@pytest.mark.django_db
def test_a_failed_warm_up_never_stops_the_worker(
    regions: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(household: Any, month: str) -> None:
        raise RuntimeError("engine down")

    monkeypatch.setattr("jingzhun.ledger.entitlements.household_entitlements", boom)
    make_household(regions["v11"], "1411020010010001")
    warm_worker()  # logged, not raised
    assert "worker warm-up failed" in caplog.text and "engine down" in caplog.text
