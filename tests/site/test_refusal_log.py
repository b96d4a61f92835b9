"""A role refused a page (403) leaves one line on the server's console, not a traceback (settings.LOGGING)."""

from __future__ import annotations

import logging
from typing import Any

import pytest


@pytest.mark.django_db
def test_a_refused_page_is_logged_as_one_line_without_traceback(personas: Any, login: Any, caplog: Any) -> None:
    client = login("victor")  # a village cadre: 工作人员 is the administrator's
    with caplog.at_level(logging.WARNING):
        assert client.get("/staff/").status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    printed = logging.Formatter().format(record)
    assert printed == "Forbidden (Permission denied): /staff/"
    assert "Traceback" not in caplog.text
