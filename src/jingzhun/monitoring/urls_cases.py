"""URLs of the monitoring part `cases` (返贫预警), mounted at /monitoring/cases/."""

from django.urls import URLPattern, URLResolver, include, path

from jingzhun.monitoring.cases import notice_views, views

cases_patterns = [
    path("", views.todo, name="todo"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("new/", views.case_new, name="new"),
    path("run/", views.run, name="run"),
    path("notice/<str:code>/<str:start>/", notice_views.case_notice, name="notice"),
    path("marginal/<str:household_no>/", views.marginal, name="marginal"),
    path("run/jobs/<int:job_id>/", views.job, name="job"),
    path("run/jobs/<int:job_id>/status/", views.job_status, name="job_status"),
]

urlpatterns: list[URLPattern | URLResolver] = [path("", include((cases_patterns, "cases")))]
