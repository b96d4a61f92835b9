"""One module per program, in statement order: each rule is written once, in its module.

Every module has ``PROGRAM``, ``NAME_ZH``, ``RULE_ZH`` (the rule in words), ``LEVEL`` and
``sentence(...)`` (the line read aloud). A ``person`` or ``household`` program states its rule as named
Polars expressions — ``INPUTS``, ``PARAMETERS`` and ``rule(p) -> rules.Rule`` — evaluated by
``evaluate.py`` over a whole county (batch) or one document (with explanations). The two ``event``
programs (临时救助, 孝亲敬老) read the document's events and support records, which no frame carries;
they keep ``compute(ctx)`` on one household, and are paid only through the document path.
"""

from __future__ import annotations

from types import ModuleType

from jingzhun.policy.programs import (
    dibao,
    dibao_classified,
    disability_care,
    disability_living,
    disabled_elder_allowance,
    elderly_allowance,
    filial_reward,
    income_gap_insurance,
    major_illness_care,
    price_subsidy,
    tekun_basic,
    tekun_care,
    temporary_assistance,
)

PROGRAMS: tuple[ModuleType, ...] = (
    tekun_basic,
    tekun_care,
    dibao,
    dibao_classified,
    elderly_allowance,
    disabled_elder_allowance,
    disability_living,
    disability_care,
    price_subsidy,
    major_illness_care,
    temporary_assistance,
    filial_reward,
    income_gap_insurance,
)
NAMES_ZH: dict[str, str] = {module.PROGRAM: module.NAME_ZH for module in PROGRAMS}
ORDER: dict[str, int] = {module.PROGRAM: index for index, module in enumerate(PROGRAMS)}
FRAME_PROGRAMS: tuple[ModuleType, ...] = tuple(m for m in PROGRAMS if m.LEVEL != "event")
EVENT_PROGRAMS: tuple[ModuleType, ...] = tuple(m for m in PROGRAMS if m.LEVEL == "event")
BY_NAME: dict[str, ModuleType] = {module.PROGRAM: module for module in PROGRAMS}
