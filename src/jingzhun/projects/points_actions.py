"""爱心超市: a household's points earned for listed activities and spent on goods in the village store, its
balance and monthly statement (issue #17, POLICY.md §9; points per activity in
``parameters/projects/love_store_points.yaml``, rules in ``policy.projects_rules``).

Every write is one function, one transaction, one audit row, region-checked: village, township and county
staff record points of households in their region (the store is the village's); 帮扶 cadres and auditors
read. Points earned are fixed at the parameters' value on the day; spending more than the balance is
refused and nothing is written (the balance can never go below zero, whatever the order of entry).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from jingzhun.core import workday
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.policy import projects_rules as rules
from jingzhun.policy.params import MissingParameter, load_parameters
from jingzhun.projects.models import POINT_ACTIVITY_NAMES, PointsEntry
from jingzhun.registry.models import Household

POINT_WRITERS = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.VILLAGE_CADRE, Role.ADMIN})


def _writer(actor: Actor, household: Household) -> None:
    check_region(actor, household.village.code)
    if actor.role not in POINT_WRITERS:
        raise PermissionDenied("爱心超市积分由村、乡镇或县级经办人员登记。")


def _day_ok(day: dt.date, problems: list[str]) -> None:
    if day > workday.today():
        problems.append(f"日期 {day} 晚于今天（工作日 {workday.today()}） [day]")


def household_rows(household: Household) -> Q:
    """The household's 爱心超市 audit rows (its points earned and spent), for its 修改记录 (core.audit_scope)."""
    ids = [str(pk) for pk in PointsEntry.objects.filter(household=household).values_list("pk", flat=True)]
    return Q(object_type="PointsEntry", object_id__in=ids)


def balance(household: Household) -> int:
    return int(PointsEntry.objects.filter(household=household).aggregate(s=Sum("points"))["s"] or 0)


def _points_table(household: Household, day: dt.date) -> dict[str, int]:
    try:
        return rules.activity_points(load_parameters(), household.village.code[:6], day)
    except (MissingParameter, rules.ProjectRuleError) as exc:
        raise ValidationError({"__all__": [f"没有爱心超市积分标准（{exc}） [activity]"]}) from exc


def _entries(household: Household) -> tuple[list[rules.PointsEntry], dict[str, int]]:
    """The household's history for the pure statement, each earning at the points stored with it (the
    parameters' value on its day, which a later change of the parameters does not rewrite)."""
    out, stored = [], {}
    for e in PointsEntry.objects.filter(household=household).order_by("day", "id"):
        if e.points >= 0:
            key = f"{e.activity}#{e.pk}"
            stored[key] = e.points
            out.append(
                rules.PointsEntry(day=e.day, activity=key, count=1, note=POINT_ACTIVITY_NAMES.get(e.activity, ""))
            )
        else:
            out.append(rules.PointsEntry(day=e.day, spent=-e.points, note=e.goods))
    return out, stored


def earn(actor: Actor, household: Household, *, day: dt.date, activity: str, count: int = 1) -> PointsEntry:
    _writer(actor, household)
    problems: list[str] = []
    _day_ok(day, problems)
    if activity not in POINT_ACTIVITY_NAMES:
        problems.append(f"活动应为 {'、'.join(POINT_ACTIVITY_NAMES.values())} [activity]")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 31:
        problems.append("次数应为 1 到 31 的整数 [count]")
    if problems:
        raise ValidationError({"__all__": problems})
    points = _points_table(household, day)[activity] * count
    with transaction.atomic():
        entry = PointsEntry.objects.create(
            household=household, day=day, activity=activity, count=count, points=points, recorded_by=actor.label
        )
        record_audit(
            actor,
            "projects.earn_points",
            object_type="PointsEntry",
            object_id=entry.pk,
            region_code=household.village.code,
            after={
                "household": household.pk,
                "day": day.isoformat(),
                "activity": activity,
                "count": count,
                "points": points,
            },
        )
    return entry


def redeem(actor: Actor, household: Household, *, day: dt.date, points: int, goods: str) -> PointsEntry:
    """Goods taken in the store for ``points``: refused when the balance on that day (every entry in date
    order, later spending included) would go below zero."""
    _writer(actor, household)
    problems: list[str] = []
    _day_ok(day, problems)
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        problems.append("兑换积分应为大于 0 的整数 [points]")
    if not goods.strip() or len(goods.strip()) > 100:
        problems.append("兑换物品不能为空，最多 100 字 [goods]")
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()  # one redemption at a time
        entries, stored = _entries(household)
        history = [*entries, rules.PointsEntry(day=day, spent=points, note=goods)]
        try:
            rules.points_statement(history, f"{day:%Y-%m}", stored)
        except rules.ProjectRuleError as exc:
            shortfall = [p.split("：", 1)[-1] for p in exc.problems if "[spent]" in p]
            raise ValidationError({"__all__": [f"积分不足，不能兑换：{'；'.join(shortfall)} [points]"]}) from exc
        entry = PointsEntry.objects.create(
            household=household, day=day, points=-points, goods=goods.strip(), recorded_by=actor.label
        )
        record_audit(
            actor,
            "projects.redeem_points",
            object_type="PointsEntry",
            object_id=entry.pk,
            region_code=household.village.code,
            after={"household": household.pk, "day": day.isoformat(), "points": -points, "goods": entry.goods},
        )
    return entry


def statement(household: Household, month: str) -> rules.PointsStatement:
    """The household's statement for ``month`` (YYYY-MM): opening, earned, spent, closing and the lines."""
    entries, stored = _entries(household)
    try:
        return rules.points_statement(entries, month, stored)
    except rules.ProjectRuleError as exc:
        raise ValidationError({"__all__": exc.problems}) from exc
