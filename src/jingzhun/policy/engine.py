"""The document path: a household document and a month → explained payment lines.

The rules are the programs' own (``programs/*.py``), evaluated by ``evaluate.py`` over the document's
households turned into frames — the same expressions the batch path runs over a county — keeping
each rule's step columns, from which every line's explanation is built (``explain.py``).

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

from jingzhun.policy.calc import Line
from jingzhun.policy.document import Document, Household, parse_document, parse_month_or_none
from jingzhun.policy.params import ParameterTree, Resolved, load_parameters

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
    from jingzhun.policy.document_lines import compute_households

    first = parse_month(month)
    doc = document if isinstance(document, Document) else parse_document(document, month_end(first))
    tree = params if params is not None else load_parameters()
    chosen = doc.households if households is None else households
    return EntitlementResult(month, compute_households(doc, list(chosen), first, tree))


class Resolver:
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
