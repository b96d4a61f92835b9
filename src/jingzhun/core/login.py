"""Login throttling (django-axes), configured in settings (``AXES_*``).

After ``AXES_FAILURE_LIMIT`` (5) failed logins an account is locked, and so is the client address that
made them (each counted on its own: guessing many accounts from one address, or one account from many
addresses, both stop). The lock lasts ``AXES_COOLOFF_TIME`` (15 minutes) from the last failed attempt:
every further try during the lock starts the wait again, so a script that keeps guessing is kept out
for as long as it keeps guessing. The locked page is the login page with a Chinese message (429).

The client address is the one the 一码清 rate limit counts (``core.client``: trusted proxies'
``X-Forwarded-For``; IPv6 by /64). ``Backend`` is axes' backend, except that an authentication without an
HTTP request (Django's test client ``login()``, a management command) is not throttled and goes on to
the model backend: throttling is about requests from the network.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jingzhun.core.client import client_address, client_key

LOCKED = "登录失败次数过多，该账号或本机地址已被暂时锁定。请 {minutes} 分钟后再试；忘记密码请联系县级系统管理员重置。"


class Backend(AxesStandaloneBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def client_ip(request: HttpRequest) -> str:
    return client_key(client_address(request))


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The login page again, with the lock message instead of the usual error (HTTP 429)."""
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")})
    context = {"form": form, "locked": LOCKED.format(minutes=cool_off_minutes()), "next": request.POST.get("next", "")}
    # the admin's login (/admin/login/) gets the same page: the lock is one for the whole site
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(cool_off_minutes() * 60)
    return response
