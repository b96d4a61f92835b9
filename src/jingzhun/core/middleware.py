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
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/q/") and (
            "\x00" in request.path or any("\x00" in value for value in request.GET.values())
        ):
            return HttpResponseBadRequest(
                "请求中含有非法字符（NUL），已拒绝。".encode(), content_type="text/plain; charset=utf-8"
            )
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
