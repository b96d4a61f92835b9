from django.urls import path

from jingzhun.registry import (
    attachment_views,
    audit_views,
    change_views,
    custody_views,
    request_views,
    update_views,
    views,
)

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("changes/", request_views.change_list, name="changes"),
    path("changes/<int:change_pk>/decide/", request_views.change_decide, name="change_decide"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/attachments/", attachment_views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", attachment_views.attachment_file, name="attachment_file"),
    path("attachments/<int:pk>/void/", attachment_views.attachment_void, name="attachment_void"),
    path("<int:pk>/changes/", audit_views.household_changes, name="changes_log"),
    path("<int:pk>/status/", change_views.status_change, name="status"),
    path("<int:pk>/persons/new/", change_views.person_add, name="person_add"),
    path("<int:pk>/persons/<int:person_pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/persons/<int:person_pk>/death/", change_views.person_leave, {"kind": "death"}, name="death"),
    path(
        "<int:pk>/persons/<int:person_pk>/move-out/", change_views.person_leave, {"kind": "move_out"}, name="move_out"
    ),
    path("<int:pk>/merge/", change_views.merge, name="merge"),
    path("<int:pk>/cadre/", change_views.cadre_change, name="cadre"),
    path("<int:pk>/head/", change_views.head_change, name="head"),
    path("<int:pk>/income/<int:year>/", views.income_edit, name="income_edit"),
    path("<int:pk>/custody/", custody_views.custody_add, name="custody_add"),
    path("<int:pk>/custody/<int:term_pk>/", custody_views.custody_edit, name="custody_edit"),
    path("import/", views.import_upload, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/update/", update_views.update_import, name="update_import"),
    path("import/<int:job_id>/", views.import_job, name="import_job"),
    path("import/<int:job_id>/status/", views.import_status, name="import_status"),
]
