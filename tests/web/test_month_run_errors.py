"""The month-run preview names uncomputable households' missing parameters in Chinese and says how many it lists."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import make_household

pytestmark = pytest.mark.django_db


def urban(regions: dict[str, Any], count: int) -> None:
    """``count`` urban households of 信义村: 离石区 has no urban 低保 standard in force on 2020-07-01."""
    for index in range(count):
        make_household(regions["v11"], f"14110200100190{index:02d}", f"城镇户{index}", area="urban")


def preview(client: Any, month: str = "2020-07") -> str:
    response = client.post("/runs/", {"month": month, "action": "preview"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_missing_parameters_are_named_in_chinese(login: Any, world: Any, regions: dict[str, Any]) -> None:
    urban(regions, 2)
    page = preview(login("alice"))
    assert "2 户无法计算" in page
    assert "户 1411020010019000：缺少参数：城市低保标准（每人每年）（离石区 141102，2020-07-01 起）" in page
    assert "无参数" not in page and "dibao.standard" not in page
    assert "仅显示前" not in page  # all of them are listed


def test_only_the_first_20_are_listed_and_the_page_says_so(login: Any, world: Any, regions: dict[str, Any]) -> None:
    urban(regions, 23)
    page = preview(login("alice"))
    assert "23 户无法计算" in page and "仅显示前 20 户，共 23 户" in page
    assert page.count("<li>户 1411020010019") == 20
