"""The exit check over the database: the POLICY.md §8 exit document built from the registry, checked by
:mod:`jingzhun.policy.exit_check` (the rules live there only).

How the document is built from the registry (the readings a caseworker would expect):

* members: the household's persons in the register (在册; the dead and the moved-out are not members),
  less a member serving a sentence (服刑, :mod:`jingzhun.registry.custody`) on the check's reference day —
  31 December of Y, or the working day (``core.workday.today()``) when that is earlier — who is not in the
  共同生活家庭 (POLICY.md §8: a prisoners-list hit means "member does not share income"), as the month run
  leaves such a member out (:mod:`jingzhun.registry.documents`): not counted in the per-capita income (his
  income is not summed, he is not in the divisor nor in the 兜底 floor's count) nor in the schooling and
  medical member checks; a household whose every member is serving has no member and cannot pass;
* ``annual_income``: the sum over the members of their most recent recorded annual income of year ≤ Y
  (the year used is reported: the registry stores yearly income records); for a household with 低保 or
  特困 support in some month of Y (an enrollment, told by the assistance app through
  ``core.monitoring_sources.register_guarantees``) at least the 低保 standard of its area in force on
  1 January of Y × its members — 兜底: the registry's income is the income counted *for* assistance, so it
  leaves out the 低保 payment that tops it up to the standard, while the exit's 人均纯收入 includes such
  transfers (from 2020 the standard, 4 853, is above the exit line, 4 000: 兜底脱贫). Reported as
  ``guaranteed``;
* ``in_school``: 在校情况 is anything but 非在校 and the member is not marked 辍学 (a dropout mark wins over a
  stale 在校情况, as in 返贫预警's schooling check); ``school_exempt_health``: 因病免学; ``medical_insured``:
  参加基本医保;
* housing grade, 已交付搬迁安置房 and the four water indicators come from the household's fields.

A fact the registry does not know yet (null: an older import without the exit columns) cannot pass: the
criterion it decides is reported as failed with 「未填写」 and the missing fields named — a household
with unknown facts can never be proposed for exit. Households are read in three bounded queries
(households, members, incomes) and one over the 服刑 terms, whatever their number: a county's 10⁵
households in seconds (bench/bench_exit_db.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, QuerySet, Sum

from jingzhun.core import monitoring_sources, workday
from jingzhun.policy.exit_check import CRITERIA_ZH, ExitResult, ExitRules, check_household, rules_cache
from jingzhun.policy.exit_input import ExitHousehold, ExitMember, Water
from jingzhun.policy.params import ParameterTree, load_parameters
from jingzhun.registry.custody import CustodyTerm, serving_on
from jingzhun.registry.models import Household, IncomeRecord, Person, PersonStatus

CHUNK = 5_000  # IN-list size: well inside SQLite's and PostgreSQL's limits
_WATER_FIELDS = {
    "water_litres_per_day": "每人每日可用水量",
    "water_fetch_minutes": "往返取水时间",
    "water_days_without": "年缺水天数",
    "water_quality_ok": "水质达标",
    "water_dry_area": "干旱缺水地区",
}
_HOUSEHOLD_VALUES = ("id", "village__code", "area", "housing_grade", "relocated_keys", *_WATER_FIELDS)


@dataclass(frozen=True)
class DbExitResult:
    """One household's check: the pure result, plus what the registry could not say."""

    household_id: int
    result: ExitResult | None  # None when the household has no member in the register
    income_year: int | None
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # criterion → missing field names
    guaranteed: bool = False  # income counted at least at the 低保 standard (低保/特困 in year Y)

    @property
    def failed(self) -> tuple[str, ...]:
        if self.result is None:
            return ("income",)
        checked = tuple(c for c in CRITERIA_ZH if c != "water" or self.result.rules.water is not None)
        return tuple(code for code in checked if code in self.result.failed or code in self.missing)

    @property
    def exit_ok(self) -> bool:
        return not self.failed

    def failed_zh(self) -> list[str]:
        """Each failed criterion in Chinese, with 未填写 and the missing fields where that is why."""
        out = []
        for code in self.failed:
            if code in self.missing:
                out.append(f"{CRITERIA_ZH[code]}（未填写：{'、'.join(self.missing[code])}）")
            else:
                out.append(CRITERIA_ZH[code])
        return out


def check_households(
    households: QuerySet[Household] | Iterable[int], year: int, params: ParameterTree | None = None
) -> dict[int, DbExitResult]:
    """{household id: result} for the given households (a queryset or ids), checked for assessment year Y."""
    tree = params if params is not None else load_parameters()
    rules_of = rules_cache(tree, year)
    ids = list(households.values_list("id", flat=True)) if isinstance(households, QuerySet) else list(households)
    standard = dibao_standard_on(tree, dt.date(year, 1, 1))
    out: dict[int, DbExitResult] = {}
    for start in range(0, len(ids), CHUNK):
        out.update(_check_chunk(ids[start : start + CHUNK], year, rules_of, standard))
    return out


def dibao_standard_on(tree: ParameterTree, day: dt.date) -> Callable[[str, str], int | None]:
    """(region, area) → the 低保 standard in fen a person a year in force on ``day`` (None: none).

    The 兜底 floor of a household with 低保/特困: the exit check reads it on 1 January of Y, the 低保名册
    comparison (``crosscheck.roll``) on the roll's date."""
    cache: dict[tuple[str, str], int | None] = {}

    def standard(region: str, area: str) -> int | None:
        if (region, area) not in cache:
            name = f"dibao.standard.{'urban' if area == 'urban' else 'rural'}"
            resolved = tree.resolve_or_none(name, region, day)
            value = None if resolved is None or resolved.value is None else Decimal(str(resolved.value))
            cache[(region, area)] = None if value is None else int(value * 100)
        return cache[(region, area)]

    return standard


def _guaranteed(ids: list[int], year: int) -> set[int]:
    out: set[int] = set()
    for fn in monitoring_sources.guarantee_sources().values():
        out |= fn(ids, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    return out


def reference_day(year: int) -> dt.date:
    """The day a 服刑 term is read on for year Y: 31 December of Y, or the working day when earlier."""
    return min(dt.date(year, 12, 31), workday.today())


def _serving(ids: list[int], day: dt.date) -> set[int]:
    """The chunk's persons serving a sentence on ``day`` (:mod:`jingzhun.registry.custody`): one query."""
    terms = CustodyTerm.objects.filter(serving_on(day), person__household_id__in=ids)
    return set(terms.values_list("person_id", flat=True).distinct())


def check_household_db(household: Household, year: int) -> DbExitResult:
    return check_households([household.pk], year)[household.pk]


def _check_chunk(
    ids: list[int], year: int, rules_of: Callable[[str], ExitRules], standard: Callable[[str, str], int | None]
) -> dict[int, DbExitResult]:
    serving = _serving(ids, reference_day(year))
    members: dict[int, list[ExitMember]] = defaultdict(list)
    persons = Person.objects.filter(household_id__in=ids, status=PersonStatus.ACTIVE).order_by("household_id", "id")
    for pk, hid, name, birth, student, dropout, exempt, insured in persons.values_list(
        "id", "household_id", "name", "birth_date", "student", "dropout", "school_exempt_health", "medical_insurance"
    ):
        if pk in serving:
            continue
        in_school = student != "none" and not dropout
        members[hid].append(ExitMember(name, birth, in_school, bool(exempt), bool(insured)))
    incomes: dict[int, tuple[int, int]] = {}  # household → (latest year ≤ Y, fen)
    rows = (
        IncomeRecord.objects.filter(person__household_id__in=ids, person__status=PersonStatus.ACTIVE, year__lte=year)
        .exclude(person_id__in=serving)
        .values("person__household_id", "year")
        .annotate(
            fen=Sum(F("wages_fen") + F("farming_fen") + F("business_fen") + F("property_fen") + F("transfer_fen"))
        )
        .values_list("person__household_id", "year", "fen")
    )
    for hid, income_year, fen in rows:
        if hid not in incomes or income_year > incomes[hid][0]:
            incomes[hid] = (income_year, int(fen or 0))
    guaranteed = _guaranteed(ids, year)
    out: dict[int, DbExitResult] = {}
    for row in Household.objects.filter(id__in=ids).values_list(*_HOUSEHOLD_VALUES):
        hid, village, area, grade, relocated, litres, minutes, days, quality, dry = row
        region = village[:6]
        rules = rules_of(region)
        missing: dict[str, tuple[str, ...]] = {}
        income_year, fen = incomes.get(hid, (None, 0))
        if income_year is None:
            missing["income"] = ("年收入",)
        if grade not in ("A", "B") and relocated is None:
            missing["housing"] = ("已交付搬迁安置房",)
        water = None
        if rules.water is not None:
            values = dict(zip(_WATER_FIELDS, (litres, minutes, days, quality, dry), strict=True))
            if unknown := tuple(label for key, label in _WATER_FIELDS.items() if values[key] is None):
                missing["water"] = unknown
                water = Water(0, 0, 0, False, False)
            else:
                water = Water(int(Decimal(litres) * 100), minutes, days, quality, dry)
        people = tuple(members.get(hid, ()))
        if not people:
            out[hid] = DbExitResult(hid, None, income_year, {"income": ("在册成员",)})
            continue
        floor = standard(region, area) if hid in guaranteed else None
        if floor is not None:
            fen = max(fen, floor * len(people))
        doc = ExitHousehold(str(hid), region, fen, grade, bool(relocated), water, people)
        out[hid] = DbExitResult(hid, check_household(doc, rules), income_year, missing, floor is not None)
    return out


def assessment_year(today: dt.date | None = None) -> int:
    """The year an exit is assessed for by default: the current calendar year."""
    return (today or workday.today()).year
