"""The Content-Security-Policy (the site's own scripts, styles and images only) breaks no page: the main
staff pages, the back office, the API docs and a public 一码清 page load without one CSP violation, and the
features that need JavaScript (confirm before 作废, the income page's year switch, the help form's
submit-once) still work from the static app.js."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.public.actions import issue_token
from jingzhun.public.models import PublicToken
from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]

# Recorded in the page itself as well as on the console: either way a violation is seen.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def violations(page: Any) -> list[str]:
    seen: list[str] = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda msg: (
            seen.append(msg.text) if "Content Security Policy" in msg.text or "Refused to" in msg.text else None
        ),
    )
    return seen


def _open(page: Any, url: str, seen: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), url
    page.wait_for_load_state("load")
    seen.extend(f"{url}: {v}" for v in page.evaluate("window.__csp || []"))


def test_the_main_pages_load_without_a_csp_violation(
    live_server: Any, page: Any, world: Any, violations: list[str]
) -> None:
    household = world["own"]
    token = issue_token(Actor.system("test"), household).token
    browser_login(page, live_server.url, "root")
    for path in (
        "/",
        "/households/",
        f"/households/{household.pk}/",
        f"/households/{household.pk}/income/2019/",
        "/assistance/",
        f"/assistance/households/{household.household_no}/help/new/",
        "/qr/",
        "/runs/",
        "/households/import/",
        "/password/",
        "/admin/",
        "/admin/core/auditevent/",
        "/admin/auth/user/",
        f"/q/{token}/",
        "/api/docs",
    ):
        _open(page, live_server.url + path, violations)
    page.wait_for_selector("#swagger-ui .swagger-ui")  # the API docs' own static scripts ran
    assert violations == []


def test_revoking_a_label_asks_first_and_the_year_switch_works(
    live_server: Any, page: Any, world: Any, violations: list[str]
) -> None:
    household = world["own"]
    token = issue_token(Actor.system("test"), household)
    browser_login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    revoke = page.locator("form[data-confirm]").filter(has_text="作废").first
    assert not revoke.is_visible()  # folded into 更多操作 (issue #15)
    page.locator("details.more-actions summary", has_text="更多操作").click()
    revoke.wait_for()
    revoke.locator("input[name=reason]").fill("门牌被拍照外传")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    revoke.get_by_role("button", name="作废").click()
    page.wait_for_timeout(300)
    assert asked and "确定作废本户的二维码" in asked[0]
    assert PublicToken.objects.get(pk=token.pk).revoked_at is None  # cancelled: nothing sent

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        revoke.get_by_role("button", name="作废").click()
    assert PublicToken.objects.get(pk=token.pk).revoked_at is not None

    page.goto(f"{live_server.url}/households/{household.pk}/income/2019/")
    page.select_option("#year", "2018")
    with page.expect_navigation():
        page.get_by_role("button", name="切换年度").click()
    assert page.url.endswith(f"/households/{household.pk}/income/2018/")
    assert violations == []


def test_the_help_form_disables_its_button_once_sent(
    live_server: Any, page: Any, world: Any, violations: list[str]
) -> None:
    browser_login(page, live_server.url, "carl")
    page.goto(f"{live_server.url}/assistance/households/{world['own'].household_no}/help/new/")
    page.get_by_label("帮扶类别").select_option("visit")  # a complete form: an empty one is refused before sending
    page.get_by_label("帮扶内容").fill("入户走访")
    button = page.locator("#help-form button[type=submit]")
    page.evaluate("document.getElementById('help-form').addEventListener('submit', e => e.preventDefault())")
    button.click()
    page.wait_for_function("document.querySelector('#help-form button[type=submit]').disabled")
    assert button.is_disabled()
    assert violations == []
