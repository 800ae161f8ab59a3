// The map's markers and the network graph's nodes are links (SVG <a>):
// clicking one, or focusing it and pressing Enter, lands on its page. The
// bibliography's pager leads from page to page, under a sub-path too.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { assertNoProblems, bases, launch, openPage, visit } from "./lib/harness.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The name an SVG link's <title> starts with ("Syria: 1 event…", "SDF (…)"). */
async function titleOf(link) {
  return (await link.locator("title").textContent()).trim();
}

/**
 * Every link in `selector` on `path` leads to `folder`; the first is
 * clicked, the last is followed with the keyboard, and each lands on a
 * page whose heading the link's title names.
 */
async function follow(base, path, selector, folder, name) {
  const { page, problems, close } = await openPage(browser);
  try {
    await visit(page, base.url, path);
    const links = page.locator(selector);
    const count = await links.count();
    assert.ok(count > 0, `${path}: no ${selector}`);
    for (let i = 0; i < count; i++) {
      const href = await links.nth(i).getAttribute("href");
      assert.match(href, new RegExp(`^${base.path}${folder}/[a-z0-9-]+/$`), `${path}: link ${i + 1}`);
    }
    for (const [how, index] of [["click", 0], ["keyboard", count - 1]]) {
      await visit(page, base.url, path);
      const link = links.nth(index);
      const href = await link.getAttribute("href");
      const title = await titleOf(link);
      if (how === "click") {
        await link.click();
      } else {
        await link.focus();
        await page.keyboard.press("Enter");
      }
      await page.waitForURL(new URL(href, base.url).href);
      const heading = (await page.locator("h1").textContent()).trim();
      assert.ok(title.includes(name(heading)), `${how}: "${title}" led to a page headed "${heading}"`);
    }
    assertNoProblems(problems, path);
  } finally {
    await close();
  }
}

for (const base of bases()) {
  describe(`map and graph ${base.label}`, () => {
    test("a map marker leads to its place's page", async () => {
      await follow(base, "map/", ".map-markers a", "places", (heading) => heading);
    });

    test("a graph node leads to its actor's page", async () => {
      // A node's title is "SHORT (Full name)"; the page's heading is "Full name (SHORT)".
      await follow(base, "network/", "a.net-node", "actors", (heading) => heading.replace(/\s*\(.*\)$/, ""));
    });

    test("the bibliography's pager leads to its second page and back", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        await visit(page, base.url, "sources/");
        const pages = page.getByRole("navigation", { name: "Pages of the list" });
        await pages.getByRole("link", { name: "Page 2" }).click();
        await page.waitForURL(`${base.url}sources/page/2/`);
        assert.equal((await page.locator("h1").textContent()).trim(), "Sources, page 2 of 2");
        // 502 sources: the fixture's two and 498 bulletins on page 1.
        assert.equal(await page.locator(".bibliography li").count(), 2);
        const current = pages.locator("[aria-current=page]");
        assert.equal((await current.textContent()).trim(), "Page 2");
        await page.getByRole("link", { name: "← Page 1" }).click();
        await page.waitForURL(`${base.url}sources/`);
        assert.equal(await page.locator(".bibliography li").count(), 500);
        assertNoProblems(problems, "sources/");
      } finally {
        await close();
      }
    });
  });
}
