// Copy buttons: a button with data-copy-text (or data-copy-from, the id of a field) puts
// that text on the clipboard. The buttons are hidden in the markup and shown here, so a
// page without JavaScript shows only the link itself (selectable) and no dead button.
(function () {
  "use strict";
  function copied(button) {
    var label = button.textContent;
    button.textContent = button.dataset.copiedText || "Copied";
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }
  function fallback(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(field);
    return ok;
  }
  document.querySelectorAll("[data-copy-text], [data-copy-from]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = button.dataset.copyFrom && document.getElementById(button.dataset.copyFrom);
      var text = source ? source.value : button.dataset.copyText;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { copied(button); },
          function () { if (fallback(text)) copied(button); }
        );
      } else if (fallback(text)) {
        copied(button);
      }
    });
  });
})();
