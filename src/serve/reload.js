// dossier serve: live reload. Served by `dossier serve` at
// /__dossier/reload.js and never written to the built site.
// It listens to Server-Sent Events from /__dossier/events:
//   hello        the build being served; reload if the page is older
//   reload       a rebuild succeeded: reload the page
//   build-error  a rebuild failed: show the problems in a banner
// No inline code or styles in markup, so a strict Content-Security-Policy
// (script-src 'self') still allows it.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource || !window.URL) {
    return;
  }
  var build = script.getAttribute("data-build");
  var banner = null;

  function hideBanner() {
    if (banner && banner.parentNode) {
      banner.parentNode.removeChild(banner);
    }
    banner = null;
  }

  function showBanner(text) {
    hideBanner();
    banner = document.createElement("div");
    banner.setAttribute("role", "alert");
    banner.id = "dossier-build-error";
    Object.assign(banner.style, {
      position: "fixed", top: "0", left: "0", right: "0", zIndex: "2147483647",
      maxHeight: "60vh", overflow: "auto", margin: "0", padding: "0.75rem 1rem",
      background: "#fff1f0", color: "#5c0011", borderBottom: "3px solid #cf1322",
      font: "14px/1.4 system-ui, sans-serif", boxShadow: "0 2px 8px rgba(0,0,0,.2)"
    });
    var title = document.createElement("strong");
    title.textContent = "dossier: the site did not build. Fix the problems below and the page reloads.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Hide");
    Object.assign(close.style, {
      float: "right", border: "0", background: "none", fontSize: "1.25rem",
      cursor: "pointer", color: "inherit"
    });
    close.addEventListener("click", hideBanner);
    var details = document.createElement("pre");
    details.textContent = text;
    Object.assign(details.style, {
      margin: "0.5rem 0 0", padding: "0", border: "0", maxWidth: "none",
      background: "transparent", color: "inherit", whiteSpace: "pre-wrap",
      font: "13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
    });
    banner.appendChild(close);
    banner.appendChild(title);
    banner.appendChild(details);
    (document.body || document.documentElement).appendChild(banner);
  }

  var events = new EventSource(new URL("events", script.src).href);
  events.addEventListener("hello", function (event) {
    if (build && event.data !== build) {
      window.location.reload();
    }
  });
  events.addEventListener("reload", function () {
    window.location.reload();
  });
  events.addEventListener("build-error", function (event) {
    showBanner(event.data);
  });
})();
