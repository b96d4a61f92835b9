"""Staff pages of 一码清 (login required): a household's or region's QR code, revoke, reissue, label PDFs.

Mounted at ``/qr/``, away from the public ``/q/<token>/``: a reverse proxy can then publish ``/q/`` and
``/static/`` alone and keep every staff page on the county's own network.
"""

from django.urls import path, re_path

from jingzhun.public import staff_views

app_name = "qrstaff"

REGION = r"^regions/(?P<code>\d{12})/"
urlpatterns = [
    path("", staff_views.index, name="staff_index"),
    re_path(r"^contact/(?P<code>\d{6})/$", staff_views.set_contact, name="staff_set_contact"),
    path("households/<int:pk>/label.pdf", staff_views.household_label, name="staff_household_label"),
    path("households/<int:pk>/<slug:op>/", staff_views.household_op, name="staff_household_op"),
    re_path(REGION + r"$", staff_views.region_page, name="staff_region"),
    re_path(REGION + r"labels\.pdf$", staff_views.village_labels, name="staff_village_labels"),
    re_path(REGION + r"(?P<op>[a-z]+)/$", staff_views.region_op, name="staff_region_op"),
]
