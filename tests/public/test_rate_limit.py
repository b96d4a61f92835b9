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
