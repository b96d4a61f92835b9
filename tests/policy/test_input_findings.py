# ruff: noqa: E501  (the findings tables read one finding a line)
"""Issue #13 §2: every input finding is refused on its path with exit 2, a named error, nothing written.

Batch findings change one cell of valid frames (built from a valid document); document findings are raw
YAML/JSON texts. Each case names the text its error must contain (household / member / field, English key).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jingzhun.policy.frames import document_to_frames
from tests.policy.test_cli import MEMBER, document, run


def valid_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    doc = document(annual_income="1200")
    doc["households"][0]["members"].append({**MEMBER, "id": "P2", "birth_date": "1980-03-01"})
    doc["households"].append({**doc["households"][0], "id": "H2", "members": [{**MEMBER, "id": "Q1"}]})
    return document_to_frames(doc)


Frames = tuple[pl.DataFrame, pl.DataFrame]


def set_cell(frame: str, column: str, value: Any, row: int = 0, dtype: Any = None) -> Callable[[Frames], Frames]:
    def change(frames: Frames) -> Frames:
        h, p = frames
        target = h if frame == "h" else p
        values = target[column].to_list()
        values[row] = value
        series = pl.Series(column, values, dtype=dtype or target.schema[column], strict=False)
        target = target.with_columns(series)
        return (target, p) if frame == "h" else (h, target)

    return change


def float_income(frames: Frames) -> Frames:
    h, p = frames
    return h.with_columns(pl.col("annual_income_fen").cast(pl.Float64) + 0.0), p


def float_grade(frames: Frames) -> Frames:
    h, p = frames
    return h, p.with_columns(pl.Series("disability_grade", [1.9, None, 2.0], dtype=pl.Float64))


def duplicate_person(frames: Frames) -> Frames:
    h, p = frames
    return h, pl.concat([p, p.head(1)])


def household_without_persons(frames: Frames) -> Frames:
    h, p = frames
    return h, p.filter(pl.col("household_id") != "H2")


def duplicate_household(frames: Frames) -> Frames:
    h, p = frames
    return pl.concat([h, h.head(1)]), p


def orphan_person(frames: Frames) -> Frames:
    h, p = frames
    return h, p.with_columns(
        pl.when(pl.col("id") == "Q1").then(pl.lit("H9")).otherwise("household_id").alias("household_id")
    )


def too_large(frames: Frames) -> Frames:
    h, p = frames
    extra = pl.concat([p.filter(pl.col("id") == "Q1")] * 51).with_columns(
        pl.Series("id", [f"Q{i}" for i in range(2, 53)])
    )
    return h, pl.concat([p, extra])


BATCH = {
    "negative income": (set_cell("h", "annual_income_fen", -100_000_000), "户 H1，家庭年收入 [annual_income_fen]：金额不得为负数"),
    "float income column": (float_income, "家庭年收入 [annual_income_fen]：households 列类型应为 Int64"),
    "care_setting Home": (set_cell("p", "care_setting", "Home"), "户 H1，成员 P1，供养方式 [care_setting]：取值须为 home | institution"),
    "labour NONE": (set_cell("p", "labour", "NONE"), "户 H1，成员 P1，劳动能力 [labour]：取值须为 full | partial | none"),
    "disqualified boat": (set_cell("h", "disqualified", ["boat"]), "户 H1，不予保障情形 [disqualified]"),
    "disability grade 7": (set_cell("p", "disability_grade", 7), "户 H1，成员 P1，残疾等级 [disability_grade]：应为 1–4 或 null，得到 7"),
    "disability grade 1.9": (float_grade, "残疾等级 [disability_grade]：persons 列类型应为 Int8"),
    "bad self_care": (set_cell("p", "self_care", "some"), "户 H1，成员 P1，自理能力 [self_care]：取值须为 full | partial | none"),
    "duplicated person row": (duplicate_person, "户 H1，成员 P1，成员编号 [id]：编号重复"),
    "household with no persons": (household_without_persons, "户 H2，家庭成员 [members]：该户没有成员"),
    "empty household id": (set_cell("h", "id", ""), "户 （空），户编号 [id]：应为非空字符串"),
    "same household id twice": (duplicate_household, "户 H1，户编号 [id]：编号重复"),
    "person of no household": (orphan_person, "户 H9，成员 Q1，户编号 [household_id]：该人员的户不在户文件中"),
    "born after the month": (set_cell("p", "birth_date", "2020-07-02", dtype=pl.Date), "户 H1，成员 P1，出生日期 [birth_date]：出生日期晚于计算月份"),
    "household of 52 members": (too_large, "户 H2，家庭成员 [members]：家庭成员超过上限 50 人"),
}  # fmt: skip


def write_frames(tmp_path: Path, frames: Frames) -> list[str]:
    h, p = frames
    h.write_parquet(tmp_path / "h.parquet")
    p.write_parquet(tmp_path / "p.parquet")
    return ["entitle", "--households", str(tmp_path / "h.parquet"), "--persons", str(tmp_path / "p.parquet")]


@pytest.mark.parametrize("name", list(BATCH))
def test_batch_path_refuses(tmp_path: Path, name: str) -> None:
    change, expected = BATCH[name]
    out = tmp_path / "lines.parquet"
    result = run([*write_frames(tmp_path, change(valid_frames())), "--month", "2020-06", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert not out.exists()


def test_valid_frames_pass(tmp_path: Path) -> None:
    out = tmp_path / "lines.parquet"
    result = run([*write_frames(tmp_path, valid_frames()), "--month", "2020-06", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.exists()


def test_batch_path_takes_cpi_and_history_like_the_document(tmp_path: Path) -> None:
    doc = document(annual_income="1200")
    doc["households"][0]["members"][0]["late_stage_major_disease"] = True
    frames = document_to_frames(doc)
    (tmp_path / "cpi.yaml").write_text('"2020-06": {all: "2.5", food: "11.1"}\n', encoding="utf-8")
    (tmp_path / "history.json").write_text(json.dumps({"P1": ["major_illness_care"]}), encoding="utf-8")
    out = tmp_path / "lines.parquet"
    args = [*write_frames(tmp_path, frames), "--month", "2020-06", "--out", str(out)]
    result = run([*args, "--cpi", str(tmp_path / "cpi.yaml"), "--history", str(tmp_path / "history.json")])
    assert result.exit_code == 0, result.stderr
    programs = set(pl.read_parquet(out)["program"].to_list())
    assert "price_subsidy" in programs and "major_illness_care" not in programs
    doc_path = tmp_path / "doc.json"
    doc_path.write_text(
        json.dumps(
            {**doc, "cpi": {"2020-06": {"all": "2.5", "food": "11.1"}}, "history": {"P1": ["major_illness_care"]}}
        ),
        encoding="utf-8",
    )
    from_doc = json.loads(run(["entitle", str(doc_path), "--month", "2020-06"]).stdout)
    assert {line["program"] for line in from_doc["households"][0]["lines"]} == programs
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps({"PP1": ["major_illness_care"]}), encoding="utf-8")
    refused = run([*args, "--history", str(typo)])
    assert refused.exit_code == 2 and "成员 PP1，已享受记录 [history]" in refused.stderr


HOUSEHOLD_YAML = """households:
  - id: H1
    region: "141130"
    area: rural
    registered_poor: true
    annual_income: {income}
    disqualified: []
    members:
      - {{id: P1, birth_date: {birth}, disability_grade: 2, disability_card_gen2: true, needs_long_term_care: true,
         disabled_elder_certified: false, self_care: full, labour: partial, student: none, serious_illness: false,
         late_stage_major_disease: false, income_source: true, capable_supporter: true, care_setting: home}}
"""


def yaml_doc(income: str = '"1200"', birth: str = "1938-01-10", extra: str = "") -> str:
    return HOUSEHOLD_YAML.format(income=income, birth=birth) + extra


DOCUMENT = {
    "0100 is not octal 64": (yaml_doc(income="0x10"), "户 H1，家庭年收入 [annual_income]：不是有效金额: '0x10'"),
    "1:20 is not sexagesimal 80": (yaml_doc(income="1:20"), "户 H1，家庭年收入 [annual_income]：不是有效金额: '1:20'"),
    "repeated key": (yaml_doc() + '    annual_income: "99999"\n', "重复的键 annual_income"),
    "history person id typo": (
        yaml_doc(extra="history: {PX: [major_illness_care]}\n"),
        "成员 PX，已享受记录 [history]",
    ),
    "household of 51 members": (
        'households:\n  - id: H1\n    region: "141130"\n    area: rural\n    registered_poor: true\n'
        '    annual_income: "0"\n    disqualified: []\n    members:\n' + "      - {id: X}\n" * 51,
        "户 H1，家庭成员 [members]：家庭成员 51 人，超过上限 50 人",
    ),
    "1000-deep JSON": ('{"households": ' + "[" * 1000 + "]" * 1000 + "}", "输入嵌套过深 [INPUT]"),
    "30000-deep YAML": ("households: " + "[" * 30000 + "]" * 30000, "输入嵌套过深 [INPUT]"),
    "invalid date named": (
        yaml_doc(birth="1950-02-30", income='"-5"'),
        "户 H1，成员 P1，出生日期 [birth_date]：不是有效日期",
    ),
    "full-width digits": (yaml_doc(income='"１２００"'), "户 H1，家庭年收入 [annual_income]：不是有效金额"),
    "birth 0001-01-01": (yaml_doc(birth="0001-01-01"), "户 H1，成员 P1，出生日期 [birth_date]：日期早于 1900-01-01"),
    "10 MB value not echoed": (yaml_doc(income='"' + "9" * 10_000_000 + 'x"'), "（共 10,000,003 个字符）"),
}


@pytest.mark.parametrize("name", list(DOCUMENT))
def test_document_path_refuses(tmp_path: Path, name: str) -> None:
    text, expected = DOCUMENT[name]
    path = tmp_path / ("doc.json" if text.startswith("{") else "doc.yaml")
    path.write_text(text, encoding="utf-8")
    result = run(["entitle", str(path), "--month", "2020-06"])
    assert (result.exit_code, result.stdout) == (2, ""), result.output[:500]
    assert expected in result.stderr
    assert len(result.stderr) < 10_000


def test_invalid_date_does_not_hide_the_other_errors(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(yaml_doc(birth="1950-02-30", income='"-5"'), encoding="utf-8")
    stderr = run(["entitle", str(path), "--month", "2020-06"]).stderr
    assert "出生日期 [birth_date]" in stderr and "家庭年收入 [annual_income]：金额不得为负数" in stderr


def test_unquoted_0100_is_read_as_written_not_octal(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(yaml_doc(income="0100"), encoding="utf-8")
    result = run(["entitle", str(path), "--month", "2020-06"])
    assert result.exit_code == 0, result.stderr
    dibao = json.loads(result.stdout)["households"][0]["lines"][0]
    assert dibao["explain"]["inputs"]["annual_income"] == "100"


def test_a_program_without_parameters_does_not_take_the_households_dibao(tmp_path: Path) -> None:
    """A CPI entry of 2010 (before the price-subsidy triggers, 2011) or a 孝亲敬老 record of a year before
    its parameters: that program is named in ``program_errors``; 低保 is still paid — on both paths."""
    from jingzhun.policy.engine import compute_document
    from jingzhun.policy.engine_batch import compute_batch_with_errors
    from tests.policy.trees import without

    doc = document(region="141102", annual_income="1200")
    doc["cpi"] = {"2015-06": {"all": "9", "food": "9"}}
    tree = without("price_subsidy.all_items_threshold")
    (household,) = compute_document(doc, "2015-06", params=tree).households
    assert household.errors == [] and "dibao" in {line.program for line in household.lines}
    assert household.program_errors == ["价格临时补贴：无参数: price_subsidy.all_items_threshold, 141102, 2015-06-01"]
    h, p = document_to_frames(doc)
    batch = compute_batch_with_errors(h, p, "2015-06", params=tree, cpi=doc["cpi"])
    assert "dibao" in batch.lines["program"].to_list()
    assert batch.errors.rows() == [("H1", household.program_errors[0])]
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = json.loads(run(["entitle", str(path), "--month", "2015-06"]).stdout)["households"][0]
    assert "program_errors" not in out and out["total"] is not None  # the shipped triggers hold from 2011
