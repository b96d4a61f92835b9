"""Issue #13 §3: the sentence a cadre reads aloud, on every line and in the table; warnings; flagged values."""

from __future__ import annotations

import json
from pathlib import Path

from tests.policy.test_cli import MEMBER, document, run, write


def household_of_two(tmp_path: Path) -> Path:
    doc = document(annual_income="3434.16")  # y = 3434.16 / 12 / 2 = 143.09
    doc["households"][0]["members"] = [
        {**MEMBER, "disability_grade": None, "disability_card_gen2": False, "needs_long_term_care": False},
        {**MEMBER, "id": "P2", "birth_date": "1980-03-01", "disability_grade": None, "disability_card_gen2": False},
    ]
    doc["households"][0]["registered_poor"] = False
    doc["cpi"] = {"2020-06": {"all": "2.5", "food": "11.1"}}
    return write(tmp_path, doc)


def test_every_line_ends_in_a_sentence_to_read_aloud(tmp_path: Path) -> None:
    out = json.loads(run(["entitle", str(household_of_two(tmp_path)), "--month", "2020-06"]).stdout)
    lines = {(line["program"], line["member"]): line["explain"] for line in out["households"][0]["lines"]}
    assert lines["dibao", None]["sentence"] == "低保补差 = (404.42 − 143.09) × 2 人 = 522.65 元"
    assert lines["price_subsidy", "P1"]["sentence"] == "价格临时补贴 = 404.42 × 11.1% = 44.89 元"
    assert lines["elderly_allowance", "P1"]["sentence"] == "高龄补贴 = 30.00 元（定额）"
    assert all(explain["sentence"].endswith(" 元") or "定额" in explain["sentence"] for explain in lines.values())
    assert lines["dibao", None]["rule"].startswith("低保家庭每月补足")


def test_the_table_shows_the_sentence(tmp_path: Path) -> None:
    table = run(["entitle", str(household_of_two(tmp_path)), "--month", "2020-06", "--format", "table"])
    assert table.exit_code == 0
    assert "(404.42 − 143.09) × 2 人 = 522.65 元" in table.stdout


def test_the_consistency_warning_is_printed_for_a_month_it_concerns(tmp_path: Path) -> None:
    path = str(write(tmp_path, document()))
    in_2018 = run(["entitle", path, "--month", "2018-06"])
    assert "一致性警告" in in_2018.stderr
    assert any("2018-01-01 至 2019-12-31" in w for w in json.loads(in_2018.stdout)["warnings"])
    in_2020 = run(["entitle", path, "--month", "2020-06"])
    assert "一致性警告" not in in_2020.stderr and "warnings" not in json.loads(in_2020.stdout)


def test_policy_check_lists_default_and_date_assumed_values() -> None:
    result = run(["policy", "check"])
    assert result.exit_code == 0
    assert "默认值或推定日期（请按本地文件核定）" in result.stdout
    assert "dibao.standard.urban  141100 吕梁市  2020-01-01 起：默认值、日期为推定" in result.stdout


def test_a_dibao_top_up_that_rounds_to_zero_still_says_the_household_receives_dibao(tmp_path: Path) -> None:
    """S = 4853/12 = 404.41666…; income 4852.95 a year → y = 404.4125, (S − y) × 1 = 0.0041… → 0.00."""
    member = {**MEMBER, "birth_date": "1935-01-01", "disability_grade": None, "disability_card_gen2": False}
    doc = document(annual_income="4852.95", members=[member], registered_poor=False)
    out = json.loads(run(["entitle", str(write(tmp_path, doc)), "--month", "2020-06"]).stdout)["households"][0]
    assert "dibao" not in {line["program"] for line in out["lines"]}
    assert "elderly_allowance" in {line["program"] for line in out["lines"]}  # it receives 低保
    assert out["notes"][0].startswith("享受低保（补差为 0.00 元）：低保补差 = (404.42 − 404.41) × 1 人")
