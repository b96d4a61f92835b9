"""Walk 7 at 390 px (a phone): the household page fits the screen. The public URL
of the QR card (a 60-character link) had two class attributes, so its break-all was dropped and the page
scrolled sideways to 688 px."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.public.actions import issue_token
from tests.staff import browser_login

pytestmark = [pytest.mark.browser]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_the_household_page_with_its_qr_url_fits_a_phone(live_server: Any, page: Any, world: Any) -> None:
    household = world["own"]
    token = issue_token(Actor.system("test"), household).token
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    url = page.locator("a.mono", has_text=f"/q/{token}/")
    url.wait_for()
    assert page.evaluate(OVERFLOW) <= 0
    assert url.bounding_box()["x"] + url.bounding_box()["width"] <= 390
