// Autosave for the respondent's questionnaire pages: each change is sent on its own,
// debounced, naming only the questions it touches, so two open tabs lose nothing.
// Without JavaScript the page's Save and Next buttons do the same work.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  var status = form.querySelector("[data-autosave-status]");
  var progress = document.getElementById("progress");
  var progressText = document.querySelector("[data-progress-text]");
  var pending = {};
  var timer = null;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function queue(element) {
    var question = element.closest("[data-question]");
    if (!question) return;
    pending[question.dataset.question] = question;
    say(form.dataset.savingText || "Saving…");
    clearTimeout(timer);
    timer = setTimeout(flush, element.tagName === "TEXTAREA" || element.type === "text" ? 800 : 250);
  }

  function flush() {
    var questions = Object.keys(pending);
    if (!questions.length) return;
    // URL-encoded rather than multipart: cheaper to send and to parse, many times a visit.
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    questions.forEach(function (key) {
      body.append("questions", key);
      pending[key].querySelectorAll("input, textarea").forEach(function (field) {
        if (field.type === "radio" && !field.checked) return;
        body.append(field.name, field.value);
      });
    });
    pending = {};
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) {
          say(form.dataset.savedText || "Saved");
          if (progress) progress.value = data.answered;
          if (progressText) {
            progressText.textContent = (progressText.dataset.template || "{answered} / {total}")
              .replace("{answered}", data.answered).replace("{total}", data.total);
          }
          questions.forEach(function (key) {
            var box = form.querySelector('[data-question="' + key + '"]');
            if (box) box.classList.remove("field-error");
          });
        } else {
          var message = data.detail || Object.values(data).flat().join(" ");
          say(message, true);
        }
      });
    }).catch(function () {
      say(form.dataset.offlineText || "Not saved: check your connection. Use Save to try again.", true);
    });
  }

  form.addEventListener("change", function (event) { queue(event.target); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") queue(event.target);
  });
  // Leaving the page (Next, Previous) first sends what is still waiting.
  window.addEventListener("pagehide", function () { clearTimeout(timer); flush(); });
  form.dataset.autosaveReady = "1";
})();
