"""导入子女赡养费: a village's support payments from a spreadsheet, all or nothing (``jingzhun filial import``).

Columns (row 1, in any order): 户编号, 老人身份证号, 赡养人姓名, 与老人关系, 赡养人身份证号 (may be blank),
支付日期, 金额（元）, 赡养期间起, 赡养期间止. Each row goes through the same action as the page
(``filial_actions.record_support_payment``: its checks, one audit row each) inside one transaction; any bad
row — every one is reported as ``第N行 [列]：…`` — rolls the whole file back, and ``dry_run`` always does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.assistance.filial_actions import record_support_payment
from jingzhun.assistance.filial_models import SupportRelation
from jingzhun.core.actions import Actor
from jingzhun.core.text import without_key
from jingzhun.policy.money import yuan_to_fen

COLUMNS = {
    "household": "户编号",
    "parent": "老人身份证号",
    "payer_name": "赡养人姓名",
    "payer_relation": "与老人关系",
    "payer_id_number": "赡养人身份证号",
    "paid_on": "支付日期",
    "amount_fen": "金额（元）",
    "period_from": "赡养期间起",
    "period_to": "赡养期间止",
}
OPTIONAL = {"payer_id_number"}
RELATIONS = {label: value for value, label in SupportRelation.choices}


@dataclass
class ImportReport:
    rows: int = 0
    amount_fen: int = 0
    errors: list[str] = field(default_factory=list)
    written: bool = False


class _Rollback(Exception):
    pass


def import_support_file(path: Path, *, actor: Actor, dry_run: bool = False) -> ImportReport:
    from jingzhun.registry.sheets import SheetError, read_sheet

    report = ImportReport()
    try:
        sheet = read_sheet(path, text_columns=(COLUMNS["parent"], COLUMNS["payer_id_number"]))
    except SheetError as exc:
        report.errors.append(str(exc))
        return report
    missing = [label for key, label in COLUMNS.items() if label not in sheet.headers and key not in OPTIONAL]
    if missing:
        report.errors.append("缺少列：" + "、".join(missing))
        return report
    try:
        with transaction.atomic():
            for row in sheet.frame.iter_rows(named=True):
                _one(actor, row, report)
            if report.errors or dry_run:
                raise _Rollback
            report.written = True
    except _Rollback:
        pass
    return report


def _one(actor: Actor, row: dict[str, object], report: ImportReport) -> None:
    from jingzhun.registry.models import Household, Person

    n = row["_row"]
    errors: list[str] = []

    def fail(key: str, message: str) -> None:
        errors.append(f"第{n}行 [{COLUMNS.get(key, key)}]：{without_key(message)}")

    def text(key: str) -> str:
        value = row.get(COLUMNS[key])
        return "" if value is None else str(value).strip()

    def day(key: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(text(key)[:10])
        except ValueError:
            fail(key, f"日期应为 YYYY-MM-DD，得到「{text(key)}」")
            return None

    household = Household.objects.filter(household_no=text("household")).select_related("village").first()
    if household is None:
        fail("household", f"户编号「{text('household')}」不存在")
    parent = None
    if household is not None:
        parent = Person.objects.filter(household=household, id_number=text("parent").upper()).first()
        if parent is None:
            fail("parent", f"老人身份证号「{text('parent')}」不是该户成员")
    relation = RELATIONS.get(text("payer_relation"), text("payer_relation"))
    if relation not in SupportRelation.values:
        fail("payer_relation", f"应为 {'、'.join(RELATIONS)} 之一，得到「{text('payer_relation')}」")
    amount = 0
    try:
        amount = yuan_to_fen(text("amount_fen") or "x")
    except ValueError as exc:
        fail("amount_fen", str(exc))
    paid_on, start, end = day("paid_on"), day("period_from"), day("period_to")
    if not errors and household is not None and paid_on and start and end:
        try:
            with transaction.atomic():
                record_support_payment(
                    actor, household, parent=parent, payer_name=text("payer_name"), payer_relation=relation,
                    payer_id_number=text("payer_id_number"), paid_on=paid_on, amount_fen=amount,
                    period_from=start, period_to=end,
                )  # fmt: skip
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    fail(key, message)
        except PermissionDenied as exc:
            fail("household", str(exc))
    report.errors.extend(errors)
    if not errors:
        report.rows += 1
        report.amount_fen += amount
