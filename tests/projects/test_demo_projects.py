"""The demo's projects step: a synthetic county's projects.csv imports whole and shows on its pages."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jingzhun.core.actions import Actor
from jingzhun.projects.models import FundAllocation, Project
from jingzhun.projects.queries import public_projects, totals_by_region

pytestmark = pytest.mark.django_db


def test_demo_imports_every_synthetic_project_with_its_funds(tmp_path: Path) -> None:
    from jingzhun.cli.demo import import_demo_projects
    from jingzhun.registry.importer import import_file
    from jingzhun.synth.generate import generate_county

    synth = generate_county("141102", 300, 2018, tmp_path)
    actor = Actor.system("test")
    assert import_file(synth.regions_path, actor=actor).written

    message = import_demo_projects(synth.regions_path, synth.households_path, 2018, actor)

    rows = pl.read_csv(tmp_path / "projects.csv", infer_schema=False)
    assert Project.objects.count() == rows["项目编号"].n_unique()
    assert FundAllocation.objects.count() == rows.height
    assert message.startswith(f"已导入 projects.csv：项目 {rows['项目编号'].n_unique()} 个")
    village = rows.filter(pl.col("项目名称").is_not_null())["所在区域代码"][0]
    assert public_projects(village)
    county_total = sum(t.amount_fen for t in totals_by_region("141102"))
    assert county_total == sum(p.funds_fen for p in public_projects("141102")) > 0
