"""URLs of the monitoring part `exit` (mounted at /monitoring/exit/)."""

from django.urls import URLPattern, URLResolver, path

from jingzhun.monitoring.exit import views

app_name = "exit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("households/<int:pk>/facts/", views.facts_edit, name="facts"),
]
