"""`jingzhun medical settle` as a user runs it: YAML/JSON/CSV input, exit 2 with every error, table output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from jingzhun.cli import app

FIELDS = ("id", "person", "registered_poor", "dibao_or_tekun", "region", "level")
FIELDS += ("admitted", "discharged", "total", "in_catalogue")
FANGSHAN = {
    "id": "S1",
    "person": "P1",
    "registered_poor": True,
    "dibao_or_tekun": False,
    "region": "141128",
    "level": "county",
    "admitted": "2018-04-02",
    "discharged": "2018-04-12",
    "total": "10500",
    "in_catalogue": "10000",
}


def run(args: list[str], stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, ["medical", "settle", *args], input=stdin, env={"COLUMNS": "200"})


def csv_text(*rows: dict[str, Any]) -> str:
    def cell(value: Any) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)

    lines = [",".join(FIELDS), *(",".join(cell(row[f]) for f in FIELDS) for row in rows)]
    return "\n".join(lines) + "\n"


def test_json_on_stdin_prints_designs_shape_with_an_explanation() -> None:
    result = run(["-"], json.dumps({"stays": [FANGSHAN]}))
    assert result.exit_code == 0, result.stderr
    [stay] = json.loads(result.stdout)["stays"]
    assert stay["lines"] == {
        "basic": "8820.00",
        "serious": "0.00",
        "supplementary": "944.00",
        "assistance": "0.00",
        "cap136": "0.00",
    }
    assert (stay["oop"], stay["ratio"]) == ("736.00", "0.9299")
    assert stay["explain"]["lines"]["basic"] == "基本医保 = (10000.00 − 200.00) × 90% = 8820.00 元"
    assert stay["explain"]["oop"].endswith("实际报销比例 = 1 − 736.00 ÷ 10500.00 = 0.9299")
    parameters = {p["name"]: p for p in json.loads(result.stdout)["parameters"]}
    assert parameters["medical.basic_deductible_poor.county"] == {
        "name": "medical.basic_deductible_poor.county",
        "value": "200",
        "since": "2016-01-01",
        "region": "141100",
        "level": "city",
        "default": True,
        "date_assumed": True,
    }
    assert "medical.basic_rate_other.county" not in parameters  # only the values this document used
    assert stay["explain"]["order"] == ["basic", "serious", "supplementary", "assistance", "cap136"]


def test_csv_file_gives_the_same_result_as_json(tmp_path: Path) -> None:
    path = tmp_path / "stays.csv"
    path.write_text(csv_text(FANGSHAN, FANGSHAN | {"id": "S2", "registered_poor": False}), encoding="utf-8")
    from_csv = run([str(path)])
    from_json = run(["-"], json.dumps({"stays": [FANGSHAN, FANGSHAN | {"id": "S2", "registered_poor": False}]}))
    assert from_csv.exit_code == 0, from_csv.stderr
    assert from_csv.stdout == from_json.stdout


def test_csv_on_stdin_is_recognised_by_its_header() -> None:
    result = run(["-"], csv_text(FANGSHAN))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stays"][0]["oop"] == "736.00"


def test_invalid_document_exits_2_listing_every_error_and_prints_nothing() -> None:
    bad = {
        **FANGSHAN,
        "colour": "red",
        "level": "clinic",
        "admitted": "2018-04-13",
        "total": 10500.5,
        "in_catalogue": "10000.001",
    }
    stays = [
        bad,
        FANGSHAN | {"id": "S2", "in_catalogue": "-1"},
        FANGSHAN | {"id": "S2", "in_catalogue": "20000"},
        FANGSHAN | {"id": "S4", "admitted": "2015-04-02", "discharged": "2015-12-31"},
        {k: v for k, v in FANGSHAN.items() if k != "person"} | {"id": "S5", "region": "141100"},
    ]
    result = run(["-"], json.dumps({"stays": stays, "extra": 1}))
    assert result.exit_code == 2
    assert result.stdout == ""
    expected = [
        "未知字段 [extra]：未知字段 (unknown field)",
        "住院 S1，未知字段 [colour]：未知字段 (unknown field)",
        "住院 S1，医院级别 [level]：取值须为 county | city | province | outside，得到 'clinic'",
        "住院 S1，出院日期 [discharged]：出院日期 2018-04-12 早于入院日期 2018-04-13",
        '住院 S1，总费用 [total]：金额应写成字符串（元），如 "10500.00"，不得用浮点数：10500.5',
        "住院 S1，目录内费用 [in_catalogue]：金额最多两位小数（分）: 10000.001",
        "住院 S2，目录内费用 [in_catalogue]：金额不得为负数: -1",
        "住院 S2，住院编号 [id]：住院编号重复 (duplicate id)",
        "住院 S2，目录内费用 [in_catalogue]：目录内费用 20000.00 大于总费用 10500.00（须 ≤ total）",
        "住院 S4，出院日期 [discharged]：出院日期 2015-12-31 没有结算参数",
        "住院 S5，患者编号 [person]：缺少字段 (missing field)",
        "住院 S5，行政区划 [region]：未知区划代码（须为县级 GB/T 2260 代码字符串）: '141100'",
    ]
    for message in expected:
        assert message in result.stderr, f"missing {message!r} in:\n{result.stderr}"
    assert len(result.stderr.strip().splitlines()) == len(expected)


def test_csv_errors_name_the_line_and_empty_cells_and_booleans(tmp_path: Path) -> None:
    path = tmp_path / "stays.csv"
    rows = [FANGSHAN | {"registered_poor": "yes"}, FANGSHAN | {"id": "S2", "total": ""}]
    path.write_text(csv_text(*rows), encoding="utf-8")
    result = run([str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "第 2 行，住院 S1，建档立卡贫困人口 [registered_poor]：应为 true 或 false，得到 'yes'" in result.stderr
    assert "第 3 行，住院 S2，总费用 [total]：不得为空 (empty)" in result.stderr


def test_csv_unknown_and_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "stays.csv"
    path.write_text("id,person,colour\nS1,P1,red\n", encoding="utf-8")
    result = run([str(path)])
    assert result.exit_code == 2
    assert "第 1 行 [colour]：未知列 (unknown field)" in result.stderr
    assert "第 1 行 [in_catalogue]：缺少列 目录内费用 (missing field)" in result.stderr


def test_empty_document_and_bad_options_exit_2() -> None:
    assert "住院列表 [stays]：应为非空列表" in run(["-"], '{"stays": []}').stderr
    bad = run(["-", "--format", "csv", "--cap-period", "month"], json.dumps({"stays": [FANGSHAN]}))
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert "[--format]" in bad.stderr
    assert "[--cap-period]" in bad.stderr


def test_cap_period_option_changes_the_136_line() -> None:
    stays = [FANGSHAN | {"in_catalogue": "100000", "total": "100000"}]
    stays.append(stays[0] | {"id": "S2", "admitted": "2018-06-01", "discharged": "2018-06-10"})
    year = json.loads(run(["-"], json.dumps({"stays": stays})).stdout)["stays"]
    stay = json.loads(run(["-", "--cap-period", "stay"], json.dumps({"stays": stays})).stdout)["stays"]
    assert (year[1]["lines"]["cap136"], stay[1]["lines"]["cap136"]) == ("814.40", "0.00")


def test_table_is_in_chinese_with_each_lines_arithmetic(tmp_path: Path) -> None:
    path = tmp_path / "stays.yaml"
    path.write_text(
        "stays:\n  - {id: S1, person: P1, registered_poor: true, dibao_or_tekun: false, region: '141128',\n"
        "     level: county, admitted: 2018-04-02, discharged: 2018-04-12, total: '10500', in_catalogue: '10000'}\n",
        encoding="utf-8",
    )
    result = run([str(path), "--format", "table"])
    assert result.exit_code == 0, result.stderr
    for text in ("住院一站式结算", "基本医保", "“136”兜底", "个人自付", "0.9299", "方山县 县级"):
        assert text in result.stdout
    assert "基本医保 = (10000.00 − 200.00) × 90% = 8820.00 元" in result.stdout
    assert "个人自付 = 目录内剩余 236.00 + 目录外 500.00 = 736.00 元" in result.stdout
