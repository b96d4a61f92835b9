"""Synthetic projects and funds (扶贫项目库) for a synthetic county, in the projects import format.

``generate_projects(Path("out/regions.csv"), 2018, Path("out/projects.csv"))`` reads the regions file
that :func:`jingzhun.synth.generate.generate_county` wrote and gives every village (村; 社区 have none)
one to three projects, and half the townships a 易地扶贫搬迁 集中安置点, one row per fund allocation in
the columns of :mod:`jingzhun.projects.columns`. Equal arguments give equal bytes; the household files
are not touched, and the draws use their own random stream.

Shapes from the seeds, scaled to a village [default where no figure is given]:

* 村级光伏扶贫电站: 离石区 built 10.3 MW in 93 poor villages for 6 931 万元, about 75 万元 a village,
  and 信义镇's three 2016 stations cost 250 万元 [seed 003]; here 50–120 万元.
* 产业: 兴县 gives a village 产业基地 30–50 万元 [seed 004] (核桃经济林提质增效, 食用菌, 养殖 [seeds 002,
  003]); here 20–60 万元.
* 危房改造: 土窑洞拆旧建新 14 000 元 a household from above plus 6 000 from the county [seed 004].
* 易地搬迁: 户均自筹不超 1 万元 [seed 004]; a 集中安置点 of 40–200 households at 8–12 万元 each [default].
* Other kinds (道路, 饮水, 卫生室, 扶贫车间, 贴息) [default]: sizes of 5–150 万元.

Years 2016–2020, the 十三五 plan; projects before 2019 are 已验收, later ones 完工, 在建 or 计划.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from jingzhun.policy.money import fen_to_str
from jingzhun.projects.columns import HEADERS
from jingzhun.synth.arrays import stream

KINDS: tuple[str, ...] = (
    "产业扶贫",
    "光伏扶贫",
    "基础设施",
    "危房改造",
    "健康扶贫",
    "教育扶贫",
    "就业扶贫",
    "金融扶贫",
)
KIND_WEIGHTS = (0.30, 0.20, 0.22, 0.10, 0.06, 0.05, 0.04, 0.03)
COUNT_WEIGHTS = (0.45, 0.35, 0.20)  # 1, 2 or 3 projects a village [default]
NAMES: dict[str, tuple[str, ...]] = {
    "产业扶贫": ("核桃经济林提质增效", "食用菌种植基地", "肉牛养殖场", "小杂粮种植基地", "中药材种植基地"),
    "光伏扶贫": ("光伏扶贫电站",),
    "基础设施": ("通村道路硬化", "人畜饮水安全工程", "农田水利灌溉工程", "村级活动场所建设"),
    "危房改造": ("农村危房改造",),
    "健康扶贫": ("标准化卫生室建设",),
    "教育扶贫": ("幼儿园改扩建", "贫困学生教育资助"),
    "就业扶贫": ("扶贫车间", "贫困劳动力技能培训"),
    "金融扶贫": ("扶贫小额信贷贴息",),
}
# 万元 ranges per project [module docstring].
SIZES: dict[str, tuple[float, float]] = {
    "产业扶贫": (20, 60),
    "光伏扶贫": (50, 120),
    "基础设施": (15, 80),
    "健康扶贫": (10, 30),
    "教育扶贫": (5, 20),
    "就业扶贫": (30, 150),
    "金融扶贫": (5, 20),
}
# Which sources pay for a kind, and their shares.
SOURCES: dict[str, tuple[tuple[str, float], ...]] = {
    "产业扶贫": (("整合涉农资金", 0.6), ("县级财政专项", 0.3), ("群众自筹", 0.1)),
    "光伏扶贫": (("中央财政专项", 0.5), ("省级财政专项", 0.2), ("整合涉农资金", 0.3)),
    "基础设施": (("整合涉农资金", 0.5), ("省级财政专项", 0.3), ("县级财政专项", 0.2)),
    "危房改造": (("中央财政专项", 0.7), ("县级财政专项", 0.3)),
    "健康扶贫": (("省级财政专项", 0.5), ("县级财政专项", 0.5)),
    "教育扶贫": (("县级财政专项", 0.6), ("社会帮扶", 0.4)),
    "就业扶贫": (("整合涉农资金", 0.5), ("社会帮扶", 0.3), ("市级财政专项", 0.2)),
    "金融扶贫": (("县级财政专项", 1.0),),
    "易地扶贫搬迁": (("中央财政专项", 0.6), ("省级财政专项", 0.2), ("县级财政专项", 0.1), ("群众自筹", 0.1)),
}
# Share of a village's households a kind benefits directly [default].
REACH: dict[str, tuple[float, float]] = {
    "产业扶贫": (0.2, 0.5),
    "光伏扶贫": (0.25, 0.6),
    "基础设施": (0.8, 1.0),
    "健康扶贫": (0.9, 1.0),
    "教育扶贫": (0.05, 0.15),
    "就业扶贫": (0.1, 0.3),
    "金融扶贫": (0.1, 0.3),
}
YEARS = (2016, 2017, 2018, 2019, 2020)
RELOCATION_SHARE = 0.5  # townships with a 集中安置点 [default]
RELOCATION_HOUSEHOLDS = (40, 201)  # households a 集中安置点 takes in [default]
VILLAGE_HOUSEHOLDS = (40, 200)  # when the households file is not given [default]


@dataclass(frozen=True)
class ProjectsResult:
    path: Path
    projects: int
    allocations: int


def _status(rng: np.random.Generator, year: int) -> str:
    if year <= 2018:
        return "已验收"
    options = ("已验收", "完工") if year == 2019 else ("完工", "在建", "计划")
    weights = (0.6, 0.4) if year == 2019 else (0.3, 0.55, 0.15)
    return str(options[int(rng.choice(len(options), p=weights))])


def _split(total_fen: int, shares: Sequence[tuple[str, float]]) -> list[tuple[str, int]]:
    """Split a total into the sources' shares, each rounded to 100 元, the last taking the rest."""
    out, left = [], total_fen
    for i, (source, share) in enumerate(shares):
        fen = left if i == len(shares) - 1 else round(total_fen * share / 10_000) * 10_000
        out.append((source, fen))
        left -= fen
    return [(s, f) for s, f in out if f > 0]


def _yuan(fen: int) -> str:
    return fen_to_str(fen)


def _village_households(households_path: Path | None) -> dict[str, int]:
    if households_path is None:
        return {}
    if households_path.suffix.lower() != ".csv":
        raise ValueError(f"按村户数生成受益户数需要 households.csv，不是 {households_path.name}")
    counts = (
        pl.scan_csv(households_path, infer_schema=False)
        .select("户编号", "村代码")
        .unique("户编号")
        .group_by("村代码")
        .len()
        .collect()
    )
    return {str(code): int(n) for code, n in counts.iter_rows()}


def _village_project(
    rng: np.random.Generator, kind: str, village: str, size: int
) -> tuple[str, int, list[tuple[str, int]], str]:
    """(name, beneficiary households, allocations, description) of one village project."""
    name = village + NAMES[kind][int(rng.integers(len(NAMES[kind])))]
    if kind == "危房改造":
        households = int(rng.integers(3, 21))
        allocations = [("中央财政专项", households * 14_000_00), ("县级财政专项", households * 6_000_00)]
        return name, min(households, size), allocations, f"改造 {households} 户，户均补助 20000 元"
    low, high = SIZES[kind]
    total = int(rng.uniform(low, high) * 100) * 100_00  # whole 100 元
    lo, hi = REACH[kind]
    households = max(1, round(size * rng.uniform(lo, hi)))
    description = f"装机 {int(total / 2_500_000_00 * 300)} 千瓦" if kind == "光伏扶贫" else ""
    return name, households, _split(total, SOURCES[kind]), description


def generate_projects(
    regions_path: Path, seed: int, out: Path, *, households_path: Path | None = None
) -> ProjectsResult:
    regions = pl.read_csv(regions_path, infer_schema=False)
    missing = {"区域代码", "名称", "层级"} - set(regions.columns)
    if missing:
        raise ValueError(f"{regions_path} 不是区域文件：缺少列 {'、'.join(sorted(missing))}")
    sizes = _village_households(households_path)
    rng = stream(seed, "projects")
    rows: list[tuple[object, ...]] = []
    projects = 0

    def add(
        code: str,
        name: str,
        kind: str,
        region: str,
        year: int,
        households: int,
        funds: list[tuple[str, int]],
        description: str,
    ) -> None:
        nonlocal projects
        projects += 1
        status = _status(rng, year)
        for i, (source, fen) in enumerate(funds):
            first = i == 0
            rows.append(
                (code, name, kind, region, year, status, source, _yuan(fen), households, description or None)
                if first
                else (code, None, None, None, None, None, source, _yuan(fen), None, None)
            )

    for code, name, level in regions.select("区域代码", "名称", "层级").iter_rows():
        if level == "乡镇":
            if rng.random() < RELOCATION_SHARE:
                households = int(rng.integers(*RELOCATION_HOUSEHOLDS))
                if sizes:  # a small synthetic county: no more than a third of the township moves
                    town = sum(n for v, n in sizes.items() if v.startswith(code[:9]))
                    households = max(1, min(households, town // 3))
                funds = _split(households * int(rng.integers(80, 121)) * 1_000_00, SOURCES["易地扶贫搬迁"])
                year = int(rng.choice(YEARS[:4]))
                add(
                    f"{year}-{code}-01",
                    f"{name}易地扶贫搬迁集中安置点",
                    "易地扶贫搬迁",
                    code,
                    year,
                    households,
                    funds,
                    f"集中安置 {households} 户",
                )
            continue
        if level != "村" or not name.endswith("村"):
            continue  # 社区 (urban communities) have no village projects
        size = sizes.get(code) or int(rng.integers(*VILLAGE_HOUSEHOLDS))
        count = 1 + int(rng.choice(len(COUNT_WEIGHTS), p=COUNT_WEIGHTS))
        kinds = rng.choice(len(KINDS), size=count, replace=False, p=KIND_WEIGHTS)
        for k, kind_index in enumerate(sorted(int(i) for i in kinds)):
            kind = KINDS[kind_index]
            year = int(rng.choice(YEARS))
            title, households, funds, description = _village_project(rng, kind, name, size)
            add(f"{year}-{code}-{k + 1:02d}", title, kind, code, year, households, funds, description)

    frame = pl.DataFrame(rows, schema=list(HEADERS), orient="row")
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(out, include_bom=False, null_value="")
    return ProjectsResult(path=out, projects=projects, allocations=len(rows))
