"""URLs of medical (mounted at /medical/)."""

from django.urls import URLPattern, URLResolver, path

from jingzhun.medical import views

app_name = "medical"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.stay_list, name="stays"),
    path("households/<str:household_no>/stays/new/", views.stay_new, name="stay_new"),
    path("stays/<str:stay_no>/", views.stay_detail, name="stay"),
    path("stays/<str:stay_no>/slip/", views.stay_slip, name="slip"),
    path("import/", views.stay_import, name="import"),
    path("report/", views.report, name="report"),
    path("hospitals/", views.hospitals, name="hospitals"),
    path("chronic/", views.chronic, name="chronic"),
    path("chronic/claims/", views.chronic_claims, name="chronic_claims"),
    path("chronic/<int:pk>/claims/new/", views.chronic_claim_new, name="chronic_claim_new"),
]
