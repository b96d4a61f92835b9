"""`jingzhun entitle` and `jingzhun policy …` as a user runs them: exit codes, stdout/stderr, JSON shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.policy.frames import document_to_frames

REPO = Path(__file__).resolve().parents[2]
SHARED_CASES = REPO.parent / "shared" / "cases" / "entitlements.yaml"

MEMBER = {
    "id": "P1",
    "birth_date": "1938-01-10",
    "disability_grade": 2,
    "disability_card_gen2": True,
    "needs_long_term_care": True,
    "disabled_elder_certified": False,
    "self_care": "full",
    "labour": "partial",
    "student": "none",
    "serious_illness": False,
    "late_stage_major_disease": False,
    "income_source": True,
    "capable_supporter": True,
    "care_setting": "home",
}


def document(**changes: Any) -> dict[str, Any]:
    household = {
        "id": "H1",
        "region": "141130",
        "area": "rural",
        "registered_poor": True,
        "annual_income": "1200",
        "disqualified": [],
        "members": [dict(MEMBER)],
    }
    household.update(changes)
    return {"households": [household]}


def run(args: list[str], stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, args, input=stdin, env={"COLUMNS": "200"})


def write(tmp_path: Path, data: Any, name: str = "doc.json") -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps(data, ensure_ascii=False) if name.endswith(".json") else yaml.safe_dump(data, allow_unicode=True)
    )
    return path


def test_entitle_prints_the_design_json_shape(tmp_path: Path) -> None:
    result = run(["entitle", str(write(tmp_path, document())), "--month", "2020-06"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["month"] == "2020-06"
    (household,) = out["households"]
    assert set(household) == {"id", "total", "lines"}
    assert household["total"] == "555.75"
    programs = {(line["program"], line["member"]): line["amount"] for line in household["lines"]}
    assert programs == {
        ("dibao", None): "304.42",
        ("dibao_classified", "P1"): "121.33",
        ("elderly_allowance", "P1"): "30.00",
        ("disability_living", "P1"): "50.00",
        ("disability_care", "P1"): "50.00",
    }
    dibao = household["lines"][0]
    assert set(dibao["explain"]) == {"inputs", "steps", "parameters", "rule", "sentence"}
    assert dibao["explain"]["sentence"] == "低保补差 = (404.42 − 100.00) × 1 人 = 304.42 元"
    assert dibao["explain"]["parameters"][0] == {
        "name": "dibao.standard.rural",
        "value": "4853",
        "since": "2020-01-01",
        "region": "141100",
        "level": "city",
        "date_assumed": True,
    }


def test_total_is_the_sum_of_the_lines(tmp_path: Path) -> None:
    out = json.loads(run(["entitle", str(write(tmp_path, document())), "--month", "2020-06"]).stdout)
    household = out["households"][0]
    assert sum(float(line["amount"]) for line in household["lines"]) == pytest.approx(float(household["total"]))


def test_yaml_from_stdin(tmp_path: Path) -> None:
    result = run(["entitle", "-", "--month", "2020-06"], stdin=yaml.safe_dump(document(), allow_unicode=True))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["households"][0]["id"] == "H1"


def test_invalid_document_exits_2_with_every_error_on_stderr_and_nothing_on_stdout(tmp_path: Path) -> None:
    bad = document(region="999999", annual_income="-1")
    bad["households"][0]["members"][0]["labour"] = "lots"
    result = run(["entitle", str(write(tmp_path, bad)), "--month", "2020-06"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "户 H1，行政区划 [region]" in result.stderr
    assert "户 H1，家庭年收入 [annual_income]：金额不得为负数" in result.stderr
    assert "户 H1，成员 P1，劳动能力 [labour]" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2020-13"], "计算月份 [month]"),
        (["--month", "2020-06", "--format", "xml"], "输出格式 [--format]"),
        (["--month", "2020-06", "--compare"], "[--compare] 需要改革文件"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(["entitle", str(write(tmp_path, document())), *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    missing = run(["entitle", str(tmp_path / "nope.yaml"), "--month", "2020-06"])
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    garbled = run(["entitle", str(broken), "--month", "2020-06"])
    assert (missing.exit_code, missing.stdout) == (2, "")
    assert (garbled.exit_code, garbled.stdout) == (2, "")
    assert "JSON" in garbled.stderr


def test_missing_parameter_is_a_household_error_not_an_input_error(tmp_path: Path) -> None:
    # 交口县 has no rural 低保 standard of its own in 2015 and the city's starts in 2016
    result = run(["entitle", str(write(tmp_path, document(region="141130"))), "--month", "2015-06"])
    assert result.exit_code == 0
    household = json.loads(result.stdout)["households"][0]
    assert household == {
        "id": "H1",
        "total": None,
        "lines": [],
        "errors": ["无参数: dibao.standard.rural, 141130, 2015-06-01"],
    }
    assert "无参数: dibao.standard.rural, 141130, 2015-06-01" in result.stderr


def test_urban_households_are_computed_with_the_city_default_standards(tmp_path: Path) -> None:
    """POLICY.md §2–3 (amended): 吕梁市 urban 低保 6533 and urban 特困 8493 a year in 2020, both 默认值."""
    member = {**MEMBER, "income_source": False, "capable_supporter": False, "labour": "none"}
    doc = document(area="urban", region="141102", annual_income="0")
    doc["households"][0]["members"].append({**MEMBER, "id": "P2", "birth_date": "1980-03-01"})
    doc["households"][0]["members"][0] = member
    result = run(["entitle", str(write(tmp_path, doc)), "--month", "2020-06"])
    assert result.exit_code == 0, result.stderr
    lines = {(line["program"], line["member"]): line for line in json.loads(result.stdout)["households"][0]["lines"]}
    assert lines["tekun_basic", "P1"]["amount"] == "707.75"  # 8493 / 12
    assert lines["dibao", None]["amount"] == "544.42"  # 6533 / 12 for the one non-特困 member
    used = {p["name"]: p for p in lines["dibao", None]["explain"]["parameters"]}
    assert (used["dibao.standard.urban"]["region"], used["dibao.standard.urban"]["value"]) == ("141100", "6533")


def test_table_and_csv_formats(tmp_path: Path) -> None:
    path = str(write(tmp_path, document()))
    table = run(["entitle", path, "--month", "2020-06", "--format", "table"])
    assert table.exit_code == 0
    assert "低保补差" in table.stdout and "304.42" in table.stdout and "合计" in table.stdout
    csv = run(["entitle", path, "--month", "2020-06", "--format", "csv"])
    assert csv.stdout.splitlines()[:2] == ["household,program,member,amount", "H1,dibao,,304.42"]


def test_reform_and_compare(tmp_path: Path) -> None:
    reform = tmp_path / "reform.yaml"
    change = "{parameter: dibao.standard.rural, from: 2020-01-01, value: '5200'}"
    reform.write_text(f"name: 农村低保标准提高到 5200\nchanges:\n  - {change}\n", encoding="utf-8")
    path = str(write(tmp_path, document()))
    reformed = json.loads(run(["entitle", path, "--month", "2020-06", "--reform", str(reform)]).stdout)
    assert reformed["households"][0]["lines"][0]["amount"] == "333.33"
    compared = run(["entitle", path, "--month", "2020-06", "--reform", str(reform), "--compare"])
    rows = {row["program"]: row for row in json.loads(compared.stdout)["programs"]}
    assert rows["dibao"] == {
        "program": "dibao",
        "before": {"households": 1, "persons": 1, "amount": "304.42"},
        "after": {"households": 1, "persons": 1, "amount": "333.33"},
        "difference": "28.91",
    }
    assert rows["total"]["difference"] == "37.58"  # + 分类施保 130.00 - 121.33
    households = json.loads(compared.stdout)["households"]
    assert households == [
        {
            "id": "H1",
            "before": "555.75",
            "after": "593.33",
            "difference": "37.58",
            "changed": ["dibao", "dibao_classified:P1"],
        }
    ]
    assert json.loads(compared.stdout)["failed"] == []
    table = run(["entitle", path, "--month", "2020-06", "--reform", str(reform), "--compare", "--format", "table"])
    assert "改革前后对比" in table.stdout


def test_bad_reform_exits_2(tmp_path: Path) -> None:
    reform = tmp_path / "reform.yaml"
    reform.write_text(
        "changes:\n  - {parameter: dibao.standard.moon, from: 2020-13-01, value: 1.5}\n", encoding="utf-8"
    )
    result = run(["entitle", str(write(tmp_path, document())), "--month", "2020-06", "--reform", str(reform)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "未知参数" in result.stderr


def test_bad_reform_values_are_named(tmp_path: Path) -> None:
    reform = tmp_path / "reform.yaml"
    reform.write_text(
        "changes:\n  - {parameter: dibao.standard.rural, from: 2020-13-01, value: 1.5}\n", encoding="utf-8"
    )
    result = run(["entitle", str(write(tmp_path, document())), "--month", "2020-06", "--reform", str(reform)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "起始日期 [from]" in result.stderr


def test_policy_list_and_show_name_their_sources() -> None:
    listing = run(["policy", "list"])
    assert listing.exit_code == 0 and "dibao.standard.rural" in listing.stdout
    shown = run(["policy", "show", "dibao.standard.rural", "--region", "141102", "--at", "2015-06-01"])
    assert shown.exit_code == 0
    assert "2484" in shown.stdout and "141102 离石区" in shown.stdout and "[seed]" in shown.stdout
    defaulted = run(["policy", "show", "tekun.care_fee", "--region", "141130", "--at", "2020-06-01"])
    assert "默认值，请按本地文件核定" in defaulted.stdout
    missing = run(["policy", "show", "tekun.basic.urban", "--region", "141128", "--at", "2015-06-01"])
    assert "无参数: tekun.basic.urban, 141128, 2015-06-01" in missing.stdout
    assert run(["policy", "show", "no.such"]).exit_code == 2


def test_policy_check_prints_the_consistency_warning() -> None:
    result = run(["policy", "check"])
    assert result.exit_code == 0
    assert "2018-01-01 至 2019-12-31" in result.stdout


def test_batch_front_door_writes_lines_parquet(tmp_path: Path) -> None:
    cases = yaml.safe_load(SHARED_CASES.read_text(encoding="utf-8"))
    doc = {"households": [h for case in cases if case["month"] == "2020-06" for h in case["input"]["households"]]}
    households, persons = document_to_frames(doc)
    households.write_parquet(tmp_path / "h.parquet")
    persons.write_parquet(tmp_path / "p.parquet")
    out = tmp_path / "lines.parquet"
    args = ["entitle", "--households", str(tmp_path / "h.parquet"), "--persons", str(tmp_path / "p.parquet")]
    result = run([*args, "--month", "2020-06", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "households/s" in result.stderr and "peak RSS" in result.stderr
    lines = pl.read_parquet(out)
    assert lines.columns == ["household_id", "program", "member_id", "amount_fen"]
    assert ("D1", "dibao", None, 91325) in lines.rows()


def test_entitle_runs_as_a_real_command(tmp_path: Path) -> None:
    path = write(tmp_path, document(), "doc.yaml")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "jingzhun"), "entitle", str(path), "--month", "2020-06"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["households"][0]["total"] == "555.75"
