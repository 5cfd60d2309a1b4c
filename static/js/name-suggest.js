// Suggestions for the boxes that stand for a select of hundreds: the lists' filters (a city
// among a large programme's cities) and the forms that choose one city or person
// (config/named_choice.py). As one types, the names the server finds fill a <datalist> tied to the
// box (data-suggest: an address answering {"names": [...]} for ?q=, from exactly what the list
// may show), which the browser offers as it offers its own suggestions: to the mouse, the
// keyboard and screen readers alike. Choosing one only fills the box; the form is sent as
// before. Without this script the box works the same: the server filters by the text sent.
(function () {
  "use strict";
  if (!window.fetch || !("options" in document.createElement("datalist"))) { return; }
  var boxes = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(boxes, function (box) {
    var list = document.createElement("datalist");
    list.id = box.id + "-suggestions";
    box.parentNode.insertBefore(list, box.nextSibling);
    box.setAttribute("list", list.id);
    var timer = null;
    var asked = 0;
    var shown = null;

    function show(names) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      names.forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        list.appendChild(option);
      });
    }

    function suggest() {
      var text = box.value.trim();
      if (text === shown) { return; }
      shown = text;
      var request = ++asked;
      if (!text) { show([]); return; }
      fetch(box.dataset.suggest + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && request === asked) { show(data.names || []); }
        })
        .catch(function () { /* no suggestions: the box still filters by what is typed */ });
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
  });
})();
