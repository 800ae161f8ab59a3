// The five main kinds of page (home, timeline, actor, event, source):
// axe-core finds no accessibility violation in light or dark colours, no
// page scrolls sideways on a phone, and each is photographed into
// DOSSIER_SCREENSHOTS for a person to look at.

import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { PAGES, PHONE, assertNoProblems, bases, config, launch, openPage, visit } from "./lib/harness.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let browser;
let shots;
before(async () => {
  browser = await launch();
  shots = config().screenshots;
  await mkdir(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
});

/** Loads a page and waits for its scripts to settle (the timeline's list). */
async function load(page, base, route) {
  await visit(page, base.url, route);
  if (route === "timeline/") await page.locator(".match-count", { hasText: "events match" }).waitFor();
  await page.waitForLoadState("networkidle");
}

/** axe-core's violations on the page, one readable line per element. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return found.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help}\n    at ${n.target.join(" ")}\n    ${n.failureSummary.replace(/\n/g, "\n    ")}`),
  );
}

const [base] = bases();

for (const scheme of ["light", "dark"]) {
  describe(`axe-core, ${scheme} colours`, () => {
    for (const [name, route] of PAGES) {
      test(`${name} page (/${route}) has no violations`, async () => {
        const { page, problems, close } = await openPage(browser, { colorScheme: scheme, bypassCSP: true });
        try {
          await load(page, base, route);
          if (scheme === "light") {
            await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
          } else if (name === "event") {
            await page.screenshot({ path: path.join(shots, `${name}-dark.png`), fullPage: true });
          }
          const found = await violations(page);
          assert.deepEqual(found, [], `/${route} in ${scheme} colours:\n${found.join("\n")}`);
          assertNoProblems(problems, route);
        } finally {
          await close();
        }
      });
    }
  });
}

describe("on a phone", () => {
  for (const [name, route] of PAGES) {
    test(`${name} page (/${route}) fits the width and has no violations`, async () => {
      const { page, problems, close } = await openPage(browser, { viewport: PHONE, bypassCSP: true });
      try {
        await load(page, base, route);
        if (name === "event") {
          await page.screenshot({ path: path.join(shots, `${name}-phone.png`), fullPage: true });
        }
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= PHONE.width, `/${route} scrolls sideways on a phone: ${width}px wide in a ${PHONE.width}px screen`);
        const found = await violations(page);
        assert.deepEqual(found, [], `/${route} on a phone:\n${found.join("\n")}`);
        assertNoProblems(problems, route);
      } finally {
        await close();
      }
    });
  }
});
