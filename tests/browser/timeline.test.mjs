// The timeline's filters (static/assets/timeline.js), at the root and under
// a sub-path: ticking a filter narrows the list, says how many events
// match and puts the filter in the address; the address alone restores it.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { assertNoProblems, bases, launch, openPage, visit } from "./lib/harness.mjs";

// The fixture's three events are all of 2018, and its list_limit is 2: the
// page itself lists the newest two.
const PAGE_LIST = "3 events match; 2 shown.";
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

/**
 * What `pattern`'s first group matches in the path of each request `page`
 * makes from now on, in order (the array fills as they are made).
 */
function requests(page, pattern) {
  const found = [];
  page.on("request", (request) => {
    const match = pattern.exec(new URL(request.url()).pathname);
    if (match) found.push(match[1]);
  });
  return found;
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";

/**
 * Ascending part numbers as the build writes a list of them: gaps, each
 * in base 32 over DIGITS, the last digit of a number below 32 and the
 * others above (timeline.js's `decode` reads them).
 */
function encode(parts) {
  let out = "", previous = 0;
  parts.forEach((n, i) => {
    let gap = i ? n - previous : n;
    previous = n;
    const digits = [gap & 31];
    for (gap >>= 5; gap; gap >>= 5) digits.unshift((gap & 31) + 32);
    out += digits.map((d) => DIGITS[d]).join("");
  });
  return out;
}

/** The titles the filtered list shows, in order. */
function titles(page) {
  return page.locator(".timeline-results .event-title").allTextContents();
}

/**
 * Serves years beside the fixture's 2018, said to hold 1, 150 and 150
 * events, 2017's in two parts (50 and 100): the facets the page reads,
 * and each added part's data (one row a file; 2017's older part's row is
 * Islamic State's; 2016's runs into March 2017). The parts are numbered 0
 * (2015) to 4 (2018).
 */
async function serveEarlierYears(page, base) {
  const row = (year, n) => ({
    id: `e${year}-${n}`, t: `Event ${n} of ${year}`, u: `${base.path}events/badiya-cleared/`,
    d: `${year}`, s: `${year}-0${n}-01`, e: year === 2016 ? "2017-03-31" : `${year}-0${n}-28`, mk: `${year}`, ml: `${year}`,
    y: "attack", a: year === 2017 && n === 1 ? ["islamic-state"] : [], p: [], pa: [], g: [], st: [],
  });
  const year = (y, parts) => ({
    year: y, count: parts.reduce((a, b) => a + b), href: `${base.path}timeline/${y}/`, parts,
  });
  await page.route("**/timeline/facets.json", async (route) => {
    const response = await route.fetch();
    const facets = await response.json();
    assert.deepEqual(facets.years.map((y) => [y.year, y.parts]), [[2018, [3]]], "the fixture's one year, in one part");
    facets.years = [year(2015, [1]), year(2016, [150]), year(2017, [50, 100])].concat(facets.years);
    await route.fulfill({ response, json: facets });
  });
  await page.route("**/timeline/actors-parts-1.json", async (route) => {
    const response = await route.fetch();
    const held = await response.json();
    // In the order of the actors' names: islamic-state first.
    assert.deepEqual(held, ["0", "", "0", "0", "0"], "the fixture's one part");
    held[0] = encode([2, 4]);
    await route.fulfill({ response, json: held });
  });
  await serveAttacksIn(page, [0, 1, 2, 3, 4]);
  await serveDates(page, [
    ["2015-01-01", "2015-01-28"],
    ["2016-01-01", "2017-03-31"],
    ["2017-01-01", "2017-01-28"],
    ["2017-02-01", "2017-02-28"],
  ]);
  await page.route(/\/timeline\/201[5-7]\/events-\d\.json$/, async (route) => {
    const [, y, n] = /(\d{4})\/events-(\d)\.json$/.exec(new URL(route.request().url()).pathname);
    await route.fulfill({ json: [row(Number(y), Number(n))] });
  });
}

/**
 * Serves the parts' spans of dates as `spans` (one a part added before the
 * fixture's), followed by the fixture's one part's.
 */
async function serveDates(page, spans) {
  await page.route("**/timeline/dates.json", async (route) => {
    const response = await route.fetch();
    const fixture = await response.json();
    assert.equal(fixture.length, 1, "the fixture's one part");
    await route.fulfill({ response, json: spans.concat(fixture) });
  });
}

/** Serves the list of the parts holding attacks as `parts`. */
async function serveAttacksIn(page, parts) {
  await page.route("**/timeline/types-parts-1.json", async (route) => {
    const response = await route.fetch();
    const held = await response.json();
    // attack, then statement: the fixture's one part holds both.
    assert.deepEqual(held, ["0", "0"], "the fixture's one part");
    held[0] = encode(parts);
    await route.fulfill({ response, json: held });
  });
}

/**
 * Serves eight years before the fixture's 2018, 2010 to 2017, each in one
 * part of 100 events of which every other one is an attack (the fixture's
 * 2018 has three events, one an attack): 401 attacks in all.
 */
async function serveYearsOfAttacks(page, base) {
  const pad = (n) => String(n).padStart(2, "0");
  const row = (year, n) => {
    const month = `${year}-${pad(1 + Math.floor(n / 9))}`;
    const day = `${month}-${pad(1 + (n % 9))}`;
    return {
      id: `e${year}-${n}`, t: `Event ${n} of ${year}`, u: `${base.path}events/badiya-cleared/`,
      d: day, s: day, e: day, mk: month, ml: month, y: n % 2 ? "statement" : "attack",
      a: [], p: [], pa: [], g: [], st: [],
    };
  };
  await page.route("**/timeline/facets.json", async (route) => {
    const response = await route.fetch();
    const facets = await response.json();
    const years = [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017].map((y) => ({
      year: y, count: 100, href: `${base.path}timeline/${y}/`, parts: [100],
    }));
    facets.years = years.concat(facets.years);
    await route.fulfill({ response, json: facets });
  });
  await serveAttacksIn(page, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  await serveDates(page, [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017].map((y) => [`${y}-01-01`, `${y}-12-02`]));
  await page.route(/\/timeline\/201[0-7]\/events-1\.json$/, async (route) => {
    const [, y] = /(\d{4})\/events-1\.json$/.exec(new URL(route.request().url()).pathname);
    await route.fulfill({ json: Array.from({ length: 100 }, (_, n) => row(Number(y), n)) });
  });
}

for (const base of bases()) {
  describe(`timeline ${base.label}`, () => {
    test("ticking an actor filters the list and writes ?actor= into the address", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        // The names of actors and places are files of their own, loaded
        // when a filter or a drawn row needs them.
        const lists = requests(page, /\/timeline\/(actors|places)\.json$/);
        await visit(page, base.url, "timeline/");
        const count = page.locator(".match-count");
        await assert.doesNotReject(count.filter({ hasText: PAGE_LIST }).waitFor(), "the unfiltered count");
        assert.equal(await page.locator("#timeline-static").isVisible(), true, "the page's own list is the first view");
        assert.deepEqual(lists, [], "opening the timeline loads no list of names");

        await page.locator("details.facet summary", { hasText: "Actors" }).click();
        await page.getByRole("checkbox", { name: "Islamic State" }).check();
        await count.filter({ hasText: ONE }).waitFor();
        assert.equal(await page.locator("#timeline-static").isHidden(), true, "the page's list gives way to the filtered one");
        assert.deepEqual(lists.sort(), ["actors", "places"], "the actors' filter and the rows' places");
        assert.equal(
          await page.locator(".timeline-results .event-meta").textContent(),
          "Statement · Deir ez-Zor Province",
          "a drawn row names its type and place",
        );
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

        // An id no actor has matches nothing, even one every script
        // object answers to.
        await visit(page, base.url, "timeline/?actor=constructor");
        await count.filter({ hasText: "0 events match." }).waitFor();
        await visit(page, base.url, "timeline/?actor=islamic-state");
        await count.filter({ hasText: ONE }).waitFor();

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

        // Tags come in a list of their own too, loaded for a view that
        // filters by one.
        await visit(page, base.url, "timeline/?tag=badiya");
        await page.locator(".match-count", { hasText: ONE }).waitFor();
        assert.deepEqual(await titles(page), [BADIYA]);
        assert.equal(await page.locator("input[name=tag][value=badiya]").isChecked(), true);

        await visit(page, base.url, "timeline/?type=attack");
        await page.locator(".match-count", { hasText: ONE }).waitFor();
        await page.getByRole("button", { name: "Clear filters" }).click();
        await page.locator(".match-count", { hasText: PAGE_LIST }).waitFor();
        assert.equal(await page.locator("#timeline-static").isVisible(), true, "the page's own list is back");
        assert.equal(new URL(page.url()).search, "", "clearing the filters clears the address");
        assertNoProblems(problems, "timeline?type=attack");
      } finally {
        await close();
      }
    });

    test("without a filter, the page's own list shows first, then parts of at least 100 events", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        const requested = requests(page, /\/timeline\/(\d{4}\/[\w-]+)\.json$/);
        await serveEarlierYears(page, base);
        await visit(page, base.url, "timeline/");
        const count = page.locator(".match-count");
        await count.filter({ hasText: "304 events match; 2 shown." }).waitFor();
        assert.equal(await page.locator("#timeline-static").isVisible(), true);
        assert.deepEqual(requested, [], "no year's data is loaded for the first view");

        // The one event of 2018 the page left out is too few: 2017's newer
        // part comes with it.
        await page.getByRole("button", { name: "Show 101 more (2018–2017)" }).click();
        await count.filter({ hasText: "304 events match; 4 shown." }).waitFor();
        assert.deepEqual(requested, ["2018/events-1", "2017/events-2"]);
        assert.equal(await page.locator("#timeline-static").isHidden(), true);
        await page.getByRole("button", { name: "Show 200 more (2017–2016)" }).click();
        await count.filter({ hasText: "304 events match; 6 shown." }).waitFor();
        await page.getByRole("button", { name: "Show 1 more (2015)" }).click();
        await count.filter({ hasText: "7 events match." }).waitFor();
        assert.deepEqual(
          (await titles(page)).slice(3),
          ["Event 2 of 2017", "Event 1 of 2017", "Event 1 of 2016", "Event 1 of 2015"],
        );
        assert.deepEqual(
          requested,
          ["2018/events-1", "2017/events-2", "2017/events-1", "2016/events-1", "2015/events-1"],
          "newest first, a part at a time",
        );
        assert.equal(await page.locator("button.more-years").isHidden(), true, "nothing more to load");

        // A filter reads parts until 100 events match: here, all of them
        // (each holds one row), so the count is of every match.
        requested.length = 0;
        await page.reload();
        await count.filter({ hasText: "304 events match; 2 shown." }).waitFor();
        await page.locator("details.facet summary", { hasText: "Event types" }).click();
        await page.getByRole("checkbox", { name: "Attack" }).check();
        await count.filter({ hasText: "5 events match." }).waitFor();
        assert.deepEqual(requested.sort(), ["2015/events-1", "2016/events-1", "2017/events-1", "2017/events-2", "2018/events-1"]);
        assertNoProblems(problems, "timeline, a part at a time");
      } finally {
        await close();
      }
    });

    test("a filter by type reads parts until 100 more events match, as the reader asks", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        const requested = requests(page, /\/timeline\/(\d{4})\/events-1\.json$/);
        await serveYearsOfAttacks(page, base);
        await visit(page, base.url, "timeline/?type=attack");
        const count = page.locator(".match-count");
        // 2018's one attack says a third of events match: the next three
        // parts are read at once, and hold 150 more.
        await count.filter({ hasText: "151 events match so far, searched back to 2015." }).waitFor();
        assert.deepEqual(requested, ["2018", "2017", "2016", "2015"], "newest first, not every year");
        assert.equal((await titles(page)).length, 151);
        assert.equal((await titles(page))[1], "Event 98 of 2017", "newest first");
        await page.getByRole("button", { name: "Show more matches" }).click();
        await count.filter({ hasText: "201 events match so far, searched back to 2014." }).waitFor();
        await page.getByRole("button", { name: "Show more matches" }).click();
        await count.filter({ hasText: "301 events match so far, searched back to 2012." }).waitFor();
        await page.getByRole("button", { name: "Show more matches" }).click();
        await count.filter({ hasText: "401 events match." }).waitFor();
        assert.equal(await page.locator("button.more-years").isHidden(), true, "nothing more to read");
        assert.deepEqual(
          requested,
          ["2018", "2017", "2016", "2015", "2014", "2013", "2012", "2011", "2010"],
          "each part once",
        );

        // Oldest first reads from the other end.
        requested.length = 0;
        await visit(page, base.url, "timeline/?type=attack&order=asc");
        await count.filter({ hasText: "100 events match so far, searched up to 2011." }).waitFor();
        assert.deepEqual(requested, ["2010", "2011"]);
        assert.equal((await titles(page))[0], "Event 0 of 2010");

        // Dates keep to their years, at both ends.
        requested.length = 0;
        await visit(page, base.url, "timeline/?type=attack&from=2012&to=2013-06");
        await count.filter({ hasText: /^\d+ events? match/ }).waitFor();
        assert.deepEqual(requested.sort(), ["2012", "2013"]);

        // A status no event has reads no part at all.
        requested.length = 0;
        await visit(page, base.url, "timeline/?status=retracted");
        await count.filter({ hasText: "0 events match." }).waitFor();
        assert.deepEqual(requested, []);
        assertNoProblems(problems, "timeline?type=attack, part by part");
      } finally {
        await close();
      }
    });

    test("a filter by actor or by dates fetches only the parts that can match", async () => {
      const { page, problems, close } = await openPage(browser);
      try {
        const requested = requests(page, /\/timeline\/([\w/-]+)\.json$/);
        await serveEarlierYears(page, base);
        await visit(page, base.url, "timeline/?actor=islamic-state");
        await page.locator(".match-count", { hasText: "2 events match." }).waitFor();
        assert.deepEqual(await titles(page), [BADIYA, "Event 1 of 2017"]);
        const parts = requested.filter((file) => /^\d{4}\//.test(file));
        assert.deepEqual(parts.sort(), ["2017/events-1", "2018/events-1"], "not 2015's, 2016's or 2017's newer part");
        assert.ok(requested.includes("actors-parts-1"), "the lists of the parts holding the actors' events");

        // A filter by dates reads only the parts whose dates meet them: of
        // 2017's two, the newer, and 2016's, whose event runs into 2017.
        requested.length = 0;
        await visit(page, base.url, "timeline/?from=2017-02&to=2017-02");
        await page.locator(".match-count", { hasText: "2 events match." }).waitFor();
        assert.deepEqual(await titles(page), ["Event 2 of 2017", "Event 1 of 2016"]);
        assert.deepEqual(
          requested.filter((file) => /^\d{4}\//.test(file)).sort(),
          ["2016/events-1", "2017/events-2"],
          "not 2017's older part, nor 2015's or 2018's",
        );
        assert.ok(requested.includes("dates"), "the parts' spans of dates");
        assertNoProblems(problems, "timeline?actor=islamic-state");
      } finally {
        await close();
      }
    });
  });
}
