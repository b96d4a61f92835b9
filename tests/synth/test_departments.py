"""Synthetic department lists (数据比对) with known truth: columns, kinds of rows, noise, determinism."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import opencc
import polars as pl
import pytest
from pypinyin import Style, lazy_pinyin
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.crosscheck.ids import normalise_id
from jingzhun.synth.departments import (
    SOURCES,
    DepartmentLists,
    department_lists,
    registry_persons,
    write_department_lists,
)
from jingzhun.synth.generate import generate_county


@pytest.fixture(scope="module")
def households(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    result = generate_county("141102", 800, 11, tmp_path_factory.mktemp("dept-county"))
    return pl.read_csv(result.households_path, infer_schema=False)


@pytest.fixture(scope="module")
def lists(households: pl.DataFrame) -> DepartmentLists:
    return department_lists(households, 300, seed=3)


def _rows(lists: DepartmentLists) -> pl.DataFrame:
    return pl.concat(
        [
            t.select("姓名", "身份证号", "出生日期", "村代码").with_columns(pl.lit(s).alias("source"))
            for s, t in lists.lists.items()
        ]
    ).with_columns(pl.int_range(2, pl.len() + 2).over("source").alias("row"))


def _with_truth(lists: DepartmentLists, households: pl.DataFrame) -> pl.DataFrame:
    persons = registry_persons(households).select(
        pl.col("id_number"), pl.col("name").alias("true_name"), pl.col("birth_date").alias("true_birth"),
        pl.col("village").alias("true_village"),
    )  # fmt: skip
    return _rows(lists).join(lists.truth, on=["source", "row"]).join(persons, on="id_number", how="left")


def test_every_list_has_designs_columns_and_its_own_evidence(lists: DepartmentLists) -> None:
    assert tuple(lists.lists) == SOURCES
    for source, table in lists.lists.items():
        assert table.columns[:4] == ["姓名", "身份证号", "出生日期", "村代码"], source
        assert len(table.columns) > 4, source
        assert table.height == 300
    assert lists.truth.height == 300 * len(SOURCES)


def test_the_same_seed_gives_the_same_lists_and_another_seed_other_lists(households: pl.DataFrame) -> None:
    a, b, c = (department_lists(households, {"vehicle": 200, "death": 50}, seed=s) for s in (5, 5, 6))
    assert a.lists["vehicle"].equals(b.lists["vehicle"]) and a.truth.equals(b.truth)
    assert not a.lists["vehicle"].equals(c.lists["vehicle"])


def test_rows_are_what_the_truth_says(lists: DepartmentLists, households: pl.DataFrame) -> None:
    rows = _with_truth(lists, households)
    kinds = dict(rows.group_by("kind").len().iter_rows())
    assert set(kinds) == {"exact", "exact_15", "noisy", "invalid_id", "nonmatch", "nonmatch_no_id",
                          "namesake_township", "namesake_neighbour"}  # fmt: skip
    for row in rows.iter_rows(named=True):
        kind, noise = row["kind"], row["noise"]
        usable = normalise_id(row["身份证号"])[0]
        if kind in ("exact", "exact_15"):
            assert usable == row["id_number"] and row["姓名"] == row["true_name"], row
        elif kind == "invalid_id":
            assert usable is None and row["身份证号"][:17] == row["id_number"][:17], row
        elif kind == "noisy":
            assert row["身份证号"] is None, row
            assert (row["村代码"] is None) == noise.endswith("+blank_village"), row
            faults = noise.removesuffix("+blank_village").split("+")
            name, true = row["姓名"], row["true_name"]
            birth, true_birth = dt.date.fromisoformat(row["出生日期"]), row["true_birth"]
            name_faults = [f for f in faults if f in ("homophone", "traditional", "dropped_char")]
            assert len(name_faults) <= 1 and len(faults) <= 2, row
            if "day_month_swapped" in faults:
                assert (birth.month, birth.day) == (true_birth.day, true_birth.month) != (birth.day, birth.month)
            else:
                assert birth == true_birth, row
            if name_faults == ["homophone"]:
                assert name != true and lazy_pinyin(name, style=Style.NORMAL) == lazy_pinyin(true, style=Style.NORMAL)
            elif name_faults == ["traditional"]:
                assert name != true and opencc.OpenCC("t2s").convert(name) == true
            elif name_faults == ["dropped_char"]:
                assert len(name) == len(true) - 1 and name[0] == true[0]
            else:
                assert name == true, row
            if faults == ["clean"]:
                assert name == true and birth == true_birth
        else:
            assert row["id_number"] is None and row["household_no"] is None, row
    faults = {n.removesuffix("+blank_village") for n in rows.filter(pl.col("kind") == "noisy")["noise"]}
    single = {"clean", "homophone", "traditional", "dropped_char", "day_month_swapped"}
    assert faults >= single and any("+" in f for f in faults - single)


def test_hard_negatives_are_namesakes_of_registry_persons(lists: DepartmentLists, households: pl.DataFrame) -> None:
    persons = registry_persons(households).select("name", "birth_date", "village", "township")
    rows = _with_truth(lists, households).with_columns(pl.col("出生日期").str.to_date())
    township = rows.filter(pl.col("kind") == "namesake_township")
    same = township.join(persons, left_on=["姓名", "出生日期"], right_on=["name", "birth_date"]).with_columns(
        (pl.col("村代码").str.slice(0, 9) != pl.col("township").str.slice(0, 9)).alias("elsewhere")
    )
    # each row has a registry namesake born the same day, in another township than the row's village
    per_row = same.group_by("source", "row").agg(pl.col("elsewhere").any())
    assert township.height > 10 and per_row.height == township.height and per_row["elsewhere"].all()
    neighbours = rows.filter(pl.col("kind") == "namesake_neighbour")
    near = neighbours.join(persons, left_on=["姓名", "村代码"], right_on=["name", "village"])
    assert neighbours.height > 10 and near.height >= neighbours.height
    assert neighbours.join(
        persons, left_on=["姓名", "出生日期", "村代码"], right_on=["name", "birth_date", "village"]
    ).is_empty()


def test_synth_departments_option_writes_the_lists_and_the_truth(tmp_path: Path) -> None:
    args = ["synth", "--households", "300", "--seed", "5", "--out", str(tmp_path), "--departments", "20"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "departments").iterdir())
    assert written == sorted([f"{s}.csv" for s in SOURCES] + ["truth.csv"])
    truth = pl.read_csv(tmp_path / "departments" / "truth.csv", infer_schema=False)
    assert truth.height == 20 * len(SOURCES)
    assert "部门比对名单" in result.output


def test_a_neighbour_namesake_of_a_baby_is_born_in_another_year(households: pl.DataFrame) -> None:
    """Moving the birth year forward must not be clamped back onto the registry person's own date."""
    babies = households.filter(pl.col("出生日期").str.starts_with("2019"))
    assert babies.height > 5
    drawn = department_lists(babies, {"dibao_roll": 600}, seed=4)
    rows = _rows(drawn).join(drawn.truth, on=["source", "row"]).filter(pl.col("kind") == "namesake_neighbour")
    assert rows.height > 0
    persons = registry_persons(babies).with_columns(pl.col("birth_date").dt.strftime("%Y-%m-%d"))
    same = rows.join(persons, left_on=["姓名", "出生日期", "村代码"], right_on=["name", "birth_date", "village"])
    assert same.is_empty()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_written_lists_keep_formula_like_names_as_text(households: pl.DataFrame, tmp_path: Path, fmt: str) -> None:
    from python_calamine import CalamineWorkbook

    hostile = households.head(300).with_columns(pl.lit('=HYPERLINK("http://x","点我")').alias("姓名"))
    source_path = tmp_path / "households.csv"
    hostile.write_csv(source_path)
    write_department_lists(source_path, tmp_path / "out", 40, seed=1, fmt=fmt)
    if fmt == "csv":
        names = pl.read_csv(tmp_path / "out" / "death.csv", infer_schema=False)["姓名"].to_list()
        exact = [n for n in names if n.startswith("'=HYPERLINK")]
        assert exact and not any(n.startswith("=") for n in names)
    else:
        book = CalamineWorkbook.from_path(str(tmp_path / "out" / "death.xlsx"))
        cells = [row[0] for row in book.get_sheet_by_index(0).to_python()[1:]]
        assert any(c == '=HYPERLINK("http://x","点我")' for c in cells)
        with zipfile.ZipFile(tmp_path / "out" / "death.xlsx") as xlsx:
            assert b"<f>" not in xlsx.read("xl/worksheets/sheet1.xml")
