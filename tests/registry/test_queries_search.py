"""The household search answers the same rows in the same order whichever plan it takes.

``queries.search`` reads a large scope by walking the 户编号 index and a small one through the village
index and a sort (``WALK_THRESHOLD``); the 身份证号后 4 位 search reads the indexed ``Person.id_tail``. Here
every kind of search, over every persona, is paged forward and back under both plans and compared with the
answer worked out in Python from the plain rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.registry import queries
from jingzhun.registry.models import Household, Person
from tests.staff import make_household

pytestmark = pytest.mark.django_db

NAMES = ("刘保平", "王秀英", "张建国", "李桂兰", "赵文华", "刘秀兰", "孙有福")
STATUSES = ("not_exited", "exited_supported", "returned", "exited_closed", None)
PERSONAS = ("alice", "tom", "victor", "carl", "audrey", "zoe", "root")


@pytest.fixture
def county(regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    """39 households over the five villages, in 户编号 orders unlike their villages' and creation order."""
    villages = [regions[v] for v in ("v11", "v12", "v21", "v91")]
    for n in range(39):
        village = villages[(n * 3) % 4]
        status = STATUSES[n % 5]
        make_household(
            village,
            f"{village.code}{(n * 17) % 41:04d}",
            NAMES[n % 7],
            others=(NAMES[(n + 3) % 7],) if n % 2 else (),
            birth=dt.date(1940 + n, 1 + n % 12, 2),
            families=("dibao",) if n % 4 == 0 else (),
            status=status,
            registered_year=2016 if status else None,
            active=n % 9 != 4,
            assigned_cadre=personas["carl"] if n % 3 == 0 else None,
        )
    return regions


def _expected(actor: Actor, s: queries.Search) -> list[str]:
    """The answer from first principles: every household, filtered in Python."""
    from jingzhun.assistance.models import Enrollment

    dibao = set(Enrollment.objects.filter(family="dibao", status="active").values_list("household_id", flat=True))
    members_of: dict[int, list[tuple[str, str]]] = {}
    for household_id, name, number in Person.objects.values_list("household_id", "name", "id_number"):
        members_of.setdefault(household_id, []).append((name, number))
    out = []
    for h in Household.objects.select_related("village").order_by("household_no"):
        members = members_of.get(h.pk, [])
        if not h.village.code.startswith(actor.scope):
            continue
        if actor.role == "assigned_cadre" and h.assigned_cadre_id != actor.user.pk:
            continue
        inside = s.region.startswith(actor.scope)  # a region outside the scope is ignored (with a note)
        if s.region and inside and not h.village.code.startswith(queries._prefix(s.region)):
            continue
        if {"active": not h.active, "closed": h.active}.get(s.active, False):
            continue
        if s.status and (h.status != s.status if s.status != "none" else h.registered_year is not None):
            continue
        if s.family and h.pk not in dibao:
            continue
        if s.q and len(s.q) == 4 and s.q[:3].isdigit() and (s.q[3].isdigit() or s.q[3] == "X"):  # an ID tail
            if not any(number.endswith(s.q) for _, number in members):
                continue
        elif s.q and s.q.isdigit():
            if not h.household_no.startswith(s.q):
                continue
        elif s.q and not any(s.q in name for name, _ in members):
            continue
        out.append(h.household_no)
    return out


def _forward(actor: Actor, s: queries.Search) -> tuple[list[str], int]:
    seen: list[str] = []
    page = queries.search(actor, s)
    count = page.count
    while True:
        seen += [row.household.household_no for row in page.rows]
        if page.next_after is None:
            return seen, count
        page = queries.search(actor, queries.Search(**{**s.__dict__, "after": page.next_after}))


def _backward(actor: Actor, s: queries.Search) -> list[str]:
    seen: list[str] = []
    before: str | None = chr(0x10FFFF)  # past every 户编号
    while before is not None:
        page = queries.search(actor, queries.Search(**{**s.__dict__, "before": before}))
        seen = [row.household.household_no for row in page.rows] + seen
        before = page.prev_before
    return seen


def _searches(tails: list[str]) -> list[queries.Search]:
    plain = [
        queries.Search(),
        queries.Search(active="all"),
        queries.Search(active="closed"),
        queries.Search(status="exited_supported", active="all"),
        queries.Search(status="none"),
        queries.Search(family="dibao"),
        queries.Search(region="141102001000"),
        queries.Search(region="141102002001", status="not_exited"),
        queries.Search(q="秀"),
        queries.Search(q="刘保平", family="dibao"),
        queries.Search(q="14110200100"),  # 户编号 prefix
    ]
    return plain + [queries.Search(q=tail) for tail in tails]


@pytest.mark.parametrize("threshold", [0, 10**9], ids=["walk", "village-index"])
def test_every_search_pages_to_the_expected_households(
    county: Any, personas: dict[str, Any], monkeypatch: Any, threshold: int
) -> None:
    monkeypatch.setattr(queries, "WALK_THRESHOLD", threshold)
    numbers = Person.objects.values_list("id_number", flat=True)
    tails = (
        sorted({n[-4:] for n in numbers if n[-1] != "X"})[:3] + sorted({n[-4:] for n in numbers if n[-1] == "X"})[:1]
    )
    checked = 0
    for persona, s in itertools.product(PERSONAS, _searches(tails)):
        actor = Actor.for_user(personas[persona])
        s = queries.Search(**{**s.__dict__, "limit": 4})
        expected = _expected(actor, s)
        forward, count = _forward(actor, s)
        assert forward == expected, (persona, s)
        assert count == len(expected), (persona, s)
        assert _backward(actor, s) == expected, (persona, s)
        checked += len(expected)
    assert checked > 200  # the data set is not empty for most searches
