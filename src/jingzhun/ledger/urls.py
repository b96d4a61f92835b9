from django.urls import path

from jingzhun.ledger import views

app_name = "ledger"

urlpatterns = [
    path("household/<str:household_no>/", views.household_statement, name="household"),
]
