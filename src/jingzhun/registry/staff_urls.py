from django.urls import path

from jingzhun.registry import staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.staff_list, name="list"),
    path("new/", staff_views.staff_new, name="new"),
    path("<int:user_pk>/password/", staff_views.staff_reset, name="reset"),
    path("<int:user_pk>/active/", staff_views.staff_active, name="active"),
]
