"""At 360 px the header's nav wraps between its items, never inside one, and the 民生账本 reads as cards."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.staff import browser_login

pytestmark = pytest.mark.browser
CSS = Path(__file__).resolve().parents[2] / "src/jingzhun/core/static/jingzhun/app.css"

# Each header link: one line of text (a link broken inside a word has two client rectangles, or is taller).
SPLIT_LINKS = """() => [...document.querySelectorAll('header.top nav a, header.top .who a, header.top .who button')]
  .filter(el => {
    const rects = [...el.getClientRects()].filter(r => r.width > 0);
    const range = document.createRange(); range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return rects.length > 1 || lines.size > 1;
  }).map(el => el.textContent.trim())"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_the_nav_wraps_between_items_on_a_phone(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server.url, "alice")  # a county officer: the longest nav
    assert page.evaluate(SPLIT_LINKS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("nav-360")


@pytest.mark.django_db(transaction=False)
def test_the_statement_reads_as_cards_on_a_phone(page: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    """Rendered by the test client and shown with the site's CSS: a month run appends to the ledger, whose
    triggers refuse the flush that ends a live-server test."""
    from django.test import Client

    from jingzhun.core.actions import Actor
    from jingzhun.ledger.runs import run_month
    from tests.staff import build_world

    own = build_world(regions, personas)["own"]
    run_month("2020-05", actor=Actor.system("test"))
    client = Client()
    client.force_login(personas["alice"])
    html = client.get(f"/ledger/household/{own.household_no}/").content.decode()
    page.set_viewport_size({"width": 360, "height": 740})
    page.set_content(re.sub(r'<link rel="stylesheet"[^>]*>', "", html))
    page.add_style_tag(path=str(CSS))
    reason = page.locator("td[data-label='依据与说明']").first
    assert "本月享受低保：是" in reason.inner_text()
    box = reason.bounding_box()
    assert box is not None and box["width"] > 300  # the whole card's width, not a 7th of a table
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "statement-360.png"), full_page=True)
