"""`jingzhun crosscheck run --engine spark --master local[2]` as typed (typer's CliRunner; the command reuses
the test process's Spark session): the whole linkage on Spark (``link_frames``) stores the DuckDB path's hits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.monitoring.models.crosscheck import Suspect
from tests.monitoring.crosscheck.conftest import head, write_list

pytest.importorskip("pyspark")  # installed by `make test` (uv sync --group spark); CI fails on a skip

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
runner = CliRunner()


def test_crosscheck_run_on_spark_stores_the_duckdb_hits(spark: Any, tmp_path: Path, world: dict[str, Any]) -> None:
    own, other = head(world["own"]), head(world["sibling_village"])
    old_number = own.id_number[:6] + own.id_number[8:17]  # the 15-digit number of the same person
    path = write_list(
        tmp_path / "death.csv",
        [
            {"姓名": own.name, "身份证号": old_number},  # exact, after 15 → 18
            {"姓名": other.name, "身份证号": "", "出生日期": other.birth_date.isoformat(), "村代码": "141102001002"},
            {"姓名": other.name, "身份证号": "", "出生日期": other.birth_date.isoformat(), "村代码": "141102001001"},
            {"姓名": "不在册", "身份证号": "", "出生日期": "1970-01-01", "村代码": "141102001001"},
            {"姓名": "某某", "身份证号": "14110219900101123X"},  # a valid number nobody in the registry has
        ],
        headers=("姓名", "身份证号", "出生日期", "村代码"),
    )
    imported = runner.invoke(app, ["crosscheck", "import", str(path), "--source", "death", "--as-of", "2020-06-30"])
    assert imported.exit_code == 0, imported.stderr
    on_spark = runner.invoke(
        app, ["crosscheck", "run", "--format", "json", "--engine", "spark", "--master", "local[2]"]
    )
    assert on_spark.exit_code == 0, on_spark.stderr
    hits = json.loads(on_spark.stdout)["hits"]
    assert (2, "exact", own.id_number) in [(h["row"], h["match"], h["id_number"]) for h in hits]
    # row 4 states another village (binding), row 5 is nobody, row 6's number is in no registry
    assert not {4, 5, 6} & {h["row"] for h in hits}
    assert Suspect.objects.count() == len(hits)
    on_duckdb = runner.invoke(app, ["crosscheck", "run", "--format", "json"])
    assert on_duckdb.exit_code == 0, on_duckdb.stderr
    assert json.loads(on_duckdb.stdout)["hits"] == hits
    assert Suspect.objects.count() == len(hits)  # the same rows: nothing new stored
