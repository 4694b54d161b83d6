// A page showing background work (a PDF, an analysis) checks quietly and reloads once when
// the work is done: a timed meta refresh reloaded it under a screen reader every few
// seconds (WCAG 2.2.1). The page says the work is running by including this script.
(function () {
  "use strict";
  var MARKER = "data-refresh-when-done";
  var INTERVAL = 2500;

  function check() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (html.indexOf(MARKER) === -1) {
          window.location.reload();
        } else {
          window.setTimeout(check, INTERVAL);
        }
      })
      .catch(function () { window.setTimeout(check, INTERVAL * 2); });
  }

  window.setTimeout(check, INTERVAL);
})();
