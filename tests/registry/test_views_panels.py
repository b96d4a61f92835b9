"""The staff household page is composed from the panels the apps above the registry register (core/panels.py)."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core import panels

pytestmark = pytest.mark.django_db


def test_every_app_above_the_registry_has_registered_its_panel_in_page_order() -> None:
    assert [p.name for p in panels.registered()] == [
        "entitlements",
        "payments",
        "exit",
        "applications",
        "filial",  # 孝亲敬老奖励 · 子女赡养费, beside the applications
        "monitoring_cases",
        "help",
        "medical",
        "insurance",
        "qr",
        "crosscheck",
        "attachments",  # the registry's own 附件, last
    ]


def test_a_newly_registered_panel_shows_on_the_household_page_in_its_place(
    login: Any, world: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(panels, "_panels", dict(panels._panels))
    panels.register(
        "monitoring", 35, lambda request, actor, household: f"<section>监测 {household.household_no}</section>"
    )
    page = login("victor").get(f"/households/{world['own'].pk}/").content.decode()
    assert f"<section>监测 {world['own'].household_no}</section>" in page
    assert page.index("救助申请与在册情况") < page.index("监测 ") < page.index("<h2>帮扶记录</h2>")


def test_the_panel_gets_the_signed_in_actor(login: Any, world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(panels, "_panels", {})
    panels.register("who", 1, lambda request, actor, household: f"<p>panel for {actor.label}</p>")
    assert "<p>panel for tom</p>" in login("tom").get(f"/households/{world['own'].pk}/").content.decode()
