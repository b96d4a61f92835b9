from django.contrib import admin
from django.urls import path

admin.site.site_header = "精准扶贫与社会救助平台"
admin.site.site_title = "精准 jingzhun"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("admin/", admin.site.urls),
]
