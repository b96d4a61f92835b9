"""Login throttling (django-axes): 5 failures lock the account and the address, with a Chinese message."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _fail(client: Client, username: str, times: int, **extra: str) -> list[int]:
    return [
        client.post("/login/", {"username": username, "password": "wrong"}, **extra).status_code for _ in range(times)
    ]


def test_five_failures_lock_the_account_even_with_the_right_password(personas: dict[str, object]) -> None:
    client = Client()
    assert _fail(client, "alice", 4) == [200] * 4
    locked = client.post("/login/", {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录失败次数过多" in page and "15 分钟后再试" in page
    assert locked["Retry-After"] == "900"
    # the right password does not get in while locked, from another address either
    right = Client(REMOTE_ADDR="10.9.9.9").post("/login/", {"username": "alice", "password": "pw-12345678"})
    assert right.status_code == 429 and "_auth_user_id" not in Client().session


def test_an_address_guessing_many_accounts_is_locked_too(personas: dict[str, object]) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for name in ("tom", "victor", "carl", "audrey"):
        assert _fail(client, name, 1) == [200]
    assert _fail(client, "zoe", 1) == [429]
    # another address still signs in; the same address cannot, even for an account it never tried
    assert (
        Client(REMOTE_ADDR="203.0.113.8").post("/login/", {"username": "root", "password": "pw-12345678"}).status_code
        == 302
    )
    assert client.post("/login/", {"username": "root", "password": "pw-12345678"}).status_code == 429


def test_ipv6_addresses_of_one_64_count_as_one_client(personas: dict[str, object]) -> None:
    for i, name in enumerate(("tom", "victor", "carl", "audrey")):
        _fail(Client(REMOTE_ADDR=f"2001:db8:5:6::{i + 1}"), name, 1)
    assert _fail(Client(REMOTE_ADDR="2001:db8:5:6:ffff::9"), "zoe", 1) == [429]


def test_a_success_before_the_limit_starts_the_count_again(personas: dict[str, object]) -> None:
    client = Client()
    _fail(client, "tom", 4)
    assert client.post("/login/", {"username": "tom", "password": "pw-12345678"}).status_code == 302
    client.logout()
    assert _fail(client, "tom", 4) == [200] * 4


def test_the_admin_login_is_throttled_as_well(personas: dict[str, object]) -> None:
    client = Client()
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "root", "password": "wrong"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_a_wrong_password_warns_of_the_lock(personas: dict[str, object]) -> None:
    page = Client().post("/login/", {"username": "alice", "password": "nope"}).content.decode()
    assert "用户名或密码错误" in page and "连续输错 5 次" in page


def test_test_client_login_is_not_throttled(personas: dict[str, object]) -> None:
    """Authentication without an HTTP request (Client.login, commands) is not counted or refused."""
    client = Client()
    for _ in range(6):
        assert not client.login(username="tom", password="wrong")
    assert client.login(username="tom", password="pw-12345678")
