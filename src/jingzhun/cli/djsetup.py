"""Start Django for CLI commands that need the database (pure commands never call this)."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhun.site.settings")
    import django

    django.setup()
