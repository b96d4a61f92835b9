"""Error pages in Chinese: 500, 400 and the CSRF failure (Django's own are English or for developers)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.urls("tests.core.urls_boom")
def test_a_server_error_is_a_chinese_page_that_needs_no_database() -> None:
    # No django_db mark: any database access while rendering the 500 page would fail this test.
    response = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en").get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in page and "没有保存" in page and 'href="/"' in page
    assert "Server Error" not in page


def test_a_bad_request_is_a_chinese_page() -> None:
    response = Client(HTTP_HOST="evil.example").get("/login/")
    assert response.status_code == 400 and "请求有误" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_form_gets_a_chinese_csrf_page_and_nothing_is_saved(personas: dict[str, object]) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="victor", password="pw-12345678")
    response = client.post(
        "/password/",
        {"old_password": "pw-12345678", "new_password1": "Lvliang-2020x", "new_password2": "Lvliang-2020x"},
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in page and "没有保存" in page and "刷新" in page
    assert "DEBUG" not in page and "CSRF" not in page
    assert Client().login(username="victor", password="pw-12345678")
