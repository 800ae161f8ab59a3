// Citation previews (static/assets/cite.js): hovering or focusing a
// citation marker shows its note (the source's title) in #cite-preview,
// on screen even on a phone; Escape hides it.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PHONE, assertNoProblems, bases, launch, openPage, visit } from "./lib/harness.mjs";

const EVENT = "events/attack-on-sdf-hq/";
const SOURCE_TITLE = "Islamic State continues to battle Assad regime, allies";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const base of bases()) {
  describe(`citation preview ${base.label}`, () => {
    test("hovering and focusing a marker shows the source's title", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        await visit(page, base.url, EVENT);
        const marker = page.locator("sup.cite a").first();
        const preview = page.locator("#cite-preview");

        await marker.hover();
        await preview.waitFor({ state: "visible" });
        assert.match(await preview.textContent(), new RegExp(SOURCE_TITLE));
        assert.equal(await preview.getAttribute("role"), "tooltip");
        assert.equal(await marker.getAttribute("aria-describedby"), "cite-preview");
        // The note's link inside the preview goes to the source's page.
        assert.equal(await preview.locator("a").first().getAttribute("href"), `${base.path}sources/lwj-2018/`);

        await page.keyboard.press("Escape");
        await preview.waitFor({ state: "hidden" });

        await page.mouse.move(0, 0);
        await marker.focus();
        await preview.waitFor({ state: "visible" });
        assert.match(await preview.textContent(), new RegExp(SOURCE_TITLE));
        assertNoProblems(problems, EVENT);
      } finally {
        await close();
      }
    });
  });
}

test("on a phone the preview fits the screen", async () => {
  const [base] = bases();
  const { page, problems, close } = await openPage(browser, { viewport: PHONE });
  try {
    await visit(page, base.url, EVENT);
    const markers = page.locator("sup.cite a");
    const count = await markers.count();
    assert.ok(count > 0, "the event page has citation markers");
    for (let i = 0; i < count; i++) {
      await markers.nth(i).focus();
      const preview = page.locator("#cite-preview");
      await preview.waitFor({ state: "visible" });
      const box = await preview.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `marker ${i + 1}: the preview spills sideways (${JSON.stringify(box)})`);
    }
    assertNoProblems(problems, EVENT);
  } finally {
    await close();
  }
});
