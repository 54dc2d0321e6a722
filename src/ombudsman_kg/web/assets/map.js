// Draws the map of /countries (#map) with d3-geo from the world outline of the world-atlas
// package (countries at 1:50m, copied to /static/build/ by build.mjs; its feature ids are ISO 3166
// numeric codes), filling the countries of the page's data block by their codes (issue 11).
// Nothing is placed by coordinates of ours: a country too small to see at this scale (Bahrain)
// gets a marker at the centroid d3-geo computes from its own outline. The outline is the only
// file fetched, from this origin; every word shown comes from the page.
import { geoEqualEarth, geoPath } from "d3-geo";
import { feature } from "topojson-client";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 960;
const HEIGHT = 470;
// below this projected area (in the drawing's square units), a country also gets a marker
const SMALL = 40;

function element(name, attributes) {
  const made = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, value);
  return made;
}

function named(shape, country) {
  const title = element("title", {});
  title.textContent = country.title;
  shape.append(title);
  shape.dataset.iso = country.id;
  shape.addEventListener("click", () => window.location.assign(country.href));
  return shape;
}

async function draw(container) {
  const countries = JSON.parse(document.getElementById(container.dataset.source).textContent);
  const response = await fetch(container.dataset.atlas, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`the world outline answered ${response.status}`);
  const world = await response.json();
  const outlines = feature(world, world.objects.countries).features;
  const projection = geoEqualEarth().fitExtent(
    [[4, 4], [WIDTH - 4, HEIGHT - 4]],
    { type: "Sphere" },
  );
  const path = geoPath(projection);
  const svg = element("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, "aria-hidden": "true", focusable: "false",
  });
  svg.append(element("path", { class: "sphere", d: path({ type: "Sphere" }) }));
  const byCode = new Map(countries.map((country) => [country.id, country]));
  const drawn = new Set();
  const small = [];
  for (const outline of outlines) {
    const d = path(outline);
    if (!d) continue;
    const country = outline.id === undefined ? undefined : byCode.get(outline.id);
    if (!country) {
      svg.append(element("path", { class: "country", d }));
      continue;
    }
    const kind = country.involved ? "country in-data involved" : "country in-data";
    svg.append(named(element("path", { class: kind, d }), country));
    drawn.add(country.id);
    if (path.area(outline) < SMALL) small.push([country, path.centroid(outline)]);
  }
  for (const [country, [x, y]] of small) {
    const marker = element("circle", {
      class: country.involved ? "marker" : "marker other", cx: x.toFixed(1), cy: y.toFixed(1), r: 4,
    });
    svg.append(named(marker, country));
  }
  container.append(svg);
  container.dataset.missing = countries
    .filter((country) => !drawn.has(country.id))
    .map((country) => country.id)
    .join(" ");
  const legend = container.closest("section").querySelector(".legend");
  if (legend) legend.hidden = false;
  container.dataset.drawn = "true";
}

const map = document.getElementById("map");
if (map) {
  draw(map).catch((error) => {
    map.dataset.drawn = "failed";
    console.error("the map could not be drawn:", error);
  });
}
