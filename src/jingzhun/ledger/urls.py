from django.urls import path

from jingzhun.ledger import lines_views, views

app_name = "ledger"

urlpatterns = [
    path("household/<str:household_no>/", views.household_statement, name="household"),
    path("lines/", lines_views.lines, name="lines"),
]
