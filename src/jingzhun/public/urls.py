from django.urls import path, re_path

from jingzhun.public import staff_views, views

app_name = "public"

# Staff pages (login required) come before the public page: only "staff/" itself could look like a
# token, and a token is 32 random characters.
REGION = r"^staff/regions/(?P<code>\d{12})/"
urlpatterns = [
    path("staff/", staff_views.index, name="staff_index"),
    path("staff/households/<int:pk>/label.pdf", staff_views.household_label, name="staff_household_label"),
    path("staff/households/<int:pk>/<slug:op>/", staff_views.household_op, name="staff_household_op"),
    re_path(REGION + r"$", staff_views.region_page, name="staff_region"),
    re_path(REGION + r"labels\.pdf$", staff_views.village_labels, name="staff_village_labels"),
    re_path(REGION + r"(?P<op>[a-z]+)/$", staff_views.region_op, name="staff_region_op"),
    path("<str:token>/", views.public_page, name="page"),
]
