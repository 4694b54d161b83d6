// Big insight files by chunks. A form with data-chunked-upload sends a file larger than
// data-threshold bytes in numbered chunks through the API (insights/api_uploads.py): each
// chunk is retried with backoff, and an interrupted upload resumes from the chunks the
// server lists, even after a reload. Smaller files, and every file without JavaScript,
// go by the form itself as before.
(function () {
  "use strict";
  var RETRIES = 6;

  function wait(ms) { return new Promise(function (done) { window.setTimeout(done, ms); }); }

  function request(method, url, csrf, body, type) {
    var headers = { "X-CSRFToken": csrf, "Accept": "application/json" };
    if (type) { headers["Content-Type"] = type; }
    return fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" });
  }

  // Network errors and server errors are worth another try; a 4xx answer is not.
  function withRetry(send) {
    function attempt(n) {
      return send().then(function (response) {
        if (response.status >= 500 && n < RETRIES) { throw new Error("retry"); }
        return response;
      }).catch(function (error) {
        if (n >= RETRIES) { throw error; }
        return wait(Math.min(1000 * Math.pow(2, n), 30000)).then(function () { return attempt(n + 1); });
      });
    }
    return attempt(0);
  }

  function messages(body, fallback) {
    var found = [];
    Object.keys(body || {}).forEach(function (field) {
      var value = body[field];
      (Array.isArray(value) ? value : [value]).forEach(function (text) { found.push(String(text)); });
    });
    return found.length ? found : [fallback];
  }

  document.querySelectorAll("form[data-chunked-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var box = form.querySelector("[data-upload-progress]");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-upload-percent]");
    var errors = form.querySelector("[data-upload-errors]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var base = form.dataset.startUrl;
    var busy = false;

    function show(done, total) {
      var percent = total ? Math.floor((100 * done) / total) : 0;
      bar.value = percent;
      text.textContent = percent + " %";
    }

    function fail(lines) {
      busy = false;
      errors.hidden = false;
      errors.textContent = "";
      lines.forEach(function (line) {
        var p = document.createElement("p");
        p.textContent = line;
        errors.appendChild(p);
      });
    }

    function json(response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw body; }
        return body;
      });
    }

    function resume(file, key) {
      var known = window.localStorage.getItem(key);
      var fresh = function () {
        return withRetry(function () {
          return request("POST", base, csrf, JSON.stringify({
            client: form.dataset.client, kind: form.dataset.kind,
            file_name: file.name, total_size: file.size
          }), "application/json");
        }).then(json).then(function (upload) {
          window.localStorage.setItem(key, upload.id);
          return upload;
        });
      };
      if (!known) { return fresh(); }
      return withRetry(function () { return request("GET", base + known + "/", csrf); })
        .then(function (response) {
          return response.ok ? response.json().then(function (upload) {
            return upload.completed ? fresh() : upload;
          }) : fresh();
        });
    }

    function sendChunks(file, upload) {
      var arrived = new Set(upload.received);
      var index = 0;
      show(arrived.size, upload.chunk_count);
      function next() {
        while (index < upload.chunk_count && arrived.has(index)) { index += 1; }
        if (index >= upload.chunk_count) { return Promise.resolve(upload); }
        var current = index;
        var piece = file.slice(current * upload.chunk_size, (current + 1) * upload.chunk_size);
        return withRetry(function () {
          return request("PUT", base + upload.id + "/chunks/" + current + "/", csrf, piece,
                         "application/octet-stream");
        }).then(json).then(function () {
          arrived.add(current);
          show(arrived.size, upload.chunk_count);
          return next();
        });
      }
      return next();
    }

    function complete(upload, key) {
      var fields = {};
      new FormData(form).forEach(function (value, name) {
        if (name !== "file" && name !== "csrfmiddlewaretoken") { fields[name] = value; }
      });
      return withRetry(function () {
        return request("POST", base + upload.id + "/complete/", csrf, JSON.stringify(fields),
                       "application/json");
      }).then(json).then(function (outcome) {
        window.localStorage.removeItem(key);
        window.location.assign(outcome.id ? form.dataset.doneUrl.replace("00000000-0000-0000-0000-000000000000", outcome.id)
                                          : form.dataset.doneUrl);
      });
    }

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file || file.size <= Number(form.dataset.threshold) || !window.fetch) { return; }
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      errors.hidden = true;
      box.hidden = false;
      var key = "cx-upload:" + form.dataset.kind + ":" + form.dataset.client + ":" + file.name +
        ":" + file.size + ":" + file.lastModified;
      resume(file, key)
        .then(function (upload) { return sendChunks(file, upload); })
        .then(function (upload) { return complete(upload, key); })
        .catch(function (body) {
          // The texts come translated from the page (data-*), English if a page has none.
          fail(body instanceof Error
            ? [form.dataset.lostText || "The connection was lost: send the file again to resume."]
            : messages(body, form.dataset.failedText || "The upload failed."));
        });
    });
  });
})();
