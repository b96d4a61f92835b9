"""What 更新导入 compares — every column of the household template, grouped by the action that applies it —
and how a household's differences are applied.

Each template column (``columns.py``) is one of:

* applied by ``update_household`` — the household's basic facts, 致贫原因, 住房 and 取消资格情形;
* applied by ``exit_actions.update_exit_facts`` — the exit document's relocation and water facts (POLICY.md §8);
* applied by ``cases_actions.set_marginal`` — 边缘易致贫户 (its own audited action, with the file as the reason);
* applied by ``update_person`` — every member column (因病免学 and 参加基本医保 included);
* applied by ``set_person_income`` — the five income columns of the file's 收入年度;
* listed as 不导入 (:data:`NOT_APPLIED`): their own procedure with an approval or a case decision;
* the keys: 户编号, 身份证号 (how rows are matched) and 收入年度 (which year the incomes are of).

An optional column (``Column.optional``) missing from an older file is not compared: empty there means
"not in this file", not "clear it". ``tests/registry/test_update_import_fields.py`` checks that every column
is in exactly one group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from jingzhun.core.actions import Actor
from jingzhun.registry import columns as c

if TYPE_CHECKING:
    from jingzhun.registry.models import Household

HOUSEHOLD_FIELDS = (
    "address",
    "area",
    "registered_year",
    "poverty_causes",
    "housing_grade",
    "housing_area",
    "water_safe",
    "cadre_name",
    "cadre_phone",
    "disqualified",
)
EXIT_FIELDS = c.EXIT_HOUSEHOLD_KEYS
MARGINAL = "marginal"
MOVE = "village_code"
NOT_APPLIED = {
    "bank_name": "银行账号变更须提交信息变更申请",
    "bank_account": "银行账号变更须提交信息变更申请",
    "status": "户状态变化须按状态流程办理",
    "status_date": "户状态变化须按状态流程办理",
    "monitored": "监测对象由返贫预警认定",
    MOVE: "整户迁移须按迁移流程办理",
}
PERSON_FIELDS = tuple(
    col.key for col in c.PERSON_COLUMNS if col.key not in ("id_number", "income_year", *c.INCOME_KEYS)
)
INCOME = {"income_wages": "wages_fen", "income_farming": "farming_fen", "income_business": "business_fen",
          "income_property": "property_fen", "income_transfer": "transfer_fen"}  # fmt: skip
KEYS = ("household_no", "id_number", "income_year")
TEXT = frozenset({"address", "bank_name", "bank_account", "cadre_name", "cadre_phone", "school", "disability_category"})
HUNDREDTHS = frozenset(col.key for col in c.COLUMNS if col.kind == "decimal" and col.key not in INCOME)
LISTS = frozenset({"poverty_causes", "disqualified", "chronic_diseases"})
FALSE_WHEN_EMPTY = frozenset({"marginal", "monitored"})  # the importer writes 否 for an empty cell


def label(key: str) -> str:
    return c.BY_KEY[key].header if key in c.BY_KEY else key


def from_file(key: str, value: Any) -> Any:
    """A parsed cell as the model stores it: hundredths → Decimal, text "" for nothing, lists as lists."""
    if key in HUNDREDTHS:
        return None if value is None else (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
    if key in TEXT:
        return value or ""
    if key in LISTS:
        return list(value or [])
    if key in FALSE_WHEN_EMPTY:
        return bool(value)
    return value


def same(key: str, new: Any, old: Any) -> bool:
    """The file's value (``from_file``) equals the register's; list order is not a difference."""
    if key in LISTS:
        return sorted(new or []) == sorted(old or [])
    if key in TEXT:
        return (new or "") == (old or "")
    if key in HUNDREDTHS and new is not None and old is not None:
        return Decimal(new) == Decimal(old)
    return bool(new == old)


def shown(key: str, value: Any) -> str:
    """A value as the template writes it (农村, 是, 因病、缺技术, 86.50 …), "（空）" for nothing."""
    if value is None or value == "" or value == []:
        return "（空）"
    column = c.BY_KEY.get(key)
    names = {v: k for k, v in column.choices.items()} if column is not None and column.choices else {}
    if isinstance(value, list):
        return "、".join(str(names.get(item, item)) for item in value)
    if key in INCOME:
        return f"{Decimal(int(value)) / 100:.2f}"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(names.get(value, value))


def every_compared_key() -> set[str]:
    """The template's keys this module places in a group (the test compares it with ``columns.COLUMNS``)."""
    return {*HOUSEHOLD_FIELDS, *EXIT_FIELDS, MARGINAL, *NOT_APPLIED, *PERSON_FIELDS, *INCOME, *KEYS}


@dataclass(frozen=True)
class Change:
    field: str  # the template's column header
    old: str
    new: str
    applied: bool = True
    note: str = ""


def person_keys(absent: frozenset[str]) -> tuple[str, ...]:
    return tuple(k for k in PERSON_FIELDS if k not in absent)


def household_changes(row: dict[str, Any], existing: Household, absent: frozenset[str]) -> list[Change]:
    """The household's differences, every column: applied ones first, then the 不导入 ones."""
    out = []
    for key in (*HOUSEHOLD_FIELDS, *EXIT_FIELDS, MARGINAL):
        if key in absent:
            continue
        new, old = from_file(key, row.get(key)), getattr(existing, key)
        if not same(key, new, old):
            out.append(Change(label(key), shown(key, old), shown(key, new)))
    for key, why in NOT_APPLIED.items():
        if key in absent:
            continue
        if key == MOVE:
            new, old = row[MOVE], existing.village.code
            if new != old:
                out.append(Change(label(key), _village(old), _village(new), applied=False, note=why))
            continue
        new, old = from_file(key, row.get(key)), getattr(existing, key)
        if not same(key, new, old):
            out.append(Change(label(key), shown(key, old), shown(key, new), applied=False, note=why))
    return out


def _village(code: str) -> str:
    from jingzhun.registry.models import Region

    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{name}（{code}）" if name else code


def apply_household(actor: Actor, household: Household, row: dict[str, Any], absent: frozenset[str], note: str) -> None:
    """The household's applied differences, each group through its own audited action."""
    from jingzhun.registry.actions import update_household
    from jingzhun.registry.cases_actions import set_marginal
    from jingzhun.registry.exit_actions import update_exit_facts

    def differing(keys: tuple[str, ...]) -> dict[str, Any]:
        wanted = {k: from_file(k, row.get(k)) for k in keys if k not in absent}
        return {k: v for k, v in wanted.items() if not same(k, v, getattr(household, k))}

    if facts := differing(HOUSEHOLD_FIELDS):
        update_household(actor, household, **facts)
        household.refresh_from_db()
    if facts := differing(EXIT_FIELDS):
        update_exit_facts(actor, household, **facts)
        household.refresh_from_db()
    if flag := differing((MARGINAL,)):
        set_marginal(actor, household, flag[MARGINAL], reason=note)
