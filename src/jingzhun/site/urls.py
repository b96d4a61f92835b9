from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jingzhun.api.main import api
from jingzhun.core.session import LogoutView
from jingzhun.site import home as home_views

admin.site.site_header = "精准扶贫与社会救助平台"
admin.site.site_title = "精准 jingzhun"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("households/", include("jingzhun.registry.urls")),
    path("assistance/", include("jingzhun.assistance.urls")),
    path("assistance/", include("jingzhun.helping.urls")),  # 帮扶记录: same paths as before the split
    path("runs/", include("jingzhun.ledger.run_urls")),
    path("ledger/", include("jingzhun.ledger.urls")),
    path("monitoring/", include("jingzhun.monitoring.urls")),
    path("medical/", include("jingzhun.medical.urls")),
    path("insurance/", include("jingzhun.insurance.urls")),
    path("dashboard/", include("jingzhun.dashboard.urls")),
    path("projects/", include("jingzhun.projects.urls")),
    path("api/", api.urls),
    path("q/", include("jingzhun.public.urls")),  # public: the only pages a proxy needs to publish
    path("qr/", include("jingzhun.public.staff_urls")),  # staff: QR codes, revoke/reissue, labels
    path("audit/", include("jingzhun.registry.audit_urls")),  # 审计查询 (issue #15)
    path("staff/", include("jingzhun.registry.staff_urls")),  # 工作人员管理 (issue #15)
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: English only by explicit choice
]
