"""The staff-page fixtures (tests/staff.py: personas, a world of households, a logged-in client) for every
test here, with background jobs in the request and uploads in the test's own directory."""

import pytest


@pytest.fixture(autouse=True)
def _staff(staff_settings: None) -> None:
    """Every test of the exit part runs with the staff pages' settings."""
