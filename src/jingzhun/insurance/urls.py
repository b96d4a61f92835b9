"""URLs of insurance."""

from django.urls import URLPattern, URLResolver

app_name = "insurance"

urlpatterns: list[URLPattern | URLResolver] = []
