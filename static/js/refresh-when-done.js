// A page showing background work (a PDF, an analysis) checks quietly and reloads once when
// the work is done: a timed meta refresh reloaded it under a screen reader every few
// seconds (WCAG 2.2.1). The page says the work is running by including this script.
(function () {
  "use strict";
  var MARKER = "data-refresh-when-done";
  var INTERVAL = 2500;

  // Parts marked data-live-progress (a progress bar the worker feeds) are swapped for the
  // fresh page's, in order, so the bar moves without a reload.
  function live(html) {
    var mine = document.querySelectorAll("[data-live-progress]");
    if (!mine.length || !window.DOMParser) { return; }
    var fresh = new window.DOMParser().parseFromString(html, "text/html")
      .querySelectorAll("[data-live-progress]");
    for (var i = 0; i < mine.length && i < fresh.length; i += 1) {
      mine[i].innerHTML = fresh[i].innerHTML;
    }
  }

  function check() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (html.indexOf(MARKER) === -1) {
          window.location.assign(window.location.href.split("#")[0]);  // a GET: never re-posts a form
        } else {
          live(html);
          window.setTimeout(check, INTERVAL);
        }
      })
      .catch(function () { window.setTimeout(check, INTERVAL * 2); });
  }

  window.setTimeout(check, INTERVAL);
})();
