"""A village cadre uploads a file with mistakes and reads, row by row, what to correct; nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jingzhun.registry.models import Household
from tests.registry.importfiles import bad_rows, clean_rows, write_csv, write_xlsx
from tests.staff import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded", "uploads_in_tmp"),
]


def test_a_bad_file_shows_its_row_errors_and_writes_nothing(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    """The real path: the database task backend, the queue worked through by the web process (beside the
    tests' in-memory database, in the request's own thread: core.jobs.work_queue); the job page shows it."""
    path = write_xlsx(tmp_path / "信义村户籍.xlsx", bad_rows())
    browser_login(page, live_server.url, "victor")
    page.get_by_role("link", name="导入").click()
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("text=导入失败：发现 2 处错误，未写入任何数据。", timeout=30_000)
    errors = page.locator("ul.row-errors").inner_text()
    assert "第2行 [城乡类别]" in errors and "第4行 [身份证号]" in errors
    assert not Household.objects.exists()
    screenshot("import-errors")


def test_a_clean_csv_is_imported(
    live_server: Any, page: Any, screenshot: Any, regions: Any, personas: Any, tmp_path: Path, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = write_csv(tmp_path / "信义村户籍.csv", clean_rows())
    browser_login(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/households/import/")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("text=导入成功：区域 0 个，户 2 户，人员 3 人。")
    page.get_by_role("link", name="去户籍查询").click()
    assert page.get_by_text("郭春生").is_visible() and page.get_by_text("马玉兰").is_visible()
    screenshot("import-done")
