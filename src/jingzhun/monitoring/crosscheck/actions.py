"""Every write of 数据比对: import a list, store a run's hits as 疑点, decide a 疑点 (confirm or clear).

Each action is one transaction with one audit row (``crosscheck.*``) and checks the actor's role and region:
lists are county-wide, so only the county (or the administrator, or the system: CLI, demo) imports and runs
them; a 疑点 is verified by the village's cadre, the township or the county — never by an auditor (read-only)
or by staff of another village. A confirmed hit *proposes* a registry change (registry.change_actions.propose_change,
maker–checker), which a second person decides — except a 服刑 hit, which records the member's dated 服刑 term
itself (registry.custody_actions.record_custody: a fact the village verified, editable and endable on the
household page, not a change of status or eligibility).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.monitoring.crosscheck import bulk
from jingzhun.monitoring.crosscheck.queries import deciding_region
from jingzhun.monitoring.crosscheck.sources import DISQUALIFY, SHORT, exemptions_for
from jingzhun.monitoring.models.crosscheck import (
    Ambiguity,
    AmbiguityState,
    DeptList,
    DeptRow,
    Suspect,
    SuspectState,
)
from jingzhun.registry.change_actions import propose_change
from jingzhun.registry.custody_actions import record_custody
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


def _decimal_text(values: pl.Series, places: int) -> list[str | None]:
    """Floats → DecimalField text as ``Decimal(str(round(x, places)))`` writes it (never a float column)."""
    return [None if v is None else str(Decimal(str(round(float(v), places)))) for v in values.to_list()]


def _agreement_json(found: pl.DataFrame) -> list[str]:
    """Each hit's field agreement as JSON text ({"id": …, "name": …} — the fields that were compared)."""
    keys = ("id", "name", "birth", "village")
    columns = [found[f"agree_{k}"].to_list() for k in keys]
    texts: dict[tuple[str | None, ...], str] = {}  # a few dozen combinations of levels in all
    out = []
    for values in zip(*columns, strict=True):
        text = texts.get(values)
        if text is None:
            text = texts[values] = json.dumps({k: v for k, v in zip(keys, values, strict=True) if v is not None})
        out.append(text)
    return out


def store_hits(
    actor: Actor,
    found: pl.DataFrame,
    *,
    sources: Sequence[str],
    lists: Sequence[int] = (),
    flagged: Sequence[Mapping[str, Any]] = (),
) -> dict[str, int]:
    """Store a run's hits as 疑点 and its ties / shared IDs as 待甄别, in one transaction with one audit row:
    a row that already has a 疑点 (open or decided) or a 待甄别 entry keeps it — never duplicated.

    ``found`` has one row per hit: ``row`` (DeptRow pk), ``list_source``, ``person_id``, ``household_pk``,
    ``person_village``, ``match``, ``weight``, ``match_weight`` and ``agree_id|name|birth|village``; the
    rows are written in bulk (:func:`.bulk.insert`). ``flagged`` entries carry ``row_id``, ``source``,
    ``reason``, ``weight``, ``candidates`` (person pks) and ``village_codes``. ``lists`` are the snapshots
    the rows come from (their existing 疑点 are read in one query). Returns counts (new, kept, flagged)."""
    check_importer(actor)
    with transaction.atomic():
        existing = Suspect.objects.filter(row__dept_list__in=lists) if lists else Suspect.objects.all()
        have = pl.Series("row", list(existing.values_list("row_id", flat=True)), dtype=pl.Int64)
        fresh = found.filter(~pl.col("row").is_in(have.implode()))
        stamp = bulk.timestamp()
        rows = pl.DataFrame(
            {
                "row_id": fresh["row"].cast(pl.Int64),
                "source": fresh["list_source"],
                "person_id": fresh["person_id"].cast(pl.Int64),
                "household_id": fresh["household_pk"].cast(pl.Int64),
                "village_code": fresh["person_village"],
                "match": fresh["match"],
                "probability": pl.Series(_decimal_text(fresh["weight"], 6), dtype=pl.String),
                "match_weight": pl.Series(_decimal_text(fresh["match_weight"], 3), dtype=pl.String),
                "agreement": pl.Series(_agreement_json(fresh), dtype=pl.String),
            }
        ).with_columns(
            pl.lit(SuspectState.OPEN.value).alias("state"),
            pl.lit("").alias("exemption"),
            pl.lit("").alias("reason"),
            pl.lit("").alias("decided_label"),
            pl.lit(stamp).alias("created_at"),
        )
        bulk.insert(Suspect, rows)
        new_flags = _store_flagged(flagged, set(have.to_list()) | set(rows["row_id"].to_list()))
        counts = {"new": rows.height, "kept": found.height - rows.height, "flagged": new_flags}
        record_audit(actor, "crosscheck.run", object_type="DeptList", after={"sources": list(sources), **counts})
    return counts


def _store_flagged(flagged: Sequence[Mapping[str, Any]], suspect_rows: set[int]) -> int:
    """New 待甄别 rows (a row with a 疑点 or already flagged is skipped); their candidates in one insert."""
    rows = [int(f["row_id"]) for f in flagged]
    have = set(Ambiguity.objects.filter(row_id__in=rows).values_list("row_id", flat=True)) | suspect_rows
    fresh = [f for f in flagged if int(f["row_id"]) not in have]
    made = Ambiguity.objects.bulk_create(
        [
            Ambiguity(
                row_id=int(f["row_id"]),
                source=f["source"],
                reason=f["reason"],
                probability=Decimal(str(round(float(f["weight"]), 6))),
                village_codes=list(f["village_codes"]),
                state=AmbiguityState.OPEN,
            )
            for f in fresh
        ],
        batch_size=BATCH,
    )
    through = Ambiguity.candidates.through
    through.objects.bulk_create(
        [
            through(ambiguity_id=a.pk, person_id=person)
            for a, f in zip(made, fresh, strict=True)
            for person in f["candidates"]
        ],
        batch_size=BATCH,
    )
    return len(made)


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
    if not exemption:
        raise ValidationError({"exemption": "请选择排除情形 [exemption]"})
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


PRISON_START = ("服刑起始日期", "入监日期", "入狱日期", "收监日期", "刑期起日")
PRISON_END = ("刑满释放日期", "刑满日期", "刑期止日", "释放日期")


def prison_dates(row: DeptRow) -> tuple[dt.date, dt.date | None]:
    """A 服刑 row's term: the first readable start column (else the list's 截至日期 — serving on that date is
    what the list says) and the first readable release column, if any."""
    from jingzhun.monitoring.crosscheck.importer import parse_date

    def first(keys: tuple[str, ...]) -> dt.date | None:
        for key in keys:
            if found := parse_date(str(row.evidence.get(key) or "")):
                return found
        return None

    return first(PRISON_START) or row.dept_list.as_of, first(PRISON_END)


def confirm_suspect(actor: Actor, suspect: Suspect, *, reason: str) -> Suspect:
    """核实属实: a death proposes 死亡登记, a disqualifying list proposes the §1 ``disqualified`` code (both
    decided by a second person, registry maker–checker); a 服刑 hit records the member's 服刑 term at once
    (registry.custody: not a member of the 共同生活家庭 while serving; dates from the row, editable on the
    household page); other lists record the finding only."""
    if not reason.strip():
        raise ValidationError({"reason": "核实属实须填写核实说明 [reason]"})
    with transaction.atomic():
        suspect = _locked(suspect)
        _check_verifier(actor, suspect)
        where = f"{SHORT.get(suspect.source, suspect.source)}名单 {suspect.row.dept_list.as_of} 第{suspect.row.row}行"
        note = f"数据比对（{where}）：{reason.strip()}"[:200]
        request, term = None, None
        if suspect.source == "death":
            if suspect.person.status != PersonStatus.ACTIVE:
                raise ValidationError({"person": "该人员已不是在册状态，无需再登记死亡 [person]"})
            payload = {"person": str(suspect.person_id), "date": death_date(suspect.row).isoformat(), "note": note}
            request = propose_change(actor, suspect.household, ChangeKind.DEATH, payload, reason=note)
        elif suspect.source in DISQUALIFY:
            payload = {"code": DISQUALIFY[suspect.source], "note": note}
            request = propose_change(actor, suspect.household, ChangeKind.DISQUALIFY, payload, reason=note)
        elif suspect.source == "prison":
            start, end = prison_dates(suspect.row)
            term = record_custody(actor, suspect.person, start=start, end=end, note=note)
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
            after={
                "state": suspect.state,
                "change_request": request.pk if request else None,
                "custody_term": term.pk if term else None,
            },
            reason=suspect.reason,
        )
    return suspect


def resolve_ambiguity(actor: Actor, ambiguity: Ambiguity, *, person_id: int | None, reason: str) -> Ambiguity:
    """甄别 a 待甄别 row by hand: ``person_id`` names the candidate the row is about — an ordinary 疑点 is opened
    for them (``match`` = ``manual``), to be verified like any other — or ``None``: none of them (the row
    is left unmatched). Nothing in the registry changes. The actor must cover the lowest region that holds
    every candidate (:func:`.queries.deciding_region`: the village, or the township / county when the
    candidates live in several villages), with a verifying role."""
    if not reason.strip():
        raise ValidationError({"reason": "甄别须填写说明 [reason]"})
    with transaction.atomic():
        ambiguity = Ambiguity.objects.select_for_update().select_related("row__dept_list").get(pk=ambiguity.pk)
        candidates = {p.pk: p for p in ambiguity.candidates.select_related("household__village")}
        if person_id is not None and person_id not in candidates:
            raise ValidationError({"person": "所选人员不是该名单行的候选人员 [person]"})
        chosen = [candidates[person_id]] if person_id is not None else list(candidates.values())
        decider = deciding_region(p.household.village.code for p in candidates.values())
        if decider is None or not actor.can_see(decider.code):
            if any(actor.can_see(p.household.village.code) for p in candidates.values()) and decider is not None:
                raise PermissionDenied(f"候选人员分属多个村，该名单行由{decider.name}甄别。")
            raise PermissionDenied("无权甄别该名单行。")
        check_region(actor, decider.code)
        if actor.role not in VERIFY_ROLES:
            raise PermissionDenied("待甄别名单行由村干部、乡镇或县级经办人员甄别。")
        if ambiguity.state != AmbiguityState.OPEN:
            raise ValidationError({"state": f"该名单行已{ambiguity.get_state_display()}，不能再次甄别 [state]"})
        suspect = None
        if person_id is not None:
            if Suspect.objects.filter(row=ambiguity.row).exists():
                raise ValidationError({"row": "该名单行已有疑点 [row]"})
            person = candidates[person_id]
            suspect = Suspect.objects.create(
                row=ambiguity.row,
                source=ambiguity.source,
                person=person,
                household=person.household,
                village_code=person.household.village.code,
                match="manual",
                probability=ambiguity.probability,
                agreement={},
            )
            ambiguity.state, ambiguity.chosen = AmbiguityState.CHOSEN, person
        else:
            ambiguity.state = AmbiguityState.NONE
        ambiguity.reason_text = reason.strip()
        ambiguity.decided_by, ambiguity.decided_label, ambiguity.decided_at = actor.user, actor.label, timezone.now()
        ambiguity.save(update_fields=["state", "chosen", "reason_text", "decided_by", "decided_label", "decided_at"])
        record_audit(
            actor,
            "crosscheck.resolve",
            object_type="Ambiguity",
            object_id=ambiguity.pk,
            region_code=chosen[0].household.village.code if chosen else "",
            before={"state": AmbiguityState.OPEN},
            after={"state": ambiguity.state, "person": person_id, "suspect": suspect.pk if suspect else None},
            reason=ambiguity.reason_text,
        )
    return ambiguity
