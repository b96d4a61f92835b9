"""household_benefits / region_benefits read the real ledger's PaymentLine (the contract they assume)."""

import datetime as dt

import pytest
from django.apps import apps

from jingzhun.public.queries import PROGRAM_NAMES, PUBLIC_GROUP, household_benefits, public_group, region_benefits

pytestmark = pytest.mark.django_db

YEAR = 2020


def test_the_ledger_model_has_the_fields_the_public_pages_sum() -> None:
    model = apps.get_model("ledger", "PaymentLine")
    fields = {f.name: f for f in model._meta.get_fields()}
    assert fields["household"].related_model._meta.label == "registry.Household"
    assert {"program", "month", "amount_fen"} <= set(fields)


def test_payments_and_reversals_in_the_ledger_sum_per_program_in_fen(regions, make_household) -> None:
    line = apps.get_model("ledger", "PaymentLine")
    a = make_household(regions["v11"], ["张三明"])
    b = make_household(regions["v12"], ["李四"])

    def pay(household, program: str, month: int, fen: int, **extra) -> object:
        return line.objects.create(
            household=household,
            program=program,
            month=dt.date(YEAR, month, 1),
            amount_fen=fen,
            kind=extra.pop("kind", "payment"),
            actor_label="test",
            **extra,
        )

    pay(a, "dibao", 1, 201000)
    wrong = pay(a, "dibao", 2, 201000)
    pay(a, "dibao", 2, -201000, kind="reversal", reverses=wrong)
    pay(a, "dibao_classified", 1, 44200)
    pay(b, "dibao", 1, 100000)
    line.objects.create(
        household=a, program="dibao", month=dt.date(YEAR + 1, 1, 1), amount_fen=1, kind="payment", actor_label="t"
    )
    pay(b, "disability_care", 1, 15000)
    pay(b, "disability_living", 1, 10000)
    pay(b, "tekun_care", 1, 30000)
    mine = {(t.program, t.name, t.amount_fen) for t in household_benefits(a, YEAR)}
    assert mine == {("dibao", "低保", 245200)}  # 分类施保 is part of 低保 in public (its rate tells a grade)
    theirs = [(t.name, t.amount_fen) for t in household_benefits(b, YEAR)]
    assert theirs == [("低保", 100000), ("特困供养", 30000), ("生活补贴", 25000)]
    township = {t.program: (t.amount_fen, t.households) for t in region_benefits("141102001", YEAR)}
    # one household counted once in a group, whatever it received in it
    assert township == {"dibao": (345200, 2), "tekun_basic": (30000, 1), "disability_living": (25000, 1)}
    assert region_benefits("141102002", YEAR) == []


@pytest.mark.parametrize("program", sorted(PUBLIC_GROUP))
def test_no_public_name_tells_a_grade_a_care_level_or_an_illness(program: str) -> None:
    named = {PROGRAM_NAMES.get(public_group(p), p) for p in (*PUBLIC_GROUP, *PROGRAM_NAMES)}
    for word in ("重度", "护理", "失能", "大病", "分类施保", "残疾", "残障"):
        assert not any(word in name for name in named), word
    assert public_group(program) in PROGRAM_NAMES


def test_without_the_ledger_app_there_are_no_benefits_to_show(regions, make_household, settings) -> None:
    household = make_household(regions["v11"], ["张三明"])
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "jingzhun.ledger"]
    assert household_benefits(household, YEAR) == []
    assert region_benefits("141102", YEAR) == []
