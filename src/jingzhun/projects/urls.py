"""项目资金库 staff pages (mounted at /projects/)."""

from django.urls import URLPattern, URLResolver, path

from jingzhun.projects import post_views, pv_views, views

app_name = "projects"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.library, name="library"),
    path("rank/", views.rank, name="rank"),
    path("funds/new/", views.fund_new, name="fund_new"),
    path("funds/<int:pk>/match/", views.fund_match, name="fund_match"),
    path("posts/", post_views.posts, name="posts"),
    path("pv/", pv_views.pv, name="pv"),
    path("pv/stations/new/", pv_views.station_new, name="pv_station_new"),
    path("pv/years/new/", pv_views.year_new, name="pv_year_new"),
    path("pv/plans/new/", pv_views.plan_new, name="pv_plan_new"),
    path("points/<int:pk>/", post_views.points, name="points"),
    path("points/<int:pk>/add/", post_views.points_add, name="points_add"),
    path("posts/new/", post_views.post_new, name="post_new"),
    path("posts/<int:pk>/pay/", post_views.post_pay, name="post_pay"),
    path("posts/<int:pk>/leave/", post_views.post_leave, name="post_leave"),
    path("posts/<int:pk>/reassign/", post_views.post_reassign, name="post_reassign"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/performance/", views.performance_new, name="performance_new"),
]
