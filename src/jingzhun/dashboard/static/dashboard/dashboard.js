/* 一张图: draws the page's charts with the vendored ECharts from the data the server put in a
   json_script element (the Content-Security-Policy allows no inline script).
   - #dashboard-charts: {key: {type: line|bar|stack|pie, title, categories, series, links, unit}};
     each chart goes into [data-chart=key]; clicking a category with a link opens that region's dashboard.
   - #map-data: the 吕梁市 map: county rows (choropleth per measure) and industry points.
   The ECharts instances are kept in window.jingzhunCharts (by key; "map" for the map) for the browser tests. */
(function () {
  "use strict";
  window.jingzhunCharts = {};

  function onReady(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function num(v) { return typeof v === "number" ? v : Number(v); }

  function option(spec) {
    var legend = {type: "scroll", top: 0};
    var tooltip = {trigger: spec.type === "pie" ? "item" : "axis", confine: true, renderMode: "richText"};
    if (spec.type === "pie") {
      return {
        animation: false, tooltip: tooltip, legend: legend,
        series: [{type: "pie", radius: ["30%", "65%"], top: 30,
                  label: {formatter: "{b}：{c}"},
                  data: spec.categories.map(function (c, i) { return {name: c, value: num(spec.series[0].data[i])}; })}]
      };
    }
    var kind = spec.type === "line" ? "line" : "bar";
    return {
      animation: false, tooltip: tooltip, legend: legend,
      grid: {left: 70, right: 20, top: 40, bottom: 60},
      xAxis: {type: "category", data: spec.categories, axisLabel: {rotate: spec.categories.length > 6 ? 30 : 0}},
      yAxis: {type: "value", name: spec.unit || ""},
      series: spec.series.map(function (s) {
        return {type: kind, name: s.name, stack: spec.type === "stack" ? "all" : undefined,
                data: s.data.map(num), emphasis: {focus: "series"}};
      })
    };
  }

  function drawCharts() {
    var charts = data("dashboard-charts");
    if (!charts || !window.echarts) { return; }
    Object.keys(charts).forEach(function (key) {
      var el = document.querySelector('[data-chart="' + key + '"]');
      if (!el) { return; }
      var spec = charts[key];
      var chart = window.echarts.init(el, null, {renderer: "canvas"});
      chart.setOption(option(spec));
      if (spec.links) {
        chart.on("click", function (p) {
          var url = spec.links[p.dataIndex];
          if (url) { window.location.href = url; }
        });
        chart.getZr().on("click", function (e) {
          if (e.target) { return; }
          var point = [e.offsetX, e.offsetY];
          if (!chart.containPixel("grid", point)) { return; }
          var index = chart.convertFromPixel({seriesIndex: 0}, point)[0];
          if (spec.links[index]) { window.location.href = spec.links[index]; }
        });
      }
      window.jingzhunCharts[key] = chart;
    });
  }

  var MEASURES = {
    incidence: "贫困发生率（%）", dibao_coverage: "低保覆盖率（%）", funds_per_household: "户均项目资金（元）"
  };

  function drawMap() {
    var info = data("map-data");
    var el = document.querySelector("[data-map]");
    if (!info || !el || !window.echarts) { return; }
    var select = document.getElementById("id_measure");
    fetch(el.getAttribute("data-map"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (geojson) {
        window.echarts.registerMap("吕梁", geojson);
        var chart = window.echarts.init(el, null, {renderer: "canvas"});
        window.jingzhunCharts.map = chart;
        function draw() {
          var measure = select ? select.value : "incidence";
          var values = info.rows.filter(function (r) { return r[measure] !== ""; })
            .map(function (r) { return {name: r.name, value: Number(r[measure])}; });
          var max = values.reduce(function (m, v) { return Math.max(m, v.value); }, 0) || 1;
          chart.setOption({
            animation: false,
            title: {text: "吕梁市 · " + MEASURES[measure], left: "center"},
            tooltip: {trigger: "item", renderMode: "richText", formatter: function (p) {
              if (p.seriesType === "scatter") { return p.seriesName + "：" + p.name + " " + p.value[2] + " 个项目，" + p.value[3] + " 元"; }
              return p.name + "：" + (isNaN(p.value) ? "无数据" : p.value);
            }},
            legend: {bottom: 10, data: info.points.map(function (s) { return s.name; })},
            visualMap: {min: 0, max: max, left: 10, bottom: 60, text: ["高", "低"], calculable: true, seriesIndex: 0},
            geo: {map: "吕梁", roam: true, label: {show: true},
                  itemStyle: {areaColor: "#f3f3f3"}},
            series: [{type: "map", geoIndex: 0, name: MEASURES[measure], data: values}].concat(
              info.points.map(function (s) {
                return {type: "scatter", coordinateSystem: "geo", name: s.name, data: s.data,
                        symbolSize: function (v) { return 8 + 4 * Math.sqrt(v[2]); }};
              }))
          }, true);
        }
        draw();
        if (select) { select.addEventListener("change", draw); }
      });
  }

  onReady(function () { drawCharts(); drawMap(); });
})();
