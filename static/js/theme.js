// Theme: the walker's own choice, else dark when the system asks for it or when the sun is
// down in Stockholm (safety walks happen in the evening). Applied as soon as this loads.

const STOCKHOLM = { lat: 59.33, lon: 18.07 };
const KEY = "walkapp-theme";

// Sun elevation in degrees (NOAA's simplified solar position; a few minutes' accuracy).
function sunElevation(date, lat, lon) {
  const rad = Math.PI / 180;
  const days = date.getTime() / 86400000 - 10957.5; // days since J2000.0
  const meanLon = (280.46 + 0.9856474 * days) % 360;
  const anomaly = ((357.528 + 0.9856003 * days) % 360) * rad;
  const eclipticLon = (meanLon + 1.915 * Math.sin(anomaly) + 0.02 * Math.sin(2 * anomaly)) * rad;
  const obliquity = (23.439 - 0.0000004 * days) * rad;
  const declination = Math.asin(Math.sin(obliquity) * Math.sin(eclipticLon));
  const rightAscension = Math.atan2(Math.cos(obliquity) * Math.sin(eclipticLon), Math.cos(eclipticLon));
  const hourAngle = ((280.46061837 + 360.98564736629 * days + lon) % 360) * rad - rightAscension;
  const elevation = Math.asin(
    Math.sin(lat * rad) * Math.sin(declination) + Math.cos(lat * rad) * Math.cos(declination) * Math.cos(hourAngle)
  );
  return elevation / rad;
}

export function sunIsDown(date = new Date()) {
  return sunElevation(date, STOCKHOLM.lat, STOCKHOLM.lon) < -0.833;
}

function chosen() {
  try {
    return localStorage.getItem(KEY);
  } catch (error) {
    return null; // private mode
  }
}

function preferred() {
  const own = chosen();
  if (own === "light" || own === "dark") return own;
  const systemDark = window.matchMedia?.("(prefers-color-scheme: dark)").matches;
  return systemDark || sunIsDown() ? "dark" : "light";
}

function apply(theme) {
  document.documentElement.setAttribute("data-theme", theme);
}

export function currentTheme() {
  return document.documentElement.getAttribute("data-theme");
}

export function setTheme(theme) {
  try {
    localStorage.setItem(KEY, theme);
  } catch (error) {
    // private mode: the choice lasts for this page only
  }
  apply(theme);
}

apply(preferred());
