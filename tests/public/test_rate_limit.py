"""Per-address rate limit on the public pages (PUBLIC_RATE_LIMIT requests a minute)."""

import subprocess
import sys

import pytest

from jingzhun.public import ratelimit
from jingzhun.public.actions import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_minute(monkeypatch) -> None:
    """Keep every request of a test in the same one-minute window, whatever the clock says."""
    monkeypatch.setattr(ratelimit, "current_window", lambda: 29_000_000)


def test_the_request_over_the_limit_gets_429_in_chinese(client, settings, regions, make_household, system) -> None:
    settings.PUBLIC_RATE_LIMIT = 5
    page = f"/q/{issue_token(system, make_household(regions['v11'], ['张三明'])).token}/"
    assert [client.get(page).status_code for _ in range(5)] == [200] * 5
    response = client.get(page)
    assert response.status_code == 429
    assert "访问过于频繁" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_scanning_unknown_tokens_counts_against_the_limit_too(client, settings, db) -> None:
    settings.PUBLIC_RATE_LIMIT = 3
    codes = [client.get(f"/q/guess{i}/").status_code for i in range(4)]
    assert codes == [404, 404, 404, 429]


def test_another_address_keeps_its_own_allowance(client, settings, db) -> None:
    settings.PUBLIC_RATE_LIMIT = 2
    for _ in range(3):
        client.get("/q/guess/", REMOTE_ADDR="10.0.0.1")
    assert client.get("/q/guess/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/q/guess/", REMOTE_ADDR="10.0.0.2").status_code == 404


def test_behind_the_proxy_each_forwarded_client_has_its_own_allowance(client, settings, db) -> None:
    """``jingzhun serve`` listens on 127.0.0.1: the public arrives through a proxy there, and the
    right-most X-Forwarded-For entry (the one the proxy appended) is the client."""
    settings.PUBLIC_RATE_LIMIT = 2
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        assert client.get("/q/guess/", HTTP_X_FORWARDED_FOR="203.0.113.1", **via_proxy).status_code == 404
    assert client.get("/q/guess/", HTTP_X_FORWARDED_FOR="203.0.113.1", **via_proxy).status_code == 429
    assert client.get("/q/guess/", HTTP_X_FORWARDED_FOR="203.0.113.2", **via_proxy).status_code == 404
    # a client forging the left of the header is still counted as itself (what the proxy appended)
    forged = "198.51.100.7, 203.0.113.1"
    assert client.get("/q/guess/", HTTP_X_FORWARDED_FOR=forged, **via_proxy).status_code == 429


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(client, settings, db) -> None:
    settings.PUBLIC_RATE_LIMIT = 2
    for i in range(2):
        client.get("/q/guess/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert client.get("/q/guess/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("127.0.0.1", "", "127.0.0.1,::1", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.5", "127.0.0.1,::1", "203.0.113.5"),
        ("127.0.0.1", "203.0.113.5, 10.1.2.3", "127.0.0.1,10.0.0.0/8", "203.0.113.5"),  # two proxies
        ("", "203.0.113.5", "127.0.0.1", "203.0.113.5"),  # a Unix socket: only a local proxy connects
        ("127.0.0.1", "not-an-address", "127.0.0.1", "127.0.0.1"),
        ("127.0.0.1", "2001:DB8::1", "127.0.0.1", "2001:db8::1"),
        ("192.0.2.1", "203.0.113.5", "127.0.0.1", "192.0.2.1"),
        ("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"),  # only proxies: the connecting one
    ],
)
def test_client_address(rf, settings, remote, forwarded, trusted, expected) -> None:
    settings.PUBLIC_TRUSTED_PROXIES = trusted
    request = rf.get("/q/x/", REMOTE_ADDR=remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    assert ratelimit.client_address(request) == expected


def test_a_bad_trusted_proxy_setting_says_so_in_chinese(rf, settings) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.PUBLIC_TRUSTED_PROXIES = "127.0.0.1,nginx"
    with pytest.raises(ImproperlyConfigured, match="JINGZHUN_TRUSTED_PROXIES"):
        ratelimit.client_address(rf.get("/q/x/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"))


def test_a_limit_of_zero_turns_the_limit_off(client, settings, db) -> None:
    settings.PUBLIC_RATE_LIMIT = 0
    assert {client.get("/q/guess/").status_code for _ in range(80)} == {404}


def test_the_default_limit_is_sixty_a_minute(client, db) -> None:
    codes = [client.get("/q/guess/").status_code for _ in range(61)]
    assert codes.count(404) == 60 and codes[-1] == 429


def test_the_count_is_shared_with_other_worker_processes(client, settings, db) -> None:
    """Another process (a second gunicorn worker) counting in the same file uses up the same allowance."""
    settings.PUBLIC_RATE_LIMIT = 5
    script = (
        "import sys; from jingzhun.public.ratelimit import SharedCounter; "
        "c = SharedCounter(sys.argv[1]); print([c.hit('127.0.0.1', 29_000_000) for _ in range(4)][-1])"
    )
    other = subprocess.run(
        [sys.executable, "-c", script, str(settings.PUBLIC_RATE_LIMIT_DB)], capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == "4"
    assert [client.get("/q/guess/").status_code for _ in range(2)] == [404, 429]


def test_old_windows_are_deleted(tmp_path) -> None:
    counter = ratelimit.SharedCounter(tmp_path / "rl.sqlite3")
    assert [counter.hit("10.0.0.1", 100) for _ in range(3)] == [1, 2, 3]
    assert counter.hit("10.0.0.1", 101) == 1
    assert counter.hit("10.0.0.1", 103) == 1
    rows = counter._connection().execute("SELECT win FROM hits ORDER BY win").fetchall()
    assert rows == [(103,)]


def test_an_unwritable_count_file_falls_back_to_counting_in_this_process(client, settings, db, tmp_path) -> None:
    settings.PUBLIC_RATE_LIMIT = 2
    settings.PUBLIC_RATE_LIMIT_DB = tmp_path / "a-directory"
    (tmp_path / "a-directory").mkdir()
    assert [client.get("/q/guess/").status_code for _ in range(3)] == [404, 404, 429]


def test_the_429_carries_the_same_privacy_headers_as_the_pages_in_chinese(client, settings, db) -> None:
    settings.PUBLIC_RATE_LIMIT = 1
    not_found = client.get("/q/guess/", HTTP_ACCEPT_LANGUAGE="en")
    limited = client.get("/q/guess/", HTTP_ACCEPT_LANGUAGE="en")
    assert (not_found.status_code, limited.status_code) == (404, 429)
    for name in ("Referrer-Policy", "X-Frame-Options", "X-Robots-Tag", "Content-Language"):
        assert limited[name] == not_found[name], name
    assert limited["Content-Language"] == "zh-hans" and limited["Referrer-Policy"] == "no-referrer"


def test_ipv6_clients_share_one_allowance_per_64(client, settings, db) -> None:
    """A phone picks any address in its /64: two addresses of one /64 are one client, another /64 is not."""
    settings.PUBLIC_RATE_LIMIT = 2
    assert client.get("/q/guess/", REMOTE_ADDR="2001:db8:1:2::1").status_code == 404
    assert client.get("/q/guess/", REMOTE_ADDR="2001:db8:1:2:aaaa:bbbb:cccc:dddd").status_code == 404
    assert client.get("/q/guess/", REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    assert client.get("/q/guess/", REMOTE_ADDR="2001:db8:1:3::1").status_code == 404


def test_ipv6_behind_the_proxy_counts_by_64_too(client, settings, db) -> None:
    settings.PUBLIC_RATE_LIMIT = 1
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert client.get("/q/guess/", HTTP_X_FORWARDED_FOR="2001:db8::10", **via_proxy).status_code == 404
    assert client.get("/q/guess/", HTTP_X_FORWARDED_FOR="2001:db8::20", **via_proxy).status_code == 429


@pytest.mark.parametrize(
    ("addr", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("2001:DB8:1:2::", "2001:db8:1:2::"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("", ""),
    ],
)
def test_client_key(addr, key) -> None:
    assert ratelimit.client_key(addr) == key
