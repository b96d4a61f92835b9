"""退出: ``/logout/`` ends the session by POST only (a link or a prefetch must not log anyone out).

A GET — a bookmarked or typed ``/logout/`` — gets a Chinese page with the 退出 button when signed in,
and goes to the login page when not, instead of Django's empty 405.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


class LogoutView(auth_views.LogoutView):
    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, "registration/logout_confirm.html")
