"""Core tests that need households use the assistance fixtures (built through the registry's action)."""

from tests.assistance.conftest import actor, household  # noqa: F401
