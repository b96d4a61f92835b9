"""Per-IP rate limit for the public pages: a fixed one-minute window counted in Django's cache.

``settings.PUBLIC_RATE_LIMIT`` is the number of requests one client address may make per minute
(default 60; 0 turns the limit off). The default cache is per process (LocMemCache), so behind
several worker processes each counts on its own; a shared cache (Redis, database) makes it exact.
The address is ``REMOTE_ADDR``: behind a reverse proxy, the proxy must set it (not X-Forwarded-For,
which a client can forge).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

DEFAULT_LIMIT = 60
WINDOW = 60


def limit() -> int:
    return int(getattr(settings, "PUBLIC_RATE_LIMIT", DEFAULT_LIMIT))


def current_window() -> int:
    return int(time.time() // WINDOW)


def too_many(request: HttpRequest) -> bool:
    """Count this request; True when the client has used up its requests for the current minute."""
    allowed = limit()
    if allowed <= 0:
        return False
    key = f"public-rl:{request.META.get('REMOTE_ADDR', '')}:{current_window()}"
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW * 2)
        count = 1
    return count > allowed


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if too_many(request):
            body = render_to_string("public/rate_limited.html", {"window": WINDOW}, request=request)
            response = HttpResponse(body, status=429)
            response["Retry-After"] = str(WINDOW)
            response["Cache-Control"] = "no-store"
            return response
        return view(request, *args, **kwargs)

    return wrapper
