"""养老金/社保 hits (POLICY.md §8: "wage income to verify", not disqualifying): the 疑点 page sets the list's
scheme and amount beside the member's recorded income and asks for a look when an employee-only scheme meets
no recorded 工资性收入; confirming records the finding and changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.monitoring.crosscheck.importer import import_list
from jingzhun.monitoring.crosscheck.run import run_crosscheck
from jingzhun.monitoring.models.crosscheck import Suspect
from jingzhun.registry.models import ChangeRequest

from .conftest import head, write_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def pension(tmp_path: Path, world: dict[str, Any]) -> dict[str, Suspect]:
    no_wage, with_wage = world["own"].persons.order_by("id")[1], head(world["own_other"])  # 王秀英; 孙有福 (wages)
    path = write_list(
        tmp_path / "pension.csv",
        [
            {"姓名": no_wage.name, "身份证号": no_wage.id_number, "险种": "企业职工养老保险", "月领取额（元）": "2100"},
            {
                "姓名": with_wage.name,
                "身份证号": with_wage.id_number,
                "险种": "企业职工养老保险",
                "月领取额（元）": "800",
            },
        ],
        headers=("姓名", "身份证号", "出生日期", "村代码", "险种", "月领取额（元）"),
    )
    assert import_list(path, source="pension", as_of=dt.date(2020, 6, 30), actor=Actor.system("test")).ok
    run_crosscheck(Actor.system("test"))
    return {
        "no_wage": Suspect.objects.get(person=no_wage),
        "with_wage": Suspect.objects.get(person=with_wage),
    }


def test_income_is_set_beside_the_list(pension: dict[str, Suspect], login: Any) -> None:
    victor = login("victor")
    page = victor.get(f"/monitoring/crosscheck/{pension['no_wage'].pk}/").content.decode()
    assert 'id="income-check"' in page and "企业职工养老保险" in page and "25,200.00" in page
    assert 'id="income-needs-look"' in page and "没有该成员的年收入记录" in page
    other = victor.get(f"/monitoring/crosscheck/{pension['with_wage'].pk}/").content.decode()
    assert 'id="income-check"' in other and "工资性收入 40,000.00" in other and 'id="income-needs-look"' not in other


def test_confirming_changes_nothing(pension: dict[str, Suspect], login: Any) -> None:
    suspect = pension["no_wage"]
    login("victor").post(f"/monitoring/crosscheck/{suspect.pk}/decide/", {"outcome": "confirm", "reason": "在县城打工"})
    done = Suspect.objects.get(pk=suspect.pk)
    assert done.state == "confirmed" and done.change_request is None
    assert not ChangeRequest.objects.filter(household_id=suspect.household_id).exists()
