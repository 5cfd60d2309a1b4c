// The month grid, a little quicker: totals follow what is typed, and a cell the browser cannot
// read as a number stops the form with a message instead of being sent as empty. The page works
// the same without this script; the server checks everything again.
(function () {
  "use strict";

  function number(input) {
    if (!input.value) { return 0; }
    var value = parseFloat(input.value);
    return isFinite(value) ? value : 0;
  }

  function linked(cell) {
    var value = parseFloat(cell.getAttribute("data-linked") || "0");
    return isFinite(value) ? value : 0;
  }

  function setup(form) {
    var table = form.querySelector("table.month-grid");
    if (!table) { return; }
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumFractionDigits: 1,
    });
    var inputs = Array.prototype.slice.call(table.querySelectorAll("input[data-day]"));

    function show(cell, value) {
      if (cell) { cell.textContent = format.format(value); }
    }

    function recount() {
      var byDay = {};
      var byActivity = {};
      inputs.forEach(function (input) {
        var value = number(input);
        var day = input.getAttribute("data-day");
        var activity = input.getAttribute("data-activity");
        byDay[day] = (byDay[day] || 0) + value;
        byActivity[activity] = (byActivity[activity] || 0) + value;
      });
      var grand = 0;
      table.querySelectorAll("[data-day-total]").forEach(function (cell) {
        var total = (byDay[cell.getAttribute("data-day-total")] || 0) + linked(cell);
        grand += total;
        show(cell, total);
      });
      table.querySelectorAll("[data-activity-total]").forEach(function (cell) {
        show(cell, (byActivity[cell.getAttribute("data-activity-total")] || 0) + linked(cell));
      });
      show(table.querySelector("[data-grand-total]"), grand);
    }

    function unmark(input) {
      var note = document.getElementById(input.id + "-unreadable");
      if (!note) { return; }
      note.parentNode.removeChild(note);
      var before = input.getAttribute("data-described-by");
      if (before) {
        input.setAttribute("aria-describedby", before);
      } else {
        input.removeAttribute("aria-describedby");
        input.removeAttribute("aria-invalid");
      }
    }

    function mark(input) {
      var id = input.id + "-unreadable";
      if (document.getElementById(id)) { return; }
      var note = document.createElement("span");
      note.className = "cell-error";
      note.id = id;
      note.textContent = form.getAttribute("data-bad-input") || "";
      input.insertAdjacentElement("afterend", note);
      var before = input.getAttribute("aria-describedby");
      if (before) { input.setAttribute("data-described-by", before); }
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
    }

    function markUnreadable(event) {
      var first = null;
      inputs.forEach(function (input) {
        if (input.validity && input.validity.badInput) {
          mark(input);
          first = first || input;
        } else {
          unmark(input);
        }
      });
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }

    table.addEventListener("input", function (event) {
      if (event.target.validity && !event.target.validity.badInput) { unmark(event.target); }
      recount();
    });
    form.addEventListener("submit", markUnreadable);
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  document.querySelectorAll("form.month-grid-form").forEach(setup);
})();
