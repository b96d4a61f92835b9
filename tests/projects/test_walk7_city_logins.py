"""Walk 7: the city-wide logins (审计 audrey, 管理员) got 404 on 项目库, 公益岗位 and 光伏 from the nav — their
region 吕梁市 (141100) is no county. They now open their first county with projects and choose another
county from the page; a county officer still cannot open another county (404)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_counties(make_project: Any, personas: Any) -> None:
    make_project("A", "141102001001", name="信义村食用菌基地")
    make_project("J", "141130001001", name="水头村养殖场")


def test_the_auditor_opens_the_library_of_the_first_county_with_projects(login: Any, two_counties: None) -> None:
    response = login("audrey").get("/projects/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "离石区 · 2019 年项目库" in page and "信义村食用菌基地" in page
    assert '<select id="id_county" name="county">' in page  # a city-wide login chooses the county
    assert "水头村养殖场" not in page


def test_the_auditor_chooses_another_county(login: Any, two_counties: None) -> None:
    page = login("audrey").get("/projects/?county=141130").content.decode()
    assert "交口县 · 2019 年项目库" in page and "水头村养殖场" in page


@pytest.mark.parametrize("path", ["/projects/posts/", "/projects/pv/"])
def test_the_auditor_opens_posts_and_pv(login: Any, two_counties: None, path: str) -> None:
    assert login("audrey").get(path).status_code == 200


def test_a_county_officer_has_no_county_choice_and_no_other_county(login: Any, two_counties: None) -> None:
    client = login("alice")
    assert 'id="id_county"' not in client.get("/projects/").content.decode()
    assert client.get("/projects/?county=141130").status_code == 404
