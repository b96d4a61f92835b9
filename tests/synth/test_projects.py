"""Synthetic projects: deterministic for a seed, 1–3 projects a village, funds by the kind's sources."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jingzhun.projects import columns as c
from jingzhun.synth.projects import generate_projects
from tests.synth.conftest import County


@pytest.fixture(scope="module")
def projects(county: County, tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    out = tmp_path_factory.mktemp("projects") / "projects.csv"
    generate_projects(county.result.regions_path, 2018, out, households_path=county.result.households_path)
    return pl.read_csv(out, infer_schema=False)


def _firsts(projects: pl.DataFrame) -> pl.DataFrame:
    return projects.filter(pl.col("项目名称").is_not_null())


def test_same_seed_same_bytes_other_seed_other_projects(county: County, tmp_path: Path) -> None:
    paths = [tmp_path / f"{name}.csv" for name in ("a", "b", "c")]
    for path, seed in zip(paths, (7, 7, 8), strict=True):
        generate_projects(county.result.regions_path, seed, path, households_path=county.result.households_path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_headers_are_the_import_format(projects: pl.DataFrame) -> None:
    assert tuple(projects.columns) == c.HEADERS


def test_every_village_has_one_to_three_projects_and_communities_none(county: County, projects: pl.DataFrame) -> None:
    units = county.regions.filter(pl.col("层级") == "村")
    villages = set(units.filter(pl.col("名称").str.ends_with("村"))["区域代码"])
    communities = set(units.filter(pl.col("名称").str.ends_with("社区"))["区域代码"])
    per_region = _firsts(projects).group_by("所在区域代码").len()
    counts = dict(per_region.iter_rows())
    assert villages <= set(counts)
    assert not communities & set(counts)
    assert {counts[v] for v in villages} <= {1, 2, 3}
    assert {1, 2, 3} <= {counts[v] for v in villages}


def test_codes_are_unique_and_names_carry_the_village(county: County, projects: pl.DataFrame) -> None:
    firsts = _firsts(projects)
    assert firsts["项目编号"].n_unique() == firsts.height
    names = dict(county.regions.select("区域代码", "名称").iter_rows())
    assert all(name.startswith(names[code]) for code, name in firsts.select("所在区域代码", "项目名称").iter_rows())


def test_cells_use_the_template_values(projects: pl.DataFrame) -> None:
    firsts = _firsts(projects)
    assert set(firsts["类型"]) <= set(c.KINDS)
    assert set(firsts["状态"]) <= set(c.STATUSES)
    assert set(projects["资金来源"]) <= set(c.SOURCES)
    amounts = projects["金额（元）"].str.extract(r"^(\d+)\.(\d\d)$", 1).cast(pl.Int64)
    assert amounts.null_count() == 0 and amounts.min() > 0
    assert firsts["年度"].cast(pl.Int64).is_between(2016, 2020).all()


def test_beneficiaries_never_exceed_the_village_households(county: County, projects: pl.DataFrame) -> None:
    households = county.rows.select("户编号", "村代码").unique().group_by("村代码").len()
    size = dict(households.iter_rows())
    firsts = _firsts(projects).filter(pl.col("所在区域代码").str.slice(9) != "000")
    for code, n in firsts.select("所在区域代码", pl.col("受益户数").cast(pl.Int64)).iter_rows():
        assert 1 <= n <= size[code]


def test_pv_stations_cost_what_the_seeds_report(projects: pl.DataFrame) -> None:
    """离石区: 6 931 万元 for 93 village stations, about 75 万元 each [seed 003]."""
    pv = _firsts(projects).filter(pl.col("类型") == "光伏扶贫")["项目编号"]
    totals = (
        projects.filter(pl.col("项目编号").is_in(pv.implode()))
        .group_by("项目编号")
        .agg(pl.col("金额（元）").cast(pl.Float64).sum())
    )
    assert 500_000 <= totals["金额（元）"].mean() <= 1_200_000
