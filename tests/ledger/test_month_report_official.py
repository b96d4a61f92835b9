"""Issue #15: the 月通报 looks official — a summary paragraph at its head, a 落款 (单位, 制表人, 审核人, 日期)
at its foot, its published figures cited by title (no internal file path), and no input hash on the staff
pages of a run."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from jingzhun.ledger.runs import run_month
from tests.ledger.cli import jingzhun
from tests.ledger.pdfs import text

pytestmark = pytest.mark.django_db
HASH = re.compile(r"\b[0-9a-f]{40,64}\b")


@pytest.fixture
def two_months(county: dict[str, Any], system: Any) -> Any:
    from tests.ledger.factories import elderly_poor_village

    run_month("2020-05", region_prefix="141102", actor=system)
    elderly_poor_village(county["v21"], 1, prefix="N")  # one more household from June
    return run_month("2020-06", region_prefix="141102", actor=system)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cells(book: Any) -> list[str]:
    return [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def test_the_downloaded_report_has_a_summary_and_is_signed_by_its_maker(
    two_months: Any, personas: dict[str, Any], settings: Any
) -> None:
    settings.WORKING_MONTH = "2020-07"
    alice = personas["alice"]
    alice.staff.name = "王丽"
    alice.staff.save()
    response = _client(alice).get(f"/runs/{two_months.run_id}/report.xlsx", {"reviewer": "李主任"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    first = [row for row in book["分项目汇总"].iter_rows(values_only=True)]
    summary = first[1][0]
    assert summary.startswith("2020 年 6 月，离石区共向 5 户发放社会救助资金 2,576.50 元")
    assert "比上月增加 515.30 元（25.0%）" in summary and "户数比上月增加 1 户" in summary
    assert "低保补差 5 户 5 人 2,022.10 元" in summary
    signed = [v for row in first[-4:] for v in row if v]
    assert signed[0] == "单位（盖章）：离石区民政局" and signed[1:3] == ["制表人：王丽", "审核人：李主任"]
    assert re.fullmatch(r"日期：2020 年 7 月 \d+ 日", signed[3])
    cells = _cells(book)
    assert not any("../" in c or "seeds/" in c or ".txt" in c for c in cells)


def test_the_pdf_carries_the_same_summary_and_a_line_for_the_reviewer(two_months: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = jingzhun("report", "month", "2020-06", "--region", "141102", "--out", str(out), "--prepared-by", "王丽")
    assert result.exit_code == 0, result.stderr
    content = text(out)
    assert "离石区共向 5 户发放社会救助资金 2,576.50 元" in content.replace("\n", "")
    assert "离石区民政局" in content and "制表人：王丽" in content and "审核人：＿" in content
    assert "seeds" not in content and "../" not in content


def test_no_input_hash_on_the_run_pages(two_months: Any, personas: dict[str, Any], settings: Any) -> None:
    from jingzhun.core.models import BackgroundJob

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = _client(personas["alice"])
    client.post("/runs/", {"month": "2020-07", "county": "141102", "action": "preview"})
    job = BackgroundJob.objects.get(kind="month_preview")
    for url in ("/runs/", f"/runs/{two_months.run_id}/", f"/runs/jobs/{job.pk}/"):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200 and not HASH.search(page), url
    assert "与上月比较" in page  # the preview's page, with its comparison
    report = client.get(f"/runs/{two_months.run_id}/").content.decode()
    assert "离石区共向 5 户发放社会救助资金 2,576.50 元" in report
