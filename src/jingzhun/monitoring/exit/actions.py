"""Every write of the exit workflow (POLICY.md §8): one function per step, one transaction, one audit row,
the region check and the role the step belongs to.

预退出 (village cadre) → 民主评议 (village cadre) → 入户核实 with each household's signature (village
cadre) → 村公示 ≥ 7 days (village cadre) → 乡镇核实 (township officer, after the 公示 has ended) →
县公告 (county officer) → 销号 (county officer: each household becomes 已脱贫（享受政策）through the
registry's action). An admin may record any step. An auditor never writes.

Readings of POLICY.md a caseworker would expect (also in the report):

* The steps are taken by the whole village list together (one 评议 meeting, one 公示 notice); a
  household the 评议 does not agree to is taken off the list with the reason, before 核实.
* "公示 ≥ 7 days" counts calendar days, both ends included: 1 to 7 June is 7 days. 乡镇核实 only
  from the day after the 公示 ends.
* A household that fails the exit check of the list's year cannot be put on the list; the check is run
  again at 核实 and at 销号 (facts may have changed), and a failing household stops the step with its
  failed criteria named.
* Exit stops no payment: nothing here touches enrolments or the ledger (脱贫不脱政策).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core import workday
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.monitoring.exit.check import check_households
from jingzhun.monitoring.models import ExitEntry, ExitList, ExitStage, ExitStep
from jingzhun.registry.exit_actions import set_exit_status
from jingzhun.registry.models import EXITED_STATUSES, NOT_EXITED_STATUSES, Household, Region

PUBLICITY_DAYS = 7
EXITABLE = NOT_EXITED_STATUSES  # 未脱贫, and 返贫 (a returned household exits again)
ROLE_ZH = dict(Role.choices)
# Which role records which step; the stage the list must be at before it.
STEPS: dict[str, tuple[str, str | None]] = {
    ExitStage.PROPOSED: (Role.VILLAGE_CADRE, None),
    ExitStage.REVIEWED: (Role.VILLAGE_CADRE, ExitStage.PROPOSED),
    ExitStage.VERIFIED: (Role.VILLAGE_CADRE, ExitStage.REVIEWED),
    ExitStage.PUBLICIZED: (Role.VILLAGE_CADRE, ExitStage.VERIFIED),
    ExitStage.TOWNSHIP_VERIFIED: (Role.TOWNSHIP_OFFICER, ExitStage.PUBLICIZED),
    ExitStage.ANNOUNCED: (Role.COUNTY_OFFICER, ExitStage.TOWNSHIP_VERIFIED),
    ExitStage.CLOSED: (Role.COUNTY_OFFICER, ExitStage.ANNOUNCED),
}


def may_record(actor: Actor, stage: str) -> bool:
    role = STEPS[stage][0]
    return actor.role in (role, Role.ADMIN)


def check_step(actor: Actor, region_code: str, stage: str) -> None:
    """Region (and read-only) check, then the role of the step — Chinese refusals."""
    check_region(actor, region_code)
    if not may_record(actor, stage):
        role = STEPS[stage][0]
        raise PermissionDenied(f"「{ExitStage(stage).label}」由{ROLE_ZH[role]}登记，本账号不能操作。")


def _date(value: dt.date, field: str, not_before: dt.date | None = None, what: str = "") -> None:
    today = workday.today()
    if value > today:
        raise ValidationError({field: f"日期不能晚于今天（{today.isoformat()}）[{field}]"})
    if not_before is not None and value < not_before:
        raise ValidationError({field: f"日期不能早于{what}（{not_before.isoformat()}）[{field}]"})


def _failing(households: Iterable[Household], year: int) -> list[str]:
    households = list(households)
    results = check_households([h.pk for h in households], year)
    return [
        f"户 {h.household_no}：未通过{year}年度退出核查——{'；'.join(results[h.pk].failed_zh())}"
        for h in households
        if not results[h.pk].exit_ok
    ]


def _step(actor: Actor, exit_list: ExitList, stage: str, date: dt.date, note: str, extra: Mapping[str, Any]) -> None:
    before = exit_list.stage
    exit_list.stage = stage
    exit_list.save()
    ExitStep.objects.create(
        exit_list=exit_list, stage=stage, date=date, note=note, actor_label=actor.label, actor_role=actor.role
    )
    record_audit(
        actor,
        f"monitoring.exit.{stage}",
        object_type="monitoring.ExitList",
        object_id=exit_list.pk,
        region_code=exit_list.village.code,
        before={"stage": before},
        after={"stage": stage, "date": date.isoformat(), **extra},
        reason=note,
    )


def _locked(exit_list: ExitList, stage: str) -> ExitList:
    locked = ExitList.objects.select_for_update().select_related("village").get(pk=exit_list.pk)
    wanted = STEPS[stage][1]
    if locked.stage != wanted:
        assert wanted is not None
        raise ValidationError(
            f"名单当前环节为「{locked.get_stage_display()}」，须在「{ExitStage(wanted).label}」之后才能登记「{ExitStage(stage).label}」"
        )
    return locked


def propose(actor: Actor, village_code: str, year: int, households: Iterable[Household], *, date: dt.date) -> ExitList:
    """预退出: the village's list for the year, with the households proposed (each must pass the check)."""
    check_step(actor, village_code, ExitStage.PROPOSED)
    households = list(households)
    if not households:
        raise ValidationError({"households": "请至少选择一户 [households]"})
    _date(date, "date", dt.date(year, 1, 1), f"{year} 年 1 月 1 日")
    with transaction.atomic():
        village = Region.objects.get(code=village_code, level="village")
        rows = list(Household.objects.select_for_update().filter(pk__in=[h.pk for h in households]))
        errors = [f"户 {h.household_no} 不在本村" for h in rows if h.village_id != village.pk] + [
            f"户 {h.household_no} 的户状态为「{h.get_status_display() or '非建档立卡'}」，不能提出退出"
            for h in rows
            if h.village_id == village.pk and (h.status not in EXITABLE or not h.active)
        ]
        if errors:
            raise ValidationError({"households": errors})
        if failing := _failing(rows, year):
            raise ValidationError({"households": failing})
        exit_list, created = ExitList.objects.get_or_create(village=village, year=year, defaults={"proposed_on": date})
        if not created and exit_list.stage != ExitStage.PROPOSED:
            raise ValidationError(f"本村 {year} 年预退出名单已进入「{exit_list.get_stage_display()}」，不能再加户")
        already = set(
            ExitEntry.objects.filter(household__in=rows, exit_list__year=year).values_list("household_id", flat=True)
        )
        added = [h for h in rows if h.pk not in already]
        if not added:
            raise ValidationError({"households": "所选的户已在名单中"})
        ExitEntry.objects.bulk_create(ExitEntry(exit_list=exit_list, household=h) for h in added)
        ExitStep.objects.create(
            exit_list=exit_list,
            stage=ExitStage.PROPOSED,
            date=date,
            actor_label=actor.label,
            actor_role=actor.role,
            note=f"提出 {len(added)} 户",
        )
        record_audit(
            actor,
            "monitoring.exit.proposed",
            object_type="monitoring.ExitList",
            object_id=exit_list.pk,
            region_code=village.code,
            after={"year": year, "date": date.isoformat(), "households": sorted(h.household_no for h in added)},
        )
    return exit_list


def record_review(
    actor: Actor, exit_list: ExitList, *, date: dt.date, note: str, removed: Mapping[int, str] | None = None
) -> ExitList:
    """民主评议: the meeting's date and record; households it did not agree to are taken off, with the reason."""
    check_step(actor, exit_list.village.code, ExitStage.REVIEWED)
    if not note.strip():
        raise ValidationError({"note": "请填写评议情况（参会人数、表决结果）[note]"})
    removed = dict(removed or {})
    if missing := [pk for pk, reason in removed.items() if not reason.strip()]:
        raise ValidationError({"removed": f"移出名单须写明原因（{len(missing)} 户未写）[removed]"})
    with transaction.atomic():
        exit_list = _locked(exit_list, ExitStage.REVIEWED)
        _date(date, "date", exit_list.proposed_on, "提出日期")
        entries = {e.pk: e for e in exit_list.entries.select_related("household")}
        if stray := set(removed) - set(entries):
            raise ValidationError({"removed": f"不是本名单的户：{sorted(stray)} [removed]"})
        if len(removed) == len(entries):
            raise ValidationError({"removed": "评议后名单中没有户了：如全部不同意退出，请不要登记评议 [removed]"})
        for pk, reason in removed.items():
            ExitEntry.objects.filter(pk=pk).update(removed=True, removed_reason=reason.strip()[:200])
        exit_list.review_date, exit_list.review_note = date, note.strip()
        removed_nos = sorted(entries[pk].household.household_no for pk in removed)
        _step(actor, exit_list, ExitStage.REVIEWED, date, note.strip(), {"removed": removed_nos})
    return exit_list


def record_signature(actor: Actor, entry: ExitEntry, *, date: dt.date, signed_by: str) -> ExitEntry:
    """入户核实: the household signs its agreement (who signed, when). Only after 民主评议."""
    check_step(actor, entry.exit_list.village.code, ExitStage.VERIFIED)
    if not signed_by.strip():
        raise ValidationError({"signed_by": "请填写签字人姓名 [signed_by]"})
    with transaction.atomic():
        entry = ExitEntry.objects.select_for_update().select_related("exit_list__village", "household").get(pk=entry.pk)
        if entry.exit_list.stage != ExitStage.REVIEWED:
            raise ValidationError("只能在民主评议之后、入户核实登记之前记录户签字")
        if entry.removed:
            raise ValidationError("该户已移出名单")
        assert entry.exit_list.review_date is not None
        _date(date, "date", entry.exit_list.review_date, "民主评议日期")
        before = {"signed_on": entry.signed_on.isoformat() if entry.signed_on else None, "signed_by": entry.signed_by}
        entry.signed_on, entry.signed_by = date, signed_by.strip()[:64]
        entry.save()
        record_audit(
            actor,
            "monitoring.exit.signed",
            object_type="monitoring.ExitEntry",
            object_id=entry.pk,
            region_code=entry.exit_list.village.code,
            before=before,
            after={
                "household_no": entry.household.household_no,
                "signed_on": date.isoformat(),
                "signed_by": entry.signed_by,
            },
        )
    return entry


def record_verification(actor: Actor, exit_list: ExitList, *, date: dt.date, note: str = "") -> ExitList:
    """入户核实 done: every household on the list has signed and still passes the check."""
    check_step(actor, exit_list.village.code, ExitStage.VERIFIED)
    with transaction.atomic():
        exit_list = _locked(exit_list, ExitStage.VERIFIED)
        assert exit_list.review_date is not None
        _date(date, "date", exit_list.review_date, "民主评议日期")
        entries = list(exit_list.entries.filter(removed=False).select_related("household"))
        if unsigned := [e.household.household_no for e in entries if e.signed_on is None]:
            raise ValidationError(f"以下户尚未签字确认：{'、'.join(unsigned)}")
        if failing := _failing([e.household for e in entries], exit_list.year):
            raise ValidationError(failing)
        exit_list.verified_on = date
        _step(actor, exit_list, ExitStage.VERIFIED, date, note, {"households": len(entries)})
    return exit_list


def start_publicity(actor: Actor, exit_list: ExitList, *, start: dt.date, end: dt.date) -> ExitList:
    """村公示: from ``start`` to ``end``, both included, at least 7 days."""
    check_step(actor, exit_list.village.code, ExitStage.PUBLICIZED)
    with transaction.atomic():
        exit_list = _locked(exit_list, ExitStage.PUBLICIZED)
        assert exit_list.verified_on is not None
        _date(start, "start", exit_list.verified_on, "入户核实日期")
        days = (end - start).days + 1
        if days < PUBLICITY_DAYS:
            raise ValidationError(
                {"end": f"公示期不少于 {PUBLICITY_DAYS} 天（首尾两天都计入），现为 {max(days, 0)} 天 [end]"}
            )
        exit_list.publicity_start, exit_list.publicity_end = start, end
        _step(
            actor,
            exit_list,
            ExitStage.PUBLICIZED,
            start,
            f"公示 {start.isoformat()} 至 {end.isoformat()}",
            {"end": end.isoformat()},
        )
    return exit_list


def township_verify(actor: Actor, exit_list: ExitList, *, date: dt.date, note: str = "") -> ExitList:
    """乡镇核实, only once the 公示 has ended."""
    check_step(actor, exit_list.village.code, ExitStage.TOWNSHIP_VERIFIED)
    with transaction.atomic():
        exit_list = _locked(exit_list, ExitStage.TOWNSHIP_VERIFIED)
        assert exit_list.publicity_end is not None
        _date(date, "date", exit_list.publicity_end + dt.timedelta(days=1), "公示期满次日")
        exit_list.township_verified_on = date
        _step(actor, exit_list, ExitStage.TOWNSHIP_VERIFIED, date, note, {})
    return exit_list


def announce(actor: Actor, exit_list: ExitList, *, date: dt.date, note: str = "") -> ExitList:
    """县公告 of the list."""
    check_step(actor, exit_list.village.code, ExitStage.ANNOUNCED)
    with transaction.atomic():
        exit_list = _locked(exit_list, ExitStage.ANNOUNCED)
        assert exit_list.township_verified_on is not None
        _date(date, "date", exit_list.township_verified_on, "乡镇核实日期")
        exit_list.announced_on = date
        _step(actor, exit_list, ExitStage.ANNOUNCED, date, note, {})
    return exit_list


def close(actor: Actor, exit_list: ExitList, *, date: dt.date, note: str = "") -> ExitList:
    """销号: every household still on the list becomes 已脱贫（享受政策）, each through the registry's action."""
    check_step(actor, exit_list.village.code, ExitStage.CLOSED)
    with transaction.atomic():
        exit_list = _locked(exit_list, ExitStage.CLOSED)
        assert exit_list.announced_on is not None
        _date(date, "date", exit_list.announced_on, "县公告日期")
        entries = list(exit_list.entries.filter(removed=False).select_related("household__village"))
        if failing := _failing([e.household for e in entries], exit_list.year):
            raise ValidationError(failing)
        words = note or f"{exit_list.year} 年脱贫退出（县公告 {exit_list.announced_on.isoformat()}）"
        for e in entries:
            set_exit_status(actor, e.household, date=date, note=words, source={"exit_list": exit_list.pk})
        exit_list.closed_on = date
        _step(
            actor, exit_list, ExitStage.CLOSED, date, note, {"households": [e.household.household_no for e in entries]}
        )
    return exit_list


def record_sample_check(
    actor: Actor, county_code: str, year: int, *, date: dt.date, findings: Iterable[tuple[str, str]], note: str = ""
) -> Any:
    """抽样核查 (county staff): the sampled households by 户编号 and a finding each (correct / wrongly_exited /
    wrongly_missed). A household already exited is in the 错退 sample, any other in the 漏评 sample."""
    from jingzhun.monitoring.models import SampleCheck, SampleFinding, SampleOutcome

    check_region(actor, county_code)
    if actor.role not in (Role.COUNTY_OFFICER, Role.ADMIN):
        raise PermissionDenied("抽样核查由县级经办人员录入，本账号不能操作。")
    findings = list(findings)
    if not findings:
        raise ValidationError({"findings": "请至少录入一户 [findings]"})
    _date(date, "date", dt.date(year, 1, 1), f"{year} 年 1 月 1 日")
    errors: list[str] = []
    numbers = [no for no, _ in findings]
    known = {
        h.household_no: h
        for h in Household.objects.filter(household_no__in=numbers, village__code__startswith=county_code)
    }
    seen: set[str] = set()
    for line, (no, outcome) in enumerate(findings, start=1):
        if no not in known:
            errors.append(f"第{line}行 户编号 {no} 不是本县的户")
        if outcome not in SampleOutcome.values:
            errors.append(f"第{line}行 结论「{outcome}」应为 准确、错退 或 漏评")
        if no in seen:
            errors.append(f"第{line}行 户编号 {no} 重复")
        seen.add(no)
        h = known.get(no)
        if h is not None and outcome == SampleOutcome.WRONGLY_EXITED and h.status not in EXITED_STATUSES:
            errors.append(f"第{line}行 户 {no} 不是已脱贫户，不能判为错退")
        if h is not None and outcome == SampleOutcome.WRONGLY_MISSED and h.status in EXITED_STATUSES:
            errors.append(f"第{line}行 户 {no} 是已脱贫户，不能判为漏评")
    if errors:
        raise ValidationError({"findings": errors})
    with transaction.atomic():
        county = Region.objects.get(code=county_code)
        sample = SampleCheck.objects.create(
            county=county, year=year, date=date, note=note[:200], actor_label=actor.label
        )
        SampleFinding.objects.bulk_create(
            SampleFinding(
                sample=sample,
                household=known[no],
                exited_sample=known[no].status in EXITED_STATUSES,
                outcome=outcome,
            )
            for no, outcome in findings
        )
        record_audit(
            actor,
            "monitoring.exit.sample_check",
            object_type="monitoring.SampleCheck",
            object_id=sample.pk,
            region_code=county_code,
            after={"year": year, "date": date.isoformat(), "findings": [list(f) for f in findings]},
            reason=note,
        )
    return sample


def record_survey(actor: Actor, county_code: str, year: int, *, date: dt.date, asked: int, approving: int) -> Any:
    """群众认可度 survey count (county staff)."""
    from jingzhun.monitoring.models import SurveyCount

    check_region(actor, county_code)
    if actor.role not in (Role.COUNTY_OFFICER, Role.ADMIN):
        raise PermissionDenied("认可度调查由县级经办人员录入，本账号不能操作。")
    if asked <= 0:
        raise ValidationError({"asked": "调查人数须大于 0 [asked]"})
    if not 0 <= approving <= asked:
        raise ValidationError({"approving": "认可人数须在 0 到调查人数之间 [approving]"})
    _date(date, "date", dt.date(year, 1, 1), f"{year} 年 1 月 1 日")
    with transaction.atomic():
        survey = SurveyCount.objects.create(
            county=Region.objects.get(code=county_code),
            year=year,
            date=date,
            asked=asked,
            approving=approving,
            actor_label=actor.label,
        )
        record_audit(
            actor,
            "monitoring.exit.survey",
            object_type="monitoring.SurveyCount",
            object_id=survey.pk,
            region_code=county_code,
            after={"year": year, "date": date.isoformat(), "asked": asked, "approving": approving},
        )
    return survey
