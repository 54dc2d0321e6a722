// Draws the timeline (#timeline) and the organization graph (#org-graph) of a page with Apache
// ECharts, from the JSON data block the page carries beside its list or table (issue 11). Every
// word shown comes from the page (the data, and the container's data-* attributes), in the page's
// language; nothing is fetched. The SVG renderer keeps each mark an element of the page, and no
// style is written as markup (the Content-Security-Policy allows none): ECharts sets element
// styles from script, and the tooltip's own markup carries classes only (visuals.css).
import * as echarts from "echarts/core";
import { CustomChart, GraphChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([CustomChart, GraphChart, GridComponent, TooltipComponent, SVGRenderer]);

const COLORS = {
  year: "#9ec3e6", month: "#4f8fcc", day: "#1f5c99", "under-way": "#ffffff",
  this: "#b23a48", unit: "#2f7d5b", post: "#d08c1a", person: "#4f6fb0",
  organization: "#7a4fa0", place: "#6b8e23", other: "#888888",
};
const FONT = "system-ui, sans-serif";
const escape = (text) => echarts.format.encodeHTML(String(text ?? ""));

// The axis in the page's language: a year where a year begins, else the month's short name as
// the page gives it (Babel's; a browser's own may lack the language), and the day if not the 1st.
function axisDate(months) {
  return (value) => {
    const date = new Date(value);
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
    if (month === 0 && day === 1) return String(year);
    return day === 1 ? months[month] : `${day} ${months[month]}`;
  };
}

function dataOf(container) {
  const block = document.getElementById(container.dataset.source);
  return block ? JSON.parse(block.textContent) : null;
}

// Before setOption: ECharts may finish within it. Once drawn, the list the page reads without
// JavaScript folds away (one click opens it again); ECharts finishes again after every hover,
// so this happens once.
function watch(container, chart) {
  chart.on("finished", () => {
    if (container.dataset.drawn === "true") return;
    container.dataset.drawn = "true";
    const section = container.closest("section");
    const list = section && section.querySelector("details.as-list");
    if (list) list.open = false;
  });
  const section = container.closest("section");
  const legend = section && section.querySelector(".legend");
  if (legend) legend.hidden = false;
  // One resize per frame, and none while the chart has no size (a full-page screenshot resizes
  // the window several times at once; resizing between two made zrender read a null transform).
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      if (container.clientWidth > 0 && container.clientHeight > 0 && !chart.isDisposed()) {
        chart.resize();
      }
    });
  });
}

function tip(title, lines) {
  return `<div class="okg-tip"><strong>${escape(title)}</strong>${lines
    .filter((line) => line)
    .map((line) => `<div>${line}</div>`)
    .join("")}</div>`;
}

// ------------------------------------------------------------------------------- the timeline

function drawTimeline(container) {
  const data = dataOf(container);
  if (!data) return;
  const events = data;
  const words = container.dataset;
  const sourcesText = (list) => (list.length ? list.map(escape).join("; ") : escape(words.publisher));
  const marks = [];
  const apart = [];
  let lanes = 1;
  let earliest = Infinity;
  let latest = -Infinity;
  events.forEach((event, row) => {
    const placed = event.times.filter((t) => t.start && t.end);
    const others = event.times.filter((t) => !(t.start && t.end));
    lanes = Math.max(lanes, placed.length);
    placed.forEach((time, lane) => {
      const start = Date.parse(time.start);
      const end = Date.parse(time.end);
      earliest = Math.min(earliest, start);
      latest = Math.max(latest, end);
      marks.push({ value: [row, start, end, lane, placed.length], event, time });
    });
    if (others.length || !placed.length) {
      const text = others.length ? others.map((t) => t.text).join("; ") : words.undated;
      apart.push({ value: [0, row], event, times: others, text });
    }
  });
  const pad = 180 * 864e5;
  const rowHeight = 16 + 8 * lanes;
  const width = container.clientWidth || 800;
  const labelWidth = Math.min(320, Math.round(width * 0.34));
  const apartWidth = Math.min(170, Math.round(width * 0.18));
  container.style.height = `${events.length * rowHeight + 70}px`;
  const chart = echarts.init(container, null, { renderer: "svg" });
  watch(container, chart);
  const rows = events.map((event) => event.label);
  const yAxis = (gridIndex, show) => ({
    type: "category", gridIndex, data: rows, inverse: true, triggerEvent: show,
    axisTick: { show: false }, axisLine: { show: show },
    axisLabel: show ? { width: labelWidth, overflow: "truncate", fontFamily: FONT, color: "#1b1b1b" } : { show: false },
  });
  chart.setOption({
    animation: false,
    useUTC: true,
    textStyle: { fontFamily: FONT },
    grid: [
      { left: labelWidth + 16, right: apartWidth + 24, top: 40, bottom: 20 },
      { right: 8, width: apartWidth, top: 40, bottom: 20 },
    ],
    xAxis: [
      {
        type: "time", gridIndex: 0, position: "top",
        min: Number.isFinite(earliest) ? earliest - pad : undefined,
        max: Number.isFinite(latest) ? latest + pad : undefined,
        splitLine: { show: true, lineStyle: { color: "#eeeeee" } },
        axisLabel: { hideOverlap: true, color: "#444444", formatter: axisDate(words.months.split(",")) },
      },
      {
        type: "category", gridIndex: 1, position: "top", data: [words.apart],
        axisTick: { show: false }, axisLine: { show: false },
        axisLabel: { interval: 0, width: apartWidth, overflow: "truncate", color: "#444444" },
      },
    ],
    yAxis: [yAxis(0, true), yAxis(1, false)],
    tooltip: {
      trigger: "item", confine: true, className: "okg-tooltip",
      formatter: (item) => {
        const found = item.data;
        if (!found || !found.event) return "";
        const event = found.event;
        const shown = found.time ? [found.time] : found.times;
        const dates = shown.length
          ? shown.map((t) => `${escape(t.text)} · ${escape(words.statedBy)} ${sourcesText(t.sources)}`)
          : [escape(words.undated)];
        return tip(event.label, [
          event.kind ? `<span class="okg-kind">${escape(event.kind)}</span>` : "",
          ...dates,
          `<span class="okg-kind">${escape(words.eventSources)}: ${sourcesText(event.sources)}</span>`,
        ]);
      },
    },
    series: [
      {
        type: "custom", name: "dates", xAxisIndex: 0, yAxisIndex: 0, data: marks,
        encode: { x: [1, 2], y: 0 }, clip: true,
        renderItem: (params, api) => {
          const mark = marks[params.dataIndex];
          const row = api.value(0);
          const from = api.coord([api.value(1), row]);
          const to = api.coord([api.value(2), row]);
          const band = api.size([0, 1])[1] * 0.8;
          const lane = api.value(3);
          const height = Math.max(3, band / api.value(4) - 2);
          const top = from[1] - band / 2 + lane * (band / api.value(4));
          const span = to[0] - from[0];
          const x = span < 6 ? (from[0] + to[0]) / 2 - 3 : from[0];
          const underWay = mark.time.kind === "under-way";
          return {
            type: "rect",
            shape: { x, y: top, width: Math.max(span, 6), height, r: underWay ? 3 : 1 },
            style: {
              fill: COLORS[underWay ? "under-way" : mark.time.precision] || COLORS.year,
              stroke: underWay ? COLORS.day : "#1f3f66", lineWidth: underWay ? 1.5 : 0.5,
            },
          };
        },
      },
      {
        type: "custom", name: "apart", xAxisIndex: 1, yAxisIndex: 1, data: apart,
        encode: { x: 0, y: 1 },
        renderItem: (params, api) => {
          const item = apart[params.dataIndex];
          const at = api.coord([0, api.value(1)]);
          return {
            type: "text", x: at[0], y: at[1],
            style: {
              text: item.text, fill: item.times.length ? "#7a2e00" : "#777777", fontSize: 11,
              fontFamily: FONT, align: "center", verticalAlign: "middle", width: apartWidth - 8,
              overflow: "truncate",
            },
          };
        },
      },
    ],
  });
  chart.on("click", (params) => {
    if (params.componentType === "yAxis") {
      const event = events[rows.indexOf(params.value)];
      if (event) window.location.assign(event.href);
    } else if (params.data && params.data.event) {
      window.location.assign(params.data.event.href);
    }
  });
}

// -------------------------------------------------------------------- the organization graph

// A radial tree: the organization in the middle, its organs, posts and members around it, each
// holder beyond the post it holds; every further link is drawn between the placed nodes.
function place(nodes) {
  const children = new Map(nodes.map((node) => [node.id, []]));
  const root = nodes.find((node) => node.category === "this") || nodes[0];
  for (const node of nodes) {
    if (node !== root) children.get(children.has(node.parent) ? node.parent : root.id).push(node);
  }
  const leaves = new Map();
  const count = (node) => {
    const kids = children.get(node.id);
    const total = kids.length ? kids.reduce((sum, kid) => sum + count(kid), 0) : 1;
    leaves.set(node.id, total);
    return total;
  };
  count(root);
  const position = (node, depth, from, to) => {
    const angle = (from + to) / 2;
    node.x = depth * 160 * Math.cos(angle);
    node.y = depth * 160 * Math.sin(angle);
    node.angle = angle;
    let start = from;
    for (const kid of children.get(node.id)) {
      const share = ((to - from) * leaves.get(kid.id)) / (leaves.get(node.id) || 1);
      position(kid, depth + 1, start, start + share);
      start += share;
    }
  };
  position(root, 0, 0, 2 * Math.PI);
  return root;
}

function drawOrgGraph(container) {
  const data = dataOf(container);
  if (!data) return;
  const nodes = data.nodes.map((node) => ({ ...node }));
  const root = place(nodes);
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const width = container.clientWidth || 800;
  container.style.height = `${Math.max(420, Math.min(900, Math.round(width * 0.75)))}px`;
  const chart = echarts.init(container, null, { renderer: "svg" });
  watch(container, chart);
  const size = { this: 34, unit: 22, post: 18 };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: FONT },
    tooltip: {
      trigger: "item", confine: true, className: "okg-tooltip",
      formatter: (item) => {
        if (item.dataType === "edge") {
          const link = data.links[item.dataIndex];
          const from = nodes[index.get(link.source)];
          const to = nodes[index.get(link.target)];
          return tip(`${from.label} → ${to.label}`, [
            link.role ? `<span class="okg-kind">${escape(link.role)}</span>` : "",
            ...link.attested.map(escape),
          ]);
        }
        return tip(nodes[item.dataIndex].label, []);
      },
    },
    series: [
      {
        type: "graph", layout: "none", roam: "move", draggable: false,
        data: nodes.map((node) => {
          const left = node !== root && Math.cos(node.angle) < 0;
          return {
            name: node.id, x: node.x, y: node.y, value: node.href,
            symbolSize: size[node.category] || 12,
            itemStyle: { color: COLORS[node.category] || COLORS.other, borderColor: "#ffffff" },
            label: {
              show: true, formatter: node.label, width: node === root ? 320 : 170,
              overflow: "truncate",
              position: node === root ? "bottom" : left ? "left" : "right",
              fontSize: node === root ? 13 : 11, fontWeight: node === root ? "bold" : "normal",
              color: "#1b1b1b",
            },
          };
        }),
        links: data.links.map((link) => ({
          source: index.get(link.source), target: index.get(link.target),
          lineStyle: { color: "#9aa5b1", width: link.attested.length > 1 ? 2 : 1, curveness: 0.08 },
        })),
        emphasis: { focus: "adjacency", lineStyle: { width: 3 } },
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
      },
    ],
  });
  chart.on("click", (params) => {
    if (params.dataType === "node") window.location.assign(params.data.value);
  });
}

const timeline = document.getElementById("timeline");
if (timeline) drawTimeline(timeline);
const graph = document.getElementById("org-graph");
if (graph) drawOrgGraph(graph);
window.okg = Object.assign(window.okg || {}, { echarts });
