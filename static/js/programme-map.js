// The programme dashboard map: cities as markers, pairings as lines. Data comes from a
// json_script element; without JavaScript the page keeps the same facts in its tables.
(function () {
  "use strict";
  var element = document.getElementById("programme-map");
  var source = document.getElementById("programme-map-data");
  if (!element || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { scrollWheelZoom: false });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 12, attribution: element.dataset.attribution }).addTo(map);
  }
  var colours = { proposed: "#0b5394", active: "#1e6b34", completed: "#4a5560" };
  var bounds = [];
  data.cities.forEach(function (city) {
    L.circleMarker(city.at, { radius: 6, color: "#1b1f24", weight: 2, fillColor: "#b45309", fillOpacity: 0.9 })
      .bindTooltip(city.name)
      .addTo(map);
    bounds.push(city.at);
  });
  data.pairings.forEach(function (pairing) {
    L.polyline([pairing.from, pairing.to], {
      color: colours[pairing.status] || "#0b5394",
      weight: 3,
      dashArray: pairing.status === "proposed" ? "6 6" : null
    }).bindTooltip(pairing.label).addTo(map);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); } else { map.setView([50, 10], 4); }
}());
