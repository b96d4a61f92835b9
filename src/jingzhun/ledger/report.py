"""月通报 (monthly bulletin) figures: recipients and amounts per program for the county, each township and
each village, against the previous month; and the shape of 离石区's published 2018 totals beside ours.

Figures are the ledger's net (reversals and adjustments included). A program's 户数 counts households
with a positive net; 人数 counts persons for person lines and the persons a household line covers (for
低保补差 the members who are not 特困) — taken from the key's latest line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from jingzhun.ledger.queries import PROGRAM_ORDER, previous_month, scoped
from jingzhun.policy.vocabulary import PROGRAM_NAMES

# Cited by title: a 月通报 is read outside the project, where its file paths mean nothing (issue #15). The
# article is ../shared/seeds/000_420c4c6fe8ca174a.txt in the project's sources.
SEED_SOURCE = "《吕梁日报》离石区兜底保障报道（2018 年全年数字）"


@dataclass(frozen=True)
class SeedFigure:
    """One published 2018 figure of 离石区 and the programs of ours it corresponds to."""

    label: str
    programs: tuple[str, ...]
    households: int | None
    persons: int | None
    amount_yuan: int | None  # the whole year, yuan
    quote: str
    care_setting: str | None = None
    registered_only: bool = False


SEED_FIGURES: tuple[SeedFigure, ...] = (
    SeedFigure("农村低保", ("dibao", "dibao_classified"), 5379, 6808, 19_038_300,
               "农村低保兜底保障 5379 户，6808 人，发放保障金 1903.83 万元"),
    SeedFigure("其中建档立卡贫困户", ("dibao", "dibao_classified"), 1898, 3160, 7_174_000,
               "其中建档立卡贫困户 1898 户，3160 人……兜底保障 717.4 万元", registered_only=True),
    SeedFigure("特困供养（合计）", ("tekun_basic", "tekun_care"), None, 850, 5_245_000,
               "农村分散供养人员 808 人，集中供养人员 42 人，发放救助金 524.5 万元"),
    SeedFigure("特困 分散供养", ("tekun_basic",), None, 808, None, "农村分散供养人员 808 人", care_setting="home"),
    SeedFigure("特困 集中供养", ("tekun_basic",), None, 42, None, "集中供养人员 42 人", care_setting="institution"),
    SeedFigure("困难残疾人生活补贴", ("disability_living",), None, 1770, 1_044_600,
               "发放残疾人生活补贴 1770 人，104.46 万元"),
    SeedFigure("高龄补贴", ("elderly_allowance",), None, 821, 279_180,
               "发放生活困难的高龄老人 821 名，发放补贴 27.918 万元"),
    SeedFigure("失能老人补贴", ("disabled_elder_allowance",), None, 30, 24_120,
               "发放生活困难的失能老年人（经医院鉴定）30 名，发放补贴 24120 元"),
    SeedFigure("大病关怀救助", ("major_illness_care",), None, 39, 195_000, "大病关怀救助 39 人，发放救助金 19.5 万元"),
)  # fmt: skip


@dataclass
class Row:
    """One region × program (or region total when ``program`` is ``""``)."""

    level: str
    code: str
    name: str
    program: str
    households: int
    persons: int
    amount_fen: int
    last_households: int
    last_amount_fen: int

    @property
    def program_name(self) -> str:
        return PROGRAM_NAMES.get(self.program, "合计")


@dataclass
class SeedRow:
    figure: SeedFigure
    households: int
    persons: int
    month_fen: int
    year_fen: int | None


@dataclass
class Report:
    month: dt.date
    region_prefix: str
    scope_name: str
    rows: list[Row] = field(default_factory=list)
    seed: list[SeedRow] = field(default_factory=list)

    def at(self, level: str, *, totals: bool) -> list[Row]:
        return [r for r in self.rows if r.level == level and (r.program == "") == totals]

    def summary(self) -> list[Row]:
        """Each county's programs followed by its 合计 row."""
        return [r for r in self.rows if r.level == "county"]


def _keys(first: dt.date, region_prefix: str) -> pl.DataFrame:
    """Net and covered persons per key for the month and the one before, with region codes."""
    months = [first, previous_month(first)]
    rows = (
        scoped(region_prefix)
        .filter(month__in=months)
        .values_list(
            "id", "month", "household_id", "household__village__code", "person_id", "program", "amount_fen", "persons"
        )
        .order_by("id")
    )
    schema = {"id": pl.Int64, "month": pl.Date, "household": pl.Int64, "village": pl.String, "person": pl.Int64,
              "program": pl.String, "amount": pl.Int64, "persons": pl.Int64}  # fmt: skip
    lines = pl.DataFrame(list(rows), schema=schema, orient="row").with_columns(pl.col("person").fill_null(0))
    keys = lines.group_by("month", "household", "person", "program").agg(
        net=pl.col("amount").sum(), persons=pl.col("persons").last(), village=pl.col("village").first()
    )
    return keys.filter(pl.col("net") > 0).with_columns(
        covered=pl.when(pl.col("person") > 0).then(1).otherwise(pl.col("persons")),
        county=pl.col("village").str.slice(0, 6),
        township=pl.col("village").str.slice(0, 9) + "000",
    )


def build_report(first: dt.date, region_prefix: str = "") -> Report:
    from jingzhun.registry.models import Region

    keys = _keys(first, region_prefix)
    codes = set()
    for level in ("county", "township", "village"):
        codes |= set(keys[level].unique().to_list())
    names = dict(Region.objects.filter(code__in=sorted(codes)).values_list("code", "name"))
    report = Report(first, region_prefix, _scope_name(region_prefix))
    this, last = keys.filter(pl.col("month") == first), keys.filter(pl.col("month") != first)
    for level in ("county", "township", "village"):
        for with_program in (True, False):
            by = [level, "program"] if with_program else [level]
            cur = _aggregate(this, by)
            prev = _aggregate(last, by).drop("persons")
            prev = prev.rename({"households": "last_households", "amount": "last_amount"})
            merged = cur.join(prev, on=by, how="full", coalesce=True).fill_null(0)
            for r in merged.iter_rows(named=True):
                program = r["program"] if with_program else ""
                report.rows.append(
                    Row(
                        level,
                        r[level],
                        names.get(r[level], r[level]),
                        program,
                        r["households"],
                        r["persons"],
                        r["amount"],
                        r["last_households"],
                        r["last_amount"],
                    )
                )
    report.rows.sort(key=lambda r: (r.level, r.code, PROGRAM_ORDER.get(r.program, len(PROGRAM_ORDER))))
    report.seed = _seed_rows(first, region_prefix, this)
    return report


def _aggregate(keys: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    return keys.group_by(by).agg(
        households=pl.col("household").n_unique().cast(pl.Int64),
        persons=pl.col("covered").sum().cast(pl.Int64),
        amount=pl.col("net").sum().cast(pl.Int64),
    )


def _seed_rows(first: dt.date, region_prefix: str, this: pl.DataFrame) -> list[SeedRow]:
    """Our month (and year to date) beside each published figure. 建档立卡 and care setting are read from
    the registry as it stands now; their year-to-date is not derived (shown as —)."""
    from django.db.models import Sum

    from jingzhun.registry.models import Household, Person

    year = dict(
        scoped(region_prefix)
        .filter(month__gte=first.replace(month=1), month__lte=first)
        .values_list("program")
        .annotate(net=Sum("amount_fen"))
        .order_by()
    )
    households = Household.objects.filter(village__code__startswith=region_prefix)
    registered = list(households.filter(registered_year__isnull=False).values_list("pk", flat=True))
    institution = list(
        Person.objects.filter(household__in=households, care_setting="institution").values_list("pk", flat=True)
    )
    out = []
    for figure in SEED_FIGURES:
        keys = this.filter(pl.col("program").is_in(figure.programs))
        if figure.registered_only:
            keys = keys.filter(pl.col("household").is_in(registered))
        if figure.care_setting:
            keys = keys.filter(pl.col("person").is_in(institution) == (figure.care_setting == "institution"))
        head = keys.filter(pl.col("program") == figure.programs[0])
        derived = not (figure.care_setting or figure.registered_only)
        out.append(
            SeedRow(
                figure,
                households=head["household"].n_unique(),
                persons=int(head["covered"].sum()),
                month_fen=int(keys["net"].sum()),
                year_fen=sum(year.get(p, 0) for p in figure.programs) if derived else None,
            )
        )
    return out


def _scope_name(region_prefix: str) -> str:
    from jingzhun.registry.models import Region

    if not region_prefix:
        return "吕梁市（全部）"
    code = {2: "0000", 4: "00", 6: "", 9: "000", 12: ""}.get(len(region_prefix), "")
    region = Region.objects.filter(code=region_prefix + code).first()
    return region.name if region else region_prefix
