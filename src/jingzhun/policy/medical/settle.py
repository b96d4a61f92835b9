"""一站式结算 (one-stop settlement) of inpatient stays — POLICY.md §7, line by line.

With C = the stay's in-catalogue amount (医保目录内) and each line taking what the line before it left:

1. 基本医保 ``basic`` — every patient: max(0, C − deductible) × rate, by hospital level, with the lowered
   deductible and raised rate for the registered poor (``medical.basic_*``). Left R1.
2. 大病保险 ``serious`` — registered poor: 0.60 × (max(0, A + R1 − 5000) − max(0, A − 5000)), A = the R1 of
   the person's earlier stays this year where this line applied. Left R2.
3. 补充医保 ``supplementary`` — registered poor: 0.80 × R2. Left R3.
4. 医疗救助 ``assistance`` — 低保 members and 特困 persons: min(0.70 × R3, 20 000 − what the person got from
   this line earlier this year). Left R4.
5. "136" 兜底 ``cap136`` — registered poor, in-province stays: min(R4, max(0, B + R4 − cap)); cap = 1000 /
   3000 / 6000 for the highest level among the person's in-province stays this year where this line
   applied (this one included), B = the in-catalogue amount left after the last line on those earlier
   stays. With ``cap_period="stay"``: max(0, R4 − cap of this stay's level), nothing carried.

``medical.order.cap136_first`` (兴县 141123) settles line 5 before line 4; B then counts what was left
after both. Each payment is rounded half-up to the fen as it is computed, and what is left is computed
from the rounded payments. OOP = what is left in catalogue + (total − C); ratio = 1 − OOP / total, half-up
to 4 decimals. A person's stays are settled in discharge order, then ``id``, within the discharge year.

Ambiguities of POLICY.md resolved here:

* "Where this line applied" means the line's eligibility held for that stay (the patient was registered
  poor; for 136 also in province; for 医疗救助 低保/特困), whether or not it paid anything — S4a of the
  shared cases pays 0 from 136 yet its 836.00 counts in S4b's B.
* Parameters are read for the stay's own ``region`` at its discharge date, so a person who moves county
  within a year keeps one yearly cumulation while each stay follows its county's values and order; the
  cap of the highest level is the value in force for *this* stay.
* Eligibility is the stay's own flags: a person who becomes registered poor mid-year starts 大病保险 and
  "136" cumulation from that stay on.
* Every ``medical.*`` parameter must have a value at the stay's region and discharge date; one missing
  (e.g. a discharge before 2016) makes the document invalid (exit 2), as POLICY.md §7 says for pre-2016.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from jingzhun.policy.medical.stays import LEVELS, Stay, StaysError
from jingzhun.policy.money import fen_to_str, fraction_to_str
from jingzhun.policy.params import MissingParameter, ParameterTree, Resolved, load_parameters

LINES = ("basic", "serious", "supplementary", "assistance", "cap136")
NAMES_ZH = {
    "basic": "基本医保",
    "serious": "大病保险",
    "supplementary": "补充医保",
    "assistance": "医疗救助",
    "cap136": "“136”兜底",
}
CAP_PERIODS = ("year", "stay")
_RANK = {"county": 0, "city": 1, "province": 2}  # in-province levels, lowest first
_LEVEL_OF_RANK = ("county", "city", "province")
ORDER_PARAMETER = "medical.order.cap136_first"
ORDER = ("basic", "serious", "supplementary", "assistance", "cap136")
ORDER_CAP136_FIRST = ("basic", "serious", "supplementary", "cap136", "assistance")


def _y(fen: int) -> str:
    """Fen as yuan with two decimals (amounts here are never negative)."""
    return fen_to_str(fen)


@dataclass(slots=True)
class LineResult:
    line: str
    applies: bool
    before: int  # in-catalogue fen left before this line
    paid: int  # fen
    text: str  # the arithmetic in one plain Chinese sentence
    parameters: tuple[Resolved, ...]


@dataclass(slots=True)
class Settlement:
    stay: Stay
    order: tuple[str, ...]
    lines: dict[str, LineResult]
    oop: int
    ratio: str
    text: str  # OOP and ratio in one sentence
    order_parameter: Resolved


class Rate:
    """A rate as an exact fraction, its percentage text and the parameter it came from."""

    __slots__ = ("den", "num", "pct", "resolved")

    def __init__(self, resolved: Resolved) -> None:
        value = Fraction(resolved.value)  # type: ignore[arg-type]
        self.num, self.den = value.numerator, value.denominator
        self.pct = fraction_to_str(value * 100) + "%"
        self.resolved = resolved

    def of(self, fen: int) -> int:
        """``fen × rate`` rounded half-up to the fen (both non-negative)."""
        return (2 * fen * self.num + self.den) // (2 * self.den)


class Rules:
    """Every ``medical.*`` value in force for one region and date: rates, and amounts in fen."""

    def __init__(self, resolved: dict[str, Resolved]) -> None:
        self.resolved = resolved
        self.rates: dict[str, Rate] = {}
        self.fen: dict[str, tuple[int, Resolved]] = {}
        for name, r in resolved.items():
            if type(r.value) is bool:
                continue
            if ".basic_rate_" in name or name.endswith(".rate"):
                self.rates[name] = Rate(r)
            else:
                self.fen[name] = (int(Fraction(r.value) * 100), r)  # type: ignore[arg-type]
        self.cap136_first = resolved[ORDER_PARAMETER].value is True


class RulesCache:
    """Rules by region and the period between two change dates of any ``medical.*`` parameter."""

    def __init__(self, tree: ParameterTree) -> None:
        self.tree = tree
        self.names = sorted(n for n in tree.parameters if n.startswith("medical."))
        self.dates = sorted({d for n in self.names for d in tree.change_dates(n)})
        self._cache: dict[tuple[str, int], Rules | MissingParameter] = {}

    def get(self, region: str, at: dt.date) -> Rules | MissingParameter:
        key = (region, bisect.bisect_right(self.dates, at))
        found = self._cache.get(key)
        if found is None:
            found = self._resolve(region, at)
            self._cache[key] = found
        if isinstance(found, MissingParameter):  # name the stay's own date, not the first one of its period
            return MissingParameter(found.name, region, at)
        return found

    def _resolve(self, region: str, at: dt.date) -> Rules | MissingParameter:
        resolved: dict[str, Resolved] = {}
        for name in self.names:
            try:
                resolved[name] = self.tree.resolve(name, region, at)
            except MissingParameter as exc:
                return exc
        if ORDER_PARAMETER not in resolved:
            return MissingParameter(ORDER_PARAMETER, region, at)
        return Rules(resolved)

    def missing(self, stay: Stay) -> str | None:
        """The error for a stay with no parameter value at its discharge date, else None."""
        found = self.get(stay.region, stay.discharged)
        if not isinstance(found, MissingParameter):
            return None
        return f"{stay.where}，出院日期 [discharged]：出院日期 {stay.discharged.isoformat()} 没有结算参数（{found}）"


@dataclass(slots=True)
class _Year:
    """One person's running amounts within one calendar year."""

    serious_base: int = 0  # A: R1 of earlier stays where 大病保险 applied
    assistance_paid: int = 0
    cap_left: int = 0  # B: in-catalogue left after the last line on earlier stays where 136 applied
    cap_rank: int = -1  # highest level among those stays


def settle(
    stays: list[Stay], cap_period: str = "year", tree: ParameterTree | None = None, cache: RulesCache | None = None
) -> list[Settlement]:
    """Settle every stay (input order kept); :class:`StaysError` when a stay has no parameter value."""
    if cap_period not in CAP_PERIODS:
        raise ValueError(f"cap_period must be one of {CAP_PERIODS}: {cap_period!r}")
    if cache is None:
        cache = RulesCache(tree if tree is not None else load_parameters())
    errors = [e for e in map(cache.missing, stays) if e is not None]
    if errors:
        raise StaysError(errors)
    order = sorted(
        range(len(stays)),
        key=lambda i: (stays[i].person, stays[i].discharged.year, stays[i].discharged, stays[i].id),
    )
    results: list[Settlement | None] = [None] * len(stays)
    current: tuple[str, int] | None = None
    year = _Year()
    for i in order:
        stay = stays[i]
        if (stay.person, stay.discharged.year) != current:
            current, year = (stay.person, stay.discharged.year), _Year()
        found = cache.get(stay.region, stay.discharged)
        assert isinstance(found, Rules)
        results[i] = _settle_one(stay, found, year, cap_period)
    return [r for r in results if r is not None]


def _settle_one(stay: Stay, rules: Rules, year: _Year, cap_period: str) -> Settlement:
    c = stay.in_catalogue
    group = "poor" if stay.registered_poor else "other"
    d_fen, p_ded = rules.fen[f"medical.basic_deductible_{group}.{stay.level}"]
    rate = rules.rates[f"medical.basic_rate_{group}.{stay.level}"]
    if c > d_fen:
        basic = rate.of(c - d_fen)
        text = f"基本医保 = ({_y(c)} − {_y(d_fen)}) × {rate.pct} = {_y(basic)} 元"
    else:
        basic = 0
        text = f"基本医保：目录内费用 {_y(c)} 元未超过起付线 {_y(d_fen)} 元，0.00 元"
    lines = {"basic": LineResult("basic", True, c, basic, text, (p_ded, rate.resolved))}
    left = r1 = c - basic

    if stay.registered_poor:
        t, p_thr = rules.fen["medical.serious.threshold"]
        rate = rules.rates["medical.serious.rate"]
        a = year.serious_base
        over = max(0, a + r1 - t) - max(0, a - t)
        paid = rate.of(over)
        if a:
            text = (
                f"大病保险 = (max(0, {_y(a)} + {_y(r1)} − {_y(t)}) − max(0, {_y(a)} − {_y(t)})) × {rate.pct}"
                f" = {_y(over)} × {rate.pct} = {_y(paid)} 元（{_y(a)} 为本年此前住院基本医保后的目录内剩余之和）"
            )
        else:
            text = f"大病保险 = max(0, {_y(r1)} − {_y(t)}) × {rate.pct} = {_y(paid)} 元（本年首次累计）"
        year.serious_base += r1
        lines["serious"] = LineResult("serious", True, left, paid, text, (p_thr, rate.resolved))
        left -= paid
        rate = rules.rates["medical.supplementary.rate"]
        paid = rate.of(left)
        text = f"补充医保 = {_y(left)} × {rate.pct} = {_y(paid)} 元"
        lines["supplementary"] = LineResult("supplementary", True, left, paid, text, (rate.resolved,))
        left -= paid
    else:
        lines["serious"] = _not_applied("serious", left, "非建档立卡贫困人口")
        lines["supplementary"] = _not_applied("supplementary", left, "非建档立卡贫困人口")

    order = ORDER_CAP136_FIRST if rules.cap136_first else ORDER
    for line in order[3:]:
        if line == "assistance":
            result = _assistance(stay, rules, year, left)
        else:
            result = _cap136(stay, rules, year, left, cap_period)
        lines[line] = result
        left -= result.paid
    if lines["cap136"].applies and cap_period == "year":
        year.cap_left += left
        year.cap_rank = max(year.cap_rank, _RANK[stay.level])

    total = stay.total
    outside = total - c
    oop = left + outside
    ratio_units = (2 * (total - oop) * 10000 + total) // (2 * total)
    ratio = f"{ratio_units // 10000}.{ratio_units % 10000:04d}"
    text = (
        f"个人自付 = 目录内剩余 {_y(left)} + 目录外 {_y(outside)} = {_y(oop)} 元；"
        f"实际报销比例 = 1 − {_y(oop)} ÷ {_y(total)} = {ratio}"
    )
    return Settlement(stay, order, lines, oop, ratio, text, rules.resolved[ORDER_PARAMETER])


_NOT_APPLIED = {
    (line, why): f"{NAMES_ZH[line]}：{why}，不适用，0.00 元"
    for line in LINES
    for why in ("非建档立卡贫困人口", "非低保、特困对象", "省外住院")
}


def _not_applied(line: str, left: int, why: str) -> LineResult:
    return LineResult(line, False, left, 0, _NOT_APPLIED[line, why], ())


def _assistance(stay: Stay, rules: Rules, year: _Year, left: int) -> LineResult:
    if not stay.dibao_or_tekun:
        return _not_applied("assistance", left, "非低保、特困对象")
    rate = rules.rates["medical.assistance.rate"]
    cap, p_cap = rules.fen["medical.assistance.yearly_cap"]
    before = year.assistance_paid
    share = rate.of(left)
    paid = min(share, max(0, cap - before))
    text = (
        f"医疗救助 = min({_y(left)} × {rate.pct} = {_y(share)}, {_y(cap)} − {_y(before)}) = {_y(paid)} 元"
        f"（本年封顶 {_y(cap)} 元，此前已救助 {_y(before)} 元）"
    )
    year.assistance_paid += paid
    return LineResult("assistance", True, left, paid, text, (rate.resolved, p_cap))


def _cap136(stay: Stay, rules: Rules, year: _Year, left: int, cap_period: str) -> LineResult:
    if not stay.registered_poor:
        return _not_applied("cap136", left, "非建档立卡贫困人口")
    rank = _RANK.get(stay.level)
    if rank is None:
        return _not_applied("cap136", left, "省外住院")
    if cap_period == "stay":
        cap, p_cap = rules.fen[f"medical.cap136.{stay.level}"]
        paid = max(0, left - cap)
        text = (
            f"“136”兜底 = max(0, {_y(left)} − {_y(cap)}) = {_y(paid)} 元"
            f"（{LEVELS[stay.level]}医院按次封顶 {_y(cap)} 元）"
        )
        return LineResult("cap136", True, left, paid, text, (p_cap,))
    level = _LEVEL_OF_RANK[max(year.cap_rank, rank)]
    cap, p_cap = rules.fen[f"medical.cap136.{level}"]
    b = year.cap_left
    paid = min(left, max(0, b + left - cap))
    text = (
        f"“136”兜底 = min({_y(left)}, max(0, {_y(b)} + {_y(left)} − {_y(cap)})) = {_y(paid)} 元"
        f"（本年最高{LEVELS[level]}医院，年度自付封顶 {_y(cap)} 元；{_y(b)} 为本年此前省内住院的目录内自付）"
    )
    return LineResult("cap136", True, left, paid, text, (p_cap,))
