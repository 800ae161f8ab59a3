// dossier timeline filters: loads the facet manifest, then the parts of
// the years a view needs (each year's rows come in parts of at most 100;
// with a filter, only the parts holding events of what it chose), in
// reading order as the reader asks: without a filter, after the latest
// events the page itself lists, parts of at least 100 events in all at a
// time; with one, parts until at least 100 more events match. Filters in
// the browser, and keeps the filters in the URL query (actor, place,
// type, tag, status: comma-separated ids; from, to: EDTF days, months or
// years; order: asc or desc) so a view can be shared.
// Without JavaScript the page still lists the years and the latest events.
(function () {
  "use strict";
  var app = document.getElementById("timeline-app");
  if (!app || !window.fetch) return;

  var FACETS = [
    { key: "actor", label: "Actors", list: "actors" },
    { key: "place", label: "Places", list: "places" },
    { key: "type", label: "Event types", list: "types" },
    { key: "tag", label: "Tags", list: "tags" },
    { key: "status", label: "Claim status", list: "statuses" }
  ];
  var manifest = null;
  var chunks = {};
  var names = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readQuery() {
    var params = new URLSearchParams(window.location.search);
    var state = { from: params.get("from") || "", to: params.get("to") || "", order: params.get("order") === "asc" ? "asc" : "desc" };
    FACETS.forEach(function (f) {
      var value = params.get(f.key);
      state[f.key] = value ? value.split(",").filter(Boolean) : [];
    });
    return state;
  }

  function writeQuery(state) {
    var params = new URLSearchParams();
    FACETS.forEach(function (f) { if (state[f.key].length) params.set(f.key, state[f.key].join(",")); });
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
    if (state.order === "asc") params.set("order", "asc");
    var query = params.toString().replace(/%2C/g, ",");
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  // "2018" -> ["2018-01-01", "2018-12-31"]; "2018-05" and "2018-05-07" alike.
  function bounds(text) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text.trim());
    if (!m) return null;
    var year = +m[1], month = m[2] ? +m[2] : null, day = m[3] ? +m[3] : null;
    if (month !== null && (month < 1 || month > 12)) return null;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var last = month ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 31;
    return [
      year + "-" + pad(month || 1) + "-" + pad(day || 1),
      year + "-" + pad(month || 12) + "-" + pad(day || last)
    ];
  }

  function matches(row, state) {
    var any = function (wanted, have) {
      if (!wanted.length) return true;
      for (var i = 0; i < wanted.length; i++) if (have.indexOf(wanted[i]) >= 0) return true;
      return false;
    };
    if (!any(state.actor, row.a) || !any(state.place, row.pa) || !any(state.type, [row.y])) return false;
    if (!any(state.tag, row.g) || !any(state.status, row.st)) return false;
    var from = state.from && bounds(state.from), to = state.to && bounds(state.to);
    if (from && row.e && row.e < from[0]) return false;
    if (to && row.s && row.s > to[1]) return false;
    return true;
  }

  // A facet's options as [id, name] pairs: in the manifest (types,
  // statuses), or (actors, places, tags: thousands on a large site) in a
  // file of their own, loaded once, when the reader opens that filter or a
  // view needs the names.
  var lists = {};
  function options(f) {
    var entry = manifest[f.list];
    if (!lists[f.list]) {
      lists[f.list] = (entry.names ? Promise.resolve(entry.names) : fetch(entry.data).then(function (r) {
        if (!r.ok) throw new Error(entry.data + ": " + r.status);
        return r.json();
      })).then(function (list) {
        return list.map(function (o) {
          var pair = typeof o === "string" ? [o, o] : o;
          names[f.key + ":" + pair[0]] = pair[1];
          return pair;
        });
      });
      lists[f.list].catch(function () { delete lists[f.list]; });
    }
    return lists[f.list];
  }

  // A list of part numbers as the build writes it: gaps between ascending
  // numbers, each in a 64-character alphabet (as the search index's
  // postings, see search.js): 0–31 end a number, 32–63 carry five more
  // bits with more to follow.
  var DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";
  function decode(text) {
    var out = [], value = 0, previous = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGITS.indexOf(text.charAt(i));
      value = value * 32 + (digit & 31);
      if (digit < 32) { previous += value; out.push(previous); value = 0; }
    }
    return out;
  }

  // The parts holding the events of the records `ids` of filter `f`, as a
  // set of part numbers. Their lists come in files of `shard` records
  // each, in the order of the filter's names: only the files for the
  // records chosen are loaded.
  var shards = {};
  function partsHolding(f, ids) {
    var entry = manifest[f.list];
    return options(f).then(function (list) {
      // (no prototype: an id such as "constructor" is a valid id)
      var at = Object.create(null);
      list.forEach(function (pair, i) { at[pair[0]] = i; });
      return Promise.all(ids.filter(function (id) { return id in at; }).map(function (id) {
        var url = entry.parts + (Math.floor(at[id] / entry.shard) + 1) + ".json";
        if (!shards[url]) {
          shards[url] = fetch(url).then(function (r) {
            if (!r.ok) throw new Error(url + ": " + r.status);
            return r.json();
          });
          shards[url].catch(function () { delete shards[url]; });
        }
        return shards[url].then(function (shard) { return decode(shard[at[id] % entry.shard] || ""); });
      }));
    }).then(function (lists) {
      var set = Object.create(null);
      lists.forEach(function (numbers) { numbers.forEach(function (n) { set[n] = true; }); });
      return set;
    });
  }

  // The spans of dates of the parts, numbered as the part lists number
  // them: [earliest first day, latest last day] ("" when open). Loaded
  // once, for a filter by dates.
  var spans = null;
  function dateSpans() {
    if (!spans) {
      spans = fetch(manifest.dates).then(function (r) {
        if (!r.ok) throw new Error(manifest.dates + ": " + r.status);
        return r.json();
      });
      spans.catch(function () { spans = null; });
    }
    return spans;
  }

  // The parts of `parts` that can hold a match for `state`: for each filter
  // whose records' parts are listed, those holding an event of a record
  // chosen (the values of one filter combine with OR, filters with AND);
  // with dates, those whose span of dates meets them.
  function narrow(parts, state) {
    var listed = FACETS.filter(function (f) {
      var entry = manifest[f.list];
      return state[f.key].length && entry && entry.parts;
    });
    var from = state.from && bounds(state.from), to = state.to && bounds(state.to);
    var dated = (from || to) && manifest.dates ? dateSpans() : Promise.resolve([]);
    var holding = listed.map(function (f) { return partsHolding(f, state[f.key]); });
    return Promise.all([dated].concat(holding)).then(function (got) {
      var spans = got[0], sets = got.slice(1);
      return parts.filter(function (p) {
        var span = spans[p.n];
        if (span && from && span[1] && span[1] < from[0]) return false;
        if (span && to && span[0] && span[0] > to[1]) return false;
        return sets.every(function (set) { return set[p.n]; });
      });
    });
  }

  function facet(key) {
    return FACETS.filter(function (f) { return f.key === key; })[0];
  }

  function optionCount(f) {
    var entry = manifest[f.list];
    return entry.names ? entry.names.length : entry.count;
  }

  // The form; `current` gives the view's state when a filter's options
  // arrive, to tick the boxes it has.
  function buildForm(current, onChange) {
    var form = el("form", { "class": "filters", "aria-label": "Filter the timeline" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    FACETS.forEach(function (f) {
      if (!optionCount(f)) return;
      var details = el("details", { "class": "facet", "data-key": f.key });
      var summary = el("summary", {}, f.label);
      var chosen = el("span", { "class": "chosen" });
      summary.appendChild(chosen);
      details.appendChild(summary);
      var fieldset = el("fieldset");
      fieldset.appendChild(el("legend", { "class": "visually-hidden" }, f.label));
      details.appendChild(fieldset);
      form.appendChild(details);
      var asked = false;
      var fill = function () {
        if (asked) return;
        asked = true;
        var status = el("p", { "class": "facet-status", role: "status" }, "Loading…");
        fieldset.appendChild(status);
        options(f).then(function (list) {
          fieldset.removeChild(status);
          if (list.length > 12) {
            var search = el("input", { type: "search", placeholder: "Find…", "aria-label": "Find in " + f.label.toLowerCase() });
            search.addEventListener("input", function () {
              var q = search.value.toLowerCase();
              fieldset.querySelectorAll("label").forEach(function (label) {
                label.hidden = q && label.textContent.toLowerCase().indexOf(q) < 0;
              });
            });
            fieldset.appendChild(search);
          }
          var state = current();
          list.forEach(function (o) {
            var label = el("label");
            var box = el("input", { type: "checkbox", name: f.key, value: o[0] });
            box.checked = state[f.key].indexOf(o[0]) >= 0;
            label.appendChild(box);
            label.appendChild(document.createTextNode(" " + o[1]));
            fieldset.appendChild(label);
          });
          details.setAttribute("data-loaded", "");
        }).catch(function (error) {
          asked = false;
          status.textContent = "The list could not be loaded (" + error.message + ").";
        });
      };
      details.addEventListener("toggle", function () { if (details.open) fill(); });
      // Small lists come with the manifest; a filter the address already
      // sets needs its boxes.
      if (manifest[f.list].names || current()[f.key].length) fill();
    });
    var state = current();
    var dates = el("fieldset", { "class": "dates" });
    dates.appendChild(el("legend", {}, "Dates"));
    [["from", "From"], ["to", "To"]].forEach(function (pair) {
      var label = el("label", {}, pair[1] + " ");
      var input = el("input", { type: "text", name: pair[0], inputmode: "numeric", placeholder: "YYYY[-MM[-DD]]", pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?", size: "10" });
      input.value = state[pair[0]];
      label.appendChild(input);
      dates.appendChild(label);
    });
    var order = el("label", {}, "Order ");
    var select = el("select", { name: "order" });
    [["desc", "newest first"], ["asc", "oldest first"]].forEach(function (o) {
      var option = el("option", { value: o[0] }, o[1]);
      option.selected = state.order === o[0];
      select.appendChild(option);
    });
    order.appendChild(select);
    dates.appendChild(order);
    form.appendChild(dates);
    var reset = el("button", { type: "button", "class": "reset" }, "Clear filters");
    reset.addEventListener("click", function () {
      form.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
      form.querySelectorAll("input[type=text]").forEach(function (i) { i.value = ""; });
      onChange(readForm(form, null));
    });
    form.appendChild(reset);
    form.addEventListener("change", function () { onChange(readForm(form, current())); });
    form.addEventListener("input", function (e) {
      if (e.target.type === "text" && (e.target.value === "" || bounds(e.target.value))) onChange(readForm(form, current()));
    });
    return form;
  }

  // The state the form shows; a filter whose options have not arrived
  // keeps what `previous` had (none when `previous` is null).
  function readForm(form, previous) {
    var state = { from: form.elements.from.value.trim(), to: form.elements.to.value.trim(), order: form.elements.order.value };
    FACETS.forEach(function (f) {
      var details = form.querySelector("details.facet[data-key=" + f.key + "]");
      state[f.key] = details && details.hasAttribute("data-loaded")
        ? Array.prototype.map.call(details.querySelectorAll("input[type=checkbox]:checked"), function (b) { return b.value; })
        : previous ? previous[f.key] : [];
      if (details) details.querySelector(".chosen").textContent = state[f.key].length ? " (" + state[f.key].length + ")" : "";
    });
    return state;
  }

  // Without a filter every event matches: the years' parts are then loaded
  // in reading order as the reader asks for more (see `span`), rather than
  // the whole timeline at once (tens of megabytes on a large site).
  function unfiltered(state) {
    return !state.from && !state.to && FACETS.every(function (f) { return !state[f.key].length; });
  }

  // The parts of `years`' rows, oldest first, each with its year and its
  // number (counted across all the manifest's years, as the lists of the
  // parts holding each actor's and place's events count them).
  function partsOf(years) {
    var parts = [];
    years.forEach(function (y) {
      y.parts.forEach(function (p) { parts.push({ year: y.year, count: p.count, data: p.data, n: p.n }); });
    });
    return parts;
  }

  function load(parts) {
    return Promise.all(parts.map(function (p) {
      if (!chunks[p.data]) {
        chunks[p.data] = fetch(p.data).then(function (r) {
          if (!r.ok) throw new Error(p.data + ": " + r.status);
          return r.json();
        });
        chunks[p.data].catch(function () { delete chunks[p.data]; });
      }
      return chunks[p.data];
    }));
  }

  function render(rows, state, count, list) {
    list.textContent = "";
    rows.sort(function (a, b) { return (a.s || a.e) < (b.s || b.e) ? -1 : (a.s || a.e) > (b.s || b.e) ? 1 : 0; });
    if (state.order === "desc") rows.reverse();
    count.textContent = rows.length === 1 ? "1 event matches." : rows.length + " events match.";
    var year = null, month = null, ol = null;
    rows.forEach(function (row) {
      var y = (row.s || row.e).slice(0, 4);
      if (y !== year) {
        year = y; month = null;
        list.appendChild(el("h2", { "class": "year-heading" }, y));
      }
      if (row.mk !== month) {
        month = row.mk;
        list.appendChild(el("h3", {}, row.ml));
        ol = el("ol", { "class": "events" });
        list.appendChild(ol);
      }
      var li = el("li", { "class": "event-item type-" + row.y });
      var date = el("span", { "class": "event-date" });
      date.appendChild(el("time", row.s ? { datetime: row.s } : {}, row.d));
      li.appendChild(date);
      li.appendChild(el("a", { "class": "event-title", href: row.u }, row.t));
      var meta = el("span", { "class": "event-meta" });
      meta.appendChild(el("span", { "class": "type" }, names["type:" + row.y] || row.y));
      if (row.p.length) meta.appendChild(document.createTextNode(" · " + row.p.map(function (p) { return names["place:" + p] || p; }).join(", ")));
      li.appendChild(meta);
      ol.appendChild(li);
    });
  }

  // The least number of events a "Show more" adds (whole parts at a time),
  // so that a site of small years is not read one click a year.
  var BATCH = 100;

  // The rows matching `state` in the first parts of `ordered` (the parts
  // that can hold a match, in reading order): whole parts, until at least
  // `wanted` rows match or no part is left. A filter is not read in full
  // on a large site: the parts come a few at a time, as many as the
  // matches met so far suggest are needed (at most GROUP at once), and
  // the reader asks for more. Goes on from `from` (what an earlier call
  // gave for the same view, or nothing); gives the rows, how many parts
  // were read and how many events they hold.
  var GROUP = 8;
  function gather(ordered, state, wanted, from) {
    var rows = from ? from.rows.slice() : [], read = from ? from.read : 0, events = from ? from.events : 0;
    var step = function () {
      if (rows.length >= wanted || read >= ordered.length) return Promise.resolve({ rows: rows, read: read, events: events });
      // Events still to read for the rows wanted, at the rate of matches
      // met so far (at first, a part; while none match, as many again as
      // were read).
      var needed = rows.length ? (wanted - rows.length) * events / rows.length : events;
      var end = read + 1, planned = ordered[read].count;
      while (end < ordered.length && end - read < GROUP && planned < needed) planned += ordered[end++].count;
      var group = ordered.slice(read, end);
      return load(group).then(function (loaded) {
        loaded.forEach(function (part) { part.forEach(function (row) { if (matches(row, state)) rows.push(row); }); });
        group.forEach(function (p) { events += p.count; });
        read = end;
        return step();
      });
    };
    return step();
  }

  // The parts from `from` on in `ordered` that the next "Show more" draws,
  // `first` of the events of the first of them being new: whole parts
  // until BATCH events are added. Gives the end (exclusive) and the label.
  function span(ordered, from, first) {
    var added = first, end = from + 1;
    while (added < BATCH && end < ordered.length) added += ordered[end++].count;
    var years = ordered[from].year + (end - 1 > from ? "–" + ordered[end - 1].year : "");
    return { end: end, label: "Show " + added + " more (" + years + ")" };
  }

  // The page's own list: the latest year's newest events, as the server
  // wrote them. Without a filter, newest first, it is the first view, and
  // nothing is fetched until the reader asks for more.
  function pageList() {
    var node = document.getElementById("timeline-static");
    if (!node) return null;
    return { node: node, year: node.getAttribute("data-year"), shown: +node.getAttribute("data-shown") || 0 };
  }

  fetch(app.getAttribute("data-facets")).then(function (r) {
    if (!r.ok) throw new Error("facets: " + r.status);
    return r.json();
  }).then(function (data) {
    manifest = data;
    // A year's parts are listed by size; the `i`th (from 0) is
    // `events-<i + 1>.json` beside the year's page, and each is numbered
    // across the years as the lists of parts holding a record's events
    // number them.
    var number = 0;
    manifest.years.forEach(function (y) {
      y.parts = y.parts.map(function (count, i) {
        return { count: count, data: y.href + "events-" + (i + 1) + ".json", n: number++ };
      });
    });
    var state = readQuery();
    var count = el("p", { "class": "match-count", role: "status", "aria-live": "polite" });
    var list = el("div", { "class": "timeline-results" });
    var page = pageList();
    // Without a filter, how many parts are drawn from their data (0: none
    // yet, the page's own list standing in for the newest); with one, how
    // many times the reader asked for more. And what the button makes it.
    var shown = 0, latest = 0, next = 0;
    // With a filter, what the last "Show more" had read (see `gather`).
    var gathered = null;
    var more = el("button", { type: "button", "class": "more-years" });
    more.hidden = true;
    var total = manifest.years.reduce(function (sum, y) { return sum + y.count; }, 0);
    var showPageList = function (show) {
      if (page) page.node.hidden = !show;
      list.hidden = show;
    };
    var update = function (changed) {
      if (changed !== state) shown = 0;
      // Only the newest update draws: an older one may finish after it.
      var mine = ++latest;
      state = changed;
      writeQuery(state);
      var parts = partsOf(manifest.years), following = null;
      if (unfiltered(state)) {
        var ordered = state.order === "asc" ? parts : parts.reverse();
        var newest = ordered[0];
        if (!shown && page && state.order === "desc" && newest && String(newest.year) === page.year) {
          // The page lists the newest events of the newest year: the rest
          // of the part it ends in comes first.
          var covered = page.shown, from = 0;
          while (from < ordered.length && String(ordered[from].year) === page.year && covered >= ordered[from].count) {
            covered -= ordered[from].count;
            from += 1;
          }
          following = from < ordered.length ? span(ordered, from, ordered[from].count - covered) : null;
          showPageList(true);
          count.textContent = total + " events match; " + page.shown + " shown.";
          offer(following);
          return;
        }
        if (!shown && newest) shown = span(ordered, 0, newest.count).end;
        parts = ordered.slice(0, shown);
        following = shown < ordered.length ? span(ordered, shown, ordered[shown].count) : null;
      }
      count.textContent = "Loading…";
      var found;
      if (unfiltered(state)) {
        found = load(parts).then(function (loaded) {
          var rows = [];
          loaded.forEach(function (part) { rows.push.apply(rows, part); });
          return { rows: rows, read: parts.length, of: parts.length };
        });
      } else {
        found = narrow(parts, state).then(function (candidates) {
          var ordered = state.order === "asc" ? candidates : candidates.reverse();
          var from = shown && gathered && gathered.state === state ? gathered : null;
          return gather(ordered, state, BATCH * (shown + 1), from).then(function (got) {
            if (mine === latest) gathered = got;
            got.state = state;
            got.of = ordered.length;
            got.last = got.read ? ordered[got.read - 1].year : null;
            return got;
          });
        });
      }
      // A drawn row names its type and places.
      Promise.all([found, options(facet("type")), options(facet("place"))]).then(function (loaded) {
        if (mine !== latest) return;
        var got = loaded[0];
        showPageList(false);
        render(got.rows, state, count, list);
        if (following) count.textContent = total + " events match; " + got.rows.length + " shown.";
        if (got.read < got.of) {
          count.textContent = got.rows.length + " events match so far, searched " +
            (state.order === "asc" ? "up to " : "back to ") + got.last + ".";
          following = { end: shown + 1, label: "Show more matches" };
        }
        offer(following);
      }).catch(function (error) {
        if (mine === latest) count.textContent = "The timeline data could not be loaded (" + error.message + ").";
      });
    };
    // The button for the next parts, if any.
    var offer = function (step) {
      more.hidden = !step;
      if (!step) return;
      next = step.end;
      more.textContent = step.label;
    };
    more.addEventListener("click", function () {
      shown = next;
      update(state);
    });
    var form = buildForm(function () { return state; }, update);
    readForm(form, state);
    app.textContent = "";
    app.appendChild(form);
    app.appendChild(count);
    app.appendChild(list);
    // The page's list moves in above the button, where the drawn list is.
    if (page) app.appendChild(page.node);
    app.appendChild(more);
    update(state);
  }).catch(function () { /* keep the static list */ });
})();
