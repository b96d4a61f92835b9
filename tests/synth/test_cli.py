from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jingzhun.cli import app


def test_synth_writes_both_files_and_reports_in_chinese(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", "--households", "300", "--seed", "5", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "regions.csv").is_file()
    assert (tmp_path / "households.csv").is_file()
    assert "建档立卡户" in result.output


def test_synth_refuses_an_unknown_county_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", "--region", "999999", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert not (tmp_path / "households.csv").exists()
