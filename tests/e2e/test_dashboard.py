"""一张图 in a real browser: the county dashboard, a township drill-down and the 吕梁市 map draw their
charts with data and Chinese labels, offline (every request goes to the test server), under the CSP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]

# The texts ECharts actually drew on its canvas (the render list), not just what the option asked for.
DRAWN_TEXTS = """key => {
  const chart = window.jingzhunCharts[key];
  const out = [];
  chart.getZr().storage.getDisplayList(true).forEach(el => {
    if (el.style && typeof el.style.text === "string" && el.style.text) out.push(el.style.text);
  });
  return out;
}"""

SERIES = """key => window.jingzhunCharts[key].getOption().series.map(s => ({
  type: s.type, name: s.name, n: (s.data || []).length,
  total: (s.data || []).reduce(
    (a, v) => a + (typeof v === "number" ? v : (v && typeof v.value === "number" ? v.value : 0)), 0)
}))"""


def _watch(page: Any, base_url: str) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # a CSP violation is a console error; a failed load is checked by its response (the browser's own
    # /favicon.ico request is not the page's)
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None,
    )
    page.on("request", lambda r: None if r.url.startswith(base_url) else foreign.append(r.url))
    return errors, foreign


def test_county_dashboard_drill_down_and_map(live_server: Any, page: Any, screenshot: Any, world: Any) -> None:
    from jingzhun.projects.models import FundAllocation, Project

    project = Project.objects.create(
        code="LS-2020-001",
        name="信义村食用菌种植基地",
        kind="industry",
        region=world["own"].village,
        year=2020,
        beneficiary_households=30,
    )
    FundAllocation.objects.create(project=project, source="central", amount_fen=30_000_000)
    errors, foreign = _watch(page, live_server.url)
    browser_login(page, live_server.url, "alice")
    page.get_by_role("link", name="一张图").first.click()
    page.wait_for_function("() => window.jingzhunCharts && window.jingzhunCharts.coverage")  # drawn last
    assert page.locator("h1").inner_text().startswith("离石区 · 一张图")

    status = page.evaluate(SERIES, "status")
    names = ["未脱贫", "已脱贫（享受政策）", "返贫", "已脱贫（不再享受政策）", "非建档立卡"]
    assert [s["name"] for s in status] == names
    assert sum(s["total"] for s in status) == 4  # 离石区's four households in the world
    families = page.evaluate(SERIES, "families")
    assert families[0]["name"] == "低保户数" and families[0]["total"] == 1
    projects = page.evaluate(SERIES, "projects")
    assert projects == [{"type": "bar", "name": "中央财政专项", "n": 1, "total": 300000}]
    drawn = page.evaluate(DRAWN_TEXTS, "status")
    assert "信义镇" in drawn and "吴城镇" in drawn and "未脱贫" in drawn
    assert "产业扶贫" in page.evaluate(DRAWN_TEXTS, "projects")
    screenshot("county")

    # drill down: click 信义镇's bar group in the status chart (its category on the axis)
    with page.expect_navigation():
        page.evaluate(
            """() => { const c = window.jingzhunCharts.families;
                       const [x, y] = c.convertToPixel({seriesIndex: 0}, [0, 0]);
                       c.getZr().trigger("click", {offsetX: x, offsetY: y - 5, target: null}); }"""
        )
    page.wait_for_function("() => window.jingzhunCharts && window.jingzhunCharts.status")
    assert "region=141102001000" in page.url
    assert page.locator("h1").inner_text().startswith("信义镇 · 一张图")
    drawn = page.evaluate(DRAWN_TEXTS, "status")
    assert "信义村" in drawn and "歧道村" in drawn
    assert sum(s["total"] for s in page.evaluate(SERIES, "status")) == 3
    screenshot("township")

    page.get_by_role("link", name="地图").click()
    page.wait_for_function("() => window.jingzhunCharts && window.jingzhunCharts.map")
    page.wait_for_function("() => window.jingzhunCharts.map.getZr().storage.getDisplayList(true).length > 13")
    series = page.evaluate(SERIES, "map")
    valued = page.evaluate(
        """() => { const d = window.jingzhunCharts.map.getModel().getSeriesByIndex(0).getData(); const out = [];
                   for (let i = 0; i < d.count(); i++) { const v = d.get("value", i);
                     if (!Number.isNaN(v)) out.push([d.getName(i), v]); }
                   return out; }"""
    )
    assert series[0]["type"] == "map" and valued == [["离石区", 100]]  # 离石区 only: alice's county
    assert {"type": "scatter", "name": "食用菌", "n": 1, "total": 0} in series
    regions = page.evaluate("() => jingzhunCharts.map.getModel().getComponent('geo').coordinateSystem.regions.length")
    assert regions == 13
    drawn = page.evaluate(DRAWN_TEXTS, "map")
    assert "离石区" in drawn and "兴县" in drawn and "贫困发生率" in "".join(drawn)
    page.select_option("#id_measure", "dibao_coverage")
    assert "低保覆盖率" in "".join(page.evaluate(DRAWN_TEXTS, "map"))
    screenshot("map")
    assert errors == []
    assert foreign == []


def test_township_pays_a_rangers_month_and_the_village_prints_a_points_statement(
    live_server: Any, page: Any, world: Any
) -> None:
    """公益岗位 and 爱心超市 as staff use them in a browser: the township officer pays a 护林员's month from the
    posts page; the village cadre records points and goods taken and reads the month's statement."""
    import datetime as dt

    from jingzhun.core.actions import Actor
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.post_actions import create_post

    holder = world["own"].persons.get(labour="full")
    create_post(
        Actor.system("test"),
        village_code="141102001001",
        kind="forest_ranger",
        title="护林员（一片区）",
        holder_id_number=holder.id_number,
        start_month=dt.date(2020, 1, 1),
    )
    errors, foreign = _watch(page, live_server.url)
    browser_login(page, live_server.url, "tom")
    page.goto(f"{live_server.url}/projects/posts/?month=2020-06")
    row = page.locator("#posts tbody tr", has_text="护林员（一片区）")
    row.locator("input[name=days_worked]").fill("20")
    row.get_by_role("button", name="核发工资").click()
    page.locator("ul.messages", has_text="已核发").wait_for()
    assert "727.27" in page.locator("#posts").inner_text()
    assert PaymentLine.objects.get().program == "forest_ranger_wage"

    page.context.clear_cookies()
    browser_login(page, live_server.url, "victor")
    page.goto(f"{live_server.url}/projects/points/{world['own'].pk}/")
    page.locator("#id_activity").select_option(label="评为文明户")
    page.locator("#id_earn_day").fill("2020-06-02")
    page.get_by_role("button", name="登记得分").click()
    page.locator("#statement").wait_for()
    page.locator("#id_goods").fill("食用油一桶")
    page.locator("#id_points").fill("20")
    page.locator("#id_redeem_day").fill("2020-06-05")
    page.get_by_role("button", name="登记兑换").click()
    page.locator("#statement", has_text="兑换：食用油一桶").wait_for()
    assert "30" in page.locator("#statement-summary").inner_text()
    assert not errors and not foreign
