"""One vocabulary (policy/vocabulary.py): every program's Chinese name is written once, in ``PROGRAM_NAMES``;
the program modules, the ledger's choices and the 一保通 covers read it there and agree; no other module
writes a program-name table of its own; money is formatted by policy/money.py; the registry seeds the one
county list."""

import ast
from pathlib import Path

from jingzhun.policy import regions
from jingzhun.policy.insurance import COVERS
from jingzhun.policy.money import fen_to_decimal, fen_to_grouped, fen_to_str
from jingzhun.policy.programs import NAMES_ZH, PROGRAMS
from jingzhun.policy.vocabulary import (
    PAID_OUTSIDE_MONTH_RUN,
    PROGRAM_FAMILIES,
    PROGRAM_NAMES,
    PUBLIC_GROUP,
    PUBLIC_MEASURES,
    PUBLIC_PROGRAM_NAMES,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "jingzhun"
# The names three tables used to disagree on, and the name each program now has everywhere.
RETIRED = {"最低生活保障（补差）": "dibao", "特困护理费": "tekun_care", "一保通脱贫返贫保险": "income_gap_insurance"}


def test_every_program_module_has_the_vocabularys_name() -> None:
    computed = {p: name for p, name in PROGRAM_NAMES.items() if p not in PAID_OUTSIDE_MONTH_RUN}
    assert {m.PROGRAM: m.NAME_ZH for m in PROGRAMS} == computed
    assert computed == NAMES_ZH
    assert set(PROGRAM_NAMES) == set(NAMES_ZH) | set(PAID_OUTSIDE_MONTH_RUN)


def test_the_three_names_that_differed_now_read_the_same_in_every_table() -> None:
    assert PROGRAM_NAMES["dibao"] == NAMES_ZH["dibao"] == "低保补差"
    assert PROGRAM_NAMES["tekun_care"] == NAMES_ZH["tekun_care"] == "特困人员照料护理费"
    assert PROGRAM_NAMES["income_gap_insurance"] == NAMES_ZH["income_gap_insurance"] == "脱贫返贫保险"
    covers = {c.code: c.name for c in COVERS}
    assert covers["income_gap"] == PROGRAM_NAMES["income_gap_insurance"]


def test_the_ledgers_choices_are_the_vocabulary() -> None:
    from jingzhun.ledger.models import PaymentLine

    assert dict(PaymentLine._meta.get_field("program").choices or []) == PROGRAM_NAMES


def test_tekun_basic_reads_as_on_the_staff_household_page() -> None:
    assert PROGRAM_NAMES["tekun_basic"] == "特困人员基本生活费"


def test_every_program_has_a_family_a_public_name_and_a_measure() -> None:
    assert set(PROGRAM_FAMILIES) | set(PAID_OUTSIDE_MONTH_RUN) == set(PROGRAM_NAMES) == set(PUBLIC_MEASURES)
    assert not set(PROGRAM_FAMILIES) & set(PAID_OUTSIDE_MONTH_RUN)  # no enrollment gate: their apps decide
    assert {PUBLIC_GROUP.get(p, p) for p in PROGRAM_NAMES} == set(PUBLIC_PROGRAM_NAMES)


def _source_files() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]


def test_no_module_but_the_vocabulary_writes_a_table_keyed_by_program_ids() -> None:
    """A dict literal with two or more program ids as keys is a second vocabulary: only vocabulary.py has them."""
    found = []
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if len(keys & set(PROGRAM_NAMES)) >= 2:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found and all(f.startswith("policy/vocabulary.py:") for f in found), found


def test_no_module_writes_a_retired_name_or_a_program_name_of_its_own() -> None:
    """The retired spellings appear nowhere in the code (the public 帮扶措施 wording keeps 一保通 as a measure)."""
    found = []
    for path in _source_files():
        rel = str(path.relative_to(SRC))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in RETIRED:
                if rel == "policy/vocabulary.py" and node.value == PUBLIC_MEASURES["income_gap_insurance"]:
                    continue
                found.append(f"{rel}:{node.lineno} {node.value}")
    assert found == []


def test_money_is_formatted_by_one_module() -> None:
    """fen → yuan text is policy/money.py's: no other module spells ``f"{fen // 100}.{fen % 100:02d}"``."""
    assert (fen_to_str(-12133), fen_to_grouped(123456789), str(fen_to_decimal(5))) == (
        "-121.33",
        "1,234,567.89",
        "0.05",
    )
    found = [
        str(p.relative_to(SRC))
        for p in _source_files()
        if "fen % 100:02d}" in p.read_text(encoding="utf-8") and p.name != "money.py"
    ]
    assert found == []


def test_the_registry_seeds_the_one_county_list() -> None:
    from jingzhun.registry.regions_seed import COUNTIES

    assert [code for code, _ in COUNTIES] == list(regions.COUNTIES) and len(COUNTIES) == 13


def test_medical_lines_show_publicly_only_as_medical_assistance_and_claims_as_insurance_payouts() -> None:
    public = {p: PUBLIC_PROGRAM_NAMES[PUBLIC_GROUP.get(p, p)] for p in PAID_OUTSIDE_MONTH_RUN}
    assert public == {
        "medical_assistance": "医疗救助",
        "cap136": "医疗救助",
        "insurance_claim": "保险赔付",
        "welfare_post_wage": "公益岗位工资",  # wages for work (issue #17), shown as wages
        "forest_ranger_wage": "生态护林员工资",
    }
