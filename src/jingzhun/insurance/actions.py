"""Every write of 一保通: issue the year's policies, record and decide claims, compute the ruled covers.

Each action is one transaction with one audit row after the region and role check (county officers of
the county and administrators write; township and village staff and auditors read). An approved claim
posts one ``insurance_claim`` line to the ledger through ``core.payouts`` (the ledger is a layer above),
in the month of the claim's date, in the same transaction.

The ruled covers are computed with :mod:`jingzhun.policy.insurance`, never typed:

* 脱贫返贫保险 — :func:`compute_income_gap` runs the engine's ``income_gap_insurance`` for December of the
  year over the registry's household document (``registry.documents``) and files one approved claim per
  household paid;
* 慢性病门诊补充 — :func:`compute_chronic_supplements` from the outpatient claims handed in (the medical app
  is a sibling of this one, so the caller — the demo, a command — reads them there and passes
  :class:`ChronicRow` values);
* 食用菌 — :func:`compute_fungus_disaster` (sticks lost × 4.5) and :func:`compute_fungus_price`;
* 小额信贷保证 — :func:`compute_microcredit` (the insurer's 7 of 2 : 1 : 7).

Each computation has a ``key``: computing the same thing again files nothing new (idempotent).

Readings: the policy's premium and sum insured are the parameters in force on 1 January of the year; a
household is insured when it is 在册 and rural (``area = rural``) on the day the year's policies are issued;
the ledger line of a claim is the claim's own month (a December computation pays in December).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone

from jingzhun.core import payouts
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.insurance.models import Claim, ClaimStatus, Cover, CoverTerm, Policy, PolicyCover
from jingzhun.policy import insurance as rules
from jingzhun.policy.money import fen_to_grouped
from jingzhun.policy.params import load_parameters
from jingzhun.registry.models import Household

WRITER_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
PROGRAM = "insurance_claim"


class ClaimError(ValueError):
    """Bad input for a claim; the message names the field in Chinese. Nothing was written."""


def check_writer(actor: Actor, region_code: str) -> None:
    check_region(actor, region_code)
    if actor.role not in WRITER_ROLES:
        raise PermissionDenied("只有县级干部可以办理一保通保单和理赔。")


def may_write(actor: Actor, region_code: str) -> bool:
    return actor.can_see(region_code) and actor.role in WRITER_ROLES


def sync_covers() -> dict[str, Cover]:
    """The 19 covers as rows (created once from ``policy.insurance.COVERS``; names kept in step)."""
    existing = {c.code: c for c in Cover.objects.all()}
    for order, c in enumerate(rules.COVERS):
        row = existing.get(c.code)
        fields = {"name": c.name, "basis": c.basis, "unit": c.unit, "payer": c.payer, "ruled": c.ruled, "order": order}
        if row is None:
            existing[c.code] = Cover.objects.create(code=c.code, **fields)
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            row.save()
    return existing


@dataclass(frozen=True)
class Issued:
    policies: int
    premiums_fen: int
    already: int


def issue_policies(
    actor: Actor, county: str, year: int, *, units: Mapping[str, Mapping[str, Decimal | int]] | None = None
) -> Issued:
    """The year's policies for every 在册 rural household of the county that has none yet.

    ``units``: 户编号 → {unit cover code: insured units} (亩, 头, 只, 棒, 万元贷款) from the year's 投保清单;
    household covers are on every policy. The year's cover terms are written once per county and year
    (``CoverTerm``; a later issue of the same year keeps them), and only the unit covers get rows per policy.
    """
    check_writer(actor, county)
    units = units or {}
    with transaction.atomic():
        terms = _year_terms(county, year)
        households = list(
            Household.objects.filter(village__code__startswith=county, area="rural", active=True)
            .exclude(insurance_policies__year=year)
            .values_list("pk", "household_no")
        )
        already = Policy.objects.filter(county=county, year=year).count()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        _insert(Policy, ("household_id", "year", "county", "created_at", "actor_label"),
                [(pk, year, county, now, actor.label) for pk, _ in households])  # fmt: skip
        issued = dict(
            Policy.objects.filter(county=county, year=year).values_list("household__household_no", "pk").iterator()
        )
        per_household = sum(t.premium_fen for t in terms.values() if t.cover.basis == "household")
        priced = _priced(county, year, terms)
        rows: list[tuple[int, int, Decimal, int, int]] = []
        for _, household_no in households:
            for code, raw in units.get(household_no, {}).items():
                term = terms.get(code)
                count = Decimal(raw)
                if term is None or term.cover.basis != "unit" or count <= 0:
                    continue
                premium = rules.premium_fen(priced[code], count)
                rows.append((issued[household_no], term.cover_id, count, premium, term.sum_insured_fen))
        _insert(PolicyCover, ("policy_id", "cover_id", "units", "premium_fen", "sum_insured_fen"), rows)
        premiums = per_household * len(households) + sum(r[3] for r in rows)
        record_audit(
            actor,
            "insurance.issue_policies",
            object_type="insurance.Policy",
            region_code=county,
            after={"year": year, "policies": len(households), "premiums_fen": premiums, "already": already},
        )
    return Issued(len(households), premiums, already)


def _insert(model: type[models.Model], columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> None:
    """Plain rows into a model's table with one prepared statement (``executemany``), in the caller's
    transaction: a year's policies are tens of thousands of rows, and ``bulk_create`` would build and
    prepare a model instance for each. Values are already in database form (ints, strings, Decimal, the
    adapted timestamp)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start : start + 10_000])


def _year_terms(county: str, year: int) -> dict[str, CoverTerm]:
    """The county-year's cover terms: as stored, or written now from the parameters in force on 1 January."""
    covers = sync_covers()
    stored = {t.cover.code: t for t in CoverTerm.objects.filter(county=county, year=year).select_related("cover")}
    if stored:
        return stored
    made = CoverTerm.objects.bulk_create(
        [
            CoverTerm(
                county=county,
                year=year,
                cover=covers[t.cover.code],
                premium_fen=t.premium_fen,
                sum_insured_fen=t.sum_insured_fen,
            )
            for t in rules.cover_terms(county, dt.date(year, 1, 1), load_parameters())
        ]
    )
    return {t.cover.code: t for t in made}


def _priced(county: str, year: int, terms: Mapping[str, CoverTerm]) -> dict[str, rules.CoverTerms]:
    """The rules' cover terms carrying the stored premiums (the year's terms stay as first written)."""
    out = {}
    for t in rules.cover_terms(county, dt.date(year, 1, 1), load_parameters()):
        stored = terms.get(t.cover.code)
        if stored is not None:
            out[t.cover.code] = replace(t, premium_fen=stored.premium_fen, sum_insured_fen=stored.sum_insured_fen)
    return out


def _insured(policy: Policy, cover: str) -> bool:
    if rules.BY_CODE[cover].basis == "household":
        return CoverTerm.objects.filter(county=policy.county, year=policy.year, cover__code=cover).exists()
    return policy.covers.filter(cover__code=cover).exists()


def _policy(household_no: str, year: int) -> Policy:
    policy = Policy.objects.filter(household__household_no=household_no, year=year).select_related("household").first()
    if policy is None:
        raise ClaimError(f"户 {household_no} 没有 {year} 年的一保通保单 [policy]")
    return policy


def _file(
    actor: Actor,
    policy: Policy,
    cover: str,
    *,
    key: str,
    date: dt.date,
    amount_fen: int,
    evidence: str = "",
    explanation: str = "",
    computed: bool,
) -> Claim | None:
    """File one claim (approved and posted when computed); None when the key was filed before."""
    if Claim.objects.filter(key=key).exists():
        return None
    covers = sync_covers()
    now = timezone.now()
    claim = Claim.objects.create(
        policy=policy,
        cover=covers[cover],
        key=key,
        date=date,
        amount_fen=amount_fen,
        evidence=evidence,
        explanation=explanation,
        computed=computed,
        status=ClaimStatus.APPROVED if computed else ClaimStatus.PENDING,
        decision_note="按规则计算赔付" if computed else "",
        decided_at=now if computed else None,
        decided_by=actor.label if computed else "",
        actor_label=actor.label,
    )
    if computed and amount_fen:
        _post(actor, [claim])
    return claim


@dataclass(frozen=True)
class _Computed:
    policy: Policy
    cover: str
    key: str
    date: dt.date
    amount_fen: int
    explanation: str


def _file_computed(actor: Actor, items: list[_Computed]) -> list[Claim]:
    """File many computed claims at once (approved by their rule), skipping keys filed before; one query
    for the keys, one bulk insert, one hand-over to the ledger. Call inside the caller's transaction."""
    covers = sync_covers()
    done: set[str] = set()
    keys = [i.key for i in items]
    for start in range(0, len(keys), 5000):
        done |= set(Claim.objects.filter(key__in=keys[start : start + 5000]).values_list("key", flat=True))
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        [
            Claim(
                policy=i.policy,
                cover=covers[i.cover],
                key=i.key,
                date=i.date,
                amount_fen=i.amount_fen,
                explanation=i.explanation,
                computed=True,
                status=ClaimStatus.APPROVED,
                decision_note="按规则计算赔付",
                decided_at=now,
                decided_by=actor.label,
                actor_label=actor.label,
            )
            for i in items
            if i.key not in done
        ],
        batch_size=5000,
    )
    _post(actor, claims)
    return claims


def _post(actor: Actor, claims: Iterable[Claim]) -> None:
    _post_rows(actor, [(c.policy.household_id, c.pk, c.cover.name, c.date, c.amount_fen) for c in claims])


def _post_rows(actor: Actor, rows: Iterable[tuple[int, int, str, dt.date, int]]) -> None:
    """Approved claims to the ledger: (household pk, claim pk, cover name, date, amount in fen) each."""
    payouts.post(
        actor,
        [
            payouts.Payout(
                household_pk=household,
                person_pk=None,
                program=PROGRAM,
                month=date.replace(day=1),
                amount_fen=amount,
                kind="payment",
                reason=f"一保通{name}赔付（理赔 #{pk}）",
                ref=f"insurance:{pk}",
            )
            for household, pk, name, date, amount in rows
            if amount > 0
        ],
    )


def record_claim(
    actor: Actor, household_no: str, year: int, cover: str, *, date: dt.date, amount_fen: int, evidence: str
) -> Claim:
    """A claim of one of the fifteen covers without a rule: recorded with its evidence, decided later."""
    policy = _policy(household_no, year)
    check_writer(actor, policy.county)
    if cover not in rules.BY_CODE or rules.BY_CODE[cover].ruled:
        raise ClaimError(f"险种 [cover]：{cover} 不是需人工登记的险种（按规则计算的四个险种由系统计算）")
    if not _insured(policy, cover):
        raise ClaimError(f"险种 [cover]：户 {household_no} 的 {year} 年保单没有投保 {rules.BY_CODE[cover].name}")
    if amount_fen <= 0:
        raise ClaimError("赔付金额 [amount]：应大于 0")
    if date.year != year:
        raise ClaimError(f"出险日期 [date]：应在保险年度 {year} 年内")
    if not evidence.strip():
        raise ClaimError("证据材料 [evidence]：请填写查勘、诊断或损失证明等材料")
    with transaction.atomic():
        n = Claim.objects.filter(policy=policy, cover__code=cover).count() + 1
        claim = _file(actor, policy, cover, key=f"{cover}:{policy.pk}:{n}", date=date, amount_fen=amount_fen,
                      evidence=evidence.strip(), computed=False)  # fmt: skip
        assert claim is not None
        record_audit(actor, "insurance.record_claim", object_type="insurance.Claim", object_id=claim.pk,
                     region_code=policy.county, after={"cover": cover, "amount_fen": amount_fen})  # fmt: skip
    return claim


def decide_claim(actor: Actor, claim: Claim, *, approve: bool, note: str) -> Claim:
    """审核: approve (the amount goes to the ledger as 保险赔付) or reject, with a note; once."""
    check_writer(actor, claim.policy.county)
    if not note.strip():
        raise ClaimError("审核意见 [note]：请填写")
    with transaction.atomic():
        locked = Claim.objects.select_for_update().select_related("policy", "cover").get(pk=claim.pk)
        if locked.status != ClaimStatus.PENDING:
            raise ClaimError(f"该理赔已审核（{locked.get_status_display()}），不能再次审核")
        locked.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        locked.decision_note = note.strip()[:300]
        locked.decided_at = timezone.now()
        locked.decided_by = actor.label
        locked.save(update_fields=["status", "decision_note", "decided_at", "decided_by"])
        if approve:
            _post(actor, [locked])
        record_audit(actor, "insurance.decide_claim", object_type="insurance.Claim", object_id=locked.pk,
                     region_code=locked.policy.county, before={"status": "pending"},
                     after={"status": locked.status, "note": locked.decision_note})  # fmt: skip
    return locked


# The ruled covers ------------------------------------------------------------------------------------------


def compute_income_gap(actor: Actor, county: str, year: int) -> list[Claim]:
    """脱贫返贫保险 for the year: the engine's ``income_gap_insurance`` in December, one claim per household paid."""
    from jingzhun.registry.documents import household_document

    check_writer(actor, county)
    document = household_document(f"{year:04d}-12", region_prefix=county)
    first = f"{year:04d}-12-01"
    for h in document["households"]:  # a child born after 1 December is not yet a member for December
        h["members"] = [m for m in h["members"] if m["birth_date"] <= first]
    document["households"] = [h for h in document["households"] if h["members"]]
    result = rules.income_gap_claims(document, year, load_parameters())
    policies = {
        p.household.household_no: p
        for p in Policy.objects.filter(
            county=county, year=year, household__household_no__in=list(result.claims)
        ).select_related("household")
    }
    items = []
    for household_no, fen in result.claims.items():
        policy = policies.get(household_no)
        if policy is None:
            continue  # not insured this year (no policy issued): nothing to claim
        text = f"{year} 年 12 月按脱贫返贫保险核算：（国家扶贫标准 − 人均纯收入）× 家庭人口 = {fen_to_grouped(fen)} 元"
        items.append(
            _Computed(policy, "income_gap", f"income_gap:{year}:{household_no}", dt.date(year, 12, 1), fen, text)
        )
    with transaction.atomic():
        made = _file_computed(actor, items)
        total = sum(c.amount_fen for c in made)
        record_audit(actor, "insurance.compute_income_gap", object_type="insurance.Claim", region_code=county,
                     after={"year": year, "claims": len(made), "amount_fen": total})  # fmt: skip
    return made


@dataclass(frozen=True)
class ChronicRow:
    key: str  # the outpatient claim's own number (单据号): the supplement is computed once per claim
    household_no: str
    date: dt.date
    in_catalogue_fen: int
    disease_list: str  # "listed" | "added"


def compute_chronic_supplements(actor: Actor, county: str, rows: Iterable[ChronicRow]) -> list[Claim]:
    """慢性病门诊补充: per outpatient claim, the 一保通 supplement of what 基本医保's chronic benefit left."""
    check_writer(actor, county)
    tree = load_parameters()
    rows = list(rows)
    policies = {
        (p.household.household_no, p.year): p
        for p in Policy.objects.filter(
            county=county, household__household_no__in={r.household_no for r in rows}
        ).select_related("household")
    }
    items = []
    for row in rows:
        result = rules.chronic_outpatient(row.in_catalogue_fen, row.disease_list, county, row.date, tree)
        if not result.supplement_fen:
            continue
        policy = policies.get((row.household_no, row.date.year))
        if policy is None:
            raise ClaimError(f"户 {row.household_no} 没有 {row.date.year} 年的一保通保单 [policy]")
        items.append(_Computed(policy, "chronic_outpatient", f"chronic:{row.key}", row.date, result.supplement_fen,
                               result.sentence))  # fmt: skip
    with transaction.atomic():
        made = _file_computed(actor, items)
        record_audit(actor, "insurance.compute_chronic", object_type="insurance.Claim", region_code=county,
                     after={"rows": len(rows), "claims": len(made)})  # fmt: skip
    return made


def compute_fungus_disaster(actor: Actor, household_no: str, year: int, *, sticks_lost: int, date: dt.date) -> Claim:
    policy = _policy(household_no, year)
    check_writer(actor, policy.county)
    insured = policy.covers.filter(cover__code="fungus").values_list("units", flat=True).first()
    try:
        fen = rules.fungus_disaster(sticks_lost, int(insured or 0), policy.county, date)
    except rules.InsuranceError as exc:
        raise ClaimError(str(exc)) from None
    text = f"受灾 {sticks_lost} 棒 × 每棒保险金额 = {fen_to_grouped(fen)} 元（投保 {int(insured or 0)} 棒）"
    return _ruled(actor, policy, "fungus", f"fungus_disaster:{policy.pk}:{date}", date, fen, text)


def compute_fungus_price(
    actor: Actor, household_no: str, year: int, *, kind: str, market_price: Decimal, date: dt.date
) -> Claim:
    policy = _policy(household_no, year)
    check_writer(actor, policy.county)
    quantity = policy.covers.filter(cover__code="fungus").values_list("units", flat=True).first() or Decimal(0)
    try:
        fen = rules.fungus_price(kind, market_price, Decimal(quantity), policy.county, date)
    except rules.InsuranceError as exc:
        raise ClaimError(str(exc)) from None
    text = f"（保险价格 − 市场价格 {market_price} 元/斤）× 投保数量 {quantity} 斤 = {fen_to_grouped(fen)} 元"
    return _ruled(actor, policy, "fungus", f"fungus_price:{policy.pk}:{kind}:{date}", date, fen, text)


def compute_fungus_prices(
    actor: Actor, county: str, year: int, *, kind: str, market_price: Decimal, date: dt.date
) -> list[Claim]:
    """The 食用菌 price cover for every grower of the county's year at once (as :func:`compute_fungus_price`
    per household, the same keys: computing one again files nothing): one transaction and one audit row."""
    check_writer(actor, county)
    growers = PolicyCover.objects.filter(policy__county=county, policy__year=year, cover__code="fungus", units__gt=0)
    items = []
    for policy, quantity in ((pc.policy, pc.units) for pc in growers.select_related("policy").order_by("policy_id")):
        try:
            fen = rules.fungus_price(kind, market_price, Decimal(quantity), county, date)
        except rules.InsuranceError as exc:
            raise ClaimError(str(exc)) from None
        text = f"（保险价格 − 市场价格 {market_price} 元/斤）× 投保数量 {quantity} 斤 = {fen_to_grouped(fen)} 元"
        items.append(_Computed(policy, "fungus", f"fungus_price:{policy.pk}:{kind}:{date}", date, fen, text))
    with transaction.atomic():
        made = _file_computed(actor, items)
        record_audit(actor, "insurance.compute_fungus", object_type="insurance.Claim", region_code=county,
                     after={"year": year, "kind": kind, "market_price": str(market_price), "claims": len(made),
                            "amount_fen": sum(c.amount_fen for c in made)})  # fmt: skip
    return made


def compute_microcredit(
    actor: Actor, household_no: str, year: int, *, loss_fen: int, loan_fen: int, term_years: int, date: dt.date
) -> Claim:
    policy = _policy(household_no, year)
    check_writer(actor, policy.county)
    try:
        split = rules.microcredit_split(loss_fen, loan_fen, term_years, policy.county, date)
    except rules.InsuranceError as exc:
        raise ClaimError(str(exc)) from None
    text = (
        f"违约损失 {fen_to_grouped(loss_fen)} 元按 政府 : 银行 : 保险 = 2 : 1 : 7 分担："
        f"政府 {fen_to_grouped(split.government_fen)}、银行 {fen_to_grouped(split.bank_fen)}、"
        f"保险 {fen_to_grouped(split.insurer_fen)} 元"
    )
    return _ruled(actor, policy, "microcredit", f"microcredit:{policy.pk}:{date}", date, split.insurer_fen, text)


def _ruled(actor: Actor, policy: Policy, cover: str, key: str, date: dt.date, fen: int, text: str) -> Claim:
    with transaction.atomic():
        claim = _file(actor, policy, cover, key=key, date=date, amount_fen=fen, explanation=text, computed=True)
        if claim is None:
            return Claim.objects.get(key=key)
        record_audit(actor, f"insurance.compute_{cover}", object_type="insurance.Claim", object_id=claim.pk,
                     region_code=policy.county, after={"amount_fen": fen, "explanation": text})  # fmt: skip
    return claim


@dataclass(frozen=True)
class SettledClaim:
    household_no: str
    cover: str
    date: dt.date
    amount_fen: int
    evidence: str


def record_settled_claims(actor: Actor, county: str, year: int, rows: Iterable[SettledClaim], *, source: str) -> int:
    """The insurer's list of claims it settled (理赔结果清单) for covers without a rule: all or nothing,
    each row filed approved with its evidence and posted to the ledger; one audit row. Re-running the same
    list files nothing new (the key is the list's name and the row's place in it)."""
    check_writer(actor, county)
    rows = list(rows)
    policies = {
        number: (pk, household)
        for number, pk, household in Policy.objects.filter(county=county, year=year)
        .values_list("household__household_no", "pk", "household_id")
        .iterator()
    }
    errors = []
    for n, row in enumerate(rows, start=1):
        if row.household_no not in policies:
            errors.append(f"第{n}条 [户编号]：户 {row.household_no} 没有 {year} 年保单")
        if row.cover not in rules.BY_CODE or rules.BY_CODE[row.cover].ruled:
            errors.append(f"第{n}条 [险种]：{row.cover} 不是需人工登记的险种")
        if row.amount_fen <= 0:
            errors.append(f"第{n}条 [赔付金额]：应大于 0")
        if row.date.year != year:
            errors.append(f"第{n}条 [出险日期]：应在 {year} 年内")
    if errors:
        raise ClaimError("；".join(errors[:50]))
    covers = sync_covers()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    note = f"保险公司理赔结果（{source}）"
    with transaction.atomic():
        done = set(Claim.objects.filter(key__startswith=f"{source}:").values_list("key", flat=True))
        fresh = [(n, row) for n, row in enumerate(rows, start=1) if f"{source}:{n}" not in done]
        columns = ("policy_id", "cover_id", "key", "date", "amount_fen", "evidence", "explanation", "computed",
                   "status", "decision_note", "decided_at", "decided_by", "created_at", "actor_label")  # fmt: skip
        approved = (ClaimStatus.APPROVED.value, note, now, actor.label, now, actor.label)
        _insert(
            Claim,
            columns,
            [
                (
                    policies[row.household_no][0],
                    covers[row.cover].pk,
                    f"{source}:{n}",
                    connection.ops.adapt_datefield_value(row.date),
                    row.amount_fen,
                    row.evidence,
                    "",
                    False,
                    *approved,
                )
                for n, row in fresh
            ],
        )
        ids = dict(Claim.objects.filter(key__startswith=f"{source}:").values_list("key", "pk").iterator())
        _post_rows(
            actor,
            [
                (policies[row.household_no][1], ids[f"{source}:{n}"], covers[row.cover].name, row.date, row.amount_fen)
                for n, row in fresh
            ],
        )
        record_audit(actor, "insurance.record_settled_claims", object_type="insurance.Claim", region_code=county,
                     after={"year": year, "source": source, "claims": len(fresh)})  # fmt: skip
    return len(fresh)
