// The bell in the header asks now and then how many notifications are unread, so that a count
// that rises shows without reloading the page. Without JavaScript the count is the page's.
(function () {
  "use strict";
  var bell = document.querySelector("[data-bell]");
  if (!bell || !window.fetch) { return; }
  var every = parseFloat(bell.getAttribute("data-bell-every")) || 60;
  var badge = bell.querySelector("[data-bell-count]");
  var number = bell.querySelector("[data-bell-number]");
  function show(count) {
    number.textContent = String(count);
    badge.hidden = count < 1;
    bell.setAttribute("data-unread", String(count));
  }
  function ask() {
    if (document.hidden) { return; }
    fetch(bell.getAttribute("data-bell"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && typeof data.unread === "number") { show(data.unread); } })
      .catch(function () { /* offline for a moment: the next turn asks again */ });
  }
  window.setInterval(ask, every * 1000);
  document.addEventListener("visibilitychange", ask);
})();
