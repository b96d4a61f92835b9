"""/monitoring/: the three parts' pages (精准退出, 返贫预警, 数据比对), each with its own URL module."""

from django.urls import include, path

app_name = "monitoring"

urlpatterns = [
    path("exit/", include("jingzhun.monitoring.urls_exit")),
    path("cases/", include("jingzhun.monitoring.urls_cases")),
    path("crosscheck/", include("jingzhun.monitoring.urls_crosscheck")),
]
