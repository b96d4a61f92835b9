"""Error pages that Django would otherwise show in English or address to developers.

* ``csrf_failure`` (``settings.CSRF_FAILURE_VIEW``): a form whose security token is missing or stale
  (a page left open across a logout or a server restart, cookies blocked). Django's own page ends with
  "更多可用信息请设置选项DEBUG＝True"; this one tells the user what to do, and that nothing was saved.
* The 500 and 400 pages are the templates ``500.html`` and ``400.html`` of this app (Django's default
  handlers render them); they are self-contained and read nothing from the database, because the
  database may be what failed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 in Chinese; ``reason`` (Django's English diagnosis) goes to the log only, via Django's logger."""
    return HttpResponse(render_to_string("jingzhun/csrf_failure.html", request=request), status=403)
