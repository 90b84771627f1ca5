// The TimelineJS exports in Knight Lab's TimelineJS itself (npm
// @knight-lab/timelinejs, pinned in package.json), in Debian's chromium:
// timelinejs.json and timelinejs.csv of the sample sources and of the
// hostile fixture, built with --title and --description by the real binary,
// are loaded by TimelineJS's own loaders (its JSON reader and its CSV
// reader, over HTTP from 127.0.0.1 as a published timeline would be) and
// must give one slide per timeline entry plus the title slide, with no
// console error, no request anywhere else, and nothing from the sources run.
// (TimelineJS's own assets come from the package, with a font set that
// needs no web fonts: its default one loads Google Fonts.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

import { build, launch, cleanUp, repo, nodeModules, screenshots } from "./lib.mjs";

const TITLE = "China's open models & the race <2025>";
const DESCRIPTION = "What happened when, according to five sample reports.";
let server, origin, browser;
const built = {};

// A 1x1 PNG for any picture a slide asks for (og:image urls of the sources).
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk+A8AAQUBAScY42YAAAAASUVORK5CYII=", "base64");
const TYPES = { ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".csv": "text/csv", ".html": "text/html",
                ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".eot": "application/vnd.ms-fontobject", ".svg": "image/svg+xml" };

const page = (source) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="/tl/css/timeline.css"><script src="/tl/js/timeline.js"></script></head>
<body><div id="embed" style="width: 1000px; height: 640px"></div>
<script>window.timeline = new TL.Timeline("embed", ${JSON.stringify(source)}, { script_path: location.origin + "/tl/js/", font: "georgia-helvetica" });</script></body></html>`;

before(async () => {
  for (const [name, dir] of [["sample", "sources"], ["hostile", "tests/fixtures/hostile"]])
    built[name] = build(`tljs-${name}`, [path.join(repo, dir)], ["--format", "csv,timelinejs", "--title", TITLE, "--description", DESCRIPTION]);
  const dist = path.join(nodeModules, "@knight-lab/timelinejs/dist");
  server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let file = null;
    if (url.pathname.startsWith("/tl/")) file = path.join(dist, url.pathname.slice(4));
    else if (url.pathname.startsWith("/data/")) {
      const [, , name, f] = url.pathname.split("/");
      if (built[name]) file = path.join(built[name].dir, f);
    } else if (url.pathname.startsWith("/view/")) {
      const [, , name, f] = url.pathname.split("/");
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(page(`/data/${name}/${f}`));
    }
    if (!file || !fs.existsSync(file) || !file.startsWith(dist) && !Object.values(built).some((b) => file.startsWith(b.dir))) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch({ allow: (url) => url.startsWith(origin) || url.startsWith("data:") });
  // Pictures of the sources are on the web: answered here, never fetched.
  await browser.context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
    route.request().resourceType() === "image" ? route.fulfill({ status: 200, contentType: "image/png", body: PNG }) : route.abort());
});

after(async () => {
  await browser?.context.close();
  server?.close();
  cleanUp();
});

async function slides(name, file) {
  const p = await browser.open(`${origin}/view/${name}/${file}`);
  await p.waitForFunction(() => window.timeline && window.timeline.ready && document.querySelectorAll(".tl-slide").length > 0, null, { timeout: 60000 });
  if (name === "sample" && file.endsWith(".json")) {
    await p.evaluate(() => window.timeline.goTo(2));
    await p.waitForTimeout(1200);
    await p.screenshot({ path: path.join(screenshots, "timelinejs-screenshot.png") });
  }
  const r = await p.evaluate(() => ({
    slides: document.querySelectorAll(".tl-slide").length,
    titleSlides: document.querySelectorAll(".tl-slide-titleslide").length,
    headline: document.querySelector(".tl-slide-titleslide .tl-headline")?.textContent,
    events: window.timeline.config.events.length,
    pwned: window.__pwned,
    injected: document.querySelectorAll(".tl-slide script, .tl-slide img[onerror], .tl-slide svg, .tl-slide iframe").length,
  }));
  await p.close();
  return r;
}

for (const name of ["sample", "hostile"]) {
  for (const file of ["timelinejs.json", "timelinejs.csv"]) {
    test(`TimelineJS reads the ${name} ${file}: one slide per entry and the title slide, no errors`, async () => {
      const entries = built[name].rows.length;
      assert.ok(entries > 0);
      const r = await slides(name, file);
      assert.equal(r.events, entries, "one event per timeline entry");
      assert.equal(r.slides, entries + 1, "one slide per entry plus the title slide");
      assert.equal(r.titleSlides, 1);
      assert.equal(r.headline, TITLE, "the title slide shows --title, as text");
      assert.equal(r.pwned, undefined, "nothing from the sources ran");
      assert.equal(r.injected, 0);
      browser.assertNoProblems();
    });
  }
}
