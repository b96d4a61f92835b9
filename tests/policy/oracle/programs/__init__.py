"""One module per program, in statement order. Each has ``PROGRAM``, ``NAME_ZH`` and ``compute(ctx)``."""

from __future__ import annotations

from types import ModuleType

from tests.policy.oracle.programs import (
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
