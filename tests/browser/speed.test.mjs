// How fast the page is for a big archive: timelines of 1,000 and 10,000
// generated entries (bench/gen_timeline.py, merged by the real binary), in
// Debian's chromium, in one run, over several runs each. Targets:
//   load (navigation start to the first frame after the page's script, the
//   annals:shown mark: the whole list parsed, filters ready, axis drawn):
//     <= 500 ms at 1,000 entries, <= 2,000 ms at 10,000
//   a search keystroke, a filter change (until the next frame): <= 200 ms
//   zoom and pan on the axis (a wheel event each frame): >= 30 frames/s
// Two measures of each, both reported: wall time inside the page
// (performance.now(), the median of the runs), which on a machine shared
// with other work grows with the load average, and the CPU time of the
// page's main thread (the thread_duration of its tasks in a Chrome trace),
// which is what the page itself costs and what an idle machine shows as
// wall time. The targets are checked on the CPU time, so that other work on
// the machine cannot fail the test; the wall times and the load average go
// to out/page-speed.json and the test's output, and README.md quotes them.
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

// Chrome's trace of what a page's main thread did: `cpuMs(events, from, to)`
// is the CPU time (thread_duration) of its top-level tasks between two trace
// timestamps (microseconds); `mark(events, name)` the trace time of a
// performance.mark.
async function traced(page, work) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
  const complete = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"] }, transferMode: "ReportEvents" });
  const result = await work();
  await cdp.send("Tracing.end");
  await complete;
  await cdp.detach();
  const names = new Map(events.filter((e) => e.name === "thread_name").map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const tasks = events.filter((e) => e.ph === "X" && e.name === "RunTask" && names.get(`${e.pid}:${e.tid}`) === "CrRendererMain");
  // The page's main thread is the renderer main thread that did the most.
  const perThread = new Map();
  for (const t of tasks) perThread.set(`${t.pid}:${t.tid}`, (perThread.get(`${t.pid}:${t.tid}`) || 0) + (t.tdur || 0));
  const main = [...perThread.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const mine = tasks.filter((t) => `${t.pid}:${t.tid}` === main);
  assert.ok(mine.length > 0, "the trace shows the page's main thread at work");
  return {
    result,
    cpuMs: (from = -Infinity, to = Infinity) => mine.filter((t) => t.ts >= from && t.ts < to).reduce((n, t) => n + (t.tdur || 0), 0) / 1000,
    mark: (name) => events.find((e) => e.name === name && e.cat.includes("user_timing"))?.ts,
  };
}

// Runs `change` in the page and measures until the frame after it is drawn.
const untilNextFrame = (page, change, arg) => page.evaluate(async ([body, arg]) => {
  const t0 = performance.now();
  new Function("arg", body)(arg);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}, [change, arg]);

// Each change in turn, each until the next frame: [wall ms of each], CPU ms per change.
async function changes(page, body, args) {
  const t = await traced(page, async () => { const wall = []; for (const a of args) wall.push(await untilNextFrame(page, body, a)); return wall; });
  return { wall: t.result, cpu: t.cpuMs() / args.length };
}

async function measure(name, loads) {
  const built = pages[name];
  const ready = [], loadEvent = [], paint = [], readyCpu = [];
  let page;
  for (let i = 0; i < loads; ++i) {
    if (page) await page.close();
    page = await browser.context.newPage();
    page.on("pageerror", (e) => browser.problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") browser.problems.push(`console error: ${m.text()}`); });
    const t = await traced(page, async () => {
      await page.goto(built.url, { waitUntil: "load" });
      await page.waitForFunction(() => performance.getEntriesByName("annals:shown").length > 0);
      return page.evaluate(() => {
        const r = performance.getEntriesByName("annals:shown")[0], fcp = performance.getEntriesByName("first-contentful-paint")[0];
        return { ready: r.startTime, load: performance.getEntriesByType("navigation")[0].loadEventEnd, fcp: fcp ? fcp.startTime : NaN };
      });
    });
    ready.push(t.result.ready); loadEvent.push(t.result.load); paint.push(t.result.fcp);
    assert.ok(t.mark("annals:shown"), "the trace holds the page's annals:shown mark");
    readyCpu.push(t.cpuMs(-Infinity, t.mark("annals:shown")));
  }
  assert.equal(await page.$$eval("li.entry", (els) => els.length), built.rows.length);
  // Search: typing a word, one keystroke at a time, once the text index is made.
  await page.waitForFunction(() => performance.getEntriesByName("annals:indexed").length > 0, null, { timeout: 120000 });
  const search = "const s = document.getElementById('filter-text'); s.value = arg; s.dispatchEvent(new Event('input'));";
  const keys = await changes(page, search, ["s", "si", "sil", "silv", "silve", "silver", "silver ", "silver e", "silver en", "silver ene"]);
  const found = await page.$$eval("li.entry", (els) => els.filter((e) => !e.hidden).length);
  assert.ok(found > 0 && found < built.rows.length, "the search narrows the list");
  await untilNextFrame(page, search, "");
  // Filters: categories, disputed only, a date range, and back to everything.
  const categories = await page.$$eval("#filter-category option", (os) => os.map((o) => o.value).filter(Boolean));
  const byCategory = await changes(page, "const s = document.getElementById('filter-category'); s.value = arg; s.dispatchEvent(new Event('change'));", [...categories.slice(0, 5), ""]);
  const disputed = await changes(page, "const s = document.getElementById('filter-disputed'); s.checked = arg; s.dispatchEvent(new Event('change'));", [true, false]);
  const range = await changes(page, "const s = document.getElementById('filter-from'); s.value = arg; s.dispatchEvent(new Event('change'));", ["2020-01-01", ""]);
  const filterWall = [...byCategory.wall, ...disputed.wall, ...range.wall];
  const filterCpu = (byCategory.cpu * 6 + disputed.cpu * 2 + range.cpu * 2) / 10;
  // The axis: 90 frames of zooming in then out, then 90 of panning, a wheel event each frame.
  await page.evaluate(() => document.getElementById("axis").scrollIntoView());
  const wheel = (dx, dy) => traced(page, () => page.evaluate(([dx, dy]) => new Promise((resolve) => {
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
  }), [dx, dy]));
  const zoom = await wheel(0, -60), panning = await wheel(80, 0);
  await page.close();
  // Frames per second the main thread could give: one frame's CPU time, at most 60 (the display's rate).
  const cpuFps = (t) => Math.min(60, 1000 / (t.cpuMs() / 90));
  const round = (x) => Math.round(x * 10) / 10;
  return {
    entries: built.rows.length, bytes: fs.statSync(built.html).size,
    wall: { ready_ms: round(median(ready)), load_event_ms: round(median(loadEvent)), first_paint_ms: round(median(paint)),
            ready_runs_ms: ready.map(Math.round), keystroke_ms: round(median(keys.wall)), filter_ms: round(median(filterWall)),
            zoom_fps: round(zoom.result), pan_fps: round(panning.result) },
    cpu: { ready_ms: round(median(readyCpu)), ready_runs_ms: readyCpu.map(Math.round), keystroke_ms: round(keys.cpu), filter_ms: round(filterCpu),
           zoom_fps: round(cpuFps(zoom)), pan_fps: round(cpuFps(panning)) },
  };
}

test("at 1,000 and 10,000 entries the page loads, searches, filters and zooms within its targets", async () => {
  const loadBefore = os.loadavg();
  const small = await measure("1k", 7);
  const large = await measure("10k", 5);
  const report = { targets: TARGETS, checked_on: "cpu", load_average_before: loadBefore, load_average_after: os.loadavg(), cores: os.cpus().length, "1k": small, "10k": large };
  fs.mkdirSync(screenshots, { recursive: true });
  fs.writeFileSync(path.join(screenshots, "page-speed.json"), JSON.stringify(report, null, 2) + "\n");
  console.log(JSON.stringify(report, null, 2));
  const machine = (r) => `(CPU time; wall time ${JSON.stringify(r.wall)}, load average ${loadBefore.map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores)`;
  assert.ok(small.cpu.ready_ms <= TARGETS.load1k, `1k: loaded in ${small.cpu.ready_ms} ms ${machine(small)}`);
  assert.ok(large.cpu.ready_ms <= TARGETS.load10k, `10k: loaded in ${large.cpu.ready_ms} ms ${machine(large)}`);
  for (const [name, r] of [["1k", small], ["10k", large]]) {
    assert.ok(r.cpu.keystroke_ms <= TARGETS.keystroke, `${name}: a keystroke took ${r.cpu.keystroke_ms} ms ${machine(r)}`);
    assert.ok(r.cpu.filter_ms <= TARGETS.filter, `${name}: a filter change took ${r.cpu.filter_ms} ms ${machine(r)}`);
    assert.ok(r.cpu.zoom_fps >= TARGETS.fps && r.cpu.pan_fps >= TARGETS.fps, `${name}: zoom ${r.cpu.zoom_fps} fps, pan ${r.cpu.pan_fps} fps ${machine(r)}`);
  }
  browser.assertNoProblems();
});
