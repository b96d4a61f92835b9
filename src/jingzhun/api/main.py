"""The HTTP API (django-ninja): OpenAPI 3 at /api/openapi.json, one router per app."""

from ninja import NinjaAPI

api = NinjaAPI(title="精准 jingzhun API", version="1", urls_namespace="api")
