// The capture screen: map with GPS pin, category/rating buttons, note, photo, save.
// Every save goes to IndexedDB first (outbox.js), then sync.js sends it when it can.

import { allForWalk, get, write } from "./outbox.js";
import { Sync } from "./sync.js";

const config = JSON.parse(document.getElementById("capture-config").textContent);
const text = config.text;
const walkId = config.walk.id;
const $ = (selector) => document.querySelector(selector);
const POOR_ACCURACY_M = 50;
const PHOTO_LONG_SIDE = 1600;
const COLOURS = { red: "#c1121f", yellow: "#e0a100", green: "#2d6a4f" };

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key]));
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- theme ----------------------------------------------------------------------------

const themeButton = $("#theme-toggle");
function showTheme() {
  const dark = window.walkappTheme.current() === "dark";
  themeButton.setAttribute("aria-pressed", String(dark));
  themeButton.textContent = dark ? text.theme_light : text.theme_dark;
}
themeButton.addEventListener("click", () => {
  window.walkappTheme.set(window.walkappTheme.current() === "dark" ? "light" : "dark");
  showTheme();
});
showTheme();

// ---- map and position -----------------------------------------------------------------

const map = L.map("map", { zoomControl: true, attributionControl: true }).setView([59.3326, 18.0649], 16);
if (config.tiles.url && config.tiles.url !== "none") {
  L.tileLayer(config.tiles.url, { maxZoom: 19, attribution: config.tiles.attribution }).addTo(map);
}
const placesLayer = L.geoJSON(null, {
  style: (feature) => ({
    color: feature.properties.on_route ? "#12355b" : "#5a6b80",
    weight: feature.properties.on_route ? 3 : 2,
    fillOpacity: feature.properties.on_route ? 0.15 : 0.06,
  }),
  // A function returning a text node: Leaflet sets a string tooltip with innerHTML.
  onEachFeature: (feature, layer) => layer.bindTooltip(() => document.createTextNode(feature.properties.name)),
}).addTo(map);
const mineLayer = L.layerGroup().addTo(map);
// A drawn pin (no bitmap: sharp on every screen, visible on dark tiles).
const pinIcon = L.divIcon({
  className: "walker-pin",
  html: '<svg viewBox="0 0 36 48" width="36" height="48" aria-hidden="true"><path d="M18 1C8.6 1 1 8.6 1 18c0 12.4 17 29 17 29s17-16.6 17-29C35 8.6 27.4 1 18 1z" fill="#d62828" stroke="#fff" stroke-width="2"/><circle cx="18" cy="18" r="6.5" fill="#fff"/></svg>',
  iconSize: [36, 48],
  iconAnchor: [18, 47],
});
const pin = L.marker(map.getCenter(), { draggable: true, keyboard: true, title: "Position", icon: pinIcon }).addTo(map);
const accuracyCircle = L.circle(map.getCenter(), { radius: 0, weight: 1, fillOpacity: 0.1 }).addTo(map);

const position = { lon: null, lat: null, accuracy: null, manual: false, fromGps: false };
const gpsStatus = $("#gps-status");
const useGps = $("#use-gps");

function setPin(lat, lon) {
  position.lat = lat;
  position.lon = lon;
  pin.setLatLng([lat, lon]);
}

function manualPin(latlng) {
  position.manual = true;
  setPin(latlng.lat, latlng.lng);
  gpsStatus.textContent = text.gps_manual;
  gpsStatus.classList.remove("warn");
  useGps.hidden = !position.fromGps;
}

pin.on("dragend", () => manualPin(pin.getLatLng()));
map.on("click", (event) => manualPin(event.latlng));
useGps.addEventListener("click", () => {
  position.manual = false;
  useGps.hidden = true;
  startGps();
  if (position.gps) onPosition(position.gps);
});

function onPosition(reading) {
  position.gps = reading;
  position.fromGps = true;
  const accuracy = Math.round(reading.coords.accuracy);
  accuracyCircle.setLatLng([reading.coords.latitude, reading.coords.longitude]).setRadius(accuracy);
  if (position.manual) {
    useGps.hidden = false;
    return;
  }
  const first = position.accuracy === null;
  position.accuracy = accuracy;
  setPin(reading.coords.latitude, reading.coords.longitude);
  if (first) map.setView([reading.coords.latitude, reading.coords.longitude], 17);
  const poor = accuracy > POOR_ACCURACY_M;
  gpsStatus.textContent = format(poor ? text.gps_poor : text.gps_ok, { m: accuracy });
  gpsStatus.classList.toggle("warn", poor);
}

let watching = false;
function startGps() {
  if (watching || !("geolocation" in navigator)) return;
  watching = true;
  gpsStatus.textContent = text.gps_wait;
  navigator.geolocation.watchPosition(onPosition, () => {
    if (!position.fromGps && !position.manual) gpsStatus.textContent = text.gps_denied;
  }, { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 });
}

// Ask for the position on a tap, not on load (a prompt out of nowhere gets refused);
// once allowed, later starts follow the walker straight away.
async function initGps() {
  let granted = false;
  try {
    granted = (await navigator.permissions.query({ name: "geolocation" })).state === "granted";
  } catch (error) {
    granted = false;
  }
  if (granted) startGps();
  else {
    gpsStatus.textContent = text.gps_start;
    useGps.hidden = false;
  }
}
initGps();

async function loadPlaces() {
  try {
    const response = await fetch(config.api.walk, { headers: { Authorization: `Bearer ${config.token}` } });
    if (!response.ok) return;
    const data = await response.json();
    placesLayer.addData(data.places);
    const onRoute = data.places.features.filter((f) => f.properties.on_route);
    if (!position.fromGps && !position.manual) {
      const bounds = L.geoJSON({ type: "FeatureCollection", features: onRoute.length ? onRoute : data.places.features }).getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { maxZoom: 17 });
        const centre = bounds.getCenter();
        setPin(centre.lat, centre.lng);
      }
    }
  } catch (error) {
    // Offline with nothing cached yet: the map still takes a tapped pin.
  }
}

// ---- the form -------------------------------------------------------------------------

const form = $("#capture-form");
const state = { category: null, rating: null, photo: null, editing: null };
const result = $("#result");
const formError = $("#form-error");

function press(selector, attribute, value) {
  for (const button of document.querySelectorAll(selector)) {
    button.setAttribute("aria-pressed", String(button.dataset[attribute] === value));
  }
}

document.querySelectorAll(".category").forEach((button) =>
  button.addEventListener("click", () => {
    state.category = button.dataset.category;
    press(".category", "category", state.category);
    $("#incident-note").hidden = state.category !== "incident";
    formError.textContent = "";
  })
);
document.querySelectorAll(".rating").forEach((button) =>
  button.addEventListener("click", () => {
    state.rating = button.dataset.rating;
    press(".rating", "rating", state.rating);
    formError.textContent = "";
  })
);

// Scale on the phone before queuing: long side at most 1600 px, JPEG (spares the walker's data).
async function shrink(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close?.();
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
}

const photoInput = $("#photo");
const preview = $("#photo-preview");
const photoClear = $("#photo-clear");
photoInput.addEventListener("change", async () => {
  const file = photoInput.files[0];
  if (!file) return;
  try {
    state.photo = await shrink(file);
  } catch (error) {
    state.photo = file; // the server checks it; better sent unshrunk than lost
  }
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(state.photo);
  preview.hidden = false;
  photoClear.hidden = false;
});
photoClear.addEventListener("click", clearPhoto);

function clearPhoto() {
  state.photo = null;
  photoInput.value = "";
  preview.hidden = true;
  photoClear.hidden = true;
}

function resetForm() {
  state.category = null;
  state.rating = null;
  state.editing = null;
  press(".category", "category", null);
  press(".rating", "rating", null);
  $("#incident-note").hidden = true;
  $("#note").value = "";
  clearPhoto();
  $("#cancel-edit").hidden = true;
  $("#save").textContent = $("#save").dataset.label || $("#save").textContent;
}
$("#save").dataset.label = $("#save").textContent;
$("#cancel-edit").addEventListener("click", resetForm);

function landingText(landing) {
  if (!landing) return text.queued;
  if (landing.relation === "inside") return format(text.inside, { place: landing.place });
  if (landing.relation === "near") return format(text.near, { place: landing.place, m: Math.round(landing.distance_m) });
  return text.none;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.category) return void (formError.textContent = text.choose_category);
  if (!state.rating) return void (formError.textContent = text.choose_rating);
  if (position.lat === null) return void (formError.textContent = text.gps_denied);
  formError.textContent = "";
  result.textContent = text.saving;
  const fields = {
    category: state.category,
    rating: state.rating,
    note: $("#note").value.trim(),
    lon: Number(position.lon.toFixed(7)),
    lat: Number(position.lat.toFixed(7)),
    accuracy_m: position.manual ? null : position.accuracy,
  };
  const id = state.editing || newId();
  const photo = state.photo;
  if (state.editing) await queueEdit(id, fields, photo);
  else await queueNew(id, fields, photo);
  resetForm();
  await refresh();
  if (navigator.onLine) await sync.flush();
  const local = await get("observations", id);
  result.textContent = local && local.sent && !(await hasPending(id)) ? landingText(local.landing) : text.queued;
});

async function hasPending(id) {
  return (await allForWalk("outbox", walkId)).some((item) => item.observation_id === id && !item.failed);
}

function photoItem(id, photo) {
  const photoId = newId();
  return ["outbox", { key: `photo:${photoId}`, type: "photo", walk_id: walkId, observation_id: id, photo_id: photoId, blob: photo, queued_at: Date.now() }];
}

async function queueNew(id, fields, photo) {
  const body = { id, ...fields, recorded_at: new Date().toISOString() };
  const put = [
    ["observations", { id, walk_id: walkId, ...body, sent: false, has_photo: Boolean(photo) }],
    ["outbox", { key: `create:${id}`, type: "create", walk_id: walkId, observation_id: id, body, queued_at: Date.now() }],
  ];
  if (photo) put.push(photoItem(id, photo));
  await write({ put });
}

async function queueEdit(id, fields, photo) {
  const local = await get("observations", id);
  const pendingCreate = await get("outbox", `create:${id}`);
  const put = [["observations", { ...local, ...fields, has_photo: local.has_photo || Boolean(photo) }]];
  if (pendingCreate && !pendingCreate.failed) {
    // Not sent yet: send the edited version instead.
    put.push(["outbox", { ...pendingCreate, body: { ...pendingCreate.body, ...fields } }]);
  } else {
    const pendingEdit = await get("outbox", `edit:${id}`);
    put.push(["outbox", { key: `edit:${id}`, type: "edit", walk_id: walkId, observation_id: id, body: { ...(pendingEdit?.body || {}), ...fields }, queued_at: Date.now() }]);
  }
  if (photo) put.push(photoItem(id, photo));
  await write({ put });
}

async function removeObservation(id) {
  if (!window.confirm(text.confirm_delete)) return;
  const items = (await allForWalk("outbox", walkId)).filter((item) => item.observation_id === id);
  const sentBefore = !items.some((item) => item.type === "create");
  const remove = [["observations", id], ...items.map((item) => ["outbox", item.key])];
  const put = sentBefore
    ? [["outbox", { key: `delete:${id}`, type: "delete", walk_id: walkId, observation_id: id, queued_at: Date.now() }]]
    : [];
  await write({ put, remove });
  result.textContent = text.deleted;
  await refresh();
  if (navigator.onLine) sync.flush();
}

async function startEdit(id) {
  const local = await get("observations", id);
  if (!local) return;
  resetForm();
  state.editing = id;
  state.category = local.category;
  state.rating = local.rating;
  press(".category", "category", local.category);
  press(".rating", "rating", local.rating);
  $("#note").value = local.note || "";
  manualPin({ lat: local.lat, lng: local.lon });
  map.panTo([local.lat, local.lon]);
  $("#cancel-edit").hidden = false;
  form.scrollIntoView({ behavior: "smooth" });
}

// ---- list, map markers, waiting count -------------------------------------------------

const list = $("#mine-list");
const syncStatus = $("#sync-status");

async function refresh() {
  const [mine, outbox] = await Promise.all([allForWalk("observations", walkId), allForWalk("outbox", walkId)]);
  const waitingIds = new Set(outbox.filter((item) => !item.failed).map((item) => item.observation_id));
  const failed = outbox.filter((item) => item.failed);
  const failedIds = new Map(failed.map((item) => [item.observation_id, item.failed]));
  if (waitingIds.size === 0 && failed.length === 0) syncStatus.textContent = text.all_sent;
  else if (failed.length) syncStatus.textContent = format(text.failed, { n: failed.length });
  else syncStatus.textContent = waitingIds.size === 1 ? text.waiting_one : format(text.waiting, { n: waitingIds.size });
  syncStatus.dataset.waiting = String(waitingIds.size);
  syncStatus.classList.toggle("pending", waitingIds.size > 0 || failed.length > 0);

  mine.sort((a, b) => (a.recorded_at < b.recorded_at ? 1 : -1));
  list.replaceChildren();
  mineLayer.clearLayers();
  if (!mine.length) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = text.no_observations;
    list.append(empty);
  }
  for (const item of mine) {
    const row = document.createElement("li");
    row.className = `mine-item rating-${item.rating}`;
    row.dataset.id = item.id;
    const title = document.createElement("strong");
    title.textContent = `${config.categories[item.category] || item.category} · ${config.ratings[item.rating] || item.rating}`;
    const where = document.createElement("span");
    where.className = "where";
    const marks = [];
    if (waitingIds.has(item.id)) marks.push(text.waiting_mark);
    if (item.landing?.late) marks.push(text.late);
    if (item.has_photo) marks.push(text.photo);
    where.textContent = (item.sent ? landingText(item.landing) : text.queued) + (marks.length ? ` · ${marks.join(", ")}` : "");
    row.append(title, where);
    if (item.note) {
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = item.note;
      row.append(note);
    }
    if (failedIds.has(item.id)) {
      const problem = document.createElement("span");
      problem.className = "error";
      problem.textContent = failedIds.get(item.id);
      row.append(problem);
    }
    if (config.walk.state !== "closed") {
      const actions = document.createElement("span");
      actions.className = "actions";
      const edit = document.createElement("button");
      edit.type = "button";
      edit.textContent = text.edit;
      edit.addEventListener("click", () => startEdit(item.id));
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = text.delete;
      remove.addEventListener("click", () => removeObservation(item.id));
      actions.append(edit, remove);
      row.append(actions);
    }
    list.append(row);
    L.circleMarker([item.lat, item.lon], {
      radius: 8, color: "#ffffff", weight: 2, fillColor: COLOURS[item.rating], fillOpacity: 0.95,
    }).bindTooltip(() => document.createTextNode(title.textContent)).addTo(mineLayer);
  }
}

// What the server already holds for this walker (another tab, a cleared phone): merged in.
async function mergeServerCopy() {
  try {
    const response = await fetch(`${config.api.observations}`, { headers: { Authorization: `Bearer ${config.token}` } });
    if (!response.ok) return;
    const { observations } = await response.json();
    const put = [];
    for (const row of observations) {
      const local = await get("observations", row.id);
      if (local && !local.sent) continue;
      const landing = { id: row.id, place: row.place_name, place_id: row.place_id, relation: row.relation, distance_m: row.distance_m, late: Boolean(row.late) };
      put.push(["observations", { ...(local || {}), ...row, walk_id: walkId, sent: true, landing, has_photo: row.photos.length > 0 || Boolean(local?.has_photo) }]);
    }
    if (put.length) await write({ put });
  } catch (error) {
    // offline: the phone's own copy is what we show
  }
}

const sync = new Sync({ walkId, token: config.token, api: config.api, onChange: refresh });

if (config.walk.state === "closed") result.textContent = text.closed;
window.addEventListener("online", () => sync.flush());
setInterval(() => {
  if (navigator.onLine) sync.flush();
}, 30_000);

async function start() {
  await refresh();
  await loadPlaces();
  if (navigator.onLine) {
    await mergeServerCopy();
    await sync.flush();
  }
  await refresh();
  document.body.dataset.ready = "true";
}
start();

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.cached) document.body.dataset.offlineReady = "true";
  });
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() => {
    // Make sure this walk's screen and places are in the cache for the next offline start.
    navigator.serviceWorker.ready.then((registration) =>
      registration.active?.postMessage({ cache: [location.pathname, config.api.walk] })
    );
  });
}
