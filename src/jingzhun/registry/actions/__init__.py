"""Every write to the registry: one function, one transaction, one audit row, region-checked.

Persons and households are never deleted. A death or move-out (死亡/迁出) is a :class:`PersonEvent` and a
status; a merge (合户) moves the members and closes the source household; a household whose last active
member leaves is closed (销户) with the reason. Status changes (POLICY.md §8's four, NEXT_STATUS) append a
:class:`HouseholdStatusEvent`. Money arguments are integer fen.

Split by subject — ``households`` (新建户, facts, status, 户主, 合户), ``members`` (新增成员, corrections, 迁入,
死亡/迁出), ``incomes`` (年度收入), ``imports`` (批量导入), with the shared checks in ``_base`` — and
re-exported here, so ``from jingzhun.registry.actions import …`` is the one address callers use.
"""

from jingzhun.registry.actions._base import (
    APPROVING,
    BANK_FIELDS,
    CADRE_REFUSED,
    CROSS_COUNTY_ROLES,
    HOUSEHOLD_EDITABLE,
    ID_NOT_REGISTRABLE,
    INCOME_FIELDS,
    NEXT_STATUS,
    PERSON_EDITABLE,
    check_writer,
    require_approval,
)
from jingzhun.registry.actions.households import (
    change_head,
    change_household_status,
    create_household,
    merge_households,
    update_household,
)
from jingzhun.registry.actions.imports import import_registry
from jingzhun.registry.actions.incomes import set_household_incomes, set_person_income
from jingzhun.registry.actions.members import (
    add_person,
    move_in_person,
    record_death,
    record_move_out,
    update_person,
)

__all__ = [
    "APPROVING",
    "BANK_FIELDS",
    "CADRE_REFUSED",
    "CROSS_COUNTY_ROLES",
    "HOUSEHOLD_EDITABLE",
    "ID_NOT_REGISTRABLE",
    "INCOME_FIELDS",
    "NEXT_STATUS",
    "PERSON_EDITABLE",
    "add_person",
    "change_head",
    "change_household_status",
    "check_writer",
    "create_household",
    "import_registry",
    "merge_households",
    "move_in_person",
    "record_death",
    "record_move_out",
    "require_approval",
    "set_household_incomes",
    "set_person_income",
    "update_household",
    "update_person",
]
