"""/logout/ by GET: a Chinese page with the 退出 button, or the login page when not signed in."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_get_while_signed_in_shows_a_logout_button_and_keeps_the_session(personas: dict[str, object]) -> None:
    client = Client()
    client.login(username="tom", password="pw-12345678")
    response = client.get("/logout/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "确认要退出吗" in page and 'action="/logout/"' in page and 'method="post"' in page
    assert client.get("/").status_code == 200  # a GET logs nobody out


def test_get_when_not_signed_in_goes_to_the_login_page() -> None:
    response = Client().get("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"


def test_the_button_logs_out(personas: dict[str, object]) -> None:
    client = Client()
    client.login(username="tom", password="pw-12345678")
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/").status_code == 302
