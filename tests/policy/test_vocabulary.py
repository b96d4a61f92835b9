"""One vocabulary (policy/vocabulary.py): the ledger's program names agree with the program modules' own
``NAME_ZH`` except for the three short forms its tables and reports print; every program id has a family
and a public name; the registry seeds the one county list."""

from jingzhun.policy import regions
from jingzhun.policy.programs import NAMES_ZH
from jingzhun.policy.vocabulary import (
    PAID_OUTSIDE_MONTH_RUN,
    PROGRAM_FAMILIES,
    PROGRAM_NAMES,
    PUBLIC_GROUP,
    PUBLIC_MEASURES,
    PUBLIC_PROGRAM_NAMES,
)

SHORT_FORMS = {"dibao": "低保补差", "tekun_care": "特困护理费", "income_gap_insurance": "脱贫返贫保险"}


def test_the_ledgers_name_of_each_program_is_its_modules_name_or_its_known_short_form() -> None:
    assert set(PROGRAM_NAMES) == set(NAMES_ZH) | set(PAID_OUTSIDE_MONTH_RUN)
    differ = {p: name for p, name in PROGRAM_NAMES.items() if p in NAMES_ZH and name != NAMES_ZH[p]}
    assert differ == SHORT_FORMS


def test_tekun_basic_reads_as_on_the_staff_household_page() -> None:
    assert PROGRAM_NAMES["tekun_basic"] == "特困人员基本生活费"


def test_every_program_has_a_family_a_public_name_and_a_measure() -> None:
    assert set(PROGRAM_FAMILIES) | set(PAID_OUTSIDE_MONTH_RUN) == set(PROGRAM_NAMES) == set(PUBLIC_MEASURES)
    assert not set(PROGRAM_FAMILIES) & set(PAID_OUTSIDE_MONTH_RUN)  # no enrollment gate: their apps decide
    assert {PUBLIC_GROUP.get(p, p) for p in PROGRAM_NAMES} == set(PUBLIC_PROGRAM_NAMES)


def test_the_registry_seeds_the_one_county_list() -> None:
    from jingzhun.registry.regions_seed import COUNTIES

    assert [code for code, _ in COUNTIES] == list(regions.COUNTIES) and len(COUNTIES) == 13


def test_medical_lines_show_publicly_only_as_medical_assistance_and_claims_as_insurance_payouts() -> None:
    public = {p: PUBLIC_PROGRAM_NAMES[PUBLIC_GROUP.get(p, p)] for p in PAID_OUTSIDE_MONTH_RUN}
    assert public == {"medical_assistance": "医疗救助", "cap136": "医疗救助", "insurance_claim": "保险赔付"}
