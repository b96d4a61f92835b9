"""URLs of 一张图 (mounted at /dashboard/)."""

from django.urls import URLPattern, URLResolver, path

from jingzhun.dashboard import views

app_name = "dashboard"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="index"),
    path("map/", views.map_page, name="map"),
]
