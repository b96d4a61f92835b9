"""更新导入: a county's annual update file compared with the register, previewed, then applied all or nothing.

The file is the household template (columns.py) with the system's 户编号 for households already registered
and any other number ("新-01") for new ones. :func:`plan_update` validates it (as the importer does, except
that registered households and ID numbers are expected) and compares it with the register:

* 新增户 — a household whose 户编号 is not registered (it gets the village's next number: numbering.py);
* 字段变化 — a registered household's or member's facts that differ (old → new), and a member's income of
  the file's 收入年度;
* 迁入 — a member registered in another household who now appears in this one;
* 新增成员 — an ID number not registered anywhere, in a registered household;
* 文件中没有 — households of the file's villages, and members of its households, that the file leaves out.
  They are listed for the cadre to check (迁出、死亡、销户 each need a date and a reason); nothing is closed.

Every column of the template is compared (``update_fields.py`` says which action applies which). Some
differences are listed as 不导入 lines but not applied, because they have their own procedure with an
approval: the bank account (信息变更申请), the 户状态 (状态流程), 监测对象 (返贫预警) and a household's move to
another village (户迁移); the household's other changes are applied. :func:`apply_update`
re-plans the same file and applies every change through the registry's own actions (each audited, each
region-checked) inside one transaction, with one more audit row for the file: any refusal rolls back all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core import workday
from jingzhun.core.actions import Actor, record_audit
from jingzhun.registry import columns as c
from jingzhun.registry.importer import open_import
from jingzhun.registry.models import Household, IncomeRecord, Person, PersonStatus
from jingzhun.registry.report import AllOrNothingReport, RowError
from jingzhun.registry.sheets import ROW
from jingzhun.registry.update_fields import (
    INCOME,
    Change,
    apply_household,
    from_file,
    household_changes,
    label,
    person_keys,
    same,
    shown,
)
from jingzhun.registry.validate import validate_households


@dataclass
class HouseholdDiff:
    household_no: str
    village: str
    head: str
    changes: list[Change] = field(default_factory=list)
    persons: list[tuple[str, list[Change]]] = field(default_factory=list)  # (member name, changes)
    added_persons: list[str] = field(default_factory=list)
    moved_in: list[tuple[str, str]] = field(default_factory=list)  # (member name, from 户编号)
    missing_persons: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.changes or self.persons or self.added_persons or self.moved_in or self.missing_persons)


@dataclass
class UpdateReport(AllOrNothingReport):
    file: str
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    added: list[tuple[str, str, int]] = field(default_factory=list)  # (file 户编号, head, members)
    changed: list[HouseholdDiff] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (户编号, head) registered, not in the file
    unchanged: int = 0
    written: bool = False
    assigned: dict[str, str] = field(default_factory=dict)
    absent: frozenset[str] = frozenset()  # optional columns the file does not have: not compared
    _parsed: Any = None

    def counts(self) -> str:
        moved = sum(len(d.moved_in) for d in self.changed)
        return (
            f"新增户 {len(self.added)} 户，有变化 {len(self.changed)} 户（其中迁入成员 {moved} 人），"
            f"未变 {self.unchanged} 户，文件中没有 {len(self.missing)} 户"
        )

    def summary(self) -> str:
        if self.errors:
            return f"更新导入失败：发现 {len(self.errors)} 处错误，未写入任何数据。"
        if self.dry_run:
            return f"更新预览（尚未写入）：{self.counts()}。"
        return f"更新导入成功：{self.counts()}。"

    def lines(self) -> list[str]:
        """The preview as text (the CLI prints it)."""
        out = [f"新增户 {no}（户主 {head}，{n} 人）" for no, head, n in self.added]
        for d in self.changed:
            for ch in d.changes:
                tail = "" if ch.applied else f"（不导入：{ch.note}）"
                out.append(f"户 {d.household_no} [{ch.field}] {ch.old} → {ch.new}{tail}")
            for name, changes in d.persons:
                out += [f"户 {d.household_no} 成员 {name} [{ch.field}] {ch.old} → {ch.new}" for ch in changes]
            out += [f"户 {d.household_no} 新增成员 {name}" for name in d.added_persons]
            out += [f"户 {d.household_no} 迁入成员 {name}（原户 {old}）" for name, old in d.moved_in]
            out += [f"户 {d.household_no} 成员 {name} 文件中没有（请核实迁出或死亡）" for name in d.missing_persons]
        out += [f"户 {no}（户主 {head}）文件中没有（请核实迁出、死亡或销户）" for no, head in self.missing]
        return out


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return list(frame.iter_rows(named=True))


def plan_update(path: Path, *, actor: Actor) -> UpdateReport:
    """Validate the file and compare it with the register; writes nothing."""
    path = Path(path)
    report = UpdateReport(file=path.name)
    sheet, report.sha256, report.errors = open_import(path, ("身份证号", "银行账号"))
    if sheet is None:
        return report
    if sheet.frame.height == 0:
        report.errors = [RowError(0, "", "文件只有表头，没有数据行")]
        return report
    parsed, errors = validate_households(sheet, actor=actor, update=True)
    if errors:
        report.errors = errors
        return report
    report._parsed = parsed
    report.absent = frozenset(col.key for col in c.COLUMNS if col.optional and col.header not in sheet.frame.columns)
    households, persons = _rows(parsed.households), _rows(parsed.persons)
    members: dict[str, list[dict[str, Any]]] = {}
    for person in persons:
        members.setdefault(person["household_no"], []).append(person)
    registered = {
        h.household_no: h
        for h in Household.objects.filter(household_no__in=[h["household_no"] for h in households]).select_related(
            "village"
        )
    }
    ids = [p["id_number"] for p in persons]
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=ids).select_related("household")}
    incomes = {
        (r.person_id, r.year): r for r in IncomeRecord.objects.filter(person__in=[p.pk for p in people.values()])
    }
    refused: list[RowError] = []  # sorted by row at the end
    for row in households:
        mine = members.get(row["household_no"], [])
        head = next((p["name"] for p in mine if p["relation"] == "head"), "")
        existing = registered.get(row["household_no"])
        if existing is None:
            for p in mine:
                if p["id_number"] in people:
                    refused.append(
                        RowError(p[ROW], "身份证号",
                                 f"{p['name']} 已登记在户 {people[p['id_number']].household.household_no}：新户的成员"
                                 "须先在原户办理迁出，或在本文件中写原户编号 [id_number]")
                    )  # fmt: skip
            report.added.append((row["household_no"], head, len(mine)))
            continue
        if not existing.active:
            refused.append(RowError(row[ROW], "户编号", f"户 {existing.household_no} 已销户，不能更新 [household_no]"))
            continue
        diff = HouseholdDiff(existing.household_no, existing.village.name, head)
        diff.changes = household_changes(row, existing, report.absent)
        in_file = set()
        for p in mine:
            in_file.add(p["id_number"])
            person = people.get(p["id_number"])
            if person is None:
                diff.added_persons.append(p["name"])
                continue
            if person.household_id != existing.pk:
                if person.status != PersonStatus.MOVED_OUT:
                    message = (
                        f"{p['name']} 仍在户 {person.household.household_no} 在册：须先在原户办理迁出，"
                        "才能迁入本户 [id_number]"
                    )
                    refused.append(RowError(p[ROW], "身份证号", message))
                    continue
                diff.moved_in.append((p["name"], person.household.household_no))
                continue
            changes = [
                Change(label(k), shown(k, getattr(person, k)), shown(k, from_file(k, p.get(k))))
                for k in person_keys(report.absent)
                if not same(k, from_file(k, p.get(k)), getattr(person, k))
            ]
            record = incomes.get((person.pk, p["income_year"]))
            for key, attr in INCOME.items():
                old_fen = getattr(record, attr) if record is not None else 0
                if int(p.get(key) or 0) != old_fen:
                    year_label = f"{p['income_year']}年{label(key)}"
                    changes.append(Change(year_label, shown(key, old_fen), shown(key, p.get(key) or 0)))
            if changes:
                diff.persons.append((p["name"], changes))
        active = existing.persons.filter(status=PersonStatus.ACTIVE)
        diff.missing_persons = [p.name for p in active if p.id_number not in in_file]
        if diff.empty:
            report.unchanged += 1
        else:
            report.changed.append(diff)
    villages = {row["village_code"] for row in households}
    left_out = (
        Household.objects.filter(active=True, village__code__in=villages, village__code__startswith=actor.scope)
        .exclude(household_no__in=[row["household_no"] for row in households])
        .order_by("household_no")
    )
    heads = dict(
        Person.objects.filter(household__in=left_out, relation="head", status=PersonStatus.ACTIVE).values_list(
            "household__household_no", "name"
        )
    )
    report.missing = [(no, heads.get(no, "")) for no in left_out.values_list("household_no", flat=True)]
    report.errors = sorted(refused, key=lambda e: e.row)
    return report


def apply_update(path: Path, *, actor: Actor, expected_sha256: str = "") -> UpdateReport:
    """Plan the file again (the register may have changed since the preview) and apply it all or nothing.

    ``expected_sha256``: the previewed file's digest; another file is refused."""
    from jingzhun.registry import bulk, numbering
    from jingzhun.registry.actions import (
        add_person,
        check_writer,
        move_in_person,
        set_person_income,
        update_person,
    )
    from jingzhun.registry.validate import ParsedRegistry

    report = plan_update(path, actor=actor)
    if expected_sha256 and report.sha256 != expected_sha256:
        report.errors = [RowError(0, "", "文件与预览时的不同，请重新上传并预览")]
    if report.errors:
        return report
    parsed = report._parsed
    rows = {r["household_no"]: r for r in _rows(parsed.households)}
    members: dict[str, list[dict[str, Any]]] = {}
    for person in _rows(parsed.persons):
        members.setdefault(person["household_no"], []).append(person)
    today = workday.today()
    note = f"更新导入 {report.file}"
    try:
        with transaction.atomic():
            check_writer(actor, actor.scope)
            new = [no for no, _, _ in report.added]
            if new:
                households = parsed.households.filter(pl.col("household_no").is_in(new))
                persons = parsed.persons.filter(pl.col("household_no").is_in(new))
                for code in households["village_code"].unique().to_list():
                    check_writer(actor, code)
                households, persons, report.assigned = numbering.assign(households, persons)
                bulk.write_registry(ParsedRegistry(households, persons))
            for diff in report.changed:
                household = Household.objects.select_related("village").get(household_no=diff.household_no)
                row = rows[diff.household_no]
                apply_household(actor, household, row, report.absent, note)
                by_id = {p["id_number"]: p for p in members.get(diff.household_no, [])}
                for id_number, p in by_id.items():
                    person = Person.objects.filter(id_number=id_number).select_related("household__village").first()
                    if person is None:
                        fields = {k: p[k] for k in _person_keys(p)}
                        add_person(actor, household, date=today, note=note, **fields)
                        person = Person.objects.get(id_number=id_number)
                    elif person.household_id != household.pk:
                        move_in_person(actor, person, household, relation=p["relation"], date=today, note=note)
                        person.refresh_from_db()
                    else:
                        changed = {
                            k: from_file(k, p.get(k))
                            for k in person_keys(report.absent)
                            if not same(k, from_file(k, p.get(k)), getattr(person, k))
                        }
                        if changed:
                            update_person(actor, person, **changed)
                    record = IncomeRecord.objects.filter(person=person, year=p["income_year"]).first()
                    fen = {attr: int(p.get(key) or 0) for key, attr in INCOME.items()}
                    if any(fen[a] != (getattr(record, a) if record else 0) for a in fen):
                        set_person_income(actor, person, p["income_year"], **fen)
            record_audit(
                actor,
                "registry.update_import",
                object_type="ImportFile",
                object_id=report.sha256,
                region_code=actor.scope,
                after={
                    "file": report.file,
                    "sha256": report.sha256,
                    "added": len(report.added),
                    "changed": len(report.changed),
                    "missing": len(report.missing),
                    "assigned": report.assigned,
                },
            )
    except ValidationError as exc:
        report.errors = [RowError(0, "", f"写入时被拒绝，未写入任何数据：{'；'.join(exc.messages)}")]
        return report
    except PermissionDenied as exc:
        report.errors = [RowError(0, "", f"写入时被拒绝，未写入任何数据：{exc}")]
        return report
    report.dry_run, report.written = False, True
    return report


def _person_keys(p: dict[str, Any]) -> list[str]:
    """The parsed member's fields a new Person takes (what bulk.write_registry writes, incomes apart)."""
    skip = {"household_no", "income_year", *INCOME, ROW}
    names = {f.name for f in Person._meta.concrete_fields}
    return [k for k in p if k not in skip and k in names and not k.startswith("_")]
