"""Lookup.build keeps the last few (tree, month, CPI) tables: one household's page does not resolve 26 rows again."""

import datetime as dt
from fractions import Fraction

from jingzhun.policy.batch_params import Lookup
from jingzhun.policy.document import Cpi
from jingzhun.policy.params import load_parameters
from jingzhun.policy.reforms import apply_reform, parse_reform

JUNE_2021 = dt.date(2021, 6, 1)


def _rural_standard(lookup: Lookup) -> int:
    row = next(r for r in lookup.rows if r["region"] == "141130" and r["area"] == "rural")
    return int(row["std_fen"])


def test_the_same_tree_month_and_cpi_give_the_same_table_and_anything_else_a_new_one() -> None:
    tree = load_parameters()
    cpi = Cpi(Fraction(5), Fraction(22))
    first = Lookup.build(tree, JUNE_2021, cpi)
    assert Lookup.build(tree, JUNE_2021, Cpi(Fraction(5), Fraction(22))) is first
    without_cpi = Lookup.build(tree, JUNE_2021, None)
    assert without_cpi is not first
    assert {r["price_num"] for r in without_cpi.rows} == {0} and {r["price_num"] for r in first.rows} != {0}
    assert Lookup.build(tree, dt.date(2020, 7, 1), cpi) is not first


def test_a_reformed_tree_gets_its_own_table() -> None:
    base = load_parameters()
    change = {"parameter": "dibao.standard.rural", "from": "2021-01-01", "value": "5200"}
    reformed = apply_reform(base, parse_reform({"changes": [change]}))
    assert _rural_standard(Lookup.build(base, JUNE_2021, None)) == 485_300
    assert _rural_standard(Lookup.build(reformed, JUNE_2021, None)) == 520_000
    assert _rural_standard(Lookup.build(base, JUNE_2021, None)) == 485_300
