"""Synthetic stays: valid STAYS input, calibrated on 兴县 2019, the 方山 worked case among them, deterministic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from jingzhun.policy.medical.settle import LINES, Settlement, settle
from jingzhun.policy.medical.stays import parse_csv
from jingzhun.synth.stays import WORKED_CASE_ID, generate_stays, write_stays_csv
from tests.synth.conftest import County


@pytest.fixture(scope="module")
def stays(county: County) -> pl.DataFrame:
    return generate_stays(county.rows, year=2019, seed=2019)


@pytest.fixture(scope="module")
def settled(stays: pl.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> list[Settlement]:
    """The generated CSV read and settled by the pure settlement, as ``jingzhun medical settle`` does."""
    path = write_stays_csv(stays, tmp_path_factory.mktemp("stays") / "stays.csv")
    return settle(parse_csv(path.read_text(encoding="utf-8")))


def test_registered_poor_in_province_stays_average_at_least_90_percent(settled: list[Settlement]) -> None:
    poor = [s for s in settled if s.stay.registered_poor and s.stay.level != "outside"]
    assert len(poor) > 200
    mean_ratio = sum(Decimal(s.ratio) for s in poor) / len(poor)
    assert mean_ratio >= Decimal("0.90")
    # 兴县 2019: 90.6 %, mean cost ≈ 8 300, mean OOP ≈ 780 a stay
    mean_cost = Decimal(sum(s.stay.total for s in poor)) / len(poor) / 100
    mean_oop = Decimal(sum(s.oop for s in poor)) / len(poor) / 100
    assert abs(mean_cost - 8300) < Decimal("0.10") * 8300, mean_cost
    assert Decimal(550) < mean_oop < Decimal(950), mean_oop
    reached = {line: sum(1 for s in settled if s.lines[line].paid > 0) for line in LINES}
    print(
        f"\n{len(settled)} stays, {len(poor)} registered-poor in province: mean ratio {mean_ratio:.4f}, "
        f"mean cost {mean_cost:.0f}, mean OOP {mean_oop:.0f}; stays paid by line {reached} "
        "(离石 2018 orientation of 1 963: 大病 288, 补充 1 724, 136 1 264, 医疗救助 202)"
    )


def test_the_fangshan_worked_case_is_one_of_the_stays_exactly(settled: list[Settlement]) -> None:
    [case] = [s for s in settled if s.stay.id == WORKED_CASE_ID]
    assert (case.stay.total, case.stay.in_catalogue, case.stay.level) == (1_050_000, 1_000_000, "county")
    assert case.stay.registered_poor and not case.stay.dibao_or_tekun
    assert {line: case.lines[line].paid for line in LINES} == {
        "basic": 882_000,
        "serious": 0,
        "supplementary": 94_400,
        "assistance": 0,
        "cap136": 0,
    }
    assert (case.oop, case.ratio) == (73_600, "0.9299")
    assert sum(1 for s in settled if s.stay.person == case.stay.person) == 1  # nothing carried into it


def test_every_stay_is_valid_and_of_the_year(stays: pl.DataFrame) -> None:
    assert stays.get_column("id").is_unique().all()
    assert (stays.get_column("in_catalogue") <= stays.get_column("total")).all()
    assert (stays.get_column("admitted") <= stays.get_column("discharged")).all()
    assert (stays.get_column("discharged").dt.year() == 2019).all()
    assert set(stays.get_column("region").unique()) == {"141102"}
    assert 0.05 < stays.get_column("dibao_or_tekun").mean() < 0.2  # type: ignore[operator]


def test_equal_seeds_give_equal_stays_and_other_seeds_others(county: County, tmp_path: Path) -> None:
    one = generate_stays(county.rows, seed=5)
    again = generate_stays(county.rows, seed=5)
    other = generate_stays(county.rows, seed=6)
    assert one.equals(again)
    assert not one.equals(other)
    a, b = write_stays_csv(one, tmp_path / "a.csv"), write_stays_csv(again, tmp_path / "b.csv")
    assert a.read_bytes() == b.read_bytes()


def test_the_command_path_settles_the_generated_stays_as_the_reference_does(
    stays: pl.DataFrame, settled: list[Settlement], tmp_path: Path
) -> None:
    """The whole county's stays through ``jingzhun medical settle``'s column path, byte for byte."""
    import io

    from jingzhun.policy.medical import fast, render
    from jingzhun.policy.medical.settle import RulesCache
    from jingzhun.policy.params import load_parameters

    path = write_stays_csv(stays, tmp_path / "stays.csv")
    frame = fast.frame_from_csv(path.read_text(encoding="utf-8"))
    assert frame is not None
    result = fast.settle_frame(frame, "year", RulesCache(load_parameters()))
    assert result is not None
    ours, theirs = io.StringIO(), io.StringIO()
    fast.write_json(*result, "year", ours)
    render.write_json(settled, theirs)
    assert ours.getvalue() == theirs.getvalue()
