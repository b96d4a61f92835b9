"""The HTTP API (django-ninja): OpenAPI 3 at /api/openapi.json, one router per app.

Every endpoint needs a signed-in staff session (``django_auth``; none → 401) and is region-scoped like
the staff pages: an id outside the caller's scope answers 404, exactly as a missing one does. Every error
is answered in Chinese (``api/errors.py``). The schema (``/api/openapi.json``) and the Swagger page
(``/api/docs``) need the signed-in session too: without it the schema answers the API's Chinese 401 and
the page sends the browser to the login page.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from jingzhun.api import errors
from jingzhun.api.households import router as households_router


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``docs_decorator``: the schema and the docs page for signed-in users only."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": errors.UNAUTHORIZED}, status=401, json_dumps_params={"ensure_ascii": False})
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': request.get_full_path()})}")

    return wrapper


api = NinjaAPI(
    docs_decorator=signed_in_only,
    title="精准 jingzhun API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    description="精准扶贫与社会救助平台接口。需登录（会话 Cookie）；数据按账号的工作区域限定，身份证号一律脱敏。",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权访问。"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": errors.UNAUTHORIZED}, status=401)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": errors.NOT_FOUND}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, errors.validation_body(exc.errors), status=422)


api.add_router("/households", households_router)
