"""The reference (single-household) path: a household document and a month → payment lines.

For each household the engine first resolves the parameters it needs, in fixed stages, at the first of
the month; any parameter with no value at any level makes that household an error ("无参数: name,
region, date") with no lines — the other households are still computed. Stages (the batch engine uses
the same ones, so both paths fail the same households):

1. always: the 低保 standard of the household's area and the city-wide rates, ages and allowances;
2. only when the household has a 特困 person: the 特困 basic standard of its area and the care fee;
3. only when the document's ``cpi`` has an entry for the month: the price-subsidy thresholds;
4. only in December: the 一保通 switch, and the poverty line where it is on;
5. only with an event or support record paying this month: the 临时救助 / 孝亲敬老 parameters.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jingzhun.policy.calc import Calc, Line
from jingzhun.policy.document import Document, Household, Member, parse_document, parse_month_or_none
from jingzhun.policy.money import fen_to_str, round_fen
from jingzhun.policy.params import ParameterTree, Resolved, load_parameters
from tests.policy.oracle.context import HouseholdMonth, age_on
from tests.policy.oracle.programs import ORDER, PROGRAMS, filial_reward
from tests.policy.oracle.programs.dibao import dibao_test
from tests.policy.oracle.programs.tekun_basic import tekun_test

CITYWIDE = (
    "tekun.eligibility.elderly_age",
    "tekun.eligibility.minor_age",
    "dibao.classified.rate_severe",
    "dibao.classified.rate_disability",
    "dibao.classified.rate_elderly",
    "dibao.classified.rate_minor",
    "dibao.classified.elderly_age",
    "dibao.classified.minor_age",
    "dibao.classified.registered_poor_only",
    "allowances.elderly.amount",
    "allowances.elderly.min_age",
    "allowances.elderly.max_age",
    "allowances.disabled_elder.amount",
    "allowances.disabled_elder.min_age",
    "allowances.disabled_elder.max_age",
    "allowances.disability_living.amount",
    "allowances.disability_care.amount",
    "major_illness_care.amount",
)
PRICE = ("price_subsidy.all_items_threshold", "price_subsidy.food_threshold")
INSURANCE_SWITCH = "insurance.income_gap.enabled"
POVERTY_LINE = "poverty_line"
TEMPORARY = (
    "temporary_assistance.cap_emergency",
    "temporary_assistance.review_working_days",
    "temporary_assistance.expense_share",
    "temporary_assistance.expense_income_threshold",
    "temporary_assistance.expense_cap_months",
)
FILIAL = ("filial_reward.reward_per_step", "filial_reward.step", "filial_reward.cap", "filial_reward.parent_min_age")


def base_parameters(area: str) -> tuple[str, ...]:
    return (f"dibao.standard.{area}", *CITYWIDE)


def tekun_parameters(area: str) -> tuple[str, ...]:
    return (f"tekun.basic.{area}", "tekun.care_fee")


@dataclass
class HouseholdResult:
    id: str
    lines: list[Line] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # a program whose own parameters are missing (价格临时补贴, 临时救助, 孝亲敬老): that program only is not
    # computed, as "<program>：无参数: …"; the household's other lines stand (issue #13: per program)
    program_errors: list[str] = field(default_factory=list)
    # e.g. a 低保 top-up that rounds to 0.00: the household still receives 低保 (POLICY.md §3)
    notes: list[str] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


@dataclass
class EntitlementResult:
    month: str
    households: list[HouseholdResult]


def parse_month(text: str) -> dt.date:
    """``"2020-06"`` → 2020-06-01; ``ValueError`` with a Chinese message otherwise."""
    first = parse_month_or_none(text)
    if first is None:
        raise ValueError(f"计算月份 [month] 应为 YYYY-MM，得到 {text!r}")
    return first


def month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def compute_document(
    document: Document | Mapping[str, Any],
    month: str,
    *,
    params: ParameterTree | None = None,
    households: Sequence[Household] | None = None,
) -> EntitlementResult:
    """Compute every household of a document for ``month`` (``YYYY-MM``).

    A raw mapping is validated first (:class:`~jingzhun.policy.document.DocumentError` lists every problem).
    ``households`` limits the computation to some of the document's households (the rest of the document
    — parents of 孝亲敬老, events — still counts).
    """
    first = parse_month(month)
    doc = document if isinstance(document, Document) else parse_document(document, month_end(first))
    tree = params if params is not None else load_parameters()
    people = {m.id: m for h in doc.households for m in h.members}
    resolver = _Resolver(tree, first)
    chosen = doc.households if households is None else households
    return EntitlementResult(month, [compute_household(doc, h, first, resolver, people) for h in chosen])


class _Resolver:
    """Resolves names for a region at one date, caching each (region, names) group."""

    def __init__(self, tree: ParameterTree, at: dt.date) -> None:
        self.tree, self.at = tree, at
        self._cache: dict[tuple[str, tuple[str, ...]], tuple[dict[str, Resolved], list[str]]] = {}

    def resolve(self, region: str, names: tuple[str, ...], into: dict[str, Resolved], missing: list[str]) -> None:
        key = (region, names)
        if key not in self._cache:
            found: dict[str, Resolved] = {}
            absent: list[str] = []
            for name in names:
                resolved = self.tree.resolve_or_none(name, region, self.at)
                if resolved is None:
                    absent.append(f"无参数: {name}, {region}, {self.at.isoformat()}")
                else:
                    found[name] = resolved
            self._cache[key] = (found, absent)
        found, absent = self._cache[key]
        into.update(found)
        missing.extend(absent)


def compute_household(
    doc: Document, household: Household, first: dt.date, resolver: _Resolver, people: Mapping[str, Member]
) -> HouseholdResult:
    result = HouseholdResult(household.id)
    params: dict[str, Resolved] = {}
    resolver.resolve(household.region, base_parameters(household.area), params, result.errors)
    if result.errors:
        return result
    ages = {m.id: age_on(m.birth_date, first) for m in household.members}
    tekun: dict[str, Calc] = {}
    quiet = Calc(params, quiet=True)
    for member in household.members:
        if tekun_test(quiet, household, member, ages[member.id]):
            tekun[member.id] = c = Calc(params)
            tekun_test(c, household, member, ages[member.id])
    extra: list[str] = []
    if tekun:
        extra.extend(tekun_parameters(household.area))
    month_key = f"{first.year:04d}-{first.month:02d}"
    if first.month == 12:
        extra.append(INSURANCE_SWITCH)
    resolver.resolve(household.region, tuple(extra), params, result.errors)
    skipped: set[str] = set()
    if month_key in doc.cpi:
        _program_parameters(resolver, household, "price_subsidy", PRICE, params, result, skipped)
    if any(
        e.household == household.id and (e.date.year, e.date.month) == (first.year, first.month) for e in doc.events
    ):
        _program_parameters(resolver, household, "temporary_assistance", TEMPORARY, params, result, skipped)
    switch = params.get(INSURANCE_SWITCH)
    if switch is not None and switch.value is True:
        resolver.resolve(household.region, (POVERTY_LINE,), params, result.errors)
    if result.errors:
        return result
    dibao = dibao_test(params, household, set(tekun))
    ctx = HouseholdMonth(household, first, params, doc, people, ages, tekun, dibao)
    if filial_reward.pays_this_month(ctx):
        _program_parameters(resolver, household, "filial_reward", FILIAL, params, result, skipped)
    for program in PROGRAMS:
        if program.PROGRAM not in skipped:
            result.lines.extend(program.compute(ctx))
    if dibao.eligible and not any(line.program == "dibao" for line in result.lines):
        s, y = dibao.standard, household.annual_income / 12 / dibao.n
        result.notes.append(
            f"享受低保（补差为 0.00 元）：低保补差 = ({fen_to_str(round_fen(s))} − {fen_to_str(round_fen(y))}) × "
            f"{dibao.n} 人，不足 0.005 元，四舍五入为 0.00 元；月人均收入低于低保标准，仍为低保户，"
            "可享受高龄、残疾等随低保发放的补贴与价格临时补贴"
        )
    result.lines.sort(key=lambda line: ORDER[line.program])
    return result


def _program_parameters(
    resolver: _Resolver,
    household: Household,
    program: str,
    names: tuple[str, ...],
    params: dict[str, Resolved],
    result: HouseholdResult,
    skipped: set[str],
) -> None:
    """Resolve one program's own parameters; when one is missing, that program is skipped and named."""
    from tests.policy.oracle.programs import NAMES_ZH

    missing: list[str] = []
    resolver.resolve(household.region, names, params, missing)
    if missing:
        skipped.add(program)
        result.program_errors.extend(f"{NAMES_ZH[program]}：{message}" for message in missing)
