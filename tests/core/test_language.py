"""Chinese whatever the browser asks for; English only by the user's explicit choice (the language cookie)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def signed_in(username: str = "victor") -> Client:
    client = Client(**ENGLISH_BROWSER)
    assert client.login(username=username, password="pw-12345678")
    return client


def test_an_english_browser_gets_the_apps_own_chinese_password_page(personas: dict[str, object]) -> None:
    response = signed_in().get("/password/")
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == "zh-hans"
    assert "保存新密码" in page and "户籍查询" in page and "退出" in page  # the app's layout and navigation
    assert "旧密码" in page
    assert "Django" not in page and "Password change" not in page


def test_password_form_messages_are_chinese_for_an_english_browser(personas: dict[str, object]) -> None:
    client = signed_in()
    page = client.post(
        "/password/", {"old_password": "wrong", "new_password1": "abc", "new_password2": "abd"}
    ).content.decode()
    assert "你的旧密码不正确" in page and "输入的两个密码不一致" in page
    page = client.post("/password/", {"old_password": "pw-12345678"}).content.decode()
    assert "这个字段是必填项。" in page and "This field is required" not in page


def test_a_password_like_the_username_is_refused(personas: dict[str, object]) -> None:
    client = signed_in()
    response = client.post(
        "/password/", {"old_password": "pw-12345678", "new_password1": "victor2020", "new_password2": "victor2020"}
    )
    assert response.status_code == 200 and "太相似" in response.content.decode()
    assert client.login(username="victor", password="pw-12345678")


def test_the_done_page_is_the_apps_own(personas: dict[str, object]) -> None:
    client = signed_in()
    response = client.post(
        "/password/",
        {"old_password": "pw-12345678", "new_password1": "Lvliang-2020x", "new_password2": "Lvliang-2020x"},
        follow=True,
    )
    page = response.content.decode()
    assert "密码已修改" in page and "户籍查询" in page and "Django" not in page


def test_english_only_when_the_user_chooses_it(personas: dict[str, object]) -> None:
    client = signed_in()
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/password/"})
    assert chosen.status_code == 302
    page = client.post("/password/", {"old_password": "pw-12345678"}).content.decode()
    assert "This field is required." in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "这个字段是必填项。" in client.post("/password/", {"old_password": "x"}).content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(personas: dict[str, object]) -> None:
    client = signed_in()
    client.cookies["django_language"] = "fr"
    assert "这个字段是必填项。" in client.post("/password/", {"old_password": "x"}).content.decode()
