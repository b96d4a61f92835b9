"""月通报: the XLSX opens with Chinese headers and the ledger's figures; the PDF embeds its CJK font."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jingzhun.ledger.report import SEED_FIGURES, build_report
from jingzhun.ledger.runs import run_month
from tests.ledger.cli import jingzhun
from tests.ledger.pdfs import embedded_fonts, text

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)


@pytest.fixture
def two_months(county: dict[str, Any], system: Any) -> dict[str, Any]:
    from tests.ledger.factories import elderly_poor_village

    run_month("2020-05", actor=system)
    elderly_poor_village(county["v21"], 1, prefix="N")  # one more household from June
    run_month("2020-06", actor=system)
    return county


def test_report_counts_recipients_and_changes_from_last_month(two_months: dict[str, Any]) -> None:
    report = build_report(JUNE)
    (county_total,) = report.at("county", totals=True)
    assert (county_total.name, county_total.households, county_total.last_households) == ("离石区", 5, 4)
    assert county_total.amount_fen - county_total.last_amount_fen == 51530
    dibao = next(r for r in report.at("county", totals=False) if r.program == "dibao")
    assert (dibao.households, dibao.persons, dibao.amount_fen) == (5, 5, 5 * 40442)
    townships = {r.name: r.households for r in report.at("township", totals=True)}
    assert townships == {"信义镇": 3, "吴城镇": 2}
    villages = {r.name: (r.households, r.last_households) for r in report.at("village", totals=True)}
    assert villages["吴城村"] == (2, 1)


def test_report_sets_the_published_2018_figures_beside_ours(two_months: dict[str, Any]) -> None:
    report = build_report(JUNE)
    dibao = next(s for s in report.seed if s.figure.label == "农村低保")
    assert (dibao.figure.households, dibao.figure.persons, dibao.figure.amount_yuan) == (5379, 6808, 19_038_300)
    assert (dibao.households, dibao.persons, dibao.month_fen) == (5, 5, 5 * (40442 + 8088))
    assert dibao.year_fen == 4 * (40442 + 8088) + 5 * (40442 + 8088)
    assert [s.figure.label for s in report.seed] == [f.label for f in SEED_FIGURES]


def test_xlsx_report_opens_with_chinese_sheets_and_headers(two_months: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = jingzhun("report", "month", "2020-06", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["分项目汇总", "乡镇合计", "乡镇分项目", "村合计", "村分项目", "对照离石区2018公布数"]
    summary = list(book["分项目汇总"].iter_rows(values_only=True))
    assert "社会救助发放月通报" in summary[0][0]
    assert summary[1][0].startswith("2020 年 6 月，吕梁市（全部）共向 5 户发放社会救助资金 2,576.50 元")
    assert summary[2][:6] == ("区域代码", "区域", "项目", "户数", "人数", "金额（元）")
    dibao = next(row for row in summary[3:] if row[2] == "低保补差")
    assert dibao[3:6] == (5, 5, pytest.approx(2022.10))
    total = next(row for row in summary[3:] if row[2] == "合计")
    assert total[3] == 5 and total[5] == pytest.approx(5 * 515.30)
    seed = list(book["对照离石区2018公布数"].iter_rows(values_only=True))
    assert seed[2][:4] == ("农村低保", 5379, 6808, 19038300)
    assert any(row[0] and "《吕梁日报》离石区兜底保障报道" in str(row[0]) for row in seed)


def test_pdf_report_embeds_the_cjk_font_and_cites_the_seed(two_months: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert jingzhun("report", "month", "2020-06", "--out", str(out)).exit_code == 0
    assert any("WenQuanYi" in name for name in embedded_fonts(out))
    content = text(out)
    assert "月通报" in content and "信义镇" in content and "5379" in content


def test_report_refuses_other_file_types(tmp_path: Path) -> None:
    result = jingzhun("report", "month", "2020-06", "--out", str(tmp_path / "r.docx"))
    assert result.exit_code == 2
