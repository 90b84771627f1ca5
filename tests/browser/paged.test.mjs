// The paged HTML layout in a real browser (Debian's chromium, playwright-core):
// a generated timeline of 300 entries (bench/gen_timeline.py) merged with
// `--html-pages paged`, so timeline.html is an index and each year, the
// undated mentions and the sources have pages of their own. The e2e tests
// (tests/e2e/html_pages_test.cpp) check the files; this checks that each
// page's script runs: no console errors or requests on any page, the year
// pages hold exactly their year's CSV rows, and their filters and search work
// within the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { generated, launch, cleanUp } from "./lib.mjs";

let browser, paged;

before(async () => {
  paged = generated("paged-300", 300, ["--html-pages", "paged"]);
  browser = await launch();
});

after(async () => {
  await browser?.context.close();
  cleanUp();
});

const visibleIds = (page) =>
  page.$$eval("li.entry", (els) => els.filter((e) => e.checkVisibility()).map((e) => e.id).sort());
const ids = (rows) => rows.map((r) => r.event_id).sort();
const pageUrl = (name) => pathToFileURL(path.join(paged.dir, name)).href;
const yearPages = () => fs.readdirSync(paged.dir).filter((n) => /^timeline-\d{4}\.html$/.test(n)).sort();
const rowsOfYear = (name) => paged.rows.filter((r) => r.date_start.startsWith(name.slice(9, 13)));

test("the index links to every page written, has no entries of its own, and runs without errors", async () => {
  const page = await browser.open(paged.url);
  assert.equal(await page.locator("li.entry").count(), 0);
  const linked = new Set(await page.$$eval("a[href]", (as) =>
    as.map((a) => a.getAttribute("href").split("#")[0]).filter((h) => /^timeline-.*\.html$/.test(h))));
  const written = fs.readdirSync(paged.dir).filter((n) => /^timeline-.*\.html$/.test(n));
  assert.ok(yearPages().length >= 3, "the generated timeline spans several years");
  assert.deepEqual([...linked].sort(), written.sort());
  await page.close();
  browser.assertNoProblems();
});

test("each year page shows exactly that year's CSV rows, and the pages together hold every row once", async () => {
  const seen = [];
  for (const name of yearPages()) {
    const page = await browser.open(pageUrl(name));
    const shown = await visibleIds(page);
    assert.deepEqual(shown, ids(rowsOfYear(name)), name);
    assert.match(await page.textContent("#status"), new RegExp(`Showing all ${shown.length} event`), name);
    seen.push(...shown);
    await page.close();
    browser.assertNoProblems();
  }
  assert.deepEqual(seen.sort(), ids(paged.rows));
});

test("on a year page, the category filter and search narrow to that page's entries and clear again", async () => {
  const name = yearPages().reduce((a, b) => (rowsOfYear(b).length > rowsOfYear(a).length ? b : a));
  const rows = rowsOfYear(name);
  const page = await browser.open(pageUrl(name));
  const categories = await page.$$eval("#filter-category option", (os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(categories.sort(), [...new Set(rows.map((r) => r.category))].sort());
  const category = categories[0];
  await page.selectOption("#filter-category", category);
  const expected = ids(rows.filter((r) => r.category === category));
  assert.deepEqual(await visibleIds(page), expected);
  assert.match(await page.textContent("#status"), new RegExp(`Showing ${expected.length} of ${rows.length} event`));
  await page.click("#clear-filters");
  // A title word of one entry of this page: search finds that entry.
  const words = (r) => r.title.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
  const row = rows.find((r) => words(r).some((w) => rows.filter((o) => words(o).includes(w)).length === 1));
  assert.ok(row, `${name} has an entry with a title word of its own`);
  const word = words(row).find((w) => rows.filter((o) => words(o).includes(w)).length === 1);
  await page.fill("#filter-text", word.toUpperCase());
  const found = await visibleIds(page);
  assert.ok(found.includes(row.event_id), `search for ${word}`);
  assert.ok(found.length < rows.length, `search for ${word} narrows the page`);
  await page.click("#clear-filters");
  assert.deepEqual(await visibleIds(page), ids(rows));
  await page.close();
  browser.assertNoProblems();
});

test("the undated and sources pages open without errors and hold their lists", async () => {
  for (const name of fs.readdirSync(paged.dir).filter((n) => /^timeline-(undated|sources)-\d+\.html$/.test(n))) {
    const page = await browser.open(pageUrl(name));
    assert.ok((await page.locator("li").count()) > 0, `${name} lists something`);
    await page.close();
    browser.assertNoProblems();
  }
});
