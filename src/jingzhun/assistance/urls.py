from django.urls import path

from jingzhun.assistance import attachment_views, filial_views, history_views, notice_views, transition_views, views

app_name = "assistance"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/changes/", history_views.application_changes, name="changes_log"),
    path("<int:pk>/attachments/", attachment_views.application_attachment, name="attachment_add"),
    path("emergency/", views.emergency_new, name="emergency"),
    path("enrollments/", views.enrollment_list, name="enrollments"),
    path("enrollments/<int:pk>/", views.enrollment_detail, name="enrollment"),
    path("due/", views.review_due, name="due"),
    path("notice/<str:code>/", notice_views.village_notices, name="village_notices"),
    path("notice/<str:code>/<str:start>/", notice_views.notice_sheet, name="notice_sheet"),
    path("households/<str:household_no>/transition/", transition_views.transition, name="transition"),
    path("households/<str:household_no>/support/", filial_views.support_new, name="support_new"),
    path("support/<int:pk>/void/", filial_views.support_void, name="support_void"),
]
