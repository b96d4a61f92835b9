from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.e2e.conftest import ARTIFACTS
from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_logs_in_and_sees_the_chinese_back_office(live_server, page, screenshot) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_superuser("root", password="demo-pass-123")
    page.goto(f"{live_server.url}/admin/")
    assert "登录" in page.content()
    page.fill("#id_username", "root")
    page.fill("#id_password", "demo-pass-123")
    page.click("input[type=submit]")
    page.wait_for_selector("text=精准扶贫与社会救助平台")
    assert "审计记录" in page.content()
    path = screenshot("admin-index")
    assert path.stat().st_size > 10_000


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_an_english_phone_gets_the_chinese_password_page(live_server: Any, browser: Any, world: Any) -> None:
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    try:
        pg = context.new_page()
        browser_login(pg, live_server.url, "victor")
        pg.get_by_role("link", name="修改密码").click()
        pg.fill("#id_old_password", "wrong")
        pg.fill("#id_new_password1", "victor2020")
        pg.fill("#id_new_password2", "victor2020")
        pg.get_by_role("button", name="保存新密码").click()
        pg.wait_for_selector("text=你的旧密码不正确。请重新输入。")
        assert "Django" not in pg.content() and pg.get_by_role("link", name="户籍查询").is_visible()
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "password-en-browser-360.png"), full_page=True)
    finally:
        context.close()
