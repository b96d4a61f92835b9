"""Import a hospital's settlement export (.xlsx first sheet or .csv): all or nothing, ``第N行`` errors.

The file is read by the registry's reader (:func:`jingzhun.registry.sheets.read_sheet`), so the registry's
upload limits and the .xlsx guard (zip bombs, huge sheets) apply unchanged. Columns (header = row 1):

    住院号 · 身份证号 · 医院名称 · 入院日期 · 出院日期 · 总费用 · 目录内费用 · 低保或特困 · 诊断（可选）

Money in yuan with at most two decimals; dates YYYY-MM-DD; 低保或特困 是/否. Every row is checked before
anything is written; one bad row (an unknown patient or hospital, a patient outside the importer's region,
a date or amount that is wrong, the same 住院号 twice in the file, a 住院号 already on file with other
figures) rejects the file with every problem listed as ``第N行 [列]：…``. A row already on file with the same
figures is skipped, so importing the same file again writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from jingzhun.core.actions import Actor
from jingzhun.medical.actions import (
    ImportResult,
    StayInput,
    StayInputError,
    check_writer,
    record_stays,
    validate_stay,
)
from jingzhun.medical.models import Hospital, Stay, StaySource
from jingzhun.registry.idnumber import IdNumberError, parse_id_number
from jingzhun.registry.models import Person
from jingzhun.registry.sheets import ROW, SheetError, read_sheet

COLUMNS = ("住院号", "身份证号", "医院名称", "入院日期", "出院日期", "总费用", "目录内费用", "低保或特困")
OPTIONAL = ("诊断",)
FIELD_COLUMN = {
    "stay_no": "住院号",
    "person": "身份证号",
    "discharged": "出院日期",
    "total": "总费用",
    "in_catalogue": "目录内费用",
    "diagnosis": "诊断",
}
YES = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False}
MONEY = re.compile(r"\d{1,10}(\.\d{1,2})?")
MAX_ERRORS = 200


def _fen(text: str | None) -> int | None:
    if text is None or not MONEY.fullmatch(text.replace(",", "")):
        return None
    try:
        return int(Decimal(text.replace(",", "")) * 100)
    except InvalidOperation:
        return None


def _id_problem(number: str) -> str:
    try:
        parse_id_number(number)
    except IdNumberError as exc:
        return str(exc)
    return ""


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def import_stays(actor: Actor, path: Path, *, today: dt.date | None = None, dry_run: bool = False) -> ImportResult:
    """Read, check every row, then record and settle them all (or nothing); ``errors`` lists the problems."""
    from jingzhun.core import workday

    today = today or workday.today()  # "not after today" is the working month's today
    check_writer(actor, actor.scope or "14")
    try:
        sheet = read_sheet(path, text_columns=("身份证号", "住院号"))
    except SheetError as exc:
        return ImportResult(errors=[str(exc)])
    missing = [c for c in COLUMNS if c not in sheet.headers]
    unknown = [c for c in sheet.headers if c not in COLUMNS + OPTIONAL]
    if missing or unknown:
        return ImportResult(
            errors=[f"第1行 [{c}]：缺少此列" for c in missing] + [f"第1行 [{c}]：未知的列" for c in unknown]
        )
    rows = sheet.frame.to_dicts()
    if not rows:
        return ImportResult(errors=["文件没有数据行"])
    ids = {r["身份证号"] for r in rows if r.get("身份证号")}
    persons = {p.id_number: p for p in Person.objects.filter(id_number__in=ids).select_related("household__village")}
    hospitals = {h.name: h for h in Hospital.objects.filter(name__in={r["医院名称"] for r in rows if r["医院名称"]})}
    on_file = {
        s["stay_no"]: s
        for s in Stay.objects.filter(stay_no__in={r["住院号"] for r in rows if r["住院号"]}).values(
            "stay_no", "person__id_number", "discharged", "total_fen", "in_catalogue_fen"
        )
    }
    errors: list[str] = []
    seen: dict[str, int] = {}
    inputs: list[StayInput] = []
    for r in rows:
        n = r[ROW]
        bad: list[str] = []
        for column in COLUMNS:
            if r.get(column) is None:
                bad.append(f"第{n}行 [{column}]：不能为空")
        stay_no = r.get("住院号") or ""
        if stay_no in seen:
            bad.append(f"第{n}行 [住院号]：住院号 {stay_no} 与第{seen[stay_no]}行重复")
        elif stay_no:
            seen[stay_no] = n
        id_number = r.get("身份证号")
        person = persons.get(id_number or "")
        if id_number and person is None:
            bad.append(f"第{n}行 [身份证号]：{_id_problem(id_number) or '系统中没有该身份证号的人员'}")
        elif person is not None and not actor.can_see(person.household.village.code):
            bad.append(f"第{n}行 [身份证号]：该患者不在您的工作区域内")
        hospital = hospitals.get(r.get("医院名称") or "")
        if r.get("医院名称") and hospital is None:
            bad.append(f"第{n}行 [医院名称]：未登记的医院“{r['医院名称']}”，请先在定点医院中登记")
        admitted, discharged = _date(r.get("入院日期")), _date(r.get("出院日期"))
        for column, value in (("入院日期", admitted), ("出院日期", discharged)):
            if r.get(column) is not None and value is None:
                bad.append(f"第{n}行 [{column}]：日期格式应为 YYYY-MM-DD，得到“{r[column]}”")
        total, in_catalogue = _fen(r.get("总费用")), _fen(r.get("目录内费用"))
        for column, fen in (("总费用", total), ("目录内费用", in_catalogue)):
            if r.get(column) is not None and fen is None:
                bad.append(f"第{n}行 [{column}]：金额应为不带负号的数字，最多两位小数，得到“{r[column]}”")
        flag = YES.get((r.get("低保或特困") or "").lower())
        if r.get("低保或特困") is not None and flag is None:
            bad.append(f"第{n}行 [低保或特困]：应填“是”或“否”，得到“{r['低保或特困']}”")
        if bad:
            errors += bad
            continue
        assert person is not None and hospital is not None and admitted and discharged
        assert total is not None and in_catalogue is not None and flag is not None
        data = StayInput(
            stay_no=stay_no,
            person=person,
            hospital=hospital,
            admitted=admitted,
            discharged=discharged,
            total_fen=total,
            in_catalogue_fen=in_catalogue,
            dibao_or_tekun=flag,
            diagnosis=r.get("诊断") or "",
        )
        for key, message in validate_stay(data, today).items():
            errors.append(f"第{n}行 [{FIELD_COLUMN.get(key, key)}]：{message}")
        known = on_file.get(stay_no)
        if known is not None and (
            known["person__id_number"] != id_number
            or known["discharged"] != discharged
            or known["total_fen"] != total
            or known["in_catalogue_fen"] != in_catalogue
        ):
            errors.append(f"第{n}行 [住院号]：住院号 {stay_no} 已登记且费用或患者不同；更正请由医院按新住院号导出")
        inputs.append(data)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        return ImportResult(errors=errors[:MAX_ERRORS])
    if dry_run:
        return ImportResult(recorded=sum(1 for i in inputs if i.stay_no not in on_file))
    try:
        return record_stays(actor, inputs, source=StaySource.IMPORT, label=f"导入 {path.name}")
    except StayInputError as exc:
        return ImportResult(errors=list(exc.errors.values()))
