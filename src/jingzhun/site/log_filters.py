"""Logging filters for the server's console (``settings.LOGGING``).

A 403 is a role being refused a page — the system working, not failing. Django logs it on
``django.request`` at WARNING with the ``PermissionDenied`` attached, so every refusal printed a full
traceback on the demo's and the server's console (the six demo logins trying the menu: pages of them).
The line ``Forbidden (Permission denied): /staff/`` stays; the traceback goes. A 500 keeps its traceback.
"""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
