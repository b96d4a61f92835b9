"""Region-scoped reads of the registry for the staff pages and the API.

Who sees which households (DESIGN.md, data rules): county, township and village staff and auditors see
every household under their region's code prefix; a 帮扶 cadre sees only the households assigned to
them (and inside their region); the system administrator sees all. A household outside the actor's
scope is *missing* — :func:`get_household_for` raises ``Http404`` — so an id outside one's scope cannot
be told apart from an id that does not exist.

Search and pagination are built for 10⁵ households (``bench/bench_household_list.py``): the scope and the
village filter go through the villages' ids (the ``(village, active)`` index), the order is ``household_no``
(unique index) and pages are keyset pages (``household_no > after``), so page 2 000 costs what page 1 costs.
A page is read as keys first (no join), then its rows. The 身份证号后 4 位 search reads ``Person.id_tail``
(stored, indexed with the household); a county-wide status filter counts from ``(status, village, active)``;
a name search reads the name index of migration 0006 (pg_trgm on PostgreSQL, (name, household) on SQLite).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from jingzhun.core.actions import Actor
from jingzhun.core.models import READ_ONLY_ROLES, Role
from jingzhun.policy.vocabulary import FAMILIES
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import Household, HouseholdStatus, Person, PersonStatus, Region, RegionLevel

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
WALK_THRESHOLD = 20_000  # households in scope above which a page is read in 户编号 order (see search)
MAX_KEYS = 10_000  # person matches carried as keys; beyond, a subquery and a capped count
COUNT_CAP = 5_000  # "超过 5000 户" instead of counting a very common search to the end
# 身份证号 in full on the household page: county 民政/扶贫办 officers and the administrator (DESIGN.md).
FULL_ID_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
NOT_REGISTERED = "none"  # status filter: households that are not 建档立卡
ACTIVE_CHOICES = {"active": "在册", "closed": "已销户", "all": "全部"}
ENROLLED = "active"  # assistance.models.EnrollmentStatus.ACTIVE: an open (在册) enrollment

_FULL_ID = re.compile(r"^\d{17}[\dX]$")
_ID_TAIL = re.compile(r"^\d{3}[\dX]$")
_MASKED_ID = re.compile(r"^(\d{4})[*＊]+(\d{3}[\dX])$")  # as the list shows it: 1411**********0010
_DIGITS = re.compile(r"^\d+$")


def can_write(actor: Actor) -> bool:
    return actor.role not in READ_ONLY_ROLES


def can_see_full_id(actor: Actor) -> bool:
    return actor.role in FULL_ID_ROLES


def shown_id(actor: Actor, number: str, *, detail: bool = False) -> str:
    """The ID number as this actor may see it: whole only on the detail page of an authorised user."""
    return number if detail and can_see_full_id(actor) else mask_id_number(number)


def households_for(actor: Actor) -> QuerySet[Household]:
    """Every household (open and closed) the actor may read."""
    households = Household.objects.all()
    if actor.scope:
        households = households.filter(village__in=_villages(actor.scope))
    if actor.role == Role.ASSIGNED_CADRE:
        households = households.filter(assigned_cadre=actor.user)
    return households


def get_household_for(actor: Actor, pk: object) -> Household:
    """The household ``pk`` if the actor may read it; ``Http404`` otherwise (never 403: no probing)."""
    try:
        key = int(str(pk))
    except ValueError:
        raise Http404("未找到该户") from None
    return _readable_household(actor, pk=key)


def get_household_by_no_for(actor: Actor, household_no: str) -> Household:
    """The household with this 户编号 if the actor may read it; ``Http404`` otherwise (as :func:`get_household_for`)."""
    return _readable_household(actor, household_no=household_no)


def _readable_household(actor: Actor, **lookup: object) -> Household:
    household = households_for(actor).select_related("village__parent", "assigned_cadre").filter(**lookup).first()
    if household is None:
        raise Http404("未找到该户")
    return household


def get_person_for(actor: Actor, household: Household, pk: object) -> Person:
    """A member of a household the actor may read (``Http404`` for anyone else's)."""
    try:
        key = int(str(pk))
    except ValueError:
        raise Http404("未找到该成员") from None
    person = Person.objects.filter(household=household, pk=key).select_related("household__village").first()
    if person is None:
        raise Http404("未找到该成员")
    return person


def _villages(prefix: str) -> QuerySet[Region]:
    return Region.objects.filter(level="village", code__startswith=prefix).values("pk")


def region_choices(actor: Actor, selected: str = "") -> list[tuple[str, str]]:
    """Regions to filter by, as a short tree: the level just below the actor's region, and below the region
    chosen so far its own children (a county officer sees 13 townships, then that township's villages)."""
    scope = actor.scope
    if len(scope) >= 12:
        return []
    inside = selected if selected.startswith(scope) and selected.isdigit() else ""
    expand = {code for code in (inside[:6], f"{inside[:9]}000" if len(inside) == 12 else "") if len(code) > len(scope)}
    if inside and len(inside) > len(scope):
        expand.add(inside)
    out: list[tuple[str, str]] = []

    def add(rows: list[tuple[str, str]], depth: int) -> None:
        for code, name in rows:
            out.append((code, "\u3000" * depth + name))
            if code in expand:
                add(_children(code), depth + 1)

    add(_scope_children(scope), 0)
    return out


def _children(code: str) -> list[tuple[str, str]]:
    return list(Region.objects.filter(parent__code=code).order_by("code").values_list("code", "name"))


def _scope_children(scope: str) -> list[tuple[str, str]]:
    """The regions one level below a scope prefix ("" and provinces: the counties)."""
    if len(scope) == 9:
        return _children(f"{scope}000")
    if len(scope) == 6:
        return _children(scope)
    if len(scope) == 4:
        return _children(f"{scope}00")
    counties = Region.objects.filter(level="county", code__startswith=scope).order_by("code")
    return list(counties.values_list("code", "name"))


@dataclass(frozen=True)
class Search:
    """What the list page and ``GET /api/households`` filter by; every field optional."""

    q: str = ""  # member name, last 4 digits of an ID number, a whole ID (authorised users), 户编号
    region: str = ""  # county, township or village code inside the actor's scope
    status: str = ""  # a HouseholdStatus value, NOT_REGISTERED, or "" for any
    family: str = ""  # enrolled (在册) in this assistance family (policy.vocabulary.FAMILIES)
    active: str = "active"  # ACTIVE_CHOICES
    after: str = ""  # keyset cursor: the last 户编号 of the previous page
    before: str = ""  # keyset cursor for the page before: the first 户编号 of the current page
    limit: int = PAGE_SIZE


@dataclass
class Row:
    household: Household
    head_name: str = ""
    head_id: str = ""  # masked
    members: int = 0  # active (在册) members
    families: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)  # other members whose name matched the search


@dataclass
class Page:
    rows: list[Row]
    count: int
    next_after: str | None
    prev_before: str | None
    notes: list[str] = field(default_factory=list)  # Chinese explanations of how the query was read
    count_capped: bool = False  # ``count`` is a lower bound (COUNT_CAP): the search matches more


def search(actor: Actor, s: Search) -> Page:
    """One page of the actor's households matching ``s``, ordered by 户编号.

    The plan is chosen from one cheap count (the ``(village, active)`` index covers it): when the scope
    holds many households the page walks the 户编号 index and stops after one page (the village filter is
    written so that the database cannot prefer the village index and sort everything); a small scope is
    fetched through the village index and sorted. A scope of up to ``WALK_THRESHOLD`` households (a township)
    is small: sorting its keys costs less than a walk that may have to pass every household of the
    townships whose 户编号 sort before it. A person search (name, ID digits) reads the person table's index
    once, then works on the matching households' keys.
    """
    found = filtered(actor, s)
    return _page(
        found.households,
        s,
        found.count,
        found.notes,
        found.name,
        capped=found.capped and found.count > COUNT_CAP,
        walk=found.walk,
    )


@dataclass
class Filtered:
    """The households matching a search, not yet paged: what :func:`search` pages and the export reads whole."""

    households: QuerySet[Household]
    count: int
    notes: list[str]
    name: str
    capped: bool  # ``count`` stopped at COUNT_CAP + 1
    walk: bool


def filtered(actor: Actor, s: Search) -> Filtered:
    """The search's filters applied (scope, region, status, family, text) and the count, as :func:`search`
    reads them; ordering and paging are left to the caller."""
    notes: list[str] = []
    villages = _scope_villages(actor, s, notes)
    scope_count = _base(actor, s, villages, walk=False).count()
    walk = scope_count > WALK_THRESHOLD
    text = text_filter(actor, s.q)
    notes.extend(text.notes)
    capped = False
    households = _base(actor, s, villages, walk=walk)
    if s.status == NOT_REGISTERED:
        households = households.filter(registered_year__isnull=True)
    elif s.status in HouseholdStatus.values:
        households = households.filter(status=s.status)
    if s.family:  # the assistance app's enrollments, through their reverse relation (the registry is below it)
        enrolled = Household.objects.filter(enrollments__family=s.family, enrollments__status=ENROLLED).values("pk")
        households = households.filter(pk__in=enrolled)
    if text.persons is not None:
        persons = Person.objects.filter(text.persons)
        if not walk:  # a small scope: read its members only, through the household index, not every person
            persons = persons.filter(household__in=_base(actor, s, villages, walk=False).values("pk"))
        keys = list(persons.order_by().values_list("household_id", flat=True)[:MAX_KEYS])
        if len(keys) < MAX_KEYS:
            match = Q(pk__in=set(keys))
        else:  # very common (a surname across a county): count no further than COUNT_CAP
            match, capped = Q(pk__in=persons.values("household_id")), True
        households = households.filter(match | text.households if text.households is not None else match)
    elif text.households is not None:
        households = households.filter(text.households)
    narrowed = s.status == NOT_REGISTERED or s.status in HouseholdStatus.values or bool(s.family)
    if not narrowed and text.persons is None and text.households is None:
        count = scope_count
    elif capped:
        count = households[: COUNT_CAP + 1].count()
    else:
        count = households.count()
    return Filtered(households, count, notes, text.name, capped, walk)


def all_keys(found: Filtered, limit: int) -> list[int]:
    """The first ``limit`` matching households' ids in 户编号 order, in one read (the 导出Excel)."""
    households = found.households
    if not found.walk:
        households = households.alias(sort_key=Concat(F("household_no"), Value(""), output_field=CharField()))
    key = "household_no" if found.walk else "sort_key"
    return list(households.order_by(key).values_list("pk", flat=True)[:limit])


def _page(
    households: QuerySet[Household], s: Search, count: int, notes: list[str], name: str, *, capped: bool, walk: bool
) -> Page:
    """One keyset page in two reads: the page's keys (``id``, ``户编号``) in 户编号 order from the filtered
    households alone — no join, so the plan chosen in :func:`search` (walk the 户编号 index, or the village
    index and a sort of keys only) is the plan the database runs — then those rows with their regions.

    Not walking, the order is written ``household_no || ''`` (the same order): PostgreSQL would otherwise
    walk the 户编号 index anyway, expecting a township's households spread evenly over it."""
    limit = max(1, min(s.limit, MAX_PAGE_SIZE))
    if not walk:
        households = households.alias(sort_key=Concat(F("household_no"), Value(""), output_field=CharField()))
    key = "household_no" if walk else "sort_key"
    if s.before:
        keys = list(
            households.filter(household_no__lt=s.before)
            .order_by(f"-{key}")
            .values_list("pk", "household_no")[: limit + 1]
        )
        has_more_before = len(keys) > limit
        keys = keys[:limit][::-1]
        prev_before = keys[0][1] if keys and has_more_before else None
        next_after = keys[-1][1] if keys else None
    else:
        if s.after:
            households = households.filter(household_no__gt=s.after)
        keys = list(households.order_by(key).values_list("pk", "household_no")[: limit + 1])
        next_after = keys[limit - 1][1] if len(keys) > limit else None
        keys = keys[:limit]
        prev_before = keys[0][1] if keys and s.after else None
    fetched = Household.objects.select_related("village__parent").in_bulk([pk for pk, _ in keys])
    chunk = [fetched[pk] for pk, _ in keys]
    return Page(
        page_rows(chunk, name), min(count, COUNT_CAP) if capped else count, next_after, prev_before, notes, capped
    )


def _scope_villages(actor: Actor, s: Search, notes: list[str]) -> list[int]:
    """The ids of the villages to look in: the actor's scope, narrowed to the region filter when it lies inside
    it. Ids rather than a subquery: PostgreSQL then estimates from the village column's statistics how many
    households a township holds (from a subquery it guesses "most of them" and walks the 户编号 index)."""
    if s.region and s.region.isdigit() and s.region.startswith(actor.scope):
        prefix = _prefix(s.region)
    else:
        if s.region:
            notes.append(f"区域代码 {s.region} 不在您的工作范围内，已忽略该条件。")
        prefix = actor.scope
    return list(_villages(prefix).values_list("pk", flat=True))


def _base(actor: Actor, s: Search, villages: list[int], *, walk: bool) -> QuerySet[Household]:
    """The scope (villages, 帮扶 assignment) and the 在册/销户 choice. ``walk``: keep the village index out of
    the plan (``village_id + 0``), so a large scope is read in 户编号 order and the read stops after a page."""
    if walk:
        households = Household.objects.alias(village_key=F("village_id") + 0).filter(village_key__in=villages)
    else:
        households = Household.objects.filter(village__in=villages)
    if actor.role == Role.ASSIGNED_CADRE:
        households = households.filter(assigned_cadre=actor.user)
    if s.active == "active":
        households = households.filter(active=True)
    elif s.active == "closed":
        households = households.filter(active=False)
    return households


def _prefix(code: str) -> str:
    from jingzhun.core.scope import region_prefix

    try:
        return region_prefix(code)
    except ValueError:
        return code


@dataclass
class TextMatch:
    persons: Q | None = None  # on Person: the household has a member matching
    households: Q | None = None  # on Household
    notes: list[str] = field(default_factory=list)
    name: str = ""  # the name searched for, to show which member matched


def text_filter(actor: Actor, raw: str) -> TextMatch:
    """Read the search box: a whole ID number, the last 4 characters of one, a 户编号, or a member's name.
    The household search's and the 帮扶记录 list's (helping.list_queries) one reading of the box."""
    q = raw.strip().upper()
    if not q:
        return TextMatch()
    if both := name_and_tail(raw):  # "吴全华 0013": the member with that name and those last 4 digits
        name, tail = both
        note = f"按姓名「{name}」和身份证号后 4 位 {tail} 查询。"
        return TextMatch(Q(id_tail=tail, name__contains=name), None, [note], name)
    if _FULL_ID.match(q):
        if can_see_full_id(actor):
            return TextMatch(Q(id_number=q), Q(household_no=q), ["按完整身份证号或户编号查询。"])
        note = "完整身份证号查询仅限县级经办人员和管理员；已按户编号查询，也可输入身份证号后 4 位。"
        return TextMatch(None, Q(household_no=q), [note])
    if _ID_TAIL.match(q):  # Person.id_tail is RIGHT(id_number, 4), stored and indexed with the household
        return TextMatch(Q(id_tail=q), None, ["按身份证号后 4 位查询。"])
    if masked := _MASKED_ID.match(q):  # copied from the list: its last 4 (indexed), and the first 4 it shows
        head, tail = masked.groups()
        return TextMatch(Q(id_tail=tail, id_number__startswith=head), None, ["按脱敏身份证号的前 4 位和后 4 位查询。"])
    if _DIGITS.match(q):  # a 户编号 prefix, as a range so that the unique index answers it on every database
        upper = q[:-1] + chr(ord(q[-1]) + 1)
        return TextMatch(None, Q(household_no__gte=q, household_no__lt=upper), ["按户编号查询。"])
    text = raw.strip()
    if regions := _regions_named(actor, text):
        exact = [r for r in regions if r.name == text]  # the whole name, 村/镇 and all: those regions only
        chosen = exact or regions
        villages = [pk for r in chosen for pk in _villages(_prefix(r.code)).values_list("pk", flat=True)]
        in_regions = Q(village_id__in=villages)
        named = "、".join(f"「{r.name}」" for r in chosen)
        if exact:
            return TextMatch(None, in_regions, [f"按区域{named}查询（也可用区域选择）。"])
        hint = f"只查区域请输入{named}" if len(chosen) == 1 else "只查区域请输入区域全称"
        note = f"显示{named}的住户和姓名含「{text}」的住户（{hint}）。"
        return TextMatch(Q(name__contains=text), in_regions, [note], text)
    return TextMatch(Q(name__contains=text), None, [], text)


def name_and_tail(raw: str) -> tuple[str, str] | None:
    """(name, tail) when the box holds a name and the last 4 characters of an ID number, in either order,
    separated by a space (full-width too); None otherwise."""
    parts = raw.replace("\u3000", " ").split()
    if len(parts) != 2:
        return None
    first, second = parts
    for name, tail in ((first, second.upper()), (second, first.upper())):
        if _ID_TAIL.match(tail) and not _DIGITS.match(name) and not _ID_TAIL.match(name.upper()):
            return name, tail
    return None


_REGION_SUFFIXES = ("村", "社区", "居委会", "镇", "乡", "街道", "办事处")
_REGIONS_AT_MOST = 6


def _regions_named(actor: Actor, text: str) -> list[Region]:
    """The townships and villages inside the actor's region called ``text`` (with or without a 村/镇…
    suffix), at most a few: a cadre types 「油房坪」 or 「油房坪村」 and gets the village, and 「滨河」
    gets both 滨河街道 and 滨河社区. Empty for anything else (then the box searches names)."""
    if not 2 <= len(text) <= 20:
        return []
    names = {text, *(text + suffix for suffix in _REGION_SUFFIXES)}
    levels = (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
    found = Region.objects.filter(name__in=names, level__in=levels, code__startswith=actor.scope).order_by("code")
    return list(found[:_REGIONS_AT_MOST])


def page_rows(households: list[Household], name: str) -> list[Row]:
    """Head, member count and enrolled families for one page, in two queries."""
    rows = {h.pk: Row(h) for h in households}
    people = Person.objects.filter(household_id__in=rows).order_by("household_id", "id")
    for household_id, person_name, number, relation, status in people.values_list(
        "household_id", "name", "id_number", "relation", "status"
    ):
        row = rows[household_id]
        if status == PersonStatus.ACTIVE:
            row.members += 1
        if relation == "head" and (status == PersonStatus.ACTIVE or not row.head_name):
            row.head_name, row.head_id = person_name, mask_id_number(number)
        elif name and name in person_name:
            row.matched.append(person_name)
    for household_id, families in enrolled_families(list(rows)).items():
        rows[household_id].families = families
    return list(rows.values())


def enrolled_families(household_ids: list[int]) -> dict[int, list[str]]:
    """{household pk: [family label, …]} of the households' open (在册) enrollments."""
    out: dict[int, list[str]] = defaultdict(list)
    enrolled = Household.objects.filter(pk__in=household_ids, enrollments__status=ENROLLED)
    for household_id, family in enrolled.order_by("pk", "enrollments__family").values_list("pk", "enrollments__family"):
        out[household_id].append(FAMILIES.get(family, family))
    return out
