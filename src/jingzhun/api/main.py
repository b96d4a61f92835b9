"""The HTTP API (django-ninja): OpenAPI 3 at /api/openapi.json, one router per app.

Every endpoint needs a signed-in staff session (``django_auth``; none → 401) and is region-scoped like
the staff pages: an id outside the caller's scope answers 404, exactly as a missing one does. Every error
is answered in Chinese (``api/errors.py``).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from jingzhun.api import errors
from jingzhun.api.households import router as households_router

api = NinjaAPI(
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
