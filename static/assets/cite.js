// dossier citation previews: hovering or focusing a citation marker shows
// the note it points at (source title, publisher, date, locator, quote) in
// a small popover, without leaving the page. Escape or moving away hides it.
// The notes list at the page's foot stays the no-JavaScript fallback.
(function () {
  "use strict";
  var tip = null;
  var owner = null;
  var hideTimer = null;

  function ensureTip() {
    if (tip) return tip;
    tip = document.createElement("div");
    tip.id = "cite-preview";
    tip.className = "cite-preview";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(tip);
    return tip;
  }

  function noteFor(link) {
    var id = (link.getAttribute("href") || "").replace(/^#/, "");
    return id ? document.getElementById(id) : null;
  }

  function show(link) {
    var note = noteFor(link);
    if (!note) return;
    clearTimeout(hideTimer);
    var box = ensureTip();
    box.textContent = "";
    var copy = note.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll(".backref, [id]").forEach(function (n) {
      if (n.classList.contains("backref")) n.remove(); else n.removeAttribute("id");
    });
    var number = document.createElement("strong");
    number.textContent = (note.getAttribute("value") || "") + ". ";
    box.appendChild(number);
    while (copy.firstChild) box.appendChild(copy.firstChild);
    box.hidden = false;
    if (owner && owner !== link) owner.removeAttribute("aria-describedby");
    owner = link;
    link.setAttribute("aria-describedby", "cite-preview");
    var rect = link.getBoundingClientRect();
    var width = Math.min(360, window.innerWidth - 16);
    box.style.maxWidth = width + "px";
    var left = Math.max(8, Math.min(rect.left + window.scrollX - 20, window.scrollX + window.innerWidth - width - 8));
    box.style.left = left + "px";
    box.style.top = (rect.bottom + window.scrollY + 6) + "px";
  }

  function hide() {
    if (tip) tip.hidden = true;
    if (owner) owner.setAttribute("aria-describedby", "notes-heading");
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  function marker(event) {
    var t = event.target;
    return t && t.closest ? t.closest("sup.cite a") : null;
  }

  document.addEventListener("mouseover", function (e) { var m = marker(e); if (m) show(m); });
  document.addEventListener("mouseout", function (e) { if (marker(e)) scheduleHide(); });
  document.addEventListener("focusin", function (e) { var m = marker(e); if (m) show(m); else if (tip && !tip.contains(e.target)) hide(); });
  document.addEventListener("focusout", function (e) { if (marker(e)) scheduleHide(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
