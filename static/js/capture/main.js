// The capture screen's boot: wires the parts (one job per module) and starts them. The form
// works at once; the map follows when Leaflet has loaded.

import "../theme.js";
import { Sync } from "../sync.js";
import { CaptureForm } from "./form.js";
import { MineList } from "./list.js";
import { Locator } from "./locate.js";
import { CaptureMap } from "./map.js";
import { keepForOffline, tileUrls } from "./offline.js";
import { $, config } from "./page.js";
import { PhotoField } from "./photo.js";
import { Position } from "./position.js";
import { Saver } from "./save.js";
import { mergeServerCopy } from "./store.js";
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
const list = new MineList(map, { onEdit: (id) => saver.edit(id), onRemove: (id) => saver.remove(id) });
const sync = new Sync({ walkId: config.walk.id, token: config.token, api: config.api, onChange: () => list.refresh() });
startRouteTools({ map, position, sync });
const saver = open ? new Saver({ form, photo: new PhotoField(), position, locator, map, list, sync }) : null;

async function loadPlaces() {
  try {
    const response = await fetch(config.api.walk, { headers: { Authorization: `Bearer ${config.token}` } });
    if (response.ok) return map.addPlaces((await response.json()).places);
  } catch (error) {
    // offline with nothing cached yet: the map still takes a tapped pin
  }
  return null;
}

async function start() {
  locator.init();
  await list.refresh();
  const bounds = await loadPlaces();
  if (navigator.onLine) {
    await mergeServerCopy().catch(() => null);
    await sync.flush();
  }
  await list.refresh();
  document.body.dataset.ready = "true";
  keepForOffline(tileUrls(bounds));
}

window.addEventListener("online", () => sync.flush());
setInterval(() => navigator.onLine && sync.flush(), 30_000);
start();
