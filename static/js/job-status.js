// Live status of a background job (templates/partials/job_status.html). Polls the JSON status
// URL in data-job-status-url while the job runs, updates the bar and the texts, and reloads the
// page once the job has finished so that its files or its error show, and when it is found
// interrupted (its worker went away: the Retry shows) or running again. Without JavaScript the
// page's Refresh link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || box.dataset.jobFinished === "true" || !window.fetch) { return; }
  var url = box.dataset.jobStatusUrl;
  var interrupted = box.dataset.jobInterrupted === "true";
  var interval = 1500;
  var failures = 0;

  function field(name) { return box.querySelector('[data-job-field="' + name + '"]'); }

  function setText(name, text) {
    var element = field(name);
    if (element && element.textContent !== text) { element.textContent = text; }
  }

  function update(data) {
    var bar = field("progress");
    if (bar) {
      bar.value = data.progress;
      bar.textContent = data.progress + "%";
    }
    setText("percent", data.progress + "%");
    setText("note", data.note || "");
    var label = field("status_label");
    if (label) {
      label.textContent = data.status_label;
      label.className = label.className.replace(/job-state-\S+/, "job-state-" + data.status);
      label.dataset.jobStatus = data.status;
    }
    var waiting = field("waiting");
    if (waiting) { waiting.hidden = !data.waiting_for_queue; }
  }

  function schedule() {
    // Back off when the server does not answer; never faster than every 1.5 seconds.
    var delay = failures ? Math.min(interval * (failures + 1), 15000) : interval;
    window.setTimeout(poll, delay);
  }

  function poll() {
    window.fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      failures = 0;
      update(data);
      if (data.finished || Boolean(data.interrupted) !== interrupted) {
        window.location.reload();
      } else {
        schedule();
      }
    }).catch(function () {
      failures += 1;
      schedule();
    });
  }

  schedule();
}());
