"""帮扶记录 pages; served under /assistance/ as before the app was split off (site/urls.py)."""

from django.urls import path

from jingzhun.helping import list_views, phone_views, views

app_name = "helping"
urlpatterns = [
    path("mine/", phone_views.my_households, name="mine"),
    path("help/", list_views.help_list, name="help_list"),
    path("help/<int:pk>/", list_views.help_detail, name="help_detail"),
    path("households/<str:household_no>/help/new/", views.help_new, name="help_new"),
    path("help/<int:pk>/void/", views.help_void, name="help_void"),
    path("households/<str:household_no>/help/export/", views.help_export, name="help_export"),
]
