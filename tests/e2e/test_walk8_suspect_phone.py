"""Walk 8 at 390 px (a phone): a village cadre reads a 疑点's list row beside the registry person. The
side-by-side table was three columns wide; on a phone the registry column lay off screen, so the one
comparison the page is for needed a sideways scroll. On a phone each field now reads as a card: the
list's value, then the registry's, both labelled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.monitoring.crosscheck.conftest import seed_suspects
from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_the_list_row_and_the_registry_person_both_fit_a_phone(
    live_server: Any, page: Any, screenshot: Any, world: Any, tmp_path: Path
) -> None:
    vehicle = seed_suspects(tmp_path, world)["vehicle_own"]
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/monitoring/crosscheck/{vehicle.pk}/")
    table = page.locator("#side-by-side")
    village = table.get_by_text(vehicle.household.village.name, exact=False)
    names = table.locator("td", has_text=vehicle.person.name)
    assert names.count() == 2
    for cell in [names.nth(0), names.nth(1), village]:
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert table.locator("td[data-label]").first.evaluate("e => getComputedStyle(e, '::before').content") != "none"
    screenshot("suspect-390")
