// Where the next observation is. Two sources, never a third: the best GPS reading of the
// last ~20 s, or a pin the walker placed for the one observation being recorded. Without
// either there is no position, and the screen asks the walker to tap where they are.

const WINDOW_MS = 20_000;

// Metres between two readings (equirectangular: exact enough at a few hundred metres).
function metres(a, b) {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

export class Position {
  constructor({ good, fair }, onChange) {
    this.good = good;
    this.fair = fair;
    this.onChange = onChange;
    this.readings = [];
    this.pin = null; // {lat, lon, moved}: moved = placed by the walker, not just shown
    this.waiters = [];
  }

  // A reading from the GPS: kept for WINDOW_MS unless a newer one shows the walker has moved.
  add(lat, lon, accuracy, at = Date.now()) {
    const latest = { lat, lon, accuracy, at };
    this.readings = this.readings.filter(
      (r) => at - r.at <= WINDOW_MS && metres(r, latest) <= r.accuracy + accuracy
    );
    this.readings.push(latest);
    if (accuracy <= this.good) this.waiters.splice(0).forEach((resolve) => resolve());
    this.onChange();
  }

  best() {
    let best = null;
    for (const r of this.readings) if (!best || r.accuracy <= best.accuracy) best = r;
    return best;
  }

  band(accuracy) {
    if (accuracy <= this.good) return "good";
    return accuracy <= this.fair ? "fair" : "poor";
  }

  // The walker tapped the map or dragged the pin: this observation is there.
  place(lat, lon) {
    this.pin = { lat, lon, moved: true };
    this.onChange();
  }

  // Editing: the pin shows where the observation is stored, and moves only if the walker moves it.
  hold(lat, lon) {
    this.pin = { lat, lon, moved: false };
    this.onChange();
  }

  // After every save, cancel or edit: the pin follows the GPS again.
  release() {
    this.pin = null;
    this.onChange();
  }

  // {lat, lon, accuracy_m, position_source} for a new observation, or null: never invented.
  current() {
    if (this.pin) return { lat: this.pin.lat, lon: this.pin.lon, accuracy_m: null, position_source: "pin" };
    const best = this.best();
    if (!best) return null;
    return { lat: best.lat, lon: best.lon, accuracy_m: Math.round(best.accuracy), position_source: "gps" };
  }

  // Wait up to `ms` for a fix within the good band when the GPS is running and the current one is poorer.
  async settle(ms, gpsRunning) {
    const best = this.best();
    if (this.pin || !gpsRunning || (best && best.accuracy <= this.good)) return this.current();
    await new Promise((resolve) => {
      this.waiters.push(resolve);
      setTimeout(resolve, ms);
    });
    return this.current();
  }
}
