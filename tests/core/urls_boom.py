"""The site's URLs plus one view that fails, for the 500 page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from jingzhun.site.urls import urlpatterns as site_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the database went away")


urlpatterns = [*site_urlpatterns, path("boom/", boom)]
