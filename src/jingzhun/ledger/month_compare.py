"""The month-run preview beside last month: per program 人数 and 金额 of both months and the difference,
and a warning when the month's CPI is missing (价格临时补贴 would silently not be paid — issue #15: July
lost 21 232.97 元 of it in the demo before this warning).

人数 is the 保障人数 of the month's lines whose net is not zero (a household line counts its members, a
person's line one); last month's comes from the ledger as it stands (its runs, reversals, adjustments)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Sum

from jingzhun.ledger.models import CpiMonth
from jingzhun.ledger.queries import PROGRAM_ORDER, scoped
from jingzhun.policy.money import fen_to_grouped
from jingzhun.policy.vocabulary import PROGRAM_NAMES

PRICE_SUBSIDY = "price_subsidy"


def previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def ledger_summary(first: dt.date, region_prefix: str) -> dict[str, tuple[int, int]]:
    """{program: (人数, net fen)} of the ledger's month in the region, keys with a non-zero net only."""
    keys = (
        scoped(region_prefix)
        .filter(month=first)
        .values_list("household_id", "person_id", "program")
        .annotate(net=Sum("amount_fen"), persons=Max("persons"))
        .order_by()
    )
    out: dict[str, tuple[int, int]] = {}
    for _household, _person, program, net, persons in keys:
        if net:
            people, fen = out.get(program, (0, 0))
            out[program] = (people + int(persons or 0), fen + int(net))
    return out


def _signed(fen: int) -> str:
    return ("+" if fen > 0 else "") + fen_to_grouped(fen)


def compare(first: dt.date, region_prefix: str, by_program: dict[str, int], persons: dict[str, int]) -> list[Any]:
    """Rows for the preview's 与上月比较 table: every program of either month, in the vocabulary's order."""
    last = ledger_summary(previous_month(first), region_prefix)
    programs = sorted({*by_program, *last}, key=lambda p: (PROGRAM_ORDER.get(p, 99), p))
    rows = []
    for program in programs:
        fen, people = int(by_program.get(program, 0)), int(persons.get(program, 0))
        last_people, last_fen = last.get(program, (0, 0))
        rows.append(
            {
                "program": program,
                "name": PROGRAM_NAMES.get(program, program),
                "persons": people,
                "amount": fen_to_grouped(fen),
                "last_persons": last_people,
                "last_amount": fen_to_grouped(last_fen),
                "persons_diff": f"{people - last_people:+d}" if people != last_people else "0",
                "amount_diff": _signed(fen - last_fen),
                "changed": fen != last_fen,
            }
        )
    return rows


def cpi_warning(first: dt.date, region_prefix: str) -> str:
    """The Chinese warning when no CPI was entered for the month ("" when it was)."""
    if CpiMonth.objects.filter(month=first).exists():
        return ""
    people, fen = ledger_summary(previous_month(first), region_prefix).get(PRICE_SUBSIDY, (0, 0))
    last = f"上月发放 {fen_to_grouped(fen)} 元、{people} 人；" if fen else ""
    return (
        f"本月CPI未录入：价格临时补贴将不发放（{last}本月为 0）。"
        f"如本月应发，请先录入 {first:%Y-%m} 的居民消费价格指数和食品价格指数涨幅"
        f"（月度发放 › 价格指数 页面，或命令 jingzhun ledger cpi set {first:%Y-%m} …），再重新试算。"
    )
