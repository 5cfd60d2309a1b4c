// Move up / move down buttons on the order page of a plan's list (actions, indicators, risks,
// local group). Without JavaScript the position numbers do the same job.
(function () {
  "use strict";
  var form = document.querySelector("[data-order-form]");
  if (!form) return;
  var list = form.querySelector("[data-order-list]");
  var up = form.getAttribute("data-label-up") || "Move up";
  var down = form.getAttribute("data-label-down") || "Move down";

  function renumber() {
    list.querySelectorAll("[data-order-row]").forEach(function (row, index) {
      row.querySelector("[data-position]").value = index + 1;
    });
  }

  function button(text, name, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "move-button";
    b.textContent = text;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = ": " + name;
    b.appendChild(hidden);
    b.addEventListener("click", onClick);
    return b;
  }

  list.querySelectorAll("[data-order-row]").forEach(function (row) {
    var name = row.querySelector("label").textContent;
    var controls = document.createElement("span");
    controls.className = "move-buttons";
    controls.appendChild(button(up, name, function (event) {
      var previous = row.previousElementSibling;
      if (previous) { list.insertBefore(row, previous); renumber(); event.currentTarget.focus(); }
    }));
    controls.appendChild(button(down, name, function (event) {
      var next = row.nextElementSibling;
      if (next) { list.insertBefore(next, row); renumber(); event.currentTarget.focus(); }
    }));
    row.appendChild(controls);
  });
})();
