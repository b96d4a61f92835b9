"""The household list (户籍查询): scoped, searchable, masked, paged by 户编号."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import listed, make_household

pytestmark = pytest.mark.django_db


def page_of(client: Any, **params: str) -> str:
    response = client.get("/households/", params)
    assert response.status_code == 200
    return response.content.decode()


def rows_of(client: Any, **params: str) -> str:
    return listed(page_of(client, **params))


def test_anonymous_visitor_is_sent_to_login(client: Any) -> None:
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_county_officer_sees_every_household_of_her_county_and_no_other(login: Any, world: Any) -> None:
    page = page_of(login("alice"))
    for name in ("刘保平", "孙有福", "张建国", "李桂兰"):
        assert name in page
    assert "赵文华" not in page
    assert "共 <strong>4</strong> 户" in page


def test_village_cadre_sees_only_his_village(login: Any, world: Any) -> None:
    page = page_of(login("victor"))
    assert "刘保平" in page and "孙有福" in page
    assert "张建国" not in page and "李桂兰" not in page and "赵文华" not in page


def test_assigned_cadre_sees_only_the_households_assigned_to_him(login: Any, world: Any) -> None:
    page = page_of(login("carl"))
    assert "刘保平" in page
    assert "孙有福" not in page


def test_id_numbers_are_masked_in_the_list_even_for_the_county(login: Any, world: Any) -> None:
    head = world["own"].persons.get(relation="head")
    page = page_of(login("alice"))
    assert head.id_number not in page
    assert f"{head.id_number[:4]}**********{head.id_number[-4:]}" in page


def test_search_finds_a_household_by_any_members_name(login: Any, world: Any) -> None:
    page = page_of(login("alice"), q="秀英")
    assert "刘保平" in page and "匹配成员：王秀英" in page
    assert "孙有福" not in page


def test_search_by_the_last_four_digits_of_an_id_number(login: Any, world: Any) -> None:
    spouse = world["own"].persons.get(relation="spouse")
    page = page_of(login("victor"), q=spouse.id_number[-4:])
    assert "刘保平" in page


def test_whole_id_number_search_is_for_county_officers_only(login: Any, world: Any) -> None:
    number = world["own"].persons.get(relation="head").id_number
    assert "刘保平" in page_of(login("alice"), q=number)
    page = page_of(login("victor"), q=number)
    assert "刘保平" not in listed(page) and "完整身份证号查询仅限县级经办人员" in page


def test_search_by_household_number_prefix(login: Any, world: Any) -> None:
    page = page_of(login("alice"), q="141102002")
    assert "李桂兰" in page and "刘保平" not in page


def test_search_never_reaches_outside_the_scope(login: Any, world: Any) -> None:
    assert "赵文华" not in rows_of(login("alice"), q="赵文华")
    assert "共 <strong>0</strong> 户" in page_of(login("alice"), q="赵文华")


def test_filter_by_village(login: Any, world: Any, regions: Any) -> None:
    page = page_of(login("alice"), region=regions["v12"].code)
    assert "张建国" in page and "刘保平" not in page


def test_a_region_outside_the_scope_is_ignored_with_a_note(login: Any, world: Any, regions: Any) -> None:
    page = page_of(login("victor"), region=regions["v91"].code)
    assert "不在您的工作范围内" in page and "赵文华" not in listed(page)


def test_filter_by_program_enrolled(login: Any, world: Any) -> None:
    page = page_of(login("alice"), family="dibao")
    assert "刘保平" in page and "孙有福" not in page


def test_filter_by_status_and_by_not_registered(login: Any, world: Any, regions: Any) -> None:
    make_household(regions["v11"], "1411020010010009", "周非卡", registered_year=None, status=None)
    assert "周非卡" in page_of(login("alice"), status="none")
    assert "周非卡" not in page_of(login("alice"), status="not_exited")


def test_closed_households_are_listed_only_when_asked(login: Any, world: Any) -> None:
    world["own_other"].active = False
    world["own_other"].save()
    assert "孙有福" not in page_of(login("alice"))
    assert "孙有福" in page_of(login("alice"), active="closed")
    assert "孙有福" in page_of(login("alice"), active="all")


def test_pages_follow_household_numbers_forward_and_back(login: Any, world: Any) -> None:
    client = login("alice")
    first = page_of(client, limit="2")
    assert "刘保平" in first and "孙有福" in first and "张建国" not in first
    assert "after=1411020010010002" in first
    second = page_of(client, limit="2", after="1411020010010002")
    assert "张建国" in second and "李桂兰" in second and "刘保平" not in second
    assert "before=1411020010020001" in second
    back = page_of(client, limit="2", before="1411020010020001")
    assert "刘保平" in back and "张建国" not in back


def test_auditor_reads_the_whole_city(login: Any, world: Any) -> None:
    page = page_of(login("audrey"))
    assert "刘保平" in page and "赵文华" in page
    assert 'href="/households/import/"' not in page


def test_a_large_scope_is_read_in_household_number_order_with_the_same_result(
    login: Any, world: Any, monkeypatch: Any
) -> None:
    from jingzhun.registry import queries

    client = login("alice")
    small = [
        rows_of(client, limit="2"),
        rows_of(client, limit="2", after="1411020010010002"),
        rows_of(client, q="秀英"),
    ]
    monkeypatch.setattr(queries, "WALK_THRESHOLD", 0)
    large = [
        rows_of(client, limit="2"),
        rows_of(client, limit="2", after="1411020010010002"),
        rows_of(client, q="秀英"),
    ]
    assert large == small


def test_a_very_common_search_is_counted_only_up_to_a_cap(login: Any, world: Any, monkeypatch: Any) -> None:
    from jingzhun.registry import queries

    monkeypatch.setattr(queries, "MAX_KEYS", 1)
    monkeypatch.setattr(queries, "COUNT_CAP", 1)
    make_household(world["own"].village, "1411020010010003", "刘大成")
    page = page_of(login("alice"), q="刘")
    assert "超过 <strong>1</strong> 户" in page
    assert "刘保平" in listed(page) and "刘大成" in listed(page)


def test_the_region_filter_unfolds_from_townships_to_villages(login: Any, world: Any, regions: Any) -> None:
    client = login("alice")
    options = page_of(client).split('<select id="region"')[1].split("</select>")[0]
    assert "信义镇" in options and "吴城镇" in options and "信义村" not in options
    options = page_of(client, region=regions["t1"].code).split('<select id="region"')[1].split("</select>")[0]
    assert "信义村" in options and "歧道村" in options and "吴城村" not in options
    assert f'value="{regions["t1"].code}" selected' in options
