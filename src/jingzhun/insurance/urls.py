"""URLs of insurance (mounted at /insurance/)."""

from django.urls import URLPattern, URLResolver, path

from jingzhun.insurance import views

app_name = "insurance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.portfolio, name="portfolio"),
    path("claims/", views.claims, name="claims"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/decide/", views.decide, name="decide"),
]
