"""A synthetic 交口县 (141130) 一保通 portfolio for one year — deterministic by seed, vectorised, at a scale.

``synth_portfolio(scale=1.0, seed=2018, year=2018)`` draws ``27 000 × scale`` rural households (members,
incomes), insures every one of them under the 19 covers (premiums from the dated parameters,
``insurance.premium.*``), computes the four ruled covers' claims with the rules of
:mod:`jingzhun.policy.insurance` — 脱贫返贫 by the engine's ``income_gap_insurance`` in December — and draws
the other covers' claims, then summarises with :func:`jingzhun.policy.insurance.portfolio`.

Target shape [seed 003, 交口 2018]: 27 000 households insured, premiums ≈ 13 000 000, claims ≈ 12 000 000
("赔付1200余万元"), loss ratio 93 %, 10 987 households paid — all scaled by ``scale``. Each rate below is a
[default] chosen so that the computed portfolio lands there (tests/synth/test_insurance.py computes it):

At scale 1 (seed 2018) it lands at 27 000 households, premiums 13 154 120, claims 12 309 957, loss ratio
0.94, 10 942 households paid (bench/bench_insurance.py prints it).

* households: 1–6 members (shares 15/25/25/20/10/5 %), ages 0–90; per-capita income lognormal, median
  7 000 yuan, σ 0.55, so ≈ 5 % fall below 2018's line of 2 995 (交口's 贫困发生率 0.73 % at the end of 2018
  counts households after all support; here the income before the insurance's top-up) [default].
* unit covers (share of households, mean units): 玉米 50 % × 6 亩, 谷子 25 % × 3 亩, 马铃薯 25 % × 2 亩,
  核桃 15 % × 4 亩, 能繁母猪 2 % × 3 头, 肉牛 1.5 % × 4 头, 肉羊 3 % × 25 只, 食用菌 1.5 % × 5 000 棒,
  小额信贷 6 % × 3 万元 (7 052 households borrowed over the years [seed], a third of them in one year)
  [default].
* 慢性病门诊: 12 % of households have a certified patient, in-catalogue outpatient cost lognormal with
  mean 3 200 a year, 40 % of them on the 43 province-listed diseases [default].
* 食用菌: 2018's market prices 香菇 3.70, 平菇 2.30 yuan/斤 (below the insured 4.00 / 2.50), 1 斤 a stick
  of the insured quantity; a tenth of the growers lose 10–40 % of their sticks to a disaster [default].
* 小额信贷: 1.5 % of the loans default, losing 30–100 % of the principal [default].
* other covers: a yearly claim probability and a mean share of the sum insured per claim (``OTHER_CLAIMS``)
  [default]: crops and livestock claim often and little (drought, disease), accidents rarely and a lot.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import polars as pl

from jingzhun.policy import insurance
from jingzhun.policy.document import Document, Household, Member
from jingzhun.policy.params import ParameterTree, load_parameters

REGION = "141130"
HOUSEHOLDS = 27_000
SIZE_P = (0.15, 0.25, 0.25, 0.20, 0.10, 0.05)
INCOME_MEDIAN = 7_000
INCOME_SIGMA = 0.55
UNIT_COVERS = {  # cover: (share of households, mean units) [default]
    "maize": (0.50, 6),
    "millet": (0.25, 3),
    "potato": (0.25, 2),
    "walnut": (0.15, 4),
    "sow": (0.02, 3),
    "cattle": (0.015, 4),
    "sheep": (0.03, 25),
    "fungus": (0.015, 5_000),
    "microcredit": (0.06, 3),  # 万元
}
CHRONIC_SHARE = 0.12
CHRONIC_MEAN = 3_200  # yuan a year, in catalogue
CHRONIC_LISTED = 0.40
FUNGUS_MARKET = {"shiitake": Decimal("3.70"), "oyster": Decimal("2.30")}  # yuan/斤, 2018 [default]
FUNGUS_DISASTER = (0.10, 0.10, 0.40)  # share of growers hit, least and most of their sticks lost
MICROCREDIT_DEFAULT = (0.015, 0.30, 1.00)  # share of loans, least and most of the principal lost
OTHER_CLAIMS = {  # cover: (yearly probability of a claim, mean share of the sum insured per claim) [default]
    "accident": (0.002, 0.25),
    "serious_illness": (0.01, 0.085),
    "hospital_care": (0.035, 0.21),
    "house": (0.004, 0.10),
    "property": (0.01, 0.08),
    "student": (0.015, 0.20),
    "migrant_worker": (0.0015, 0.20),
    "elderly": (0.004, 0.15),
    "maize": (0.18, 0.18),
    "millet": (0.18, 0.18),
    "potato": (0.18, 0.18),
    "walnut": (0.22, 0.09),
    "sow": (0.08, 0.60),
    "cattle": (0.05, 0.50),
    "sheep": (0.08, 0.40),
}


@dataclass(frozen=True)
class SynthPortfolio:
    year: int
    households: int
    document: Document
    premiums: pl.DataFrame  # insurance.PREMIUM_SCHEMA
    claims: pl.DataFrame  # insurance.CLAIM_SCHEMA
    table: pl.DataFrame  # insurance.portfolio(premiums, claims)
    seconds: dict[str, float]


def _households(rng: np.random.Generator, n: int, year: int) -> tuple[Document, np.ndarray]:
    sizes = rng.choice(np.arange(1, len(SIZE_P) + 1), size=n, p=SIZE_P)
    per_head = rng.lognormal(np.log(INCOME_MEDIAN), INCOME_SIGMA, n)
    income_fen = np.rint(per_head * sizes * 100).astype(np.int64)
    ages = rng.integers(0, 91, int(sizes.sum()))
    days = rng.integers(0, 365, len(ages))
    households = []
    k = 0
    for i, (size, fen) in enumerate(zip(sizes.tolist(), income_fen.tolist(), strict=True)):
        hid = f"JK{year}{i:06d}"
        members = []
        for j in range(size):
            birth = dt.date(year - int(ages[k]) - 1, 1, 1) + dt.timedelta(days=int(days[k]))
            k += 1
            members.append(
                Member(
                    id=f"{hid}-{j + 1}",
                    birth_date=birth,
                    disability_grade=None,
                    disability_card_gen2=False,
                    needs_long_term_care=False,
                    disabled_elder_certified=False,
                    self_care="full",
                    labour="full" if 16 <= ages[k - 1] < 60 else "none",
                    student="none",
                    serious_illness=False,
                    late_stage_major_disease=False,
                    income_source=True,
                    capable_supporter=False,
                    care_setting="home",
                )
            )
        households.append(Household(hid, REGION, "rural", False, Fraction(fen, 100), (), tuple(members)))
    return Document(tuple(households)), sizes


def synth_portfolio(
    scale: float = 1.0, seed: int = 2018, year: int = 2018, tree: ParameterTree | None = None, *, ruled: bool = True
) -> SynthPortfolio:
    """The county's portfolio for ``year`` at ``scale`` × 27 000 households; equal arguments, equal frames.

    ``ruled=False`` leaves out the four ruled covers' claims (the database demo computes them itself from
    its own registry): every random draw is still made, so the units and the other covers' claims are the
    same as with ``ruled=True``."""
    t = tree if tree is not None else load_parameters()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    n = max(1, round(HOUSEHOLDS * scale))
    rng = np.random.default_rng([seed, year, 19])
    document, _sizes = _households(rng, n, year)
    ids = pl.Series("household", [h.id for h in document.households], dtype=pl.String)
    seconds["households"] = time.perf_counter() - started
    at = dt.date(year, 12, 1)
    terms = {x.cover.code: x for x in insurance.cover_terms(REGION, at, t)}

    units: dict[str, np.ndarray] = {}
    for code, (share, mean) in UNIT_COVERS.items():
        takes = rng.random(n) < share
        units[code] = np.where(takes, 1 + rng.poisson(mean - 1, n), 0)
    premium_parts = []
    for code, term in terms.items():
        count = units[code].astype(np.int64) if term.cover.basis == "unit" else np.ones(n, dtype=np.int64)
        premium_parts.append(
            pl.DataFrame({"household": ids, "cover": code, "premium_fen": count * term.premium_fen, "units": count})
        )
    premiums = (
        pl.concat(premium_parts)
        .filter(pl.col("units") > 0)
        .select(pl.col("household"), pl.lit(year, dtype=pl.Int32).alias("year"), "cover", "premium_fen")
    )
    seconds["premiums"] = time.perf_counter() - started - sum(seconds.values())

    claims: list[pl.DataFrame] = []

    def add(code: str, rows: np.ndarray, fen: np.ndarray | list[int]) -> None:
        households = ids.gather(rows)  # an empty draw gives an empty, typed frame
        cover = pl.Series("cover", [code] * len(households), dtype=pl.String)
        claims.append(pl.DataFrame([households, cover, pl.Series("amount_fen", fen, dtype=pl.Int64)]))

    if ruled:
        gap = insurance.income_gap_claims(document, year, t)  # the engine's program, December
        if gap.errors:
            raise ValueError(f"脱贫返贫保险无法计算：{next(iter(gap.errors.items()))}")
        index = {hid: i for i, hid in enumerate(ids.to_list())}
        add("income_gap", np.array([index[h] for h in gap.claims], dtype=np.int64), list(gap.claims.values()))
    seconds["income_gap"] = time.perf_counter() - started - sum(seconds.values())

    chronic = np.flatnonzero(rng.random(n) < CHRONIC_SHARE)
    sigma = 0.7
    cost = np.rint(rng.lognormal(np.log(CHRONIC_MEAN) - sigma**2 / 2, sigma, len(chronic)) * 100).astype(np.int64)
    listed = rng.random(len(chronic)) < CHRONIC_LISTED
    if ruled:
        supplement = [
            insurance.chronic_outpatient(c, "listed" if s else "added", REGION, at, t).supplement_fen
            for c, s in zip(cost.tolist(), listed.tolist(), strict=True)
        ]
        add("chronic_outpatient", chronic, supplement)

    growers = np.flatnonzero(units["fungus"] > 0)
    hit = growers[rng.random(len(growers)) < FUNGUS_DISASTER[0]]
    lost_share = rng.uniform(FUNGUS_DISASTER[1], FUNGUS_DISASTER[2], len(hit))
    sticks = units["fungus"]
    lost = np.floor(sticks[hit] * lost_share).astype(np.int64)
    kinds = rng.random(len(growers)) < 0.6
    if ruled:
        disaster = zip(lost.tolist(), sticks[hit], strict=True)
        add("fungus", hit, [insurance.fungus_disaster(a, int(b), REGION, at, t) for a, b in disaster])
        price = [
            insurance.fungus_price(kind, FUNGUS_MARKET[kind], Decimal(int(q)), REGION, at, t)
            for kind, q in zip(np.where(kinds, "shiitake", "oyster").tolist(), sticks[growers].tolist(), strict=True)
        ]
        add("fungus", growers, price)

    borrowers = np.flatnonzero(units["microcredit"] > 0)
    defaulted = borrowers[rng.random(len(borrowers)) < MICROCREDIT_DEFAULT[0]]
    loan = np.minimum(units["microcredit"][defaulted] * 1_000_000, 5_000_000)
    loss = np.floor(loan * rng.uniform(MICROCREDIT_DEFAULT[1], MICROCREDIT_DEFAULT[2], len(defaulted))).astype(np.int64)
    if ruled:
        insurer = [
            insurance.microcredit_split(int(a), int(b), 3, REGION, at, t).insurer_fen
            for a, b in zip(loss.tolist(), loan.tolist(), strict=True)
        ]
        add("microcredit", defaulted, insurer)

    for code, (p, share) in OTHER_CLAIMS.items():
        term = terms[code]
        insured_units = np.ones(n, dtype=np.int64) if term.cover.basis == "household" else units[code]
        rows = np.flatnonzero((insured_units > 0) & (rng.random(n) < p))
        severity = rng.beta(2, 2 / share - 2, len(rows))  # mean = share
        amount = np.rint(severity * term.sum_insured_fen * insured_units[rows]).astype(np.int64)
        add(code, rows, amount)
    seconds["claims"] = time.perf_counter() - started - sum(seconds.values())

    claim_frame = (
        pl.concat(claims)
        .filter(pl.col("amount_fen") > 0)
        .select("household", pl.lit(year, dtype=pl.Int32).alias("year"), "cover", "amount_fen")
    )
    table = insurance.portfolio(premiums, claim_frame)
    seconds["portfolio"] = time.perf_counter() - started - sum(seconds.values())
    return SynthPortfolio(year, n, document, premiums, claim_frame, table, seconds)
