"""`jingzhun exit check` and `jingzhun monitor assess`: DESIGN.md's JSON shapes, the Chinese table with its
sentences and parameters, stdin, and exit 2 with every error on stderr and nothing on stdout."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jingzhun.cli import app

runner = CliRunner()

EXIT_DOC = """
households:
  - id: E1
    region: "141102"
    annual_income: "9000"
    housing_grade: B
    relocated_keys: false
    water: {litres_per_day: "40", fetch_minutes: 10, days_without_water: 0, quality_ok: true, dry_area: false}
    members:
      - {id: E1a, birth_date: 1980-01-01, in_school: false, school_exempt_health: false, medical_insured: true}
      - {id: E1b, birth_date: 1982-03-03, in_school: false, school_exempt_health: false, medical_insured: true}
      - {id: E1c, birth_date: 2010-05-01, in_school: true, school_exempt_health: false, medical_insured: true}
"""

MONITOR_DOC = {
    "households": [
        {
            "id": "K1",
            "category": "exited",
            "size": 4,
            "income_12m": 20000,
            "income_prev_year": "30000",
            "rigid_costs_12m": "3000",
            "hospital_oop_12m": "0",
            "labour_capacity": True,
            "checks": {"schooling": True, "medical": True, "housing": True, "water": True},
            "events": [{"kind": "disaster", "date": "2019-06-01"}],
        }
    ]
}


def test_exit_check_prints_the_contract_json(tmp_path: Path) -> None:
    path = tmp_path / "exit.yaml"
    path.write_text(EXIT_DOC, encoding="utf-8")
    result = runner.invoke(app, ["exit", "check", str(path), "--year", "2019"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "year": 2019,
        "households": [{"id": "E1", "exit_ok": False, "failed": ["income"]}],
    }


def test_exit_check_table_explains_each_criterion_in_chinese() -> None:
    result = runner.invoke(app, ["exit", "check", "-", "--year", "2019", "--format", "table"], input=EXIT_DOC)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "户 E1：不可退出（未达标：收入）" in out
    assert "✗ 收入：9000 元 ÷ 3 人 = 3000 元/人，未超过退出收入线 3218 元（2019-01-01 起）" in out
    assert "✓ 义务教育：6–15 周岁（按 2019-09-01 计）成员 E1c 均在校或因病免学" in out
    assert "exit_income_line = 3218（2019-01-01 起，000000 全国）（默认值，请按本地文件核定）" in out


def test_exit_check_bad_input_exits_2_with_every_error_and_no_stdout() -> None:
    bad = EXIT_DOC.replace("1982-03-03", "1982-02-30").replace('"9000"', "9000.5")
    result = runner.invoke(app, ["exit", "check", "-", "--year", "2019"], input=bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        '户 E1，家庭年纯收入 [annual_income]：金额应写成字符串（元），如 "1200"，得到 9000.5',
        "户 E1，成员 E1b，出生日期 [birth_date]：不是有效日期 YYYY-MM-DD: '1982-02-30'",
    ]


def test_exit_check_rejects_a_bad_year_and_format_together() -> None:
    result = runner.invoke(app, ["exit", "check", "-", "--year", "19", "--format", "csv"], input=EXIT_DOC)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "评估年度 [--year] 须为四位年份 YYYY" in result.stderr
    assert "输出格式 [--format] 须为 json | table" in result.stderr


def test_monitor_assess_prints_the_contract_json_from_json_on_stdin() -> None:
    result = runner.invoke(app, ["monitor", "assess", "-", "--month", "2020-06"], input=json.dumps(MONITOR_DOC))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "month": "2020-06",
        "households": [{"id": "K1", "flags": ["income_low", "income_drop", "disaster"], "level": "orange"}],
    }


def test_monitor_assess_table_gives_the_arithmetic_of_each_flag() -> None:
    doc = json.dumps(MONITOR_DOC)
    result = runner.invoke(app, ["monitor", "assess", "-", "--month", "2020-06", "--format", "table"], input=doc)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "户 K1：橙色预警（收入低于监测线、收入骤减、自然灾害）" in out
    assert "收入低于监测线：20000 元 ÷ 4 人 = 5000 元/人 < 6000 元" in out
    assert "收入骤减：20000 元 < 0.7 × 30000 = 21000 元" in out
    assert "monitoring_line = 6000（2020-01-01 起，000000 全国）（默认值，请按本地文件核定）" in out


def test_monitor_assess_before_2020_is_an_input_error() -> None:
    result = runner.invoke(app, ["monitor", "assess", "-", "--month", "2019-12"], input=json.dumps(MONITOR_DOC))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "评估月份 2019-12 [--month]：无参数: monitoring_line, 000000, 2019-12-01"


def test_monitor_assess_rejects_a_bad_month_and_unreadable_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["monitor", "assess", "-", "--month", "2020-13"], input="{}")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "评估月份 [--month] 须为 YYYY-MM，得到 '2020-13'" in result.stderr
    result = runner.invoke(app, ["monitor", "assess", str(tmp_path / "none.yaml"), "--month", "2020-06"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "无法读取输入文件 [DOC]" in result.stderr
    result = runner.invoke(app, ["monitor", "assess", "-", "--month", "2020-06"], input="{not json")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "输入不是有效的 JSON [DOC]" in result.stderr


def test_monitor_assess_table_says_why_a_household_is_not_assessed() -> None:
    k1 = MONITOR_DOC["households"][0]
    doc = {"households": [k1 | {"id": "K3", "category": "other"}, k1 | {"id": "K4", "category": "registered"}]}
    result = runner.invoke(
        app, ["monitor", "assess", "-", "--month", "2020-06", "--format", "table"], input=json.dumps(doc)
    )
    assert result.exit_code == 0, result.stderr
    assert "户 K3：无预警\n  一般农户：突发严重困难户本月尚未纳入监测（2020-01-01 起的规定）" in result.stdout
    assert "户 K4：无预警\n  建档立卡未脱贫户：不属于监测对象" in result.stdout
