// Move-up and move-down buttons on the practices page of a toolkit. Without JavaScript the
// position numbers do the same; with it, each button moves the row and numbers the rows again
// in their new order, so the numbers sent are the order seen.
(function () {
  "use strict";

  function rows(table) {
    return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-order-row]"));
  }

  function renumber(table) {
    rows(table).forEach(function (row, index) {
      var input = row.querySelector("input.position");
      if (input) { input.value = String(index + 1); }
    });
  }

  function titleOf(row) {
    var link = row.querySelector("th[scope=row] a");
    return link ? link.textContent.trim() : "";
  }

  function announce(table, text) {
    var live = table.parentNode.querySelector("[data-order-live]");
    if (live) { live.textContent = text; }
  }

  function move(table, row, step) {
    var all = rows(table);
    var index = all.indexOf(row);
    var target = all[index + step];
    if (!target) { return; }
    if (step < 0) {
      target.parentNode.insertBefore(row, target);
    } else {
      target.parentNode.insertBefore(row, target.nextSibling);
    }
    renumber(table);
    var input = row.querySelector("input.position");
    var template = table.getAttribute("data-moved-text") || "%(title)s: position %(position)s";
    announce(table, template.replace("%(title)s", titleOf(row)).replace("%(position)s", input ? input.value : ""));
    var button = row.querySelector(step < 0 ? "button[data-move=up]" : "button[data-move=down]");
    if (button) { button.focus(); }
  }

  function button(label, direction, symbol) {
    var b = document.createElement("button");
    b.type = "button";
    b.setAttribute("data-move", direction);
    b.setAttribute("aria-label", label);
    b.textContent = symbol;
    return b;
  }

  function enhance(table) {
    var up = table.getAttribute("data-up-text") || "Move up";
    var down = table.getAttribute("data-down-text") || "Move down";
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("data-order-live", "");
    table.parentNode.insertBefore(live, table);
    rows(table).forEach(function (row) {
      var cell = row.querySelector("td.number");
      if (!cell) { return; }
      var title = titleOf(row);
      var group = document.createElement("span");
      group.className = "move-buttons";
      group.appendChild(button(up + ": " + title, "up", "↑"));
      group.appendChild(button(down + ": " + title, "down", "↓"));
      cell.appendChild(group);
    });
    table.addEventListener("click", function (event) {
      var target = event.target.closest("button[data-move]");
      if (!target) { return; }
      var row = target.closest("tr");
      move(table, row, target.getAttribute("data-move") === "up" ? -1 : 1);
    });
  }

  document.querySelectorAll("table[data-toolkit-order]").forEach(enhance);
})();
