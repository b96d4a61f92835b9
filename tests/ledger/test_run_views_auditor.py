"""Auditors read month runs, their reports and 月通报 files within their region; they cannot preview or run."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import BackgroundJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_id(login: Any, world: Any) -> int:
    """A finished 2020-06 run of 离石区 by alice."""
    login("alice").post("/runs/", {"month": "2020-06", "action": "run"})
    job = BackgroundJob.objects.get(kind="month_run")
    assert job.result["run_id"]
    return int(job.result["run_id"])


def auditor(username: str, region: str) -> None:
    from django.contrib.auth.models import User

    from jingzhun.core.models import Role, StaffProfile
    from jingzhun.registry.models import Region

    user = User.objects.create_user(username, password="pw-12345678")
    StaffProfile.objects.create(user=user, role=Role.AUDITOR, region=Region.objects.get(code=region))


def test_an_auditor_reads_the_list_the_report_and_the_files(login: Any, run_id: int) -> None:
    client = login("audrey")  # auditor of 吕梁市
    page = client.get("/runs/").content.decode()
    assert f'href="/runs/{run_id}/"' in page and "2020-06" in page
    assert 'name="action"' not in page and 'name="month"' not in page  # no preview/run form
    assert "只读查看" in page
    report = client.get(f"/runs/{run_id}/")
    assert report.status_code == 200 and f"发放报告 #{run_id}" in report.content.decode()
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(f"/runs/{run_id}/report.{fmt}")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(magic)


def test_the_nav_offers_the_runs_to_an_auditor(login: Any, personas: Any) -> None:
    assert 'href="/runs/"' in login("audrey").get("/").content.decode()
    assert 'href="/runs/"' not in login("tom").get("/").content.decode()


def test_an_auditor_cannot_preview_or_run(login: Any, world: Any) -> None:
    client = login("audrey")
    for action in ("preview", "run"):
        assert client.post("/runs/", {"month": "2020-06", "action": action, "county": "141102"}).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_an_auditor_of_another_county_gets_404(login: Any, run_id: int) -> None:
    auditor("aud9", "141130")  # 交口县
    client = login("aud9")
    assert f'href="/runs/{run_id}/"' not in client.get("/runs/").content.decode()
    assert client.get(f"/runs/{run_id}/").status_code == 404
    assert client.get(f"/runs/{run_id}/report.xlsx").status_code == 404


def test_a_township_auditor_does_not_see_the_whole_county_run(login: Any, run_id: int) -> None:
    auditor("aud1", "141102001000")  # 信义镇: a county run covers other townships too
    client = login("aud1")
    assert client.get(f"/runs/{run_id}/").status_code == 404
    assert client.get(f"/runs/{run_id}/report.pdf").status_code == 404


def test_an_auditor_cannot_open_another_users_jobs(login: Any, run_id: int) -> None:
    job = BackgroundJob.objects.get(kind="month_run")
    client = login("audrey")
    assert client.get(f"/runs/jobs/{job.pk}/").status_code == 403
    assert client.get(f"/runs/jobs/{job.pk}/status/").status_code == 403
