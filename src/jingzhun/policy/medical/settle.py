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
ORDER_PARAMETER = "medical.order.cap136_first"


@dataclass(frozen=True, slots=True)
class LineResult:
    line: str
    applies: bool
    before: int  # in-catalogue fen left before this line
    paid: int  # fen
    text: str  # the arithmetic in one plain Chinese sentence
    parameters: tuple[Resolved, ...]


@dataclass(frozen=True, slots=True)
class Settlement:
    stay: Stay
    order: tuple[str, ...]
    lines: dict[str, LineResult]
    oop: int
    ratio: str
    text: str  # OOP and ratio in one sentence
    order_parameter: Resolved


class Rules:
    """Every ``medical.*`` value in force for one region and date (numbers as exact fractions)."""

    def __init__(self, resolved: dict[str, Resolved]) -> None:
        self.resolved = resolved
        self.numbers = {name: Fraction(r.value) for name, r in resolved.items() if type(r.value) is not bool}  # type: ignore[arg-type]
        self.cap136_first = resolved[ORDER_PARAMETER].value is True

    def use(self, name: str) -> tuple[Fraction, Resolved]:
        return self.numbers[name], self.resolved[name]


class RulesCache:
    def __init__(self, tree: ParameterTree) -> None:
        self.tree = tree
        self.names = sorted(n for n in tree.parameters if n.startswith("medical."))
        self._cache: dict[tuple[str, dt.date], Rules | MissingParameter] = {}

    def get(self, region: str, at: dt.date) -> Rules | MissingParameter:
        key = (region, at)
        found = self._cache.get(key)
        if found is None:
            found = self._resolve(region, at)
            self._cache[key] = found
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


@dataclass
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
    rules = [cache.get(stay.region, stay.discharged) for stay in stays]
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
        found = rules[i]
        assert isinstance(found, Rules)
        results[i] = _settle_one(stay, found, year, cap_period)
    return [r for r in results if r is not None]


def _pay(fen: int, rate: Fraction) -> int:
    """``fen × rate`` rounded half-up to the fen (both non-negative)."""
    n, d = rate.numerator, rate.denominator
    return (2 * fen * n + d) // (2 * d)


def _pct(rate: Fraction) -> str:
    return fraction_to_str(rate * 100) + "%"


def _settle_one(stay: Stay, rules: Rules, year: _Year, cap_period: str) -> Settlement:
    y = fen_to_str
    c = stay.in_catalogue
    group = "poor" if stay.registered_poor else "other"
    deductible, p_ded = rules.use(f"medical.basic_deductible_{group}.{stay.level}")
    rate, p_rate = rules.use(f"medical.basic_rate_{group}.{stay.level}")
    d_fen = int(deductible * 100)
    if c > d_fen:
        basic = _pay(c - d_fen, rate)
        text = f"基本医保 = ({y(c)} − {y(d_fen)}) × {_pct(rate)} = {y(basic)} 元"
    else:
        basic = 0
        text = f"基本医保：目录内费用 {y(c)} 元未超过起付线 {y(d_fen)} 元，0.00 元"
    lines = {"basic": LineResult("basic", True, c, basic, text, (p_ded, p_rate))}
    left = c - basic
    r1 = left

    if stay.registered_poor:
        threshold, p_thr = rules.use("medical.serious.threshold")
        rate, p_rate = rules.use("medical.serious.rate")
        t, a = int(threshold * 100), year.serious_base
        over = max(0, a + r1 - t) - max(0, a - t)
        paid = _pay(over, rate)
        if a:
            text = (
                f"大病保险 = (max(0, {y(a)} + {y(r1)} − {y(t)}) − max(0, {y(a)} − {y(t)})) × {_pct(rate)}"
                f" = {y(over)} × {_pct(rate)} = {y(paid)} 元（{y(a)} 为本年此前住院基本医保后的目录内剩余之和）"
            )
        else:
            text = f"大病保险 = max(0, {y(r1)} − {y(t)}) × {_pct(rate)} = {y(paid)} 元（本年首次累计）"
        year.serious_base += r1
        lines["serious"] = LineResult("serious", True, left, paid, text, (p_thr, p_rate))
        left -= paid
        rate, p_rate = rules.use("medical.supplementary.rate")
        paid = _pay(left, rate)
        text = f"补充医保 = {y(left)} × {_pct(rate)} = {y(paid)} 元"
        lines["supplementary"] = LineResult("supplementary", True, left, paid, text, (p_rate,))
        left -= paid
    else:
        for line in ("serious", "supplementary"):
            lines[line] = _not_applied(line, left, "非建档立卡贫困人口")

    order = ("cap136", "assistance") if rules.cap136_first else ("assistance", "cap136")
    for line in order:
        result = (
            _assistance(stay, rules, year, left)
            if line == "assistance"
            else _cap136(stay, rules, year, left, cap_period)
        )
        lines[line] = result
        left -= result.paid
    if lines["cap136"].applies and cap_period == "year":
        year.cap_left += left
        year.cap_rank = max(year.cap_rank, _RANK[stay.level])

    outside = stay.total - c
    oop = left + outside
    ratio_units = (2 * (stay.total - oop) * 10000 + stay.total) // (2 * stay.total)
    ratio = f"{ratio_units // 10000}.{ratio_units % 10000:04d}"
    text = (
        f"个人自付 = 目录内剩余 {y(left)} + 目录外 {y(outside)} = {y(oop)} 元；"
        f"实际报销比例 = 1 − {y(oop)} ÷ {y(stay.total)} = {ratio}"
    )
    full_order = ("basic", "serious", "supplementary", *order)
    return Settlement(stay, full_order, {k: lines[k] for k in LINES}, oop, ratio, text, rules.resolved[ORDER_PARAMETER])


def _not_applied(line: str, left: int, why: str) -> LineResult:
    return LineResult(line, False, left, 0, f"{NAMES_ZH[line]}：{why}，不适用，0.00 元", ())


def _assistance(stay: Stay, rules: Rules, year: _Year, left: int) -> LineResult:
    if not stay.dibao_or_tekun:
        return _not_applied("assistance", left, "非低保、特困对象")
    y = fen_to_str
    rate, p_rate = rules.use("medical.assistance.rate")
    cap, p_cap = rules.use("medical.assistance.yearly_cap")
    room = max(0, int(cap * 100) - year.assistance_paid)
    share = _pay(left, rate)
    paid = min(share, room)
    text = (
        f"医疗救助 = min({y(left)} × {_pct(rate)} = {y(share)}, {y(int(cap * 100))} − {y(year.assistance_paid)})"
        f" = {y(paid)} 元（本年封顶 {y(int(cap * 100))} 元，此前已救助 {y(year.assistance_paid)} 元）"
    )
    year.assistance_paid += paid
    return LineResult("assistance", True, left, paid, text, (p_rate, p_cap))


def _cap136(stay: Stay, rules: Rules, year: _Year, left: int, cap_period: str) -> LineResult:
    if not stay.registered_poor:
        return _not_applied("cap136", left, "非建档立卡贫困人口")
    if stay.level not in _RANK:
        return _not_applied("cap136", left, "省外住院")
    y = fen_to_str
    if cap_period == "stay":
        cap, p_cap = rules.use(f"medical.cap136.{stay.level}")
        cap_fen = int(cap * 100)
        paid = max(0, left - cap_fen)
        text = (
            f"“136”兜底 = max(0, {y(left)} − {y(cap_fen)}) = {y(paid)} 元"
            f"（{LEVELS[stay.level]}医院按次封顶 {y(cap_fen)} 元）"
        )
        return LineResult("cap136", True, left, paid, text, (p_cap,))
    rank = max(year.cap_rank, _RANK[stay.level])
    level = next(name for name, r in _RANK.items() if r == rank)
    cap, p_cap = rules.use(f"medical.cap136.{level}")
    cap_fen, b = int(cap * 100), year.cap_left
    paid = min(left, max(0, b + left - cap_fen))
    text = (
        f"“136”兜底 = min({y(left)}, max(0, {y(b)} + {y(left)} − {y(cap_fen)})) = {y(paid)} 元"
        f"（本年最高{LEVELS[level]}医院，年度自付封顶 {y(cap_fen)} 元；{y(b)} 为本年此前省内住院的目录内自付）"
    )
    return LineResult("cap136", True, left, paid, text, (p_cap,))
