// Theme before first paint: the walker's own choice, else dark when the system asks for it
// or when the sun is down in Stockholm (safety walks happen in the evening).
(function () {
  "use strict";
  var STOCKHOLM = { lat: 59.33, lon: 18.07 };

  // Sun elevation in degrees (NOAA's simplified solar position; a few minutes' accuracy).
  function sunElevation(date, lat, lon) {
    var rad = Math.PI / 180;
    var days = date.getTime() / 86400000 - 10957.5; // days since J2000.0
    var meanLon = (280.46 + 0.9856474 * days) % 360;
    var anomaly = ((357.528 + 0.9856003 * days) % 360) * rad;
    var eclipticLon = (meanLon + 1.915 * Math.sin(anomaly) + 0.02 * Math.sin(2 * anomaly)) * rad;
    var obliquity = (23.439 - 0.0000004 * days) * rad;
    var declination = Math.asin(Math.sin(obliquity) * Math.sin(eclipticLon));
    var rightAscension = Math.atan2(Math.cos(obliquity) * Math.sin(eclipticLon), Math.cos(eclipticLon));
    var siderealDeg = (280.46061837 + 360.98564736629 * days + lon) % 360;
    var hourAngle = siderealDeg * rad - rightAscension;
    var elevation = Math.asin(
      Math.sin(lat * rad) * Math.sin(declination) +
        Math.cos(lat * rad) * Math.cos(declination) * Math.cos(hourAngle)
    );
    return elevation / rad;
  }

  function sunIsDown(date) {
    return sunElevation(date || new Date(), STOCKHOLM.lat, STOCKHOLM.lon) < -0.833;
  }

  function chosen() {
    try { return localStorage.getItem("walkapp-theme"); } catch (e) { return null; }
  }

  function preferred() {
    var own = chosen();
    if (own === "light" || own === "dark") return own;
    var systemDark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    return systemDark || sunIsDown() ? "dark" : "light";
  }

  function apply(theme) {
    document.documentElement.setAttribute("data-theme", theme);
  }

  apply(preferred());
  window.walkappTheme = {
    current: function () { return document.documentElement.getAttribute("data-theme"); },
    set: function (theme) {
      try { localStorage.setItem("walkapp-theme", theme); } catch (e) { /* private mode */ }
      apply(theme);
    },
    sunIsDown: sunIsDown,
  };
})();
