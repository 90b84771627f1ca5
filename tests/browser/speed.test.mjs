// How fast the page is for a big archive: timelines of 1,000 and 10,000
// generated entries (bench/gen_timeline.py, merged by the real binary),
// measured in Debian's chromium in one run, with performance.now() inside
// the page, over several runs each; the medians must meet the targets:
//   load (navigation start to the end of the page's script, axis drawn):
//     <= 500 ms at 1,000 entries, <= 2,000 ms at 10,000
//   a search keystroke, a filter change (until the next frame): <= 200 ms
//   zoom and pan on the axis (wheel events, one per frame): >= 30 frames/s
// The figures, with the machine's load average, go to out/page-speed.json
// and the test's output; README.md quotes them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { generated, launch, cleanUp, screenshots, median } from "./lib.mjs";

const TARGETS = { load1k: 500, load10k: 2000, keystroke: 200, filter: 200, fps: 30 };
let browser;
const pages = {};

before(async () => {
  pages["1k"] = generated("speed-1k", 1000);
  pages["10k"] = generated("speed-10k", 10000);
  browser = await launch();
});

after(async () => {
  await browser?.context.close();
  cleanUp();
});

// Runs `change` in the page and measures until the frame after it is drawn.
const untilNextFrame = (page, change, arg) => page.evaluate(async ([body, arg]) => {
  const t0 = performance.now();
  new Function("arg", body)(arg);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}, [change, arg]);

async function measure(name, loads) {
  const built = pages[name];
  const load = [], interactive = [], paint = [];
  let page;
  for (let i = 0; i < loads; ++i) {
    if (page) await page.close();
    page = await browser.open(built.url);
    const t = await page.evaluate(() => new Promise((resolve) => {
      const done = () => {
        const ready = performance.getEntriesByName("annals:ready")[0], fcp = performance.getEntriesByName("first-contentful-paint")[0];
        const nav = performance.getEntriesByType("navigation")[0];
        resolve({ ready: ready.startTime, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : NaN });
      };
      if (performance.getEntriesByType("navigation")[0].loadEventEnd) done(); else addEventListener("load", () => setTimeout(done, 0));
    }));
    interactive.push(t.ready); load.push(t.load); paint.push(t.fcp);
  }
  assert.equal(await page.$$eval("li.entry", (els) => els.length), built.rows.length);
  // Search: typing a word, one keystroke at a time, once the text index is made.
  await page.waitForFunction(() => performance.getEntriesByName("annals:indexed").length > 0, null, { timeout: 60000 });
  const keystrokes = [];
  for (const text of ["s", "si", "sil", "silv", "silve", "silver", "silver ", "silver e", "silver en", "silver ene"])
    keystrokes.push(await untilNextFrame(page, "const s = document.getElementById('filter-text'); s.value = arg; s.dispatchEvent(new Event('input'));", text));
  const found = await page.$$eval("li.entry", (els) => els.filter((e) => !e.hidden).length);
  assert.ok(found > 0 && found < built.rows.length, "the search narrows the list");
  keystrokes.push(await untilNextFrame(page, "const s = document.getElementById('filter-text'); s.value = ''; s.dispatchEvent(new Event('input'));"));
  // Filters: each category, disputed only, a date range, and back.
  const filters = [];
  const categories = await page.$$eval("#filter-category option", (os) => os.map((o) => o.value).filter(Boolean));
  for (const c of [...categories.slice(0, 5), ""])
    filters.push(await untilNextFrame(page, "const s = document.getElementById('filter-category'); s.value = arg; s.dispatchEvent(new Event('change'));", c));
  for (const on of [true, false])
    filters.push(await untilNextFrame(page, "const s = document.getElementById('filter-disputed'); s.checked = arg; s.dispatchEvent(new Event('change'));", on));
  for (const d of ["2020-01-01", ""])
    filters.push(await untilNextFrame(page, "const s = document.getElementById('filter-from'); s.value = arg; s.dispatchEvent(new Event('change'));", d));
  // The axis: 90 frames of zooming in then out, then 90 of panning, one wheel event per frame.
  await page.evaluate(() => document.getElementById("axis").scrollIntoView());
  const fps = async (dx, dy) => page.evaluate(([dx, dy]) => new Promise((resolve) => {
    const view = document.getElementById("axis-view"), box = view.getBoundingClientRect(), stamps = [];
    const frame = (ts) => {
      stamps.push(ts);
      const n = stamps.length;
      if (n > 90) { resolve((n - 1) / (stamps[n - 1] - stamps[0]) * 1000); return; }
      const sign = n <= 45 ? 1 : -1;
      view.dispatchEvent(new WheelEvent("wheel", { deltaX: dx * sign, deltaY: dy * sign, clientX: box.left + box.width * 0.6, clientY: box.top + box.height / 2, bubbles: true, cancelable: true }));
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }), [dx, dy]);
  const zoomFps = await fps(0, -60), panFps = await fps(80, 0);
  await page.close();
  return {
    entries: built.rows.length, bytes: fs.statSync(built.html).size,
    ready_ms: median(interactive), load_event_ms: median(load), first_paint_ms: median(paint),
    ready_runs: interactive.map(Math.round), keystroke_ms: median(keystrokes), keystroke_max_ms: Math.max(...keystrokes),
    filter_ms: median(filters), filter_max_ms: Math.max(...filters), zoom_fps: zoomFps, pan_fps: panFps,
  };
}

test("at 1,000 and 10,000 entries the page loads, searches, filters and zooms within its targets", async () => {
  const loadBefore = os.loadavg();
  const small = await measure("1k", 7);
  const large = await measure("10k", 5);
  const report = { targets: TARGETS, load_average_before: loadBefore, load_average_after: os.loadavg(), cores: os.cpus().length, "1k": small, "10k": large };
  fs.mkdirSync(screenshots, { recursive: true });
  fs.writeFileSync(path.join(screenshots, "page-speed.json"), JSON.stringify(report, null, 2) + "\n");
  console.log(JSON.stringify(report, null, 2));
  const machine = `(load average ${loadBefore.map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores)`;
  assert.ok(small.ready_ms <= TARGETS.load1k, `1k: loaded in ${small.ready_ms.toFixed(0)} ms ${machine}`);
  assert.ok(large.ready_ms <= TARGETS.load10k, `10k: loaded in ${large.ready_ms.toFixed(0)} ms ${machine}`);
  for (const [name, r] of [["1k", small], ["10k", large]]) {
    assert.ok(r.keystroke_ms <= TARGETS.keystroke, `${name}: a keystroke took ${r.keystroke_ms.toFixed(0)} ms ${machine}`);
    assert.ok(r.filter_ms <= TARGETS.filter, `${name}: a filter change took ${r.filter_ms.toFixed(0)} ms ${machine}`);
    assert.ok(r.zoom_fps >= TARGETS.fps && r.pan_fps >= TARGETS.fps, `${name}: zoom ${r.zoom_fps.toFixed(0)} fps, pan ${r.pan_fps.toFixed(0)} fps ${machine}`);
  }
  browser.assertNoProblems();
});
