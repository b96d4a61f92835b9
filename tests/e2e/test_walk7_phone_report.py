"""Walk 7 at 390 px (a phone): the 住院一站式结算通报 fits the screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.e2e.test_staff_layout_360 import CSS
from tests.medical.conftest import actor, county, hospitals, household  # noqa: F401
from tests.medical.test_views import _post

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => !(e.parentElement && e.parentElement.closest('.table-wrap')) && e.getBoundingClientRect().right > 391)
  .map(e => e.tagName + '.' + e.className + ':' + e.textContent.trim().slice(0, 30)).slice(0, 8)"""


@pytest.mark.django_db(transaction=False)
def test_the_medical_report_fits_a_phone(page: Any, personas: Any, household: Any, hospitals: Any) -> None:  # noqa: F811
    """The report's facts (a 16-character term beside "91%（0.9136，80 人次） 达到 90% 目标") widened the page to
    412 px at 390. Rendered by the test client and shown with the site's CSS, as the 360 px statement test."""
    client = Client()
    client.force_login(personas["alice"])
    _post(client, household("v11", registered_year=2014), hospitals["city"])
    html = client.get("/medical/report/?year=2019").content.decode()
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content(re.sub(r'<link rel="stylesheet"[^>]*>', "", html))
    page.add_style_tag(path=str(CSS))
    assert "达到 90% 目标" in page.locator("#average-ratio").inner_text()
    assert page.evaluate(WIDE) == []
    assert page.evaluate(OVERFLOW) <= 0
