"""Stale import jobs: a job whose worker died stays "running"; the import pages mark it failed after
``JINGZHUN_STALE_JOB_MINUTES`` (default 30) without progress, with a Chinese message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jingzhun.core import jobs
from jingzhun.core.models import BackgroundJob, JobKind, JobStatus

pytestmark = pytest.mark.django_db


def running_job(owner: Any, *, minutes_since_progress: float | None, created_minutes_ago: float = 120) -> BackgroundJob:
    now = timezone.now()
    job = BackgroundJob.objects.create(
        kind=JobKind.IMPORT, owner=owner, params={"path": "/nonexistent.xlsx", "name": "户籍.xlsx"}
    )
    progress = None if minutes_since_progress is None else now - dt.timedelta(minutes=minutes_since_progress)
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        stage="逐行检查",
        done=10,
        total=100,
        progress_at=progress,
        created_at=now - dt.timedelta(minutes=created_minutes_ago),
    )
    return job


def test_viewing_a_job_without_progress_for_too_long_marks_it_failed(login: Any, personas: Any) -> None:
    job = running_job(personas["victor"], minutes_since_progress=31)
    page = login("victor").get(f"/households/import/{job.pk}/").content.decode()
    assert "后台任务已超过 30 分钟没有进展" in page and "请重新提交" in page
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None and job.stage == "失败"


def test_a_job_that_moved_recently_is_left_running(login: Any, personas: Any) -> None:
    job = running_job(personas["victor"], minutes_since_progress=29)
    login("victor").get(f"/households/import/{job.pk}/")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.result is None


def test_a_job_that_never_reported_progress_counts_from_its_creation(login: Any, personas: Any) -> None:
    old = running_job(personas["victor"], minutes_since_progress=None, created_minutes_ago=45)
    young = running_job(personas["victor"], minutes_since_progress=None, created_minutes_ago=5)
    login("victor").get("/households/import/")
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.status, young.status) == (JobStatus.FAILED, JobStatus.RUNNING)


def test_the_list_shows_the_failure_of_a_stale_job(login: Any, personas: Any) -> None:
    running_job(personas["victor"], minutes_since_progress=60)
    page = login("victor").get("/households/import/").content.decode()
    assert "失败" in page and "后台任务已超过 30 分钟没有进展" in page


def test_the_polling_json_reports_the_stale_job_finished(login: Any, personas: Any) -> None:
    job = running_job(personas["victor"], minutes_since_progress=60)
    body = login("victor").get(f"/households/import/{job.pk}/status/").json()
    assert body["finished"] is True and body["status"] == "failed" and body["status_label"] == "失败"


def test_the_threshold_is_a_setting(login: Any, personas: Any, settings: Any) -> None:
    settings.JINGZHUN_STALE_JOB_MINUTES = 5
    job = running_job(personas["victor"], minutes_since_progress=6)
    page = login("victor").get(f"/households/import/{job.pk}/").content.decode()
    assert "后台任务已超过 5 分钟没有进展" in page


def test_finished_and_queued_jobs_are_not_touched(personas: Any) -> None:
    job = running_job(personas["victor"], minutes_since_progress=90)
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    done = running_job(personas["victor"], minutes_since_progress=90)
    BackgroundJob.objects.filter(pk=done.pk).update(status=JobStatus.DONE, result={"summary": "导入成功"})
    assert jobs.sweep_stale(BackgroundJob.objects.all()) == 0
    done.refresh_from_db()
    assert done.result == {"summary": "导入成功"}


def test_someone_elses_stale_job_is_neither_shown_nor_swept_by_my_pages(login: Any, personas: Any) -> None:
    job = running_job(personas["tom"], minutes_since_progress=90)
    assert login("victor").get(f"/households/import/{job.pk}/").status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # the reporter writes nothing inside a transaction (by design)
def test_progress_reports_keep_a_live_job_fresh(personas: Any) -> None:
    job = running_job(personas["victor"], minutes_since_progress=90)
    jobs.reporter(job.pk)("写入数据库", 50, 100)
    assert jobs.sweep_stale(BackgroundJob.objects.filter(pk=job.pk)) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.done == 50
    assert timezone.now() - job.progress_at < dt.timedelta(minutes=1)
