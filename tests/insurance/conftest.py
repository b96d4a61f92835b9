"""一保通 tests: the assistance fixtures (households in each place, actors)."""

from tests.assistance.conftest import actor, household  # noqa: F401
