// The HTML timeline in a real browser: Debian's chromium driven by
// playwright-core. The pages are built by the real annals binary from the
// sample sources/ folder and from tests/fixtures/hostile/, then opened from
// disk (file://) and checked:
//   - no console errors, no network request of any kind;
//   - one [data-event-id] element per CSV row, with the CSV's event ids;
//   - each category and source filter and the search show exactly the
//     entries they should, counts update, the URL fragment keeps the filter;
//   - without JavaScript every entry is still there;
//   - the hostile fixture executes nothing and links nothing but http(s);
//   - no horizontal scrolling at phone width; visible keyboard focus.
// Screenshots go to out/ (timeline-screenshot.png, -phone, -dark, -hostile).
//
// Environment: ANNALS_BINARY (the annals executable) and ANNALS_SOURCE_DIR
// (the repository) are set by ctest; CHROMIUM overrides /usr/bin/chromium.
// Install what it needs with scripts/setup-browser-test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = process.env.ANNALS_SOURCE_DIR || path.resolve(here, "../..");
const binary = process.env.ANNALS_BINARY || path.join(repo, "build/annals");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const screenshots = path.join(repo, "out");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "annals-browser-"));

// --- building the pages with the real binary -------------------------------

function build(name, inputs) {
  const out = path.join(work, name);
  try {
    execFileSync(binary, ["build", ...inputs, "--out", out, "--rules", path.join(repo, "rules"),
                          "--templates", path.join(repo, "templates")], { cwd: repo, stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    // Exit code 1 means "input problems were reported"; the outputs are still written.
    if (e.status !== 1) throw new Error(`annals build ${inputs.join(" ")} failed (${e.status}): ${e.stderr}`);
  }
  const html = path.join(out, "timeline.html"), csv = path.join(out, "timeline.csv");
  assert.ok(fs.existsSync(html) && fs.existsSync(csv), `annals wrote no timeline.html/csv for ${inputs.join(" ")}`);
  return { url: pathToFileURL(html).href, rows: parseCsv(fs.readFileSync(csv, "utf8")) };
}

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks.
function parseCsv(text) {
  const records = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); records.push(row); row = []; field = ""; }
    else if (c !== "\r") field += c;
  }
  if (field || row.length) { row.push(field); records.push(row); }
  const [header, ...body] = records;
  for (const column of ["event_id", "category", "source_files", "title"])
    assert.ok(header.includes(column), `timeline.csv has no ${column} column (header: ${header.join(",")})`);
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

// --- the browser ------------------------------------------------------------

let context, sample, hostile;
const problems = [];  // console errors, page errors, network requests, dialogs

before(async () => {
  assert.ok(fs.existsSync(executablePath), `${executablePath} is missing: run scripts/setup-browser-test`);
  const sampleDir = path.join(repo, "sources");
  assert.ok(fs.existsSync(sampleDir), "the sample sources/ folder is missing");
  sample = build("sample", [sampleDir]);
  hostile = build("hostile", [path.join(repo, "tests/fixtures/hostile")]);
  fs.mkdirSync(screenshots, { recursive: true });

  context = await chromium.launchPersistentContext(path.join(work, "profile"), {
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps", "--disable-extensions"],
    viewport: { width: 1280, height: 900 },
  });
  // Anything that is not the page itself (file:) or inline data (data:) is a
  // network request, and a failure.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort();
  });
  context.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith("file:") && !url.startsWith("data:")) problems.push(`network request: ${url}`);
  });
});

after(async () => {
  await context?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function open(url, options = {}) {
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  if (options.noScript) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
  }
  await page.goto(url, { waitUntil: "load" });
  return page;
}

function assertNoProblems() {
  assert.deepEqual(problems.splice(0), [], "the page must not log errors or touch the network");
}

const visibleIds = (page) =>
  page.$$eval("[data-event-id]", (els) => els.filter((e) => e.checkVisibility()).map((e) => e.dataset.eventId).sort());
const ids = (rows) => rows.map((r) => r.event_id).sort();
const status = (page) => page.textContent("#status");

// --- the sample timeline ----------------------------------------------------

test("has one entry per CSV row, carrying the CSV's event_id, and no errors or requests", async () => {
  const page = await open(sample.url);
  assert.ok(sample.rows.length > 0, "the sample corpus should give a timeline");
  const all = await page.$$eval("[data-event-id]", (els) => els.map((e) => e.dataset.eventId).sort());
  assert.deepEqual(all, ids(sample.rows));
  assert.deepEqual(await visibleIds(page), ids(sample.rows));
  // Entries are grouped by year and month, with machine-readable dates.
  assert.ok(await page.$$eval("section.year section.month li.entry time[datetime]", (els) => els.length) === sample.rows.length);
  await page.screenshot({ path: path.join(screenshots, "timeline-screenshot.png"), fullPage: true });
  await page.close();
  assertNoProblems();
});

test("each category filter shows exactly that category's entries, and the counts follow", async () => {
  const page = await open(sample.url);
  const categories = await page.$$eval("#filter-category option", (os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(categories.sort(), [...new Set(sample.rows.map((r) => r.category))].sort());
  for (const category of categories) {
    await page.selectOption("#filter-category", category);
    const expected = ids(sample.rows.filter((r) => r.category === category));
    assert.deepEqual(await visibleIds(page), expected, `category ${category}`);
    assert.match(await status(page), new RegExp(`Showing ${expected.length} of ${sample.rows.length} event`));
    assert.match(page.url(), /#filter\?category=/);
  }
  await page.close();
  assertNoProblems();
});

test("each source filter shows exactly the entries that source supports", async () => {
  const page = await open(sample.url);
  const sources = await page.$$eval("#filter-source option", (os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(sources.length >= 2, "the sample has several sources");
  let narrowed = 0;
  for (const file of sources) {
    await page.selectOption("#filter-source", file);
    const expected = ids(sample.rows.filter((r) => r.source_files.split(";").includes(file)));
    assert.deepEqual(await visibleIds(page), expected, `source ${file}`);
    if (expected.length < sample.rows.length) ++narrowed;
  }
  assert.ok(narrowed > 0, "some source filter should hide something");
  await page.close();
  assertNoProblems();
});

test("search finds a word from one title, ignores case, and says when nothing matches", async () => {
  const page = await open(sample.url);
  // What the page says about sources (outlets, titles, files) is searchable too.
  const sourceNames = (await page.textContent("#sources")).toLowerCase();
  const haystack = (r) => Object.values(r).join(" ").toLowerCase();
  // A word of some title that no other row and no source name contains.
  let word, row;
  for (const r of sample.rows) {
    for (const w of r.title.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 5)) {
      if (!word && !sourceNames.includes(w) && sample.rows.filter((o) => haystack(o).includes(w)).length === 1) { word = w; row = r; }
    }
  }
  assert.ok(word, "the sample should have a title word unique to one entry");
  await page.fill("#filter-text", word.toUpperCase());
  assert.deepEqual(await visibleIds(page), [row.event_id]);
  assert.match(await status(page), new RegExp(`Showing 1 of ${sample.rows.length} event`));
  assert.equal(await page.isVisible("#no-match"), false);
  await page.fill("#filter-text", "zzqx nothing like this");
  assert.deepEqual(await visibleIds(page), []);
  assert.equal(await page.isVisible("#no-match"), true);
  await page.click("#clear-filters");
  assert.deepEqual(await visibleIds(page), ids(sample.rows));
  await page.close();
  assertNoProblems();
});

test("the URL fragment keeps the filter, so a view can be shared", async () => {
  let page = await open(sample.url);
  const category = sample.rows[0].category;
  await page.selectOption("#filter-category", category);
  await page.fill("#filter-text", sample.rows[0].title.split(" ")[0]);
  const shared = page.url();
  const shown = await visibleIds(page);
  await page.close();
  assert.match(shared, /#filter\?/);
  page = await open(shared);
  assert.equal(await page.inputValue("#filter-category"), category);
  assert.deepEqual(await visibleIds(page), shown);
  assert.ok(shown.length >= 1 && shown.length <= sample.rows.length);
  await page.close();
  assertNoProblems();
});

test("evidence expands and collapses; the density strip and year links jump", async () => {
  const page = await open(sample.url);
  await page.click("#collapse-all");
  assert.equal(await page.locator("details.evidence blockquote").first().isVisible(), false);
  await page.click("#expand-all");
  assert.equal(await page.locator("details.evidence blockquote").first().isVisible(), true);
  const bin = page.locator(".strip a.bin").last();
  const target = (await bin.getAttribute("href")).slice(1);
  await bin.click();
  assert.equal(await page.evaluate(() => document.activeElement.id), target);
  const year = page.locator(".years a.jump").first();
  const yearTarget = (await year.getAttribute("href")).slice(1);
  await year.click();
  assert.equal(await page.evaluate(() => document.activeElement.id), yearTarget);
  // The strip's bars count the entries each bin holds.
  const binTotal = await page.$$eval(".strip [data-bin]", (bs) => bs.reduce((n, b) => n + Number(b.dataset.count), 0));
  assert.equal(binTotal, sample.rows.length);
  await page.close();
  assertNoProblems();
});

test("without JavaScript every entry and its evidence is on the page", async () => {
  const page = await open(sample.url, { noScript: true });
  assert.deepEqual(await visibleIds(page), ids(sample.rows));
  assert.equal(await page.isVisible("#controls"), false, "filters need the script, so they stay hidden");
  assert.equal(await page.locator("details.evidence blockquote").first().isVisible(), true);
  await page.close();
  assertNoProblems();
});

test("keyboard users see where focus is", async () => {
  const page = await open(sample.url);
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const el = document.activeElement, s = getComputedStyle(el);
    return { text: el.textContent, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.match(focused.text, /Skip/);
  assert.notEqual(focused.outline, "none");
  assert.ok(focused.width >= 2);
  await page.close();
  assertNoProblems();
});

test("fits a phone's width and has a dark theme", async () => {
  const page = await open(sample.url);
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375px`);
  await page.screenshot({ path: path.join(screenshots, "timeline-screenshot-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(dark, light);
  await page.screenshot({ path: path.join(screenshots, "timeline-screenshot-dark.png"), fullPage: true });
  await page.close();
  assertNoProblems();
});

// WCAG 2 contrast of every visible text against the first opaque background
// behind it: 4.5:1, or 3:1 for large text (24px, or 18.66px bold).
function lowContrastTexts() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const bad = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (!el.checkVisibility() || el.closest(".visually-hidden, script")) continue;
    const s = getComputedStyle(el), fg = parse(s.color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(s.fontSize), large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) bad.push(`${ratio.toFixed(2)}:1 ${s.color} on rgb(${bg.r}, ${bg.g}, ${bg.b}): ${el.textContent.trim().slice(0, 40)}`);
  }
  return bad;
}

test("every text has sufficient contrast, in the light and the dark theme", async () => {
  for (const built of [sample, hostile]) {
    const page = await open(built.url);
    for (const colorScheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme });
      assert.deepEqual(await page.evaluate(lowContrastTexts), [], `${colorScheme} theme`);
    }
    await page.close();
  }
  assertNoProblems();
});

// --- the hostile fixture ----------------------------------------------------

test("hostile sources render as text: nothing runs, nothing but http(s) is linked", async () => {
  const page = await open(hostile.url);
  // Let any onerror/onload/timer a broken escape might have planted fire.
  await page.mouse.move(200, 200);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "a hostile script ran");
  const dom = await page.evaluate(() => ({
    scripts: document.scripts.length,
    injected: document.querySelectorAll("img, svg, iframe, object, embed, b[onmouseover]").length,
    handlers: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name)),
    links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")),
    text: document.body.innerText,
    json: JSON.parse(document.getElementById("timeline-data").textContent),
  }));
  assert.equal(dom.scripts, 2, "only the page's own two scripts (data and behaviour)");
  assert.equal(dom.injected, 0, "no element may come from source text");
  assert.deepEqual(dom.handlers, []);
  for (const href of dom.links) assert.ok(/^(#|https?:\/\/)/.test(href), `unsafe link ${href}`);
  // The markup is shown, as text, where the reader can see it.
  assert.ok(dom.text.includes("<script>__pwned=1</script>"), "the hostile title shows as text");
  assert.ok(dom.text.includes("javascript:alert(1)"), "an unsafe url is shown, not linked");
  assert.ok(JSON.stringify(dom.json).includes("</script><script>__pwned='json'</script>"), "the JSON keeps the text intact");
  // The disputed date is shown plainly on both entries.
  assert.equal(await page.locator("li.entry .conflict").count(), 2);
  // Every entry, including the hostile ones, is there.
  assert.deepEqual(await page.$$eval("[data-event-id]", (els) => els.map((e) => e.dataset.eventId).sort()), ids(hostile.rows));
  await page.screenshot({ path: path.join(screenshots, "timeline-screenshot-hostile.png"), fullPage: true });
  // Filtering and searching hostile text keeps it inert too.
  await page.fill("#filter-text", "<img src=x");
  assert.ok((await visibleIds(page)).length >= 1);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.close();
  assertNoProblems();
});
