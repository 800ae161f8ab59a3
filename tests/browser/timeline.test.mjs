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
  });
}
