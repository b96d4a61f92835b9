"""Starting a background job is a write like any other: one audit row, in the same transaction as the job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent, BackgroundJob
from tests.ledger.test_run_views import preview
from tests.registry.importfiles import clean_rows, write_csv
from tests.registry.test_views_import import upload

pytestmark = pytest.mark.django_db


def test_a_month_preview_leaves_an_audit_row_naming_the_job(login: Any, world: Any) -> None:
    preview(login("alice"))
    job = BackgroundJob.objects.get()
    event = AuditEvent.objects.get(action="core.create_job")
    assert (event.actor_label, event.object_id) == ("alice", str(job.pk))
    assert event.after == {"kind": "month_preview", "params": {"month": "2020-06"}}


def test_an_import_leaves_an_audit_row_without_the_servers_file_path(
    login: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    upload(login("victor"), write_csv(tmp_path / "信义村.csv", clean_rows()))
    event = AuditEvent.objects.get(action="core.create_job")
    assert event.after["kind"] == "import" and event.after["params"]["name"] == "信义村.csv"
    assert "path" not in event.after["params"]
