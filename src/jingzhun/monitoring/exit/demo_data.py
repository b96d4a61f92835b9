"""The demo county's exits (``make demo``): 2020 预退出 lists in a few villages at every stage.

Deterministic for a seed. The synthetic 帮扶 households are poor by construction (their 2019 income is
below the line), so the demo first gives up to five households of each chosen village — those that fail
the 2020 check on income alone — a 2020 income record: their 2019 incomes plus a 护林员 公益岗位 for the
head (800 元 a month, [seed] 002), written through the registry's income action. Each list is then
brought to its stage through the workflow's own actions, as the system actor ``demo`` (an admin: it may
record every step), with 2020 dates before the demo's working month 2020-07 (May–June): two villages 销号
(their households become 已脱贫), one in 公示, one after 民主评议, one just proposed. Payments are not touched
(脱贫不脱政策).
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
PLAN = (
    ExitStage.CLOSED,
    ExitStage.CLOSED,
    ExitStage.PUBLICIZED,
    ExitStage.REVIEWED,
    ExitStage.PROPOSED,
)
D = dt.date


def add_demo_exits(actor: Actor, county: str, seed: int) -> str:
    """Build the lists; return the sentence the demo prints."""
    started = time.perf_counter()
    candidates = list(not_exited(county).values_list("id", "village__code"))
    results = check_households([pk for pk, _ in candidates], YEAR)
    income_only: dict[str, list[int]] = defaultdict(list)
    for pk, village in candidates:
        if results[pk].exit_ok or (results[pk].failed == ("income",) and "income" not in results[pk].missing):
            income_only[village].append(pk)
    villages = sorted(v for v, pks in income_only.items() if pks)
    random.Random(seed).shuffle(villages)
    done: list[str] = []
    for village, stage in zip(villages, PLAN, strict=False):
        chosen = sorted(income_only[village])[:PER_LIST]
        for household in Household.objects.filter(pk__in=chosen).prefetch_related("persons__incomes"):
            _forest_ranger_income(actor, household)
        after = check_households(chosen, YEAR)
        households = list(Household.objects.filter(pk__in=[pk for pk in chosen if after[pk].exit_ok]))
        if not households:
            continue
        exit_list = actions.propose(actor, village, YEAR, households, date=D(2020, 5, 6))
        _bring_to(actor, exit_list, stage)
        done.append(stage)
    exited = sum(1 for s in done if s == ExitStage.CLOSED)
    return (
        f"已建立 {YEAR} 年预退出名单 {len(done)} 个村：销号 {exited} 个村、公示中 "
        f"{done.count(ExitStage.PUBLICIZED)} 个、已评议 {done.count(ExitStage.REVIEWED)} 个、"
        f"待评议 {done.count(ExitStage.PROPOSED)} 个（用时 {time.perf_counter() - started:.1f} 秒）"
    )


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
