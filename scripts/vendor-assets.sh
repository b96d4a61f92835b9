#!/usr/bin/env bash
# Rebuild the vendored front-end assets under src/jingzhun/core/static/vendor/ from their registry packages:
#   echarts/       Apache ECharts (npm package `echarts`): dist/echarts.min.js, LICENSE, NOTICE
#   lvliang-map/   吕梁市 and its 13 counties as GeoJSON, decoded from the PyPI package
#                  `echarts-china-cities-pypkg` (pyecharts' ECharts city maps, compressed format)
# Run by hand when a version changes (not by `make demo` or `make test`); it needs node, npm and python3 and
# reaches the npm registry and PyPI only. Everything is fetched into a temporary directory and removed after.
set -euo pipefail

ECHARTS_VERSION="6.1.0"
MAP_PACKAGE="echarts-china-cities-pypkg"
MAP_VERSION="0.0.9"
MAP_FILE="shan1_xi1_lv3_liang2.js"   # the package's 吕梁 map

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/src/jingzhun/core/static/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "echarts@$ECHARTS_VERSION (npm) …"
(cd "$tmp" && npm pack --silent "echarts@$ECHARTS_VERSION" >/dev/null)
mkdir -p "$tmp/echarts" "$vendor/echarts"
tar xzf "$tmp/echarts-$ECHARTS_VERSION.tgz" -C "$tmp/echarts"
cp "$tmp/echarts/package/dist/echarts.min.js" "$tmp/echarts/package/LICENSE" "$tmp/echarts/package/NOTICE" \
  "$vendor/echarts/"

echo "$MAP_PACKAGE==$MAP_VERSION (PyPI) …"
# The package is an sdist whose metadata step needs setuptools and wheel: a throw-away venv provides them.
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --disable-pip-version-check setuptools wheel
"$tmp/venv/bin/pip" download -q --disable-pip-version-check --no-deps --no-build-isolation -d "$tmp" \
  "$MAP_PACKAGE==$MAP_VERSION"
tar xzf "$tmp/$MAP_PACKAGE-$MAP_VERSION.tar.gz" -C "$tmp"
source_js="$tmp/$MAP_PACKAGE-$MAP_VERSION/echarts_china_cities_pypkg/resources/echarts-china-cities-js/$MAP_FILE"
mkdir -p "$vendor/lvliang-map"

# The package's file is a UMD script calling echarts.registerMap("吕梁", …) with ECharts' compressed
# coordinates (UTF8Encoding). Run it against a stub `echarts`, decode the rings exactly as ECharts'
# parseGeoJson does, and write plain GeoJSON whose properties carry the GB/T 2260 code and the name.
node - "$source_js" "$vendor/lvliang-map/lvliang.geojson" <<'NODE'
const fs = require("fs");
const vm = require("vm");
const [source, out] = process.argv.slice(2);
let registered = null;
vm.runInNewContext(fs.readFileSync(source, "utf8"), {
  echarts: { registerMap: (name, json) => { registered = { name, json }; } },
  console,
});
if (!registered || registered.name !== "吕梁") throw new Error("no 吕梁 map registered by " + source);
const json = registered.json;
const scale = json.UTF8Scale || 1024;
const round = (v) => Math.round(v * 1e6) / 1e6;
function ring(text, offsets) {
  let [x0, y0] = offsets;
  const points = [];
  for (let i = 0; i < text.length; i += 2) {
    let x = text.charCodeAt(i) - 64;
    let y = text.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x0 += x;
    y0 += y;
    points.push([round(x0 / scale), round(y0 / scale)]);
  }
  const [first, last] = [points[0], points[points.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1]) points.push(first.slice());
  return points;
}
const polygon = (rings, offsets) => rings.map((r, i) => ring(r, offsets[i]));
const expected = ["141102", "141121", "141122", "141123", "141124", "141125", "141126", "141127", "141128",
  "141129", "141130", "141181", "141182"];
const features = json.features.map((f) => {
  const g = f.geometry;
  if (!json.UTF8Encoding || !g.encodeOffsets) throw new Error("expected ECharts' compressed coordinates");
  const coordinates = g.type === "Polygon" ? polygon(g.coordinates, g.encodeOffsets)
    : g.coordinates.map((p, i) => polygon(p, g.encodeOffsets[i]));
  return {
    type: "Feature",
    properties: { code: String(f.id), name: f.properties.name, cp: f.properties.cp },
    geometry: { type: g.type, coordinates },
  };
}).sort((a, b) => a.properties.code.localeCompare(b.properties.code));
const codes = features.map((f) => f.properties.code);
if (JSON.stringify(codes) !== JSON.stringify(expected)) throw new Error("unexpected counties: " + codes);
const lines = features.map((f) => JSON.stringify(f));
fs.writeFileSync(out, '{"type":"FeatureCollection","name":"吕梁市","code":"141100","features":[\n'
  + lines.join(",\n") + "\n]}\n");
console.log(`${features.length} counties → ${out}`);
NODE

( cd "$vendor" && sha256sum echarts/echarts.min.js lvliang-map/lvliang.geojson )
echo "Done. Update the versions and checksums in the README.md files next to the assets if they changed."
