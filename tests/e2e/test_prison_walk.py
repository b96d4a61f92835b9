"""服刑 in the browser: a village cadre confirms a prisoners-list hit, finds the member's 服刑 term on the household
page, and records the release date there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.monitoring.crosscheck.conftest import write_list
from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_a_village_cadre_confirms_a_prison_hit_and_records_the_release(
    live_server: Any, page: Any, screenshot: Any, world: Any, tmp_path: Path
) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.crosscheck.importer import import_list
    from jingzhun.monitoring.crosscheck.run import run_crosscheck
    from jingzhun.registry.custody import CustodyTerm

    wang = world["own"].persons.get(name="王秀英")
    row = {"姓名": wang.name, "身份证号": wang.id_number, "入监日期": "2020-02-14"}
    path = write_list(tmp_path / "prison.csv", [row], headers=("姓名", "身份证号", "出生日期", "村代码", "入监日期"))
    assert import_list(path, source="prison", as_of=dt.date(2020, 6, 30), actor=Actor.system("test")).ok
    run_crosscheck(Actor.system("test"))

    browser_login(page, live_server.url, "victor")
    page.locator("nav").get_by_role("link", name="数据比对").click()
    page.locator("#suspects tr", has_text="服刑").get_by_role("link", name="核实").click()
    page.locator("#confirm-reason").wait_for()
    assert page.get_by_text("登记王秀英服刑（自 2020-02-14 起，释放日期未知").is_visible()
    page.locator("#confirm-reason").fill("入户核实：在汾阳监狱服刑")
    page.get_by_role("button", name="核实属实").click()
    page.wait_for_selector("text=已登记服刑")
    screenshot("prison-confirmed")

    page.goto(f"{live_server.url}/households/{world['own'].pk}/")
    terms = page.locator("#custody-terms")
    terms.wait_for()
    assert terms.get_by_text("服刑中").is_visible() and terms.get_by_text("2020-02-14").is_visible()
    terms.get_by_label("刑满释放日期").fill("2021-08-15")
    terms.get_by_label("说明").fill("刑满释放，已回村")
    terms.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已更新王秀英的服刑记录")
    screenshot("prison-released")
    term = CustodyTerm.objects.get(person=wang)
    assert (term.start, term.end, term.note) == (dt.date(2020, 2, 14), dt.date(2021, 8, 15), "刑满释放，已回村")
