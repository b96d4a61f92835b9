"""户籍查询: the masked ID number copied from the list finds its person; ?limit is kept within the page sizes."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.registry import queries
from jingzhun.registry.idnumber import mask_id_number
from tests.staff import listed

pytestmark = pytest.mark.django_db


def rows(client: Any, **params: str) -> str:
    response = client.get("/households/", params)
    assert response.status_code == 200
    return listed(response.content.decode())


def test_the_masked_id_as_the_list_shows_it_finds_the_household(login: Any, world: Any) -> None:
    spouse = world["own"].persons.get(relation="spouse")
    masked = mask_id_number(spouse.id_number)
    assert "*" in masked
    found = rows(login("victor"), q=masked)
    assert "刘保平" in found and "孙有福" not in found
    assert "刘保平" in rows(login("victor"), q=masked.replace("*", "＊"))  # full-width asterisks from an IME


def test_the_masked_id_matches_the_first_four_too(login: Any, world: Any) -> None:
    spouse = world["own"].persons.get(relation="spouse")
    wrong_head = ("9999" + spouse.id_number[4:])[:18]
    assert "刘保平" not in rows(login("alice"), q=mask_id_number(wrong_head))


def test_the_masked_id_search_stays_inside_the_scope(login: Any, world: Any) -> None:
    far = world["other_county"].persons.get(relation="head")
    assert "赵文华" not in rows(login("alice"), q=mask_id_number(far.id_number))


@pytest.mark.parametrize(
    ("limit", "shown"),
    [
        ("-5", queries.PAGE_SIZE),
        ("0", queries.PAGE_SIZE),
        ("100000", queries.MAX_PAGE_SIZE),
        ("abc", queries.PAGE_SIZE),
    ],
)
def test_a_limit_outside_the_page_sizes_is_clamped(login: Any, world: Any, limit: str, shown: int) -> None:
    page = login("alice").get("/households/", {"limit": limit}).content.decode()
    assert f"每页 {shown} 户" in page
    assert "每页 -5 户" not in page and "每页 100000 户" not in page


def test_a_village_typed_in_the_box_lists_its_households(login: Any, world: Any) -> None:
    found = rows(login("alice"), q="歧道村")
    assert "张建国" in found and "刘保平" not in found and "李桂兰" not in found


def test_a_bare_village_name_lists_its_households_and_people_so_named(login: Any, world: Any) -> None:
    page = login("alice").get("/households/", {"q": "歧道"}).content.decode()
    assert "张建国" in listed(page) and "刘保平" not in listed(page)
    assert "只查区域请输入「歧道村」" in page


def test_a_township_name_works_and_a_region_outside_the_scope_is_not_found_by_name(login: Any, world: Any) -> None:
    found = rows(login("alice"), q="吴城镇")
    assert "李桂兰" in found and "张建国" not in found
    assert "张建国" not in rows(login("zoe"), q="歧道村")  # 交口县's officer: 歧道村 is not theirs
    assert rows(login("victor"), q="歧道村") == rows(login("victor"), q="没有这个人")  # outside 信义村: nothing


def test_a_bare_name_shared_by_a_township_and_its_village_finds_both(login: Any, world: Any) -> None:
    """「信义」 is 信义镇 and 信义村: both are searched (the township includes its villages), and said so."""
    page = login("alice").get("/households/", {"q": "信义"}).content.decode()
    found = listed(page)
    assert "刘保平" in found and "孙有福" in found and "张建国" in found  # 信义村 ×2, 歧道村 (信义镇)
    assert "李桂兰" not in found  # 吴城镇
    assert "「信义镇」、「信义村」" in page or "「信义村」、「信义镇」" in page
    exact = rows(login("alice"), q="信义村")
    assert "刘保平" in exact and "张建国" not in exact
