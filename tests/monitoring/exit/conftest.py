"""The staff-page fixtures of tests/web (personas, a world of households, a logged-in client)."""

from tests.web.conftest import _tasks_run_in_the_request, _uploads_in_tmp, login, world  # noqa: F401
