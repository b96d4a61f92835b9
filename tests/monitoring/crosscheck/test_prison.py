"""服刑 hits (POLICY.md §8: "member does not share income"): confirming one records the member's dated 服刑 term
in the registry, so the household's documents leave them out for the months served; clearing one records nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.monitoring.crosscheck.importer import import_list
from jingzhun.monitoring.crosscheck.run import run_crosscheck
from jingzhun.monitoring.models.crosscheck import Suspect
from jingzhun.registry.custody import CustodyTerm
from jingzhun.registry.documents import household_document

from .conftest import write_list

pytestmark = pytest.mark.django_db
HEADERS = ("姓名", "身份证号", "出生日期", "村代码", "入监日期", "刑满日期", "罪名")


def prison_hit(tmp_path: Path, person: Any, **dates: str) -> Suspect:
    row = {"姓名": person.name, "身份证号": person.id_number, "罪名": "盗窃", **dates}
    path = write_list(tmp_path / "prison.csv", [row], headers=HEADERS)
    system = Actor.system("test")
    assert import_list(path, source="prison", as_of=dt.date(2020, 6, 30), actor=system).ok
    run_crosscheck(system)
    return Suspect.objects.get(source="prison", person=person)


def members(household: Any, month: str) -> list[str]:
    [doc] = household_document(month, household_ids=[household.pk])["households"]
    return [m["id"] for m in doc["members"]]


def test_confirming_a_prison_hit_records_the_term(tmp_path: Path, world: dict[str, Any], login: Any) -> None:
    wang = world["own"].persons.get(name="王秀英")
    suspect = prison_hit(tmp_path, wang, 入监日期="2020-02-14", 刑满日期="2022-02-13")
    victor = login("victor")
    detail = victor.get(f"/monitoring/crosscheck/{suspect.pk}/").content.decode()
    assert "登记王秀英服刑（自 2020-02-14 起，至 2022-02-13 刑满释放" in detail
    page = victor.post(
        f"/monitoring/crosscheck/{suspect.pk}/decide/",
        {"outcome": "confirm", "reason": "入户核实：在汾阳监狱服刑"},
        follow=True,
    ).content.decode()
    assert "已登记服刑" in page
    term = CustodyTerm.objects.get(person=wang)
    assert (term.start, term.end, term.recorded_by) == (dt.date(2020, 2, 14), dt.date(2022, 2, 13), "victor")
    assert "服刑名单 2020-06-30 第2行" in term.note
    confirm = AuditEvent.objects.get(action="crosscheck.confirm")
    assert confirm.after["custody_term"] == term.pk and confirm.after["change_request"] is None
    assert AuditEvent.objects.filter(action="registry.record_custody", object_id=str(wang.pk)).count() == 1
    assert str(wang.pk) in members(world["own"], "2020-02") and str(wang.pk) not in members(world["own"], "2020-03")
    staff = victor.get(f"/households/{world['own'].pk}/").content.decode()
    assert 'id="custody-terms"' in staff and "2022-02-13" in staff


def test_without_dates_the_term_starts_on_the_lists_date(tmp_path: Path, world: dict[str, Any]) -> None:
    from jingzhun.monitoring.crosscheck.actions import confirm_suspect

    wang = world["own"].persons.get(name="王秀英")
    suspect = prison_hit(tmp_path, wang)
    confirm_suspect(Actor.system("test"), suspect, reason="核实属实")
    term = CustodyTerm.objects.get(person=wang)
    assert (term.start, term.end) == (dt.date(2020, 6, 30), None)
    assert str(wang.pk) in members(world["own"], "2020-06") and str(wang.pk) not in members(world["own"], "2020-07")


def test_a_cleared_prison_hit_records_nothing(tmp_path: Path, world: dict[str, Any], login: Any) -> None:
    wang = world["own"].persons.get(name="王秀英")
    suspect = prison_hit(tmp_path, wang, 入监日期="2020-02-14")
    login("tom").post(
        f"/monitoring/crosscheck/{suspect.pk}/decide/",
        {"outcome": "clear", "exemption": "not_same_person", "reason": "同名，本人在家务农"},
    )
    assert Suspect.objects.get(pk=suspect.pk).state == "cleared" and not CustodyTerm.objects.exists()


def test_an_overlapping_term_refuses_the_confirmation(tmp_path: Path, world: dict[str, Any], login: Any) -> None:
    from jingzhun.registry.custody_actions import record_custody

    wang = world["own"].persons.get(name="王秀英")
    record_custody(Actor.system("test"), wang, start=dt.date(2020, 1, 1), end=None, note="入户核实")
    suspect = prison_hit(tmp_path, wang, 入监日期="2020-02-14")
    page = login("victor").post(
        f"/monitoring/crosscheck/{suspect.pk}/decide/", {"outcome": "confirm", "reason": "核实属实"}, follow=True
    )
    assert "重叠" in page.content.decode()
    assert Suspect.objects.get(pk=suspect.pk).state == "open" and CustodyTerm.objects.count() == 1
