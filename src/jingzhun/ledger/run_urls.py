from django.urls import path

from jingzhun.ledger import run_views as views

app_name = "runs"
urlpatterns = [
    path("", views.month_run, name="month_run"),
    path("cpi/", views.cpi, name="cpi"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/status/", views.job_status, name="job_status"),
    path("jobs/<int:job_id>/errors.csv", views.job_errors, name="job_errors"),
    path("<int:run_id>/", views.run_report, name="run_report"),
    path("<int:run_id>/report.<str:fmt>", views.run_report_file, name="run_report_file"),
    path("<int:run_id>/bank/generate/", views.bank_generate, name="bank_generate"),
    path("<int:run_id>/bank/<int:batch_id>/download/", views.bank_download, name="bank_download"),
    path("<int:run_id>/bank/<int:batch_id>/confirm/", views.bank_confirm, name="bank_confirm"),
    path("<int:run_id>/bank/results/", views.bank_results, name="bank_results"),
]
