"""帮扶记录 pages; served under /assistance/ as before the app was split off (site/urls.py)."""

from django.urls import path

from jingzhun.helping import phone_views, views

app_name = "helping"
urlpatterns = [
    path("mine/", phone_views.my_households, name="mine"),
    path("households/<str:household_no>/help/new/", views.help_new, name="help_new"),
    path("help/<int:pk>/void/", views.help_void, name="help_void"),
    path("households/<str:household_no>/help/export/", views.help_export, name="help_export"),
]
