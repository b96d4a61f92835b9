"""schemathesis against the API's own /api/openapi.json, signed in as a county officer, in the normal suite.

Generated requests (valid and invalid: every parameter's type, bounds and the month's pattern, strings with
NUL and other odd characters) go through the WSGI application; every response must be no 500, with a status,
content type, headers and body the schema declares. Bounded: a few dozen examples per operation (about
half a minute in all).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.staff import build_world

pytestmark = pytest.mark.django_db
EXAMPLES = 20  # per operation and mode: 3 operations × 2 modes × 20, some 30 s on a loaded 2-core machine


@pytest.fixture
def county(regions: dict[str, Any], personas: dict[str, Any]) -> Client:
    build_world(regions, personas)  # households in and out of alice's county, enrolled and not
    client = Client()
    client.force_login(personas["alice"])  # county officer of 离石区
    return client


@pytest.fixture
def signed_in(county: Client) -> dict[str, str]:
    name = django_settings.SESSION_COOKIE_NAME
    return {name: county.cookies[name].value}


@pytest.fixture
def api_schema(county: Client) -> Iterator[Any]:
    """The schema as a signed-in user gets it (it needs the login too), calls going to the WSGI app.

    The WSGI handler closes the database connection after each request (``close_old_connections``), and
    the test's transaction lives on it: it stays open while the cases run, as Django's own test client
    does it (which is why the switch comes after the client's last request: that client switches it back)."""
    document = county.get("/api/openapi.json").json()
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def _operations(loaded: Any) -> list[Any]:
    return [result.ok() for result in loaded.get_all_operations()]


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_the_api_keeps_its_schema(api_schema: Any, signed_in: dict[str, str], mode: GenerationMode) -> None:
    """Each operation, valid (``positive``) then invalid (``negative``) requests. (schemathesis's own pytest
    loader, ``from_fixture``, does not run under pytest 9: its cases are drawn here with Hypothesis.)"""
    operations = _operations(api_schema)
    assert {op.path for op in operations} >= {"/api/households", "/api/households/{household_id}/entitlements"}
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode, cookies=signed_in))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
        )
        def conforms(case: Any) -> None:
            case.call_and_validate(cookies=signed_in)

        conforms()
