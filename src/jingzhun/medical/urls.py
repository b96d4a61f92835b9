"""URLs of medical."""

from django.urls import URLPattern, URLResolver

app_name = "medical"

urlpatterns: list[URLPattern | URLResolver] = []
