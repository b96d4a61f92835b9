import pytest
from django.contrib.auth.models import User

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
