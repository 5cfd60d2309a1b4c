// Live status of the PDFs being made on a toolkit's renderings page
// (templates/toolkits/renderings/toolkit_renderings.html). Each row of a running job carries
// data-rendering-status-url; this polls them, updates the status, bar and note, and reloads the
// page once one has finished so that its size, date, error and buttons show. Without
// JavaScript the page's Refresh link does the same by hand.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-rendering-status-url]"));
  if (!rows.length || !window.fetch) { return; }
  var interval = 2000;
  var failures = 0;

  function field(row, name) { return row.querySelector('[data-rendering-field="' + name + '"]'); }

  function update(row, data) {
    var bar = field(row, "progress");
    if (bar) {
      bar.value = data.progress;
      bar.textContent = data.progress + "%";
    }
    var note = field(row, "note");
    if (note && note.textContent !== (data.note || "")) { note.textContent = data.note || ""; }
    var label = field(row, "status_label");
    if (label && label.textContent !== data.status_label) {
      label.textContent = data.status_label;
      label.className = label.className.replace(/job-state-\S+/, "job-state-" + data.status);
    }
  }

  function fetchRow(row) {
    return window.fetch(row.dataset.renderingStatusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      update(row, data);
      return data.finished;
    });
  }

  function schedule() {
    // Back off when the server does not answer; never faster than every 2 seconds.
    var delay = failures ? Math.min(interval * (failures + 1), 20000) : interval;
    window.setTimeout(poll, delay);
  }

  function poll() {
    Promise.all(rows.map(fetchRow)).then(function (finished) {
      failures = 0;
      if (finished.some(Boolean)) {
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
