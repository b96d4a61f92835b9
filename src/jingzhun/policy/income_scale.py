"""A household's surveyed annual income spread over its members' income rows (pure, integer fen).

The 入户调查 verifies one figure, the household's annual net income; the registry keeps it per member and
source (``IncomeRecord``). The surveyed figure replaces the registered one for the survey's year: each
member's sources keep their share of the last registered year's total (largest remainder, so the parts add
up to the fen), so who has an own income source (POLICY.md §1 ``income_source``) stays as registered unless
the survey finds no income at all. With no registered income to take shares from, the whole surveyed
income is written as the first member's (the 户主's) 工资性收入 — the caseworker corrects the split on the
household's 年收入 page when it matters.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

SOURCES = ("wages_fen", "farming_fen", "business_fen", "property_fen", "transfer_fen")


def scale_incomes(base: Mapping[K, Mapping[str, int]], total_fen: int, members: Sequence[K]) -> dict[K, dict[str, int]]:
    """Every member of ``members`` with its sources scaled so that they sum to ``total_fen``.

    ``base`` holds the last registered year's rows (members without a row are absent). Raises
    ``ValueError`` for a negative total or an empty household.
    """
    if total_fen < 0:
        raise ValueError("家庭年收入不能为负数")
    if not members:
        raise ValueError("该户没有在册成员")
    cells = [(m, s, int(base.get(m, {}).get(s, 0))) for m in members for s in SOURCES]
    base_total = sum(v for _, _, v in cells)
    out: dict[K, dict[str, int]] = {m: dict.fromkeys(SOURCES, 0) for m in members}
    if base_total <= 0:
        out[members[0]]["wages_fen"] = total_fen
        return out
    shares = [(m, s, v * total_fen // base_total, v * total_fen % base_total) for m, s, v in cells]
    for m, s, whole, _ in shares:
        out[m][s] = whole
    left = total_fen - sum(whole for _, _, whole, _ in shares)
    for m, s, _, _ in sorted(shares, key=lambda c: -c[3])[:left]:
        out[m][s] += 1
    return out
