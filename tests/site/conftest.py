"""Fixtures of the site tests: the staff web tests' logged-in client."""

from tests.staff import login  # noqa: F401  (fixture)
