"""Hostile import files are refused before a cell is read, with one Chinese message naming the limit.

The files (tests/registry/hostile.py) are a few KB to 5 MB on disk; read naively they are hundreds of
gigabytes (one cell at XFD1048576) or gigabytes (a million near-empty rows). The subprocess test runs
the reader under a 1.5 GB address-space limit, where the old reader died.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.core.actions import Actor
from jingzhun.registry import limits
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, Person
from jingzhun.registry.sheets import SheetError, read_sheet

from . import hostile
from .conftest import member, row, write_xlsx

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def refusal(path: Path) -> str:
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    return str(caught.value)


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", None, "A1:B2"], ids=["honest", "missing", "lying"])
def test_one_cell_at_xfd1048576_is_refused_by_its_row_whatever_the_dimension_says(
    tmp_path: Path, dimension: str | None
) -> None:
    path = hostile.far_cell(tmp_path / "far.xlsx", dimension=dimension)
    assert path.stat().st_size < 2048
    assert refusal(path) == "数据行数超过上限 500,000 行（第 1,048,576 行仍有单元格），请按乡镇拆分后分批导入。"


def test_a_cell_far_to_the_right_is_refused_by_its_column(tmp_path: Path) -> None:
    path = hostile.xlsx(tmp_path / "wide.xlsx", [hostile.header_row(), '<row r="2"><c r="XFD2"><v>1</v></c></row>'])
    assert refusal(path) == "列数超过上限 100 列（文件中有第 16,384 列的单元格），请删除多余的列后重新导入。"


def test_rows_times_columns_beyond_the_cell_limit_is_refused(tmp_path: Path) -> None:
    # 300 001 rows (within the row limit) × 90 columns (within the column limit) = 27 million cells
    rows = [hostile.header_row(), '<row r="300001"><c r="CL300001"><v>1</v></c></row>']
    message = refusal(hostile.xlsx(tmp_path / "area.xlsx", rows))
    assert message.startswith("表格区域超过上限 25,000,000 个单元格（")
    assert "× 90 列" in message


def test_a_million_near_empty_rows_are_refused_without_reading_them(tmp_path: Path) -> None:
    path = hostile.million_rows(tmp_path / "million.xlsx")
    assert path.stat().st_size < 8 * limits.MB
    assert refusal(path).startswith("数据行数超过上限 500,000 行（第 ")


def test_a_zip_bomb_member_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    path = hostile.bomb(tmp_path / "bomb.xlsx")
    assert refusal(path) == (
        "Excel 文件中的 xl/sharedStrings.xml 压缩比超过上限 200:1（解压炸弹），不是正常的工作簿，已拒绝。"
    )


def test_the_real_decompressed_size_counts_not_the_size_the_zip_claims(tmp_path: Path) -> None:
    """A member whose directory entry says 10 bytes still inflates to what it holds."""
    path = hostile.xlsx(tmp_path / "liar.xlsx", [hostile.header_row()], extra={"xl/styles.xml": b"<a/>" * 800_000})
    data = bytearray(path.read_bytes())
    directory = data.rfind(b"PK\x01\x02")
    assert zipfile.ZipFile(path).getinfo("xl/styles.xml").file_size == 3_200_000
    data[directory + 24 : directory + 28] = (10).to_bytes(4, "little")  # the last entry: xl/styles.xml
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("xl/styles.xml").file_size == 10
    assert "xl/styles.xml 压缩比超过上限 200:1" in refusal(path)


def test_all_members_together_may_not_unzip_beyond_the_limit(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(limits, "MAX_UNZIPPED_BYTES", 2 * limits.MB)
    rows = [hostile.header_row(), *(f'<row r="{r}">{hostile.text(f"A{r}", f"户{r}")}</row>' for r in range(2, 60_000))]
    message = refusal(hostile.xlsx(tmp_path / "big.xlsx", rows))
    assert message == "Excel 文件解压后超过上限 2 MB，请按乡镇拆分后分批导入。"


@pytest.mark.parametrize(
    "cell",
    [
        '<c t="inlineStr"><is><t>x</t></is></c>',
        "<c t='inlineStr' x:ü=\">\"><is><t>x</t></is></c>",
        "<x:c><v>1</v></x:c>",
    ],
    ids=["plain", "odd attributes", "prefixed"],
)
def test_cells_without_an_address_are_placed_as_the_reader_places_them(tmp_path: Path, cell: str) -> None:
    """The reader puts a cell without ``r`` after the previous one: the 101st of 150 passes the limit."""
    wide = cell * 150
    path = hostile.xlsx(tmp_path / "unaddressed.xlsx", [hostile.header_row(), f'<row r="2">{wide}</row>'])
    assert refusal(path) == "列数超过上限 100 列（文件中有第 101 列的单元格），请删除多余的列后重新导入。"


def test_a_file_whose_cells_carry_no_address_is_still_read(tmp_path: Path) -> None:
    cells = '<c t="inlineStr"><is><t>{}</t></is></c><c t="inlineStr"><is><t>{}</t></is></c>'
    rows = [f"<row>{cells.format('户编号', '姓名')}</row>", f"<row>{cells.format('H1', '王')}</row>"]
    sheet = read_sheet(hostile.xlsx(tmp_path / "plain.xlsx", rows))
    assert sheet.headers == ("户编号", "姓名") and sheet.frame.rows() == [("H1", "王", 2)]


def test_a_csv_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes("户编号,姓名\n".encode() + b"x,\n" * 600_000)
    assert refusal(path) == "数据行数超过上限 500,000 行（第 600,001 行仍有单元格），请按乡镇拆分后分批导入。"


def test_a_csv_with_too_many_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text(",".join(f"列{i}" for i in range(300)) + "\n" + "," * 299 + "\n", encoding="utf-8")
    assert refusal(path) == "列数超过上限 100 列（文件中有第 300 列的单元格），请删除多余的列后重新导入。"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: Any, suffix: str) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", limits.MB)
    path = tmp_path / f"big{suffix}"
    path.write_bytes(b"a" * (3 * limits.MB))
    assert refusal(path) == "文件大小超过上限 1 MB（本文件约 3 MB 以上），请按乡镇拆分后分批导入。"


def test_xls_and_ods_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert refusal(tmp_path / "old.xls") == "不支持的文件类型 .xls，请使用 .xlsx 或 .csv"


@pytest.mark.django_db
def test_the_importer_reports_the_limit_and_writes_nothing(tmp_path: Path, villages: Any) -> None:
    report = import_file(hostile.far_cell(tmp_path / "far.xlsx"), actor=Actor.system("test"))
    assert not report.written and [e.message for e in report.errors] == [
        "数据行数超过上限 500,000 行（第 1,048,576 行仍有单元格），请按乡镇拆分后分批导入。"
    ]
    assert not Household.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_a_county_sized_file_still_passes_the_checks(tmp_path: Path, villages: Any) -> None:
    """An ordinary file goes through the same checks and is imported (the 100 000-household benchmark
    file passes them too: bench/bench_import.py)."""
    report = import_file(write_xlsx(tmp_path / "ok.xlsx", [row("H1"), member("H1")]), actor=Actor.system("test"))
    assert report.written and report.persons == 2


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["registry", "projects"])
def test_both_import_commands_exit_one_with_the_limit(tmp_path: Path, command: str) -> None:
    result = runner.invoke(app, [command, "import", str(hostile.far_cell(tmp_path / "far.xlsx"))])
    assert result.exit_code == 1
    assert "数据行数超过上限 500,000 行（第 1,048,576 行仍有单元格）" in result.stderr
    assert "未写入任何数据" in result.stderr


READ_UNDER_LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from pathlib import Path
from jingzhun.registry.sheets import SheetError, read_sheet
for name in sys.argv[1:]:
    try:
        read_sheet(Path(name))
        print("read", name)
    except SheetError as exc:
        print("refused", name, exc)
"""


@pytest.mark.slow
def test_the_reader_stays_within_1_5_gb_on_hostile_files(tmp_path: Path) -> None:
    files = [hostile.far_cell(tmp_path / "far.xlsx"), hostile.million_rows(tmp_path / "million.xlsx")]
    files.append(hostile.bomb(tmp_path / "bomb.xlsx"))
    env = {**os.environ, "POLARS_MAX_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", READ_UNDER_LIMIT, *map(str, files)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["refused"] * 3, done.stdout
