"""Sessions, passwords, caching and the server's settings (issue #11)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from jingzhun.core import middleware
from jingzhun.site.secret import DEVELOPMENT_KEY, demo_key


def _messages(password: str, username: str = "lishi") -> list[str]:
    try:
        with translation.override("zh-hans"):  # as in a request (ChineseFirstLocaleMiddleware)
            validate_password(password, User(username=username))
    except ValidationError as e:
        return list(e.messages)
    return []


def _messages_any_language(password: str) -> list[str]:
    try:
        validate_password(password, User(username="lishi"))
    except ValidationError as e:
        return list(e.messages)
    return []


@pytest.mark.parametrize("password", ["138000138001", "1985-06-01 12", "20200601 2020"])
def test_all_digit_passwords_are_refused_in_chinese(password: str) -> None:
    assert any("不能全部是数字" in m for m in _messages(password))


@pytest.mark.parametrize("password", ["lishi2020!", "2020LiShi#x", "my-LISHI-pw9"])
def test_passwords_built_from_the_user_name_are_refused_in_chinese(password: str) -> None:
    assert "密码不能包含用户名（不区分大小写），请另选一个。" in _messages(password)


def test_a_good_password_passes_and_short_ones_are_refused_in_chinese() -> None:
    assert _messages("Lvliang-2020x") == []
    assert _messages("a1b2c") == ["密码太短，至少需要 8 个字符。"]
    assert _messages("password123") == ["这个密码太常见，容易被猜中，请另选一个。"]
    with translation.override("en"):  # Chinese even where the catalogue would give English
        assert _messages_any_language("a1b2c") == ["密码太短，至少需要 8 个字符。"]


@pytest.mark.django_db
def test_the_password_change_page_refuses_an_all_digit_password(personas: dict[str, object]) -> None:
    client = Client()
    client.force_login(personas["victor"])  # type: ignore[arg-type]
    page = client.post(
        "/password/", {"old_password": "pw-12345678", "new_password1": "13800138000", "new_password2": "13800138000"}
    )
    assert page.status_code == 200 and "不能全部是数字" in page.content.decode()


@pytest.mark.django_db
def test_an_idle_session_ends_and_the_login_page_says_why(personas: dict[str, object], settings, monkeypatch) -> None:
    settings.SESSION_IDLE_MINUTES = 30
    client = Client()
    client.force_login(personas["tom"])  # type: ignore[arg-type]
    now = time.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now)
    assert client.get("/").status_code == 200
    monkeypatch.setattr(middleware.time, "time", lambda: now + 29 * 60)
    assert client.get("/").status_code == 200  # still active: 29 minutes, and the clock starts again
    monkeypatch.setattr(middleware.time, "time", lambda: now + 29 * 60 + 31 * 60)
    gone = client.get("/households/?q=x")
    assert gone.status_code == 302 and gone["Location"].startswith("/login/?") and "idle=1" in gone["Location"]
    assert "长时间未操作，已自动退出" in client.get(gone["Location"]).content.decode()
    assert client.get("/").status_code == 302  # the session really ended
    assert client.get("/api/households").status_code == 401


@pytest.mark.django_db
def test_the_api_answers_401_once_the_session_went_idle(personas: dict[str, object], settings, monkeypatch) -> None:
    settings.SESSION_IDLE_MINUTES = 5
    client = Client()
    client.force_login(personas["alice"])  # type: ignore[arg-type]
    now = time.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now)
    assert client.get("/api/households").status_code == 200
    monkeypatch.setattr(middleware.time, "time", lambda: now + 6 * 60)
    assert client.get("/api/households").status_code == 401


@pytest.mark.django_db
def test_staff_pages_are_never_stored(personas: dict[str, object]) -> None:
    client = Client()
    client.force_login(personas["alice"])  # type: ignore[arg-type]
    for path in ("/", "/households/", "/api/households"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store", path


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_without_inline_script(personas: dict[str, object]) -> None:
    client = Client()
    for path in ("/login/", "/q/unknown/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JINGZHUN_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "jingzhun.site.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wsgi_application_refuses_the_development_key_in_chinese(tmp_path: Path) -> None:
    home = {"JINGZHUN_HOME": str(tmp_path)}
    refused = _python("import jingzhun.site.wsgi", **home)
    assert refused.returncode != 0
    assert "拒绝启动" in refused.stderr and "JINGZHUN_SECRET_KEY" in refused.stderr
    assert _python("import jingzhun.site.wsgi", JINGZHUN_SECRET_KEY="k" * 50, **home).returncode == 0
    assert _python("import jingzhun.site.wsgi", JINGZHUN_DEBUG="1", **home).returncode == 0


def test_serve_refuses_the_development_key_but_migrate_works(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JINGZHUN_")}
    env = {**clean, "JINGZHUN_HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    run = [sys.executable, "-m", "jingzhun"]
    served = subprocess.run([*run, "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=120)
    assert served.returncode == 2 and "拒绝启动" in served.stderr and "export JINGZHUN_SECRET_KEY" in served.stderr
    migrated = subprocess.run([*run, "migrate"], env=env, capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr


def test_https_settings_and_default_hosts() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, "
        "s.SECURE_SSL_REDIRECT, 'testserver' in s.ALLOWED_HOSTS, s.SESSION_IDLE_MINUTES)"
    )
    on = _python(code, JINGZHUN_HTTPS="1", JINGZHUN_SESSION_IDLE_MINUTES="10")
    assert on.stdout.split() == [
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "False",
        "False",
        "10",
    ]
    off = _python(code)
    assert off.stdout.split() == ["False", "False", "0", "None", "False", "False", "30"]


def test_the_demo_key_is_random_kept_private_and_reused(tmp_path: Path) -> None:
    key = demo_key(tmp_path / "var")
    path = tmp_path / "var" / "secret-key"
    assert len(key) >= 50 and key != DEVELOPMENT_KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert demo_key(tmp_path / "var") == key
    assert demo_key(tmp_path / "other") != key
