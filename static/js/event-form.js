// Plan-an-event form: when a kind is chosen and the first day is given, fill in the last day
// from the kind's usual length, unless the person typed a last day themselves. Without this
// script the server does the same for a last day left empty.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var first = document.getElementById("id_starts_on");
  var last = document.getElementById("id_ends_on");
  if (!kind || !first || !last) {
    return;
  }
  var usualDays = JSON.parse(kind.getAttribute("data-usual-days") || "{}");
  var filled = last.value === "" ? "" : null;

  function fill() {
    var days = usualDays[kind.value];
    if (!days || !first.value || (filled === null && last.value !== "")) {
      return;
    }
    var end = new Date(first.value + "T00:00:00Z");
    if (isNaN(end.getTime())) {
      return;
    }
    end.setUTCDate(end.getUTCDate() + days - 1);
    filled = end.toISOString().slice(0, 10);
    last.value = filled;
  }

  last.addEventListener("input", function () {
    filled = last.value === "" ? "" : null;
  });
  kind.addEventListener("change", fill);
  first.addEventListener("change", fill);
})();
