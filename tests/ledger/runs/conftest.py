"""Month-run and entitlement tests use the staff fixtures (tests/staff.py: personas, a household in each kind
of place, logins); every test here runs background jobs inside the request, as the staff pages' tests do."""

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _staff(staff_settings: Any) -> None:
    """tests/staff.py's settings for every test here, whether or not it asks for ``world`` or ``login``."""
