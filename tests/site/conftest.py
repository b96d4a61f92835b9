"""Fixtures of the site tests: the staff web tests' logged-in client."""

from tests.web.conftest import login  # noqa: F401  (fixture)
