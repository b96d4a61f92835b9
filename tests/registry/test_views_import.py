"""The import page: upload, the importer as a background task, per-row errors, nothing written unless clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhun.core.models import BackgroundJob
from jingzhun.registry.models import Household, Person
from tests.registry.importfiles import bad_rows, clean_rows, person_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def upload(client: Any, path: Path, **extra: str) -> Any:
    with path.open("rb") as f:
        return client.post("/households/import/", {"file": f, **extra}, follow=True)


def test_the_import_page_explains_all_or_nothing_in_chinese(login: Any, personas: Any) -> None:
    page = login("victor").get("/households/import/").content.decode()
    assert "户籍导入" in page and "只要有一处错误，就不写入任何数据" in page


def test_auditors_may_not_import(login: Any, personas: Any) -> None:
    assert login("audrey").get("/households/import/").status_code == 403


def test_assigned_cadres_do_not_import(login: Any, personas: Any) -> None:
    response = login("carl").get("/households/import/")
    assert response.status_code == 403 and "帮扶干部请在户页面修改" in response.content.decode()
    assert 'href="/households/import/"' not in login("carl").get("/households/").content.decode()


def test_a_clean_file_is_imported(login: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    response = upload(login("victor"), write_csv(tmp_path / "信义村.csv", clean_rows()))
    page = response.content.decode()
    assert "导入成功：区域 0 个，户 2 户，人员 3 人。" in page
    assert Household.objects.filter(village__code="141102001001").count() == 2
    assert Person.objects.filter(name="田桂花").exists()


def test_an_xlsx_file_is_imported_too(login: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    page = upload(login("tom"), write_xlsx(tmp_path / "信义镇.xlsx", clean_rows())).content.decode()
    assert "导入成功" in page and Household.objects.count() == 2


def test_a_bad_file_lists_every_bad_row_and_writes_nothing(
    login: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    page = upload(login("victor"), write_csv(tmp_path / "有错.csv", bad_rows())).content.decode()
    assert "导入失败：发现 2 处错误，未写入任何数据。" in page
    assert "第2行 [城乡类别]" in page
    assert "第4行 [身份证号]" in page and "校验码" in page
    assert not Household.objects.exists() and not Person.objects.exists()


def test_a_village_outside_the_cadres_scope_is_a_row_error(
    login: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    rows = [person_row("1411020010020101", "外村人", village="141102001002")]
    page = upload(login("victor"), write_csv(tmp_path / "外村.csv", rows)).content.decode()
    assert "第2行 [村代码]" in page
    assert not Household.objects.exists()


def test_a_dry_run_checks_and_writes_nothing(login: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    page = upload(login("victor"), write_csv(tmp_path / "试.csv", clean_rows()), dry_run="1").content.decode()
    assert "检查通过（试运行，未写入）" in page
    assert not Household.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(login: Any, personas: Any) -> None:
    client = login("victor")
    response = client.post("/households/import/", {"file": SimpleUploadedFile("名单.txt", b"abc")})
    assert "文件类型不支持" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_the_uploaded_file_is_removed_once_imported(login: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    upload(login("victor"), write_csv(tmp_path / "信义村.csv", clean_rows()))
    assert not list((tmp_path / "uploads").iterdir())


def test_the_progress_json_says_when_the_job_is_done(login: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    client = login("victor")
    upload(client, write_csv(tmp_path / "信义村.csv", clean_rows()))
    job = BackgroundJob.objects.get()
    status = client.get(f"/households/import/{job.pk}/status/").json()
    assert status["finished"] and status["percent"] == 100 and status["status"] == "done"


def test_someone_elses_import_is_not_found(login: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    upload(login("victor"), write_csv(tmp_path / "信义村.csv", clean_rows()))
    job = BackgroundJob.objects.get()
    client = login("tom")
    assert client.get(f"/households/import/{job.pk}/").status_code == 404
    assert client.get(f"/households/import/{job.pk}/status/").status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_backend_the_job_waits_for_a_worker(
    login: Any, regions: Any, personas: Any, tmp_path: Path, settings: Any
) -> None:
    from jingzhun.core.jobs import run_queued_tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JINGZHUN_INLINE_TASK_WORKER = False
    client = login("victor")
    page = upload(client, write_csv(tmp_path / "信义村.csv", clean_rows())).content.decode()
    assert "排队中" in page and 'data-status-url="/households/import/' in page
    assert not Household.objects.exists()
    run_queued_tasks()
    assert Household.objects.count() == 2
    assert "导入成功" in client.get(f"/households/import/{BackgroundJob.objects.get().pk}/").content.decode()


def test_the_upload_page_still_opens_after_finished_and_failed_jobs(
    login: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    """The 我最近的导入 table lists a clean job, a job with row errors and a failed job, each with its outcome."""
    from jingzhun.core.models import JobKind, JobStatus

    client = login("victor")
    upload(client, write_csv(tmp_path / "有错.csv", bad_rows()))
    upload(client, write_csv(tmp_path / "好.csv", clean_rows()))
    BackgroundJob.objects.create(
        kind=JobKind.IMPORT,
        owner=personas["victor"],
        region_prefix="141102001001",
        params={"path": str(tmp_path / "gone.csv"), "name": "中断.csv", "dry_run": False},
        status=JobStatus.FAILED,
        result={"error": "后台任务已中断，已标记为失败。"},
    )
    response = client.get("/households/import/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "我最近的导入" in page
    assert "导入成功：区域 0 个，户 2 户，人员 3 人。" in page
    assert "导入失败：发现 2 处错误，未写入任何数据。" in page
    assert "后台任务已中断，已标记为失败。" in page


@pytest.mark.browser
def test_the_upload_form_fits_a_360_px_phone(login: Any, personas: Any, browser: Any) -> None:
    """Rendered by the test client and shown with the site's CSS in chromium: nothing sticks out sideways."""
    import re

    css = Path(__file__).resolve().parents[2] / "src/jingzhun/core/static/jingzhun/app.css"
    html = login("victor").get("/households/import/").content.decode()
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.set_content(re.sub(r'<link rel="stylesheet"[^>]*>', "", html))
        page.add_style_tag(path=str(css))
        box = page.locator("#file").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 360
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
