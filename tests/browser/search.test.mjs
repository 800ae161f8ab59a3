// Search (static/assets/search.js), at the root and under a sub-path:
// results appear as one types, each labelled with its kind; ArrowDown
// selects the first and Enter opens it.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { assertNoProblems, bases, launch, openPage, visit } from "./lib/harness.mjs";

const KINDS = ["Event", "Actor", "Place", "Source", "Page"];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Types like a person, one key at a time. */
async function type(input, text) {
  await input.click();
  await input.pressSequentially(text, { delay: 40 });
}

/**
 * Waits for the results of `query` (those of a prefix typed on the way may
 * show first), checks every one shows a known kind, returns the first's title.
 */
async function checkResults(scope, query) {
  await scope.locator(".search-status", { hasText: `for “${query}”` }).waitFor();
  const results = scope.locator(".search-result");
  await results.first().waitFor();
  const kinds = await scope.locator(".search-result .search-kind").allTextContents();
  assert.equal(kinds.length, await results.count(), "every result has a kind label");
  for (const kind of kinds) {
    assert.ok(KINDS.some((k) => kind.toLowerCase().startsWith(k.toLowerCase())), `unexpected kind label "${kind}"`);
  }
  return results.first().locator(".search-title").textContent();
}

for (const base of bases()) {
  describe(`search ${base.label}`, () => {
    test("the search page lists results as you type; ArrowDown and Enter open one", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        await visit(page, base.url, "search/");
        const input = page.locator("#search-input");
        await type(input, "badiya");
        const first = await checkResults(page.locator(".search-page"), "badiya");
        assert.match(first, /Badiya/);
        assert.equal(new URL(page.url()).searchParams.get("q"), "badiya", "the query is kept in the address");
        const href = await page.locator(".search-result a").first().getAttribute("href");
        assert.ok(new URL(href).pathname.startsWith(base.path), `${href} is outside ${base.path}`);

        await input.press("ArrowDown");
        assert.equal(await page.locator(".search-result").first().getAttribute("aria-selected"), "true");
        await input.press("Enter");
        await page.waitForURL(href);
        assert.equal((await page.locator("h1").textContent()).trim(), first.trim());
        assertNoProblems(problems, "search/");
      } finally {
        await close();
      }
    });

    test("the kind filter keeps only that kind", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        await visit(page, base.url, "search/?q=syria&kind=actor");
        await checkResults(page.locator(".search-page"), "syria");
        const kinds = await page.locator(".search-result .search-kind").allTextContents();
        assert.ok(kinds.every((k) => /^actor/i.test(k)), `kinds: ${kinds.join(", ")}`);
        assertNoProblems(problems, "search/?kind=actor");
      } finally {
        await close();
      }
    });

    test("the header's search box shows results under itself", async (t) => {
      const { page, problems, close } = await openPage(browser);
      try {
        await visit(page, base.url, "");
        const input = page.locator("header #search-input");
        if ((await input.count()) === 0) {
          t.skip("no #search-input in the site header (templates/base.html) yet");
          return;
        }
        await type(input, "badiya");
        const first = await checkResults(page.locator("header"), "badiya");
        assert.match(first, /Badiya/);
        const href = await page.locator("header .search-result a").first().getAttribute("href");
        await input.press("ArrowDown");
        await input.press("Enter");
        await page.waitForURL(href);
        assertNoProblems(problems, "home page search box");
      } finally {
        await close();
      }
    });
  });
}
