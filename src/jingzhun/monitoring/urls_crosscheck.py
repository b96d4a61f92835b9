"""URLs of the monitoring part `crosscheck` (数据比对), mounted at /monitoring/crosscheck/."""

from django.urls import URLPattern, URLResolver, path

from jingzhun.monitoring.crosscheck import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="crosscheck"),
    path("<int:pk>/", views.detail, name="crosscheck_detail"),
    path("<int:pk>/decide/", views.decide, name="crosscheck_decide"),
    path("import/", views.upload, name="crosscheck_import"),
    path("run/", views.start_run, name="crosscheck_run"),
    path("jobs/<int:job_id>/", views.job_page, name="crosscheck_job"),
    path("jobs/<int:job_id>/status/", views.job_status, name="crosscheck_job_status"),
    path("roll/", views.roll, name="crosscheck_roll"),
    path("ambiguous/<int:pk>/resolve/", views.resolve, name="crosscheck_resolve"),
]
