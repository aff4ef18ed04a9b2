// The capture screen's boot: wires the parts (one job per module) and starts them. The form
// works at once; the map follows when Leaflet has loaded.

import "../theme.js";
import { Sync } from "../sync.js";
import { CheckList } from "./checks.js";
import { CaptureForm } from "./form.js";
import { MineList } from "./list.js";
import { Locator } from "./locate.js";
import { keepDrafts } from "./draft.js";
import { fitScreen, reveal } from "./fit.js";
import { CaptureMap } from "./map.js";
import { keepForOffline, tileUrls } from "./offline.js";
import { $, config, text } from "./page.js";
import { PhotoField } from "./photo.js";
import { Position } from "./position.js";
import { Saver } from "./save.js";
import { dropRefusedChanges, mergeServerCopy, removePhoto } from "./store.js";
import { initThemeSwitch } from "./theme_switch.js";
import { initWakeLock } from "./wake_lock.js";
import { startRouteTools } from "../route_capture.js";

initThemeSwitch();
initWakeLock();
const open = config.walk.state !== "closed";
const form = open ? new CaptureForm() : null;
const position = new Position(config.rules.accuracy, () => {
  locator.show();
  map.show(position.pin || position.best(), position.best());
});
const locator = new Locator(position);
const map = new CaptureMap($("#map"), (latlng) => open && position.place(latlng.lat, latlng.lng));
const list = new MineList(map, {
  onEdit: (id) => saver.edit(id),
  onRemove: (id) => saver.remove(id),
  onRemovePhoto: async (id, photoId) => {
    if (!window.confirm(text.confirm_remove_photo)) return;
    await removePhoto(id, photoId);
    await list.refresh();
    if (navigator.onLine) sync.flush();
  },
});
const STATUS_MS = 60_000; // how often a lit screen asks whether the walk is still open
const sync = new Sync({ walkId: config.walk.id, token: config.token, api: config.api, onChange: () => {
  if (sync.lastLanding?.body?.late) walkClosed(); // sent from the outbox after the walk closed
  list.refresh();
  list.showClock(sync);
  checks.refresh();
} });
const checks = new CheckList(map, sync);
startRouteTools({ map, position, sync });
const photo = open ? new PhotoField() : null;
const saver = open ? new Saver({ form, photo, position, locator, map, list, sync }) : null;
const refit = fitScreen(() => map.invalidate());
if (form) {
  form.onIncident = (note) => {
    refit();
    reveal(note);
  };
}

// A screen left open after the walk was closed says so (what is saved now is kept, marked late;
// changes to what was sent are not, and the list shows the server's copy again).
async function walkClosed() {
  if (config.walk.state === "closed") return;
  config.walk.state = "closed";
  $("#closed-note").hidden = false;
  await dropRefusedChanges().catch(() => null);
  await list.refresh();
  await checks.refresh();
}
if (saver) {
  saver.onClosed = walkClosed;
  saver.checkWalk = walkInfo;
}

async function walkInfo() {
  try {
    const response = await fetch(config.api.walk, { headers: { Authorization: `Bearer ${config.token}` } });
    if (response.ok) {
      const info = await response.json();
      if (info.walk?.state === "closed") await walkClosed();
      return info;
    }
  } catch (error) {
    // offline with nothing cached yet: the map still takes a tapped pin
  }
  return null;
}

async function loadPlaces() {
  const info = await walkInfo();
  return info ? map.addPlaces(info.places) : null;
}

// Back on a screen left open (the phone in a pocket): is the walk still open?
const asked = () => document.visibilityState === "visible" && navigator.onLine && open;
document.addEventListener("visibilitychange", () => asked() && walkInfo());
setInterval(() => asked() && walkInfo(), STATUS_MS); // the screen kept lit in the hand

async function start() {
  locator.init();
  await list.refresh();
  await checks.refresh();
  if (open) await keepDrafts({ form, photo, position, saver, map });
  const bounds = await loadPlaces();
  if (navigator.onLine) {
    await mergeServerCopy().catch(() => null);
    await sync.flush();
    await checks.load();
  }
  await list.refresh();
  await checks.refresh();
  document.body.dataset.ready = "true";
  keepForOffline(tileUrls(bounds));
}

window.addEventListener("online", () => sync.flush());
setInterval(() => navigator.onLine && sync.flush(), 30_000);
start();
