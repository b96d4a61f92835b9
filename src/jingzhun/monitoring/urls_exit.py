"""URLs of the monitoring part `exit` (mounted at /monitoring/exit/)."""

from django.urls import URLPattern, URLResolver, path

from jingzhun.monitoring.exit import views

app_name = "exit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.exit_index, name="index"),
    path("households/<int:pk>/facts/", views.facts_edit, name="facts"),
    path("households/<int:pk>/close-policies/", views.close_policies_view, name="close_policies"),
    path("villages/<str:code>/<int:year>/", views.village_page, name="village"),
    path("villages/<str:code>/<int:year>/propose/", views.propose_view, name="propose"),
    path("lists/<int:pk>/notice/", views.notice_view, name="notice"),
    path("lists/<int:pk>/<str:step>/", views.step_view, name="step"),
    path("entries/<int:pk>/sign/", views.sign_view, name="sign"),
    path("county/<str:code>/<int:year>/", views.county_page, name="county"),
]
