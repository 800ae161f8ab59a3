// The timeline's filters (static/assets/timeline.js), at the root and under
// a sub-path: ticking a filter narrows the list, says how many events
// match and puts the filter in the address; the address alone restores it.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { assertNoProblems, bases, launch, openPage, visit } from "./lib/harness.mjs";

const ALL = "3 events match.";
const ONE = "1 event matches.";
const BADIYA = "The army declares the Badiya cleared";
const ATTACK = "Pro-regime forces attack an SDF headquarters east of the Euphrates";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The titles the filtered list shows, in order. */
function titles(page) {
  return page.locator(".timeline-results .event-title").allTextContents();
}

for (const base of bases()) {
  describe(`timeline ${base.label}`, () => {
    test("ticking an actor filters the list and writes ?actor= into the address", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        await visit(page, base.url, "timeline/");
        const count = page.locator(".match-count");
        await assert.doesNotReject(count.filter({ hasText: ALL }).waitFor(), "the unfiltered count");
        assert.equal(await page.locator("#timeline-static").isHidden(), true, "the static list gives way");

        await page.locator("details.facet summary", { hasText: "Actors" }).click();
        await page.getByRole("checkbox", { name: "Islamic State" }).check();
        await count.filter({ hasText: ONE }).waitFor();
        assert.deepEqual(await titles(page), [BADIYA]);
        const url = new URL(page.url());
        assert.equal(url.pathname, `${base.path}timeline/`);
        assert.equal(url.searchParams.get("actor"), "islamic-state");

        // The address alone gives the same view.
        await page.reload();
        await count.filter({ hasText: ONE }).waitFor();
        assert.deepEqual(await titles(page), [BADIYA]);
        // (the facet is folded again, so its box is found by its value)
        assert.equal(await page.locator("input[name=actor][value=islamic-state]").isChecked(), true);

        // A result links into the same site, wherever it is published.
        await page.locator(".timeline-results a", { hasText: BADIYA }).click();
        await page.waitForURL(`${base.url}events/badiya-cleared/`);
        assert.equal(await page.locator("h1").textContent(), BADIYA);
        assertNoProblems(problems, "timeline");
      } finally {
        await close();
      }
    });

    test("opening /timeline/?type=attack shows only attacks", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        await visit(page, base.url, "timeline/?type=attack");
        await page.locator(".match-count", { hasText: ONE }).waitFor();
        assert.deepEqual(await titles(page), [ATTACK]);
        assert.equal(await page.locator("input[name=type][value=attack]").isChecked(), true);
        assert.equal(await page.locator("details.facet summary", { hasText: "Event types" }).textContent(), "Event types (1)");

        await page.getByRole("button", { name: "Clear filters" }).click();
        await page.locator(".match-count", { hasText: ALL }).waitFor();
        assert.equal(new URL(page.url()).search, "", "clearing the filters clears the address");
        assertNoProblems(problems, "timeline?type=attack");
      } finally {
        await close();
      }
    });

    test("without a filter, the years load one at a time, newest first", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        // Three years of one event each, served in place of the fixture's
        // single year: the facets the page reads and each year's data.
        const requested = [];
        const row = (year) => ({
          id: `e${year}`, t: `Event of ${year}`, u: `${base.path}events/badiya-cleared/`,
          d: `${year}`, s: `${year}-01-01`, e: `${year}-12-31`, mk: `${year}`, ml: `${year}`,
          y: "attack", a: [], p: [], pa: [], g: [], st: [],
        });
        await page.route("**/timeline/facets.json", async (route) => {
          const response = await route.fetch();
          const facets = await response.json();
          facets.years = [2016, 2017, 2018].map((year) => ({
            year, count: 1, href: `${base.path}timeline/${year}/`, data: `${base.path}timeline/${year}/data-test.json`,
          }));
          await route.fulfill({ response, json: facets });
        });
        await page.route("**/data-test.json", async (route) => {
          const year = Number(new URL(route.request().url()).pathname.split("/").at(-2));
          requested.push(year);
          await route.fulfill({ json: [row(year)] });
        });
        await visit(page, base.url, "timeline/");
        const count = page.locator(".match-count");
        await count.filter({ hasText: "3 events match; 1 shown." }).waitFor();
        assert.deepEqual(await titles(page), ["Event of 2018"]);
        assert.deepEqual(requested, [2018], "only the newest year is loaded");

        const more = page.getByRole("button", { name: "Show 2017 (1 more)" });
        await more.click();
        await count.filter({ hasText: "3 events match; 2 shown." }).waitFor();
        await page.getByRole("button", { name: "Show 2016 (1 more)" }).click();
        await count.filter({ hasText: "3 events match." }).waitFor();
        assert.deepEqual(await titles(page), ["Event of 2018", "Event of 2017", "Event of 2016"]);
        assert.equal(await page.locator("button.more-years").isHidden(), true, "nothing more to load");

        // A filter needs every year (the count is of all of them).
        requested.length = 0;
        await page.reload();
        await count.filter({ hasText: "3 events match; 1 shown." }).waitFor();
        await page.locator("details.facet summary", { hasText: "Event types" }).click();
        await page.getByRole("checkbox", { name: "Attack" }).check();
        await count.filter({ hasText: "3 events match." }).waitFor();
        assert.deepEqual(requested.sort(), [2016, 2017, 2018]);
        assertNoProblems(problems, "timeline, one year at a time");
      } finally {
        await close();
      }
    });
  });
}
