// The query page's editor: Yasgui (served from this origin by static/build/yasgui.min.js),
// configured from the page's JSON data block (web/query_ui.py), in place of the server's form.
//
// Everything of Yasgui that would reach another origin is switched off here: the prefix
// autocompleter offers the data's prefixes only (no prefix.cc), the property and class
// autocompleters (LOV) are removed, the endpoint catalogue lists this endpoint only and the
// endpoint field is hidden, no URL shortener is configured, share links are this page's own
// address, and the help links to docs.triply.cc are dropped. The chart is ours: ECharts, bundled.
// Yasgui's own URL handling (which reads an `endpoint` from the address) is off; the address is
// `/sparql?query=...`, kept up to date here, and a query in it wins over what localStorage holds.
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(
  [
    "integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
  ].map((name) => XSD + name),
);
// Beyond this many bars a chart says nothing a table does not.
const MAX_BARS = 200;
// gunicorn refuses a request line over 8190 bytes (README "Request limits"): a longer address
// could not be opened again, so the query then stays out of it.
const MAX_ADDRESS = 8000;
const STORAGE_ID = "okg-sparql";
let pending;

// What axe-core finds in Yasgui's own markup, mended after it draws (and after each new tab):
// the editor's hidden textarea has no label, and the tab list's items are not marked as tabs.
function accessible(editor, config) {
  const mend = () => {
    for (const area of editor.querySelectorAll("textarea:not([aria-label])")) {
      area.setAttribute("aria-label", config.messages.editorLabel || "SPARQL");
    }
    // Yasgui's tab bar is a tablist whose tabs sit inside wrappers, beside an "add" button that
    // is no tab: as a plain row of links and buttons, which is what it is to a keyboard, it
    // says less and nothing false
    for (const element of editor.querySelectorAll('[role="tablist"], [role="tab"]')) {
      element.removeAttribute("role");
      element.removeAttribute("aria-selected");
      element.removeAttribute("aria-controls");
    }
  };
  mend();
  new MutationObserver(mend).observe(editor, { childList: true, subtree: true });
}

function start() {
  const Yasgui = window.Yasgui;
  const block = document.getElementById("query-config");
  const editor = document.getElementById("query-editor");
  if (!Yasgui || !block || !editor) return; // the server's form stays
  const config = JSON.parse(block.textContent);
  adoptInjectedStyles();
  const endpoint = new URL(config.endpoint, window.location.href).href;
  configureYasqe(Yasgui.Yasqe, config);
  configureYasr(Yasgui.Yasr, config);
  // The share button shows this page's address for the query, not Yasgui's #endpoint=... form.
  Yasgui.Tab.prototype.getShareableLink = function () {
    return addressFor(this.getQuery()).href;
  };
  // Each tab's editor, once made: the address follows it, and a new query's prefixes fold.
  const initYasqe = Yasgui.Tab.prototype.initYasqe;
  Yasgui.Tab.prototype.initYasqe = function (...args) {
    initYasqe.apply(this, args);
    follow(this, config.defaultQuery);
  };

  const form = document.getElementById("query-form");
  editor.hidden = false;
  form.hidden = true;
  try {
    run(Yasgui, config, endpoint, editor);
  } catch (error) {
    editor.hidden = true; // the server's form again, rather than a broken editor
    form.hidden = false;
    throw error;
  }
}

function run(Yasgui, config, endpoint, editor) {
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: config.method },
    endpointCatalogueOptions: { getData: () => [{ endpoint }], keys: [] },
    endpointInfo: () => endpointNote(endpoint, config.messages.endpoint),
    copyEndpointOnNewTab: false,
    corsProxy: undefined,
    populateFromUrl: false,
    autoAddOnInit: false,
    autofocus: false,
    persistenceId: STORAGE_ID,
    tabName: config.messages.tab,
    yasqe: { value: config.defaultQuery },
    yasr: { prefixes: config.prefixes },
  });
  // Tabs kept in localStorage by an earlier version or session may name another endpoint.
  for (const id of yasgui.persistentConfig.getTabs()) {
    yasgui.getTab(id)?.setRequestConfig({ endpoint, method: config.method });
  }

  localLinks(editor, config.base);
  accessible(editor, config);

  const saved = new Map(config.saved.map((query) => [query.name, query]));
  const wanted = new URLSearchParams(window.location.search).get("query");
  if (wanted) {
    const named = config.saved.find((query) => query.text === wanted);
    open(yasgui, wanted, named?.name, endpoint);
  } else if (!yasgui.getTab()) {
    const first = yasgui.persistentConfig.getTabs()[0];
    if (first) yasgui.selectTabId(first);
    else yasgui.addTab(true, { requestConfig: { endpoint, method: config.method } });
  }
  yasgui.on("query", (_yasgui, tab) => showInAddress(tab.getQuery()));
  yasgui.on("tabChange", (_yasgui, tab) => {
    if (tab === yasgui.getTab()) showInAddress(tab.getPersistedJson().yasqe.value);
  });
  yasgui.on("tabSelect", (_yasgui, id) => {
    const tab = yasgui.getTab(id);
    if (tab) showInAddress(tab.getPersistedJson().yasqe.value);
  });

  document.querySelectorAll("a[data-saved-query]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const query = saved.get(link.dataset.savedQuery);
      const elsewhere = event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
      if (!query || elsewhere) return; // a new window or tab follows the link: /sparql?query=...
      event.preventDefault();
      open(yasgui, query.text, query.name, endpoint);
      editor.scrollIntoView({ block: "start" });
    });
  });
}

// Yasqe: the data's prefixes, for new queries and for the prefix autocompleter, which is ours.
function configureYasqe(Yasqe, config) {
  const declarations = Object.entries(config.prefixes).map(([prefix, iri]) => `${prefix}: <${iri}>`);
  Yasqe.forkAutocompleter(
    "prefixes",
    { name: "okgPrefixes", get: declarations.sort(), persistenceId: null },
    false,
  );
  // Yasqe's syntax-error tooltip writes a style attribute (innerHTML), which the policy refuses:
  // the error marker says the same in its title instead, in the reader's language.
  const checkSyntax = Yasqe.prototype.checkSyntax;
  Yasqe.prototype.checkSyntax = function (...args) {
    const result = checkSyntax.apply(this, args);
    explainSyntaxError(this, config.messages.invalidLine);
    return result;
  };
  // The property and class completers ask LOV (lov.linkeddata.es), the bundled prefix completer
  // offers prefix.cc's list: all three gone, so nothing can enable them.
  delete Yasqe.Autocompleters.properties;
  delete Yasqe.Autocompleters.classes;
  delete Yasqe.Autocompleters.prefixes;
  // Replaced in place, and in Yasgui's copy too: the configurations are merged with lodash,
  // which merges arrays index by index, so a shorter list would keep the defaults' tail.
  for (const defaults of [Yasqe.defaults, window.Yasgui.defaults.yasqe]) {
    defaults.autocompleters = ["okgPrefixes", "variables"];
    defaults.prefixCcApi = null;
    defaults.createShortLink = undefined;
    defaults.value = config.defaultQuery;
    defaults.requestConfig.endpoint = new URL(config.endpoint, window.location.href).href;
    defaults.requestConfig.method = config.method;
  }
}

function explainSyntaxError(yasqe, invalidLine) {
  const doc = yasqe.getDoc();
  for (let line = doc.firstLine(); line <= doc.lastLine(); line++) {
    const marker = yasqe.lineInfo(line)?.gutterMarkers?.gutterErrorBar;
    if (!marker) continue;
    marker.onmouseover = null;
    marker.onmouseout = null;
    const { state } = yasqe.getTokenAt({ line, ch: doc.getLine(line).length }, true);
    const expected = state.possibleCurrent?.join(", ");
    marker.title = state.errorMsg || (expected ? invalidLine.replace("%(expected)s", expected) : "");
  }
}

// Yasr: the table, the raw response and our chart; no help links to another site.
function configureYasr(Yasr, config) {
  for (const name of ["table", "response"]) {
    const Plugin = Yasr.plugins[name];
    class OwnHelp extends Plugin {
      constructor(yasr) {
        super(yasr);
        this.helpReference = undefined;
      }
    }
    Yasr.registerPlugin(name, OwnHelp);
  }
  Yasr.registerPlugin("chart", chartPlugin(config.messages));
  Yasr.defaults.pluginOrder = ["table", "chart", "response"];
  Yasr.defaults.defaultPlugin = "table";
  Yasr.defaults.prefixes = config.prefixes;
}

// column-resizer (in Yasr's table) writes its rules as <style> elements into <head>, which the
// page's policy refuses (style-src 'self', no inline style: web/security.py), even empty. The
// same rules reach the document as constructed style sheets instead (CSSOM, not markup), and
// <head> gets a stand-in: an element named "style" in a namespace of its own, which no browser
// reads as CSS, carrying the original's properties, because column-resizer looks for its own
// there (querySelectorAll("style")) and removes the last child of <head> when a drag ends.
const STAND_IN = "urn:x-ombudsman-kg:adopted-style";

function adoptInjectedStyles() {
  const head = document.head;
  const sheets = new Map();
  const insert = head.appendChild;
  head.appendChild = function (node) {
    if (!(node instanceof HTMLStyleElement)) return insert.call(this, node);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(node.textContent);
    const standIn = document.createElementNS(STAND_IN, "style");
    Object.assign(standIn, node);
    sheets.set(standIn, sheet);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    insert.call(this, standIn);
    return node;
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.removedNodes) {
        const sheet = sheets.get(node);
        if (!sheet) continue;
        sheets.delete(node);
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((kept) => kept !== sheet);
      }
    }
  }).observe(head, { childList: true });
}

// Yasr's table links an IRI to itself; ours (under the base IRI) are pages of this server, as in
// the server's own table, so a link to one is pointed here just before it is followed.
function localLinks(root, base) {
  const language = new URLSearchParams(window.location.search).get("lang");
  const point = (event) => {
    const link = event.target.closest?.("a.iri");
    if (!link || !link.href.startsWith(base)) return;
    const local = new URL("/" + link.href.slice(base.length), window.location.href);
    if (language) local.searchParams.set("lang", language);
    link.href = local.href;
  };
  for (const type of ["mouseover", "focusin", "pointerdown"]) root.addEventListener(type, point, true);
}

function endpointNote(endpoint, label) {
  const note = document.createElement("span");
  note.className = "okg-endpoint";
  const code = document.createElement("code");
  code.textContent = endpoint;
  note.append(label + ": ", code);
  return note;
}

// A query in a tab of its own (the one already holding it, if any), run at once.
function open(yasgui, text, name, endpoint) {
  let tab = yasgui.persistentConfig
    .getTabs()
    .map((id) => yasgui.getTab(id))
    .find((candidate) => candidate && candidate.getPersistedJson().yasqe.value === text);
  if (tab) {
    if (tab !== yasgui.getTab()) yasgui.selectTabId(tab.getId());
  } else {
    const settings = { yasqe: { value: text }, requestConfig: { endpoint } };
    if (name) settings.name = name;
    tab = yasgui.addTab(true, settings);
  }
  showInAddress(text);
  tab.query().catch(() => {}); // Yasr shows the error
}

// The address follows the editor as one types, not only when the query runs; the default
// query's many prefixes are folded, so that its question shows.
function follow(tab, defaultQuery) {
  const yasqe = tab.getYasqe();
  if (!yasqe) return;
  if (yasqe.getValue() === defaultQuery) yasqe.collapsePrefixes(true);
  yasqe.on("change", () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      if (tab === tab.yasgui.getTab()) showInAddress(yasqe.getValue());
    }, 400);
  });
}

function addressFor(text) {
  const address = new URL(window.location.href);
  address.hash = "";
  address.searchParams.set("query", text);
  return address;
}

function showInAddress(text) {
  let address = addressFor(text);
  if (!text || address.pathname.length + address.search.length > MAX_ADDRESS) {
    address.searchParams.delete("query");
  }
  if (address.href !== window.location.href) {
    window.history.replaceState(window.history.state, "", address);
  }
}

// ------------------------------------------------------------------------------ the chart

// A Yasr plugin: a bar chart of SELECT results that have a column of labels and at least one
// column of numbers (every bound value an XSD number): a count per year, per source.
function chartPlugin(messages) {
  return class Chart {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = messages.chart;
      this.priority = 5;
      this.chart = undefined;
    }

    canHandleResults() {
      return chartable(this.yasr.results, {}) !== undefined;
    }

    getIcon() {
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("viewBox", "0 0 16 16");
      svg.setAttribute("aria-hidden", "true");
      for (const [x, height] of [[1, 7], [6, 12], [11, 4]]) {
        const bar = document.createElementNS("http://www.w3.org/2000/svg", "rect");
        bar.setAttribute("x", String(x));
        bar.setAttribute("y", String(15 - height));
        bar.setAttribute("width", "4");
        bar.setAttribute("height", String(height));
        bar.setAttribute("fill", "currentColor");
        svg.append(bar);
      }
      const icon = document.createElement("span");
      icon.append(svg);
      return icon;
    }

    draw() {
      const data = chartable(this.yasr.results, this.yasr.getPrefixes());
      if (!data) return;
      this.destroy();
      const horizontal =
        data.categories.some((text) => text.length > 12) || data.categories.length > 16;
      const element = document.createElement("div");
      element.className = "okg-chart";
      element.setAttribute("role", "img");
      element.setAttribute(
        "aria-label",
        messages.chartLabel
          .replace("%(numbers)s", data.series.map((series) => series.name).join(", "))
          .replace("%(labels)s", data.label),
      );
      if (horizontal) element.style.height = `${Math.max(320, data.categories.length * 26 + 90)}px`;
      this.yasr.resultsEl.append(element);
      this.chart = echarts.init(element, null, { renderer: "svg" });
      const categoryAxis = {
        type: "category",
        data: data.categories,
        name: horizontal ? undefined : data.label,
        inverse: horizontal,
        axisLabel: horizontal
          ? { width: 260, overflow: "truncate" }
          : { interval: 0, rotate: data.categories.length > 8 ? 30 : 0 },
      };
      const valueAxis = { type: "value", minInterval: 1 };
      this.chart.setOption({
        aria: { enabled: true },
        legend: data.series.length > 1 ? { top: 0 } : undefined,
        // Rich text: ECharts' HTML tooltip would write style attributes, which the page's CSP
        // forbids (web/security.py).
        tooltip: { trigger: "axis", renderMode: "richText" },
        grid: { left: 16, right: 24, top: data.series.length > 1 ? 36 : 24, bottom: 16 },
        xAxis: horizontal ? valueAxis : categoryAxis,
        yAxis: horizontal ? categoryAxis : valueAxis,
        series: data.series.map((series) => ({ type: "bar", name: series.name, data: series.values })),
      });
      this.resize = () => this.chart?.resize();
      window.addEventListener("resize", this.resize);
    }

    download(filename) {
      if (!this.chart) return undefined;
      return {
        contentType: "image/svg+xml",
        getData: () => this.chart.renderToSVGString(),
        filename: `${filename || "chart"}.svg`,
        title: messages.chartDownload,
      };
    }

    destroy() {
      if (this.resize) window.removeEventListener("resize", this.resize);
      this.chart?.dispose();
      this.chart = undefined;
    }
  };
}

// {label, categories, series: [{name, values}]} for results a bar chart can show, else undefined.
function chartable(results, prefixes) {
  const bindings = results?.getBindings?.();
  const kind = results?.getType?.();
  if (!bindings?.length || bindings.length > MAX_BARS || (kind !== "json" && kind !== "xml")) {
    return undefined;
  }
  const variables = results.getVariables();
  const isNumber = (value) =>
    value !== undefined &&
    value.type !== "uri" &&
    NUMERIC.has(value.datatype) &&
    Number.isFinite(Number(value.value));
  const numeric = variables.filter(
    (name) =>
      bindings.some((row) => row[name] !== undefined) &&
      bindings.every((row) => row[name] === undefined || isNumber(row[name])),
  );
  const others = variables.filter((name) => !numeric.includes(name) && bindings.some((row) => row[name]));
  // A literal names a bar best (a label, a year); an IRI will do.
  let label =
    others.find((name) => bindings.every((row) => !row[name] || row[name].type !== "uri")) ?? others[0];
  if (label === undefined && numeric.length > 1) label = numeric.shift();
  if (label === undefined || numeric.length === 0) return undefined;
  const namespaces = Object.entries(prefixes);
  return {
    label,
    categories: bindings.map((row) => shown(row[label], namespaces)),
    series: numeric.map((name) => ({
      name,
      values: bindings.map((row) => (row[name] ? Number(row[name].value) : null)),
    })),
  };
}

function shown(value, prefixes) {
  if (!value) return "";
  if (value.type !== "uri") return value.value;
  for (const [prefix, namespace] of prefixes) {
    if (value.value.startsWith(namespace)) return `${prefix}:${value.value.slice(namespace.length)}`;
  }
  return value.value.replace(/^.*[/#]/, "");
}

start();
