"""The site's URLs plus the ledger's, for the staff-page tests (the include belongs in site/urls.py)."""

from django.urls import include, path

from jingzhun.site.urls import urlpatterns as site

urlpatterns = [*site, path("ledger/", include("jingzhun.ledger.urls"))]
