"""Request middleware of the whole site.

``RejectNulBytesMiddleware``: requests carrying a NUL byte in the path or the query string are refused
with a Chinese 400. PostgreSQL cannot store or compare text containing NUL (psycopg raises
``DataError``), so such a value in a URL part (户编号, a search term) would otherwise end as a 500. Form
fields already refuse NUL (Django's CharField validator). The 一码清 pages (``/q/``) are left to their
view, which answers every token that cannot exist with its one uniform 404.

``ChineseFirstLocaleMiddleware`` (in place of Django's ``LocaleMiddleware``): every page is in Chinese
(``settings.LANGUAGE_CODE``) whatever the browser's ``Accept-Language`` says — many office PCs and
phones are set to English, and their users must not get English pages or English form messages. English
stays available to whoever explicitly chooses it: the ``django_language`` cookie, set by POSTing
``language=en`` to ``/i18n/setlang/`` (Django's ``set_language``). No ``Vary: Accept-Language``: the
browser's language no longer changes a response.

``IdleTimeoutMiddleware``: a signed-in session that has seen no request for
``settings.SESSION_IDLE_MINUTES`` (``JINGZHUN_SESSION_IDLE_MINUTES``, default 30) is ended — village
offices share their PCs, and the next person must not find the last one still signed in. A page request
then goes to the login page with a Chinese note (``?idle=1``), an API call gets the API's 401. The last
activity is kept in the session and written at most once a minute (not a database write per request).

``NoStoreForStaffMiddleware``: every response to a signed-in user carries ``Cache-Control: private,
no-store`` (and ``Pragma: no-cache`` for old proxies): staff pages show names, ID numbers and payments, and
must not stay in a shared PC's browser cache or any proxy. The public 一码清 pages set their own headers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.utils import translation

NUL_REFUSED = "请求中含有非法字符（NUL），已拒绝。"


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/q/") and (
            "\x00" in request.path or any("\x00" in key + "".join(values) for key, values in request.GET.lists())
        ):
            if request.path.startswith("/api/"):  # the API answers in JSON, like its other errors
                return JsonResponse({"detail": NUL_REFUSED}, status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(NUL_REFUSED.encode(), content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def chosen_language(request: HttpRequest) -> str:
    """The language the user chose with the language cookie, if it is one the site offers; else Chinese."""
    chosen = str(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
    offered = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in offered else str(settings.LANGUAGE_CODE)


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _public(request: HttpRequest) -> bool:
    """一码清 pages and static files: no session is looked at (no ``Vary: Cookie``, no database)."""
    return request.path.startswith(("/q/", "/" + str(settings.STATIC_URL).lstrip("/")))


LAST_SEEN = "jingzhun_last_seen"
TOUCH_EVERY = 60  # seconds: how stale the stored last activity may get before it is written again


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _public(request) and request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            idle = int(getattr(settings, "SESSION_IDLE_MINUTES", 30)) * 60
            if isinstance(last, (int, float)) and now - last > idle:
                logout(request)
                if not request.path.startswith("/api/") and request.method in ("GET", "HEAD"):
                    query = urlencode({"next": request.get_full_path(), "idle": "1"})
                    return HttpResponseRedirect(f"{settings.LOGIN_URL}?{query}")
            elif not isinstance(last, (int, float)) or now - last > TOUCH_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreForStaffMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _public(request):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            response["Pragma"] = "no-cache"
        return response
