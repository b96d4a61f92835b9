from django.urls import path

from jingzhun.registry import audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.audit_search, name="search"),
]
