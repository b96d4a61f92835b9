"""Migration 0012_h14_status_codes: the old five 户状态 become POLICY.md §8's four, 监测 a mark."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from jingzhun.registry.models import Household, HouseholdStatusEvent

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("jingzhun.registry.migrations.0012_h14_status_codes")
OLD = ("identified", "helped", "exited", "monitored", "returned")


def _households(regions: dict[str, object]) -> dict[str, Household]:
    out = {}
    for i, old in enumerate(OLD):
        h = Household.objects.create(
            household_no=f"M{i}", village=regions["v11"], address="一组", area="rural", housing_grade="B",
            registered_year=2015, status=old, status_date=dt.date(2019, 12, 1),
        )  # fmt: skip
        HouseholdStatusEvent.objects.create(household=h, status=old, date=dt.date(2019, 12, 1), note="导入时的状态")
        out[old] = h
    return out


def test_old_codes_map_to_the_four_and_back(regions: dict[str, object]) -> None:
    made = _households(regions)
    MIGRATION.forward(apps, None)
    now = {old: Household.objects.get(pk=h.pk) for old, h in made.items()}
    assert {old: (h.status, h.monitored) for old, h in now.items()} == {
        "identified": ("not_exited", False),
        "helped": ("not_exited", False),
        "exited": ("exited_supported", False),
        "monitored": ("exited_supported", True),
        "returned": ("returned", False),
    }
    events = dict(HouseholdStatusEvent.objects.values_list("household__household_no", "status"))
    assert events == {"M0": "not_exited", "M1": "not_exited", "M2": "exited_supported", "M3": "exited_supported",
                      "M4": "returned"}  # fmt: skip
    assert HouseholdStatusEvent.objects.get(household=made["monitored"]).note == "（原状态：监测）导入时的状态"
    MIGRATION.backward(apps, None)
    back = dict(Household.objects.values_list("household_no", "status"))
    assert back == {"M0": "helped", "M1": "helped", "M2": "exited", "M3": "monitored", "M4": "returned"}
