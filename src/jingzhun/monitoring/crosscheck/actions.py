"""Every write of 数据比对: import a list, store a run's hits as 疑点, decide a 疑点 (confirm or clear).

Each action is one transaction with one audit row (``crosscheck.*``) and checks the actor's role and region:
lists are county-wide, so only the county (or the administrator, or the system: CLI, demo) imports and runs
them; a 疑点 is verified by the village's cadre, the township or the county — never by an auditor (read-only)
or by staff of another village. Nothing in the registry changes here: a confirmed hit *proposes* a change
(registry.change_actions.propose_change, maker–checker), which a second person decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.monitoring.crosscheck.sources import DISQUALIFY, SHORT, exemptions_for
from jingzhun.monitoring.models.crosscheck import DeptList, DeptRow, Suspect, SuspectState
from jingzhun.registry.change_actions import propose_change
from jingzhun.registry.models import ChangeKind, PersonStatus

COUNTY_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
VERIFY_ROLES = frozenset({Role.VILLAGE_CADRE, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN})
BATCH = 5000


def check_importer(actor: Actor) -> None:
    """Department lists cover the county: imported and run by the county (or the system)."""
    if actor.role == Role.AUDITOR:
        raise PermissionDenied("审计账号为只读，不能导入名单或运行比对。")
    if actor.user is not None and actor.role not in COUNTY_ROLES:
        raise PermissionDenied("部门比对名单由县级经办人员导入和比对。")


def write_list(
    actor: Actor, *, source: str, as_of: dt.date, file_name: str, sha256: str, rows: Sequence[Mapping[str, Any]]
) -> tuple[DeptList, bool]:
    """Write a validated list and its rows in one transaction; the same file again → (existing, False)."""
    check_importer(actor)
    with transaction.atomic():
        existing = DeptList.objects.select_for_update().filter(source=source, as_of=as_of, sha256=sha256).first()
        if existing is not None:
            return existing, False
        dept_list = DeptList.objects.create(
            source=source,
            as_of=as_of,
            file_name=file_name[:255],
            sha256=sha256,
            row_count=len(rows),
            imported_by=actor.label[:150],
        )
        for start in range(0, len(rows), BATCH):
            DeptRow.objects.bulk_create(
                [DeptRow(dept_list=dept_list, **row) for row in rows[start : start + BATCH]], batch_size=BATCH
            )
        record_audit(
            actor,
            "crosscheck.import_list",
            object_type="DeptList",
            object_id=dept_list.pk,
            after={
                "source": source,
                "as_of": as_of.isoformat(),
                "file": file_name,
                "sha256": sha256,
                "rows": len(rows),
            },
        )
    return dept_list, True


def store_hits(
    actor: Actor, hits: Sequence[Mapping[str, Any]], *, sources: Sequence[str], lists: Sequence[int] = ()
) -> dict[str, int]:
    """Store a run's hits as 疑点: a row that already has one (open or decided) keeps it — never duplicated.

    ``hits`` carry ``row_id`` (DeptRow pk), ``person_id``, ``household_id``, ``village_code``, ``match``,
    ``weight``, ``match_weight`` and ``agreement``; ``lists`` are the snapshots the rows come from (their
    existing 疑点 are read in one query). Returns counts (new, kept)."""
    check_importer(actor)
    with transaction.atomic():
        existing = Suspect.objects.filter(row__dept_list__in=lists) if lists else Suspect.objects.all()
        have = set(existing.values_list("row_id", flat=True))
        fresh = [h for h in hits if int(h["row_id"]) not in have]
        suspects = [
            Suspect(
                row_id=int(h["row_id"]),
                source=h["source"],
                person_id=int(h["person_id"]),
                household_id=int(h["household_id"]),
                village_code=h["village_code"],
                match=h["match"],
                probability=Decimal(str(round(float(h["weight"]), 6))),
                match_weight=None
                if h.get("match_weight") is None
                else Decimal(str(round(float(h["match_weight"]), 3))),
                agreement=dict(h.get("agreement") or {}),
            )
            for h in fresh
        ]
        Suspect.objects.bulk_create(suspects, batch_size=BATCH)
        counts = {"new": len(suspects), "kept": len(hits) - len(suspects)}
        record_audit(actor, "crosscheck.run", object_type="DeptList", after={"sources": list(sources), **counts})
    return counts


def _locked(suspect: Suspect) -> Suspect:
    return (
        Suspect.objects.select_for_update()
        .select_related("row__dept_list", "person", "household__village")
        .get(pk=suspect.pk)
    )


def _check_verifier(actor: Actor, suspect: Suspect) -> None:
    check_region(actor, suspect.village_code)
    if actor.role not in VERIFY_ROLES:
        raise PermissionDenied("疑点由村干部、乡镇或县级经办人员核实。")
    if suspect.state != SuspectState.OPEN:
        raise ValidationError({"state": f"该疑点已{suspect.get_state_display()}，不能再次处理 [state]"})


def _decided(actor: Actor, suspect: Suspect, state: str, reason: str) -> None:
    suspect.state, suspect.reason = state, reason
    suspect.decided_by, suspect.decided_label, suspect.decided_at = actor.user, actor.label, timezone.now()


def clear_suspect(actor: Actor, suspect: Suspect, *, exemption: str, reason: str) -> Suspect:
    """核实排除: with a reason and an exemption code of POLICY.md §8's table (or 非本人 / 名单有误)."""
    allowed = exemptions_for(suspect.source)
    if exemption not in allowed:
        raise ValidationError(
            {"exemption": f"排除情形无效：{exemption}（可选：{'、'.join(allowed.values())}）[exemption]"}
        )
    if not reason.strip():
        raise ValidationError({"reason": "排除须填写核实说明 [reason]"})
    with transaction.atomic():
        suspect = _locked(suspect)
        _check_verifier(actor, suspect)
        suspect.exemption = exemption
        _decided(actor, suspect, SuspectState.CLEARED, reason.strip())
        suspect.save(update_fields=["state", "exemption", "reason", "decided_by", "decided_label", "decided_at"])
        record_audit(
            actor,
            "crosscheck.clear",
            object_type="Suspect",
            object_id=suspect.pk,
            region_code=suspect.village_code,
            before={"state": SuspectState.OPEN},
            after={"state": suspect.state, "exemption": exemption},
            reason=suspect.reason,
        )
    return suspect


def death_date(row: DeptRow) -> dt.date:
    """The list's 死亡日期 when it has a readable one, else the list's 截至日期."""
    from jingzhun.monitoring.crosscheck.importer import parse_date

    text = str(row.evidence.get("死亡日期") or "")
    return (parse_date(text) if text else None) or row.dept_list.as_of


def confirm_suspect(actor: Actor, suspect: Suspect, *, reason: str) -> Suspect:
    """核实属实: a death proposes 死亡登记, a disqualifying list proposes the §1 ``disqualified`` code (both
    decided by a second person, registry maker–checker); other lists record the finding only."""
    if not reason.strip():
        raise ValidationError({"reason": "核实属实须填写核实说明 [reason]"})
    with transaction.atomic():
        suspect = _locked(suspect)
        _check_verifier(actor, suspect)
        where = f"{SHORT.get(suspect.source, suspect.source)}名单 {suspect.row.dept_list.as_of} 第{suspect.row.row}行"
        note = f"数据比对（{where}）：{reason.strip()}"[:200]
        request = None
        if suspect.source == "death":
            if suspect.person.status != PersonStatus.ACTIVE:
                raise ValidationError({"person": "该人员已不是在册状态，无需再登记死亡 [person]"})
            payload = {"person": str(suspect.person_id), "date": death_date(suspect.row).isoformat(), "note": note}
            request = propose_change(actor, suspect.household, ChangeKind.DEATH, payload, reason=note)
        elif suspect.source in DISQUALIFY:
            payload = {"code": DISQUALIFY[suspect.source], "note": note}
            request = propose_change(actor, suspect.household, ChangeKind.DISQUALIFY, payload, reason=note)
        suspect.change_request = request
        _decided(actor, suspect, SuspectState.CONFIRMED, reason.strip())
        suspect.save(update_fields=["state", "reason", "change_request", "decided_by", "decided_label", "decided_at"])
        record_audit(
            actor,
            "crosscheck.confirm",
            object_type="Suspect",
            object_id=suspect.pk,
            region_code=suspect.village_code,
            before={"state": SuspectState.OPEN},
            after={"state": suspect.state, "change_request": request.pk if request else None},
            reason=suspect.reason,
        )
    return suspect
