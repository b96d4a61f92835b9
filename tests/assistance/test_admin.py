"""The back office shows applications with their steps and enrollments with their decisions, read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from jingzhun.assistance import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["root"])
    return client


def test_application_page_shows_its_steps_read_only(
    root_client: Client, personas: dict[str, Any], household: Any, actor: Any
) -> None:
    app = actions.pay_emergency_first(
        actor(personas["tom"]),
        household("v11"),
        amount_due_fen=100_000,
        event_date=dt.date(2020, 5, 1),
        statement="水灾",
    )
    page = root_client.get(f"/admin/assistance/application/{app.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "先行救助" in text and "办理记录" in text
    assert 'name="_save"' not in text


def test_lists_open_and_adding_is_not_offered(root_client: Client) -> None:
    for model in ("application", "enrollment"):
        assert root_client.get(f"/admin/assistance/{model}/").status_code == 200
        assert root_client.get(f"/admin/assistance/{model}/add/").status_code == 403
