"""Month-run and entitlement tests use the staff web fixtures (personas, a household in each kind of place, logins)."""

from tests.web.conftest import _tasks_run_in_the_request, login, world  # noqa: F401
