"""The vendored ECharts and 吕梁市 map draw a 13-county choropleth offline, with Chinese labels.

The page is a plain file written into tmp_path; it loads ``echarts.min.js`` from the vendored folder by
``file://`` and gets the vendored GeoJSON as read from disk. Every request that is not ``file:`` is
aborted and recorded, so a CDN or tile fetch anywhere in the assets fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from jingzhun.policy import regions
from tests.e2e.conftest import ARTIFACTS

VENDOR = Path(__file__).resolve().parents[2] / "src" / "jingzhun" / "core" / "static" / "vendor"
ECHARTS = VENDOR / "echarts" / "echarts.min.js"
GEOJSON = VENDOR / "lvliang-map" / "lvliang.geojson"
ECHARTS_VERSION = "6.1.0"  # as pinned in scripts/vendor-assets.sh and vendor/echarts/README.md

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>吕梁市</title>
<script src="{echarts}"></script></head>
<body style="margin:0;background:#fff">
<div id="map" style="width:900px;height:1000px"></div>
<script>
window.drawLvliang = function (geojson, values) {{
  echarts.registerMap("吕梁", geojson);
  const names = {{}};
  geojson.features.forEach(f => {{ names[f.properties.code] = f.properties.name; }});
  const chart = echarts.init(document.getElementById("map"), null, {{renderer: "svg"}});
  chart.setOption({{
    animation: false,
    title: {{text: "吕梁市 贫困发生率（%）", left: "center"}},
    visualMap: {{min: 0, max: 30, left: 20, bottom: 20, text: ["高", "低"], calculable: false}},
    series: [{{
      type: "map", map: "吕梁", nameProperty: "code",
      label: {{show: true, fontSize: 16, formatter: p => names[p.name]}},
      data: Object.entries(values).map(([code, value]) => ({{name: code, value: value}})),
    }}],
  }});
  window.chart = chart;
}};
</script></body></html>
"""

# 每个县的取值只是画图用的示例数字（by code, so the page joins on GB/T 2260 codes, not names).
VALUES = {code: 5 + 2 * i for i, code in enumerate(regions.COUNTIES)}


def _geojson() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return data


def test_the_vendored_map_has_the_13_counties_by_code_and_name() -> None:
    features = _geojson()["features"]
    by_code = {f["properties"]["code"]: f["properties"]["name"] for f in features}
    assert by_code == {code: regions.NAMES[code] for code in regions.COUNTIES}
    lons = [pt[0] for f in features for ring in f["geometry"]["coordinates"] for pt in ring]
    lats = [pt[1] for f in features for ring in f["geometry"]["coordinates"] for pt in ring]
    # 吕梁市 lies between about 110.4°E–112.3°E and 36.7°N–38.7°N.
    assert 110.3 < min(lons) < max(lons) < 112.4
    assert 36.6 < min(lats) < max(lats) < 38.8
    assert all(ring[0] == ring[-1] for f in features for ring in f["geometry"]["coordinates"])


@pytest.mark.browser
def test_the_choropleth_draws_13_counties_with_chinese_labels_offline(browser: Any, tmp_path: Path) -> None:
    html = tmp_path / "lvliang.html"
    html.write_text(PAGE.format(echarts=ECHARTS.as_uri()), encoding="utf-8")
    context = browser.new_context(locale="zh-CN", viewport={"width": 900, "height": 1000})
    requested: list[str] = []
    aborted: list[str] = []

    def only_files(route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            aborted.append(url)
            route.abort()

    try:
        context.route("**/*", only_files)
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(html.as_uri())
        assert page.evaluate("echarts.version") == ECHARTS_VERSION
        page.evaluate("([g, v]) => window.drawLvliang(g, v)", [_geojson(), VALUES])
        page.wait_for_function("document.querySelectorAll('#map svg text').length >= 13")

        regions_with_data = page.evaluate(
            """() => {
              const series = chart.getModel().getSeriesByIndex(0);
              const data = series.getData();
              const out = [];
              for (let i = 0; i < data.count(); i++) {
                const value = data.get("value", i);
                if (!Number.isNaN(value)) out.push([data.getName(i), value]);
              }
              return {regions: series.coordinateSystem.regions.length, data: out};
            }"""
        )
        assert regions_with_data["regions"] == 13
        assert dict(regions_with_data["data"]) == VALUES

        labels = page.evaluate(
            """() => Array.from(document.querySelectorAll('#map svg text'))
                .filter(t => t.textContent.length > 0)
                .map(t => { const r = t.getBoundingClientRect();
                            return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height}; })"""
        )
        drawn = {label["text"]: label for label in labels}
        assert set(regions.NAMES[code] for code in regions.COUNTIES) <= set(drawn)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "vendored-map-lvliang.png"))

        # Glyphs, not boxes: with no CJK font every character is the same "tofu" box, so 兴县 and 临县
        # would render alike. Each label must have ink and the two must differ.
        def ink(name: str) -> np.ndarray[Any, Any]:
            box = drawn[name]
            png = page.screenshot(clip={"x": box["x"], "y": box["y"], "width": box["w"], "height": box["h"]})
            image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
            return np.asarray(image < 128, dtype=np.uint8)

        xing, lin = ink("兴县"), ink("临县")
        assert xing.sum() > 20 and lin.sum() > 20
        height, width = min(xing.shape[0], lin.shape[0]), min(xing.shape[1], lin.shape[1])
        assert (xing[:height, :width] != lin[:height, :width]).sum() > 20
        assert errors == []
    finally:
        context.close()
    assert aborted == []
    assert requested and all(url.startswith("file:") for url in requested)


@pytest.mark.parametrize("path", ["vendor/echarts/echarts.min.js", "vendor/lvliang-map/lvliang.geojson"])
def test_the_site_serves_the_vendored_files_from_its_own_static_path(client: Any, path: str) -> None:
    response = client.get(f"/static/{path}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (VENDOR.parent / path).read_bytes()
