"""The demo county's exits (``make demo``): 2020 预退出 lists in a few villages at every stage.

Deterministic for a seed. The synthetic 帮扶 households are poor by construction (their 2019 income is
below the line), so the demo first gives up to five households of each chosen village — those that fail
the 2020 check on income alone — a 2020 income record: their 2019 incomes plus a 护林员 公益岗位 for the
head (800 元 a month, [seed] 002), written through the registry's income action. Each list is then
brought to its stage through the workflow's own actions, as the system actor ``demo`` (an admin: it may
record every step), with 2020 dates before the demo's working month 2020-07 (May–June), in ``PLAN``'s
order, the login township's villages first: one in 公示 (ended: the township may 核实), one 乡镇已核实 (the
county may 公告), one 县已公告 (the county may 销号), two 销号 (their households become 已脱贫), one after
民主评议, one just proposed. The demo's village login gets its candidates' incomes and no list, so its cadre
proposes and walks one (walk8: the village and township logins had nothing to act on). Payments are not
touched (脱贫不脱政策).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict

from jingzhun.core.actions import Actor
from jingzhun.monitoring.exit import actions
from jingzhun.monitoring.exit.check import check_households
from jingzhun.monitoring.exit.queries import not_exited
from jingzhun.monitoring.models import ExitList, ExitStage
from jingzhun.registry.actions import INCOME_FIELDS, set_household_incomes
from jingzhun.registry.models import Household, Person

YEAR = 2020
PER_LIST = 5
# Stages in the order the villages get them (the login township's villages first), so that even a small
# demo county has a list waiting for each role: the township's 乡镇核实, the county's 公告 and 销号.
PLAN = (
    ExitStage.PUBLICIZED,
    ExitStage.TOWNSHIP_VERIFIED,
    ExitStage.ANNOUNCED,
    ExitStage.CLOSED,
    ExitStage.CLOSED,
    ExitStage.REVIEWED,
    ExitStage.PROPOSED,
)
D = dt.date


def add_demo_exits(actor: Actor, county: str, seed: int, *, login_village: str = "") -> str:
    """Build the lists; return the sentence the demo prints. ``login_village`` (the demo's village login)
    gets its candidates' 2020 incomes but no list: its cadre proposes the list and walks it."""
    started = time.perf_counter()
    candidates = list(not_exited(county).values_list("id", "village__code"))
    results = check_households([pk for pk, _ in candidates], YEAR)
    income_only: dict[str, list[int]] = defaultdict(list)
    for pk, village in candidates:
        if results[pk].exit_ok or (results[pk].failed == ("income",) and "income" not in results[pk].missing):
            income_only[village].append(pk)
    villages = sorted(v for v, pks in income_only.items() if pks and v != login_village)
    random.Random(seed).shuffle(villages)
    villages.sort(key=lambda v: not (login_village and v[:9] == login_village[:9]))  # the login township first
    done: list[str] = []
    waiting = 0
    if login_village in income_only:
        waiting = len(_prepare(actor, income_only[login_village]))
    for village, stage in zip(villages, PLAN, strict=False):
        chosen = _prepare(actor, income_only[village])
        households = list(Household.objects.filter(pk__in=chosen))
        if not households:
            continue
        exit_list = actions.propose(actor, village, YEAR, households, date=D(2020, 5, 6))
        _bring_to(actor, exit_list, stage)
        done.append(stage)
    exited = sum(1 for s in done if s == ExitStage.CLOSED)
    login = f"；{login_village} 有 {waiting} 户可提出预退出（待村里提出）" if waiting else ""
    rates = add_demo_rates(actor, county, seed)
    return (
        f"已建立 {YEAR} 年预退出名单 {len(done)} 个村：销号 {exited} 个村、县已公告 "
        f"{done.count(ExitStage.ANNOUNCED)} 个、乡镇已核实 {done.count(ExitStage.TOWNSHIP_VERIFIED)} 个、公示中 "
        f"{done.count(ExitStage.PUBLICIZED)} 个、已评议 {done.count(ExitStage.REVIEWED)} 个、"
        f"待评议 {done.count(ExitStage.PROPOSED)} 个{login}；{rates}（用时 {time.perf_counter() - started:.1f} 秒）"
    )


# 三率一度 (walk: the county page read "无数据 → 未达到" for want of any record). The county's 抽样核查 of
# 2020-06-24 — up to EXITED_SAMPLE 已脱贫 households (错退 sample, all found correct) and OTHER_SAMPLE other
# households (漏评 sample, one found 漏评) — and a 群众认可度 survey of SURVEY_ASKED people, SURVEY_APPROVING
# of them approving (94 %), recorded through the workflow's own actions [default, plausible figures].
EXITED_SAMPLE = 50
OTHER_SAMPLE = 100
SURVEY_ASKED = 200
SURVEY_APPROVING = 188
RATES_DATE = D(2020, 6, 24)


def add_demo_rates(actor: Actor, county: str, seed: int) -> str:
    """Record the demo county's 2020 抽样核查 and 认可度调查; one Chinese clause for the console."""
    from jingzhun.registry.models import EXITED_STATUSES

    rng = random.Random(seed * 31 + YEAR)
    households = Household.objects.filter(village__code__startswith=county, active=True).order_by("household_no")
    exited = list(households.filter(status__in=EXITED_STATUSES).values_list("household_no", flat=True))
    others = list(
        households.filter(registered_year__isnull=True)
        .exclude(status__in=EXITED_STATUSES)
        .values_list("household_no", flat=True)
    )
    exited_sample = rng.sample(exited, min(EXITED_SAMPLE, len(exited)))
    other_sample = rng.sample(others, min(OTHER_SAMPLE, len(others)))
    findings = [(no, "correct") for no in exited_sample] + [
        (no, "wrongly_missed" if i == 0 else "correct") for i, no in enumerate(other_sample)
    ]
    if findings:
        actions.record_sample_check(
            actor, county, YEAR, date=RATES_DATE, findings=findings, note="县级抽样核查（演示数据）"
        )
    actions.record_survey(actor, county, YEAR, date=RATES_DATE, asked=SURVEY_ASKED, approving=SURVEY_APPROVING)
    return (
        f"抽样核查 已脱贫户 {len(exited_sample)} 户、其他户 {len(other_sample)} 户"
        f"（漏评 {1 if other_sample else 0} 户），认可度调查 {SURVEY_ASKED} 人、认可 {SURVEY_APPROVING} 人"
    )


def _prepare(actor: Actor, candidates: list[int]) -> list[int]:
    """Up to ``PER_LIST`` of a village's candidates given their 2020 income; those that now pass the check."""
    chosen = sorted(candidates)[:PER_LIST]
    for household in Household.objects.filter(pk__in=chosen).prefetch_related("persons__incomes"):
        _forest_ranger_income(actor, household)
    after = check_households(chosen, YEAR)
    return [pk for pk in chosen if after[pk].exit_ok]


RANGER_FEN = 800 * 12 * 100  # 护林员 公益岗位: 800 元 a month ([seed] 002)


def _forest_ranger_income(actor: Actor, household: Household) -> None:
    """The members' 2020 income: their latest (2019) figures, the head with a year's 护林员 wages added."""
    fen_by_person: dict[Person, dict[str, int]] = {}
    for person in household.persons.all():
        if person.status != "active":
            continue
        latest = max(person.incomes.all(), key=lambda r: r.year, default=None)
        fen = {k: getattr(latest, k) if latest else 0 for k in INCOME_FIELDS}
        if person.relation == "head":
            fen["wages_fen"] += RANGER_FEN
        fen_by_person[person] = fen
    set_household_incomes(actor, YEAR, fen_by_person)


def _bring_to(actor: Actor, exit_list: ExitList, stage: str) -> None:
    order = [s for s in actions.STEPS if s != ExitStage.PROPOSED]
    for step in order[: order.index(stage) + 1] if stage != ExitStage.PROPOSED else []:
        if step == ExitStage.REVIEWED:
            actions.record_review(actor, exit_list, date=D(2020, 5, 13), note="到会党员、村民代表 38 人，一致同意")
        elif step == ExitStage.VERIFIED:
            for entry in exit_list.entries.select_related("exit_list__village").prefetch_related("household__persons"):
                head = next((p.name for p in entry.household.persons.all() if p.relation == "head"), "户主")
                actions.record_signature(actor, entry, date=D(2020, 5, 16), signed_by=head)
            actions.record_verification(actor, exit_list, date=D(2020, 5, 19), note="村委会、驻村工作队入户核实")
        elif step == ExitStage.PUBLICIZED:
            actions.start_publicity(actor, exit_list, start=D(2020, 5, 20), end=D(2020, 5, 26))
        elif step == ExitStage.TOWNSHIP_VERIFIED:
            actions.township_verify(actor, exit_list, date=D(2020, 5, 29))
        elif step == ExitStage.ANNOUNCED:
            actions.announce(actor, exit_list, date=D(2020, 6, 10))
        elif step == ExitStage.CLOSED:
            actions.close(actor, exit_list, date=D(2020, 6, 20))
        exit_list.refresh_from_db()
