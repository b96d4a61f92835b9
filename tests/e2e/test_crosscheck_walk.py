"""数据比对 in the browser: a village cadre opens a 疑点, sees the list row beside the registry person, clears
one with an exemption code and confirms another, which raises a change request for the township."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.monitoring.crosscheck.conftest import seed_suspects
from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_a_village_cadre_clears_one_hit_and_confirms_another(
    live_server: Any, page: Any, screenshot: Any, world: Any, tmp_path: Path
) -> None:
    from jingzhun.monitoring.models.crosscheck import Suspect
    from jingzhun.registry.models import ChangeRequest

    suspects = seed_suspects(tmp_path, world)
    vehicle, death = suspects["vehicle_own"], suspects["death_own"]

    browser_login(page, live_server.url, "victor")
    page.locator("nav").get_by_role("link", name="数据比对").click()  # the 工作台 also links its 疑点 to-do
    counts = page.locator("#village-counts")
    assert counts.get_by_text("信义村").is_visible() and counts.get_by_text("歧道村").count() == 0
    screenshot("list")

    page.locator("#suspects tr", has_text="车辆").get_by_role("link", name="核实").click()
    table = page.locator("#side-by-side")
    assert table.get_by_text("三轮汽车").is_visible() and table.get_by_text("25000").is_visible()
    assert table.locator("td", has_text=vehicle.person.name).count() == 2  # the list's name beside the registry's
    assert page.locator("#agreement").get_by_text("身份证号一致").is_visible()
    assert page.locator("#probability").inner_text() == "100.0%"
    screenshot("vehicle-detail")
    page.get_by_label("排除情形").select_option("vehicle_under_30000")
    page.locator("#clear-reason").fill("三轮汽车，购置价 2.5 万元，入户核实")
    page.get_by_role("button", name="核实排除").click()
    page.wait_for_selector("text=已排除疑点")
    assert page.locator("#suspect-state").inner_text() == "核实排除"
    assert page.get_by_text("排除情形：车辆价格低于 3 万元").is_visible()
    screenshot("vehicle-cleared")

    page.get_by_role("link", name="数据比对疑点").click()
    page.locator("#suspects tr", has_text="死亡").get_by_role("link", name="核实").click()
    assert page.locator("#side-by-side").get_by_text("2020-05-10").is_visible()
    page.locator("#confirm-reason").fill("村委会核实，已火化")
    screenshot("death-detail")
    page.get_by_role("button", name="核实属实").click()
    page.wait_for_selector("text=已提出变更申请")
    assert page.get_by_text("死亡（2020-05-10）").first.is_visible()
    screenshot("death-confirmed")

    assert Suspect.objects.get(pk=vehicle.pk).state == "cleared"
    change = ChangeRequest.objects.get(household=death.household, kind="death")
    assert change.state == "pending" and change.proposer_label == "victor"
    death.person.refresh_from_db()
    assert death.person.status == "active"  # nothing changes until the township approves


def test_a_village_cadre_resolves_a_tie(
    live_server: Any, page: Any, screenshot: Any, world: Any, tmp_path: Path
) -> None:
    """Two 王建军 born the same day in 信义村 fit one death-list row equally: no 疑点, a 待甄别 row; the cadre
    picks the right one, which becomes an ordinary 疑点 (人工甄别) to verify."""
    import datetime as dt

    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.crosscheck.importer import import_list
    from jingzhun.monitoring.crosscheck.run import run_crosscheck
    from jingzhun.monitoring.models.crosscheck import Ambiguity, Suspect
    from jingzhun.registry.models import Region
    from tests.monitoring.crosscheck.conftest import write_list
    from tests.staff import make_household

    village = Region.objects.get(code="141102001001")
    born = dt.date(1951, 4, 9)
    make_household(village, "1411020010010011", "王建军", birth=born)
    second = make_household(village, "1411020010010012", "王建军", birth=born)
    path = write_list(
        tmp_path / "death.csv", [{"姓名": "王建军", "出生日期": born.isoformat(), "村代码": village.code}]
    )
    assert import_list(path, source="death", as_of=dt.date(2020, 6, 30), actor=Actor.system("test")).ok
    assert run_crosscheck(Actor.system("test")).flagged == 1

    browser_login(page, live_server.url, "victor")
    page.locator("nav").get_by_role("link", name="数据比对").click()
    rows = page.locator("#ambiguous-rows")
    rows.wait_for()
    assert rows.get_by_text("多人同等匹配").is_visible()
    assert rows.get_by_text("1411020010010012", exact=True).is_visible()
    screenshot("tie")
    row = page.locator("#ambiguous-rows tbody tr").first
    row.get_by_label("对应人员").select_option(label="是王建军（1411020010010012）")
    row.get_by_label("甄别说明").fill("入户核对：第二户的王建军已去世")
    row.get_by_role("button", name="提交甄别").click()
    page.wait_for_selector("text=已转为疑点待核实")
    assert page.get_by_text("本区域暂无待甄别名单行").is_visible()
    assert page.locator("#suspects tr", has_text="人工甄别").count() == 1
    screenshot("tie-resolved")
    assert Ambiguity.objects.get().state == "chosen"
    assert Suspect.objects.get().person.household_id == second.pk
