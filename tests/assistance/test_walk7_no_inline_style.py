"""Walk 7: the application forms' text boxes carried an inline ``style`` attribute, which the
Content-Security-Policy (style-src 'self') refuses — chromium logged a CSP error on 新建救助申请 and on every
enrollment and application page. The boxes are sized by app.css (form.stacked textarea) instead."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.assistance.forms import ApplicationForm

pytestmark = pytest.mark.django_db


def test_the_new_application_page_has_no_inline_style(login: Any, world: Any) -> None:
    page = login("victor").get(f"/assistance/new/?household={world['own'].household_no}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="statement"' in html  # the 申请理由 box is on the page
    assert "style=" not in html


def test_the_form_text_boxes_carry_no_style_attribute() -> None:
    assert "style" not in ApplicationForm().fields["statement"].widget.attrs
