// Fills a slug field from its name field while the name is typed, in any script (서울 → seoul):
// the portal transliterates and makes it unique (portal/views/slugs.py, config.slugs), exactly
// as it does when the form is sent with the slug empty, which is all a page without JavaScript
// needs. A slug the person typed or that was already there is left alone.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var fields = document.querySelectorAll("input[data-slug-suggest]");
  Array.prototype.forEach.call(fields, function (slug) {
    var name = document.getElementById(slug.dataset.slugName);
    if (!name) { return; }
    var automatic = slug.value === "";
    var timer = null;
    var asked = 0;

    slug.addEventListener("input", function () { automatic = slug.value === ""; });

    function suggest() {
      var request = ++asked;
      var url = slug.dataset.slugSuggest + "?name=" + encodeURIComponent(name.value);
      if (slug.dataset.slugExclude) { url += "&exclude=" + encodeURIComponent(slug.dataset.slugExclude); }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && automatic && request === asked) { slug.value = data.slug; }
        })
        .catch(function () { /* the slug is made on save anyway */ });
    }

    name.addEventListener("input", function () {
      if (!automatic) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 250);
    });
  });
})();
