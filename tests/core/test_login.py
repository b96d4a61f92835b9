import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_is_in_chinese(client: Client) -> None:
    response = client.get("/login/")
    assert "工作人员登录" in response.content.decode()


def test_wrong_password_says_so_in_chinese(client: Client, personas: dict[str, object]) -> None:
    response = client.post("/login/", {"username": "alice", "password": "nope"})
    assert "用户名或密码错误" in response.content.decode()


def test_county_officer_lands_on_her_county_workbench(client: Client, personas: dict[str, object]) -> None:
    client.post("/login/", {"username": "alice", "password": "pw-12345678"})
    page = client.get("/").content.decode()
    assert "离石区 · 工作台" in page
    assert "县级（民政/扶贫办）" in page


def test_logout_needs_post_and_ends_the_session(client: Client, personas: dict[str, object]) -> None:
    client.login(username="tom", password="pw-12345678")
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_works(client: Client, personas: dict[str, object]) -> None:
    client.login(username="victor", password="pw-12345678")
    response = client.post(
        "/password/",
        {"old_password": "pw-12345678", "new_password1": "Lvliang-2020x", "new_password2": "Lvliang-2020x"},
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(username="victor", password="Lvliang-2020x")
