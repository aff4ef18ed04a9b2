// The Leaflet map: the places, the walker's own dots, the pin and the GPS accuracy circle.
// Leaflet is loaded here, after the form works: no button waits for the map.

import { addControls } from "../map_controls.js";
import { config } from "./page.js";

const START = [59.3326, 18.0649];
// A drawn pin (no bitmap: sharp on every screen, visible on dark tiles).
const PIN_SVG =
  '<svg viewBox="0 0 36 48" width="36" height="48" aria-hidden="true"><path d="M18 1C8.6 1 1 8.6 1 18c0 12.4 17 29 17 29s17-16.6 17-29C35 8.6 27.4 1 18 1z" fill="#d62828" stroke="#fff" stroke-width="2"/><circle cx="18" cy="18" r="6.5" fill="#fff"/></svg>';

// Leaflet's script and stylesheet, added only now: neither holds up the first paint.
function load(tag, attributes) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), attributes, { onload: resolve, onerror: reject });
    document.head.append(element);
  });
}

function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  return Promise.all([
    load("link", { rel: "stylesheet", href: config.leaflet.css }),
    load("script", { src: config.leaflet.js }),
  ]).then(() => window.L);
}

export class CaptureMap {
  constructor(element, onTap) {
    this.located = false;
    this.ready = loadLeaflet().then((L) => this.build(L, element, onTap));
  }

  build(L, element, onTap) {
    this.L = L;
    const map = L.map(element, { zoomControl: false, attributionControl: true }).setView(START, 16);
    // The controls in the screen's language, as on every map (walkapp/map_controls.py).
    addControls(L, map);
    if (config.tiles.url && config.tiles.url !== "none") {
      L.tileLayer(config.tiles.url, { maxZoom: 19, attribution: config.tiles.attribution }).addTo(map);
    }
    this.places = L.geoJSON(null, {
      style: (feature) => ({
        color: feature.properties.on_route ? "#12355b" : "#5a6b80",
        weight: feature.properties.on_route ? 3 : 2,
        fillOpacity: feature.properties.on_route ? 0.15 : 0.06,
      }),
      // Text nodes, not strings: Leaflet sets a string tooltip with innerHTML (names come from an upload).
      onEachFeature: (feature, layer) => layer.bindTooltip(() => document.createTextNode(feature.properties.name)),
    }).addTo(map);
    this.mine = L.layerGroup().addTo(map);
    this.checks = L.layerGroup().addTo(map); // a re-walk's measures to check (./checks.js)
    const icon = L.divIcon({ className: "walker-pin", html: PIN_SVG, iconSize: [36, 48], iconAnchor: [18, 47] });
    this.pin = L.marker(START, { draggable: true, keyboard: true, title: "Position", icon });
    this.circle = L.circle(START, { radius: 0, weight: 1, fillOpacity: 0.1 });
    this.pin.on("dragend", () => onTap(this.pin.getLatLng()));
    // Where the finger lifted, not where the browser put the click: on a touch screen the click
    // may be moved towards a nearby target (a dot, a place's edge), metres away on the ground.
    let lifted = null;
    element.addEventListener("pointerup", (event) => {
      lifted = { x: event.clientX, y: event.clientY, at: event.timeStamp };
    }, true);
    map.on("click", (event) => {
      const recent = lifted && event.originalEvent && event.originalEvent.timeStamp - lifted.at < 1000;
      onTap(recent ? map.mouseEventToLatLng({ clientX: lifted.x, clientY: lifted.y }) : event.latlng);
      lifted = null;
    });
    this.map = map;
  }

  // Show the pin where the next observation would be stored, or no pin at all.
  async show(where, gps) {
    await this.ready;
    if (where) this.pin.setLatLng([where.lat, where.lon]).addTo(this.map);
    else this.pin.remove();
    if (gps) this.circle.setLatLng([gps.lat, gps.lon]).setRadius(gps.accuracy).addTo(this.map);
    else this.circle.remove();
    if (gps && !this.located) {
      this.located = true;
      this.map.setView([gps.lat, gps.lon], 17);
    }
  }

  async panTo(lat, lon) {
    await this.ready;
    this.map.panTo([lat, lon]);
  }

  // The walk's places; the view frames them until the GPS knows better (a view, never a position).
  async addPlaces(places) {
    await this.ready;
    this.places.addData(places);
    const onRoute = places.features.filter((f) => f.properties.on_route);
    const bounds = this.L.geoJSON({ type: "FeatureCollection", features: onRoute.length ? onRoute : places.features }).getBounds();
    if (!this.located && bounds.isValid()) this.map.fitBounds(bounds, { maxZoom: 17 });
    return bounds.isValid() ? bounds : null;
  }

  async showMine(items) {
    await this.ready;
    this.mine.clearLayers();
    for (const item of items) {
      this.L.circleMarker([item.lat, item.lon], {
        radius: 8, color: "#ffffff", weight: 2, fillColor: config.rules.rating_colours[item.rating], fillOpacity: 0.95,
      }).bindTooltip(() => document.createTextNode(item.label)).addTo(this.mine);
    }
  }

  // A re-walk's measures: a diamond each, filled once the walker answered (./checks.js).
  async showChecks(items, onTap) {
    await this.ready;
    this.checks.clearLayers();
    for (const item of items) {
      const icon = this.L.divIcon({ className: `check-marker${item.answer ? ` answered-${item.answer}` : ""}`, html: "<span></span>", iconSize: [24, 24] });
      this.L.marker([item.lat, item.lon], { icon, keyboard: false })
        .bindTooltip(() => document.createTextNode(item.category))
        .on("click", () => onTap(item))
        .addTo(this.checks);
    }
  }

  invalidate() {
    this.map?.invalidateSize();
  }

  // The whole map in view under the header (not under it), to tap where the walker stands.
  scrollIntoView() {
    const container = this.map?.getContainer() || document.getElementById("map");
    const header = document.querySelector(".capture-bar");
    window.scrollTo({ top: Math.max(0, container.getBoundingClientRect().top + window.scrollY - header.offsetHeight) });
  }
}
