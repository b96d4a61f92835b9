"""The month-run page (月度发放): county officers preview a month, run it, and read the report."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import BackgroundJob

pytestmark = pytest.mark.django_db


def preview(client: Any, month: str = "2020-06", **extra: str) -> str:
    response = client.post("/runs/", {"month": month, "action": "preview", **extra}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def run(client: Any, month: str = "2020-06", **extra: str) -> str:
    response = client.post("/runs/", {"month": month, "action": "run", **extra}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def payment_lines() -> int:
    from jingzhun.ledger.models import PaymentLine

    return PaymentLine.objects.count()


@pytest.mark.parametrize("persona", ["tom", "victor", "carl"])
def test_only_county_officers_may_run_a_month(login: Any, personas: Any, persona: str) -> None:
    client = login(persona)
    assert client.get("/runs/").status_code == 403
    assert client.post("/runs/", {"month": "2020-06", "action": "run"}).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_the_page_offers_the_officers_own_county(login: Any, personas: Any) -> None:
    page = login("alice").get("/runs/").content.decode()
    assert "月度发放" in page and "离石区" in page and "交口县" not in page


def test_a_preview_shows_totals_per_program_and_writes_nothing(login: Any, world: Any) -> None:
    page = preview(login("alice"))
    assert "试算，未写入台账" in page
    assert "低保补差" in page and "404.42" in page  # 刘保平's household: the spouse's 低保 top-up
    assert "确认发放 2020-06" in page
    assert payment_lines() == 0


def test_confirming_runs_the_month_and_links_to_its_report(login: Any, world: Any) -> None:
    client = login("alice")
    page = run(client)
    assert "2020-06 首次发放：已写入" in page
    assert payment_lines() > 0
    job = BackgroundJob.objects.get(kind="month_run")
    report = client.get(f"/runs/{job.result['run_id']}/").content.decode()
    assert f"发放报告 #{job.result['run_id']}" in report and "低保补差" in report and "alice" in report


def test_running_the_same_month_again_adds_nothing(login: Any, world: Any) -> None:
    client = login("alice")
    run(client)
    lines = payment_lines()
    assert "本月已发放，无变化" in run(client)
    assert payment_lines() == lines


def test_the_household_page_then_shows_the_payment(login: Any, world: Any) -> None:
    client = login("alice")
    run(client)
    page = client.get(f"/households/{world['own'].pk}/").content.decode()
    assert "2020-06" in page and "404.42" in page


def test_a_bad_month_is_refused_in_chinese(login: Any, personas: Any) -> None:
    page = login("alice").post("/runs/", {"month": "2020-13", "action": "preview"}).content.decode()
    assert "YYYY-MM" in page and not BackgroundJob.objects.exists()


def test_an_officer_cannot_run_another_county(login: Any, world: Any) -> None:
    page = login("alice").post("/runs/", {"month": "2020-06", "action": "run", "county": "141130"}).content.decode()
    assert "请选择要发放的县" in page and not BackgroundJob.objects.exists()


def test_the_administrator_chooses_the_county(login: Any, world: Any) -> None:
    client = login("root")
    assert "交口县" in client.get("/runs/").content.decode()
    page = preview(client, county="141130")
    assert "交口县 · 2020-06 月度发放试算" in page


def test_another_countys_officer_cannot_read_the_report(login: Any, world: Any) -> None:
    run(login("alice"))
    run_id = BackgroundJob.objects.get(kind="month_run").result["run_id"]
    assert login("zoe").get(f"/runs/{run_id}/").status_code == 404


def test_someone_elses_job_is_not_found(login: Any, world: Any) -> None:
    preview(login("alice"))
    job = BackgroundJob.objects.get()
    assert login("root").get(f"/runs/jobs/{job.pk}/").status_code == 404


def test_the_run_report_downloads_as_a_spreadsheet(login: Any, world: Any) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client = login("alice")
    run(client)
    run_id = BackgroundJob.objects.get(kind="month_run").result["run_id"]
    assert "下载 2020-06 月通报（Excel）" in client.get(f"/runs/{run_id}/").content.decode()
    response = client.get(f"/runs/{run_id}/report.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value}
    assert "离石区" in cells
    assert login("zoe").get(f"/runs/{run_id}/report.xlsx").status_code == 404


def test_a_month_run_job_whose_worker_died_is_marked_failed_on_its_page(login: Any, personas: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from jingzhun.core.models import JobKind, JobStatus

    job = BackgroundJob.objects.create(
        kind=JobKind.MONTH_RUN, owner=personas["alice"], region_prefix="141102", params={"month": "2020-06"}
    )
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, progress_at=timezone.now() - dt.timedelta(minutes=45)
    )
    page = login("alice").get(f"/runs/jobs/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "没有进展" in page
