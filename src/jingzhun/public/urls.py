"""The public 一码清 page: ``/q/<token>/`` (township, village or household). Staff pages: ``staff_urls``."""

from django.urls import path

from jingzhun.public import views

app_name = "public"

urlpatterns = [
    path("<str:token>/", views.public_page, name="page"),
]
