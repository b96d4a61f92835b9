"""Message text for the web UI.

Actions and the importer end a field's message with its English key in brackets — ``"身份证号应为 18 位
[id_number]"`` — so the CLI, the audit and the tests can tell which field a message is about. A page shows
the Chinese message only: :func:`without_key` drops that trailing tag for display and nothing else.
"""

from __future__ import annotations

import re

_KEY_TAG = re.compile(r"\s*\[[a-z][a-z0-9_]*\]\s*$")


def without_key(message: str) -> str:
    """``message`` without a trailing ``[field_key]`` tag (an English identifier); Chinese tags stay."""
    return _KEY_TAG.sub("", message)
