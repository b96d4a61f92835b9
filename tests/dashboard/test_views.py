"""一张图 pages as each role opens them: figures of their own region, drill-down, Excel, refusals."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def charts(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page carries its chart data"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_county_officer_sees_the_county_by_township(login: Any, dash_world: Any) -> None:
    response = login("alice").get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "离石区 · 一张图" in html
    data = charts(html)
    assert set(data) == {"trend", "families", "status", "causes", "projects", "coverage"}
    # the month defaults to the latest in the county's ledger
    assert 'value="2020-06"' in html
    families = data["families"]
    assert families["categories"] == ["信义镇", "吴城镇"]
    assert [s["data"] for s in families["series"]] == [[1, 0], [0, 0]]
    assert families["links"][0].startswith("/dashboard/?region=141102001000")
    trend = data["trend"]
    assert trend["categories"][-1] == "2020-06"
    dibao = next(s for s in trend["series"] if s["name"] == "低保补差")
    assert dibao["data"][-2:] == ["400.00", "404.42"]  # 交口县's line is not in 离石区's trend
    assert "特困人员基本生活费" in [s["name"] for s in trend["series"]]
    status = data["status"]
    assert sum(sum(s["data"]) for s in status["series"]) == 4  # 离石区's four households
    coverage = {r[0]: r[1:] for r in _rows(html, "coverage")}
    assert coverage["信义镇"] == ["3", "1", "33.3%"] and coverage["吴城镇"] == ["1", "0", "0.0%"]
    projects = data["projects"]
    assert projects["categories"] == ["产业扶贫"]  # 交口县's PV project is not 离石区's
    assert projects["series"][0]["data"] == ["300000.00"]


def _rows(html: str, key: str) -> list[list[str]]:
    section = html[html.index(f'id="t-{key}"') :]
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return [re.findall(r"<td>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_township_drill_down_shows_its_villages(login: Any, dash_world: Any) -> None:
    html = login("alice").get("/dashboard/?region=141102001000&month=2020-06").content.decode()
    data = charts(html)
    assert data["status"]["categories"] == ["信义村", "歧道村"]
    assert data["families"]["series"][0]["data"] == [1, 0]
    assert "离石区</a> › <strong>信义镇</strong>" in html


def test_village_dashboard(login: Any, dash_world: Any) -> None:
    html = login("victor").get("/dashboard/").content.decode()
    data = charts(html)
    assert data["status"]["categories"] == ["信义村"]
    assert sum(sum(s["data"]) for s in data["status"]["series"]) == 2


def test_township_officer_cannot_open_another_township_or_county(login: Any, dash_world: Any) -> None:
    client = login("tom")
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/?region=141102002000").status_code == 404
    assert client.get("/dashboard/?region=141102").status_code == 404
    assert client.get("/dashboard/?region=141130").status_code == 404


def test_other_county_sees_its_own_numbers(login: Any, dash_world: Any) -> None:
    data = charts(login("zoe").get("/dashboard/?month=2020-06").content.decode())
    assert data["families"]["categories"] == ["水头镇"]
    dibao = next(s for s in data["trend"]["series"] if s["name"] == "低保补差")
    assert dibao["data"][-1] == "999.00"


def test_auditor_reads_the_city_by_county(login: Any, dash_world: Any) -> None:
    data = charts(login("audrey").get("/dashboard/?month=2020-06").content.decode())
    assert "离石区" in data["status"]["categories"] and "交口县" in data["status"]["categories"]


def test_assigned_cadre_is_refused(login: Any, dash_world: Any) -> None:
    response = login("carl").get("/dashboard/")
    assert response.status_code == 403
    assert "帮扶干部" in response.content.decode()
    assert login("carl").get("/dashboard/map/").status_code == 403


def test_anonymous_is_sent_to_login(client: Any, dash_world: Any) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_excel_download_has_the_table(login: Any, dash_world: Any) -> None:
    response = login("alice").get("/dashboard/?month=2020-06&download=families")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("离石区")
    assert rows[1] == ("区域", "低保户数", "低保金额（元）", "特困户数", "特困金额（元）")
    assert rows[2] == ("信义镇", 1, 404.42, 0, 0)  # amounts are numbers, not text
    assert rows[3][0] == "吴城镇" and rows[3][3] == 0
    assert login("alice").get("/dashboard/?download=nope").status_code == 404


def test_map_page_lists_the_counties_in_scope(login: Any, dash_world: Any) -> None:
    html = login("audrey").get("/dashboard/map/").content.decode()
    assert "echarts-china-cities-pypkg" in html and "MIT" in html and "乡镇边界" in html
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    assert match
    data = json.loads(match.group(1))
    rows = {r["name"]: r for r in data["rows"]}
    assert set(rows) == {"离石区", "交口县"}
    assert rows["离石区"]["households"] == 4 and rows["离石区"]["incidence"] == "100.0"
    assert rows["离石区"]["dibao"] == 1 and rows["离石区"]["dibao_coverage"] == "25.0"
    assert rows["离石区"]["funds_per_household"] == "75000.00"
    industries = {s["name"]: s["data"] for s in data["points"]}
    assert industries["食用菌"][0]["name"] == "离石区" and industries["食用菌"][0]["value"][2] == 1
    assert industries["光伏"][0]["name"] == "交口县"
    # a county officer sees only the county
    html = login("alice").get("/dashboard/map/").content.decode()
    assert "交口县" not in html.split('id="map-data"')[1]
