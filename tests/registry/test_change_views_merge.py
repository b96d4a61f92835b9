"""合并户: pick the target by 户编号, check both heads (masked), confirm; registry.actions.merge_households."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import PersonEvent
from tests.staff import approve

pytestmark = pytest.mark.django_db


def merge_form(into: str, confirm: bool = False, **changes: str) -> dict[str, str]:
    data = {"into": into, "date": "2020-06-01", "note": "父子合户", **changes}
    return {**data, "confirm": "1"} if confirm else data


def test_the_first_post_shows_both_heads_masked_and_writes_nothing(login: Any, world: Any) -> None:
    source, target = world["own_other"], world["own"]
    page = login("alice").post(f"/households/{source.pk}/merge/", merge_form(target.household_no))
    html = page.content.decode()
    assert page.status_code == 200 and "核对合户" in html and "确认合户" in html
    for household in (source, target):
        head = household.persons.get(relation="head")
        assert head.name in html and mask_id_number(head.id_number) in html
        assert head.id_number not in html  # masked even for a county officer
    source.refresh_from_db()
    assert source.active and not AuditEvent.objects.exists()


def test_confirming_moves_the_members_and_closes_the_source(login: Any, world: Any) -> None:
    source, target = world["own_other"], world["own"]
    moved = source.persons.get()
    response = login("victor").post(f"/households/{source.pk}/merge/", merge_form(target.household_no, confirm=True))
    assert response.status_code == 302 and response["Location"] == f"/households/{source.pk}/"
    source.refresh_from_db()
    assert source.active and AuditEvent.objects.get().action == "registry.propose_change"  # not merged alone
    assert approve(login, "tom", source).status_code == 302
    source.refresh_from_db()
    moved.refresh_from_db()
    assert not source.active and source.merged_into == target
    assert moved.household == target and moved.relation == "other"
    assert PersonEvent.objects.get(person=moved).kind == "merge"
    audit = AuditEvent.objects.get(action="registry.merge_households")
    assert audit.actor_label == "tom" and audit.reason == "父子合户"
    assert audit.after == {"into": target.household_no, "persons": [moved.pk]}


@pytest.mark.parametrize(
    ("into", "message"),
    [
        ("1411020010010002", "不能与本户合并"),
        ("1411020010019999", "未找到户编号 1411020010019999"),
        ("1411020010020001", "只能并入同村的户：户 1411020010020001 属于歧道村"),
        ("1411300010010001", "未找到户编号 1411300010010001（或该户不在您的工作范围内）"),
        ("", "这个字段是必填项"),
    ],
)
def test_a_bad_target_is_refused_in_chinese_and_nothing_written(
    login: Any, world: Any, into: str, message: str
) -> None:
    source = world["own_other"]
    response = login("tom").post(f"/households/{source.pk}/merge/", merge_form(into, confirm=True))
    assert response.status_code == 200 and message in response.content.decode()
    source.refresh_from_db()
    assert source.active and not AuditEvent.objects.exists()


def test_a_closed_target_is_refused(login: Any, world: Any) -> None:
    target = world["own"]
    target.active = False
    target.save()
    page = login("victor").post(f"/households/{world['own_other'].pk}/merge/", merge_form(target.household_no))
    assert "户 1411020010010001 已销户，不能并入" in page.content.decode()


def test_a_household_outside_the_village_is_not_found(login: Any, world: Any) -> None:
    client = login("victor")
    source = world["sibling_village"]
    assert client.get(f"/households/{source.pk}/merge/").status_code == 404
    response = client.post(f"/households/{source.pk}/merge/", merge_form(world["own"].household_no, confirm=True))
    assert response.status_code == 404
    source.refresh_from_db()
    assert source.active and not AuditEvent.objects.exists()


def test_auditor_may_not_merge(login: Any, world: Any) -> None:
    source = world["own_other"]
    client = login("audrey")
    assert f"/households/{source.pk}/merge/" not in client.get(f"/households/{source.pk}/").content.decode()
    response = client.post(f"/households/{source.pk}/merge/", merge_form(world["own"].household_no, confirm=True))
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.active and not AuditEvent.objects.exists()
