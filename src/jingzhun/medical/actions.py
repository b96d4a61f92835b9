"""Every write of the medical app: record a discharge, import a hospital's settlement export, 慢性病门诊.

Each action is one transaction with one audit row, after the region and role check:

* Who writes: county officers (县医保/民政 一站式结算窗口) and administrators, within their region. Township
  and village staff read their region's stays on the household page; auditors read, never write.
* Settlement follows POLICY.md §7 through the pure :func:`jingzhun.policy.medical.settle.settle`: a person's
  stays of one calendar year are settled together in discharge order. Recording a stay re-settles that
  person's year; a stay whose result is unchanged gets nothing new, a stay settled for the first time gets
  ``kind=settlement``, and a later stay whose amounts change because an earlier stay was recorded late gets
  an ``adjustment`` row with the full new amounts — never an edit (:mod:`jingzhun.medical.models`).
* The lines the county and 民政 pay — 医疗救助 (``medical_assistance``) and "136" 兜底 (``cap136``) — go into
  the ledger through ``core.payouts`` (the ledger registers the receiver; it is a layer above this app):
  a first settlement posts a ``payment`` line per non-zero line, an adjustment posts the difference as an
  ``adjustment`` line, in the month of the stay's discharge, inside the same transaction.

Readings where POLICY.md leaves the database side open (stated in the report too):

* ``registered_poor`` is taken from the registry: the household has a 建档立卡 year no later than the
  discharge year (an exited household keeps it: 脱贫不脱政策). ``dibao_or_tekun`` is what the hospital's
  export (or the officer at the window) states for the discharge date — the 一站式结算 system reads the
  patient's 身份类别 from 民政's roll at discharge; the medical app does not reach into assistance (a
  sibling app).
* ``region`` (which county's parameters and order apply) is the county of the patient's household.
* Re-importing a file is safe: a row whose 住院号 is already on file with the same figures is skipped; with
  different figures it is an error (the hospital must correct it under a new 住院号).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from jingzhun.core import payouts
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.medical.models import (
    LINE_FIELDS,
    ChronicCertificate,
    ChronicClaim,
    Hospital,
    Settlement,
    SettlementKind,
    Stay,
    StaySource,
)
from jingzhun.policy.insurance import diseases
from jingzhun.policy.medical import settle as pure
from jingzhun.policy.medical.stays import Stay as PureStay
from jingzhun.policy.money import fen_to_str, fraction_to_str
from jingzhun.policy.params import load_parameters
from jingzhun.registry.models import Household, Person

WRITER_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
LEDGER_PROGRAMS = {"assistance": "medical_assistance", "cap136": "cap136"}  # settlement line → ledger program
FIRST_DATE = dt.date(2016, 1, 1)  # POLICY.md §7: no parameter value before 2016
MAX_FEN = 1_000_000_000  # ¥10,000,000 a stay: more than any real bill, catches a slipped decimal point


class StayInputError(ValueError):
    """Bad input; ``errors`` maps a field (or ``第N行``) to its Chinese message. Nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


def may_write(actor: Actor, region_code: str) -> bool:
    return actor.can_see(region_code) and actor.role in WRITER_ROLES


def check_writer(actor: Actor, region_code: str) -> None:
    check_region(actor, region_code)  # another region, or an auditor
    if actor.role not in WRITER_ROLES:
        raise PermissionDenied("只有县级一站式结算窗口（县级干部）可以登记住院结算。")


def is_registered_poor(household: Household, on: dt.date) -> bool:
    return household.registered_year is not None and household.registered_year <= on.year


# -- recording -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StayInput:
    stay_no: str
    person: Person  # with household and village loaded
    hospital: Hospital
    admitted: dt.date
    discharged: dt.date
    total_fen: int
    in_catalogue_fen: int
    dibao_or_tekun: bool
    diagnosis: str = ""


def validate_stay(data: StayInput, today: dt.date) -> dict[str, str]:
    """Every problem of one stay, keyed by field, in Chinese."""
    errors: dict[str, str] = {}
    stay_no = data.stay_no.strip()
    if not stay_no:
        errors["stay_no"] = "请填写住院号 [stay_no]"
    elif len(stay_no) > 40:
        errors["stay_no"] = "住院号不能超过 40 个字符 [stay_no]"
    if data.discharged < data.admitted:
        errors["discharged"] = f"出院日期 {data.discharged} 早于入院日期 {data.admitted} [discharged]"
    elif data.discharged > today:
        errors["discharged"] = f"出院日期不能晚于今天（{today}）[discharged]"
    elif data.discharged < FIRST_DATE:
        errors["discharged"] = f"出院日期 {data.discharged} 早于 2016-01-01，没有结算参数 [discharged]"
    if data.total_fen <= 0:
        errors["total"] = "总费用应大于 0 [total]"
    elif data.total_fen > MAX_FEN:
        errors["total"] = f"总费用不能超过 {MAX_FEN // 100:,} 元 [total]"
    if data.in_catalogue_fen < 0:
        errors["in_catalogue"] = "目录内费用不能为负数 [in_catalogue]"
    elif data.in_catalogue_fen > data.total_fen > 0:
        errors["in_catalogue"] = (
            f"目录内费用 {fen_to_str(data.in_catalogue_fen)} 元大于总费用"
            f" {fen_to_str(data.total_fen)} 元 [in_catalogue]"
        )
    if len(data.diagnosis) > 200:
        errors["diagnosis"] = "诊断不能超过 200 字 [diagnosis]"
    if data.person.status != "active" and data.person.status_date and data.person.status_date < data.admitted:
        errors["person"] = f"患者在入院前已{data.person.get_status_display()}（{data.person.status_date}）[person]"
    return errors


def _new_stay(actor: Actor, data: StayInput, source: str) -> Stay:
    household = data.person.household
    return Stay(
        stay_no=data.stay_no.strip(),
        person=data.person,
        household=household,
        hospital=data.hospital,
        region=household.village.code[:6],
        admitted=data.admitted,
        discharged=data.discharged,
        total_fen=data.total_fen,
        in_catalogue_fen=data.in_catalogue_fen,
        registered_poor=is_registered_poor(household, data.discharged),
        dibao_or_tekun=data.dibao_or_tekun,
        diagnosis=data.diagnosis.strip(),
        source=source,
        actor_label=actor.label,
    )


def record_stay(actor: Actor, data: StayInput, *, today: dt.date | None = None) -> Stay:
    """出院登记: record one discharge and settle it (and re-settle the person's later stays of the year)."""
    household = data.person.household
    check_writer(actor, household.village.code)
    from jingzhun.core import workday

    errors = validate_stay(data, today or workday.today())
    if errors:
        raise StayInputError(errors)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=data.person.pk).first()  # one settlement per person at a time
        if Stay.objects.filter(stay_no=data.stay_no.strip()).exists():
            raise StayInputError({"stay_no": f"住院号 {data.stay_no.strip()} 已登记，不能重复结算 [stay_no]"})
        stay = _new_stay(actor, data, StaySource.FORM)
        stay.save()
        written = resettle(actor, {(stay.person_id, stay.discharged.year)}, reason=f"住院 {stay.stay_no} 出院登记")
        record_audit(
            actor,
            "medical.record_stay",
            object_type="medical.Stay",
            object_id=stay.pk,
            region_code=household.village.code,
            after={
                "stay_no": stay.stay_no,
                "person": stay.person_id,
                "discharged": stay.discharged.isoformat(),
                "total_fen": stay.total_fen,
                "in_catalogue_fen": stay.in_catalogue_fen,
                "settlements": [(s.stay.stay_no, s.seq, s.kind) for s in written],
            },
        )
    return stay


def record_stays(actor: Actor, rows: Sequence[StayInput], *, source: str, label: str) -> ImportResult:
    """Many stays at once (an import, the demo): all or nothing, one audit row, bulk settlement.

    The caller has validated every row; the region of every patient is checked here again.
    """
    for region in sorted({r.person.household.village.code for r in rows}):
        check_writer(actor, region)
    result = ImportResult()
    with transaction.atomic():
        existing = dict(
            Stay.objects.filter(stay_no__in=[r.stay_no.strip() for r in rows]).values_list(
                "stay_no", "in_catalogue_fen"
            )
        )
        fresh = [r for r in rows if r.stay_no.strip() not in existing]
        result.skipped = len(rows) - len(fresh)
        persons = sorted({r.person.pk for r in fresh})
        list(Person.objects.select_for_update().filter(pk__in=persons).order_by("pk").values_list("pk"))
        stays = Stay.objects.bulk_create([_new_stay(actor, r, source) for r in fresh], batch_size=2000)
        written = resettle(actor, {(s.person_id, s.discharged.year) for s in stays}, reason=label)
        result.recorded = len(stays)
        result.settlements = sum(1 for s in written if s.kind == SettlementKind.SETTLEMENT)
        result.adjustments = sum(1 for s in written if s.kind == SettlementKind.ADJUSTMENT)
        record_audit(
            actor,
            "medical.record_stays",
            object_type="medical.Stay",
            region_code=actor.scope,
            after={
                "source": source,
                "label": label,
                "recorded": result.recorded,
                "skipped": result.skipped,
                "settlements": result.settlements,
                "adjustments": result.adjustments,
            },
        )
    return result


@dataclass
class ImportResult:
    recorded: int = 0
    skipped: int = 0  # already on file with the same figures (a re-import)
    settlements: int = 0
    adjustments: int = 0
    errors: list[str] = field(default_factory=list)


# -- settlement ------------------------------------------------------------------------------------------


def _pure(stay: Stay, level: str) -> PureStay:
    return PureStay(
        id=stay.stay_no,
        person=str(stay.person_id),
        registered_poor=stay.registered_poor,
        dibao_or_tekun=stay.dibao_or_tekun,
        region=stay.region,
        level=level,
        admitted=stay.admitted,
        discharged=stay.discharged,
        total=stay.total_fen,
        in_catalogue=stay.in_catalogue_fen,
        where=f"住院 {stay.stay_no}",
    )


def _value(value: object) -> str:
    """A parameter value as people write it: 0.9, 200, true (a Fraction is never shown as 9/10)."""
    if isinstance(value, Fraction):
        return fraction_to_str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _parameters(result: pure.Settlement) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for line in result.order:
        for r in result.lines[line].parameters:
            seen.setdefault(
                r.name, {"name": r.name, "value": _value(r.value), "since": r.since.isoformat(), "source": r.reference}
            )
    r = result.order_parameter
    seen.setdefault(
        r.name, {"name": r.name, "value": _value(r.value), "since": r.since.isoformat(), "source": r.reference}
    )
    return list(seen.values())


def resettle(actor: Actor, person_years: Iterable[tuple[int, int]], *, reason: str) -> list[Settlement]:
    """Settle every stay of these (person, year) pairs; write what is new or changed; post the ledger lines.

    Call inside the caller's transaction (with the persons locked). Idempotent: a second call writes nothing.
    """
    keys = set(person_years)
    if not keys:
        return []
    persons = {p for p, _ in keys}
    years = {y for _, y in keys}
    candidates = (
        Stay.objects.filter(
            person_id__in=persons,
            discharged__gte=dt.date(min(years), 1, 1),
            discharged__lt=dt.date(max(years) + 1, 1, 1),
        )
        .select_related("hospital")
        .order_by("person_id", "discharged", "stay_no")
    )
    stays = [s for s in candidates if (s.person_id, s.discharged.year) in keys]
    latest = {
        row["stay_id"]: row["seq"]
        for row in Settlement.objects.filter(stay__in=[s.pk for s in stays])
        .values("stay_id")
        .annotate(seq=Max("seq"))
        .order_by()
    }
    current = {
        s.stay_id: s
        for s in Settlement.objects.filter(stay__in=list(latest)).only(
            *(f"{x}_fen" for x in LINE_FIELDS), "stay", "seq"
        )
        if latest[s.stay_id] == s.seq
    }
    results = pure.settle([_pure(s, s.hospital.level) for s in stays], "year", cache=pure.RulesCache(load_parameters()))
    rows: list[Settlement] = []
    posts: list[payouts.Payout] = []
    for stay, result in zip(stays, results, strict=True):
        amounts = {line: result.lines[line].paid for line in LINE_FIELDS}
        before = current.get(stay.pk)
        if before is not None and before.amounts() == amounts:
            continue
        kind = SettlementKind.SETTLEMENT if before is None else SettlementKind.ADJUSTMENT
        why = reason if before is None else f"重新结算（{reason}）：同一年度较早的住院后登记，按出院顺序重算"
        rows.append(
            Settlement(
                stay=stay,
                seq=1 if before is None else before.seq + 1,
                kind=kind,
                **{f"{line}_fen": paid for line, paid in amounts.items()},
                oop_fen=result.oop,
                ratio=result.ratio,
                cap_period="year",
                order=list(result.order),
                explain={"lines": {x: result.lines[x].text for x in result.order}, "text": result.text},
                parameters=_parameters(result),
                reason=why[:300],
                actor_label=actor.label,
            )
        )
        month = stay.discharged.replace(day=1)
        for line, program in LEDGER_PROGRAMS.items():
            delta = amounts[line] - (before.amounts()[line] if before is not None else 0)
            if delta:
                posts.append(
                    payouts.Payout(
                        household_pk=stay.household_id,
                        person_pk=stay.person_id,
                        program=program,
                        month=month,
                        amount_fen=delta,
                        kind="payment" if before is None else "adjustment",
                        reason=f"住院 {stay.stay_no} 一站式结算"
                        + ("" if before is None else f"调整：{fen_to_str(delta)} 元（较早住院后登记，重新结算）"),
                        ref=f"medical:{stay.stay_no}#{rows[-1].seq}",
                    )
                )
    Settlement.objects.bulk_create(rows, batch_size=2000)
    payouts.post(actor, posts)
    return rows


# -- hospitals and 慢性病门诊 ------------------------------------------------------------------------------


def add_hospital(actor: Actor, *, name: str, level: str, county: str) -> Hospital:
    check_writer(actor, county or actor.scope or "14")
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写医院名称 [name]"
    elif Hospital.objects.filter(name=name).exists():
        errors["name"] = f"医院 {name} 已登记 [name]"
    if level not in {"county", "city", "province", "outside"}:
        errors["level"] = "医院级别应为 县级、市级、省级 或 省外 [level]"
    if errors:
        raise StayInputError(errors)
    with transaction.atomic():
        hospital = Hospital.objects.create(name=name, level=level, county=county)
        record_audit(
            actor,
            "medical.add_hospital",
            object_type="medical.Hospital",
            object_id=hospital.pk,
            region_code=county,
            after={"name": name, "level": level, "county": county},
        )
    return hospital


def certify_chronic(actor: Actor, person: Person, *, disease: str, certified_on: dt.date) -> ChronicCertificate:
    """慢性病门诊认定 of one person (disease staff-only)."""
    check_writer(actor, person.household.village.code)
    code = disease.strip().upper()
    if code not in diseases():
        raise StayInputError({"disease": f"病种代码 {code or '（空）'} 不在省定 43 种或新增 75 种目录中 [disease]"})
    if ChronicCertificate.objects.filter(person=person, disease=code).exists():
        raise StayInputError({"disease": f"该患者已认定病种 {code} [disease]"})
    with transaction.atomic():
        cert = ChronicCertificate.objects.create(
            person=person, disease=code, certified_on=certified_on, actor_label=actor.label
        )
        record_audit(
            actor,
            "medical.certify_chronic",
            object_type="medical.ChronicCertificate",
            object_id=cert.pk,
            region_code=person.household.village.code,
            after={"person": person.pk, "certified_on": certified_on.isoformat()},
        )
    return cert


def record_chronic_claim(
    actor: Actor, certificate: ChronicCertificate, *, claim_no: str, date: dt.date, in_catalogue_fen: int
) -> ChronicClaim:
    """慢性病门诊报销: 基本医保's chronic benefit at the default rate (POLICY.md §7: 80 %, a parameter)."""
    person = certificate.person
    check_writer(actor, person.household.village.code)
    errors: dict[str, str] = {}
    if date < certificate.certified_on:
        errors["date"] = f"就诊日期早于认定日期 {certificate.certified_on} [date]"
    if in_catalogue_fen < 0 or in_catalogue_fen > MAX_FEN:
        errors["in_catalogue"] = "目录内费用无效 [in_catalogue]"
    if not claim_no.strip() or ChronicClaim.objects.filter(claim_no=claim_no.strip()).exists():
        errors["claim_no"] = "单据号为空或已登记 [claim_no]"
    if errors:
        raise StayInputError(errors)
    resolved = load_parameters().resolve("insurance.chronic.basic_rate", person.household.village.code[:6], date)
    rate = Fraction(str(resolved.value))
    paid = (2 * in_catalogue_fen * rate.numerator + rate.denominator) // (2 * rate.denominator)
    with transaction.atomic():
        claim = ChronicClaim.objects.create(
            certificate=certificate,
            claim_no=claim_no.strip(),
            date=date,
            in_catalogue_fen=in_catalogue_fen,
            paid_fen=paid,
            rate=fraction_to_str(rate, 4),
            actor_label=actor.label,
        )
        record_audit(
            actor,
            "medical.record_chronic_claim",
            object_type="medical.ChronicClaim",
            object_id=claim.pk,
            region_code=person.household.village.code,
            after={"claim_no": claim.claim_no, "in_catalogue_fen": in_catalogue_fen, "paid_fen": paid},
        )
    return claim
