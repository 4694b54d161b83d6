// Autosave for the respondent's questionnaire pages. Each change is sent on its own,
// debounced, naming only the questions it touches, with the version of the answer this
// page last had from the server: the server refuses a change based on an older version
// and sends the newer answer back, which the page then shows. Nothing is lost: a change
// is kept in localStorage (per link and question) from the moment it is made until the
// server has answered for it, and retried with backoff, when the browser comes back
// online and when a page of this link loads. Without JavaScript the page's Save and
// Next buttons do the same work, with the versions in hidden inputs.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  var url = form.dataset.autosave;
  var STORE = "autosave:" + url + ":"; // the URL names the respondent's link
  var FIELDS = ["value", "comment", "evidence"];
  var RETRY_FIRST = 1000;
  var RETRY_CAP = 30000;
  var texts = {
    saving: form.dataset.savingText || "Saving…",
    saved: form.dataset.savedText || "Saved",
    retrying: form.dataset.offlineText || "Not saved — retrying",
    conflict: form.dataset.conflictText || "Changed in another window — this is the latest answer"
  };
  var status = form.querySelector("[data-autosave-status]");
  var progress = document.getElementById("progress");
  var progressText = document.querySelector("[data-progress-text]");
  // What the server last confirmed for each question on this page: its fields and version.
  var confirmed = {};
  var dirty = {};
  var memory = {}; // the queue itself, should localStorage be unavailable
  var debounce = null;
  var retryTimer = null;
  var attempt = 0;
  var sending = false;
  var again = false;

  function box(key) {
    return form.querySelector('[data-question="' + CSS.escape(key) + '"]');
  }

  function field(key, name) {
    return form.querySelector('[name="' + CSS.escape(key + "-" + name) + '"]:not([type=radio])');
  }

  function read(key) {
    var checked = form.querySelector('[name="' + CSS.escape(key + "-value") + '"]:checked');
    var comment = field(key, "comment");
    var evidence = field(key, "evidence");
    return {
      value: checked ? checked.value : "",
      comment: comment ? comment.value : "",
      evidence: evidence ? evidence.value : ""
    };
  }

  function write(key, fields) {
    form.querySelectorAll('[name="' + CSS.escape(key + "-value") + '"]').forEach(function (radio) {
      radio.checked = radio.value === fields.value;
    });
    ["comment", "evidence"].forEach(function (name) {
      var input = field(key, name);
      if (input) input.value = fields[name] || "";
    });
  }

  function same(a, b) {
    return FIELDS.every(function (name) { return (a[name] || "") === (b[name] || ""); });
  }

  function setVersion(key, version) {
    if (confirmed[key]) confirmed[key].version = version;
    var input = field(key, "version");
    if (input) input.value = version;
  }

  // The state shown next to the question, announced politely; focus stays where it is.
  function show(key, state, text) {
    var question = box(key);
    if (!question) return;
    var line = question.querySelector("[data-question-status]");
    line.classList.remove("notice");
    line.dataset.state = state;
    line.textContent = text || texts[state];
    question.classList.toggle("conflict", state === "conflict");
    question.classList.toggle("field-error", state === "error");
  }

  function say(state, text) {
    status.textContent = text || texts[state];
    status.classList.toggle("error", state === "retrying" || state === "error");
  }

  // --- The queue: one entry per question, kept until the server has answered for it.

  function stored(key) {
    try {
      return JSON.parse(localStorage.getItem(STORE + key));
    } catch (error) {
      return null;
    }
  }

  function store(key, entry) {
    try {
      localStorage.setItem(STORE + key, JSON.stringify(entry));
    } catch (error) { /* storage full or blocked: the change is still sent from memory */ }
    memory[key] = entry;
  }

  // Removes the entry unless a newer change to the question replaced it meanwhile.
  function unstore(key, entry) {
    var current = stored(key) || memory[key];
    if (entry && current && current.id !== entry.id) return;
    try { localStorage.removeItem(STORE + key); } catch (error) { /* see store */ }
    delete memory[key];
  }

  function queued() {
    var entries = {};
    Object.keys(memory).forEach(function (key) { entries[key] = memory[key]; });
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var name = localStorage.key(i);
        if (name && name.indexOf(STORE) === 0) {
          var key = name.slice(STORE.length);
          entries[key] = stored(key) || entries[key];
        }
      }
    } catch (error) { /* see store */ }
    return entries;
  }

  function enqueue(key) {
    var base = confirmed[key] ? confirmed[key].version : 0;
    store(key, { id: Math.random().toString(36).slice(2), fields: read(key), base: base });
  }

  // --- Sending

  function changed(element) {
    var question = element.closest("[data-question]");
    if (!question) return;
    var key = question.dataset.question;
    dirty[key] = true;
    show(key, "saving");
    say("saving");
    clearTimeout(debounce);
    var typing = element.tagName === "TEXTAREA" || element.type === "text";
    debounce = setTimeout(flush, typing ? 800 : 250);
  }

  function flush() {
    clearTimeout(debounce);
    Object.keys(dirty).forEach(enqueue);
    dirty = {};
    send();
  }

  function send() {
    if (sending) { again = true; return; }
    var entries = queued();
    var keys = Object.keys(entries);
    if (!keys.length) return;
    clearTimeout(retryTimer);
    sending = true;
    again = false;
    // URL-encoded rather than multipart: cheaper to send and to parse, many times a visit.
    var body = new URLSearchParams();
    keys.forEach(function (key) {
      body.append("questions", key);
      FIELDS.forEach(function (name) { body.append(key + "-" + name, entries[key].fields[name] || ""); });
      body.append(key + "-version", entries[key].base);
    });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429 || response.status === 408) {
        throw new Error("retry");
      }
      return response.json().then(function (data) { received(response, data, entries); });
    }).catch(function () {
      keys.forEach(function (key) { if (!dirty[key]) show(key, "retrying"); });
      say("retrying");
      var delay = Math.min(RETRY_CAP, RETRY_FIRST * Math.pow(2, attempt));
      attempt += 1;
      retryTimer = setTimeout(send, delay);
    }).then(function () {
      sending = false;
      if (again) send();
    });
  }

  function received(response, data, entries) {
    attempt = 0;
    if (!data.results) {
      // Answering is over (closed, submitted, link withdrawn: `detail`) or some changes
      // were refused as invalid, by question: retrying those cannot help, so say why next
      // to each; the others of the batch are sent again.
      var named = Object.keys(entries).some(function (key) { return data[key]; });
      Object.keys(entries).forEach(function (key) {
        if (named && !data.detail && !data[key]) { again = true; return; }
        show(key, "error", data.detail || [].concat(data[key]).join(" "));
        unstore(key, entries[key]);
      });
      say("error", data.detail || Object.values(data).flat().join(" "));
      return;
    }
    var conflicts = 0;
    Object.keys(data.results).forEach(function (key) {
      var result = data.results[key];
      var entry = entries[key];
      if (result.status === "saved") {
        unstore(key, entry);
        // The change may be another tab's, sharing this queue: show what is now saved.
        if (box(key) && !dirty[key] && !same(read(key), entry.fields)) write(key, entry.fields);
        if (confirmed[key]) confirmed[key].fields = entry.fields;
        setVersion(key, result.version);
        // A newer change made meanwhile was based on the version this one replaced.
        var next = stored(key) || memory[key];
        if (next && next.base === entry.base) {
          next.base = result.version;
          store(key, next);
        }
        if (!next && !dirty[key]) show(key, "saved");
      } else {
        conflicts += 1;
        unstore(key);
        delete dirty[key];
        if (box(key)) {
          confirmed[key] = { fields: result, version: result.version };
          write(key, result);
          setVersion(key, result.version);
          show(key, "conflict");
        }
      }
    });
    say(conflicts ? "conflict" : "saved");
    tick();
    if (progress) progress.value = data.answered;
    if (progressText) {
      progressText.textContent = (progressText.dataset.template || "{answered} / {total}")
        .replace("{answered}", data.answered).replace("{total}", data.total);
    }
  }

  // The section's tick in the section list: shown once the server holds an answer to every
  // question of this page, as the next page load would show it.
  function tick() {
    var mark = document.querySelector('.section-list [aria-current="page"] [data-section-tick]');
    if (!mark) return;
    mark.hidden = !Object.keys(confirmed).every(function (key) {
      return confirmed[key].fields.value;
    });
  }

  // --- Loading: what this page shows is what the server has; then the queue is resumed.

  form.querySelectorAll("[data-question]").forEach(function (question) {
    var key = question.dataset.question;
    var version = field(key, "version");
    confirmed[key] = { fields: read(key), version: version ? Number(version.value) : 0 };
  });
  var resumed = queued();
  Object.keys(resumed).forEach(function (key) {
    var entry = resumed[key];
    if (!entry || !entry.fields) { unstore(key); return; }
    if (!confirmed[key]) return; // another page's question: sent as it is
    if (entry.base === confirmed[key].version) {
      write(key, entry.fields);
      show(key, "saving");
    } else if (same(entry.fields, confirmed[key].fields)) {
      unstore(key, entry); // it was saved; only the reply was lost
    } else {
      unstore(key, entry); // the server has moved on: its answer wins
      show(key, "conflict");
    }
  });
  send();

  form.addEventListener("change", function (event) { changed(event.target); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") changed(event.target);
  });
  window.addEventListener("online", function () {
    clearTimeout(retryTimer);
    attempt = 0;
    send();
  });
  // Save, Next and Previous post only the questions changed since the server last
  // confirmed them, each with its version, so a stale tab's page cannot overwrite newer
  // answers. Changes not yet confirmed stay queued until a page of this link hears back.
  form.addEventListener("submit", function () {
    clearTimeout(debounce);
    Object.keys(dirty).forEach(enqueue);
    dirty = {};
    Object.keys(confirmed).forEach(function (key) {
      if (!same(read(key), confirmed[key].fields)) return;
      box(key).querySelectorAll("input, textarea").forEach(function (input) { input.disabled = true; });
    });
  });
  // Coming back to this page from the browser's history: make it usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    form.querySelectorAll("[data-question] [disabled]").forEach(function (input) { input.disabled = false; });
  });
  // Leaving the page by a link sends what is still waiting.
  window.addEventListener("pagehide", function () { if (Object.keys(dirty).length) flush(); });
  form.dataset.autosaveReady = "1";
})();
