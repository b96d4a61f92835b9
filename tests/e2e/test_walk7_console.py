"""Walk 7: every first page a browser opened logged "Failed to load resource: 404" — chromium asks for
/favicon.ico when a page names no icon. The staff and public pages now name the site's own icon (a static
SVG, allowed by the CSP's img-src 'self'), so the login page and a public 一码清 page load without a console
error."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.public.actions import issue_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_the_login_and_public_pages_load_without_a_console_error(live_server: Any, page: Any, world: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    icons: list[int] = []
    page.on("response", lambda r: icons.append(r.status) if "favicon" in r.url else None)
    token = issue_token(Actor.system("test"), world["own"]).token
    for path in ("/login/", f"/q/{token}/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert errors == []
    assert icons and set(icons) == {200}
