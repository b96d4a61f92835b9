"""Requests carrying a NUL byte in the path or the query string are refused with a Chinese 400.

PostgreSQL cannot store or compare text containing NUL (psycopg raises ``DataError``), so such a value in a
URL part (户编号, a search term) would otherwise end as a 500. Form fields already refuse NUL (Django's
CharField validator). The 一码清 pages (``/q/``) are left to their view, which answers every token that
cannot exist with its one uniform 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


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
