// Shared by the browser tests: where the built sites are served (passed in
// by tests/browser.rs through environment variables), starting Debian's
// Chromium through playwright-core, and a page that records what a user
// would see going wrong (script errors, failed requests, broken assets).

import assert from "node:assert/strict";
import { chromium } from "playwright-core";

/** Desktop and phone viewports, in CSS pixels. */
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * The five main kinds of page, and the second page of the bibliography
 * (tests/browser.rs adds 500 sources to the fixture), by the name their
 * screenshots take.
 */
export const PAGES = [
  ["home", ""],
  ["timeline", "timeline/"],
  ["actor", "actors/sdf/"],
  ["event", "events/attack-on-sdf-hq/"],
  ["source", "sources/lwj-2018/"],
  ["sources-page-2", "sources/page/2/"],
];

/** How long one wait for the page may take. */
export const WAIT = 15_000;

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run these tests through \`cargo test --test browser\`, ` +
        "which builds the fixture site, serves it and sets DOSSIER_URL, DOSSIER_REPO_URL, " +
        "DOSSIER_SITE, DOSSIER_REPO_SITE and DOSSIER_SCREENSHOTS",
    );
  }
  return value;
}

/** Where the sites are: their addresses, their folders, the screenshots. */
export function config() {
  return {
    url: required("DOSSIER_URL"),
    repoUrl: required("DOSSIER_REPO_URL"),
    site: required("DOSSIER_SITE"),
    repoSite: required("DOSSIER_REPO_SITE"),
    screenshots: required("DOSSIER_SCREENSHOTS"),
    chromium: process.env.DOSSIER_CHROMIUM || "/usr/bin/chromium",
  };
}

/** The two builds of the fixture: at a domain's root and under /repo/. */
export function bases() {
  const c = config();
  return [
    { label: "at the root", url: c.url, path: new URL(c.url).pathname },
    { label: "under /repo/", url: c.repoUrl, path: new URL(c.repoUrl).pathname },
  ];
}

/** Starts Chromium (headless). */
export function launch() {
  return chromium.launch({ executablePath: config().chromium, args: FLAGS, timeout: 60_000 });
}

/**
 * A new page in its own context, recording problems: uncaught script
 * errors, console errors, failed requests and HTTP errors for anything but
 * the browser's own favicon probe. `bypassCSP` lets a test inject a
 * script (axe-core) past the site's Content-Security-Policy.
 */
export async function openPage(browser, { viewport = DESKTOP, colorScheme = "light", bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: "reduce", bypassCSP });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  const failed = new Set();
  page.on("console", (message) => {
    // A failed load is reported below, with its address.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) {
      failed.add(response.url());
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  page.on("requestfailed", (request) => {
    if (!failed.has(request.url())) {
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    }
  });
  return { page, problems, close: () => context.close() };
}

/** Fails listing the problems a page recorded, if any. */
export function assertNoProblems(problems, where) {
  assert.deepEqual(problems, [], `${where}: the page had problems:\n${problems.join("\n")}`);
}

/** Loads `path` (relative to `base`) and checks the response was 200. */
export async function visit(page, base, path) {
  const response = await page.goto(new URL(path, base).href, { waitUntil: "load" });
  assert.equal(response?.status(), 200, `${path}: HTTP ${response?.status()}`);
  return response;
}
