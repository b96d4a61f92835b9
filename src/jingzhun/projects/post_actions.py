"""公益岗位 and 生态护林员: posts, monthly attendance and wages paid through the ledger (issue #17, POLICY.md §9).

Every write is one function, one transaction, one audit row, region-checked:

* :func:`create_post` — a post in a village held by a registered-poor member with labour capacity (有劳动力 or
  弱劳动力) of a household of that village, in the register; one open post per person. A 护林员's wage is the
  county's (``projects.forest_ranger_wage``: 离石 800 元 a month, 兴县 6 000 元 a year ÷ 12); any other
  post's is the monthly wage it is created with. Village, township and county staff create posts.
* :func:`pay_post_month` — the month's attendance and its wage (full wage × days worked / days required,
  ``policy.projects_rules.post_wage_fen``) recorded and paid as one ledger line of the post's own program
  (``forest_ranger_wage`` / ``welfare_post_wage``) through ``core.payouts``, in the same transaction. A
  month is paid once; township and county staff pay (the village reports attendance to them). A month before
  the post started or after it ended, or after the working month, is refused.
* :func:`leave_post` — 离岗 on a date for a reason: that month is the last paid; :func:`reassign_post` gives
  the same post to another eligible member from a later month. Village, township and county staff.

Money is integer fen; wages given as yuan are decimal strings. 帮扶 cadres and auditors write nothing here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jingzhun.core import payouts, workday
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.policy import projects_rules as rules
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import MissingParameter, load_parameters
from jingzhun.projects.models import POST_PROGRAMS, PostFunding, PostKind, PostMonth, WelfarePost
from jingzhun.registry.models import Person, PersonStatus, Region, RegionLevel

POST_WRITERS = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.VILLAGE_CADRE, Role.ADMIN})
PAYERS = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.ADMIN})
LABOUR_OK = ("full", "partial")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str, field: str) -> dt.date:
    match = _MONTH.match((text or "").strip())
    if match is None:
        raise ValidationError({field: f"月份应写成 YYYY-MM（例如 2020-06），收到 {text!r} [{field}]"})
    return dt.date(int(match[1]), int(match[2]), 1)


def yuan_to_fen(text: str, field: str) -> int:
    """A wage in yuan as typed ("800", "800.50") → integer fen; anything else a Chinese message."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: f"金额应为大于 0 的元数，最多两位小数，收到 {text!r} [{field}]"})
    return int(value * 100)


def create_post(
    actor: Actor,
    *,
    village_code: str,
    kind: str,
    title: str,
    holder_id_number: str,
    start_month: dt.date,
    month_wage_fen: int | None = None,
    funding: str = PostFunding.SPECIAL,
) -> WelfarePost:
    check_region(actor, village_code)
    if actor.role not in POST_WRITERS:
        raise PermissionDenied("公益岗位由村、乡镇或县级经办人员登记。")
    problems: list[str] = []
    village = Region.objects.filter(code=village_code, level=RegionLevel.VILLAGE).first()
    if village is None:
        problems.append(f"村级区划代码 {village_code} 不存在 [village]")
    if kind not in PostKind.values:
        problems.append(f"岗位类型应为 {'、'.join(PostKind.labels)} [kind]")
    if funding not in PostFunding.values:
        problems.append(f"资金来源应为 {'、'.join(PostFunding.labels)} [funding]")
    if not title.strip() or len(title.strip()) > 40:
        problems.append("岗位名称不能为空，最多 40 字 [title]")
    if kind == PostKind.WELFARE and (not isinstance(month_wage_fen, int) or month_wage_fen <= 0):
        problems.append("公益岗位须写明月工资（大于 0） [month_wage]")
    if kind == PostKind.FOREST_RANGER and month_wage_fen is not None:
        problems.append("护林员工资按县核定标准，不另填月工资 [month_wage]")
    person = (
        Person.objects.select_related("household", "household__village")
        .filter(id_number=holder_id_number.strip().upper())
        .first()
    )
    if person is None:
        problems.append(f"身份证号 {holder_id_number} 不在户籍档案中 [holder]")
    else:
        household = person.household
        if village is not None and household.village_id != village.pk:
            problems.append(f"{person.name} 不是 {village.name} 的户籍人员 [holder]")
        if person.status != PersonStatus.ACTIVE or not household.active:
            problems.append(f"{person.name} 不在册（已注销或迁出） [holder]")
        if household.registered_year is None or not household.status:
            problems.append(f"{person.name} 所在户不是建档立卡户，公益岗位聘用建档立卡贫困劳动力 [holder]")
        if person.labour not in LABOUR_OK:
            problems.append(f"{person.name} 无劳动能力，不能聘为公益岗位 [holder]")
        if WelfarePost.objects.filter(holder=person, end_month__isnull=True).exists():
            problems.append(f"{person.name} 已在公益岗位上（一人一岗） [holder]")
    if problems:
        raise ValidationError({"__all__": problems})
    assert village is not None and person is not None
    with transaction.atomic():
        post = WelfarePost.objects.create(
            village=village,
            kind=kind,
            title=title.strip(),
            holder=person,
            month_wage_fen=month_wage_fen if kind == PostKind.WELFARE else None,
            funding=funding,
            start_month=start_month.replace(day=1),
            created_by=actor.label,
        )
        record_audit(
            actor,
            "projects.create_post",
            object_type="WelfarePost",
            object_id=post.pk,
            region_code=village.code,
            after={
                "kind": kind,
                "title": post.title,
                "holder": person.pk,
                "month_wage_fen": post.month_wage_fen,
                "funding": funding,
                "start_month": post.start_month.isoformat(),
            },
        )
    return post


def month_wage_yuan(post: WelfarePost, month: dt.date) -> Fraction:
    """The post's full wage for a month, in yuan: the county's 护林员 wage, or the post's own."""
    if post.kind == PostKind.FOREST_RANGER:
        try:
            return rules.ranger_month_wage(load_parameters(), post.village.code[:6], month)
        except MissingParameter as exc:
            message = f"{post.village.name}所在县没有护林员工资标准（{exc}） [wage]"
            raise ValidationError({"__all__": [message]}) from exc
    return Fraction(post.month_wage_fen or 0, 100)


def pay_post_month(
    actor: Actor, post: WelfarePost, *, month: dt.date, days_worked: int, days_required: int
) -> PostMonth:
    """Record the month's attendance and pay its wage into the ledger (module docstring)."""
    post = WelfarePost.objects.select_related("village", "holder", "holder__household").get(pk=post.pk)
    check_region(actor, post.village.code)
    if actor.role not in PAYERS:
        raise PermissionDenied("公益岗位工资由乡镇或县级经办人员核发（村里上报考勤）。")
    month = month.replace(day=1)
    problems: list[str] = []
    if month < post.start_month:
        problems.append(f"{month:%Y-%m} 早于上岗月份 {post.start_month:%Y-%m} [month]")
    if post.end_month is not None and month > post.end_month:
        problems.append(f"{month:%Y-%m} 晚于离岗月份 {post.end_month:%Y-%m} [month]")
    if month > workday.this_month():
        problems.append(f"{month:%Y-%m} 晚于工作月份 {workday.this_month():%Y-%m}，不能预发工资 [month]")
    for value, key in ((days_worked, "days_worked"), (days_required, "days_required")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 31:
            problems.append(f"天数应为 0 到 31 的整数，收到 {value!r} [{key}]")
    if isinstance(days_worked, int) and isinstance(days_required, int) and days_worked > days_required:
        problems.append(f"出勤 {days_worked} 天多于应出勤 {days_required} 天 [days_worked]")
    if PostMonth.objects.filter(post=post, month=month).exists():
        problems.append(f"{post.holder.name} {month:%Y-%m} 的工资已发放，不能重复发放 [month]")
    if problems:
        raise ValidationError({"__all__": problems})
    try:
        wage = rules.post_wage_fen(month_wage_yuan(post, month), days_worked, days_required)
    except rules.ProjectRuleError as exc:
        raise ValidationError({"__all__": exc.problems}) from exc
    program = POST_PROGRAMS[PostKind(post.kind)]
    try:
        with transaction.atomic():
            record = PostMonth.objects.create(
                post=post,
                month=month,
                days_required=days_required,
                days_worked=days_worked,
                wage_fen=wage,
                recorded_by=actor.label,
            )
            if wage > 0:
                payouts.post(
                    actor,
                    [
                        payouts.Payout(
                            household_pk=post.holder.household_id,
                            person_pk=post.holder.pk,
                            program=program,
                            month=month,
                            amount_fen=wage,
                            kind="payment",
                            reason=f"{post.title} {month:%Y-%m} 出勤 {days_worked}/{days_required} 天",
                            ref=f"post:{post.pk}#{month:%Y-%m}",
                        )
                    ],
                )
            record_audit(
                actor,
                "projects.pay_post_month",
                object_type="PostMonth",
                object_id=record.pk,
                region_code=post.village.code,
                after={
                    "post": post.pk,
                    "holder": post.holder.pk,
                    "month": f"{month:%Y-%m}",
                    "days_worked": days_worked,
                    "days_required": days_required,
                    "wage_fen": wage,
                    "wage": fen_to_str(wage),
                    "program": program,
                },
            )
    except IntegrityError as exc:  # the same month paid at the same moment by someone else
        raise ValidationError({"__all__": [f"{month:%Y-%m} 的工资已发放，不能重复发放 [month]"]}) from exc
    return record


def leave_post(actor: Actor, post: WelfarePost, *, day: dt.date, reason: str) -> WelfarePost:
    """离岗: the holder leaves the post on ``day`` for ``reason``. The month of ``day`` is the last one paid
    (its attendance says how much); from the month after, :func:`pay_post_month` refuses. A month already
    paid after that month keeps its ledger line, so such a date is refused: the ledger is append-only."""
    post = WelfarePost.objects.select_related("village", "holder").get(pk=post.pk)
    check_region(actor, post.village.code)
    if actor.role not in POST_WRITERS:
        raise PermissionDenied("离岗由村、乡镇或县级经办人员登记。")
    problems: list[str] = []
    month = day.replace(day=1)
    if post.end_month is not None:
        problems.append(f"{post.holder.name} 已于 {post.end_date or post.end_month} 离岗 [post]")
    if month < post.start_month:
        problems.append(f"离岗日期 {day} 早于上岗月份 {post.start_month:%Y-%m} [day]")
    if day > workday.today():
        problems.append(f"离岗日期 {day} 晚于今天（工作日 {workday.today()}） [day]")
    paid_after = PostMonth.objects.filter(post=post, month__gt=month).order_by("month").first()
    if paid_after is not None:
        problems.append(f"{paid_after.month:%Y-%m} 的工资已发放，离岗日期不能早于该月 [day]")
    if not reason.strip() or len(reason.strip()) > 100:
        problems.append("离岗原因不能为空，最多 100 字 [reason]")
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        updated = WelfarePost.objects.filter(pk=post.pk, end_month__isnull=True).update(
            end_month=month, end_date=day, end_reason=reason.strip()
        )
        if not updated:  # ended by someone else meanwhile
            raise ValidationError({"__all__": [f"{post.holder.name} 已离岗 [post]"]})
        record_audit(
            actor,
            "projects.leave_post",
            object_type="WelfarePost",
            object_id=post.pk,
            region_code=post.village.code,
            before={"end_month": None},
            after={"end_month": f"{month:%Y-%m}", "end_date": day.isoformat(), "end_reason": reason.strip()},
        )
    post.refresh_from_db()
    return post


def reassign_post(actor: Actor, post: WelfarePost, *, holder_id_number: str, start_month: dt.date) -> WelfarePost:
    """另聘: the same post (village, type, title, wage, funding) held by another eligible member from
    ``start_month`` — a new post row through :func:`create_post` (its checks, its audit row), once the old
    holder has left and from a month after the one they were last paid for."""
    post = WelfarePost.objects.select_related("village", "holder").get(pk=post.pk)
    check_region(actor, post.village.code)
    if post.end_month is None:
        raise ValidationError({"__all__": [f"{post.holder.name} 仍在岗，先登记离岗再另聘 [post]"]})
    if start_month.replace(day=1) <= post.end_month:
        message = f"另聘上岗月份应晚于原岗位人员最后发放工资的月份 {post.end_month:%Y-%m} [start_month]"
        raise ValidationError({"__all__": [message]})
    return create_post(
        actor,
        village_code=post.village.code,
        kind=post.kind,
        title=post.title,
        holder_id_number=holder_id_number,
        start_month=start_month,
        month_wage_fen=post.month_wage_fen,
        funding=post.funding,
    )
