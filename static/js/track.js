// "Spela in rutten": while the capture screen is open and the switch is on, GPS fixes go
// through the track filter (./track_filter.js) and the points kept travel in chunks through
// the offline outbox (POST /api/walks/<id>/track, idempotent by the chunk's id). The points not
// yet in a chunk are kept in localStorage, so a reload loses none of them.

import { allForWalk, write } from "./outbox.js";
import { TrackFilter } from "./track_filter.js";

const SEND_EVERY_MS = 60_000;

export class TrackRecorder {
  constructor({ walkId, url, rules, sync, newId, text, toggle, status }) {
    Object.assign(this, { walkId, url, rules, sync, newId, text, toggle, status });
    this.filter = new TrackFilter(rules);
    this.bufferKey = `walkapp-track-${walkId}`;
    this.onKey = `walkapp-track-on-${walkId}`;
    this.buffer = JSON.parse(localStorage.getItem(this.bufferKey) || "[]");
    this.watch = null;
    this.kept = 0;
    this.fixes = 0;
  }

  async start() {
    await this.queue(); // what a closed or reloaded screen left behind
    if (!this.toggle) return;
    this.toggle.addEventListener("change", () => (this.toggle.checked ? this.on() : this.off()));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && this.watch !== null) {
        this.filter.break(); // screen off: a gap, never a straight line across it
        this.queue();
      }
    });
    setInterval(() => this.queue(), SEND_EVERY_MS);
    if (localStorage.getItem(this.onKey) === "1") {
      this.toggle.checked = true;
      this.on();
    }
    this.show();
  }

  on() {
    localStorage.setItem(this.onKey, "1");
    if (this.watch !== null || !navigator.geolocation) return this.show();
    this.filter.break();
    this.watch = navigator.geolocation.watchPosition(
      (position) => this.fix(position.coords),
      // A fix that does not come is a gap by time (the filter's gap_s); only a refusal stops.
      (error) => error.code === error.PERMISSION_DENIED && this.denied(),
      { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 },
    );
    this.show();
  }

  async off() {
    localStorage.removeItem(this.onKey);
    if (this.watch !== null) navigator.geolocation.clearWatch(this.watch);
    this.watch = null;
    this.filter.break();
    this.show();
    await this.queue();
  }

  denied() {
    this.toggle.checked = false;
    this.off();
    this.status.textContent = this.text.track_denied;
  }

  fix(coords) {
    // The page's clock, not the fix's: one clock for every point of the track.
    const { point, reason } = this.filter.add({ lon: coords.longitude, lat: coords.latitude, accuracy: coords.accuracy, t: Date.now() });
    this.fixes += 1;
    this.status.dataset.fixes = String(this.fixes);
    this.status.dataset.reason = reason || (point.gap ? "gap" : "kept");
    if (!point) return;
    this.buffer.push(point);
    this.kept += 1;
    localStorage.setItem(this.bufferKey, JSON.stringify(this.buffer));
    if (this.buffer.length >= this.rules.chunk_points) this.queue();
    this.show();
  }

  // The points so far become one chunk in the outbox (written before anything is sent).
  // data-waiting on the status: the track's chunks still on the phone after sending.
  async queue() {
    if (!this.buffer.length) return;
    if (this.status) this.status.dataset.waiting = "queued";
    const points = this.buffer;
    this.buffer = [];
    const id = this.newId();
    const key = `track:${id}`;
    const item = { key, type: "track", walk_id: this.walkId, observation_id: key, queued_at: Date.now(), rev: this.newId(), url: this.url, body: { id, points } };
    await write({ put: [["outbox", item]] });
    localStorage.setItem(this.bufferKey, JSON.stringify(this.buffer));
    // A run already under way may have read the outbox before this chunk: go once more after it.
    await this.sync.flush();
    await this.sync.flush();
    const waiting = (await allForWalk("outbox", this.walkId)).filter((entry) => entry.type === "track");
    if (this.status) this.status.dataset.waiting = String(waiting.length);
  }

  show() {
    const on = this.watch !== null;
    this.status.textContent = on ? this.text.track_on.replace("%(n)s", this.kept) : this.text.track_off;
    this.status.dataset.points = String(this.kept);
  }
}
