// What the browser tests share: building pages with the real annals binary,
// reading its CSV, and one headless Debian chromium (playwright-core) that
// records every console error, page error, dialog and network request.
//
// Environment: ANNALS_BINARY (the annals executable) and ANNALS_SOURCE_DIR
// (the repository) are set by ctest; CHROMIUM overrides /usr/bin/chromium.
// Install what it needs with scripts/setup-browser-test.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

const here = path.dirname(new URL(import.meta.url).pathname);
export const repo = process.env.ANNALS_SOURCE_DIR || path.resolve(here, "../..");
export const binary = process.env.ANNALS_BINARY || path.join(repo, "build/annals");
export const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
export const screenshots = path.join(repo, "out");
export const work = fs.mkdtempSync(path.join(os.tmpdir(), "annals-browser-"));
export const nodeModules = path.join(here, "node_modules");

function run(args, what) {
  try {
    execFileSync(binary, args, { cwd: repo, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 26 });
  } catch (e) {
    // Exit code 1 means "input problems were reported"; the outputs are still written.
    if (e.status !== 1) throw new Error(`annals ${what} failed (${e.status}): ${e.stderr}`);
  }
}

function outputs(out, what) {
  const html = path.join(out, "timeline.html"), csv = path.join(out, "timeline.csv");
  assert.ok(fs.existsSync(csv), `annals wrote no timeline.csv for ${what}`);
  return { dir: out, html, url: fs.existsSync(html) ? pathToFileURL(html).href : null, rows: parseCsv(fs.readFileSync(csv, "utf8")) };
}

// `annals build INPUTS... [EXTRA...]` into a fresh folder of the work dir.
export function build(name, inputs, extra = []) {
  const out = path.join(work, name);
  run(["build", ...inputs, "--out", out, "--rules", path.join(repo, "rules"), "--templates", path.join(repo, "templates"), ...extra],
      `build ${inputs.join(" ")}`);
  return outputs(out, inputs.join(" "));
}

// A generated timeline of `entries` entries (bench/gen_timeline.py), merged
// by `annals merge`: the big archive a user brings.
export function generated(name, entries, extra = []) {
  const part = path.join(work, `${name}.jsonl`), out = path.join(work, name);
  execFileSync("python3", [path.join(repo, "bench/gen_timeline.py"), "--entries", String(entries), "--out", part], { stdio: ["ignore", "ignore", "pipe"] });
  run(["merge", part, "--out", out, "--format", "html,csv", "--templates", path.join(repo, "templates"), ...extra], `merge ${name}`);
  return outputs(out, name);
}

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks.
export function parseCsv(text) {
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
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

// The browser. `allow(url)` says which requests are not a failure: by
// default only the page itself (file:) and inline data (data:).
export async function launch({ allow = (url) => url.startsWith("file:") || url.startsWith("data:"), viewport = { width: 1280, height: 900 } } = {}) {
  assert.ok(fs.existsSync(executablePath), `${executablePath} is missing: run scripts/setup-browser-test`);
  const problems = [];
  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(work, "profile-")), {
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps", "--disable-extensions"],
    viewport,
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (allow(url)) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort();
  });
  context.on("request", (req) => { if (!allow(req.url())) problems.push(`network request: ${req.url()}`); });
  const open = async (url, options = {}) => {
    const page = await context.newPage();
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("dialog", (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
    if (options.noScript) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    }
    if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
    await page.goto(url, { waitUntil: "load" });
    return page;
  };
  const assertNoProblems = () => assert.deepEqual(problems.splice(0), [], "the page must not log errors or touch the network");
  return { context, open, problems, assertNoProblems };
}

export function cleanUp() { fs.rmSync(work, { recursive: true, force: true }); }

// The median of some numbers.
export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
