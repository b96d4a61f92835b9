"""一保通 comprehensive insurance (交口县 model) — POLICY.md §6, pure: the covers, the four ruled covers, the portfolio.

交口县 insures every rural household of the county under one county-bought policy per household and year
with 19 covers [seed 003]. Here:

* :data:`COVERS` — the 19 covers as data (code, name, premium per household or per unit, unit, who pays);
  the premium and the sum insured of each are dated parameters (``insurance.premium.<code>``,
  ``insurance.sum_insured.<code>``), read with :func:`cover_terms`. The source names four covers; the other
  fifteen are typical Shanxi 扶贫综合保险 covers marked ``default: true`` in the parameter files.
* The four ruled covers, computed, never typed:

  - 脱贫返贫保险 — :func:`income_gap_claims` runs the engine's ``income_gap_insurance`` program (policy/
    programs/income_gap_insurance.py) in December and takes its lines; nothing is re-implemented here.
  - 慢性病门诊补充 — :func:`chronic_outpatient`: 基本医保 pays the default outpatient rate (80 %) of the
    in-catalogue cost, the 一保通 supplement 100 % (43 province-listed diseases) or 90 % (75 added) of the
    rest, where the region runs 一保通; the two disease lists are data (``parameters/insurance/
    chronic_diseases.csv``: list, code, name — placeholders, marked so, until the real lists are entered).
  - 食用菌 — :func:`fungus_disaster` (sticks lost × 4.5) and :func:`fungus_price` ((insured − market price)
    × insured quantity, when the market is lower; insured prices are a parameter table).
  - 小额信贷保证 — :func:`microcredit_split`: a defaulted loss shared government : bank : insurer = 2 : 1 : 7.

* :func:`portfolio` — premiums, claims, loss ratio (claims / premiums, half-up to two decimals), households
  insured and paid, by cover and year (Polars frames in, Polars frame out: 27 000 households × 19 covers).

Money is integer fen; rates are exact fractions of their decimal strings; every payment is rounded half-up
to the fen once, at the end of its own formula. Invalid input raises :class:`InsuranceError` whose message
names the field in Chinese.

Ambiguities resolved: the microcredit shares are rounded so they add up to the loss exactly — government
and bank half-up, the insurer the rest; a disaster claim for more sticks than insured is invalid, not
capped; the fungus price cover pays nothing when the market price is at or above the insured price.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import ParameterTree, Resolved, load_parameters
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PROGRAM_INCOME_GAP = "income_gap_insurance"
DISEASES_FILE = Path(__file__).resolve().parent / "parameters" / "insurance" / "chronic_diseases.csv"
ENABLED = "insurance.enabled"
DISEASE_LISTS = {"listed": "省定 43 种病种", "added": "新增 75 种病种"}
FUNGUS_KINDS = {"shiitake": "香菇", "oyster": "平菇"}


class InsuranceError(ValueError):
    """Invalid input to a ruled cover; the message names the field in Chinese."""


@dataclass(frozen=True, slots=True)
class Cover:
    code: str
    name: str
    basis: str  # "household": premium per household; "unit": per insured unit
    unit: str  # 户, 亩, 头, 只, 棒, 万元贷款
    payer: str  # who pays the premium
    ruled: bool  # claims computed by a rule here (the four of POLICY.md §6), else recorded claims


_COUNTY = "县财政"
COVERS: tuple[Cover, ...] = (
    Cover("income_gap", PROGRAM_NAMES["income_gap_insurance"], "household", "户", _COUNTY, True),
    Cover("chronic_outpatient", "慢性病门诊补充医疗保险", "household", "户", _COUNTY, True),
    Cover("fungus", "食用菌保险（自然灾害、价格）", "unit", "棒", _COUNTY, True),
    Cover("microcredit", "小额信贷保证保险", "unit", "万元贷款", _COUNTY, True),
    Cover("accident", "意外伤害保险", "household", "户", _COUNTY, False),
    Cover("serious_illness", "大病补充医疗保险", "household", "户", _COUNTY, False),
    Cover("hospital_care", "住院护理补贴保险", "household", "户", _COUNTY, False),
    Cover("house", "农房保险", "household", "户", _COUNTY, False),
    Cover("property", "家庭财产保险", "household", "户", _COUNTY, False),
    Cover("student", "贫困学生助学保险", "household", "户", _COUNTY, False),
    Cover("migrant_worker", "外出务工人员意外保险", "household", "户", _COUNTY, False),
    Cover("elderly", "高龄老人意外保险", "household", "户", _COUNTY, False),
    Cover("maize", "玉米种植保险", "unit", "亩", _COUNTY, False),
    Cover("millet", "谷子种植保险", "unit", "亩", _COUNTY, False),
    Cover("potato", "马铃薯种植保险", "unit", "亩", _COUNTY, False),
    Cover("walnut", "核桃种植保险", "unit", "亩", _COUNTY, False),
    Cover("sow", "能繁母猪保险", "unit", "头", _COUNTY, False),
    Cover("cattle", "肉牛养殖保险", "unit", "头", _COUNTY, False),
    Cover("sheep", "肉羊养殖保险", "unit", "只", _COUNTY, False),
)
BY_CODE: dict[str, Cover] = {c.code: c for c in COVERS}


def _tree(tree: ParameterTree | None) -> ParameterTree:
    return tree if tree is not None else load_parameters()


def _fen(resolved: Resolved) -> int:
    """A money parameter (yuan, at most two decimals) in fen."""
    value = Fraction(resolved.value) * 100  # type: ignore[arg-type]
    assert value.denominator == 1, resolved
    return int(value)


def _fraction(resolved: Resolved) -> Fraction:
    return Fraction(resolved.value)  # type: ignore[arg-type]


def _half_up(value: Fraction) -> int:
    """A non-negative amount of fen, rounded half-up to a whole fen."""
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def enabled(region: str, at: dt.date, tree: ParameterTree | None = None) -> bool:
    """Does ``region`` run 一保通 on ``at`` (交口县 from 2018)?"""
    return _tree(tree).resolve(ENABLED, region, at).value is True


# The 19 covers --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoverTerms:
    cover: Cover
    premium_fen: int  # per household or per unit, in fen (the fungus premium 0.36 = 36 fen a stick)
    sum_insured_fen: int
    parameters: tuple[Resolved, Resolved]


def cover_terms(region: str, at: dt.date, tree: ParameterTree | None = None) -> list[CoverTerms]:
    """The 19 covers with their premium and sum insured in force; :class:`MissingParameter` when absent."""
    t = _tree(tree)
    out = []
    for cover in COVERS:
        premium = t.resolve(f"insurance.premium.{cover.code}", region, at)
        insured = t.resolve(f"insurance.sum_insured.{cover.code}", region, at)
        out.append(CoverTerms(cover, _fen(premium), _fen(insured), (premium, insured)))
    return out


def premium_fen(terms: CoverTerms, units: Decimal | int = 1) -> int:
    """The premium of ``units`` insured units (1 for a household cover), half-up to the fen."""
    amount = Fraction(units)
    if amount < 0:
        raise InsuranceError(f"投保数量 [units]：不得为负数：{units}")
    if terms.cover.basis == "household" and amount != 1:
        raise InsuranceError(f"投保数量 [units]：{terms.cover.name} 按户投保，数量应为 1，得到 {units}")
    return _half_up(amount * terms.premium_fen)


# 脱贫返贫保险: the engine's program in December ------------------------------------------------------------


@dataclass(frozen=True)
class IncomeGapResult:
    claims: dict[str, int]  # household id → fen, only households paid
    errors: dict[str, list[str]]  # household id → why it could not be computed


def income_gap_claims(document: Any, year: int, tree: ParameterTree | None = None) -> IncomeGapResult:
    """Run the engine for December of ``year`` and keep the ``income_gap_insurance`` lines.

    ``document`` is a household document (a :class:`~jingzhun.policy.document.Document` or its decoded
    mapping, POLICY.md §1). The program itself decides who is paid (交口 from 2018, rural households, per
    capita income below the year's line); households outside a region that runs it get nothing.
    """
    from jingzhun.policy.engine import compute_document

    result = compute_document(document, f"{year:04d}-12", params=_tree(tree))
    claims: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for household in result.households:
        if household.errors:
            errors[household.id] = list(household.errors)
        paid = sum(line.amount_fen for line in household.lines if line.program == PROGRAM_INCOME_GAP)
        if paid:
            claims[household.id] = paid
    return IncomeGapResult(claims, errors)


# 慢性病门诊补充 ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Disease:
    list: str  # "listed" (省定 43 种) | "added" (新增 75 种)
    code: str
    name: str
    placeholder: bool  # the name is a placeholder until the real list is entered


@cache
def diseases() -> dict[str, Disease]:
    """The two chronic-disease lists (``parameters/insurance/chronic_diseases.csv``) by code.

    The real lists are not at hand: every row is a placeholder (``placeholder = true``), 43 + 75 of them, to
    be replaced by the province's and the county's lists; the supplement rate follows the row's list.
    """
    with DISEASES_FILE.open(encoding="utf-8", newline="") as f:
        rows = [Disease(r["list"], r["code"], r["name"], r["placeholder"] == "true") for r in csv.DictReader(f)]
    return {d.code: d for d in rows}


def disease_list(code: str) -> str:
    """``"listed"`` or ``"added"`` for a certified disease code; :class:`InsuranceError` for an unknown one."""
    found = diseases().get(code)
    if found is None:
        raise InsuranceError(f"病种代码 [disease]：不在省定 43 种或新增 75 种目录中：{code!r}")
    return found.list


@dataclass(frozen=True, slots=True)
class ChronicResult:
    basic_fen: int  # 基本医保's chronic outpatient benefit
    supplement_fen: int  # the 一保通 supplement (0 where the region does not run it)
    oop_fen: int  # what the patient pays of the in-catalogue cost
    sentence: str


def chronic_outpatient(
    in_catalogue_fen: int, disease_list: str, region: str, at: dt.date, tree: ParameterTree | None = None
) -> ChronicResult:
    """One outpatient claim of a certified chronic-disease patient: the default rate, then the supplement."""
    if type(in_catalogue_fen) is not int or in_catalogue_fen < 0:
        raise InsuranceError(f"目录内门诊费用 [in_catalogue]：应为非负整数（分），得到 {in_catalogue_fen!r}")
    if disease_list not in DISEASE_LISTS:
        raise InsuranceError(f"病种目录 [disease_list]：须为 {' | '.join(DISEASE_LISTS)}，得到 {disease_list!r}")
    t = _tree(tree)
    rate = _fraction(t.resolve("insurance.chronic.basic_rate", region, at))
    basic = _half_up(in_catalogue_fen * rate)
    left = in_catalogue_fen - basic
    supplement = 0
    text = f"基本医保 = {_y(in_catalogue_fen)} × {_pct(rate)} = {_y(basic)} 元"
    if enabled(region, at, t):
        sup_rate = _fraction(t.resolve(f"insurance.chronic.supplement_{disease_list}", region, at))
        supplement = _half_up(left * sup_rate)
        text += f"；一保通补充 = {_y(left)} × {_pct(sup_rate)}（{DISEASE_LISTS[disease_list]}） = {_y(supplement)} 元"
    else:
        text += "；本地未实行一保通，无补充"
    oop = left - supplement
    return ChronicResult(basic, supplement, oop, text + f"；个人自付 {_y(oop)} 元")


# 食用菌 ----------------------------------------------------------------------------------------------------


def fungus_disaster(
    sticks_lost: int, sticks_insured: int, region: str, at: dt.date, tree: ParameterTree | None = None
) -> int:
    """Disaster cover: sticks lost × the sum insured per stick (4.5 yuan in 2018), in fen."""
    for name, label, value in (
        ("sticks_lost", "受灾棒数", sticks_lost),
        ("sticks_insured", "投保棒数", sticks_insured),
    ):
        if type(value) is not int or value < 0:
            raise InsuranceError(f"{label} [{name}]：应为非负整数，得到 {value!r}")
    if sticks_lost > sticks_insured:
        raise InsuranceError(f"受灾棒数 [sticks_lost]：{sticks_lost} 多于投保棒数 {sticks_insured}")
    per_stick = _fen(_tree(tree).resolve("insurance.sum_insured.fungus", region, at))
    return sticks_lost * per_stick


def fungus_price(
    kind: str,
    market_price: Decimal,
    quantity: Decimal,
    region: str,
    at: dt.date,
    tree: ParameterTree | None = None,
) -> int:
    """Price cover: (insured price − market price) × insured quantity (斤) when the market is lower, in fen.

    The insured price is the parameter ``insurance.fungus_price.<kind>``; the market price comes from the
    price table of the settlement date (data, not a parameter).
    """
    if kind not in FUNGUS_KINDS:
        raise InsuranceError(f"品种 [kind]：须为 {' | '.join(FUNGUS_KINDS)}，得到 {kind!r}")
    for name, label, value in (("market_price", "市场价格", market_price), ("quantity", "投保数量（斤）", quantity)):
        if not isinstance(value, Decimal | int) or isinstance(value, bool) or value < 0:
            raise InsuranceError(f"{label} [{name}]：应为非负的十进制数（Decimal），得到 {value!r}")
    insured = _fraction(_tree(tree).resolve(f"insurance.fungus_price.{kind}", region, at))
    gap = insured - Fraction(market_price)
    if gap <= 0:
        return 0
    return _half_up(gap * Fraction(quantity) * 100)


# 小额信贷保证 ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LossSplit:
    government_fen: int
    bank_fen: int
    insurer_fen: int


def microcredit_split(
    loss_fen: int, loan_fen: int, term_years: int, region: str, at: dt.date, tree: ParameterTree | None = None
) -> LossSplit:
    """A defaulted loan's loss shared government : bank : insurer (2 : 1 : 7); the insurer's is the claim."""
    t = _tree(tree)
    for name, label, value in (("loss", "违约损失", loss_fen), ("loan", "贷款金额", loan_fen)):
        if type(value) is not int or value < 0:
            raise InsuranceError(f"{label} [{name}]：应为非负整数（分），得到 {value!r}")
    cap = _fen(t.resolve("insurance.microcredit_loan_cap", region, at))
    longest = t.resolve("insurance.microcredit_term", region, at).value
    if loan_fen > cap:
        raise InsuranceError(f"贷款金额 [loan]：{_y(loan_fen)} 元超过每户上限 {_y(cap)} 元")
    if type(term_years) is not int or not 0 < term_years <= longest:  # type: ignore[operator]
        raise InsuranceError(f"贷款期限 [term_years]：应为 1–{longest} 年，得到 {term_years!r}")
    if loss_fen > loan_fen:
        raise InsuranceError(f"违约损失 [loss]：{_y(loss_fen)} 元大于贷款金额 {_y(loan_fen)} 元")
    shares = [_fraction(t.resolve(f"insurance.microcredit.{p}_share", region, at)) for p in ("government", "bank")]
    insurer_share = _fraction(t.resolve("insurance.microcredit.insurer_share", region, at))
    if sum(shares) + insurer_share != 1:
        raise InsuranceError("小额信贷分担比例之和不为 1（参数 insurance.microcredit.*_share）")
    government, bank = (_half_up(loss_fen * s) for s in shares)
    return LossSplit(government, bank, loss_fen - government - bank)


# Portfolio ------------------------------------------------------------------------------------------------

PREMIUM_SCHEMA = {"household": pl.String, "year": pl.Int32, "cover": pl.String, "premium_fen": pl.Int64}
CLAIM_SCHEMA = {"household": pl.String, "year": pl.Int32, "cover": pl.String, "amount_fen": pl.Int64}


def loss_ratio(claims_fen: int, premiums_fen: int) -> str:
    """claims / premiums, half-up to two decimals ("0.93"); "—" when there is no premium."""
    if premiums_fen <= 0:
        return "—"
    units = (2 * claims_fen * 100 + premiums_fen) // (2 * premiums_fen)
    return f"{units // 100}.{units % 100:02d}"


def portfolio(premiums: pl.DataFrame, claims: pl.DataFrame) -> pl.DataFrame:
    """By year and cover (and ``cover = "total"`` per year): premiums, claims, loss ratio, households.

    ``premiums``: one row per household, year and cover (:data:`PREMIUM_SCHEMA`); ``claims``: one row per
    paid claim (:data:`CLAIM_SCHEMA`). Columns out: ``year``, ``cover``, ``name``, ``premiums_fen``,
    ``claims_fen``, ``loss_ratio`` (text, two decimals), ``households_insured``, ``households_paid``.
    """
    for frame, schema, what in ((premiums, PREMIUM_SCHEMA, "premiums"), (claims, CLAIM_SCHEMA, "claims")):
        missing = [c for c in schema if c not in frame.columns]
        if missing:
            raise InsuranceError(f"{what}：缺少列 {', '.join(missing)}")
        if frame.height and (frame.get_column(list(schema)[-1]) < 0).any():
            raise InsuranceError(f"{what}：金额不得为负数")
    p = premiums.select(list(PREMIUM_SCHEMA)).cast(PREMIUM_SCHEMA)  # type: ignore[arg-type]
    c = claims.select(list(CLAIM_SCHEMA)).cast(CLAIM_SCHEMA)  # type: ignore[arg-type]
    per_cover = _summary(p, c, ["year", "cover"])
    total = _summary(p, c, ["year"]).with_columns(cover=pl.lit("total"))
    names = pl.DataFrame({"cover": [*BY_CODE, "total"], "name": [*(x.name for x in COVERS), "合计"]})
    out = pl.concat([per_cover, total.select(per_cover.columns)]).join(names, on="cover", how="left")
    order = {code: i for i, code in enumerate([*BY_CODE, "total"])}
    out = out.with_columns(pl.col("cover").replace_strict(order, default=len(order)).alias("_order"))
    ratio = [loss_ratio(cl, pr) for cl, pr in zip(out["claims_fen"], out["premiums_fen"], strict=True)]
    return (
        out.with_columns(loss_ratio=pl.Series(ratio, dtype=pl.String))
        .sort("year", "_order", "cover")
        .select(
            "year",
            "cover",
            pl.col("name").fill_null(pl.col("cover")),
            "premiums_fen",
            "claims_fen",
            "loss_ratio",
            "households_insured",
            "households_paid",
        )
    )


def _summary(p: pl.DataFrame, c: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    premiums = p.group_by(keys).agg(
        pl.col("premium_fen").sum().alias("premiums_fen"), pl.col("household").n_unique().alias("households_insured")
    )
    claims = (
        c.filter(pl.col("amount_fen") > 0)
        .group_by(keys)
        .agg(pl.col("amount_fen").sum().alias("claims_fen"), pl.col("household").n_unique().alias("households_paid"))
    )
    return premiums.join(claims, on=keys, how="full", coalesce=True).with_columns(
        pl.col("premiums_fen", "claims_fen").fill_null(0).cast(pl.Int64),
        pl.col("households_insured", "households_paid").fill_null(0).cast(pl.Int64),
    )


# Helpers --------------------------------------------------------------------------------------------------


def _y(fen: int) -> str:
    return fen_to_str(fen)


def _pct(rate: Fraction) -> str:
    from jingzhun.policy.money import fraction_to_str

    return fraction_to_str(rate * 100) + "%"


def claims_frame(rows: Iterable[tuple[str, int, str, int]]) -> pl.DataFrame:
    """(household, year, cover, fen) tuples as a claims frame."""
    return pl.DataFrame(list(rows), schema=CLAIM_SCHEMA, orient="row")


def premiums_frame(rows: Iterable[tuple[str, int, str, int]]) -> pl.DataFrame:
    """(household, year, cover, fen) tuples as a premiums frame."""
    return pl.DataFrame(list(rows), schema=PREMIUM_SCHEMA, orient="row")


def totals(table: pl.DataFrame, year: int) -> Mapping[str, Any]:
    """The ``total`` row of one year."""
    [row] = table.filter((pl.col("year") == year) & (pl.col("cover") == "total")).iter_rows(named=True)
    return row
