"""帮扶记录 tests use the assistance fixtures (actors, households in each kind of place)."""

from tests.assistance.conftest import actor, county, household, poor, walk, well_off  # noqa: F401
