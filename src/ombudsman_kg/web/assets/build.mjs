// Bundles our browser code with the parts of Apache ECharts it uses, and copies the files of
// npm packages that are served as they are (Yasgui, the world outline) into static/build/.
// Run by `npm run build` (make setup): static/build/ is never committed, a wheel carries it.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..", "..");
const out = join(here, "..", "static", "build");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: {
    draw: join(here, "draw.js"),
    map: join(here, "map.js"),
    query: join(here, "query.js"),
  },
  outdir: out,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "linked",
  logLevel: "warning",
});

for (const [from, to] of [
  ["@zazuko/yasgui/build/yasgui.min.js", "yasgui.min.js"],
  ["@zazuko/yasgui/build/yasgui.min.css", "yasgui.min.css"],
  ["world-atlas/countries-50m.json", "countries-50m.json"],
]) {
  copyFileSync(join(modules, from), join(out, to));
}
