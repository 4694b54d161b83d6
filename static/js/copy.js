// Copy buttons. An element with data-copy (a link to the text, or a field holding it) gets
// a "Copy" button beside it that puts the text on the clipboard. The buttons are made here,
// so a page without JavaScript shows only the link itself, selectable, and no dead button.
(function () {
  "use strict";
  function fallback(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(field);
    return ok;
  }
  document.querySelectorAll("[data-copy]").forEach(function (source) {
    var button = document.createElement("button");
    var label = source.dataset.copyLabel || "Copy";
    button.type = "button";
    button.className = source.dataset.copyClass || "button-link";
    button.textContent = label;
    function copied() {
      button.textContent = source.dataset.copiedText || "Copied";
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }
    button.addEventListener("click", function () {
      var text = source.dataset.copy || source.value;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(copied, function () {
          if (fallback(text)) copied();
        });
      } else if (fallback(text)) {
        copied();
      }
    });
    var place = source.dataset.copyAfter ? source.nextSibling : source;
    source.parentNode.insertBefore(button, place);
    source.parentNode.insertBefore(document.createTextNode(" "), place);
  });
})();
