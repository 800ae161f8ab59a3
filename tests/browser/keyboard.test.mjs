// Keyboard use: the first Tab shows a "Skip to content" link that moves
// focus into <main>, and every element Tab reaches looks different when it
// has focus (compared pixel for pixel with the same spot unfocused).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PAGES, assertNoProblems, bases, launch, openPage, visit } from "./lib/harness.mjs";

/** At most this many Tab stops are checked on a page. */
const MAX_STOPS = 60;
/** Pixels around an element that its focus ring may take. */
const RING = 8;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const [base] = bases();

test("the skip link shows on the first Tab and moves focus into <main>", async () => {
  const { page, problems, close } = await openPage(browser);
  try {
    await visit(page, base.url, "events/attack-on-sdf-hq/");
    await page.keyboard.press("Tab");
    const skip = page.locator("a.skip");
    assert.equal(await skip.evaluate((a) => a === document.activeElement), true, "the first Tab reaches the skip link");
    assert.equal((await skip.textContent()).trim(), "Skip to content");
    const box = await skip.boundingBox();
    assert.ok(box && box.y >= 0 && box.height > 10, `the focused skip link is on screen (${JSON.stringify(box)})`);

    await page.keyboard.press("Enter");
    assert.equal(new URL(page.url()).hash, "#main");
    await page.keyboard.press("Tab");
    const inMain = await page.evaluate(() => document.querySelector("main").contains(document.activeElement));
    assert.equal(inMain, true, "the next Tab goes to the first link in <main>");
    assertNoProblems(problems, "skip link");
  } finally {
    await close();
  }
});

/** A short, readable name for the focused element. */
function focusedElement() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const r = el.getBoundingClientRect();
  const text = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("href") || "").trim().slice(0, 40);
  let key = el.tagName.toLowerCase();
  for (let n = el; n && n !== document.body; n = n.parentElement) {
    key = `${n.tagName.toLowerCase()}:${Array.prototype.indexOf.call(n.parentElement?.children || [], n)}/${key}`;
  }
  return { key, name: `<${el.tagName.toLowerCase()}> "${text}"`, x: r.x, y: r.y, width: r.width, height: r.height };
}

/** The area around `el` that its focus ring may take, inside the viewport. */
function ringArea(el, viewport) {
  const x = Math.max(0, Math.floor(el.x - RING));
  const y = Math.max(0, Math.floor(el.y - RING));
  const right = Math.min(viewport.width, Math.ceil(el.x + el.width + RING));
  const bottom = Math.min(viewport.height, Math.ceil(el.y + el.height + RING));
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

describe("visible focus", () => {
  const routes = [...PAGES, ["map", "map/"], ["network", "network/"], ["search", "search/"]];
  for (const [name, route] of routes) {
    test(`every Tab stop on the ${name} page (/${route}) shows focus`, async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        await visit(page, base.url, route);
        await page.waitForLoadState("networkidle");
        const viewport = page.viewportSize();
        const invisible = [];
        const seen = new Set();
        for (let i = 0; i < MAX_STOPS; i++) {
          await page.keyboard.press("Tab");
          const el = await page.evaluate(focusedElement);
          if (!el || seen.has(el.key)) break;
          seen.add(el.key);
          const area = ringArea(el, viewport);
          if (!area) {
            invisible.push(`${el.name}: focused but off screen (${JSON.stringify(el)})`);
            continue;
          }
          const focused = await page.screenshot({ clip: area, animations: "disabled", caret: "hide" });
          // Blurring keeps the point Tab continues from.
          await page.evaluate(() => document.activeElement.blur());
          const blurred = await page.screenshot({ clip: area, animations: "disabled", caret: "hide" });
          if (focused.equals(blurred)) invisible.push(`${el.name}: looks the same focused and unfocused`);
        }
        assert.ok(seen.size > 3, `only ${seen.size} Tab stops found on /${route}`);
        assert.deepEqual(invisible, [], `/${route}: focus is not visible on:\n${invisible.join("\n")}`);
        assertNoProblems(problems, route);
      } finally {
        await close();
      }
    });
  }
});
