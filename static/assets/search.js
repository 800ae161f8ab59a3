// dossier search: results as you type, from the static index under
// search/ (its format is described in src/render/search.rs). The header box
// (#search-input in every page's header) shows a short list under itself;
// the search page (the form with data-search-page) lists every result, with
// a kind filter, and keeps the query in its address (?q=, ?kind=).
// Keys: ArrowDown and ArrowUp move through the results, Enter opens the
// selected one (in the header, with none selected, it goes to the search
// page), Escape closes the list, then clears the box.
// Without JavaScript the header box is a plain form to /search/?q=, and the
// search page says that search needs JavaScript and links to the indexes.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  if (!input || !input.form || !window.fetch || !window.URL || !String.prototype.normalize) return;
  var WORD;
  try { WORD = new RegExp("[\\p{Alphabetic}\\p{N}]+", "gu"); } catch (e) { return; }

  var DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";
  var VALUE = {};
  for (var d = 0; d < DIGITS.length; d++) VALUE[DIGITS.charAt(d)] = d;
  var MIN_CHARS = 2, MAX_TERM_CHARS = 40, MAX_CHUNKS = 3;

  var form = input.form;
  var onPage = form.hasAttribute("data-search-page");
  var root = new URL(form.getAttribute("action") || "search/", window.location.href);
  var base = new URL("../", root);
  var step = onPage ? 20 : 8;
  var kindSelect = onPage ? document.getElementById("search-kind") : null;
  var panel, list, status, more, all;

  if (onPage) {
    list = document.querySelector(".search-page .search-results");
    status = document.querySelector(".search-page .search-status");
    var nojs = document.querySelector(".search-nojs");
    if (nojs) nojs.hidden = true;
    more = el("button", { type: "button", "class": "search-more", hidden: "" }, "Show more results");
    list.parentNode.insertBefore(more, list.nextSibling);
  } else {
    panel = el("div", { "class": "search-panel", hidden: "" });
    status = el("p", { "class": "search-status", role: "status" });
    list = el("ul", { "class": "search-results" });
    all = el("a", { "class": "search-all" }, "All results");
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(all);
    form.appendChild(panel);
  }
  list.id = "search-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Search results");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var meta = null, chunks = {}, blocks = {};
  var results = [], shown = 0, active = -1, seq = 0, timer = null, lastQuery = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function getJson(path, options) {
    return fetch(new URL(path, root), options).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + path);
      return response.json();
    });
  }

  function cached(store, key, path) {
    if (!store[key]) {
      store[key] = getJson(path).catch(function (error) { delete store[key]; throw error; });
    }
    return store[key];
  }

  function loadMeta() {
    if (!meta) meta = getJson("meta.json", { cache: "no-cache" }).catch(function (error) { meta = null; throw error; });
    return meta;
  }

  // The same normalisation as the index: lowercase, no diacritics, runs of
  // letters and digits of 2 to 40 characters.
  function words(text) {
    var folded = text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return (folded.match(WORD) || []).filter(function (w) {
      var n = Array.from(w).length;
      return n >= MIN_CHARS && n <= MAX_TERM_CHARS;
    });
  }

  function decode(text) {
    var out = [], value = 0, previous = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = VALUE[text.charAt(i)];
      value = value * 32 + (digit & 31);
      if (digit < 32) { previous += value; out.push(previous); value = 0; }
    }
    return out;
  }

  // The chunks that may hold terms starting with `word`: the one it would
  // fall in, and the next ones while they start with it (a few at most).
  function chunksFor(m, word) {
    var first = m.chunks, lo = 0, hi = first.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (first[mid] <= word) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    var out = first.length ? [at] : [];
    for (var j = at + 1; j < first.length && out.length < MAX_CHUNKS && first[j].lastIndexOf(word, 0) === 0; j++) out.push(j);
    return out;
  }

  // Scores of the records matching `word` (as a whole term or a prefix):
  // a title match counts four times a text match, rare terms more than
  // common ones, and a closer completion more than a longer one.
  function scoresFor(m, word) {
    return Promise.all(chunksFor(m, word).map(function (n) {
      return cached(chunks, n, "terms/" + n + ".json?v=" + m.hash);
    })).then(function (loaded) {
      var scores = new Map();
      loaded.forEach(function (entries) {
        entries.forEach(function (entry) {
          var term = entry[0];
          if (term.lastIndexOf(word, 0) !== 0) return;
          var inTitle = decode(entry[1]), inText = decode(entry[2]);
          var idf = Math.log(1 + m.records / Math.max(1, inTitle.length + inText.length));
          var closeness = term === word ? 1 : 0.5 + 0.4 * word.length / term.length;
          var add = function (weight) {
            return function (n) { scores.set(n, Math.max(scores.get(n) || 0, weight)); };
          };
          inTitle.forEach(add(4 * idf * closeness));
          inText.forEach(add(idf * closeness));
        });
      });
      return scores;
    });
  }

  function kindOf(m, n) {
    for (var i = 0; i < m.kinds.length; i++) {
      if (n >= m.kinds[i][2] && n < m.kinds[i][3]) return m.kinds[i];
    }
    return ["", "", 0, 0];
  }

  // Every record matching all the words, best first.
  function search(m, query, kind) {
    var all = words(query), terms = [];
    all.forEach(function (w, i) {
      var stop = i < all.length - 1 && m.stop.indexOf(w) >= 0;
      if (!stop && terms.indexOf(w) < 0) terms.push(w);
    });
    if (!terms.length) return Promise.resolve([]);
    return Promise.all(terms.map(function (w) { return scoresFor(m, w); })).then(function (maps) {
      maps.sort(function (a, b) { return a.size - b.size; });
      var found = [];
      maps[0].forEach(function (score, n) {
        for (var i = 1; i < maps.length; i++) {
          var other = maps[i].get(n);
          if (other === undefined) return;
          score += other;
        }
        if (!kind || kindOf(m, n)[0] === kind) found.push([n, score]);
      });
      found.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return found.map(function (f) { return f[0]; });
    });
  }

  function record(m, n) {
    var b = Math.floor(n / m.block);
    return cached(blocks, b, "records/" + b + ".json?v=" + m.hash).then(function (rows) {
      return rows[n - b * m.block];
    });
  }

  function item(m, n, row, index) {
    var li = el("li", { "class": "search-result", id: "search-result-" + index, role: "option", "aria-selected": "false" });
    var link = el("a", { href: new URL(row[0], base).href });
    if (!onPage) link.setAttribute("tabindex", "-1");
    link.appendChild(el("span", { "class": "search-kind" }, kindOf(m, n)[1]));
    link.appendChild(el("span", { "class": "search-title" }, row[1]));
    if (row[2]) link.appendChild(el("span", { "class": "search-detail" }, row[2]));
    if (row[3]) link.appendChild(el("span", { "class": "search-excerpt" }, row[3]));
    li.appendChild(link);
    return li;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function open(isOpen) {
    if (panel) panel.hidden = !isOpen;
    input.setAttribute("aria-expanded", isOpen && list.children.length ? "true" : "false");
  }

  function isOpen() {
    return panel ? !panel.hidden : list.children.length > 0;
  }

  function setActive(index) {
    var items = list.children;
    if (active >= 0 && items[active]) {
      items[active].classList.remove("is-active");
      items[active].setAttribute("aria-selected", "false");
    }
    active = index >= 0 && index < items.length ? index : -1;
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    items[active].classList.add("is-active");
    items[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  // Appends the next results (their rows are fetched in a few small files).
  function showMore(m, mine) {
    var next = results.slice(shown, shown + step);
    return Promise.all(next.map(function (n) { return record(m, n); })).then(function (rows) {
      if (mine !== seq) return;
      rows.forEach(function (row, i) {
        if (row) list.appendChild(item(m, next[i], row, shown + i));
      });
      shown += next.length;
      if (more) more.hidden = shown >= results.length;
      open(true);
    });
  }

  function clear() {
    seq++;
    results = [];
    shown = 0;
    setActive(-1);
    list.textContent = "";
    setStatus("");
    if (more) more.hidden = true;
    open(false);
  }

  function remember(query, kind) {
    if (!onPage || !window.history.replaceState) return;
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (kind) params.set("kind", kind);
    var text = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }

  function run() {
    var query = input.value.trim();
    var kind = kindSelect ? kindSelect.value : "";
    remember(query, kind);
    var key = query + "\u0000" + kind;
    if (key === lastQuery && (results.length || status.textContent)) { open(true); return; }
    lastQuery = key;
    if (Array.from(query).length < MIN_CHARS || !words(query).length) {
      clear();
      if (query) { setStatus("Type at least " + MIN_CHARS + " characters."); open(true); }
      return;
    }
    var mine = ++seq;
    if (all) all.href = root.href + "?q=" + encodeURIComponent(query);
    loadMeta().then(function (m) {
      return search(m, query, kind).then(function (found) {
        if (mine !== seq) return;
        results = found;
        shown = 0;
        setActive(-1);
        list.textContent = "";
        var among = kind && kindSelect ? " among " + kindSelect.options[kindSelect.selectedIndex].text.toLowerCase() : "";
        setStatus(found.length
          ? found.length + (found.length === 1 ? " result" : " results") + " for “" + query + "”" + among
          : "No results for “" + query + "”" + among + ".");
        if (more) more.hidden = true;
        return showMore(m, mine);
      });
    }).catch(function () {
      if (mine !== seq) return;
      lastQuery = null;
      setStatus("Search is unavailable: the index could not be loaded.");
      open(true);
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 90);
  }

  input.addEventListener("input", schedule);
  input.addEventListener("focus", function () {
    loadMeta().catch(function () {});
    if (input.value.trim() && list.children.length) open(true);
  });
  input.addEventListener("keydown", function (event) {
    var count = list.children.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      if (!isOpen()) { open(true); return; }
      setActive(event.key === "ArrowDown" ? Math.min(active + 1, count - 1) : active - 1);
    } else if (event.key === "Enter") {
      if (active >= 0 && isOpen()) {
        event.preventDefault();
        var link = list.children[active].querySelector("a");
        if (link) window.location.href = link.href;
      } else if (onPage) {
        event.preventDefault();
        clearTimeout(timer);
        lastQuery = null;
        run();
      }
    } else if (event.key === "Escape") {
      if (panel && !panel.hidden) {
        event.preventDefault();
        setActive(-1);
        open(false);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
        lastQuery = null;
        clear();
        remember("", kindSelect ? kindSelect.value : "");
      }
    }
  });
  form.addEventListener("submit", function (event) {
    if (!onPage) return;
    event.preventDefault();
    clearTimeout(timer);
    lastQuery = null;
    run();
  });
  if (more) {
    more.addEventListener("click", function () {
      loadMeta().then(function (m) { return showMore(m, seq); }).catch(function () {});
    });
  }
  if (kindSelect) kindSelect.addEventListener("change", run);
  if (panel) {
    document.addEventListener("mousedown", function (event) {
      if (!form.contains(event.target)) open(false);
    });
    form.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) open(false);
    });
  }
  if (onPage) {
    var params = new URLSearchParams(window.location.search);
    if (params.get("q")) input.value = params.get("q");
    if (kindSelect && params.get("kind")) kindSelect.value = params.get("kind");
    if (input.value.trim()) run();
  }
})();
